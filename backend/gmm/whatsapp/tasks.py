"""arq worker: drains the send queue to MegaAPI behind the shared limiter and breaker.

One job per message (job id = message id). A job reloads its row, waits for a
rate slot and the breaker, claims the row with a lease, calls MegaAPI and records
the outcome. Anything that goes wrong between commit and send (Redis flushed, a
worker killed mid-send, a job that gave up) leaves the row ``pendente`` or
``enfileirado``, and the periodic sweep queues it again: nothing accepted is lost.
"""

from __future__ import annotations

import asyncio
import logging
import random
import signal
import time
from collections.abc import Callable, Collection
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from arq import Retry, Worker, cron, func
from arq.connections import RedisSettings
from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import Row, or_, select, update
from sqlalchemy import func as sql_func
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gmm import logs
from gmm.config import Settings
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo
from gmm.db import create_engine, create_sessionmaker, session_scope, utcnow
from gmm.dependencias import dependencia_fora
from gmm.eventos.service import publicar
from gmm.monitoramento import metricas, registro
from gmm.monitoramento import tasks as monitoramento_tasks
from gmm.transcricao.tasks import ESPERAS_PELO_MODELO, job_timeout_s, transcrever_audio
from gmm.whatsapp import credenciais, ordem, recebimento
from gmm.whatsapp import midia as midia_arquivos
from gmm.whatsapp.circuit_breaker import CircuitBreaker
from gmm.whatsapp.fila import (
    BAIXAR_MIDIA,
    ENVIAR,
    FILA_TRANSCRICOES,
    QUEUE_NAME,
    TRANSCREVER,
    Fila,
)
from gmm.whatsapp.megaapi import (
    ListSection,
    MediaKeys,
    MediaType,
    MegaAPIClient,
    MegaAPICredentials,
    MegaAPIError,
    MegaAPIPermanentError,
    MegaAPITransientError,
)
from gmm.whatsapp.quedas import Quedas, resistente
from gmm.whatsapp.quedas import espera as espera_quedas
from gmm.whatsapp.rate_limiter import RateLimiter
from gmm.whatsapp.service import URGENTES, evento_mensagem

log = logging.getLogger(__name__)

# A job is cut after GMM_ENVIO_JOB_TIMEOUT_SECONDS (30 s); arq then lets another
# worker re-run it 10 s later, so a killed worker's message is picked up again
# within a minute. The claim outlives any run of the job and runs out before
# that re-run.
RESERVA_ALEM_DO_TIMEOUT = timedelta(seconds=5)
# Waiting for a rate slot inside the job keeps the queue in order (oldest and
# urgent first) without waking every queued job at each slot; past this the
# job is deferred instead, so it never nears its timeout.
ESPERA_MAXIMA_NO_JOB_S = 8.0
SEM_CREDENCIAIS_ADIA_S = 60.0
ANTECIPACAO_S = 0.004
VARREDURA_LOTE = 1000
_EM_ANDAMENTO = ordem.EM_ANDAMENTO


def backoff(tentativa: int) -> float:
    """Exponential backoff with jitter for transient gateway failures: 2, 4, 8 ... ≤ 300 s."""
    teto = min(300.0, 2.0 * 2 ** max(tentativa - 1, 0))
    return random.uniform(teto / 2, teto)  # noqa: S311 - jitter, not security


@dataclass
class Contexto:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    redis: Redis
    limiter: RateLimiter
    breaker: CircuitBreaker
    clients: dict[MegaAPICredentials, MegaAPIClient] = field(default_factory=dict)

    def client(self, creds: MegaAPICredentials) -> MegaAPIClient:
        # One pooled HTTP client per credential set; a new token gets a new client.
        if creds not in self.clients:
            self.clients[creds] = MegaAPIClient(
                creds, timeout=self.settings.megaapi_timeout_seconds
            )
        return self.clients[creds]

    async def aclose(self) -> None:
        # Also after an outage: a close that fails on a dead connection must not
        # leave the others open.
        for fechar in (
            *(client.aclose for client in self.clients.values()),
            self.redis.aclose,
            self.engine.dispose,
        ):
            try:
                await fechar()
            except Exception:
                log.debug("recurso do worker não fechou limpo", exc_info=True)


def criar_contexto(settings: Settings) -> Contexto:
    assert settings.database_url and settings.redis_url
    engine = create_engine(settings.database_url)
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    return Contexto(
        settings=settings,
        engine=engine,
        sessionmaker=create_sessionmaker(engine),
        redis=redis,
        limiter=RateLimiter.do_produto(redis, settings),
        breaker=CircuitBreaker.do_produto(redis, settings),
    )


