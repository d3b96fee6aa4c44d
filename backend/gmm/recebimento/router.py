"""MegaAPI's webhooks: inbound messages, receipts, connection changes.

MegaAPI cannot sign requests or add headers, so the shared secret travels in the
URL (``?token=``) and is compared in constant time. Each call does one short
transaction and answers at once; media downloads go to a job.
"""

from __future__ import annotations

import hmac
import itertools
import json
import logging
import re
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.security import APIKeyQuery
from pydantic import BaseModel

from gmm.core import metricas, registro
from gmm.core.config import Settings
from gmm.core.db import session_scope, utcnow
from gmm.core.errors import DomainError, Unauthorized
from gmm.core.respostas import errors
from gmm.core.tipos import problemas_json
from gmm.envio import ticks
from gmm.envio.fila import Fila
from gmm.envio.service import WhatsAppService
from gmm.recebimento import leitura as webhook
from gmm.recebimento import service as recebimento
from gmm.recebimento.leitura import StatusWebhookIn

log = logging.getLogger(__name__)

# MegaAPI's JSON events are a few KB; media never comes inline.
CORPO_MAXIMO = 256 * 1024
JSON = "application/json"
# Its events nest about 6 deep (a quoted reply inside contextInfo adds a few). The
# json module recurses once per level and the body goes on to pydantic and to jsonb:
# 64 leaves room for any real event and refuses "[" * 100_000 before any parser sees it.
# (orjson has a depth limit, but a fixed 1024, past what json.dumps handles when
# the media fields are stored, and it would be a new dependency for one check.)
PROFUNDIDADE_MAXIMA = 64


class WebhookOut(BaseModel):
    ok: Literal[True] = True
    resultado: recebimento.Resultado


class CorpoGrande(DomainError):
    status_code = 413
    error = "corpo_grande"


class JsonInvalido(DomainError):
    status_code = 400
    error = "json_invalido"


_token = APIKeyQuery(
    name="token",
    auto_error=False,
    scheme_name="webhook_token",
    description="GMM_WEBHOOK_TOKEN, na URL configurada na MegaAPI (ela não envia cabeçalhos)",
)


def conferir_token(settings: Settings, token: str | None) -> None:
    esperado = settings.secret("webhook_token").encode()
    if token is None or not hmac.compare_digest(token.encode(), esperado):
        raise Unauthorized("token do webhook ausente ou inválido")


async def autenticar(request: Request, token: Annotated[str | None, Depends(_token)]) -> None:
    conferir_token(request.app.state.settings, token)


class RotaDireta(APIRoute):
    """A route FastAPI documents (path, body, answers, security) but does not drive:
    the endpoint takes the Request and returns its Response, so nothing is solved per
    request — no dependency (the app's own included), no response model validated
    and serialized again. At MegaAPI's rate that machinery was a twentieth of
    each webhook's CPU. The endpoint does itself what a dependency would, first of all
    authenticating; its declared ``security`` documents that check."""

    def get_route_handler(self) -> Any:
        return self.endpoint


router = APIRouter(prefix="/webhook/whatsapp", tags=["webhooks"])


# A JSON string, escapes included (the unrolled form: linear, no backtracking blowup).
_TEXTO_JSON = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NAO_COLCHETES = bytes(b for b in range(256) if b not in b"[]{}")
_PASSO = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}


def profundidade(corpo: bytes) -> int:
    """How deep the brackets of a JSON text nest, without parsing it: strings are cut
    out (a "[" inside one is text), then the running sum of opens and closes.

    On invalid JSON the count may be off after the first error, but json.loads stops
    at that error too, so it never goes deeper than this count before it fails."""
    colchetes = _TEXTO_JSON.sub(b"", corpo).translate(None, _NAO_COLCHETES)
    return max(itertools.accumulate(map(_PASSO.__getitem__, colchetes)), default=0)


def _sem_constantes(nome: str) -> Any:
    raise ValueError(f"{nome} não é JSON")


