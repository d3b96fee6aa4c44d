"""Reading MegaAPI's webhook payloads (shapes in docs/megaapi-contrato.md).

Pure functions from the JSON body to what the product stores; anything that does
not have the shape of a known event raises ``PayloadInvalido`` (a 422), while a
well-formed event of a kind we do not handle is simply reported as ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from gmm.conversas.conteudo import (
    Conteudo,
    ConteudoMidia,
    ConteudoResposta,
    ConteudoTexto,
    Resposta,
)
from gmm.conversas.models import StatusEnvio, TipoConteudo
from gmm.core.errors import DomainError
from gmm.core.tipos import DataHora, StrictInt
from gmm.midia import arquivos


class PayloadInvalido(DomainError):
    status_code = 422
    error = "payload_invalido"


class _Chave(BaseModel):
    model_config = ConfigDict(extra="allow")

    remoteJid: str = Field(min_length=1, max_length=128)  # noqa: N815 - the gateway's name
    fromMe: bool = False  # noqa: N815
    id: str = Field(min_length=1, max_length=128)


class _Envelope(BaseModel):
    model_config = ConfigDict(extra="allow")

    messageType: str = Field(min_length=1, max_length=64)  # noqa: N815


class _Mensagem(_Envelope):
    key: _Chave
    message: dict[str, Any] = Field(default_factory=dict)
    # Read by instante(): a value it cannot read is ignored, never a refused message.
    messageTimestamp: Any = None  # noqa: N815
    pushName: str | None = Field(default=None, max_length=200)  # noqa: N815


class _Update(BaseModel):
    model_config = ConfigDict(extra="allow")

    status: int


class _Ack(_Envelope):
    key: _Chave
    update: _Update


class _Conexao(_Envelope):
    connection_state: str | None = Field(default=None, max_length=64)
    closeReason: Any = None  # noqa: N815


# MegaAPI's ack codes: 0 error, 1 pending, 2 server, 3 delivered, 4 read, 5 played.
ACK_STATUS: dict[int, StatusEnvio | None] = {
    0: StatusEnvio.falhou,
    1: None,
    2: StatusEnvio.enviado,
    3: StatusEnvio.entregue,
    4: StatusEnvio.lido,
    5: StatusEnvio.lido,
}

_MEDIA = {
    "imageMessage": TipoConteudo.image,
    "stickerMessage": TipoConteudo.image,
    "audioMessage": TipoConteudo.audio,
    "videoMessage": TipoConteudo.video,
    "documentMessage": TipoConteudo.document,
}
# Media fields worth keeping: what downloadMediaMessage needs and what the chat shows.
_CAMPOS_MIDIA = (
    "url", "mimetype", "mediaKey", "directPath", "fileLength", "fileName", "seconds", "ptt",
)  # fmt: skip


@dataclass(frozen=True)
class Remetente:
    """Every id an event names its sender by: the chat's jid and the phone fields
    that come with an ``@lid`` (``senderPn``, ``remoteJidAlt``, ``participantPn``).

    ``jids`` are normalised (lower case, no device suffix); ``telefones`` are the
    digits of the phone-form ones (``@s.whatsapp.net``, ``@c.us``), ``lids`` the rest."""

    jids: tuple[str, ...]
    telefones: tuple[str, ...]
    lids: tuple[str, ...]

    @property
    def endereco(self) -> str:
        """What the message row keeps as the sender: the number when known, else the id."""
        if self.telefones:
            return self.telefones[0]
        return self.jids[0] if self.jids else ""


@dataclass(frozen=True)
class Recebida:
    """An inbound message as parsed from the webhook (see gmm/megaapi/contrato.py)."""

    megaapi_id: str
    remetente: Remetente
    tipo_conteudo: TipoConteudo
    texto: str | None
    caption: str | None
    conteudo: Conteudo
    recebida_em: datetime | None
    # The MegaAPI id of the message this one quotes (contextInfo.stanzaId), if any.
    citada: str | None = None

    @property
    def telefone(self) -> str:
        return self.remetente.endereco


@dataclass(frozen=True)
class Reacao:
    """The contractor reacted to a message (``emoji`` empty: the reaction was removed)."""

    megaapi_id: str
    remetente: Remetente
    alvo_id: str
    emoji: str
    quando: datetime | None


@dataclass(frozen=True)
class Edicao:
    """The contractor edited a message they sent."""

    megaapi_id: str
    remetente: Remetente
    alvo_id: str
    texto: str
    quando: datetime | None


@dataclass(frozen=True)
class Apagada:
    """The contractor deleted a message for everyone."""

    megaapi_id: str
    remetente: Remetente
    alvo_id: str
    quando: datetime | None


@dataclass(frozen=True)
class Ack:
    megaapi_id: str
    status: StatusEnvio | None  # None: a code that moves nothing (pending)
    codigo: int


@dataclass(frozen=True)
class Conexao:
    estado: str
    motivo: str | None


@dataclass(frozen=True)
class Ignorado:
    motivo: str


Alteracao = Reacao | Edicao | Apagada
Evento = Recebida | Alteracao | Ack | Conexao | Ignorado


def _model(model: type[BaseModel], body: dict[str, Any]) -> Any:
    try:
        return model.model_validate(body)
    except ValidationError as exc:
        problemas = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise PayloadInvalido(f"evento da MegaAPI malformado: {problemas}") from exc


def _texto(valor: Any) -> str | None:
    return valor if isinstance(valor, str) else None


_DOMINIOS_TELEFONE = ("s.whatsapp.net", "c.us")
# Where an event may name its sender besides key.remoteJid: Baileys puts the phone
# that goes with an @lid (or the @lid that goes with a phone) in these.
_CAMPOS_ID_CHAVE = ("senderPn", "remoteJidAlt", "participantPn", "senderLid", "participantAlt")
_CAMPOS_ID_EVENTO = ("participantPn", "senderPn")
_USUARIO = re.compile(r"^[0-9]{5,20}$")


def _jid(valor: Any) -> str | None:
    """A user's jid in one spelling (lower case, no ``:device`` part), or None."""
    if not isinstance(valor, str) or "@" not in valor or len(valor) > 128:
        return None
    usuario, _, dominio = valor.strip().lower().partition("@")
    usuario = usuario.split(":", 1)[0]
    if not _USUARIO.match(usuario) or dominio not in (*_DOMINIOS_TELEFONE, "lid"):
        return None
    return f"{usuario}@{dominio}"


