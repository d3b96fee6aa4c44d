"""The JSON bodies MegaAPI posts to the webhook (docs/megaapi-contrato.md, "Webhooks"),
built from a request.

Shapes follow docs/megaapi-contrato.md and MegaAPI's published samples: every event carries the
instance's ``instance_key`` and ``jid``; messages carry ``key``, ``messageTimestamp``,
``pushName``, ``broadcast`` and ``message``, where ``message`` holds the content plus
the ``messageContextInfo`` WhatsApp attaches to everything a phone sends.

Replies, reactions, edits, deletes and ``@lid`` identities are not in MegaAPI's
published samples: they follow the Baileys conventions the contract assumes
("Replies, reactions, edits and identities"), so the product can be tested against
each shape before a real phone sends one.
"""

from __future__ import annotations

import base64
import hashlib
import io
import math
import secrets
import time
import wave
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gmm.megaapi_sim.media import sample_for
from gmm.megaapi_sim.state import SIM_JID, SIM_USER, IssuedMedia, new_message_id

MediaKind = Literal["image", "audio", "video", "document", "sticker"]

# The known reply type is "messageContextInfo"; the others are what docs/megaapi-contrato.md
# assumes MegaAPI may send too, so the product can be tested against each.
ButtonMessageType = Literal[
    "messageContextInfo", "buttonsResponseMessage", "templateButtonReplyMessage"
]
ListMessageType = Literal["messageContextInfo", "listResponseMessage"]
ConnectionState = Literal["open", "connecting", "close"]
JidDomain = Literal["s.whatsapp.net", "c.us"]
# Where Baileys puts the phone of a contact known by an opaque @lid id.
PhoneField = Literal["senderPn", "remoteJidAlt", "participantPn"]
EditMessageType = Literal["protocolMessage", "editedMessage"]

DEFAULT_PUSH_NAME = "Terceirizado (simulado)"
_PHONE = r"^\d{10,15}$"
_LID = r"^\d{5,20}$"
# protocolMessage.type values (WAProto's ProtocolMessage.Type).
REVOKE = 0
MESSAGE_EDIT = 14


# -- what /_sim/inbound accepts ------------------------------------------------------


class _FromPhone(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    phone: str = Field(alias="from", pattern=_PHONE, description="dígitos com DDI (5511999999999)")
    push_name: str | None = Field(
        DEFAULT_PUSH_NAME, max_length=100, description="null: sem pushName"
    )
    id: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="id da mensagem; omitido, um novo (repetir um id simula reentrega)",
    )
    jid_domain: JidDomain = Field(
        "s.whatsapp.net", description="domínio do key.remoteJid (sem lid): @s.whatsapp.net ou @c.us"
    )
    lid: str | None = Field(
        None,
        pattern=_LID,
        description="id opaco do contato: key.remoteJid vira <lid>@lid e o telefone vai em "
        "phone_field",
    )
    phone_field: PhoneField | None = Field(
        "senderPn",
        description="com lid, onde vai <telefone>@s.whatsapp.net: key.senderPn, "
        "key.remoteJidAlt ou participantPn (no evento); null: o telefone não vem",
    )


class _Reply(BaseModel):
    reply_to: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="id da mensagem citada (contextInfo.stanzaId)",
    )
    quoted_text: str | None = Field(
        None, max_length=4096, description="texto da mensagem citada (contextInfo.quotedMessage)"
    )

    @model_validator(mode="after")
    def _quoted_text_needs_reply_to(self) -> _Reply:
        if self.quoted_text is not None and self.reply_to is None:
            raise ValueError("quoted_text só vale com reply_to")
        return self


class TextInbound(_FromPhone, _Reply):
    type: Literal["text"]
    text: str = Field(min_length=1, max_length=4096)
    extended: bool = Field(
        False, description="extendedTextMessage em vez de conversation (com reply_to, sempre)"
    )


class ButtonInbound(_FromPhone):
    type: Literal["button"]
    button_id: str = Field(min_length=1, max_length=256)
    button_text: str = Field(min_length=1, max_length=256)
    message_type: ButtonMessageType = "messageContextInfo"
    reply_to: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="id da mensagem com os botões (vai em contextInfo.stanzaId, como no WhatsApp)",
    )


