"""A MegaAPI stand-in: the gateway's paths, auth and answers (docs/megaapi-contrato.md),
plus a remote control.

Gateway side (``/rest/...``): Bearer token (401 otherwise), one instance key (404
otherwise), bodies checked the way the gateway would (400, 413), answers shaped
like the real ones. Every call is recorded, and a fault set through ``/_sim/faults``
can make a fraction of them fail (5xx, 429, 401, or hang as a timeout).

Control side (``/_sim/...``, no auth: it is a test double, bind it to loopback):
``GET /_sim/requests[?since=N]``, ``GET /_sim/stats``, ``GET|POST|DELETE /_sim/faults``,
``POST /_sim/reset``, ``GET /_sim/webhook``, ``GET|PUT /_sim/not-on-whatsapp``,
``GET|PUT /_sim/features``, ``GET|POST /_sim/callbacks``, ``GET /_sim/callbacks/log[?since=N]``,
``POST /_sim/inbound``.

Webhook callbacks (callbacks.py): with a webhook configured, each accepted send is
followed by ``message.ack`` 2, 3, 4; ``/_sim/inbound`` posts a contractor's reply.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Body, Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator
from starlette.background import BackgroundTask

from gmm.megaapi_sim import payloads
from gmm.megaapi_sim.callbacks import Callbacks, CallbackSettings, mask_secrets
from gmm.megaapi_sim.media import sample_for
from gmm.megaapi_sim.payloads import InboundRequest
from gmm.megaapi_sim.state import (
    SIM_USER,
    Fault,
    FaultMode,
    Features,
    Record,
    SentMessage,
    SimState,
    new_message_id,
    send_key,
)

log = logging.getLogger(__name__)

MAX_INLINE_MEDIA_BYTES = 16 * 1024 * 1024
# MegaAPI's clients' "quote message" send. Its path is unpublished; this mirrors the
# one the product's client assumes (gmm/megaapi/cliente.py, QUOTE_MESSAGE_PATH).
QUOTE_KIND = "quoteMessage"
MAX_TEXT = 4096
# WhatsApp's limits for interactive messages (docs/megaapi-contrato.md): the gateway refuses more.
MAX_INTERACTIVE_TEXT = 1024
MAX_HEADER_FOOTER = 60
MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_LIST_BUTTON_TEXT = 20
MAX_SECTIONS = 10
MAX_ROWS = 10
MAX_SECTION_TITLE = 24
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MEDIA_TYPES = frozenset({"image", "video", "audio", "ptt", "document"})
BUTTON_TYPES = frozenset({"replyButton", "urlButton", "callButton"})
# Digits with country code, a full user jid, or a group jid.
_TO = re.compile(r"\d{8,15}(@s\.whatsapp\.net)?|[\d-]+@g\.us")
_BRAZILIAN = re.compile(r"55\d{10,11}")
_DATA_URL = re.compile(r"data:[^,]*?;base64,(?P<data>.*)", re.DOTALL)
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})


class Reject(Exception):
    """A refusal the gateway answers with {"error": true, "message"}."""

    def __init__(self, status: int, message: str, outcome: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.outcome = outcome


def _bad(message: str) -> Reject:
    return Reject(400, message, "bad_request")


@dataclass
class Answer:
    body: dict[str, Any]
    message_id: str | None = None
    sent: SentMessage | None = None


Handler = Callable[[SimState, Any, Request], Answer]


# -- body checks ---------------------------------------------------------------


def _required_str(data: dict[str, Any], key: str, where: str = "messageData") -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"{where}.{key} é obrigatório")
    return value


def _optional_str(data: dict[str, Any], key: str, where: str = "messageData") -> None:
    if key in data and data[key] is not None and not isinstance(data[key], str):
        raise _bad(f"{where}.{key} deve ser texto")


def _max_len(data: dict[str, Any], key: str, limit: int, where: str = "messageData") -> None:
    value = data.get(key)
    if isinstance(value, str) and len(value) > limit:
        raise _bad(f"{where}.{key} passa de {limit} caracteres ({len(value)})")


def _media_fields(data: dict[str, Any]) -> None:
    media_type = _required_str(data, "type")
    if media_type not in MEDIA_TYPES:
        raise _bad(
            f"messageData.type inválido: {media_type} (use {', '.join(sorted(MEDIA_TYPES))})"
        )
    _required_str(data, "fileName")
    _required_str(data, "mimeType")
    _optional_str(data, "caption")


def _check_text(data: dict[str, Any]) -> None:
    _required_str(data, "text")


def _check_quote(data: dict[str, Any]) -> None:
    _required_str(data, "text")
    _max_len(data, "text", MAX_TEXT)
    key = data.get("key")
    if not isinstance(key, dict):
        raise _bad("messageData.key é obrigatório (a chave da mensagem citada)")
    _required_str(key, "id", "messageData.key")
    _required_str(key, "remoteJid", "messageData.key")
    if not isinstance(key.get("fromMe"), bool):
        raise _bad("messageData.key.fromMe deve ser true ou false")
    # WhatsApp draws the quote from this copy of the quoted message, not from the id.
    if not isinstance(data.get("message"), dict):
        raise _bad("messageData.message é obrigatório (a mensagem citada)")


def _check_media_url(data: dict[str, Any]) -> None:
    url = _required_str(data, "url")
    if not url.startswith(("http://", "https://")):
        raise _bad("messageData.url deve ser http(s)")
    _media_fields(data)


def _check_media_base64(data: dict[str, Any]) -> None:
    inline = _required_str(data, "base64")
    # A data URL (what the GMM client sends) or bare base64: both carry the bytes.
    match = _DATA_URL.fullmatch(inline)
    encoded = "".join((match["data"] if match else inline).split())
    decoded_size = len(encoded) * 3 // 4 - encoded[-2:].count("=")
    if decoded_size > MAX_INLINE_MEDIA_BYTES:
        raise Reject(413, "arquivo maior que 16 MB", "too_large")
    try:
        base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise _bad("messageData.base64 não é base64 válido") from exc
    _media_fields(data)


def _check_list(data: dict[str, Any]) -> None:
    _required_str(data, "buttonText")
    _required_str(data, "text")
    _optional_str(data, "title")
    _optional_str(data, "description")
    _max_len(data, "buttonText", MAX_LIST_BUTTON_TEXT)
    _max_len(data, "text", MAX_INTERACTIVE_TEXT)
    _max_len(data, "title", MAX_HEADER_FOOTER)
    _max_len(data, "description", MAX_HEADER_FOOTER)
    sections = data.get("sections")
    if not isinstance(sections, list) or not sections:
        raise _bad("messageData.sections deve ser uma lista com ao menos uma seção")
    if len(sections) > MAX_SECTIONS:
        raise _bad(f"messageData.sections: no máximo {MAX_SECTIONS} seções ({len(sections)})")
    row_ids: set[str] = set()
    for i, section in enumerate(sections):
        where = f"messageData.sections[{i}]"
        if not isinstance(section, dict):
            raise _bad(f"{where} deve ser um objeto")
        _required_str(section, "title", where)
        _max_len(section, "title", MAX_SECTION_TITLE, where)
        rows = section.get("rows")
        if not isinstance(rows, list) or not rows:
            raise _bad(f"{where}.rows deve ser uma lista com ao menos uma linha")
        for j, row in enumerate(rows):
            if not isinstance(row, dict):
                raise _bad(f"{where}.rows[{j}] deve ser um objeto")
            _required_str(row, "title", f"{where}.rows[{j}]")
            row_id = _required_str(row, "rowId", f"{where}.rows[{j}]")
            _optional_str(row, "description", f"{where}.rows[{j}]")
            _max_len(row, "title", MAX_ROW_TITLE, f"{where}.rows[{j}]")
            _max_len(row, "description", MAX_ROW_DESCRIPTION, f"{where}.rows[{j}]")
            if row_id in row_ids:
                raise _bad(f"{where}.rows[{j}].rowId repetido: {row_id}")
            row_ids.add(row_id)
    if len(row_ids) > MAX_ROWS:
        raise _bad(f"messageData.sections: no máximo {MAX_ROWS} linhas no total ({len(row_ids)})")


def _check_buttons(data: dict[str, Any]) -> None:
    _required_str(data, "text")
    _optional_str(data, "footerText")
    _max_len(data, "text", MAX_INTERACTIVE_TEXT)
    _max_len(data, "footerText", MAX_HEADER_FOOTER)
    buttons = data.get("buttons")
    if not isinstance(buttons, list) or not buttons:
        raise _bad("messageData.buttons deve ser uma lista com ao menos um botão")
    if len(buttons) > MAX_BUTTONS:
        raise _bad(f"messageData.buttons: no máximo {MAX_BUTTONS} botões ({len(buttons)})")
    for i, button in enumerate(buttons):
        where = f"messageData.buttons[{i}]"
        if not isinstance(button, dict):
            raise _bad(f"{where} deve ser um objeto")
        kind = _required_str(button, "type", where)
        if kind not in BUTTON_TYPES:
            raise _bad(f"{where}.type inválido: {kind}")
        _required_str(button, "title", where)
        _max_len(button, "title", MAX_BUTTON_TITLE, where)
        if kind != "replyButton":
            _required_str(button, "payload", where)


SEND_CHECKS: dict[str, Callable[[dict[str, Any]], None]] = {
    "text": _check_text,
    QUOTE_KIND: _check_quote,
    "mediaUrl": _check_media_url,
    "mediaBase64": _check_media_base64,
    "listMessage": _check_list,
    "templateMessage": _check_buttons,
}


# -- gateway handlers ------------------------------------------------------------


def _message_data(body: Any) -> dict[str, Any]:
    data = body.get("messageData") if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise _bad("messageData é obrigatório")
    return data


def _send_handler(kind: str) -> Handler:
    def handle(sim: SimState, body: Any, request: Request) -> Answer:
        check = SEND_CHECKS.get(kind)
        if check is None:
            raise Reject(404, f"tipo de envio desconhecido: {kind}", "not_found")
        data = _message_data(body)
        to = _required_str(data, "to")
        if not _TO.fullmatch(to):
            raise _bad(f"messageData.to inválido: {to}")
        check(data)
        message_id = new_message_id()
        remote_jid = to if "@" in to else f"{to}@s.whatsapp.net"
        answer = {
            "error": False,
            "message": "Mensagem enviada com sucesso",
            "messageData": {
                "key": {"remoteJid": remote_jid, "fromMe": True, "id": message_id},
                "messageTimestamp": int(time.time()),
                "status": "PENDING",
            },
        }
        sent = SentMessage(sim.instance_key, kind, message_id, remote_jid, data)
        return Answer(answer, message_id, sent)

    return handle


def _is_on_whatsapp(sim: SimState, body: Any, request: Request) -> Answer:
    jid = request.query_params.get("jid")
    if not jid:
        raise _bad("jid é obrigatório")
    digits = jid.removesuffix("@s.whatsapp.net")
    if not digits.isdigit():
        raise _bad(f"jid inválido: {jid}")
    exists = bool(_BRAZILIAN.fullmatch(digits)) and digits not in sim.not_on_whatsapp
    return Answer(
        {"error": False, "exists": exists, "jid": f"{digits}@s.whatsapp.net" if exists else None}
    )


def _instance(sim: SimState, body: Any, request: Request) -> Answer:
    return Answer(
        {
            "error": False,
            "message": "Instância encontrada",
            "instance": {"key": sim.instance_key, "status": "connected", "user": SIM_USER},
        }
    )


def _download(sim: SimState, body: Any, request: Request) -> Answer:
    keys = body.get("messageKeys") if isinstance(body, dict) else None
    if not isinstance(keys, dict):
        raise _bad("messageKeys é obrigatório")
    for name in ("mediaKey", "directPath", "url", "mimetype", "messageType"):
        _required_str(keys, name, "messageKeys")
    issued = sim.inbound_media.get(keys["mediaKey"])
    if issued is None:
        # Keys the simulator never announced: any file of the asked family will do.
        mime, content = sample_for(keys["mimetype"], keys["messageType"])
    elif keys["directPath"] != issued.direct_path:
        # The real gateway cannot decrypt a file with another file's key either.
        raise _bad("messageKeys.directPath não corresponde ao mediaKey")
    else:
        mime, content = issued.mime_type, issued.content
    data_url = f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"
    return Answer({"error": False, "data": data_url})


def _config_webhook(sim: SimState, body: Any, request: Request) -> Answer:
    # docs/megaapi-contrato.md lists the fields under messageData; fields at the top level are
    # accepted too, so whichever form the client picks works here.
    data = body.get("messageData", body) if isinstance(body, dict) else None
    if not isinstance(data, dict):
        raise _bad("messageData é obrigatório")
    url = _required_str(data, "webhookUrl")
    if not url.startswith(("http://", "https://")):
        raise _bad("messageData.webhookUrl deve ser http(s)")
    enabled = data.get("webhookEnabled", True)
    if not isinstance(enabled, bool):
        raise _bad("messageData.webhookEnabled deve ser true ou false")
    sim.webhook = {"webhookUrl": url, "webhookEnabled": enabled}
    return Answer({"error": False, "message": "Webhook configurado", "webhook": sim.webhook})


# -- the one door every gateway call goes through ------------------------------------


def _sim(request: Request) -> SimState:
    state: SimState = request.app.state.sim
    return state


def _callbacks(request: Request) -> Callbacks:
    callbacks: Callbacks = request.app.state.callbacks
    return callbacks


SimDep = Annotated[SimState, Depends(_sim)]
CallbacksDep = Annotated[Callbacks, Depends(_callbacks)]


async def _read_json(request: Request) -> tuple[Any, bool]:
    """The body as the gateway's JSON parser sees it, and whether it was unreadable."""
    raw = await request.body()
    # Like an Express json parser: without the JSON content type the body is ignored.
    if not raw or "application/json" not in request.headers.get("content-type", ""):
        return None, False
    try:
        return json.loads(raw), False
    except ValueError:
        return raw[:200].decode("utf-8", "replace"), True


