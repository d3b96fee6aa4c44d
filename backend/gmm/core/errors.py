"""Domain errors carry their HTTP status; one handler renders ``{"error", "detail"}``.

Outages of PostgreSQL or Redis are not domain errors: they surface as driver
exceptions anywhere (an endpoint, a dependency, a middleware) and ``BordaDeErros``
turns each into a 503 with ``Retry-After``, the one place that knows their shapes.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gmm.core.dependencias import Dependencia, dependencia_fora
from gmm.core.validacao import mensagem

log = logging.getLogger(__name__)


class DomainError(Exception):
    status_code = 400
    error = "erro"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers


class NotFound(DomainError):
    status_code = 404
    error = "nao_encontrado"


class Conflict(DomainError):
    status_code = 409
    error = "conflito"


class Unauthorized(DomainError):
    status_code = 401
    error = "nao_autenticado"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(DomainError):
    status_code = 403
    error = "proibido"


class TooManyRequests(DomainError):
    status_code = 429
    error = "muitas_tentativas"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


# Seconds a client should wait before trying again after a 503: about what a
# PostgreSQL restart or a Redis failover takes.
RETRY_AFTER_S = 5


class ServiceUnavailable(DomainError):
    status_code = 503
    error = "indisponivel"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        # MegaAPI and the SPA only retry a 503 that says when.
        super().__init__(detail, headers={"Retry-After": str(RETRY_AFTER_S), **(headers or {})})


def _indisponivel(dependencia: Dependencia) -> JSONResponse:
    return JSONResponse(
        _body("indisponivel", f"{dependencia} indisponível no momento; tente novamente"),
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def _desconectou(exc: BaseException) -> bool:
    if isinstance(exc, BaseExceptionGroup):
        return all(_desconectou(e) for e in exc.exceptions)
    return isinstance(exc, ClientDisconnect)


class BordaDeErros:
    """Exceptions that escape the app or any middleware inside this one.

    Starlette's exception handlers only see what endpoints raise, and a middleware's
    exception (Idempotencia reaching Redis, say) would become a bare 500 with an
    ERROR traceback. Here a dependency outage becomes a 503 with ``Retry-After`` and
    one WARNING line, and a client that hung up mid-body gets no answer and an INFO
    line: neither is a bug to page anyone about. Anything else goes on, untouched,
    to Starlette's 500.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        comecou = False

        async def enviar(mensagem: Message) -> None:
            nonlocal comecou
            if mensagem["type"] == "http.response.start":
                comecou = True
            await send(mensagem)

        try:
            await self.app(scope, receive, enviar)
        except Exception as exc:
            if _desconectou(exc):
                log.info("cliente desconectou antes do fim do pedido: %s", scope["path"])
                return
            dependencia = dependencia_fora(exc)
            if dependencia is None:
                raise
            # Type names only: a driver's message may carry a host or a user name.
            log.warning(
                "%s indisponível (%s) em %s %s: %s",
                dependencia,
                type(exc).__name__,
                scope["method"],
                scope["path"],
                "resposta já iniciada, encerrada" if comecou else "respondido 503",
            )
            if not comecou:
                await _indisponivel(dependencia)(scope, receive, send)


def _body(error: str, detail: Any) -> dict[str, Any]:
    # Screens show the detail as it comes: a sentence, so it starts with a capital.
    if isinstance(detail, str):
        detail = detail[:1].upper() + detail[1:]
    return {"error": error, "detail": detail}


# Starlette's own answers (an unknown path, a method the path does not take, a body it
# cannot parse) carry the English reason phrase; the operators read these instead.
_FRASES_HTTP = {
    400: "Corpo ilegível: não é JSON válido, ou o multipart está malformado",
    401: "Não autenticado",
    403: "Sem permissão",
    404: "Recurso não encontrado",
    405: "Método não permitido neste endereço",
    413: "Corpo grande demais",
    415: "Tipo de conteúdo não aceito",
}


def _detalhe_http(status: int, detail: Any) -> Any:
    try:
        frase = HTTPStatus(status).phrase
    except ValueError:
        return detail
    if detail in (frase, "There was an error parsing the body"):
        return _FRASES_HTTP.get(status, detail)
    return detail


def install_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(_: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(
            _body(exc.error, exc.detail), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        # Keep the location and message of each problem; drop the echoed input so
        # a rejected secret (a password, a token) never comes back in a response.
        problems = [
            {
                "loc": [_legivel(p) for p in err.get("loc", ())],
                "msg": mensagem(err),
                "type": err.get("type"),
            }
            for err in exc.errors()
        ]
        return JSONResponse(jsonable_encoder(_body("dados_invalidos", problems)), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        names = {404: "nao_encontrado", 405: "metodo_nao_permitido", 401: "nao_autenticado"}
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allow(request)}
        return JSONResponse(
            _body(
                names.get(exc.status_code, "erro_http"), _detalhe_http(exc.status_code, exc.detail)
            ),
            status_code=exc.status_code,
            headers=headers,
        )


def _legivel(parte: Any) -> Any:
    """A location part safe to answer: a client's key may hold NUL or a lone surrogate,
    which would make the error response itself unencodable."""
    if not isinstance(parte, str):
        return parte
    return parte.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def _allow(request: Request) -> str:
    """Every method the path answers to. FastAPI makes one route per method and Starlette
    lists only the first one's in a 405, so `Allow` would leave out the others."""
    metodos: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, BaseRoute) and getattr(route, "include_in_schema", False):
            match, _ = route.matches(request.scope)
            if match != Match.NONE:
                metodos |= getattr(route, "methods", None) or set()
    return ", ".join(sorted(metodos))