def remetente(body: dict[str, Any], chave: dict[str, Any]) -> Remetente:
    """Every id the event names its sender by (chave: the event's ``key``)."""
    candidatos = [chave.get("remoteJid")]
    candidatos += [chave.get(campo) for campo in _CAMPOS_ID_CHAVE]
    candidatos += [body.get(campo) for campo in _CAMPOS_ID_EVENTO]
    jids = tuple(dict.fromkeys(j for j in map(_jid, candidatos) if j is not None))
    telefones = tuple(
        dict.fromkeys(j.split("@")[0] for j in jids if j.endswith(_DOMINIOS_TELEFONE))
    )
    lids = tuple(j for j in jids if j.endswith("@lid"))
    return Remetente(jids, telefones, lids)


# Gateway timestamps are Unix seconds, but some builds send milliseconds: nothing in
# seconds reaches 10^11 before the year 5138, so a larger value is milliseconds.
_MILISSEGUNDOS = 10**11
# The sane window: WhatsApp did not exist before 2009, and a receipt from past 2100
# is a broken clock. Outside it (negative, 1e20, ...) the timestamp is ignored, not
# the event: refusing would make MegaAPI drop a real message or receipt over a field
# the product only uses for the delivery-delay metric and the receipt's time (which
# then becomes the time it arrived). docs/megaapi.md says the same.
_DESDE = datetime(2009, 1, 1, tzinfo=UTC)
_ATE = datetime(2100, 1, 1, tzinfo=UTC)


def instante(valor: Any) -> datetime | None:
    """The moment a gateway timestamp stands for, or None when absent or not believable."""
    if isinstance(valor, str) and valor.isascii() and valor.isdigit() and len(valor) <= 20:
        valor = int(valor)
    if isinstance(valor, datetime):
        quando = valor
    elif isinstance(valor, int | float) and not isinstance(valor, bool):
        # Past any plausible millisecond, NaN and infinities; before any float
        # conversion, which 10**400 would overflow.
        if not abs(valor) < _MILISSEGUNDOS * 1000:
            return None
        segundos = valor / 1000 if abs(valor) >= _MILISSEGUNDOS else valor
        if not _DESDE.timestamp() <= segundos < _ATE.timestamp():
            return None
        quando = datetime.fromtimestamp(segundos, UTC)
    else:
        return None
    return quando if _DESDE <= quando < _ATE else None