def _answer(
    record: Record,
    status: int,
    body: dict[str, Any],
    outcome: str,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    record.status, record.outcome = status, outcome
    return JSONResponse(body, status_code=status, headers=headers)


def _authorize(request: Request, sim: SimState) -> None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Reject(401, "token ausente: use Authorization: Bearer <token>", "unauthorized")
    if not secrets.compare_digest(token.strip().encode(), sim.token.encode()):
        raise Reject(401, "token inválido", "unauthorized")


async def _no_route(request: Request, sim: SimState, message: str) -> JSONResponse:
    # Recorded, so a client calling a path the gateway lacks shows up in /_sim/requests.
    body, _ = await _read_json(request)
    record = sim.record(request.method, request.url.path, request.url.query, body)
    return _answer(record, 404, {"error": True, "message": message}, "not_found")


async def _fault_answer(record: Record, fault: Fault) -> JSONResponse:
    messages: dict[FaultMode, str] = {
        "5xx": "falha interna (simulada)",
        "timeout": "tempo esgotado (simulado)",
        "429": "muitas requisições (simulado)",
        "401": "token inválido (simulado)",
    }
    headers = {"Retry-After": "1"} if fault.mode == "429" else None
    response = _answer(
        record,
        fault.status,
        {"error": True, "message": messages[fault.mode]},
        f"fault_{fault.mode}",
        headers,
    )
    if fault.mode == "timeout":
        # Longer than any client waits; whoever outlasts it gets what a proxy would say.
        await asyncio.sleep(fault.delay_s)
    return response


async def _gateway_call(
    request: Request, sim: SimState, instance_key: str, handler: Handler, kind: str | None = None
) -> Response:
    body, unreadable = await _read_json(request)
    record = sim.record(request.method, request.url.path, request.url.query, body)
    if kind in SEND_CHECKS and isinstance(body, dict) and isinstance(body.get("messageData"), dict):
        record.send_key = send_key(kind, body["messageData"])
    if sim.latency_s > 0:
        await asyncio.sleep(sim.latency_s)
    fault = sim.fault_for_call()
    if fault is not None:
        return await _fault_answer(record, fault)
    try:
        _authorize(request, sim)
        if instance_key != sim.instance_key:
            raise Reject(404, f"instância {instance_key} não encontrada", "not_found")
        if unreadable:
            raise _bad("o corpo não é JSON válido")
        answer = handler(sim, body, request)
    except Reject as refused:
        return _answer(
            record, refused.status, {"error": True, "message": refused.message}, refused.outcome
        )
    record.message_id = answer.message_id
    response = _answer(record, 200, answer.body, "ok")
    if answer.sent is not None and sim.send_hooks:
        response.background = BackgroundTask(sim.run_send_hooks, answer.sent)
    return response


gateway = APIRouter(prefix="/rest", tags=["MegaAPI"])


@gateway.post("/sendMessage/{instance_key}/{kind}")
async def send_message(instance_key: str, kind: str, request: Request, sim: SimDep) -> Response:
    """text, quoteMessage, mediaUrl, mediaBase64, listMessage, templateMessage."""
    if kind == QUOTE_KIND and not sim.features.quote_message:
        # A gateway without the operation: what Express says for any path it lacks,
        # before looking at the token or the instance.
        return await _no_route(request, sim, f"Cannot POST {request.url.path}")
    return await _gateway_call(request, sim, instance_key, _send_handler(kind), kind)


@gateway.get("/instance/isOnWhatsApp/{instance_key}")
async def is_on_whatsapp(instance_key: str, request: Request, sim: SimDep) -> Response:
    """Existe para números brasileiros (55 + DDD + 8 ou 9 dígitos) fora da lista de ausentes."""
    return await _gateway_call(request, sim, instance_key, _is_on_whatsapp)


@gateway.post("/instance/downloadMediaMessage/{instance_key}")
async def download_media_message(instance_key: str, request: Request, sim: SimDep) -> Response:
    """Um arquivo pequeno e válido da família pedida (PNG, WAV, PDF ou texto)."""
    return await _gateway_call(request, sim, instance_key, _download)


@gateway.get("/instance/{instance_key}")
async def instance_status(instance_key: str, request: Request, sim: SimDep) -> Response:
    return await _gateway_call(request, sim, instance_key, _instance)


@gateway.post("/webhook/{instance_key}/configWebhook")
async def config_webhook(instance_key: str, request: Request, sim: SimDep) -> Response:
    return await _gateway_call(request, sim, instance_key, _config_webhook)


# -- control side ------------------------------------------------------------------


class FaultRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mode: FaultMode
    fraction: float = Field(1.0, ge=0, le=1, description="parte das chamadas que falha")
    duration_s: float | None = Field(None, gt=0, description="null: até DELETE /_sim/faults")
    status: int | None = Field(None, ge=500, le=599, description="só no modo 5xx (padrão 503)")
    delay_s: float = Field(30.0, gt=0, description="quanto o modo timeout segura a resposta")
    seed: int | None = Field(None, description="torna o sorteio da fração reproduzível")

    @model_validator(mode="after")
    def _status_only_for_5xx(self) -> FaultRequest:
        if self.status is not None and self.mode != "5xx":
            raise ValueError("status só vale no modo 5xx")
        return self


class NumbersRequest(BaseModel):
    numbers: list[str]


class FeaturesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quote_message: bool = Field(
        True, description="false: quoteMessage responde 404, como uma rota que o gateway não tem"
    )


control = APIRouter(prefix="/_sim", tags=["controle do simulador"])


@control.get("/requests")
async def list_requests(
    sim: SimDep, since: Annotated[int, Query(ge=0)] = 0
) -> list[dict[str, Any]]:
    """Tudo o que chegou em /rest, em ordem; ``since`` é o índice do primeiro a devolver."""
    return [r.as_json() for r in sim.records[since:]]


@control.get("/stats")
async def stats(sim: SimDep) -> dict[str, Any]:
    return sim.stats()


@control.get("/faults")
async def get_fault(sim: SimDep) -> dict[str, Any]:
    fault = sim.active_fault()
    return {"fault": fault.describe(time.monotonic()) if fault else None}


@control.post("/faults")
async def set_fault(request: FaultRequest, sim: SimDep) -> dict[str, Any]:
    """Liga uma falha (substitui a anterior) para chamadas a /rest."""
    fault = sim.set_fault(
        request.mode,
        fraction=request.fraction,
        duration_s=request.duration_s,
        status=request.status,
        delay_s=request.delay_s,
        seed=request.seed,
    )
    return {"fault": fault.describe(time.monotonic())}


@control.delete("/faults")
async def clear_fault(sim: SimDep) -> dict[str, Any]:
    sim.fault = None
    return {"fault": None}


@control.post("/reset", status_code=204)
async def reset(sim: SimDep, callbacks: CallbacksDep) -> None:
    """Esquece chamadas, falha e callbacks pendentes; webhook, ausentes e callbacks voltam
    aos da inicialização; todas as operações (features) voltam a ligadas."""
    sim.reset()
    callbacks.reset()


@control.get("/webhook")
async def webhook(sim: SimDep) -> dict[str, Any]:
    return {"webhook": sim.webhook}


@control.get("/not-on-whatsapp")
async def get_not_on_whatsapp(sim: SimDep) -> dict[str, Any]:
    return {"numbers": sorted(sim.not_on_whatsapp)}


@control.put("/not-on-whatsapp")
async def put_not_on_whatsapp(request: NumbersRequest, sim: SimDep) -> dict[str, Any]:
    """Números que isOnWhatsApp diz não existirem (substitui a lista)."""
    sim.set_not_on_whatsapp(request.numbers)
    return {"numbers": sorted(sim.not_on_whatsapp)}


@control.get("/features")
async def get_features(sim: SimDep) -> dict[str, Any]:
    """Operações do gateway ligadas (true) ou desligadas (false)."""
    return asdict(sim.features)


@control.put("/features")
async def put_features(request: FeaturesRequest, sim: SimDep) -> dict[str, Any]:
    """Liga ou desliga operações do gateway (substitui tudo; campos omitidos: ligados),
    para testar o plano B do produto quando a MegaAPI não as tem."""
    sim.features = Features(**request.model_dump())
    return asdict(sim.features)


@control.get("/callbacks")
async def get_callbacks(callbacks: CallbacksDep) -> dict[str, Any]:
    """Configuração dos acks, o webhook (token mascarado) e mensagens com acks por vir."""
    return callbacks.describe()


@control.post("/callbacks")
async def set_callbacks(settings: CallbackSettings, callbacks: CallbacksDep) -> dict[str, Any]:
    """Substitui a configuração dos acks (campos omitidos: o padrão); vale para envios
    seguintes, os já planejados seguem como estavam."""
    callbacks.configure(settings)
    return callbacks.describe()


@control.get("/callbacks/log")
async def callbacks_log(
    callbacks: CallbacksDep, since: Annotated[int, Query(ge=0)] = 0
) -> list[dict[str, Any]]:
    """Cada tentativa de POST ao webhook, em ordem; ``since`` é o índice do primeiro."""
    return [d.as_json() for d in callbacks.log[since:]]


@control.post("/inbound")
async def inbound(
    request: Annotated[InboundRequest, Body()], sim: SimDep, callbacks: CallbacksDep
) -> dict[str, Any]:
    """Posta no webhook, agora, um evento como a MegaAPI: resposta de texto (citando ou não
    uma mensagem), botão, lista, mídia, reação, edição, exclusão, eco de mensagem nossa ou
    mudança de conexão; o contato pode vir como @s.whatsapp.net, @c.us ou @lid. Responde
    depois da entrega, com o status HTTP que o webhook deu (null se não respondeu)."""
    if sim.webhook_url() is None:
        raise HTTPException(409, "nenhum webhook configurado (configWebhook ou --webhook-url)")
    event = payloads.inbound(request, sim.instance_key)
    if event.media is not None:
        # Before posting: the product may fetch the file while handling the webhook.
        media_key, issued = event.media
        sim.inbound_media[media_key] = issued
    delivery = await callbacks.send_inbound(event)
    return {
        "id": event.message_id,
        "status": None if delivery is None else delivery.response_status,
        "error": None if delivery is None else delivery.error,
        "payload": event.payload,
    }


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    # Receipts still waiting would otherwise outlive the server (and its loop).
    callbacks: Callbacks = app.state.callbacks
    await callbacks.aclose()


def create_sim_app(
    *,
    token: str,
    instance_key: str,
    latency_s: float = 0.0,
    not_on_whatsapp: Iterable[str] = (),
    webhook_url: str | None = None,
    callback_settings: CallbackSettings | None = None,
    webhook_http: httpx.AsyncClient | None = None,
) -> FastAPI:
    """The simulator app.

    ``webhook_url`` is a webhook configured from the start (as configWebhook would);
    ``callback_settings`` how receipts behave until ``POST /_sim/callbacks`` (and after
    ``/_sim/reset``); ``webhook_http`` a client for the callbacks (tests pass one on an
    ASGI transport; the caller closes it), otherwise the app makes and closes its own.
    """
    if webhook_url is not None and not webhook_url.startswith(("http://", "https://")):
        raise ValueError(f"webhook_url deve ser http(s): {mask_secrets(webhook_url)}")
    app = FastAPI(
        title="Simulador da MegaAPI (GMM)",
        description="Dublê da MegaAPI para desenvolvimento, testes e benchmarks.",
        lifespan=_lifespan,
    )
    sim = SimState(
        token=token,
        instance_key=instance_key,
        latency_s=latency_s,
        initial_not_on_whatsapp=frozenset(not_on_whatsapp),
        initial_webhook=(
            None if webhook_url is None else {"webhookUrl": webhook_url, "webhookEnabled": True}
        ),
    )
    callbacks = Callbacks(sim, callback_settings, http=webhook_http)
    sim.send_hooks.append(callbacks.on_send)
    app.state.sim = sim
    app.state.callbacks = callbacks
    app.include_router(gateway)
    app.include_router(control)

    @app.api_route(
        "/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"], include_in_schema=False
    )
    async def unknown_route(path: str, request: Request, sim: SimDep) -> Response:
        message = f"rota não encontrada: {request.method} {request.url.path}"
        return await _no_route(request, sim, message)

    return app


def serve(
    *,
    host: str = "127.0.0.1",
    port: int,
    token: str,
    instance_key: str,
    webhook_url: str | None = None,
) -> None:
    """Run the simulator until interrupted (``gmm megaapi-sim``).

    ``webhook_url``: where acks and inbound events go from the start (configWebhook
    can still change it).
    """
    import uvicorn

    if host not in LOOPBACK:
        log.warning("simulador em %s: /_sim/ não tem autenticação, prefira 127.0.0.1", host)
    log.info("Simulador da MegaAPI em http://%s:%d (instância %s)", host, port, instance_key)
    if webhook_url is not None:
        log.info("Callbacks para %s", mask_secrets(webhook_url))
    app = create_sim_app(token=token, instance_key=instance_key, webhook_url=webhook_url)
    # Access logs would drown a benchmark's output; /_sim/requests has it all.
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
    )
