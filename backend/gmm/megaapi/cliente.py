"""MegaAPI HTTP client: the one piece of code that talks to the WhatsApp gateway.

Paths, bodies and answers follow docs/megaapi-contrato.md. Every call goes through
``MegaAPIClient._call``, which turns whatever went wrong into one of two errors:

- ``MegaAPITransientError``: worth retrying later (5xx, 408, 429, timeouts,
  connection failures). A timeout on a send does not prove the message was not
  delivered; the worker's retry accepts that small risk rather than lose it.
- ``MegaAPIPermanentError``: retrying cannot help (other 4xx, ``{"error": true}``
  with 200, answers we cannot read). The reason is meant for an operator.

The token never reaches a log line, an exception message or a repr.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, TypedDict
from urllib.parse import quote

import httpx

from gmm.core.metricas import MEGAAPI_LATENCIA

log = logging.getLogger(__name__)

# WhatsApp's ceiling for a file sent inline; the gateway answers 413 above it,
# so it is cheaper to refuse before encoding and uploading 16 MB for nothing.
MAX_INLINE_MEDIA_BYTES = 16 * 1024 * 1024
# A reason ends up in a database column and on an operator's screen.
REASON_MAX_CHARS = 300
# Unreachable hosts should fail fast even when the answer may legitimately take
# long (a big upload), so connecting gets less time than the rest.
CONNECT_TIMEOUT_MAX_S = 5.0

MediaType = Literal["image", "video", "audio", "ptt", "document"]

# MegaAPI's clients expose a "quote message" operation (a text that quotes another
# message), but its path is not in MegaAPI's published docs. It is assumed to sit
# beside the other sends; if the real gateway names it otherwise, this line is the
# one to change (the simulator mirrors it: gmm/megaapi_sim/app.py).
QUOTE_MESSAGE_PATH = "/rest/sendMessage/{instance_key}/quoteMessage"


@dataclass(frozen=True)
class MegaAPICredentials:
    base_url: str
    instance_key: str
    token: str = field(repr=False)


class MegaAPIError(Exception):
    """A call to MegaAPI that did not do what was asked; ``reason`` is plain Portuguese."""

    transient: bool = False

    def __init__(self, reason: str, status_code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code

    def __reduce__(self) -> tuple[type[MegaAPIError], tuple[str, int | None]]:
        # arq pickles a failed job's exception; keep the status code across it.
        return (type(self), (self.reason, self.status_code))

    @property
    def categoria(self) -> str:
        """The failure's kind, for counting: a handful of values, never free text."""
        status = self.status_code
        if status is None:
            texto = self.reason
            if "a tempo" in texto:
                return "timeout"
            if "conexão" in texto:
                return "conexao"
            return "outro"
        if status == 429:
            return "http_429"
        if status >= 500 or status == 408:
            return "http_5xx"
        if 400 <= status < 500:
            return "http_4xx"
        return "resposta_invalida"


class MegaAPITransientError(MegaAPIError):
    transient = True


class MegaAPIPermanentError(MegaAPIError):
    transient = False


class ListRow(NamedTuple):
    title: str
    description: str
    row_id: str


class QuotedMessage(NamedTuple):
    """The message a quoted send points at, as WhatsApp identifies it."""

    remote_jid: str  # the chat, e.g. "5511987654321@s.whatsapp.net"
    from_me: bool  # True when the quoted message is one of ours
    id: str  # the quoted message's MegaAPI id
    text: str  # its text ("" for media without caption)


@dataclass(frozen=True)
class ListSection:
    title: str
    # A plain (title, description, row_id) tuple is a ListRow too.
    rows: Sequence[tuple[str, str, str]]


class MediaKeys(TypedDict):
    """What downloadMediaMessage needs, copied from the inbound webhook's ``message.<type>``.

    Keys are spelled as the gateway spells them: the dict goes out as is.
    """

    mediaKey: str
    directPath: str
    url: str
    mimetype: str
    messageType: str


@dataclass(frozen=True)
class OnWhatsApp:
    exists: bool
    jid: str | None


@dataclass(frozen=True)
class InstanceStatus:
    key: str | None
    status: str | None
    raw: dict[str, Any]


@dataclass(frozen=True)
class DownloadedMedia:
    mime_type: str
    data: bytes = field(repr=False)


