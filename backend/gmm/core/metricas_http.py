"""HTTP middleware: a request id for every request, and Prometheus request metrics."""

from __future__ import annotations

import re
import time
import uuid

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gmm.core import logs
from gmm.core.metricas import HTTP_DURACAO, HTTP_REQUISICOES

_ID_VALIDO = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# Requests about one chamado carry its id into every log line they produce.
_CHAMADO = re.compile(r"^/api/(?:chamados|conversas)/(\d{1,18})(?:/|$)")


class MetricasHTTP:
    """Pure ASGI (no buffering: the event stream stays a stream)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        recebido = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        # A caller's id is kept (to follow a request across systems) if it is sane.
        rid = recebido if _ID_VALIDO.match(recebido) else uuid.uuid4().hex
        token = logs.request_id.set(rid)
        do_chamado = _CHAMADO.match(scope["path"])
        token_chamado = logs.chamado_id.set(int(do_chamado[1]) if do_chamado else None)
        # Nobody until the token says who (gmm.auth.deps): a webhook acts for no user.
        token_usuario = logs.usuario_id.set(None)
        status = 500
        inicio = time.perf_counter()

        async def enviar(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", rid.encode())]
            await send(message)

        try:
            await self.app(scope, receive, enviar)
        finally:
            rota = getattr(scope.get("route"), "path", None) or "nao_encontrada"
            metodo = scope["method"]
            if rota != "/api/eventos":  # a stream's duration is not a latency
                HTTP_DURACAO.labels(metodo, rota).observe(time.perf_counter() - inicio)
            HTTP_REQUISICOES.labels(metodo, rota, str(status)).inc()
            logs.usuario_id.reset(token_usuario)
            logs.chamado_id.reset(token_chamado)
            logs.request_id.reset(token)
