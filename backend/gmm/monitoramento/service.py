"""The operations panel's numbers and the incidents that open and close by themselves.

``metricas`` answers the panel from indexed queries and Redis, cached for a couple
of seconds so that many operators polling every 5 s cost one computation. ``vigiar``
runs in the API (one replica at a time, under a Redis lease) every
GMM_VIGIA_INTERVALO_SECONDS: it opens an alert when a condition starts, closes it
when it ends, and mails the breaker incidents that last.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.config import Settings
from gmm.db import after_commit, session_scope, utcnow
from gmm.eventos.service import publicar
from gmm.monitoramento import email, registro
from gmm.monitoramento.models import Alerta, Severidade, TipoAlerta
from gmm.monitoramento.schemas import (
    AlertaOut,
    ChamadoAfetado,
    CircuitBreakerOut,
    ConnectionOut,
    DeliveryOut,
    FailuresOut,
    FilaOut,
    MetricasOut,
    RateLimiterOut,
    VolumeHora,
    WebhooksOut,
    WorkersOut,
)
from gmm.pagination import Page, decode_cursor, encode_cursor
from gmm.whatsapp.circuit_breaker import BreakerSnapshot, CircuitBreaker
from gmm.whatsapp.fila import FILA_TRANSCRICOES, QUEUE_NAME
from gmm.whatsapp.rate_limiter import RateLimiter
from gmm.whatsapp.recebimento import CONEXAO_CHAVE

log = logging.getLogger(__name__)

CACHE = registro.PAINEL
CACHE_S = 2
VIGIA_LEASE = "gmm:vigia:lease"


def _quando(epoch: str | None) -> datetime | None:
    return datetime.fromtimestamp(float(epoch), UTC) if epoch else None


@dataclass(frozen=True)
class Fila:
    prontos: int
    adiados: int
    # Voice notes waiting on their own queue: not sends, so not in ``total``.
    transcricoes: int

    @property
    def total(self) -> int:
        return self.prontos + self.adiados


async def fila(redis: Redis) -> Fila:
    segundos, micros = await redis.time()
    agora_ms = int(segundos) * 1000 + int(micros) // 1000
    async with redis.pipeline(transaction=False) as pipe:
        pipe.zcount(QUEUE_NAME, "-inf", agora_ms)
        pipe.zcount(QUEUE_NAME, f"({agora_ms}", "+inf")
        pipe.zcard(FILA_TRANSCRICOES)
        prontos, adiados, transcricoes = await pipe.execute()
    return Fila(int(prontos), int(adiados), int(transcricoes))


# -- the panel ---------------------------------------------------------------------------

_VOLUME = text(
    """
    WITH m AS (
        SELECT direcao, status_envio, criado_em, enviado_em, entregue_em, lido_em
        FROM mensagens
        WHERE criado_em > now() - interval '25 hours'
    ), eventos AS (
        SELECT 'enviadas' AS tipo, enviado_em AS em FROM m WHERE direcao = 'outbound'
        UNION ALL SELECT 'entregues', entregue_em FROM m WHERE direcao = 'outbound'
        UNION ALL SELECT 'lidas', lido_em FROM m WHERE direcao = 'outbound'
        UNION ALL SELECT 'falhas', criado_em FROM m
            WHERE direcao = 'outbound' AND status_envio = 'falhou'
        UNION ALL SELECT 'recebidas', criado_em FROM m WHERE direcao = 'inbound'
    )
    SELECT date_trunc('hour', em) AS hora, tipo, count(*) AS n
    FROM eventos
    WHERE em > now() - interval '24 hours'
    GROUP BY 1, 2
    """
)

_ENTREGA = text(
    """
    SELECT
        count(*) FILTER (WHERE status_envio = 'falhou') AS falhas,
        count(*) AS total,
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM entregue_em - enviado_em))
            FILTER (WHERE entregue_em IS NOT NULL AND enviado_em IS NOT NULL),
        percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM entregue_em - enviado_em))
            FILTER (WHERE entregue_em IS NOT NULL AND enviado_em IS NOT NULL),
        percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM lido_em - enviado_em))
            FILTER (WHERE lido_em IS NOT NULL AND enviado_em IS NOT NULL),
        percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM lido_em - enviado_em))
            FILTER (WHERE lido_em IS NOT NULL AND enviado_em IS NOT NULL)
    FROM mensagens
    WHERE direcao = 'outbound' AND criado_em > now() - interval '24 hours'
    """
)

_MAIS_ANTIGA = text(
    """
    SELECT extract(epoch FROM now() - min(criado_em))
    FROM mensagens WHERE status_envio IN ('pendente', 'enfileirado')
    """
)

_AFETADOS = text(
    """
    SELECT c.id, c.numero_chamado, c.titulo,
        count(*) FILTER (WHERE m.status_envio IN ('pendente', 'enfileirado')) AS aguardando,
        count(*) FILTER (WHERE m.status_envio = 'falhou') AS falhas
    FROM mensagens m JOIN chamados c ON c.id = m.chamado_id
    WHERE m.direcao = 'outbound'
      AND (m.status_envio IN ('pendente', 'enfileirado')
           OR (m.status_envio = 'falhou' AND m.criado_em > now() - interval '24 hours'))
    GROUP BY c.id
    ORDER BY falhas DESC, aguardando DESC, c.id
    LIMIT 20
    """
)


async def _volume(session: AsyncSession) -> list[VolumeHora]:
    horas: dict[datetime, dict[str, int]] = {}
    for hora, tipo, n in await session.execute(_VOLUME):
        horas.setdefault(hora, {})[tipo] = int(n)
    agora = utcnow().replace(minute=0, second=0, microsecond=0)
    # Every one of the last 24 hours, empty ones too: the chart needs no gaps.
    return [
        VolumeHora(
            hora=hora,
            enviadas=horas.get(hora, {}).get("enviadas", 0),
            entregues=horas.get(hora, {}).get("entregues", 0),
            lidas=horas.get(hora, {}).get("lidas", 0),
            falhas=horas.get(hora, {}).get("falhas", 0),
            recebidas=horas.get(hora, {}).get("recebidas", 0),
        )
        for hora in (agora - timedelta(hours=h) for h in range(23, -1, -1))
    ]


async def _entrega(session: AsyncSession) -> DeliveryOut:
    row = (await session.execute(_ENTREGA)).one()
    falhas, total = int(row[0]), int(row[1])

    def segundos(valor: Any) -> float | None:
        return None if valor is None else round(float(valor), 3)

    return DeliveryOut(
        failure_rate_24h=falhas / total if total else 0.0,
        p50_entrega_s=segundos(row[2]),
        p95_entrega_s=segundos(row[3]),
        p50_leitura_s=segundos(row[4]),
        p95_leitura_s=segundos(row[5]),
    )


async def _conexao(redis: Redis) -> ConnectionOut:
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hgetall(CONEXAO_CHAVE)
        pipe.hgetall(registro.INSTANCIA)
        conexao, instancia = await pipe.execute()
    return ConnectionOut(
        state=conexao.get("estado"),
        since=_quando(conexao.get("desde")),
        instance_status=instancia.get("status"),
        instance_checked_at=_quando(instancia.get("verificado_em")),
    )


async def _webhooks(redis: Redis) -> WebhooksOut:
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hgetall(registro.WEBHOOK)
        (dados,) = await pipe.execute()
    lag = dados.get("lag_s")
    return WebhooksOut(
        last_received_at=_quando(dados.get("ultimo")),
        lag_s=float(lag) if lag is not None else None,
    )


def _breaker_out(estado: BreakerSnapshot) -> CircuitBreakerOut:
    return CircuitBreakerOut(
        status=estado.status,
        failure_count=estado.failure_count,
        threshold=estado.threshold,
        opened_at=estado.opened_at,
    )


async def calcular(session: AsyncSession, redis: Redis, settings: Settings) -> MetricasOut:
    breaker = await CircuitBreaker.do_produto(redis, settings).snapshot()
    usados = await RateLimiter.do_produto(redis, settings).used_last_60s()
    na_fila = await fila(redis)
    envios = await registro.envios_ultima_hora(redis)
    workers = await registro.workers(redis)
    mais_antiga = await session.scalar(_MAIS_ANTIGA)
    afetados = [
        ChamadoAfetado(
            chamado_id=r[0], numero_chamado=r[1], titulo=r[2], aguardando=r[3], falhas=r[4]
        )
        for r in await session.execute(_AFETADOS)
    ]
    return MetricasOut(
        gerado_em=utcnow(),
        circuit_breaker=_breaker_out(breaker),
        rate_limiter=RateLimiterOut(
            count=usados,
            max=settings.rate_limit_per_minute,
            can_send=breaker.status != "OPEN" and usados < settings.rate_limit_per_minute,
        ),
        fila=FilaOut(
            queue_size=na_fila.prontos,
            deferred=na_fila.adiados,
            oldest_age_s=None if mais_antiga is None else round(float(mais_antiga), 3),
            transcricoes=na_fila.transcricoes,
        ),
        failures=FailuresOut(last_hour=envios.falhas, by_reason=envios.por_motivo),
        volume_24h=await _volume(session),
        delivery=await _entrega(session),
        webhooks=await _webhooks(redis),
        connection=await _conexao(redis),
        workers=WorkersOut(
            alive=workers.vivos, last_heartbeat=_quando(str(workers.ultimo_batimento or ""))
        ),
        chamados_afetados=afetados,
        alertas_abertos=[AlertaOut.model_validate(a) for a in await abertos(session)],
    )


async def metricas(session: AsyncSession, redis: Redis, settings: Settings) -> MetricasOut:
    """The panel, computed at most once every CACHE_S seconds for everyone."""
    guardado = await redis.get(CACHE)
    if guardado:
        return MetricasOut.model_validate_json(guardado)
    resultado = await calcular(session, redis, settings)
    await redis.set(CACHE, resultado.model_dump_json(), ex=CACHE_S)
    return resultado


# -- alerts ------------------------------------------------------------------------------


async def abertos(session: AsyncSession) -> list[Alerta]:
    return list(
        await session.scalars(
            select(Alerta).where(Alerta.fechado_em.is_(None)).order_by(Alerta.aberto_em)
        )
    )


async def listar(
    session: AsyncSession, *, abertos_apenas: bool, limit: int, cursor: str | None
) -> Page[AlertaOut]:
    query = select(Alerta).order_by(Alerta.aberto_em.desc(), Alerta.id.desc()).limit(limit + 1)
    if abertos_apenas:
        query = query.where(Alerta.fechado_em.is_(None))
    if cursor:
        aberto_em, ultimo_id = decode_cursor(cursor, datetime, int)
        query = query.where(
            (Alerta.aberto_em < aberto_em)
            | ((Alerta.aberto_em == aberto_em) & (Alerta.id < ultimo_id))
        )
    rows = list(await session.scalars(query))
    proximo = None
    if len(rows) > limit:
        proximo = encode_cursor(rows[limit - 1].aberto_em, rows[limit - 1].id)
    return Page(items=[AlertaOut.model_validate(a) for a in rows[:limit]], next_cursor=proximo)


@dataclass(frozen=True)
class Condicao:
    """An alert's condition as measured now: on or off, with what the operator reads."""

    tipo: TipoAlerta
    ativa: bool
    severidade: Severidade
    mensagem: str
    dados: dict[str, Any]


