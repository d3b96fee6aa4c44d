"""What a message holds beyond its text: one model per kind, told apart by ``tipo``.

``mensagens.conteudo`` (JSONB) keeps one of these, written only through them: the
kind's model is built (and so checked) where the message is made, then stored with
``armazenar()``. Readers get the model back with ``ler()``. Fields marked internal
(the gateway's media keys) are stored but never leave the API.

Kinds, and who writes each:
- ``texto``: a contractor's text (WhatsApp name, or the link it came through).
- ``resposta``: a contractor's tap on one of our buttons or list rows.
- ``botoes`` / ``lista``: our interactive questions (operators, ready-made actions).
- ``arquivo``: a file an operator sends.
- ``midia``: a file the contractor sent on WhatsApp (downloaded by a job).
- ``arquivo_prestador``: a file the contractor sent through the link.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import to_jsonable_python
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

log = logging.getLogger(__name__)

StatusMidia = Literal["baixando", "pronta", "falhou"]
StatusTranscricao = Literal["pronta", "falhou"]
# mensagens.conteudo["origem"] of what came through a contractor's link.
ORIGEM_LINK = "link_prestador"


class _Conteudo(BaseModel):
    # Output schemas list defaulted fields as required: every field is always sent,
    # so clients narrow on ``tipo`` and read the rest without guessing.
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    def armazenar(self) -> dict[str, Any]:
        """What the row keeps: every set field, the internal ones included."""
        dados: dict[str, Any] = self.model_dump(mode="json", exclude_none=True)
        for nome, campo in type(self).model_fields.items():
            valor = getattr(self, nome)
            if campo.exclude and valor is not None:
                dados[nome] = to_jsonable_python(valor)
        return dados


class _Transcrevivel(BaseModel):
    """A voice note may get a transcription job; its outcome is kept here."""

    transcricao_status: StatusTranscricao | None = Field(
        default=None, description="Áudio: `pronta` ou `falhou` depois da transcrição"
    )
    transcricao_erro: str | None = Field(
        default=None, description="Por que a transcrição não foi possível"
    )


class ConteudoTexto(_Conteudo):
    """Texto recebido do prestador."""

    tipo: Literal["texto"] = "texto"
    push_name: str | None = Field(default=None, description="Nome do contato no WhatsApp")
    origem: str | None = Field(
        default=None, description="`link_prestador`: veio pelo link do prestador"
    )


class Resposta(BaseModel):
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    tipo: Literal["botao", "lista"]
    id: str = Field(description="Id do botão ou da linha tocada (como o WhatsApp devolve)")
    titulo: str = Field(description="O texto que o prestador viu")
    em_resposta_a: str | None = Field(
        default=None, description="Id na MegaAPI da mensagem com as opções, quando citada"
    )
    opcao_id: str | None = Field(default=None, description="Nosso id da opção tocada")
    pergunta_id: int | None = Field(default=None, description="A mensagem que perguntou")


class ConteudoResposta(_Conteudo):
    """Toque do prestador num botão ou numa linha de lista."""

    tipo: Literal["resposta"] = "resposta"
    push_name: str | None = None
    resposta: Resposta


class Opcao(BaseModel):
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    id: str
    titulo: str
    descricao: str | None = None


class Secao(BaseModel):
    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    titulo: str
    linhas: list[Opcao]


class Acao(BaseModel):
    """What a tap on a ready-made question does (orçamento, visita, conclusão, cobrança)."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    tipo: Literal["orcamento", "visita", "conclusao", "cobranca"]
    valor: str | None = Field(default=None, description="Orçamento: o valor, em reais")
    data_hora: str | None = Field(default=None, description="Visita: data e hora (ISO 8601)")


class Respondida(BaseModel):
    """Which option of this question the contractor tapped (the first tap counts)."""

    model_config = ConfigDict(frozen=True, json_schema_serialization_defaults_required=True)

    opcao_id: str
    mensagem_id: int = Field(description="A mensagem do toque (numa reação, a própria pergunta)")
    reacao: str | None = Field(
        default=None, description="Respondida com esta reação (emoji), não com um toque"
    )


class _Pergunta(_Conteudo):
    rodape: str | None = None
    acao: Acao | None = None
    respondida: Respondida | None = None

    def opcoes(self) -> list[Opcao]:
        raise NotImplementedError


