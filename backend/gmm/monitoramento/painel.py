"""The monitoring panel's figures: the queues, the volume, the delivery, the connection."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core import registro
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.core.registro import CONEXAO_CHAVE
from gmm.envio.breaker import BreakerSnapshot, CircuitBreaker
from gmm.envio.limitador import RateLimiter
from gmm.monitoramento import alertas, medidas
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
    WorkersOut,
)

log = logging.getLogger(__name__)


CACHE = registro.PAINEL
CACHE_S = 2


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
        connected=(await registro.conexao(redis)).conectado,
        state=conexao.get("estado"),
        since=medidas.quando(conexao.get("desde")),
        instance_status=instancia.get("status"),
        instance_checked_at=medidas.quando(instancia.get("verificado_em")),
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
    na_fila = await medidas.fila(redis)
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
        webhooks=await medidas.webhooks(redis),
        connection=await _conexao(redis),
        workers=WorkersOut(
            alive=workers.vivos, last_heartbeat=medidas.quando(str(workers.ultimo_batimento or ""))
        ),
        chamados_afetados=afetados,
        alertas_abertos=[AlertaOut.model_validate(a) for a in await alertas.abertos(session)],
    )


async def metricas(session: AsyncSession, redis: Redis, settings: Settings) -> MetricasOut:
    """The panel, computed at most once every CACHE_S seconds for everyone."""
    guardado = await redis.get(CACHE)
    if guardado:
        return MetricasOut.model_validate_json(guardado)
    resultado = await calcular(session, redis, settings)
    await redis.set(CACHE, resultado.model_dump_json(), ex=CACHE_S)
    return resultado
