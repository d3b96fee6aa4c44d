"""Background loops: the API's incident watcher and the worker's heartbeat."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from arq.connections import ArqRedis
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.core import registro
from gmm.core.config import Settings
from gmm.core.db import session_scope
from gmm.envio.fila import Fila
from gmm.envio.service import WhatsAppService
from gmm.megaapi.cliente import MegaAPIError
from gmm.monitoramento import alertas

log = logging.getLogger(__name__)

BATIMENTO_S = 10.0
# The instance status is asked of MegaAPI every this many watcher rounds (~1 min).
RODADAS_POR_CONSULTA = 4


async def verificar_instancia(
    session: AsyncSession, redis: Redis, arq: ArqRedis, settings: Settings
) -> None:
    try:
        estado = await WhatsAppService(session, Fila(arq), settings).estado_instancia()
    except MegaAPIError as exc:
        status = f"erro: {exc.reason}"[:200]
    else:
        if estado is None:
            return
        status = estado.status or "desconhecido"
    segundos, _ = await redis.time()
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hset(registro.INSTANCIA, mapping={"status": status, "verificado_em": str(segundos)})
        await pipe.execute()


async def vigia(
    sessionmaker: async_sessionmaker[AsyncSession],
    redis: Redis,
    arq: ArqRedis,
    settings: Settings,
) -> None:
    """Runs for the API's lifetime; each round only one replica gets the lease."""
    dono = registro.id_do_worker()
    rodada = 0
    while True:
        try:
            if await alertas.assumir_vigia(redis, settings, dono):
                await alertas.vigiar(sessionmaker, redis, settings)
                if rodada % RODADAS_POR_CONSULTA == 0:
                    async with session_scope(sessionmaker) as session:
                        await verificar_instancia(session, redis, arq, settings)
                rodada += 1
        except asyncio.CancelledError:
            raise
        except Exception:
            # The watcher must outlive a database or Redis hiccup.
            log.exception("vigia do monitoramento falhou nesta rodada")
        await asyncio.sleep(settings.vigia_intervalo_seconds)


async def batimentos(
    redis: Redis, worker_id: str, pode_trabalhar: Callable[[], Awaitable[bool]] | None = None
) -> None:
    """A worker's heartbeat, every BATIMENTO_S, for as long as it runs and can work.

    ``pode_trabalhar`` (the worker's own dependency check) comes first: a worker
    that cannot reach its database is not healthy, whatever its process says, so
    it beats no more and its last beat is taken back for the panel to count it out.
    """
    falhando = False
    while True:
        try:
            if pode_trabalhar is None or await pode_trabalhar():
                await registro.batimento(redis, worker_id)
            else:
                await registro.fim_do_batimento(redis, worker_id)
            falhando = False
        except asyncio.CancelledError:
            raise
        except Exception:
            # Once per run of failures: an outage is logged by the worker itself.
            if not falhando:
                log.warning("batimento do worker não registrado (Redis indisponível?)")
            falhando = True
        await asyncio.sleep(BATIMENTO_S)
