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
        self._em_maos: list[_Pedido] = []  # the batch in the database
        self._tarefa: asyncio.Task[None] | None = None

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
        if self._tarefa is not None:
            await asyncio.wait({self._tarefa})

    async def _drenar(self) -> None:
        while self._fila:
            self._em_maos, self._fila = self._fila[:LIMITE], self._fila[LIMITE:]
            await self._aplicar(self._em_maos)
        self._em_maos = []

    def _terminou(self, tarefa: asyncio.Task[None]) -> None:
        """A drain cancelled (the loop going away), started or not, leaves nobody
        waiting forever. Whether the batch in hand committed is unknown; MegaAPI's
        retry of the 503 is harmless, since a receipt only moves a message forward."""
        if not tarefa.cancelled():
            return  # _aplicar answers every receipt, whatever happens
        pendentes, self._em_maos, self._fila = [*self._em_maos, *self._fila], [], []
        for pedido in pendentes:
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
                for pedido in lote:
                    _responder_erro(
                        pedido,
                        ServiceUnavailable(
                            f"{dependencia} indisponível no momento; tente novamente"
                        ),
                    )
            elif len(lote) > 1:
                # Not an outage: whichever receipt the batch could not take is found by
                # taking each alone, so the others still land.
                for pedido in lote:
                    await self._aplicar([pedido])
            else:
                _responder_erro(lote[0], exc)
            return
        for pedido, aplicado in zip(lote, aplicados, strict=True):
            if not pedido.resposta.done():
                pedido.resposta.set_result(aplicado)


def _responder_erro(pedido: _Pedido, exc: Exception) -> None:
    if not pedido.resposta.done():
        pedido.resposta.set_exception(exc)
