"""Domain errors carry their HTTP status; one handler renders ``{"error", "detail"}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

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


class ServiceUnavailable(DomainError):
    status_code = 503
    error = "indisponivel"


def _body(error: str, detail: Any) -> dict[str, Any]:
    return {"error": error, "detail": detail}


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
            {"loc": list(err.get("loc", ())), "msg": err.get("msg"), "type": err.get("type")}
            for err in exc.errors()
        ]
        return JSONResponse(jsonable_encoder(_body("dados_invalidos", problems)), status_code=422)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    @app.exception_handler(ConnectionError)
    @app.exception_handler(TimeoutError)
    async def database_down(_: Request, exc: Exception) -> JSONResponse:
        # The database (or its pool) is unreachable: a retryable 503, so MegaAPI
        # redelivers webhooks and clients try again, instead of an opaque 500.
        log.error("banco de dados indisponível: %s", type(exc).__name__)
        return JSONResponse(
            _body("indisponivel", "banco de dados indisponível; tente novamente"),
            status_code=503,
            headers={"Retry-After": "5"},
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        names = {404: "nao_encontrado", 405: "metodo_nao_permitido", 401: "nao_autenticado"}
        headers = getattr(exc, "headers", None)
        if exc.status_code == 405:
            headers = {**(headers or {}), "Allow": _allow(request)}
        return JSONResponse(
            _body(names.get(exc.status_code, "erro_http"), exc.detail),
            status_code=exc.status_code,
            headers=headers,
        )


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