async def enviar_mensagem(
    ctx: dict[str, Any], mensagem_id: int, request_id: str | None = None
) -> str:
    """Send one message; answers what happened (for arq's log)."""
    c: Contexto = ctx["gmm"]
    # Each job runs in its own task: these ids mark this job's log lines only.
    logs.request_id.set(request_id)
    logs.mensagem_id.set(mensagem_id)
    async with c.sessionmaker() as session:
        mensagem = await session.get(Mensagem, mensagem_id)
        if mensagem is None or mensagem.status_envio not in _EM_ANDAMENTO:
            return "nada a fazer"
        logs.chamado_id.set(mensagem.chamado_id)
        ja_tentada = mensagem.tentativas > 0
        urgente = mensagem.prioridade in URGENTES
        anterior = await ordem.anterior(session, mensagem)
        creds = await credenciais.carregar(session, c.settings)
    if ja_tentada and (megaapi_id := await _aceita_antes(c, mensagem_id)) is not None:
        # A previous attempt went through; only its record was cut short.
        await _gravar_enviado(c, mensagem_id, megaapi_id)
        await c.redis.delete(_aceita(mensagem_id))
        await _liberar_proxima(c, Fila(ctx["redis"]), mensagem_id)
        return "enviado (gravado depois da queda)"
    if anterior is not None:
        # Order per chamado: the previous message goes first, and wakes this one.
        raise Retry(defer=await ordem.espera(c.redis, anterior))
    if creds is None:
        log.warning("MegaAPI não configurada: mensagem %s aguarda", mensagem_id)
        raise Retry(defer=SEM_CREDENCIAIS_ADIA_S)

    # A cheap look first, so that jobs do not use up rate slots while the breaker
    # is open; the decision that counts is taken right before the call.
    estado = await c.breaker.snapshot()
    if estado.status == "OPEN" and estado.opened_at is not None:
        restante = estado.opened_at.timestamp() + c.settings.breaker_reset_seconds - time.time()
        raise Retry(defer=max(restante, 0.05) + random.uniform(0, 1))  # noqa: S311
    await _aguardar_vaga(c, urgente)
    decisao = await c.breaker.acquire()
    if not decisao.allowed:
        # Spread the wake-ups so a reopening gateway is not hit by the whole queue.
        raise Retry(defer=decisao.retry_after + random.uniform(0, 1))  # noqa: S311

    alvo = await _reservar(c, mensagem_id)
    if alvo is None:
        async with c.sessionmaker() as session:
            mensagem = await session.get(Mensagem, mensagem_id)
            anterior = await ordem.anterior(session, mensagem) if mensagem else None
        if anterior is not None:
            # An earlier message went back to the queue (a resend) since the look above.
            raise Retry(defer=await ordem.espera(c.redis, anterior))
        return "reservada por outro job ou já tratada"
    try:
        megaapi_id = await _chamar_megaapi(c.client(creds), alvo, c.settings)
    except MegaAPITransientError as exc:
        await _contar(c, exc)
        with suppress(RedisError):
            await c.breaker.record_failure(decisao)
        if alvo.tentativas >= c.settings.envio_max_tentativas:
            await _falhou(c, mensagem_id, f"{exc.reason} (após {alvo.tentativas} tentativas)")
            await _liberar_proxima(c, Fila(ctx["redis"]), mensagem_id)
            return "falhou"
        await _liberar(c, mensagem_id, exc.reason)
        raise Retry(defer=backoff(alvo.tentativas)) from exc
    except MegaAPIPermanentError as exc:
        # The gateway answered: it is up, the message itself is what it refused.
        await _contar(c, exc)
        await c.breaker.record_success(decisao)
        await _falhou(c, mensagem_id, exc.reason)
        await _liberar_proxima(c, Fila(ctx["redis"]), mensagem_id)
        return "falhou"
    # MegaAPI took it: from here on, no outage may make it go a second time.
    await _contar(c, None)
    try:
        await c.breaker.record_success(decisao)
    except RedisError:
        log.warning("sucesso não contado no disjuntor (Redis indisponível)")
    await _gravar_enviado(c, mensagem_id, megaapi_id)
    await _liberar_proxima(c, Fila(ctx["redis"]), mensagem_id)
    return "enviado"


def _aceita(mensagem_id: int) -> str:
    return f"gmm:envio:aceito:{mensagem_id}"


# Long enough for any lease and any outage someone would wait out.
ACEITA_TTL = timedelta(days=7)


