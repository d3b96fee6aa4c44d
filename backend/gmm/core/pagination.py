"""Keyset (cursor) pagination: stable under inserts and O(page) at any depth."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from gmm.core.errors import DomainError
from gmm.core.tipos import problema_de_texto

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


class InvalidCursor(DomainError):
    status_code = 422
    error = "cursor_invalido"


def encode_cursor(*values: datetime | int | str | None) -> str:
    raw = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    return base64.urlsafe_b64encode(json.dumps(raw).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *kinds: type) -> tuple[Any, ...]:
    """Values of the cursor as ``kinds``; 422 if it was not made by us.

    The cursor is client input that goes straight into SQL, so each value must be
    exactly what ``encode_cursor`` writes, not whatever Python can convert: a float
    is no id, an integer past BIGINT or a datetime without offset (or out of range)
    would be a driver error, and NUL or a lone surrogate is text PostgreSQL refuses.
    """
    try:
        raw = json.loads(
            base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)),
            parse_constant=_recusar,
        )
        if not isinstance(raw, list) or len(raw) != len(kinds):
            raise ValueError("shape")
        return tuple(_valor(v, kind) for v, kind in zip(raw, kinds, strict=True))
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise InvalidCursor("cursor inválido: use o next_cursor de uma resposta") from exc


_BIGINT = 2**63 - 1


def _recusar(nome: str) -> Any:
    raise ValueError(nome)


def _valor(valor: Any, kind: type) -> Any:
    if kind is int:
        if type(valor) is not int or not -_BIGINT - 1 <= valor <= _BIGINT:
            raise ValueError("int")
        return valor
    if not isinstance(valor, str) or problema_de_texto(valor):
        raise ValueError("texto")
    if kind is datetime:
        momento = datetime.fromisoformat(valor)
        if momento.tzinfo is None:
            raise ValueError("datetime sem fuso")
        return momento.astimezone(UTC)  # OverflowError near year 1 or 9999
    return kind(valor)