async def medir(session: AsyncSession, redis: Redis, settings: Settings) -> list[Condicao]:
    breaker = await CircuitBreaker.do_produto(redis, settings).snapshot()
    na_fila = await fila(redis)
    envios = await registro.envios_ultima_hora(redis)
    workers = await registro.workers(redis)
    webhooks = await _webhooks(redis)
    janela = timedelta(minutes=settings.alerta_webhook_minutos)
    # Sends from the window, but not the last minute: their receipts may be on the way.
    envios_recentes = await registro.enviados_entre(redis, settings.alerta_webhook_minutos, 1)
    sem_webhook = envios_recentes > 0 and (
        webhooks.last_received_at is None or utcnow() - webhooks.last_received_at > janela
    )
    taxa = envios.taxa_falhas
    minutos = f"{settings.alerta_webhook_minutos:g}"
    return [
        Condicao(
            TipoAlerta.breaker_aberto,
            breaker.status != "CLOSED",
            Severidade.critico,
            "A MegaAPI está falhando: envios suspensos pelo circuit breaker; as mensagens "
            "serão enviadas quando a API estabilizar",
            {"status": breaker.status, "falhas": breaker.failure_count},
        ),
        Condicao(
            TipoAlerta.fila_alta,
            na_fila.total > settings.alerta_fila_aviso,
            Severidade.aviso,
            f"Fila de envio com {na_fila.total} mensagens (aviso acima de "
            f"{settings.alerta_fila_aviso})",
            {"fila": na_fila.total},
        ),
        Condicao(
            TipoAlerta.fila_cheia,
            na_fila.total >= settings.fila_maxima,
            Severidade.critico,
            f"Fila de envio cheia ({na_fila.total}): novos chamados e mensagens são recusados "
            "com 503 até ela baixar",
            {"fila": na_fila.total, "maximo": settings.fila_maxima},
        ),
        Condicao(
            TipoAlerta.taxa_falhas,
            envios.enviados + envios.falhas >= settings.alerta_taxa_min_envios
            and taxa > settings.alerta_taxa_falhas,
            Severidade.aviso,
            f"{taxa:.1%} dos envios falharam na última hora "
            f"(limite {settings.alerta_taxa_falhas:.0%})",
            {"taxa": round(taxa, 4), "falhas": envios.falhas, "por_motivo": envios.por_motivo},
        ),
        Condicao(
            TipoAlerta.webhooks_ausentes,
            sem_webhook,
            Severidade.aviso,
            f"Nenhum webhook da MegaAPI há mais de {minutos} min, embora mensagens tenham "
            "sido enviadas: confira a URL do webhook na MegaAPI",
            {"envios_recentes": envios_recentes},
        ),
        Condicao(
            TipoAlerta.worker_ausente,
            workers.vivos == 0,
            Severidade.critico,
            "Nenhum worker de envio ativo: mensagens ficam na fila até um worker voltar",
            {"ultimo_batimento": workers.ultimo_batimento},
        ),
    ]


