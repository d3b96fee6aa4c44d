"""What the monitoring reads of the queues and the webhooks, for the panel and the alerts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from redis.asyncio import Redis

from gmm.core import registro
from gmm.envio.fila import FILA_TRANSCRICOES, QUEUE_NAME
from gmm.monitoramento.schemas import (
    WebhooksOut,
)


def quando(epoch: str | None) -> datetime | None:
    return datetime.fromtimestamp(float(epoch), UTC) if epoch else None


@dataclass(frozen=True)
class ResumoFila:
    prontos: int
    adiados: int
    # Voice notes waiting on their own queue: not sends, so not in ``total``.
    transcricoes: int

    @property
    def total(self) -> int:
        return self.prontos + self.adiados


async def fila(redis: Redis) -> ResumoFila:
    segundos, micros = await redis.time()
    agora_ms = int(segundos) * 1000 + int(micros) // 1000
    async with redis.pipeline(transaction=False) as pipe:
        pipe.zcount(QUEUE_NAME, "-inf", agora_ms)
        pipe.zcount(QUEUE_NAME, f"({agora_ms}", "+inf")
        pipe.zcard(FILA_TRANSCRICOES)
        prontos, adiados, transcricoes = await pipe.execute()
    return ResumoFila(int(prontos), int(adiados), int(transcricoes))


async def webhooks(redis: Redis) -> WebhooksOut:
    async with redis.pipeline(transaction=False) as pipe:
        pipe.hgetall(registro.WEBHOOK)
        (dados,) = await pipe.execute()
    lag = dados.get("lag_s")
    return WebhooksOut(
        last_received_at=quando(dados.get("ultimo")),
        lag_s=float(lag) if lag is not None else None,
    )
