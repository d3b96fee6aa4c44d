"""Keyset (cursor) pagination: stable under inserts and O(page) at any depth."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from gmm.errors import DomainError

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
    """Values of the cursor converted to ``kinds``; 422 if it was not made by us."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, list) or len(raw) != len(kinds):
            raise ValueError("shape")
        return tuple(
            datetime.fromisoformat(v) if kind is datetime else kind(v)
            for v, kind in zip(raw, kinds, strict=True)
        )
    except (ValueError, TypeError) as exc:
        raise InvalidCursor("cursor inválido: use o next_cursor de uma resposta") from exc