async def aplicar(session: AsyncSession, redis: Redis, condicoes: list[Condicao]) -> None:
    """Open the incidents whose condition started, close those whose condition ended."""
    abertos_por_tipo = {a.tipo: a for a in await abertos(session)}
    for condicao in condicoes:
        aberto = abertos_por_tipo.get(condicao.tipo)
        if condicao.ativa and aberto is None:
            alerta_id = await session.scalar(
                insert(Alerta)
                .values(
                    tipo=condicao.tipo,
                    severidade=condicao.severidade,
                    mensagem=condicao.mensagem,
                    dados=condicao.dados,
                )
                # Two watchers racing (a lease that ran out): the second is a no-op.
                .on_conflict_do_nothing(
                    index_elements=[Alerta.tipo], index_where=Alerta.fechado_em.is_(None)
                )
                .returning(Alerta.id)
            )
            if alerta_id is not None:
                log.warning("alerta aberto: %s", condicao.mensagem)
                _avisar(session, redis, alerta_id, condicao, aberto=True)
        elif not condicao.ativa and aberto is not None:
            await session.execute(
                update(Alerta)
                .where(Alerta.id == aberto.id)
                .values(fechado_em=utcnow(), motivo_fechamento="condição normalizada")
            )
            log.info("alerta fechado: %s", condicao.tipo.value)
            _avisar(session, redis, aberto.id, condicao, aberto=False)


