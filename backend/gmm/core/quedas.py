"""PostgreSQL and Redis outages as a worker process sees them.

An outage is not a bug: the worker must not exit, must not write a traceback per
poll, and must not lose or drop a job over one. This module tells an outage apart
from anything else, keeps what is down (logged once when it goes, once when it
comes back), waits it out with capped backoff, and turns a job's outage error into
an arq ``Retry`` instead of a failure.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any, cast

from arq import Retry
from arq.typing import WorkerCoroutine
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.pool import NullPool

from gmm.core.config import Settings
from gmm.core.db import create_engine
from gmm.core.dependencias import BANCO, REDIS, dependencia_fora

log = logging.getLogger(__name__)


# Reconnection: 0.5, 1, 2 ... up to this, each drawn between half and all of it
# (many workers coming back at once must not hit the servers in step).
ESPERA_MAXIMA_S = 15.0
# A dependency that does not answer a check within this is down, not slow.
VERIFICACAO_TIMEOUT_S = 5.0
# A job that met an outage runs again after this (jittered): long enough not to
# churn through the queue during the outage, short enough to resume promptly.
ADIAMENTO_S = 5.0


def espera(tentativa: int) -> float:
    """Capped exponential backoff with jitter for reconnecting (tentativa from 1)."""
    teto = min(ESPERA_MAXIMA_S, 0.5 * 2 ** max(tentativa - 1, 0))
    return random.uniform(teto / 2, teto)  # noqa: S311 - jitter, not security


class Quedas:
    """What this process knows to be down, shared by its workers and heartbeat.

    ``caiu`` is called by whoever meets an outage (a job, the heartbeat, a worker's
    poll loop): it logs once per outage and sets ``pausar``, which tells each
    worker's supervisor to stop taking jobs until ``aguardar_volta`` sees both
    servers answer again.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.pausar = asyncio.Event()
        self._desde: dict[str, float] = {}

    def caiu(self, dependencia: str, exc: BaseException) -> None:
        self.pausar.set()
        if dependencia in self._desde:
            return
        self._desde[dependencia] = time.monotonic()
        log.warning(
            "%s indisponível (%s: %s): o worker para de pegar tarefas e tenta reconectar",
            dependencia,
            type(exc).__name__,
            str(exc)[:200] or "sem detalhe",
        )

    def voltou(self) -> None:
        self.pausar.clear()
        for dependencia, desde in self._desde.items():
            log.info(
                "%s respondeu de novo após %.0f s: o worker volta a pegar tarefas",
                dependencia,
                time.monotonic() - desde,
            )
        self._desde.clear()

    def fora(self) -> set[str]:
        return set(self._desde)

    async def verificar(self) -> bool:
        """Both servers answer now (each down one is recorded through ``caiu``)."""
        ok = True
        for dependencia, checar in ((REDIS, self._redis), (BANCO, self._postgres)):
            try:
                await asyncio.wait_for(checar(), VERIFICACAO_TIMEOUT_S)
            except Exception as exc:
                # Whatever the reason a ping or a SELECT 1 fails, nothing can work.
                self.caiu(dependencia, exc)
                ok = False
        return ok

    async def postgres_responde(self, engine: AsyncEngine) -> bool:
        """The worker's own database answers (for its heartbeat); an outage is recorded."""
        try:
            async with asyncio.timeout(VERIFICACAO_TIMEOUT_S), engine.connect() as conexao:
                await conexao.execute(text("SELECT 1"))
        except Exception as exc:
            self.caiu(BANCO, exc)
            return False
        return True

    async def aguardar_volta(self, parar: asyncio.Event) -> bool:
        """Wait, with backoff, until both servers answer; False if told to stop first."""
        tentativa = 0
        while not parar.is_set():
            tentativa += 1
            with suppress(TimeoutError):
                await asyncio.wait_for(parar.wait(), espera(tentativa))
            if parar.is_set():
                break
            if await self.verificar():
                self.voltou()
                return True
        return False

    async def _redis(self) -> None:
        assert self.settings.redis_url
        # A fresh connection each time: a pooled one could be half dead.
        cliente = Redis.from_url(
            self.settings.redis_url,
            socket_connect_timeout=VERIFICACAO_TIMEOUT_S,
            socket_timeout=VERIFICACAO_TIMEOUT_S,
        )
        try:
            await cliente.ping()
        finally:
            with suppress(Exception):
                await cliente.aclose()

    async def _postgres(self) -> None:
        assert self.settings.database_url
        engine = create_engine(self.settings.database_url, poolclass=NullPool)
        try:
            async with engine.connect() as conexao:
                await conexao.execute(text("SELECT 1"))
        finally:
            await engine.dispose()


def resistente(job: Callable[..., Awaitable[Any]], *, adiar: bool = True) -> WorkerCoroutine:
    """``job`` for arq, with an outage turned into a pause instead of a failure.

    An outage error tells the process's ``Quedas`` (so the worker pauses) and
    becomes ``Retry``: arq keeps the job and runs it again after the outage, where a
    plain exception would end it as failed. With ``adiar=False`` (the periodic
    sweep, which runs again soon anyway) the run just ends.
    """

    @functools.wraps(job)
    async def executar(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return await job(ctx, *args, **kwargs)
        except Exception as exc:
            dependencia = dependencia_fora(exc)
            if dependencia is None:
                raise
            quedas: Quedas | None = ctx.get("quedas")
            if quedas is not None:
                quedas.caiu(dependencia, exc)
            if not adiar:
                return f"{dependencia} indisponível"
            raise Retry(defer=ADIAMENTO_S + random.uniform(0, ADIAMENTO_S)) from exc  # noqa: S311

    return cast(WorkerCoroutine, executar)
