"""The worker's minute round that keeps the performance facts current."""

from __future__ import annotations

from typing import Any

from gmm.core.db import session_scope
from gmm.desempenho import fatos
from gmm.envio.contexto import Contexto


async def atualizar_desempenho(ctx: dict[str, Any]) -> int:
    """Recompute the stale facts (a batch) and file new answers; answers how many."""
    c: Contexto = ctx["gmm"]
    async with session_scope(c.sessionmaker) as session:
        return await fatos.atualizar(session)