_DATA_URL = re.compile(r"data:(?P<mime>[^,]*?);base64,(?P<data>.*)", re.DOTALL)


def mask_phone(to: str | None) -> str:
    """Keep the last 4 digits: enough to tell numbers apart in a log, not to dial one."""
    if not to:
        return "-"
    local, at, domain = to.partition("@")
    return "*" * max(len(local) - 4, 0) + local[-4:] + at + domain


def _truncate(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= REASON_MAX_CHARS:
        return text
    return text[: REASON_MAX_CHARS - 1] + "…"


def _gateway_message(body: Any, response: httpx.Response) -> str | None:
    """The gateway's own words about the failure, when it gave any."""
    if isinstance(body, dict) and body.get("message") not in (None, ""):
        message = body["message"]
        return _truncate(message if isinstance(message, str) else json.dumps(message))
    if body is None:
        # A proxy's HTML error page says nothing an operator can use.
        text = response.text.strip()
        if text and not text.startswith("<"):
            return _truncate(text)
    return None


def _status_reason(status: int) -> str:
    if status == 401:
        return "a MegaAPI recusou o token (HTTP 401)"
    if status == 404:
        return "instância ou endereço da MegaAPI não encontrado (HTTP 404)"
    if status == 413:
        return "arquivo grande demais para a MegaAPI (HTTP 413)"
    if status == 408:
        return "a MegaAPI desistiu de esperar o pedido (HTTP 408)"
    if status == 429:
        return "a MegaAPI pediu para diminuir o ritmo de envios (HTTP 429)"
    if status >= 500:
        return f"a MegaAPI está com falha (HTTP {status})"
    if status >= 400:
        return f"a MegaAPI recusou o pedido (HTTP {status})"
    return f"resposta inesperada da MegaAPI (HTTP {status})"


def _timeout_phase(exc: httpx.TimeoutException) -> str:
    if isinstance(exc, httpx.ConnectTimeout):
        return "ao conectar"
    if isinstance(exc, httpx.WriteTimeout):
        return "enviando o pedido"
    if isinstance(exc, httpx.PoolTimeout):
        return "esperando uma conexão livre"
    return "esperando a resposta"


def _message_id(body: dict[str, Any]) -> str:
    message_data = body.get("messageData")
    key = message_data.get("key") if isinstance(message_data, dict) else None
    message_id = key.get("id") if isinstance(key, dict) else None
    if not isinstance(message_id, str) or not message_id:
        raise MegaAPIPermanentError(
            "a MegaAPI respondeu ao envio sem messageData.key.id: não há como saber "
            "qual mensagem foi criada"
        )
    return message_id


def _decode_data_url(data: Any) -> DownloadedMedia:
    if not isinstance(data, str):
        raise MegaAPIPermanentError("a MegaAPI respondeu ao download sem o campo data")
    match = _DATA_URL.fullmatch(data.strip())
    if match is None:
        raise MegaAPIPermanentError(
            "a MegaAPI respondeu ao download com um data que não é data:<tipo>;base64,..."
        )
    try:
        content = base64.b64decode("".join(match["data"].split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise MegaAPIPermanentError(
            "a MegaAPI respondeu ao download com um base64 inválido"
        ) from exc
    return DownloadedMedia(
        mime_type=match["mime"].strip() or "application/octet-stream", data=content
    )


class MegaAPIClient:
    """One pooled HTTP client per credential set; cheap to keep for the whole process."""

    def __init__(
        self,
        credentials: MegaAPICredentials,
        *,
        timeout: float = 15.0,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self._credentials = credentials
        self._base_url = credentials.base_url.rstrip("/")
        self._instance = quote(credentials.instance_key, safe="")
        # Applied per request, so a caller-supplied client gets the same limits.
        self._timeout = httpx.Timeout(
            timeout,
            connect=min(timeout, CONNECT_TIMEOUT_MAX_S),
            read=timeout,
            write=timeout,
            pool=timeout,
        )
        self._headers = {
            "Authorization": f"Bearer {credentials.token}",
            "Content-Type": "application/json",
        }
        self._owns_http = http is None
        self._http = http if http is not None else httpx.AsyncClient(timeout=self._timeout)

    def __repr__(self) -> str:
        return f"MegaAPIClient(base_url={self._base_url!r}, instance_key={self._instance!r})"

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    # -- sends ---------------------------------------------------------------

    async def send_text(self, to: str, text: str) -> str:
        return await self._send(
            self._send_path("text"), to, {"to": to, "text": text}, what="envio de texto"
        )

    async def send_quoted_text(self, to: str, text: str, quoted: QuotedMessage) -> str:
        """A text that shows ``quoted`` above it on the contact's phone.

        WhatsApp renders the quote from ``message``, so the quoted text travels along
        with the key. A gateway without the operation answers 404, which comes out as
        MegaAPIPermanentError: the caller's cue to fall back to a plain text.
        """
        message_data = {
            "to": to,
            "text": text,
            "key": {"remoteJid": quoted.remote_jid, "fromMe": quoted.from_me, "id": quoted.id},
            "message": {"conversation": quoted.text},
        }
        path = QUOTE_MESSAGE_PATH.format(instance_key=self._instance)
        return await self._send(path, to, message_data, what="envio de texto citando mensagem")

    async def send_media_url(
        self,
        to: str,
        *,
        url: str,
        file_name: str,
        media_type: MediaType,
        mime_type: str,
        caption: str | None = None,
    ) -> str:
        message_data: dict[str, Any] = {
            "to": to,
            "url": url,
            "fileName": file_name,
            "type": media_type,
            "mimeType": mime_type,
        }
        if caption is not None:
            message_data["caption"] = caption
        return await self._send(
            self._send_path("mediaUrl"), to, message_data, what="envio de mídia por URL"
        )

    async def send_media_base64(
        self,
        to: str,
        *,
        data: bytes,
        file_name: str,
        media_type: MediaType,
        mime_type: str,
        caption: str | None = None,
    ) -> str:
        """Send a file inline. ``base64`` goes as a data URL (``data:<mime>;base64,...``).

        docs/megaapi-contrato.md gives downloadMediaMessage's answer in that form and the send
        as its mirror; the data URL also carries the MIME type with the bytes.
        """
        if len(data) > MAX_INLINE_MEDIA_BYTES:
            raise MegaAPIPermanentError(
                f"arquivo de {len(data) / 1024 / 1024:.1f} MB passa do limite de 16 MB "
                "para envio direto; envie por URL"
            )
        encoded = base64.b64encode(data).decode("ascii")
        message_data: dict[str, Any] = {
            "to": to,
            "base64": f"data:{mime_type};base64,{encoded}",
            "fileName": file_name,
            "type": media_type,
            "mimeType": mime_type,
        }
        if caption is not None:
            message_data["caption"] = caption
        return await self._send(
            self._send_path("mediaBase64"), to, message_data, what="envio de mídia"
        )

    async def send_list(
        self,
        to: str,
        *,
        button_text: str,
        text: str,
        title: str,
        description: str,
        sections: Sequence[ListSection],
    ) -> str:
        message_data = {
            "to": to,
            "buttonText": button_text,
            "text": text,
            "title": title,
            "description": description,
            "sections": [
                {
                    "title": section.title,
                    "rows": [
                        {"title": row_title, "description": row_description, "rowId": row_id}
                        for row_title, row_description, row_id in section.rows
                    ],
                }
                for section in sections
            ],
            "listType": 0,
        }
        return await self._send(
            self._send_path("listMessage"), to, message_data, what="envio de lista"
        )

    async def send_buttons(
        self, to: str, *, text: str, footer_text: str, buttons: Sequence[str]
    ) -> str:
        message_data = {
            "to": to,
            "text": text,
            "footerText": footer_text,
            "buttons": [{"type": "replyButton", "title": title} for title in buttons],
        }
        return await self._send(
            self._send_path("templateMessage"), to, message_data, what="envio de botões"
        )

    def _send_path(self, kind: str) -> str:
        return f"/rest/sendMessage/{self._instance}/{kind}"

    async def _send(self, path: str, to: str, message_data: dict[str, Any], *, what: str) -> str:
        body = await self._call(
            "POST",
            path,
            what=what,
            to=to,
            json_body={"messageData": message_data},
        )
        message_id = _message_id(body)
        log.debug("MegaAPI %s para %s: id %s", what, mask_phone(to), message_id)
        return message_id

    # -- instance ------------------------------------------------------------

    async def is_on_whatsapp(self, phone_digits: str) -> OnWhatsApp:
        digits = re.sub(r"\D", "", phone_digits)
        if not digits:
            raise MegaAPIPermanentError("número de telefone sem dígitos")
        body = await self._call(
            "GET",
            f"/rest/instance/isOnWhatsApp/{self._instance}",
            what="consulta de número",
            to=digits,
            params={"jid": f"{digits}@s.whatsapp.net"},
        )
        exists = body.get("exists")
        if not isinstance(exists, bool):
            raise MegaAPIPermanentError(
                "a MegaAPI respondeu à consulta de número sem dizer se ele existe (exists)"
            )
        jid = body.get("jid")
        return OnWhatsApp(exists=exists, jid=jid if isinstance(jid, str) and jid else None)

    async def instance_status(self) -> InstanceStatus:
        body = await self._call("GET", f"/rest/instance/{self._instance}", what="estado")
        instance = body.get("instance")
        if not isinstance(instance, dict):
            instance = {}
        key, status = instance.get("key"), instance.get("status")
        return InstanceStatus(
            key=key if isinstance(key, str) else None,
            status=status if isinstance(status, str) else None,
            raw=body,
        )

    async def download_media(self, message_keys: MediaKeys) -> DownloadedMedia:
        body = await self._call(
            "POST",
            f"/rest/instance/downloadMediaMessage/{self._instance}",
            what="download de mídia",
            json_body={"messageKeys": dict(message_keys)},
        )
        media = _decode_data_url(body.get("data"))
        log.debug("MegaAPI download de mídia: %s, %d bytes", media.mime_type, len(media.data))
        return media

    # -- the one door --------------------------------------------------------

    async def _call(
        self,
        method: Literal["GET", "POST"],
        path: str,
        *,
        what: str,
        to: str | None = None,
        json_body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """Make the request and answer its JSON object, or raise a classified MegaAPIError."""
        log.debug("MegaAPI %s: %s %s (para %s)", what, method, path, mask_phone(to))
        started = time.perf_counter()
        try:
            response = await self._http.request(
                method,
                self._base_url + path,
                json=json_body,
                params=params,
                headers=self._headers,
                timeout=self._timeout,
            )
        except httpx.TimeoutException as exc:
            raise self._error(
                MegaAPITransientError,
                f"a MegaAPI não respondeu a tempo ({_timeout_phase(exc)}, {what})",
            ) from exc
        except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError) as exc:
            raise self._error(
                MegaAPITransientError, f"falha de conexão com a MegaAPI ({what}): {exc}"
            ) from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            # A malformed base URL or protocol: configuration, not a passing fault.
            raise self._error(
                MegaAPIPermanentError, f"pedido à MegaAPI impossível ({what}): {exc}"
            ) from exc

        status = response.status_code
        decorrido = time.perf_counter() - started
        MEGAAPI_LATENCIA.labels(what).observe(decorrido)
        log.debug("MegaAPI %s: HTTP %d em %.0f ms", what, status, decorrido * 1000)
        try:
            body: Any = response.json()
        except ValueError:
            body = None
        gateway_message = _gateway_message(body, response)

        if status >= 500 or status in (408, 429):
            raise self._error(
                MegaAPITransientError, _status_reason(status), gateway_message, status
            )
        if not 200 <= status < 300:
            raise self._error(
                MegaAPIPermanentError, _status_reason(status), gateway_message, status
            )
        if body is None:
            raise self._error(
                MegaAPIPermanentError,
                f"a MegaAPI respondeu algo que não é JSON ({what})",
                None,
                status,
            )
        if not isinstance(body, dict):
            raise self._error(
                MegaAPIPermanentError,
                f"resposta da MegaAPI em formato inesperado ({what})",
                None,
                status,
            )
        if body.get("error") is True:
            raise self._error(
                MegaAPIPermanentError,
                f"a MegaAPI recusou o pedido ({what})",
                gateway_message,
                status,
            )
        return body

    def _error(
        self,
        cls: type[MegaAPIError],
        reason: str,
        gateway_message: str | None = None,
        status_code: int | None = None,
    ) -> MegaAPIError:
        if gateway_message:
            reason = f"{reason}: {gateway_message}"
        # A gateway may echo a rejected token back in its message.
        if self._credentials.token:
            reason = reason.replace(self._credentials.token, "***")
        return cls(reason, status_code)
