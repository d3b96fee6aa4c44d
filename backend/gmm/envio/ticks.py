"""The ticks: delivery and read receipts move a sent message forward, never back.

A receipt for an id the worker has not stored yet is parked in ``acks_pendentes`` and
applied by the worker when it stores the id; both sides take the same per-id
advisory lock (``travar_id``), so no interleaving loses one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Text, and_, bindparam, case, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.conversas.eventos import MensagemStatus
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from gmm.core.db import Compilada
from gmm.envio.models import AckPendente

# Forward-only order of a sent message's life; falhou is final and handled apart.
ORDEM = {
    StatusEnvio.pendente: 0,
    StatusEnvio.enfileirado: 1,
    StatusEnvio.enviado: 2,
    StatusEnvio.entregue: 3,
    StatusEnvio.lido: 4,
}


# Written for the driver (gmm.core.db.Compilada): half of all webhooks are receipts.
_TRAVAR = Compilada.de(select(func.pg_advisory_xact_lock(func.hashtext(bindparam("chave")))))


async def travar_id(session: AsyncSession, megaapi_id: str) -> None:
    await _TRAVAR.executar(session, chave=f"megaapi:{megaapi_id}")


def _avanco(novo: StatusEnvio) -> Compilada:
    """The UPDATE that moves a message to ``novo``, never backwards (parameters: the
    MegaAPI id; when it happened, None for now; the error, for ``falhou``). Forward
    only in the statement itself: the row is locked and re-checked by the UPDATE, so
    a concurrent receipt for the same message can never move it back."""
    rank = case(
        {status.value: ordem for status, ordem in ORDEM.items()},
        value=Mensagem.status_envio,
        else_=99,  # falhou: final
    )
    valores: dict[str, Any] = {"status_envio": novo.value}
    if novo == StatusEnvio.falhou:
        valores |= {"erro": bindparam("erro", type_=Text), "reservado_ate": None}
        # An error receipt only fails a message that has not been delivered yet.
        pode = rank <= ORDEM[StatusEnvio.enviado]
    else:
        momento = func.coalesce(bindparam("quando", type_=DateTime(timezone=True)), func.now())
        if ORDEM[novo] >= ORDEM[StatusEnvio.enviado]:
            valores["enviado_em"] = func.coalesce(Mensagem.enviado_em, momento)
        if ORDEM[novo] >= ORDEM[StatusEnvio.entregue]:
            # Read implies delivered, even when the delivered receipt never came.
            valores["entregue_em"] = func.coalesce(Mensagem.entregue_em, momento)
        if novo == StatusEnvio.lido:
            valores["lido_em"] = func.coalesce(Mensagem.lido_em, momento)
        pode = rank < ORDEM[novo]
    return Compilada.de(
        update(Mensagem)
        .where(_DA_MENSAGEM, pode)
        .values(**valores)
        .returning(
            Mensagem.id, Mensagem.chamado_id, Mensagem.direcao, Mensagem.status_envio, Mensagem.erro
        )
    )


_DA_MENSAGEM = and_(
    Mensagem.megaapi_id == bindparam("megaapi_id"), Mensagem.direcao == Direcao.outbound.value
)
_AVANCO = {status: _avanco(status) for status in StatusEnvio}
_EXISTE = Compilada.de(select(Mensagem.id).where(_DA_MENSAGEM))
# One row per status seen; applying them later in any order is forward-only anyway.
_GUARDAR = Compilada.de(
    insert(AckPendente)
    .values(
        megaapi_id=bindparam("megaapi_id"),
        status_envio=bindparam("status_envio"),
        erro=bindparam("erro", type_=Text),
    )
    .on_conflict_do_nothing()
)


@dataclass(frozen=True)
class Aplicado:
    movida: MensagemStatus | None  # the message's new state, when it changed
    guardado: bool  # the id is unknown: the receipt waits in acks_pendentes


async def aplicar(
    session: AsyncSession,
    megaapi_id: str,
    novo: StatusEnvio,
    quando: datetime | None = None,
    erro: str | None = None,
) -> Aplicado:
    """Move the message with this MegaAPI id forward; park the receipt if the id is unknown.

    Two round trips when the message is there (the lock, then the update that answers
    the row); the existence check only when nothing moved."""
    await travar_id(session, megaapi_id)
    if novo == StatusEnvio.falhou:
        erro = erro or "a MegaAPI informou erro na entrega"
        linha = await _AVANCO[novo].linha(session, megaapi_id=megaapi_id, erro=erro)
    else:
        linha = await _AVANCO[novo].linha(session, megaapi_id=megaapi_id, quando=quando)
    if linha is not None:
        movida = MensagemStatus(
            mensagem_id=linha["id"],
            chamado_id=linha["chamado_id"],
            direcao=linha["direcao"],
            status_envio=linha["status_envio"],
            erro=linha["erro"],
        )
        return Aplicado(movida, guardado=False)
    if await _EXISTE.valor(session, megaapi_id=megaapi_id) is not None:
        return Aplicado(None, guardado=False)
    await _GUARDAR.executar(session, megaapi_id=megaapi_id, status_envio=novo.value, erro=erro)
    return Aplicado(None, guardado=True)


async def aplicar_pendentes(session: AsyncSession, megaapi_id: str) -> None:
    """Apply receipts parked for ``megaapi_id``; the worker calls it in the transaction
    that stores the id, after ``travar_id``."""
    pendentes = list(
        await session.scalars(
            delete(AckPendente).where(AckPendente.megaapi_id == megaapi_id).returning(AckPendente)
        )
    )
    for pendente in pendentes:
        await aplicar(
            session,
            megaapi_id,
            StatusEnvio(pendente.status_envio),
            pendente.recebido_em,
            pendente.erro,
        )
