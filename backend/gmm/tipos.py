"""Field types shared by request schemas: what JSON says, read strictly.

Pydantic's lax mode would take 0/1 for a boolean and a number for a date-time (as a
Unix timestamp); for an API with a published schema, that is accepting what the
schema calls invalid. These types take only what the schema says.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, StrictBool, StrictInt

__all__ = ["DataHora", "StrictBool", "StrictInt"]


def _texto_iso(valor: Any) -> Any:
    if isinstance(valor, str | datetime):
        return valor
    raise ValueError("data e hora em texto ISO 8601 com fuso, ex.: 2026-12-01T14:00:00-03:00")


# An ISO 8601 date-time with its offset, as text (a datetime from Python code too).
DataHora = Annotated[AwareDatetime, BeforeValidator(_texto_iso)]