async def _gravar_enviado(c: Contexto, mensagem_id: int, megaapi_id: str) -> None:
    """Record a send MegaAPI accepted, waiting out a PostgreSQL outage if need be.

    Were the row left ``enfileirado``, its lease would run out and the message go to
    the contractor twice. If this job is cut before the database is back (its
    timeout, a stop), the id MegaAPI gave waits in Redis, and the next run of the
    job records it instead of sending (``_aceita_antes``).
    """
    tentativa = 0
    while True:
        try:
            await _enviado(c, mensagem_id, megaapi_id)
        except Exception as exc:
            if dependencia_fora(exc) is None:
                raise
            tentativa += 1
            if tentativa == 1:
                log.warning("envio %s aceito pela MegaAPI, gravação adiada: %s", mensagem_id, exc)
                with suppress(RedisError):
                    await c.redis.set(_aceita(mensagem_id), megaapi_id, ex=ACEITA_TTL)
            await asyncio.sleep(espera_quedas(tentativa))
            continue
        if tentativa:
            with suppress(RedisError):
                await c.redis.delete(_aceita(mensagem_id))
        return


async def _aceita_antes(c: Contexto, mensagem_id: int) -> str | None:
    """The MegaAPI id of an earlier attempt whose acceptance could not be recorded."""
    aceita: str | None = await c.redis.get(_aceita(mensagem_id))
    return aceita


async def _contar(c: Contexto, falha: MegaAPIError | None) -> None:
    """Monitoring's count of this call; never in the way of recording the send itself."""
    resultado = (
        "enviado"
        if falha is None
        else ("falha_transitoria" if falha.transient else "falha_permanente")
    )
    metricas.ENVIOS.labels(resultado).inc()
    try:
        await registro.registrar_envio(c.redis, falha)
    except RedisError:
        log.warning("contagem de envio para o monitoramento perdida (Redis indisponível)")


async def _aguardar_vaga(c: Contexto, urgente: bool) -> None:
    esperado = 0.0
    limite = min(ESPERA_MAXIMA_NO_JOB_S, c.settings.envio_job_timeout_seconds / 3)
    while True:
        vaga = await c.limiter.acquire()
        if vaga.allowed:
            return
        if esperado + vaga.retry_after > limite:
            atraso = 0.0 if urgente else random.uniform(0.2, 1.0)  # noqa: S311
            raise Retry(defer=vaga.retry_after + atraso)
        # With burst 1 a slot nobody asks for on time is gone; the waiters wake
        # a little early, at staggered moments, so one of them asks right on time.
        espera = max(vaga.retry_after - random.uniform(0, ANTECIPACAO_S), 0.0)  # noqa: S311
        await asyncio.sleep(espera)
        esperado += espera


async def _reservar(c: Contexto, mensagem_id: int) -> Row[Any] | None:
    """Claim the row for this send: counts the attempt and sets the lease, atomically."""
    async with session_scope(c.sessionmaker) as session:
        result = await session.execute(
            update(Mensagem)
            .where(
                Mensagem.id == mensagem_id,
                Mensagem.status_envio.in_(_EM_ANDAMENTO),
                or_(Mensagem.reservado_ate.is_(None), Mensagem.reservado_ate < sql_func.now()),
                ordem.e_a_vez(),
            )
            .values(
                status_envio=StatusEnvio.enfileirado,
                tentativas=Mensagem.tentativas + 1,
                reservado_ate=sql_func.now()
                + timedelta(seconds=c.settings.envio_job_timeout_seconds)
                + RESERVA_ALEM_DO_TIMEOUT,
            )
            .returning(
                Mensagem.id,
                Mensagem.destinatario,
                Mensagem.tipo_conteudo,
                Mensagem.texto,
                Mensagem.conteudo,
                Mensagem.tentativas,
            )
        )
        return result.first()