class ListInbound(_FromPhone):
    type: Literal["list"]
    row_id: str = Field(min_length=1, max_length=256)
    title: str = Field(min_length=1, max_length=256)
    description: str | None = Field(None, max_length=256)
    message_type: ListMessageType = "messageContextInfo"
    reply_to: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="id da mensagem com a lista (vai em contextInfo.stanzaId)",
    )


class MediaInbound(_FromPhone, _Reply):
    type: Literal["media"]
    media: MediaKind
    caption: str | None = Field(None, max_length=1024)
    file_name: str | None = Field(None, min_length=1, max_length=255)
    ptt: bool = Field(False, description="áudio gravado no app (nota de voz)")
    document_with_caption: bool = Field(
        False, description="documento dentro de documentWithCaptionMessage"
    )

    @model_validator(mode="after")
    def _fields_fit_the_media(self) -> MediaInbound:
        # WhatsApp has no such messages; refusing them keeps tests honest.
        if self.caption is not None and self.media in ("audio", "sticker"):
            raise ValueError(f"{self.media} não tem legenda")
        if self.file_name is not None and self.media != "document":
            raise ValueError("file_name só vale para document")
        if self.ptt and self.media != "audio":
            raise ValueError("ptt só vale para audio")
        if self.document_with_caption and self.media != "document":
            raise ValueError("document_with_caption só vale para document")
        return self


