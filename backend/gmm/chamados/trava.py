"""The one lock order for a chamado's rows (docs/arquitetura.md).

A transaction that changes a chamado, or writes rows that belong to it (messages,
history lines, links), takes the chamado's row lock first, before touching anything
else of it, and takes it FOR NO KEY UPDATE. Not FOR UPDATE: inserting a message
or a history line takes a KEY SHARE lock on its chamado (the foreign key), which
FOR UPDATE waits for, so two transactions that each inserted first and locked
second would wait for each other (PostgreSQL's "deadlock detected"). NO KEY UPDATE
still serialises every writer of the chamado, and never waits for a foreign key.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado

_Query = TypeVar("_Query", bound=Select[Any])


def travando(query: _Query) -> _Query:
    """``query`` (which selects from chamados) taking the chamado's row lock."""
    return query.with_for_update(of=Chamado, key_share=True)


async def travar(session: AsyncSession, chamado_id: int) -> bool:
    """Hold the chamado's row lock until the transaction ends; False if it does not exist."""
    encontrado = await session.scalar(travando(select(Chamado.id).where(Chamado.id == chamado_id)))
    return encontrado is not None
