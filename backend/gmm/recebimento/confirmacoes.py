"""Receipts that arrive together are applied together: one transaction for all of them.

Half of MegaAPI's webhooks are delivery and read receipts, each a few bytes that move
one row forward. Alone, each paid for a whole unit of work (a session, BEGIN, the
lock, the update, COMMIT, the Redis registry); while one batch is in the database,
the receipts that arrive queue and go in the next (group commit). Nothing about a
receipt's answer changes: it is still given once its change is committed, a 503
when PostgreSQL or Redis is out stores nothing, and screens hear of every move after
the commit. Under light load a batch holds one receipt, and costs what it did.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.core import metricas, registro
from gmm.core.db import session_scope
from gmm.core.dependencias import dependencia_fora
from gmm.core.errors import ServiceUnavailable
from gmm.core.eventos import publicar_apos_commit
from gmm.envio import ticks

log = logging.getLogger(__name__)

# A batch's size is bounded so one transaction never holds too many locks, or too
# many answers wait on one commit.
LIMITE = 100


@dataclass
class _Pedido:
    recibo: ticks.Tick
    resposta: asyncio.Future[ticks.Aplicado] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )


class Confirmacoes:
    """One per process (``app.state.confirmacoes``): ``aplicar`` answers when the
    receipt's batch has committed."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis) -> None:
        self._sessionmaker = sessionmaker
        self._redis = redis
        self._fila: list[_Pedido] = []
        self._tarefa: asyncio.Task[None] | None = None  # the drain
        self._lote: asyncio.Future[None] | None = None  # the batch in the database

    async def aplicar(self, recibo: ticks.Tick) -> ticks.Aplicado:
        pedido = _Pedido(recibo)
        self._fila.append(pedido)
        if self._tarefa is None or self._tarefa.done():
            self._tarefa = asyncio.create_task(self._drenar(), name="gmm-confirmacoes")
            self._tarefa.add_done_callback(self._terminou)
        # Shielded: a request cancelled while waiting leaves its receipt in the batch
        # (applied or not as the batch goes), and the batch goes on for the others.
        return await asyncio.shield(pedido.resposta)

    async def fechar(self) -> None:
        """At shutdown: the receipts already taken are applied and answered."""
        pendentes = {t for t in (self._tarefa, self._lote) if t is not None}
        if pendentes:
            await asyncio.wait(pendentes)

    async def _drenar(self) -> None:
        while self._fila:
            lote, self._fila = self._fila[:LIMITE], self._fila[LIMITE:]
            # Shielded: a drain cancelled mid-statement would leave its connection in
            # the middle of a transaction, holding the batch's locks; the batch in
            # hand always ends (and answers its receipts) on its own.
            self._lote = asyncio.ensure_future(self._aplicar(lote))
            await asyncio.shield(self._lote)

    def _terminou(self, tarefa: asyncio.Task[None]) -> None:
        """A drain cancelled (the loop going away), started or not, leaves nobody in
        the queue waiting forever: a 503, which MegaAPI retries."""
        if tarefa.cancelled():
            fila, self._fila = self._fila, []
            for pedido in fila:
                _responder_erro(pedido, ServiceUnavailable("processo encerrando; tente novamente"))

    async def _aplicar(self, lote: list[_Pedido]) -> None:
        metricas.RECIBOS_POR_LOTE.observe(len(lote))
        try:
            async with session_scope(self._sessionmaker) as session:
                aplicados = await ticks.aplicar_varios(session, [p.recibo for p in lote])
                for aplicado in aplicados:
                    if aplicado.movida is not None:
                        publicar_apos_commit(session, aplicado.movida)
                # Before the commit: with Redis out, every receipt of the batch is a
                # 503 that stores nothing, and MegaAPI delivers them again.
                await registro.registrar_webhook(self._redis, None)
        except Exception as exc:
            dependencia = dependencia_fora(exc)
            if dependencia is not None:
                log.warning(
                    "%s indisponível (%s): %d confirmação(ões) respondida(s) 503",
                    dependencia,
                    type(exc).__name__,
                    len(lote),
                )
                detalhe = f"{dependencia} indisponível no momento; tente novamente"
                for pedido in lote:
                    _responder_erro(pedido, ServiceUnavailable(detalhe))
            elif len(lote) > 1:
                # Not an outage: whichever receipt the batch could not take is found by
                # taking each alone, so the others still land.
                for pedido in lote:
                    await self._aplicar([pedido])
            else:
                _responder_erro(lote[0], exc)
            return
        except BaseException:
            # Cancelled itself (the loop is being torn down): whether it committed is
            # unknown, and a retried receipt only moves a message forward.
            for pedido in lote:
                _responder_erro(pedido, ServiceUnavailable("processo encerrando; tente novamente"))
            raise
        for pedido, aplicado in zip(lote, aplicados, strict=True):
            if not pedido.resposta.done():
                pedido.resposta.set_result(aplicado)


def _responder_erro(pedido: _Pedido, exc: Exception) -> None:
    if not pedido.resposta.done():
        pedido.resposta.set_exception(exc)
