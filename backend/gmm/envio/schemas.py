from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AnyHttpUrl,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from gmm.conversas.conteudo import ConteudoBotoes, ConteudoLista, Opcao, Secao
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


# -- interactive messages -------------------------------------------------------------
# WhatsApp's limits (docs/megaapi-contrato.md) are checked here, before anything is stored: a
# message the gateway would refuse never reaches the queue. Each broken rule is a
# 422 whose ``msg`` names it in the operator's words.

TEXTO_INTERATIVO_MAX = 1024
CABECALHO_MAX = 60
RODAPE_MAX = 60
BOTOES_MAX = 3
BOTAO_TITULO_MAX = 20
LISTA_BOTAO_MAX = 20
SECOES_MAX = 10
LINHAS_MAX = 10
SECAO_TITULO_MAX = 24
LINHA_TITULO_MAX = 24
LINHA_DESCRICAO_MAX = 72
ID_MAX = 200
LEGENDA_MAX = 1024


def _texto(rotulo: str, *, opcional: bool = False) -> BeforeValidator:
    def checar(valor: Any) -> Any:
        if valor is None and opcional:
            return ""
        if not isinstance(valor, str):
            raise PydanticCustomError(
                "texto_invalido", "{rotulo}: informe um texto", {"rotulo": rotulo}
            )
        return valor

    return BeforeValidator(checar)


def _ate(rotulo: str, maximo: int, *, opcional: bool = False) -> AfterValidator:
    def checar(valor: str) -> str:
        valor = valor.strip()
        if not valor and not opcional:
            raise PydanticCustomError(
                "texto_vazio", "{rotulo} não pode ficar vazio", {"rotulo": rotulo}
            )
        if len(valor) > maximo:
            raise PydanticCustomError(
                "limite_whatsapp",
                "{rotulo} com no máximo {maximo} caracteres (tem {tamanho})",
                {"rotulo": rotulo, "maximo": maximo, "tamanho": len(valor)},
            )
        return valor

    return AfterValidator(checar)


def _lista(valor: Any, rotulo: str) -> Any:
    if not isinstance(valor, list):
        raise PydanticCustomError(
            "lista_invalida", "{rotulo} deve ser uma lista", {"rotulo": rotulo}
        )
    return valor


def _repetidos(valores: list[str]) -> str:
    return ", ".join(sorted(v for v, n in Counter(valores).items() if n > 1))


TextoInterativo = Annotated[
    str, _texto("texto"), _ate("texto da mensagem interativa", TEXTO_INTERATIVO_MAX)
]
Rodape = Annotated[str, _texto("rodapé", opcional=True), _ate("rodapé", RODAPE_MAX, opcional=True)]
IdOpcao = Annotated[str, _texto("id"), _ate("id", ID_MAX)]
TituloBotao = Annotated[str, _texto("título do botão"), _ate("título do botão", BOTAO_TITULO_MAX)]
TituloLinha = Annotated[str, _texto("título da linha"), _ate("título da linha", LINHA_TITULO_MAX)]
DescricaoLinha = Annotated[
    str,
    _texto("descrição da linha", opcional=True),
    _ate("descrição da linha", LINHA_DESCRICAO_MAX, opcional=True),
]
TituloSecao = Annotated[str, _texto("título da seção"), _ate("título da seção", SECAO_TITULO_MAX)]
BotaoLista = Annotated[
    str, _texto("texto do botão da lista"), _ate("texto do botão da lista", LISTA_BOTAO_MAX)
]
Cabecalho = Annotated[
    str, _texto("cabeçalho", opcional=True), _ate("cabeçalho", CABECALHO_MAX, opcional=True)
]
Legenda = Annotated[
    str, _texto("legenda", opcional=True), _ate("legenda", LEGENDA_MAX, opcional=True)
]


