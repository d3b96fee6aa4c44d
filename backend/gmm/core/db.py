"""Database engine, sessions and the declarative base shared by every feature."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar

from redis.asyncio import Redis
from sqlalchemy import DateTime, MetaData, event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

log = logging.getLogger(__name__)

# Deterministic constraint names so Alembic migrations can drop/alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: DateTime(timezone=True)}


def utcnow() -> datetime:
    return datetime.now(UTC)


def contains_pattern(texto: str) -> str:
    """An ILIKE pattern matching ``texto`` literally anywhere (``%`` and ``_`` escaped)."""
    escaped = texto.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """An engine whose pool hands out live connections without a round trip.

    ``pool_pre_ping`` would cost a round trip on every checkout (a quarter of a
    webhook's). Instead: a connection PostgreSQL closed (a restart, a failover, an
    idle timeout) is noticed by the event loop at once, so a checkout asks the driver
    locally and swaps a closed one for a new one; and a connection that dies during
    a statement is an outage error (503, gmm.core.dependencias) that also makes the
    pool drop every connection older than it, so the next request gets a fresh one.
    """
    # hide_parameters: a failed statement's error (and so its traceback in the logs)
    # would otherwise print its parameters: phone numbers, message text, hashes.
    engine = create_async_engine(url, hide_parameters=True, **kwargs)
    event.listen(engine.sync_engine, "checkout", _recusar_fechada)
    return engine


def _recusar_fechada(dbapi_connection: Any, _registro: Any, _proxy: Any) -> None:
    conexao = getattr(dbapi_connection, "_connection", None)  # the asyncpg connection
    if conexao is not None and conexao.is_closed():
        # The pool discards it and checks out another (a new one if need be).
        raise exc.DisconnectionError("conexão fechada pelo servidor")


# session.info key of the Redis that events are published on (gmm.core.eventos).
REDIS_DA_SESSAO = "gmm_redis"


def create_sessionmaker(
    engine: AsyncEngine, redis: Redis | None = None
) -> async_sessionmaker[AsyncSession]:
    """Sessions of ``engine``; with ``redis``, they can publish events after commit."""
    info = {} if redis is None else {REDIS_DA_SESSAO: redis}
    return async_sessionmaker(engine, expire_on_commit=False, info=info)


AfterCommit = Callable[[], Awaitable[object]]


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run ``callback`` once the session's transaction has committed (never on rollback).

    Jobs are enqueued this way, so a worker can never pick up a row that is not
    yet visible, and a rolled-back request leaves nothing in the queue.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


_AFTER_COMMIT = "gmm_after_commit"


@asynccontextmanager
async def session_scope(
    sessionmaker: async_sessionmaker[AsyncSession],
) -> AsyncIterator[AsyncSession]:
    """One transaction per unit of work: commit on success, roll back on any error.

    Services only flush; this is the single place that commits.
    """
    async with sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            session.info.pop(_AFTER_COMMIT, None)
            await session.rollback()
            raise
        for callback in session.info.pop(_AFTER_COMMIT, []):
            try:
                await callback()
            except Exception:
                # The data is committed; whatever the callback failed to do (an
                # enqueue while Redis is down) is redone by the periodic sweep.
                log.exception("tarefa pós-commit falhou")


async def create_database(server_url: str, name: str) -> str:
    """Create database ``name`` on the server of ``server_url``; answers its URL.

    For tests and benchmarks, which each work in a database of their own."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    await admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(server_url: str, name: str) -> None:
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()
