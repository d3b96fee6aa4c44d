"""The JSON bodies MegaAPI posts to the webhook (docs/megaapi-contrato.md, "Webhooks"),
built from a request.

Shapes follow docs/megaapi-contrato.md and MegaAPI's published samples: every event carries the
instance's ``instance_key`` and ``jid``; messages carry ``key``, ``messageTimestamp``,
``pushName``, ``broadcast`` and ``message``, where ``message`` holds the content plus
the ``messageContextInfo`` WhatsApp attaches to everything a phone sends.
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

DEFAULT_PUSH_NAME = "Terceirizado (simulado)"
_PHONE = r"^\d{10,15}$"


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


class TextInbound(_FromPhone):
    type: Literal["text"]
    text: str = Field(min_length=1, max_length=4096)
    extended: bool = Field(False, description="extendedTextMessage em vez de conversation")


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


class MediaInbound(_FromPhone):
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


InboundRequest = Annotated[
    TextInbound | ButtonInbound | ListInbound | MediaInbound | ConnectionInbound | EchoInbound,
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
    now = int(time.time())
    media: tuple[str, IssuedMedia] | None = None
    from_me = False
    if isinstance(request, TextInbound):
        content: str | dict[str, str] = request.text
        message_type = "conversation"
        if request.extended:
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
    else:
        from_me = True
        message_type, message = "conversation", _message({"conversation": request.text}, now)
    payload: dict[str, Any] = {
        "instance_key": instance_key,
        "jid": SIM_JID,
        "messageType": message_type,
        "key": {
            "remoteJid": f"{request.phone}@s.whatsapp.net",
            "fromMe": from_me,
            "id": message_id,
        },
        "messageTimestamp": now,
    }
    if request.push_name is not None:
        payload["pushName"] = request.push_name
    payload["broadcast"] = False
    payload["message"] = message
    return Inbound(message_id, payload, media)


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
