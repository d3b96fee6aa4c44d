"""Query and path parameters shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

# PostgreSQL BIGINT range: larger ids are a 404-shaped 422, not a driver error.
IdPath = Annotated[int, Path(ge=1, le=2**63 - 1)]
LimitQuery = Annotated[int, Query(ge=1, le=200, description="Itens por página")]
CursorQuery = Annotated[
    str | None, Query(max_length=200, description="`next_cursor` da página anterior")
]