class _Entrada(BaseModel):
    """Missing and unknown fields are answered in pt-BR too."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _campos(cls, dados: Any) -> Any:
        if not isinstance(dados, dict):
            return dados
        desconhecidos = sorted(str(k) for k in dados if k not in cls.model_fields)
        if desconhecidos:
            raise PydanticCustomError(
                "campo_desconhecido",
                "campo desconhecido: {campos}",
                {"campos": ", ".join(desconhecidos)},
            )
        faltando = [n for n, c in cls.model_fields.items() if c.is_required() and n not in dados]
        if faltando:
            raise PydanticCustomError(
                "campo_obrigatorio", "campo obrigatório: {campos}", {"campos": ", ".join(faltando)}
            )
        return dados


class BotaoIn(_Entrada):
    id: IdOpcao = Field(description="Volta no webhook quando o terceirizado toca o botão")
    titulo: TituloBotao = Field(description=f"Até {BOTAO_TITULO_MAX} caracteres")


class BotoesIn(_Entrada):
    """Reply buttons: a text and 1 to 3 buttons the contractor taps to answer."""

    texto: TextoInterativo = Field(description=f"Até {TEXTO_INTERATIVO_MAX} caracteres")
    rodape: Rodape = Field(default="", description=f"Até {RODAPE_MAX} caracteres")
    botoes: list[BotaoIn] = Field(description=f"De 1 a {BOTOES_MAX} botões; ids e títulos únicos")

    @field_validator("botoes", mode="before")
    @classmethod
    def _botoes_lista(cls, valor: Any) -> Any:
        return _lista(valor, "botoes")

    @field_validator("botoes")
    @classmethod
    def _botoes(cls, botoes: list[BotaoIn]) -> list[BotaoIn]:
        if not botoes:
            raise PydanticCustomError("limite_whatsapp", "ao menos 1 botão")
        if len(botoes) > BOTOES_MAX:
            raise PydanticCustomError(
                "limite_whatsapp",
                "no máximo {maximo} botões (há {total})",
                {"maximo": BOTOES_MAX, "total": len(botoes)},
            )
        if repetidos := _repetidos([b.id for b in botoes]):
            raise PydanticCustomError(
                "id_repetido", "ids de botão repetidos: {ids}", {"ids": repetidos}
            )
        # A reply may come back with the title only: two equal titles would be ambiguous.
        if repetidos := _repetidos([b.titulo for b in botoes]):
            raise PydanticCustomError(
                "titulo_repetido", "títulos de botão repetidos: {titulos}", {"titulos": repetidos}
            )
        return botoes

    def conteudo(self) -> ConteudoBotoes:
        """The message's ``conteudo``: what the send worker turns into a templateMessage."""
        return ConteudoBotoes(
            rodape=self.rodape, botoes=[Opcao(id=b.id, titulo=b.titulo) for b in self.botoes]
        )


class LinhaIn(_Entrada):
    id: IdOpcao = Field(description="Volta no webhook quando o terceirizado escolhe a linha")
    titulo: TituloLinha = Field(description=f"Até {LINHA_TITULO_MAX} caracteres")
    descricao: DescricaoLinha = Field(
        default="", description=f"Até {LINHA_DESCRICAO_MAX} caracteres"
    )


class SecaoIn(_Entrada):
    titulo: TituloSecao = Field(description=f"Até {SECAO_TITULO_MAX} caracteres")
    linhas: list[LinhaIn] = Field(description="Ao menos 1 linha")

    @field_validator("linhas", mode="before")
    @classmethod
    def _linhas_lista(cls, valor: Any) -> Any:
        return _lista(valor, "linhas")

    @field_validator("linhas")
    @classmethod
    def _linhas(cls, linhas: list[LinhaIn]) -> list[LinhaIn]:
        if not linhas:
            raise PydanticCustomError(
                "limite_whatsapp", "seção sem linhas: cada seção precisa de ao menos 1 linha"
            )
        return linhas


class ListaIn(_Entrada):
    """A native list: a text, a button that opens the list, sections with rows."""

    texto: TextoInterativo = Field(description=f"Até {TEXTO_INTERATIVO_MAX} caracteres")
    botao: BotaoLista = Field(
        description=f"O botão que abre a lista, até {LISTA_BOTAO_MAX} caracteres"
    )
    titulo: Cabecalho = Field(default="", description=f"Cabeçalho, até {CABECALHO_MAX} caracteres")
    descricao: Rodape = Field(default="", description=f"Rodapé, até {RODAPE_MAX} caracteres")
    secoes: list[SecaoIn] = Field(
        description=f"De 1 a {SECOES_MAX} seções e até {LINHAS_MAX} linhas no total; "
        "ids das linhas únicos"
    )

    @field_validator("secoes", mode="before")
    @classmethod
    def _secoes_lista(cls, valor: Any) -> Any:
        return _lista(valor, "secoes")

    @field_validator("secoes")
    @classmethod
    def _secoes(cls, secoes: list[SecaoIn]) -> list[SecaoIn]:
        if not secoes:
            raise PydanticCustomError("limite_whatsapp", "ao menos 1 seção")
        if len(secoes) > SECOES_MAX:
            raise PydanticCustomError(
                "limite_whatsapp",
                "no máximo {maximo} seções (há {total})",
                {"maximo": SECOES_MAX, "total": len(secoes)},
            )
        linhas = [linha for secao in secoes for linha in secao.linhas]
        if len(linhas) > LINHAS_MAX:
            raise PydanticCustomError(
                "limite_whatsapp",
                "no máximo {maximo} linhas no total da lista (há {total})",
                {"maximo": LINHAS_MAX, "total": len(linhas)},
            )
        if repetidos := _repetidos([linha.id for linha in linhas]):
            raise PydanticCustomError(
                "id_repetido", "ids de linha repetidos: {ids}", {"ids": repetidos}
            )
        return secoes

    def conteudo(self) -> ConteudoLista:
        """The message's ``conteudo``: what the send worker turns into a listMessage."""
        return ConteudoLista(
            botao=self.botao,
            titulo=self.titulo,
            descricao=self.descricao,
            secoes=[
                Secao(
                    titulo=secao.titulo,
                    linhas=[
                        Opcao(id=linha.id, titulo=linha.titulo, descricao=linha.descricao)
                        for linha in secao.linhas
                    ],
                )
                for secao in self.secoes
            ],
        )