class ConteudoBotoes(_Pergunta):
    """Nossos botões de resposta (até 3)."""

    tipo: Literal["botoes"] = "botoes"
    botoes: list[Opcao]

    def opcoes(self) -> list[Opcao]:
        return list(self.botoes)


class ConteudoLista(_Pergunta):
    """Nossa lista de opções (seções com linhas)."""

    tipo: Literal["lista"] = "lista"
    botao: str = Field(description="O texto do botão que abre a lista")
    titulo: str | None = None
    descricao: str | None = None
    secoes: list[Secao]

    def opcoes(self) -> list[Opcao]:
        return [linha for secao in self.secoes for linha in secao.linhas]


class ConteudoArquivo(_Conteudo, _Transcrevivel):
    """Arquivo enviado por um operador."""

    tipo: Literal["arquivo"] = "arquivo"
    nome_arquivo: str
    mime_type: str
    arquivo: str = Field(description="Nome do arquivo guardado (em `url_midia`)")
    tamanho: int | None = Field(default=None, description="Em bytes")
    caption: str | None = None


class ConteudoMidia(_Conteudo, _Transcrevivel):
    """Foto, áudio, vídeo, documento ou figurinha recebidos pelo WhatsApp."""

    tipo: Literal["midia"] = "midia"
    push_name: str | None = None
    nome_arquivo: str | None = Field(
        default=None, description="Documento: o nome do arquivo como o prestador o enviou"
    )
    midia_status: StatusMidia = Field(
        description="`baixando` até o arquivo estar guardado (`url_midia`), ou `falhou`"
    )
    # MegaAPI's keys to download the file (downloadMediaMessage): internal.
    midia: Annotated[dict[str, Any], SkipJsonSchema()] = Field(exclude=True)

    @property
    def tipo_whatsapp(self) -> str:
        """The WhatsApp message kind (imageMessage, audioMessage, ...)."""
        return str(self.midia.get("tipo", ""))


class ConteudoArquivoPrestador(_Conteudo):
    """Foto ou documento enviados pelo prestador pelo link."""

    tipo: Literal["arquivo_prestador"] = "arquivo_prestador"
    origem: Literal["link_prestador"] = "link_prestador"
    link_id: int
    nome_arquivo: str
    mime_type: str
    tamanho: int
    midia_status: StatusMidia = "pronta"


Conteudo = Annotated[
    ConteudoTexto
    | ConteudoResposta
    | ConteudoBotoes
    | ConteudoLista
    | ConteudoArquivo
    | ConteudoMidia
    | ConteudoArquivoPrestador,
    Field(discriminator="tipo"),
]
Pergunta = ConteudoBotoes | ConteudoLista
_LEITOR: TypeAdapter[Conteudo] = TypeAdapter(Conteudo)


def ler(dados: dict[str, Any] | None) -> Conteudo | None:
    """The stored ``conteudo`` as its model; None when absent or unreadable (logged:
    one bad row must not hide a whole conversation)."""
    if dados is None:
        return None
    try:
        return _LEITOR.validate_python(dados)
    except ValidationError as exc:
        log.warning("conteúdo de mensagem ilegível (%s erro(s)): ignorado", exc.error_count())
        return None


class ConteudoJSON(TypeDecorator[Any]):
    """The ``mensagens.conteudo`` column: models in Python, JSONB in PostgreSQL."""

    impl = JSONB
    cache_ok = True

    def __init__(self) -> None:
        # None is SQL NULL (not JSON null): "no content" has one spelling.
        super().__init__(none_as_null=True)

    def process_bind_param(self, value: Any, dialect: Dialect) -> dict[str, Any] | None:
        if value is None:
            return None
        if not isinstance(value, _Conteudo):
            raise TypeError(f"conteudo deve ser um modelo de conteudo.py, não {type(value)}")
        return value.armazenar()

    def process_result_value(self, value: Any, dialect: Dialect) -> Conteudo | None:
        return ler(value)

    def coerce_compared_value(self, op: Any, value: Any) -> Any:
        # JSONB's own operators (->>, ?) on the column take text keys, not models.
        return self.impl_instance.coerce_compared_value(op, value)
