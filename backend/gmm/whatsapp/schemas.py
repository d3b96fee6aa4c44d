from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints

from gmm.terceirizados.schemas import Telefone

Chave = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class ConfiguracaoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    base_url: AnyHttpUrl = Field(description="Ex.: https://apistart01.megaapi.com.br")
    instance_key: Chave
    token: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=8, max_length=500)]
        | None
    ) = Field(
        default=None,
        description="Omitido: mantém o token já salvo",
        json_schema_extra={"writeOnly": True},
    )


class ConfiguracaoOut(BaseModel):
    configurado: bool
    fonte: Literal["banco", "ambiente", "nenhuma"] = Field(
        description="banco: salva pelo administrador; ambiente: variáveis GMM_MEGAAPI_*"
    )
    base_url: str | None
    instance_key: str | None
    token_mascarado: str | None = Field(description="Só os 4 últimos caracteres")
    atualizado_em: datetime | None


class ValidarTelefoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    telefone: Telefone


class ValidarTelefoneOut(BaseModel):
    telefone: str = Field(description="Normalizado: 55 + DDD + número")
    no_whatsapp: bool
    jid: str | None