async def _json(request: Request) -> Any:
    declarado = request.headers.get("content-length")
    if declarado and declarado.isdigit() and int(declarado) > CORPO_MAXIMO:
        raise CorpoGrande(f"corpo acima de {CORPO_MAXIMO // 1024} KB")
    corpo = bytearray()
    async for pedaco in request.stream():
        corpo += pedaco
        if len(corpo) > CORPO_MAXIMO:
            raise CorpoGrande(f"corpo acima de {CORPO_MAXIMO // 1024} KB")
    if profundidade(bytes(corpo)) > PROFUNDIDADE_MAXIMA:
        raise JsonInvalido(f"JSON aninhado além de {PROFUNDIDADE_MAXIMA} níveis")
    try:
        # NaN and Infinity are Python's extensions, not JSON (and jsonb refuses them).
        dados = json.loads(corpo, parse_constant=_sem_constantes)
    except (ValueError, RecursionError) as exc:
        raise JsonInvalido("o corpo não é JSON válido") from exc
    if problemas := problemas_json(dados, ("body",)):
        raise RequestValidationError(problemas)
    return dados


_ERROS = {
    400: "JSON inválido",
    401: "token ausente ou inválido",
    413: "corpo grande demais",
    422: "evento malformado",
    503: "banco de dados indisponível; a MegaAPI deve repetir",
}


def _respostas(*codes: int) -> dict[int | str, dict[str, Any]]:
    return errors(*codes, descricoes=_ERROS)


async def receber(request: Request) -> Response:
    """URL configurada na MegaAPI: mensagens recebidas, confirmações de entrega e leitura
    (`message.ack`) e mudanças de conexão. Idempotente pelo id da mensagem na MegaAPI."""
    inicio = time.perf_counter()
    estado = request.app.state
    conferir_token(estado.settings, request.query_params.get("token"))
    evento = webhook.ler(await _json(request))
    if isinstance(evento, webhook.Ack) and evento.status is not None:
        recibo = ticks.Tick(evento.megaapi_id, evento.status)
        resultado = recebimento.resultado_do_recibo(await estado.confirmacoes.aplicar(recibo))
    else:
        # The session, Redis and the sender taken here rather than as dependencies (the
        # same unit of work: committed before the answer leaves).
        async with session_scope(estado.sessionmaker) as session:
            whatsapp = WhatsAppService(session, Fila(estado.arq), estado.settings)
            resultado = await recebimento.tratar(session, estado.redis, whatsapp, evento)
            atraso = None
            if isinstance(evento, webhook.Recebida) and evento.recebida_em is not None:
                atraso = (utcnow() - evento.recebida_em).total_seconds()
            # Before the commit: with Redis out, the webhook is a 503 that stores
            # nothing and MegaAPI delivers it again.
            await registro.registrar_webhook(estado.redis, atraso)
    metricas.WEBHOOKS.labels(resultado).inc()
    metricas.WEBHOOK_LATENCIA.observe(time.perf_counter() - inicio)
    return Response(WebhookOut(resultado=resultado).model_dump_json(), media_type=JSON)


router.add_api_route(
    "",
    receber,
    methods=["POST"],
    route_class_override=RotaDireta,
    operation_id="webhook_whatsapp",
    summary="Receber evento da MegaAPI",
    response_model=WebhookOut,
    responses=_respostas(400, 401, 413, 422, 503),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
        },
        "security": [{"webhook_token": []}],
    },
)


@router.post(
    "/status",
    operation_id="webhook_whatsapp_status",
    summary="Receber status (formato simples)",
    responses=_respostas(401, 422, 503),
    dependencies=[Depends(autenticar)],
)
async def receber_status(body: StatusWebhookIn, request: Request) -> WebhookOut:
    """Formato simples de status do GMM original:
    `{"message_id", "status": "delivered" | "read" | "failed", "timestamp"}`."""
    recibo = ticks.Tick(body.message_id, webhook.STATUS_SIMPLES[body.status], body.quando())
    aplicado = await request.app.state.confirmacoes.aplicar(recibo)
    resultado = recebimento.resultado_do_recibo(aplicado)
    metricas.WEBHOOKS.labels(resultado).inc()
    return WebhookOut(resultado=resultado)
