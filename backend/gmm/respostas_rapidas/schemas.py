from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from gmm.core import modelos

# What a quick reply may say, filled in for the chamado it goes to.
VARIAVEIS = {
    "terceirizado": "o nome do terceirizado",
    "chamado": "o número do chamado",
    "titulo": "o título do chamado",
    "prazo": "o prazo combinado (data e hora), ou “a combinar”",
    "link_prestador": "um link novo do prestador para o chamado",
}
TEXTO_MAX = 4096


def _variaveis_conhecidas(texto: str) -> str:
    return modelos.conferir(texto, VARIAVEIS)


Titulo = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Texto = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=TEXTO_MAX),
    AfterValidator(_variaveis_conhecidas),
]


class RespostaRapidaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    titulo: Titulo = Field(description="Como aparece no seletor (digite / na caixa de texto)")
    texto: Texto = Field(description="O texto, com variáveis: " + modelos.descrever(VARIAVEIS))
    compartilhada: bool = Field(
        default=False, description="De todos os operadores (só administradores criam)"
    )


class RespostaRapidaUpdate(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    titulo: Titulo | None = None
    texto: Texto | None = None


class RespostaRapidaOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    titulo: str
    texto: str
    compartilhada: bool
    editavel: bool = Field(description="Se quem pergunta pode alterá-la ou apagá-la")
    atualizado_em: datetime


class PreenchidaOut(BaseModel):
    texto: str = Field(description="O texto com as variáveis preenchidas, para editar e enviar")