def ler(body: Any) -> Evento:
    """The event a webhook body carries."""
    if not isinstance(body, dict):
        raise PayloadInvalido("o corpo do webhook deve ser um objeto JSON")
    tipo = _model(_Envelope, body).messageType
    if tipo == "message.ack":
        ack = _model(_Ack, body)
        if ack.update.status not in ACK_STATUS:
            return Ignorado(f"código de ack desconhecido: {ack.update.status}")
        return Ack(ack.key.id, ACK_STATUS[ack.update.status], ack.update.status)
    if tipo == "connection_update":
        conexao = _model(_Conexao, body)
        motivo = conexao.closeReason
        return Conexao(
            conexao.connection_state or "desconhecido",
            None if motivo is None else str(motivo)[:300],
        )
    if "key" not in body or "message" not in body:
        return Ignorado(f"evento {tipo} sem mensagem")
    mensagem = _model(_Mensagem, body)
    if mensagem.key.fromMe:
        return Ignorado("eco de mensagem nossa")
    if mensagem.key.remoteJid.endswith("@g.us"):
        return Ignorado("mensagem de grupo")
    quem = remetente(body, body["key"])
    if not quem.jids:
        return Ignorado(f"remetente não reconhecido: {mensagem.key.remoteJid[:64]}")
    alteracao = _alteracao(mensagem, quem)
    if alteracao is not None:
        return alteracao
    return _recebida(mensagem, quem)


def _citada(parte: Any) -> str | None:
    """The quoted message's id in a message part's contextInfo (a reply), if any."""
    contexto = parte.get("contextInfo") if isinstance(parte, dict) else None
    citada = contexto.get("stanzaId") if isinstance(contexto, dict) else None
    return citada[:128] if isinstance(citada, str) and citada else None


# protocolMessage types (WAProto): numbers, or their names in some builds.
_REVOGAR = (0, "REVOKE")
_EDITAR = (14, "MESSAGE_EDIT")


def _protocolo(msg: dict[str, Any]) -> dict[str, Any] | None:
    protocolo = msg.get("protocolMessage")
    if not isinstance(protocolo, dict):
        editada = msg.get("editedMessage")
        interna = editada.get("message") if isinstance(editada, dict) else None
        protocolo = interna.get("protocolMessage") if isinstance(interna, dict) else None
    return protocolo if isinstance(protocolo, dict) else None


def _texto_editado(editada: Any) -> str | None:
    if not isinstance(editada, dict):
        return None
    if isinstance(editada.get("conversation"), str):
        return str(editada["conversation"])
    extended = editada.get("extendedTextMessage")
    if isinstance(extended, dict) and isinstance(extended.get("text"), str):
        return str(extended["text"])
    return None


def _alteracao(m: _Mensagem, quem: Remetente) -> Alteracao | Ignorado | None:
    """A reaction, edit or delete (None: the event is not one)."""
    msg = m.message
    reacao = msg.get("reactionMessage")
    if isinstance(reacao, dict):
        alvo = reacao.get("key")
        alvo_id = alvo.get("id") if isinstance(alvo, dict) else None
        emoji = reacao.get("text")
        if not isinstance(alvo_id, str) or not alvo_id or not isinstance(emoji, str):
            return Ignorado("reação sem a mensagem ou o emoji")
        if len(emoji) > 16:
            return Ignorado("reação com mais de um emoji")
        quando = instante(reacao.get("senderTimestampMs")) or instante(m.messageTimestamp)
        return Reacao(m.key.id, quem, alvo_id[:128], emoji, quando)
    protocolo = _protocolo(msg)
    if protocolo is None:
        return None
    alvo = protocolo.get("key")
    alvo_id = alvo.get("id") if isinstance(alvo, dict) else None
    if not isinstance(alvo_id, str) or not alvo_id:
        return Ignorado("protocolMessage sem a mensagem a que se refere")
    quando = instante(protocolo.get("timestampMs")) or instante(m.messageTimestamp)
    tipo = protocolo.get("type")
    if tipo in _REVOGAR:
        return Apagada(m.key.id, quem, alvo_id[:128], quando)
    texto = _texto_editado(protocolo.get("editedMessage"))
    if tipo in _EDITAR or (tipo is None and texto is not None):
        if texto is None:
            return Ignorado("edição sem o novo texto")
        return Edicao(m.key.id, quem, alvo_id[:128], texto, quando)
    return Ignorado(f"protocolMessage de tipo {str(tipo)[:20]} não tratado")