class ConnectionInbound(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["connection"]
    state: ConnectionState = "close"
    reason: str | None = Field(None, max_length=300)


class EchoInbound(_FromPhone):
    """A message the instance itself sent (from the phone or the API), echoed back."""

    type: Literal["echo"]
    text: str = Field(min_length=1, max_length=4096)
    push_name: str | None = Field(SIM_USER["name"], max_length=100)


class ReactionInbound(_FromPhone):
    type: Literal["reaction"]
    target_id: str = Field(min_length=1, max_length=128, description="id da mensagem reagida")
    emoji: str = Field(max_length=16, description='"" desfaz a reação')
    target_from_me: bool = Field(True, description="a mensagem reagida é nossa")


class EditInbound(_FromPhone):
    type: Literal["edit"]
    target_id: str = Field(min_length=1, max_length=128, description="id da mensagem editada")
    text: str = Field(min_length=1, max_length=4096, description="o texto novo")
    message_type: EditMessageType = Field(
        "protocolMessage", description="editedMessage: a forma embrulhada do Baileys"
    )


class DeleteInbound(_FromPhone):
    """The contact deleted one of its messages for everyone (REVOKE)."""

    type: Literal["delete"]
    target_id: str = Field(min_length=1, max_length=128, description="id da mensagem apagada")


InboundRequest = Annotated[
    TextInbound
    | ButtonInbound
    | ListInbound
    | MediaInbound
    | ConnectionInbound
    | EchoInbound
    | ReactionInbound
    | EditInbound
    | DeleteInbound,
    Field(discriminator="type"),
]


@dataclass(frozen=True)
class Inbound:
    message_id: str | None  # None for connection events
    payload: dict[str, Any]
    # The file a media message announces, under its mediaKey.
    media: tuple[str, IssuedMedia] | None = None


# -- payloads ------------------------------------------------------------------------


def ack(instance_key: str, remote_jid: str, message_id: str, status: int) -> dict[str, Any]:
    """``message.ack`` for one of our sends: 0 error, 2 server, 3 delivered, 4 read."""
    return {
        "instance_key": instance_key,
        "jid": SIM_JID,
        "messageType": "message.ack",
        "key": {"remoteJid": remote_jid, "fromMe": True, "id": message_id},
        "update": {"status": status},
    }


def inbound(request: InboundRequest, instance_key: str) -> Inbound:
    """The webhook body for what /_sim/inbound asked."""
    if isinstance(request, ConnectionInbound):
        return Inbound(None, _connection(request, instance_key))
    message_id = request.id or new_message_id()
    now_ms = int(time.time() * 1000)
    now = now_ms // 1000
    remote_jid, key_extra, event_extra = _identity(request)
    media: tuple[str, IssuedMedia] | None = None
    from_me = False
    if isinstance(request, TextInbound):
        content: str | dict[str, Any] = request.text
        message_type = "conversation"
        if request.reply_to is not None:
            # WhatsApp only quotes in extended texts.
            message_type = "extendedTextMessage"
            content = {"text": request.text, "contextInfo": _reply_context(request)}
        elif request.extended:
            message_type, content = "extendedTextMessage", {"text": request.text}
        message = _message({message_type: content}, now)
    elif isinstance(request, ButtonInbound):
        message_type, message = _button(request, now)
    elif isinstance(request, ListInbound):
        message_type = request.message_type
        reply: dict[str, Any] = {
            "title": request.title,
            "listType": 1,  # SINGLE_SELECT
            "singleSelectReply": {"selectedRowId": request.row_id},
        }
        if request.description is not None:
            reply["description"] = request.description
        reply |= _quoted(request.reply_to)
        message = _message({"listResponseMessage": reply}, now, first=message_type)
    elif isinstance(request, MediaInbound):
        message_type, message, media = _media(request, now)
    elif isinstance(request, ReactionInbound):
        message_type = "reactionMessage"
        reaction = {
            "key": {
                "remoteJid": remote_jid,
                "fromMe": request.target_from_me,
                "id": request.target_id,
            },
            "text": request.emoji,
            "senderTimestampMs": now_ms,
        }
        message = _message({"reactionMessage": reaction}, now)
    elif isinstance(request, EditInbound):
        message_type = request.message_type
        protocol = {
            "key": _target_key(remote_jid, request.target_id),
            "type": MESSAGE_EDIT,
            "editedMessage": {"conversation": request.text},
            "timestampMs": now_ms,
        }
        if message_type == "editedMessage":
            message = _message({"editedMessage": {"message": {"protocolMessage": protocol}}}, now)
        else:
            message = _message({"protocolMessage": protocol}, now)
    elif isinstance(request, DeleteInbound):
        message_type = "protocolMessage"
        revoke = {"key": _target_key(remote_jid, request.target_id), "type": REVOKE}
        message = _message({"protocolMessage": revoke}, now)
    else:
        from_me = True
        message_type, message = "conversation", _message({"conversation": request.text}, now)
    payload: dict[str, Any] = {
        "instance_key": instance_key,
        "jid": SIM_JID,
        "messageType": message_type,
        "key": {"remoteJid": remote_jid, "fromMe": from_me, "id": message_id, **key_extra},
        **event_extra,
        "messageTimestamp": now,
    }
    if request.push_name is not None:
        payload["pushName"] = request.push_name
    payload["broadcast"] = False
    payload["message"] = message
    return Inbound(message_id, payload, media)


def _identity(request: _FromPhone) -> tuple[str, dict[str, str], dict[str, str]]:
    """The chat's remoteJid, and the phone's field for key and for the event, if any."""
    if request.lid is None:
        return f"{request.phone}@{request.jid_domain}", {}, {}
    lid_jid, where = f"{request.lid}@lid", request.phone_field
    if where is None:
        return lid_jid, {}, {}
    phone: dict[str, str] = {where: f"{request.phone}@s.whatsapp.net"}
    # participantPn belongs to the event, the other two to its key (Baileys' places).
    if where == "participantPn":
        return lid_jid, {}, phone
    return lid_jid, phone, {}


def _target_key(remote_jid: str, target_id: str) -> dict[str, Any]:
    # An edit or delete by the contact always concerns one of its own messages.
    return {"remoteJid": remote_jid, "fromMe": False, "id": target_id}


def _connection(request: ConnectionInbound, instance_key: str) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "instance_key": instance_key,
        "jid": SIM_JID,
        "messageType": "connection_update",
        "connection_state": request.state,
    }
    if request.reason is not None:
        payload["closeReason"] = request.reason
    return payload


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _context_info(now: int) -> dict[str, Any]:
    return {
        "deviceListMetadata": {
            "senderKeyHash": _b64(secrets.token_bytes(10)),
            "senderTimestamp": str(now),
            "recipientKeyHash": _b64(secrets.token_bytes(10)),
            "recipientTimestamp": str(now),
        },
        "deviceListMetadataVersion": 2,
    }


def _message(content: dict[str, Any], now: int, *, first: str = "") -> dict[str, Any]:
    # MegaAPI names a message after the first key of ``message``: replies come as
    # "messageContextInfo" because that key comes first in them.
    if first == "messageContextInfo":
        return {"messageContextInfo": _context_info(now), **content}
    return {**content, "messageContextInfo": _context_info(now)}


