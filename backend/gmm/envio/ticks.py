"""The ticks: delivery and read receipts move a sent message forward, never back.

A receipt for an id the worker has not stored yet is parked in ``acks_pendentes`` and
applied by the worker when it stores the id; both sides take the same per-id
advisory lock (``travar_id``), so no interleaving loses one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    Text,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    null,
    select,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, insert
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


# Written for the driver (gmm.core.db.Compilada): half of all webhooks are receipts,
# and receipts that arrive together are applied together (gmm.recebimento.confirmacoes).
_TRAVAR = Compilada.de(select(func.pg_advisory_xact_lock(func.hashtext(bindparam("chave")))))


def _chave(megaapi_id: str) -> str:
    return f"megaapi:{megaapi_id}"


async def travar_id(session: AsyncSession, megaapi_id: str) -> None:
    await _TRAVAR.executar(session, chave=_chave(megaapi_id))


# Many ids locked in one round trip, always in the same order (of the lock's key), so
# two batches that share ids queue instead of deadlocking.
_CHAVES = select(
    func.hashtext(func.unnest(bindparam("chaves", type_=ARRAY(Text)))).label("k")
).subquery("chaves")
_ORDENADAS = select(_CHAVES.c.k).distinct().order_by(_CHAVES.c.k).subquery("ordenadas")
_TRAVAR_VARIOS = Compilada.de(select(func.pg_advisory_xact_lock(_ORDENADAS.c.k)))


def _rank(status: Any) -> ColumnElement[int]:
    return case({s.value: ordem for s, ordem in ORDEM.items()}, value=status, else_=99)


# The receipts, one row each: (MegaAPI id, new status, when (NULL: now), error).
_ENTRADA = (
    select(
        func.unnest(
            bindparam("ids", type_=ARRAY(Text)),
            bindparam("status", type_=ARRAY(Text)),
            bindparam("quandos", type_=ARRAY(DateTime(timezone=True))),
            bindparam("erros", type_=ARRAY(Text)),
        )
        .table_valued("megaapi_id", "status", "quando", "erro")
        .render_derived(name="e")
    )
).cte("entrada")
_DA_ENTRADA = and_(
    Mensagem.megaapi_id == _ENTRADA.c.megaapi_id, Mensagem.direcao == Direcao.outbound.value
)
_FALHOU = _ENTRADA.c.status == StatusEnvio.falhou.value
_ATUAL, _NOVO = _rank(Mensagem.status_envio), _rank(_ENTRADA.c.status)
_MOMENTO = func.coalesce(_ENTRADA.c.quando, func.now())


def _marca(coluna: Any, desde: StatusEnvio) -> ColumnElement[Any]:
    """The moment a message first reached ``desde``: kept once set; a later status
    implies it (read implies delivered, even when the delivered receipt never came)."""
    return case(
        (and_(~_FALHOU, ORDEM[desde] <= _NOVO), func.coalesce(coluna, _MOMENTO)), else_=coluna
    )


# Each message moved forward, never back, in the statement itself: the rows are locked
# and re-checked by the UPDATE, so a concurrent receipt can never move one back. An
# error receipt only fails a message not delivered yet (falhou is final).
_MOVIDAS = (
    update(Mensagem)
    .where(
        _DA_ENTRADA,
        case((_FALHOU, ORDEM[StatusEnvio.enviado] >= _ATUAL), else_=_ATUAL < _NOVO),
    )
    .values(
        status_envio=_ENTRADA.c.status,
        erro=case((_FALHOU, _ENTRADA.c.erro), else_=Mensagem.erro),
        reservado_ate=case((_FALHOU, null()), else_=Mensagem.reservado_ate),
        enviado_em=_marca(Mensagem.enviado_em, StatusEnvio.enviado),
        entregue_em=_marca(Mensagem.entregue_em, StatusEnvio.entregue),
        lido_em=case(
            (
                _ENTRADA.c.status == StatusEnvio.lido.value,
                func.coalesce(Mensagem.lido_em, _MOMENTO),
            ),
            else_=Mensagem.lido_em,
        ),
    )
    .returning(
        Mensagem.megaapi_id,
        Mensagem.id,
        Mensagem.chamado_id,
        Mensagem.direcao,
        Mensagem.status_envio,
        Mensagem.erro,
    )
    .cte("movidas")
)
# Receipts for ids the worker has not stored yet: parked, one row per status seen
# (applying them later in any order is forward-only anyway).
_DESCONHECIDAS = (
    select(_ENTRADA.c.megaapi_id, _ENTRADA.c.status, _ENTRADA.c.erro)
    .where(~exists().where(_DA_ENTRADA))
    .cte("desconhecidas")
)
_GUARDADAS = (
    insert(AckPendente)
    .from_select(
        ["megaapi_id", "status_envio", "erro"],
        select(_DESCONHECIDAS.c.megaapi_id, _DESCONHECIDAS.c.status, _DESCONHECIDAS.c.erro),
    )
    .on_conflict_do_nothing()
    .cte("guardadas")
)
_APLICAR = Compilada.de(
    union_all(
        select(
            _MOVIDAS.c.megaapi_id,
            _MOVIDAS.c.id,
            _MOVIDAS.c.chamado_id,
            _MOVIDAS.c.direcao,
            _MOVIDAS.c.status_envio,
            _MOVIDAS.c.erro,
        ),
        select(
            _DESCONHECIDAS.c.megaapi_id,
            null(),
            null(),
            null(),
            null(),
            null(),
        ),
    ).add_cte(_GUARDADAS)
)


@dataclass(frozen=True)
class Tick:
    """A receipt: the message MegaAPI knows by ``megaapi_id`` reached ``status``."""

    megaapi_id: str
    status: StatusEnvio
    quando: datetime | None = None  # None: now
    erro: str | None = None  # for falhou


@dataclass(frozen=True)
class Aplicado:
    movida: MensagemStatus | None  # the message's new state, when it changed
    guardado: bool  # the id is unknown: the receipt waits in acks_pendentes


async def aplicar_varios(session: AsyncSession, recibos: Sequence[Tick]) -> list[Aplicado]:
    """Move each message forward; park a receipt whose id is unknown. Answers in
    ``recibos``' order. Two round trips for any number of receipts: every id's lock
    (the one the worker takes to store an id, ``travar_id``, so no interleaving loses
    a receipt), then one statement that moves, parks or leaves each.

    Two receipts for one message go in successive statements, in their order: one
    UPDATE moves a row once."""
    await _TRAVAR_VARIOS.executar(session, chaves=[_chave(r.megaapi_id) for r in recibos])
    # A message's k-th receipt goes in the k-th statement.
    rodadas: list[list[int]] = []
    vistos: Counter[str] = Counter()
    for i, recibo in enumerate(recibos):
        vez = vistos[recibo.megaapi_id]
        vistos[recibo.megaapi_id] += 1
        if vez == len(rodadas):
            rodadas.append([])
        rodadas[vez].append(i)
    resultado: list[Aplicado | None] = [None] * len(recibos)
    for rodada in rodadas:
        desta = [recibos[i] for i in rodada]
        linhas = await _APLICAR.linhas(
            session,
            ids=[r.megaapi_id for r in desta],
            status=[r.status.value for r in desta],
            quandos=[r.quando for r in desta],
            erros=[
                (r.erro or "a MegaAPI informou erro na entrega")
                if r.status == StatusEnvio.falhou
                else None
                for r in desta
            ],
        )
        por_id = {linha["megaapi_id"]: linha for linha in linhas}
        for i in rodada:
            linha = por_id.get(recibos[i].megaapi_id)
            if linha is None:
                resultado[i] = Aplicado(None, guardado=False)
            elif linha["id"] is None:
                resultado[i] = Aplicado(None, guardado=True)
            else:
                movida = MensagemStatus(
                    mensagem_id=linha["id"],
                    chamado_id=linha["chamado_id"],
                    direcao=linha["direcao"],
                    status_envio=linha["status_envio"],
                    erro=linha["erro"],
                )
                resultado[i] = Aplicado(movida, guardado=False)
    return [a for a in resultado if a is not None]


async def aplicar_pendentes(session: AsyncSession, megaapi_id: str) -> None:
    """Apply receipts parked for ``megaapi_id``; the worker calls it in the transaction
    that stores the id, after ``travar_id``."""
    pendentes = list(
        await session.scalars(
            delete(AckPendente).where(AckPendente.megaapi_id == megaapi_id).returning(AckPendente)
        )
    )
    await aplicar_varios(
        session,
        [Tick(megaapi_id, StatusEnvio(p.status_envio), p.recebido_em, p.erro) for p in pendentes],
    )
