"""The send job: drains the send queue to MegaAPI behind the shared limiter and breaker.

One job per message (job id = message id). A job reloads its row, waits for a
rate slot and the breaker, claims the row with a lease, calls MegaAPI and records
the outcome. Anything that goes wrong between commit and send (Redis flushed, a
worker killed mid-send, a job that gave up) leaves the row ``pendente`` or
``enfileirado``, and the periodic sweep (``varrer_pendentes``) queues it again:
nothing accepted is lost.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from contextlib import suppress
from datetime import timedelta
from typing import Any

from arq import Retry
from redis.exceptions import RedisError
from sqlalchemy import Row, or_, select, update
from sqlalchemy import func as sql_func

from gmm.conversas.conteudo import Conteudo, ConteudoArquivo, ConteudoBotoes, ConteudoLista
from gmm.conversas.eventos import MensagemStatus
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo
from gmm.core import logs, metricas, registro
from gmm.core.config import Settings
from gmm.core.db import session_scope, utcnow
from gmm.core.dependencias import dependencia_fora
from gmm.core.eventos import publicar
from gmm.core.quedas import espera as espera_quedas
from gmm.envio import credenciais, ordem, ticks
from gmm.envio.contexto import Contexto, backoff
from gmm.envio.fila import (
    Fila,
)
from gmm.envio.service import URGENTES
from gmm.megaapi.cliente import (
    ListSection,
    MediaType,
    MegaAPIClient,
    MegaAPIError,
    MegaAPIPermanentError,
    MegaAPITransientError,
    QuotedMessage,
)
from gmm.midia import armazenamento as midia_arquivos

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
AGUARDA_CONEXAO_S = 5.0
ANTECIPACAO_S = 0.004
VARREDURA_LOTE = 1000
_EM_ANDAMENTO = ordem.EM_ANDAMENTO
# The claimed row: what a send needs of it.
Alvo = Row[int, str, TipoConteudo, str | None, Conteudo | None, int, int | None]
# How the gateway says it has no quote operation (or will not quote this message):
# the reply then goes as plain text that starts with the quoted line.
RECUSA_CITACAO = (400, 404, 405, 422)
TRECHO_CITADO = 100


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

    # WhatsApp itself is disconnected (the phone, the session): the gateway could only
    # fail the send. Held without using a try or a rate slot, and looked at again
    # soon, so the queue drains within seconds of the reconnection.
    if (await registro.conexao(c.redis)).conectado is False:
        raise Retry(defer=AGUARDA_CONEXAO_S + random.uniform(0, 1))  # noqa: S311

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
    citacao = await _citacao(c, alvo)
    try:
        megaapi_id = await _chamar_megaapi(c.client(creds), alvo, c.settings, citacao)
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
        await registro.registrar_envio(c.redis, None if falha is None else falha.categoria)
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


async def _reservar(c: Contexto, mensagem_id: int) -> Alvo | None:
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
                Mensagem.citada_id,
            )
        )
        return result.first()


async def _citacao(c: Contexto, alvo: Alvo) -> QuotedMessage | None:
    """The message a reply quotes, as the gateway's quote operation takes it."""
    if alvo.citada_id is None:
        return None
    async with c.sessionmaker() as session:
        citada = await session.get(Mensagem, alvo.citada_id)
    if citada is None:
        return None
    return QuotedMessage(
        remote_jid=f"{alvo.destinatario}@s.whatsapp.net",
        from_me=citada.direcao == Direcao.outbound,
        id=citada.megaapi_id or "",
        text=citada.texto or citada.caption or "",
    )


def com_citacao(texto: str, citado: str) -> str:
    """The fallback: the quoted line as WhatsApp's quote formatting, then the reply."""
    linha = " ".join(citado.split())
    if len(linha) > TRECHO_CITADO:
        linha = linha[: TRECHO_CITADO - 1] + "…"
    return f"> {linha}\n\n{texto}" if linha else texto


async def _enviar_texto(client: MegaAPIClient, alvo: Alvo, citacao: QuotedMessage | None) -> str:
    texto = alvo.texto or ""
    if citacao is None:
        return await client.send_text(alvo.destinatario, texto)
    if citacao.id:
        try:
            return await client.send_quoted_text(alvo.destinatario, texto, citacao)
        except MegaAPIPermanentError as exc:
            if exc.status_code not in RECUSA_CITACAO:
                raise
            log.info("a MegaAPI recusou a citação (%s): vai como texto", exc.status_code)
    return await client.send_text(alvo.destinatario, com_citacao(texto, citacao.text))


async def _chamar_megaapi(
    client: MegaAPIClient, alvo: Alvo, settings: Settings, citacao: QuotedMessage | None
) -> str:
    conteudo: Conteudo | None = alvo.conteudo
    if alvo.tipo_conteudo == TipoConteudo.text:
        return await _enviar_texto(client, alvo, citacao)
    if isinstance(conteudo, ConteudoLista):
        return await client.send_list(
            alvo.destinatario,
            button_text=conteudo.botao,
            text=alvo.texto or "",
            title=conteudo.titulo or "",
            description=conteudo.descricao or "",
            sections=[
                ListSection(
                    title=secao.titulo,
                    rows=[(r.titulo, r.descricao or "", r.id) for r in secao.linhas],
                )
                for secao in conteudo.secoes
            ],
        )
    if isinstance(conteudo, ConteudoBotoes):
        return await client.send_buttons(
            alvo.destinatario,
            text=alvo.texto or "",
            footer_text=conteudo.rodape or "",
            buttons=[b.titulo for b in conteudo.botoes],
        )
    if not isinstance(conteudo, ConteudoArquivo):
        raise MegaAPIPermanentError("mensagem sem conteúdo que o WhatsApp aceite")
    media_type: MediaType = alvo.tipo_conteudo.value
    if settings.public_base_url:
        # MegaAPI fetches the file from us; signed now, so a resend gets a fresh link.
        return await client.send_media_url(
            alvo.destinatario,
            url=midia_arquivos.url_publica(settings, conteudo.arquivo),
            file_name=conteudo.nome_arquivo,
            media_type=media_type,
            mime_type=conteudo.mime_type,
            caption=conteudo.caption,
        )
    arquivo = midia_arquivos.caminho(settings.media_dir, conteudo.arquivo)
    if arquivo is None:
        raise MegaAPIPermanentError(f"o arquivo {conteudo.nome_arquivo} não está mais guardado")
    data = await asyncio.to_thread(arquivo.read_bytes)
    return await client.send_media_base64(
        alvo.destinatario,
        data=data,
        file_name=conteudo.nome_arquivo,
        media_type=media_type,
        mime_type=conteudo.mime_type,
        caption=conteudo.caption,
    )


async def _enviado(c: Contexto, mensagem_id: int, megaapi_id: str) -> None:
    async with session_scope(c.sessionmaker) as session:
        # Same lock as the webhook's receipt handling: a receipt that came first
        # is either parked before this commit or sees the id after it.
        await ticks.travar_id(session, megaapi_id)
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
        await ticks.aplicar_pendentes(session, megaapi_id)
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


async def _notificar(c: Contexto, mensagem_id: int) -> None:
    """Publish the message's committed state to every operator's screen."""
    async with c.sessionmaker() as session:
        mensagem = await session.get(Mensagem, mensagem_id)
        if mensagem is not None:
            await publicar(c.redis, MensagemStatus.de(mensagem))


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