def _quoted(reply_to: str | None) -> dict[str, Any]:
    """The contextInfo WhatsApp puts in a reply: which message it answers."""
    if reply_to is None:
        return {}
    return {"contextInfo": {"stanzaId": reply_to, "participant": SIM_JID}}


def _reply_context(request: _Reply) -> dict[str, Any]:
    """A quoting reply's contextInfo: the quoted id, its author (us) and its content."""
    return {
        "stanzaId": request.reply_to,
        "participant": SIM_JID,
        "quotedMessage": {"conversation": request.quoted_text or ""},
    }


def _button(request: ButtonInbound, now: int) -> tuple[str, dict[str, Any]]:
    if request.message_type == "templateButtonReplyMessage":
        # What WhatsApp sends for a tap on a template's quick-reply button.
        reply = {
            "templateButtonReplyMessage": {
                "selectedId": request.button_id,
                "selectedDisplayText": request.button_text,
                "selectedIndex": 0,
                **_quoted(request.reply_to),
            }
        }
        return request.message_type, _message(reply, now)
    response = {
        "buttonsResponseMessage": {
            "selectedButtonId": request.button_id,
            "selectedDisplayText": request.button_text,
            "type": 1,  # DISPLAY_TEXT
            **_quoted(request.reply_to),
        }
    }
    return request.message_type, _message(response, now, first=request.message_type)


# Per kind: the key under ``message``, the MIME type announced, the CDN folder.
# The announced type is the one downloadMediaMessage answers with, so the product
# sees one type for one file (video excepted: see sample_for).
_MEDIA: dict[str, tuple[str, str, str]] = {
    "image": ("imageMessage", "image/png", "t62.7118-24"),
    "audio": ("audioMessage", "audio/wav", "t62.7117-24"),
    "video": ("videoMessage", "video/mp4", "t62.7161-24"),
    "document": ("documentMessage", "application/pdf", "t62.7119-24"),
    "sticker": ("stickerMessage", "image/webp", "t62.15575-24"),
}


def _media(request: MediaInbound, now: int) -> tuple[str, dict[str, Any], tuple[str, IssuedMedia]]:
    message_key, mimetype, folder = _MEDIA[request.media]
    file_mime, content = sample_for(mimetype, message_key)
    expiry = format(now + 30 * 24 * 3600, "x").upper()
    direct_path = (
        f"/v/{folder}/{secrets.randbelow(10**8)}_{secrets.randbelow(10**16)}_n.enc"
        f"?ccb=11-4&oh=01_{secrets.token_urlsafe(30)}&oe={expiry}"
    )
    media_key = _b64(secrets.token_bytes(32))
    # Field order and spelling as in MegaAPI's samples (lengths and times as strings).
    fields: dict[str, Any] = {
        "url": f"https://mmg.whatsapp.net{direct_path}&mms3=true",
        "mimetype": mimetype,
        "fileSha256": _b64(hashlib.sha256(content).digest()),
        "fileLength": str(len(content)),
        "mediaKey": media_key,
        "fileEncSha256": _b64(secrets.token_bytes(32)),
        "directPath": direct_path,
        "mediaKeyTimestamp": str(now),
    }
    if request.media in ("image", "video", "sticker"):
        fields |= {"height": 1, "width": 1}
    if request.media == "audio":
        # The sample WAV lasts a fraction of a second; WhatsApp rounds up.
        fields |= {"seconds": math.ceil(_wav_seconds(content)), "ptt": request.ptt}
    if request.media == "video":
        fields["seconds"] = 1
    if request.media == "sticker":
        fields["isAnimated"] = False
    if request.media == "document":
        file_name = request.file_name or "documento.pdf"
        fields |= {"fileName": file_name, "title": file_name, "pageCount": 1}
    if request.caption is not None:
        fields["caption"] = request.caption
    if request.reply_to is not None:
        fields["contextInfo"] = _reply_context(request)
    content_part: dict[str, Any] = {message_key: fields}
    message_type = message_key
    if request.document_with_caption:
        message_type = "documentWithCaptionMessage"
        content_part = {"documentWithCaptionMessage": {"message": content_part}}
    issued = IssuedMedia(direct_path, file_mime, content)
    return message_type, _message(content_part, now), (media_key, issued)


def _wav_seconds(content: bytes) -> float:
    with wave.open(io.BytesIO(content)) as audio:
        frames: int = audio.getnframes()
        rate: int = audio.getframerate()
    return frames / rate
