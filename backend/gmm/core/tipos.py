"""Field types shared by request schemas: what JSON says, read strictly.

Pydantic's lax mode would take 0/1 for a boolean and a number for a date-time (as a
Unix timestamp); for an API with a published schema, that is accepting what the
schema calls invalid. These types take only what the schema says.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, StrictBool, StrictInt

__all__ = ["DataHora", "StrictBool", "StrictInt", "problema_de_texto", "problemas_json"]


def _texto_iso(valor: Any) -> Any:
    if isinstance(valor, str | datetime):
        return valor
    raise ValueError("data e hora em texto ISO 8601 com fuso, ex.: 2026-12-01T14:00:00-03:00")


# An ISO 8601 date-time with its offset, as text (a datetime from Python code too).
DataHora = Annotated[AwareDatetime, BeforeValidator(_texto_iso)]


# -- Text the database can store ---------------------------------------------------
# PostgreSQL refuses NUL in text and jsonb ("\u0000"), and a lone surrogate (JSON can
# spell "\ud800") is no UTF-8 at all: both reached the driver as a 500. They are
# refused at the edge, as a 422, for every query and path parameter, form field and
# JSON body (gmm.core.params.recusar_texto_invalido) and for the webhook's own parsing.
# Non-finite numbers (Python's json reads NaN and Infinity, JSON has neither) go too.


def problema_de_texto(texto: str) -> str | None:
    """Why ``texto`` cannot be stored as is, or None."""
    if "\x00" in texto:
        return "o caractere NUL (\\u0000) não é aceito"
    try:
        texto.encode("utf-8")
    except UnicodeEncodeError:
        return "texto com surrogate isolado (não é UTF-8 válido)"
    return None


def problemas_json(valor: Any, local: tuple[str | int, ...]) -> list[dict[str, Any]]:
    """The first value inside a parsed JSON document (keys included) that cannot be
    stored, as a validation problem ``{"loc", "msg", "type"}``; [] when all can.

    Iterative: the document may be as deep as its parser allowed.
    """
    pendentes: list[tuple[Any, tuple[str | int, ...]]] = [(valor, local)]
    while pendentes:
        atual, onde = pendentes.pop()
        motivo: str | None = None
        if isinstance(atual, str):
            motivo = problema_de_texto(atual)
        elif isinstance(atual, float) and not math.isfinite(atual):
            motivo = "número não finito (NaN ou Infinity não são JSON)"
        elif isinstance(atual, dict):
            for chave, item in atual.items():
                if isinstance(chave, str) and (motivo := problema_de_texto(chave)):
                    onde = (*onde, chave)
                    break
                pendentes.append((item, (*onde, chave)))
        elif isinstance(atual, list):
            pendentes.extend((item, (*onde, i)) for i, item in enumerate(atual))
        if motivo:
            return [{"loc": list(onde), "msg": motivo, "type": "caractere_invalido"}]
    return []