def _recebida(m: _Mensagem, quem: Remetente) -> Recebida | Ignorado:
    def nova(
        tipo: TipoConteudo,
        texto: str | None,
        conteudo: Conteudo,
        caption: str | None = None,
        citada: str | None = None,
    ) -> Recebida:
        return Recebida(
            megaapi_id=m.key.id,
            remetente=quem,
            tipo_conteudo=tipo,
            texto=texto,
            caption=caption,
            conteudo=conteudo,
            recebida_em=instante(m.messageTimestamp),
            citada=citada,
        )

    nome = m.pushName or None
    msg = m.message
    if isinstance(msg.get("conversation"), str):
        return nova(TipoConteudo.text, msg["conversation"], ConteudoTexto(push_name=nome))
    extended = msg.get("extendedTextMessage")
    if isinstance(extended, dict) and isinstance(extended.get("text"), str):
        return nova(
            TipoConteudo.text,
            extended["text"],
            ConteudoTexto(push_name=nome),
            citada=_citada(extended),
        )
    resposta = _resposta(msg)
    if resposta is not None:
        toque = ConteudoResposta(push_name=nome, resposta=resposta)
        return nova(TipoConteudo.interactive, resposta.titulo, toque, citada=resposta.em_resposta_a)
    com_legenda = msg.get("documentWithCaptionMessage")
    if isinstance(com_legenda, dict):
        interno = com_legenda.get("message")
        if isinstance(interno, dict):
            msg = interno
    for chave_midia, tipo_conteudo in _MEDIA.items():
        midia = msg.get(chave_midia)
        if isinstance(midia, dict):
            chaves = {"tipo": chave_midia, **{k: midia[k] for k in _CAMPOS_MIDIA if k in midia}}
            conteudo = ConteudoMidia(
                push_name=nome,
                nome_arquivo=_nome_arquivo(midia),
                midia=chaves,
                midia_status="baixando",
            )
            caption = _texto(midia.get("caption"))
            return nova(tipo_conteudo, caption, conteudo, caption, _citada(midia))
    return Ignorado(f"tipo de mensagem não tratado: {m.messageType}")


def _nome_arquivo(midia: dict[str, Any]) -> str | None:
    """A document's own name, made safe to show and to download under (the extension
    follows the type WhatsApp declares)."""
    original = midia.get("fileName")
    if not isinstance(original, str) or not original.strip():
        return None
    nome = arquivos.nome_exibicao(original, str(midia.get("mimetype") or ""))
    # A type we keep no extension for (a zip, say): the contractor's own stays.
    extensao = re.search(r"\.[A-Za-z0-9]{1,5}$", original.strip())
    if nome.endswith(".bin") and extensao:
        nome = nome.removesuffix(".bin") + extensao.group(0).lower()
    return nome


def _resposta(msg: dict[str, Any]) -> Resposta | None:
    """A tapped reply button or list row: its id, the title the contractor saw and,
    when WhatsApp quotes it, the id of the message that carried the options."""
    resposta: dict[str, Any] | None = None
    origem: dict[str, Any] = {}
    botao = msg.get("buttonsResponseMessage")
    template = msg.get("templateButtonReplyMessage")
    lista = msg.get("listResponseMessage")
    if isinstance(botao, dict) and botao.get("selectedButtonId"):
        origem = botao
        resposta = {
            "tipo": "botao",
            "id": str(botao["selectedButtonId"]),
            "titulo": str(botao.get("selectedDisplayText") or botao["selectedButtonId"]),
        }
    elif isinstance(template, dict) and template.get("selectedId"):
        origem = template
        resposta = {
            "tipo": "botao",
            "id": str(template["selectedId"]),
            "titulo": str(template.get("selectedDisplayText") or template["selectedId"]),
        }
    elif isinstance(lista, dict):
        selecao = lista.get("singleSelectReply")
        row_id = selecao.get("selectedRowId") if isinstance(selecao, dict) else None
        if row_id:
            origem = lista
            resposta = {
                "tipo": "lista",
                "id": str(row_id),
                "titulo": str(lista.get("title") or row_id),
            }
    if resposta is None:
        return None
    contexto = origem.get("contextInfo")
    citada = contexto.get("stanzaId") if isinstance(contexto, dict) else None
    if isinstance(citada, str) and citada:
        resposta["em_resposta_a"] = citada[:128]
    return Resposta.model_validate(resposta)


StatusSimples = Literal["delivered", "read", "failed"]
STATUS_SIMPLES: dict[str, StatusEnvio] = {
    "delivered": StatusEnvio.entregue,
    "read": StatusEnvio.lido,
    "failed": StatusEnvio.falhou,
}


class StatusWebhookIn(BaseModel):
    """The original GMM design's receipt shape."""

    model_config = ConfigDict(extra="forbid")

    message_id: str = Field(min_length=1, max_length=128)
    status: StatusSimples
    timestamp: DataHora | StrictInt | None = None

    def quando(self) -> datetime | None:
        # Out of range (1e20, a date in year 1): the receipt counts from its arrival.
        return instante(self.timestamp)
