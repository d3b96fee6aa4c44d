"""What the processes write down for monitoring, in Redis, as things happen.

Counters are per minute and live two hours: the panel reads the last hour, the
alerts the last hour's failure rate. They are monitoring, not records — PostgreSQL
keeps the messages themselves — so losing them with Redis costs an hour of graphs.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from gmm.core.roteiros import roteiro

ENVIOS = "gmm:metricas:envios:"  # + epoch minute → hash {enviado, falha:<categoria>}
WEBHOOK = "gmm:metricas:webhook"  # hash {ultimo, lag_s}
WORKERS = "gmm:workers"  # hash worker id → epoch seconds of its last heartbeat
INSTANCIA = "gmm:whatsapp:instancia"  # hash {status, verificado_em}
# The panel's figures, cached a moment for many pollers; dropped when the state the
# panel shows changes (an alert, the connection), so a refetch on the event is fresh.
PAINEL = "gmm:metricas:painel"
# The WhatsApp connection as MegaAPI last reported it, and its recent changes.
CONEXAO_CHAVE = "gmm:whatsapp:conexao"
CONEXAO_HISTORICO = "gmm:whatsapp:conexao:historico"
VIDA_BALDES_S = 2 * 3600
# A heartbeat older than this means the worker is gone (it beats every 10 s).
WORKER_VIVO_S = 45.0


async def _agora(redis: Redis) -> float:
    segundos, micros = await redis.time()
    return float(segundos) + float(micros) / 1_000_000


async def _um(redis: Redis, comando: Callable[[Pipeline], object]) -> Any:
    """One command through a pipeline: redis-py types hash commands on the client
    itself as sync-or-async unions, which mypy cannot await."""
    async with redis.pipeline(transaction=False) as pipe:
        comando(pipe)
        return (await pipe.execute())[0]


async def registrar_envio(redis: Redis, falha: str | None = None) -> None:
    """One call to MegaAPI's send endpoints: its outcome in this minute's bucket
    (``falha``: the failure's kind, ``MegaAPIError.categoria``)."""
    minuto = int(await _agora(redis)) // 60
    chave = f"{ENVIOS}{minuto}"
    campo = "enviado" if falha is None else f"falha:{falha}"
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hincrby(chave, campo, 1)
        pipe.expire(chave, VIDA_BALDES_S)
        await pipe.execute()


@dataclass(frozen=True)
class ResumoEnvios:
    enviados: int
    falhas: int
    por_motivo: dict[str, int]

    @property
    def taxa_falhas(self) -> float:
        total = self.enviados + self.falhas
        return self.falhas / total if total else 0.0


async def envios_ultima_hora(redis: Redis) -> ResumoEnvios:
    minuto = int(await _agora(redis)) // 60
    async with redis.pipeline(transaction=False) as pipe:
        for m in range(minuto - 59, minuto + 1):
            pipe.hgetall(f"{ENVIOS}{m}")
        baldes: list[dict[str, str]] = await pipe.execute()
    enviados, por_motivo = 0, dict[str, int]()
    for balde in baldes:
        for campo, valor in balde.items():
            if campo == "enviado":
                enviados += int(valor)
            else:
                motivo = campo.removeprefix("falha:")
                por_motivo[motivo] = por_motivo.get(motivo, 0) + int(valor)
    return ResumoEnvios(enviados, sum(por_motivo.values()), por_motivo)


async def enviados_entre(redis: Redis, de_minutos: float, ate_minutos: float) -> int:
    """Successful sends between ``de_minutos`` and ``ate_minutos`` ago (whole minutes)."""
    minuto = int(await _agora(redis)) // 60
    async with redis.pipeline(transaction=False) as pipe:
        for m in range(minuto - int(de_minutos), minuto - int(ate_minutos) + 1):
            pipe.hget(f"{ENVIOS}{m}", "enviado")
        valores: list[str | None] = await pipe.execute()
    return sum(int(v) for v in valores if v)


# KEYS: the webhook hash. ARGV: lag_s or "". The Redis clock read and written in one
# round trip (a webhook's share of Redis was two: TIME, then HSET).
_WEBHOOK = """
local t = redis.call('TIME')
redis.call('HSET', KEYS[1], 'ultimo', string.format('%d.%03d', t[1], math.floor(t[2] / 1000)))
if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 'lag_s', ARGV[1]) end
return 1
"""


async def registrar_webhook(redis: Redis, lag_s: float | None) -> None:
    """A webhook arrived; ``lag_s`` is how long after the event MegaAPI delivered it."""
    lag = "" if lag_s is None else f"{max(lag_s, 0.0):.3f}"
    await roteiro(redis, _WEBHOOK)(keys=[WEBHOOK], args=[lag])


async def batimento(redis: Redis, worker_id: str) -> None:
    agora = await _agora(redis)
    await _um(redis, lambda p: p.hset(WORKERS, worker_id, f"{agora:.3f}"))


async def fim_do_batimento(redis: Redis, worker_id: str) -> None:
    """The worker stopped or cannot work: it no longer counts as alive."""
    await _um(redis, lambda p: p.hdel(WORKERS, worker_id))


def id_do_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Workers:
    vivos: int
    ultimo_batimento: float | None  # epoch seconds, the most recent of any worker


async def workers(redis: Redis) -> Workers:
    agora = await _agora(redis)
    batidas = {k: float(v) for k, v in (await _um(redis, lambda p: p.hgetall(WORKERS))).items()}
    # Forget workers gone for an hour, so the hash does not grow with every restart.
    mortos = [k for k, v in batidas.items() if agora - v > 3600]
    if mortos:
        await _um(redis, lambda p: p.hdel(WORKERS, *mortos))
    vivos = sum(1 for v in batidas.values() if agora - v <= WORKER_VIVO_S)
    return Workers(vivos, max(batidas.values(), default=None))


# What MegaAPI says of the WhatsApp session, by either way it tells: the webhook's
# connection_update (open, connecting, close) and the instance status it answers
# when asked (connected, disconnected, ...).
_CONECTADO = frozenset({"open", "connected", "online", "authenticated"})
_DESCONECTADO = frozenset({"close", "closed", "disconnected", "offline", "logout", "loggedout"})


@dataclass(frozen=True)
class Conexao:
    conectado: bool | None  # None: nothing known (never told, or an unknown word)
    motivo: str | None
    desde: float | None  # epoch seconds of the observation that decided


def _leitura(estado: str | None) -> bool | None:
    palavra = (estado or "").strip().lower()
    if palavra in _CONECTADO:
        return True
    if palavra in _DESCONECTADO:
        return False
    return None


async def conexao(redis: Redis) -> Conexao:
    """Whether WhatsApp is connected, by the most recent of the two observations: a
    "close" that MegaAPI never followed with an "open" is corrected by the next
    status check (about a minute), so sends are never held on a stale word."""
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hgetall(CONEXAO_CHAVE)
        pipe.hgetall(INSTANCIA)
        webhook, consulta = await pipe.execute()
    observacoes: list[Conexao] = []
    if webhook.get("desde"):
        observacoes.append(
            Conexao(
                _leitura(webhook.get("estado")),
                webhook.get("motivo") or None,
                float(webhook["desde"]),
            )
        )
    if consulta.get("verificado_em"):
        observacoes.append(
            Conexao(_leitura(consulta.get("status")), None, float(consulta["verificado_em"]))
        )
    conhecidas = [o for o in observacoes if o.conectado is not None]
    return max(conhecidas, key=lambda o: o.desde or 0.0, default=Conexao(None, None, None))