async def _chamar_megaapi(client: MegaAPIClient, alvo: Row[Any], settings: Settings) -> str:
    conteudo: dict[str, Any] = alvo.conteudo or {}
    if alvo.tipo_conteudo == TipoConteudo.text:
        return await client.send_text(alvo.destinatario, alvo.texto or "")
    if alvo.tipo_conteudo == TipoConteudo.interactive and conteudo.get("tipo") == "lista":
        return await client.send_list(
            alvo.destinatario,
            button_text=conteudo["botao"],
            text=alvo.texto or "",
            title=conteudo.get("titulo", ""),
            description=conteudo.get("descricao", ""),
            sections=[
                ListSection(
                    title=secao["titulo"],
                    rows=[(r["titulo"], r.get("descricao", ""), r["id"]) for r in secao["linhas"]],
                )
                for secao in conteudo["secoes"]
            ],
        )
    if alvo.tipo_conteudo == TipoConteudo.interactive:
        return await client.send_buttons(
            alvo.destinatario,
            text=alvo.texto or "",
            footer_text=conteudo.get("rodape", ""),
            buttons=[b["titulo"] for b in conteudo["botoes"]],
        )
    media_type: MediaType = "ptt" if conteudo.get("ptt") else alvo.tipo_conteudo.value
    if settings.public_base_url:
        # MegaAPI fetches the file from us; signed now, so a resend gets a fresh link.
        return await client.send_media_url(
            alvo.destinatario,
            url=midia_arquivos.url_publica(settings, conteudo["arquivo"]),
            file_name=conteudo["nome_arquivo"],
            media_type=media_type,
            mime_type=conteudo["mime_type"],
            caption=conteudo.get("caption"),
        )
    arquivo = midia_arquivos.caminho(settings.media_dir, conteudo["arquivo"])
    if arquivo is None:
        raise MegaAPIPermanentError(f"o arquivo {conteudo['nome_arquivo']} não está mais guardado")
    data = await asyncio.to_thread(arquivo.read_bytes)
    return await client.send_media_base64(
        alvo.destinatario,
        data=data,
        file_name=conteudo["nome_arquivo"],
        media_type=media_type,
        mime_type=conteudo["mime_type"],
        caption=conteudo.get("caption"),
    )


async def _enviado(c: Contexto, mensagem_id: int, megaapi_id: str) -> None:
    async with session_scope(c.sessionmaker) as session:
        # Same lock as the webhook's receipt handling: a receipt that came first
        # is either parked before this commit or sees the id after it.
        await recebimento.travar_id(session, megaapi_id)
        await session.execute(
            update(Mensagem)
            # Forward only: a receipt may already have moved it past "enviado".
            .where(Mensagem.id == mensagem_id, Mensagem.status_envio.in_(_EM_ANDAMENTO))
            .values(
                status_envio=StatusEnvio.enviado,
                megaapi_id=megaapi_id,
                enviado_em=sql_func.now(),
                erro=None,
                reservado_ate=None,
            )
        )
        await recebimento.aplicar_pendentes(session, megaapi_id)
    await _notificar(c, mensagem_id)


async def _falhou(c: Contexto, mensagem_id: int, motivo: str) -> None:
    async with session_scope(c.sessionmaker) as session:
        await session.execute(
            update(Mensagem)
            .where(Mensagem.id == mensagem_id, Mensagem.status_envio.in_(_EM_ANDAMENTO))
            .values(status_envio=StatusEnvio.falhou, erro=motivo, reservado_ate=None)
        )
    log.warning("mensagem %s falhou: %s", mensagem_id, motivo)
    await _notificar(c, mensagem_id)


async def _liberar_proxima(c: Contexto, fila: Fila, mensagem_id: int) -> None:
    """Wake the chamado's next message, which waited for this one to be sent or to fail
    (a failed message holds nothing back: the operator sees it and may resend it)."""
    async with c.sessionmaker() as session:
        proxima = await ordem.proxima(session, mensagem_id)
    if proxima is None:
        return
    try:
        await fila.acordar(proxima.id, urgente=proxima.prioridade in URGENTES)
    except RedisError:
        # It wakes by itself when its wait runs out (ordem.espera bounds it).
        log.warning("mensagem %s não foi acordada (Redis indisponível)", proxima.id)


async def _liberar(c: Contexto, mensagem_id: int, motivo: str) -> None:
    """Give the lease back before a retry, keeping the last error for the operator."""
    async with session_scope(c.sessionmaker) as session:
        await session.execute(
            update(Mensagem)
            .where(Mensagem.id == mensagem_id, Mensagem.status_envio.in_(_EM_ANDAMENTO))
            .values(reservado_ate=None, erro=motivo)
        )


MIDIA_MAX_TENTATIVAS = 6


