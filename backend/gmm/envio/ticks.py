"""The ticks: delivery and read receipts move a sent message forward, never back.

A receipt for an id the worker has not stored yet is parked in ``acks_pendentes`` and
applied by the worker when it stores the id; both sides take the same per-id
advisory lock (``travar_id``), so no interleaving loses one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from gmm.envio.models import AckPendente

# Forward-only order of a sent message's life; falhou is final and handled apart.
ORDEM = {
    StatusEnvio.pendente: 0,
    StatusEnvio.enfileirado: 1,
    StatusEnvio.enviado: 2,
    StatusEnvio.entregue: 3,
    StatusEnvio.lido: 4,
}


async def travar_id(session: AsyncSession, megaapi_id: str) -> None:
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:id))"), {"id": f"megaapi:{megaapi_id}"}
    )


def _avanco(novo: StatusEnvio, quando: datetime | None, erro: str | None) -> dict[str, Any]:
    """Column values that move a message to ``novo``, never backwards."""
    momento = quando or func.now()
    if novo == StatusEnvio.falhou:
        return {
            "status_envio": novo,
            "erro": erro or "a MegaAPI informou erro na entrega",
            "reservado_ate": None,
        }
    valores: dict[str, Any] = {"status_envio": novo}
    if ORDEM[novo] >= ORDEM[StatusEnvio.enviado]:
        valores["enviado_em"] = func.coalesce(Mensagem.enviado_em, momento)
    if ORDEM[novo] >= ORDEM[StatusEnvio.entregue]:
        # Read implies delivered, even when the delivered receipt never came.
        valores["entregue_em"] = func.coalesce(Mensagem.entregue_em, momento)
    if novo == StatusEnvio.lido:
        valores["lido_em"] = func.coalesce(Mensagem.lido_em, momento)
    return valores


def _pode_avancar(novo: StatusEnvio) -> Any:
    rank = case(
        {status.value: ordem for status, ordem in ORDEM.items()},
        value=Mensagem.status_envio,
        else_=99,  # falhou: final
    )
    if novo == StatusEnvio.falhou:
        # An error receipt only fails a message that has not been delivered yet.
        return rank <= ORDEM[StatusEnvio.enviado]
    return rank < ORDEM[novo]


async def aplicar_ack(
    session: AsyncSession,
    megaapi_id: str,
    novo: StatusEnvio,
    quando: datetime | None = None,
    erro: str | None = None,
) -> Mensagem | None:
    """Move the message with this MegaAPI id forward; park the receipt if the id is unknown.

    Answers the message when its status changed, else None.
    """
    return (await aplicar(session, megaapi_id, novo, quando, erro)).movida


@dataclass(frozen=True)
class Aplicado:
    movida: Mensagem | None  # the message, when its status changed
    guardado: bool  # the id is unknown: the receipt waits in acks_pendentes


async def aplicar(
    session: AsyncSession,
    megaapi_id: str,
    novo: StatusEnvio,
    quando: datetime | None = None,
    erro: str | None = None,
) -> Aplicado:
    """``aplicar_ack``, also telling whether the receipt was parked.

    Two round trips when the message is there (the lock, then the update that answers
    the row); the existence check only when nothing moved."""
    await travar_id(session, megaapi_id)
    # Forward-only in the statement itself: the row is locked and re-checked by the
    # UPDATE, so a concurrent receipt for the same message can never move it back.
    movida = await session.scalar(
        update(Mensagem)
        .where(
            Mensagem.megaapi_id == megaapi_id,
            Mensagem.direcao == Direcao.outbound,
            _pode_avancar(novo),
        )
        .values(**_avanco(novo, quando, erro))
        .returning(Mensagem)
        .execution_options(populate_existing=True, synchronize_session=False)
    )
    if movida is not None:
        return Aplicado(movida, guardado=False)
    existe = await session.scalar(
        select(Mensagem.id).where(
            Mensagem.megaapi_id == megaapi_id, Mensagem.direcao == Direcao.outbound
        )
    )
    if existe is not None:
        return Aplicado(None, guardado=False)
    await _guardar_pendente(session, megaapi_id, novo, erro)
    return Aplicado(None, guardado=True)


async def _guardar_pendente(
    session: AsyncSession, megaapi_id: str, novo: StatusEnvio, erro: str | None
) -> None:
    # One row per status seen; applying them later in any order is forward-only anyway.
    await session.execute(
        insert(AckPendente)
        .values(megaapi_id=megaapi_id, status_envio=novo.value, erro=erro)
        .on_conflict_do_nothing()
    )


async def aplicar_pendentes(session: AsyncSession, megaapi_id: str) -> Mensagem | None:
    """Apply receipts parked for ``megaapi_id``; the worker calls it in the transaction
    that stores the id, after ``travar_id``. Answers the message if it moved."""
    pendentes = list(
        await session.scalars(
            delete(AckPendente).where(AckPendente.megaapi_id == megaapi_id).returning(AckPendente)
        )
    )
    movida: Mensagem | None = None
    for pendente in pendentes:
        movida = (
            await aplicar_ack(
                session,
                megaapi_id,
                StatusEnvio(pendente.status_envio),
                pendente.recebido_em,
                pendente.erro,
            )
            or movida
        )
    return movida
