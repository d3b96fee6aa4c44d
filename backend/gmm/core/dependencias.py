"""Outages of PostgreSQL and Redis, told apart from every other error.

The API answers them with 503 (errors.py) and the worker waits them out
(core/quedas.py): both ask here, the one place that knows their shapes.
"""

from __future__ import annotations

import socket
from typing import Final, Literal

import asyncpg
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

Dependencia = Literal["banco de dados", "Redis"]
BANCO: Final[Dependencia] = "banco de dados"
REDIS: Final[Dependencia] = "Redis"

# What an unreachable PostgreSQL raises. asyncpg's own: class 08 and the class 57
# codes a restart or failover sends (57P01-03; other class 57 errors, a statement
# timeout or a cancelled query, are answers, not outages). SQLAlchemy's wrappers and
# pool timeout. The builtin ConnectionError/TimeoutError (and a DNS failure)
# asyncpg raises when the socket fails: redis-py wraps its own, so a bare one is the
# database's.
_BANCO_FORA = (
    OperationalError,
    InterfaceError,
    PoolTimeoutError,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
    asyncpg.PostgresConnectionError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.CrashShutdownError,
    asyncpg.TooManyConnectionsError,
    asyncpg.InterfaceError,  # "connection is closed" mid-request
)


def dependencia_fora(exc: BaseException) -> Dependencia | None:
    """The dependency ``exc`` says is unreachable, or None for any other error.

    Looks through SQLAlchemy's wrapper (``orig``), explicit and implicit chaining and
    exception groups, since drivers rarely raise their outage errors bare. Redis is
    ``redis.exceptions.ConnectionError``/``TimeoutError`` (not the builtin ones);
    PostgreSQL is ``_BANCO_FORA``. Redis wins when both show: a Redis error raised
    while handling another is the one the request could not get past.
    """
    pendentes: list[BaseException] = [exc]
    vistos: set[int] = set()
    banco = False
    while pendentes:
        atual = pendentes.pop()
        if id(atual) in vistos:
            continue
        vistos.add(id(atual))
        if isinstance(atual, RedisConnectionError | RedisTimeoutError):
            return REDIS
        if isinstance(atual, _BANCO_FORA) or (
            isinstance(atual, DBAPIError) and atual.connection_invalidated
        ):
            banco = True
        if isinstance(atual, BaseExceptionGroup):
            pendentes.extend(atual.exceptions)
        orig = getattr(atual, "orig", None)
        for ligada in (orig, atual.__cause__, atual.__context__):
            if isinstance(ligada, BaseException):
                pendentes.append(ligada)
    return BANCO if banco else None
