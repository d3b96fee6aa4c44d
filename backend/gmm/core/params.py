"""Query and path parameters shared by the routers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute

from gmm.core.tipos import problema_de_texto, problemas_json

# PostgreSQL BIGINT range: larger ids are a 404-shaped 422, not a driver error.
IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
LimitQuery = Annotated[int, Query(ge=1, le=200, description="Itens por página")]
CursorQuery = Annotated[
    str | None, Query(max_length=200, description="`next_cursor` da página anterior")
]


async def recusar_texto_invalido(request: Request) -> None:
    """Every route's first dependency (app/main.py): a query or path parameter, form field,
    file name or JSON body holding text the database cannot store is a 422, before
    any session opens. One check for every route, rather than one per field."""
    problemas: list[dict[str, Any]] = []
    for nome, valor in request.query_params.multi_items():
        for texto in (nome, valor):
            if motivo := problema_de_texto(texto):
                problemas.append({"loc": ["query", nome], "msg": motivo, "type": _TIPO})
    for nome, valor in request.path_params.items():
        if isinstance(valor, str) and (motivo := problema_de_texto(valor)):
            problemas.append({"loc": ["path", nome], "msg": motivo, "type": _TIPO})
    route = request.scope.get("route")
    if not problemas and isinstance(route, APIRoute) and route.body_field is not None:
        problemas = await _problemas_do_corpo(request)
    if problemas:
        raise RequestValidationError(problemas)


_TIPO = "caractere_invalido"


async def _problemas_do_corpo(request: Request) -> list[dict[str, Any]]:
    """FastAPI has already read the body by now (dependencies run after it), and
    Starlette keeps what it parsed: this reads it again from memory."""
    tipo = request.headers.get("content-type", "")
    if tipo.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        problemas = []
        for nome, valor in (await request.form()).multi_items():
            texto = valor if isinstance(valor, str) else valor.filename or ""
            if motivo := problema_de_texto(nome) or problema_de_texto(texto):
                problemas.append({"loc": ["body", nome], "msg": motivo, "type": _TIPO})
        return problemas
    try:
        corpo = await request.json()
    except (ValueError, RecursionError):
        return []  # not JSON: the body's own validation refuses it
    return problemas_json(corpo, ("body",))
