"""The worker runtime: assembles the jobs of every feature into arq workers and keeps
them running through Redis and PostgreSQL outages (``gmm worker``)."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Collection
from contextlib import suppress
from typing import Any

from arq import Worker, cron, func
from arq.connections import RedisSettings
from redis.exceptions import RedisError

from gmm.core import registro
from gmm.core.config import Settings
from gmm.core.dependencias import dependencia_fora
from gmm.core.quedas import Quedas, resistente
from gmm.desempenho.tasks import atualizar_desempenho
from gmm.envio.contexto import Contexto, criar_contexto
from gmm.envio.fila import (
    BAIXAR_MIDIA,
    ENVIAR,
    FILA_TRANSCRICOES,
    QUEUE_NAME,
    TRANSCREVER,
)
from gmm.envio.job import enviar_mensagem, varrer_pendentes
from gmm.monitoramento import tasks as monitoramento_tasks
from gmm.recebimento.baixar import MIDIA_MAX_TENTATIVAS, baixar_midia
from gmm.sla.tasks import cobrar_automaticamente
from gmm.transcricao.tasks import ESPERAS_PELO_MODELO, job_timeout_s, transcrever_audio

log = logging.getLogger(__name__)


async def _startup(ctx: dict[str, Any]) -> None:
    contexto = criar_contexto(ctx["settings"])
    quedas: Quedas = ctx["quedas"]
    ctx["gmm"] = contexto

    async def pode_trabalhar() -> bool:
        # Redis is checked by the beat itself; a worker that cannot reach the
        # database takes jobs only to fail them, so it must not look alive.
        return await quedas.postgres_responde(contexto.engine)

    ctx["batimentos"] = asyncio.create_task(
        monitoramento_tasks.batimentos(contexto.redis, registro.id_do_worker(), pode_trabalhar)
    )


async def _shutdown(ctx: dict[str, Any]) -> None:
    # Popped: a worker re-created after an outage gets the same ctx keys anew.
    batimentos: asyncio.Task[None] | None = ctx.pop("batimentos", None)
    contexto: Contexto | None = ctx.pop("gmm", None)
    if batimentos is not None:
        batimentos.cancel()
        with suppress(asyncio.CancelledError):
            await batimentos
        if contexto is not None:
            # Counted out at once, not 45 s later (impossible while Redis is down).
            with suppress(RedisError, OSError, TimeoutError):
                async with asyncio.timeout(5):
                    await registro.fim_do_batimento(contexto.redis, registro.id_do_worker())
    if contexto is not None:
        await contexto.aclose()


def _opcoes(settings: Settings, overrides: dict[str, Any], **opcoes: Any) -> dict[str, Any]:
    """What every worker of ours shares, its queue's own options, then the caller's."""
    assert settings.redis_url
    return {
        "redis_settings": RedisSettings.from_dsn(settings.redis_url),
        "on_shutdown": _shutdown,
        # rodar_workers puts one Quedas for the whole process in here.
        "ctx": {"settings": settings, "quedas": Quedas(settings)},
        # No stored results: a message's job id can be used again by a resend.
        "keep_result": 0,
        "handle_signals": True,
        **opcoes,
        **overrides,
    }


def worker_options(settings: Settings, **overrides: Any) -> dict[str, Any]:
    """Keyword arguments for ``arq.Worker`` (used by `gmm worker`, tests and benchmarks)."""
    return _opcoes(
        settings,
        overrides,
        functions=[
            # Deferrals for rate and breaker are not failures: tries are unbounded
            # here and transient gateway errors are counted in the row instead.
            # An outage is a Retry, not a failure: the job stays queued (resistente).
            func(
                resistente(enviar_mensagem),
                name=ENVIAR,
                timeout=settings.envio_job_timeout_seconds,
                max_tries=1_000_000,
            ),
            func(
                resistente(baixar_midia),
                name=BAIXAR_MIDIA,
                timeout=settings.envio_job_timeout_seconds,
                max_tries=MIDIA_MAX_TENTATIVAS + 1,
            ),
        ],
        cron_jobs=[
            # arq hands a dead worker's job over after the longest timeout of any
            # function + 10 s, so the sweep's timeout must not exceed the send's.
            cron(
                resistente(varrer_pendentes, adiar=False),
                second={0, 30},
                run_at_startup=True,
                timeout=settings.envio_job_timeout_seconds,
            ),
            # The follow-up ladder (gmm.sla): once a minute, one worker at a time
            # (arq's cron is unique per run); the database keeps each step single.
            cron(
                resistente(cobrar_automaticamente, adiar=False),
                second={15},
                timeout=settings.envio_job_timeout_seconds,
            ),
            # The performance facts (gmm.desempenho): a batch of stale ones a minute.
            cron(
                resistente(atualizar_desempenho, adiar=False),
                second={45},
                run_at_startup=True,
                timeout=settings.envio_job_timeout_seconds,
            ),
        ],
        queue_name=QUEUE_NAME,
        on_startup=_startup,
        poll_delay=0.2,
        max_jobs=10,
    )


async def _startup_transcricoes(ctx: dict[str, Any]) -> None:
    # The send worker of the same process already beats for it.
    ctx["gmm"] = criar_contexto(ctx["settings"])


def worker_transcricoes_options(settings: Settings, **overrides: Any) -> dict[str, Any]:
    """Keyword arguments for the ``arq.Worker`` of the transcription queue.

    Its own worker, because its jobs may take minutes: on the send queue they would
    hold back the hand-over of a dead worker's sends by as long.
    """
    return _opcoes(
        settings,
        overrides,
        functions=[
            func(
                resistente(transcrever_audio),
                name=TRANSCREVER,
                timeout=job_timeout_s(settings),
                max_tries=ESPERAS_PELO_MODELO + 1,
            )
        ],
        queue_name=FILA_TRANSCRICOES,
        on_startup=_startup_transcricoes,
        poll_delay=0.5,
        max_jobs=settings.transcricao_simultaneas,
    )


FILAS = ("envios", "transcricoes")
# How long a stop may wait for a dead Redis before giving up on arq's goodbye.
ADEUS_TIMEOUT_S = 5.0


async def parar_worker(w: Worker, principal: asyncio.Task[None]) -> None:
    """Stop an arq worker whose ``main()`` runs as ``principal``: jobs still running
    are cancelled (arq runs them again later), then its pool and our context close.

    Not arq's own ``close()``, which stops at its first error: it gathers the job
    tasks without ``return_exceptions`` (a job cancelled in the middle of a Redis
    call raises CancelledError out of it), and on a dead Redis its first command
    raises ConnectionError. Either way the rest (pool, context, database engine)
    would be skipped, and the error would escape into whoever is stopping it.
    """
    principal.cancel()
    for tarefa in w.tasks.values():
        tarefa.cancel()
    await asyncio.gather(principal, *w.tasks.values(), return_exceptions=True)
    # Finished tasks leave the dict, as arq's own poll loop does with them.
    w.tasks.clear()
    pool = w._pool
    if pool is None:
        return
    try:
        # The worker's "I am here" key; it expires by itself if Redis cannot hear this.
        with suppress(RedisError, OSError, TimeoutError):
            async with asyncio.timeout(ADEUS_TIMEOUT_S):
                await pool.delete(w.health_check_key)
        if w.on_shutdown is not None:
            await w.on_shutdown(w.ctx)
    finally:
        with suppress(RedisError, OSError):
            await pool.aclose(close_connection_pool=True)
        w._pool = None


async def _supervisionar(
    opcoes: Callable[[], dict[str, Any]], quedas: Quedas, parar: asyncio.Event
) -> None:
    """One arq worker for the life of the process, re-created after each outage.

    arq's poll loop raises on the first Redis error, and jobs fail one by one while
    PostgreSQL is down. Either way (``main()`` dying, or ``quedas.pausar`` set by a
    job or the heartbeat) the worker is stopped, the servers are asked with backoff
    until both answer, and a fresh worker starts. Nothing is lost meanwhile: jobs
    live in Redis (a cut one runs again), and the sweep, run at each start, queues
    anything PostgreSQL still has as pendente/enfileirado.
    """
    while True:
        # Fresh options each time: arq's cron objects remember their next run, and
        # the sweep must run at each start.
        w = Worker(**opcoes())
        w.ctx["quedas"] = quedas
        principal = asyncio.create_task(w.main())
        sinais = [asyncio.create_task(parar.wait()), asyncio.create_task(quedas.pausar.wait())]
        try:
            await asyncio.wait([principal, *sinais], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for sinal in sinais:
                sinal.cancel()
            await parar_worker(w, principal)
        if parar.is_set():
            return
        erro = None if principal.cancelled() else principal.exception()
        if erro is not None:
            dependencia = dependencia_fora(erro)
            if dependencia is None:
                # A bug, not an outage: fail loudly (gmm run and compose restart us).
                raise erro
            quedas.caiu(dependencia, erro)
        elif not quedas.pausar.is_set():
            log.warning("o worker da fila %s parou sem erro; reiniciando", w.queue_name)
        if not await quedas.aguardar_volta(parar):
            return


def _parar(parar: asyncio.Event, sinal: signal.Signals) -> None:
    log.info("parando os workers (%s)", sinal.name)
    parar.set()


async def rodar_workers(settings: Settings, filas: Collection[str] = FILAS) -> None:
    """This process's workers until SIGINT or SIGTERM: the send queue (with downloads
    and the sweep) and, with a transcription backend, the transcription queue.

    Both in one process by default (one service to deploy); ``gmm worker --fila``
    runs one of them, to scale them apart. A Redis or PostgreSQL outage, however
    long, pauses them (see ``_supervisionar``); it never ends the process. On a
    signal, jobs still running are cancelled and run again later, as arq does.
    """
    opcoes: list[Callable[[], dict[str, Any]]] = []
    if "envios" in filas:
        opcoes.append(lambda: worker_options(settings, handle_signals=False))
    if "transcricoes" in filas and settings.transcricao_backend != "none":
        opcoes.append(lambda: worker_transcricoes_options(settings, handle_signals=False))
    if not opcoes:
        log.warning("nada a fazer: a transcrição está desligada (GMM_TRANSCRICAO_BACKEND=none)")
        return
    quedas = Quedas(settings)
    loop = asyncio.get_running_loop()
    parar = asyncio.Event()
    sinais = (signal.SIGINT, signal.SIGTERM)
    for sinal in sinais:
        loop.add_signal_handler(sinal, _parar, parar, sinal)
    supervisores = [asyncio.create_task(_supervisionar(o, quedas, parar)) for o in opcoes]
    try:
        await asyncio.wait(supervisores, return_when=asyncio.FIRST_EXCEPTION)
    finally:
        for sinal in sinais:
            loop.remove_signal_handler(sinal)
        # One supervisor failed on a bug (or we are being cancelled): stop the others.
        parar.set()
        await asyncio.gather(*supervisores, return_exceptions=True)
    for supervisor in supervisores:
        if not supervisor.cancelled() and (erro := supervisor.exception()) is not None:
            raise erro