def _avisar(
    session: AsyncSession, redis: Redis, alerta_id: int, condicao: Condicao, *, aberto: bool
) -> None:
    dados = {
        "id": alerta_id,
        "tipo": condicao.tipo.value,
        "severidade": condicao.severidade.value,
        "mensagem": condicao.mensagem,
        "aberto": aberto,
    }

    async def avisar() -> None:
        await redis.delete(CACHE)
        await publicar(redis, "alerta", dados)

    after_commit(session, avisar)


async def _devidos(session: AsyncSession, settings: Settings) -> list[tuple[int, str]]:
    """Breaker incidents owed an e-mail: (id, "aberto" | "recuperado")."""
    limite = utcnow() - timedelta(minutes=settings.alerta_breaker_email_minutos)
    longos = await session.scalars(
        select(Alerta.id).where(
            Alerta.tipo == TipoAlerta.breaker_aberto,
            Alerta.fechado_em.is_(None),
            Alerta.email_enviado_em.is_(None),
            Alerta.aberto_em <= limite,
        )
    )
    recuperados = await session.scalars(
        select(Alerta.id).where(
            Alerta.tipo == TipoAlerta.breaker_aberto,
            Alerta.fechado_em.is_not(None),
            Alerta.email_enviado_em.is_not(None),
            Alerta.email_recuperacao_em.is_(None),
        )
    )
    return [(i, "aberto") for i in longos] + [(i, "recuperado") for i in recuperados]


async def emails_pendentes(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """Mail a breaker incident once it lasts, and its recovery once it closes. Each
    e-mail is marked sent only after the server took it: a dead SMTP is retried
    next round, a sent one never repeats."""
    if settings.smtp_url is None or not settings.alert_email:
        return
    async with session_scope(sessionmaker) as session:
        devidos = await _devidos(session, settings)
    for alerta_id, qual in devidos:
        async with session_scope(sessionmaker) as session:
            alerta = await session.get(Alerta, alerta_id, with_for_update=True)
            if alerta is None:
                continue
            if qual == "aberto" and alerta.email_enviado_em is None:
                conteudo = email.breaker_aberto(alerta)
            elif qual == "recuperado" and alerta.email_recuperacao_em is None:
                conteudo = email.breaker_recuperado(alerta)
            else:
                continue  # another round got there first
            if await email.enviar(settings, conteudo):
                setattr(
                    alerta,
                    "email_enviado_em" if qual == "aberto" else "email_recuperacao_em",
                    utcnow(),
                )


async def vigiar(
    sessionmaker: async_sessionmaker[AsyncSession], redis: Redis, settings: Settings
) -> None:
    """One round of the watcher: measure, open/close incidents, send due e-mails."""
    async with session_scope(sessionmaker) as session:
        await aplicar(session, redis, await medir(session, redis, settings))
    await emails_pendentes(sessionmaker, settings)


def lease_ms(settings: Settings) -> int:
    # Held a little less than one interval: a replica that died frees it in time.
    return max(int(settings.vigia_intervalo_seconds * 900), 1000)


async def assumir_vigia(redis: Redis, settings: Settings, dono: str) -> bool:
    """Whether this process runs this round (one API replica at a time does)."""
    return bool(await redis.set(VIGIA_LEASE, dono, nx=True, px=lease_ms(settings)))