async def baixar_midia(ctx: dict[str, Any], mensagem_id: int) -> str:
    """Fetch an inbound file through downloadMediaMessage and store it (own retries)."""
    c: Contexto = ctx["gmm"]
    async with c.sessionmaker() as session:
        mensagem = await session.get(Mensagem, mensagem_id)
        if mensagem is None or not mensagem.conteudo or "midia" not in mensagem.conteudo:
            return "nada a fazer"
        if mensagem.url_midia:
            return "já baixada"
        midia: dict[str, Any] = mensagem.conteudo["midia"]
        creds = await credenciais.carregar(session, c.settings)
    if creds is None:
        raise Retry(defer=SEM_CREDENCIAIS_ADIA_S)
    chaves: MediaKeys = {
        "mediaKey": midia.get("mediaKey", ""),
        "directPath": midia.get("directPath", ""),
        "url": midia.get("url", ""),
        "mimetype": midia.get("mimetype", ""),
        "messageType": midia["tipo"].removesuffix("Message"),
    }
    try:
        baixada = await c.client(creds).download_media(chaves)
    except MegaAPIError as exc:
        tentativa = int(ctx.get("job_try", 1))
        if exc.transient and tentativa < MIDIA_MAX_TENTATIVAS:
            raise Retry(defer=backoff(tentativa)) from exc
        await _midia_status(c, mensagem_id, "falhou", erro=exc.reason)
        return "falhou"
    nome = await asyncio.to_thread(
        midia_arquivos.salvar, c.settings.media_dir, baixada.mime_type, baixada.data
    )
    await _midia_status(c, mensagem_id, "pronta", url=midia_arquivos.URL_PREFIXO + nome)
    if baixada.mime_type.startswith("audio/") and c.settings.transcricao_backend != "none":
        await Fila(ctx["redis"]).transcrever(mensagem_id)
    return "baixada"


async def _midia_status(
    c: Contexto, mensagem_id: int, status: str, *, url: str | None = None, erro: str | None = None
) -> None:
    async with session_scope(c.sessionmaker) as session:
        mensagem = await session.get(Mensagem, mensagem_id, with_for_update=True)
        if mensagem is None or mensagem.conteudo is None:
            return
        # A new dict: SQLAlchemy tracks JSONB changes by assignment.
        mensagem.conteudo = {**mensagem.conteudo, "midia_status": status}
        if url is not None:
            mensagem.url_midia = url
        if erro is not None:
            mensagem.erro = f"não foi possível baixar o arquivo: {erro}"
    await _notificar(c, mensagem_id)


async def _notificar(c: Contexto, mensagem_id: int) -> None:
    """Publish the message's committed state to every operator's screen."""
    async with c.sessionmaker() as session:
        mensagem = await session.get(Mensagem, mensagem_id)
        if mensagem is not None:
            await publicar(c.redis, "mensagem.status", evento_mensagem(mensagem))


async def varrer_pendentes(ctx: dict[str, Any]) -> int:
    """Queue again every send left behind (Redis lost, enqueue failed, job gave up)."""
    c: Contexto = ctx["gmm"]
    fila = Fila(ctx["redis"])
    limite = utcnow() - timedelta(seconds=c.settings.varredura_idade_seconds)
    async with c.sessionmaker() as session:
        rows = (
            await session.execute(
                select(Mensagem.id, Mensagem.prioridade)
                .where(
                    Mensagem.direcao == Direcao.outbound,
                    Mensagem.status_envio.in_(_EM_ANDAMENTO),
                    Mensagem.criado_em < limite,
                    or_(Mensagem.reservado_ate.is_(None), Mensagem.reservado_ate < sql_func.now()),
                )
                .order_by(Mensagem.id)
                .limit(VARREDURA_LOTE)
            )
        ).all()
        # Inbound work lost the same way: a file never downloaded, a voice note
        # never transcribed (each matched by its own partial index).
        baixar = list(
            await session.scalars(
                select(Mensagem.id)
                .where(
                    Mensagem.conteudo["midia_status"].astext == "baixando",
                    Mensagem.criado_em < limite,
                )
                .order_by(Mensagem.id)
                .limit(VARREDURA_LOTE)
            )
        )
        transcrever: list[int] = []
        if c.settings.transcricao_backend != "none":
            transcrever = list(
                await session.scalars(
                    select(Mensagem.id)
                    .where(
                        Mensagem.tipo_conteudo == TipoConteudo.audio,
                        Mensagem.url_midia.is_not(None),
                        Mensagem.transcricao.is_(None),
                        ~Mensagem.conteudo.has_key("transcricao_status"),
                        Mensagem.criado_em < limite,
                    )
                    .order_by(Mensagem.id)
                    .limit(VARREDURA_LOTE)
                )
            )
    novos = 0
    for mensagem_id, prioridade in rows:
        if await fila.enfileirar(mensagem_id, urgente=prioridade in URGENTES):
            novos += 1
    for mensagem_id in baixar:
        novos += await fila.baixar_midia(mensagem_id)
    for mensagem_id in transcrever:
        novos += await fila.transcrever(mensagem_id)
    if novos:
        log.warning("varredura: %s tarefas voltaram à fila", novos)
    return novos


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
            )
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
