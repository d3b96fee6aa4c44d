"""What every job of the send queue shares: the servers, the limiter, the breaker and
one pooled MegaAPI client per credential set (built once per worker, in ctx["gmm"])."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gmm.core.config import Settings
from gmm.core.db import create_engine, create_sessionmaker
from gmm.envio.breaker import CircuitBreaker
from gmm.envio.limitador import RateLimiter
from gmm.megaapi.cliente import (
    MegaAPIClient,
    MegaAPICredentials,
)

log = logging.getLogger(__name__)


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
        sessionmaker=create_sessionmaker(engine, redis),
        redis=redis,
        limiter=RateLimiter.do_produto(redis, settings),
        breaker=CircuitBreaker.do_produto(redis, settings),
    )
