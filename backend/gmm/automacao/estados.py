"""What a conversation waits for: a bare "1500" right after a quote request is the quote."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao.models import Aguardando, EstadoConversa
from gmm.chamados.models import Chamado
from gmm.core.db import utcnow
from gmm.terceirizados.telefone import TelefoneInvalido, chave


async def aguardar(
    session: AsyncSession,
    chamado: Chamado,
    aguardando: Aguardando,
    validade: timedelta,
    dados: dict[str, Any] | None = None,
) -> None:
    """From now until it expires, the contractor's next reply is read as ``aguardando``.

    One state per phone: a newer question replaces an older one, even on another chamado.
    """
    valores = {
        "telefone_chave": chamado.terceirizado.telefone_chave,
        "chamado_id": chamado.id,
        "aguardando": aguardando,
        "dados": dados,
        "expira_em": utcnow() + validade,
    }
    stmt = insert(EstadoConversa).values(**valores)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[EstadoConversa.telefone_chave],
            set_={k: stmt.excluded[k] for k in valores if k != "telefone_chave"}
            | {"criado_em": utcnow()},
        )
    )


async def atual(session: AsyncSession, telefone: str, chamado_id: int) -> EstadoConversa | None:
    """The phone's live state for this chamado, locked until commit; expired ones are dropped."""
    try:
        telefone_chave = chave(telefone)
    except TelefoneInvalido:
        return None
    estado = await session.scalar(
        select(EstadoConversa)
        .where(EstadoConversa.telefone_chave == telefone_chave)
        .with_for_update()
    )
    if estado is None:
        return None
    if estado.expira_em <= utcnow() or estado.chamado_id != chamado_id:
        if estado.expira_em <= utcnow():
            await session.delete(estado)
        return None
    return estado


async def encerrar(session: AsyncSession, chamado_id: int) -> None:
    """Forget what the chamado's conversation was waiting for (it was answered or closed)."""
    await session.execute(delete(EstadoConversa).where(EstadoConversa.chamado_id == chamado_id))
