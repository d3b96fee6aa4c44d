"""Database engine, sessions and the declarative base shared by every feature."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, TypeVar, cast

import asyncpg
from redis.asyncio import Redis
from sqlalchemy import ClauseElement, DateTime, MetaData, event, exc, text
from sqlalchemy.dialects.postgresql import asyncpg as postgresql_asyncpg
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from gmm.core.dependencias import dependencia_fora

log = logging.getLogger(__name__)

T = TypeVar("T")
C = TypeVar("C")

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


async def driver(session: AsyncSession) -> asyncpg.Connection:
    """The asyncpg connection under ``session``'s transaction (begun if need be)."""
    # Kept for the transaction: asking SQLAlchemy again costs more than the statement.
    transacao = session.sync_session.get_transaction()
    guardada = session.info.get(_DRIVER)
    if transacao is not None and guardada is not None and guardada[0] is transacao:
        return cast(asyncpg.Connection, guardada[1])
    conexao = await session.connection()
    adaptada = await conexao.get_raw_connection()
    bruta = cast(asyncpg.Connection, adaptada.driver_connection)
    if not bruta.is_in_transaction():
        # SQLAlchemy's asyncpg adapter sends BEGIN with its own first statement: one
        # sent on the driver before any would run outside the transaction, in
        # autocommit, its locks let go at once. The adapter's own way to begin, else
        # (a SQLAlchemy that renamed it) a statement through the adapter.
        iniciar = getattr(adaptada.dbapi_connection, "_start_transaction", None)
        try:
            if iniciar is not None:
                await iniciar()
            else:
                await conexao.exec_driver_sql("SELECT 1")
        except Exception as exc:
            # A connection that cannot even begin (the server dropped it while it sat
            # in the pool) goes, and the request is an outage (503), not a bug.
            await conexao.invalidate()
            raise ConexaoPerdida(f"a conexão com o banco não abre transação: {exc}") from exc
        if not bruta.is_in_transaction():
            raise RuntimeError("a transação da sessão não começou no driver")
    session.info[_DRIVER] = (session.sync_session.get_transaction(), bruta, conexao)
    return bruta


class ConexaoPerdida(asyncpg.InterfaceError):  # type: ignore[misc]
    """A pooled connection that turned out dead (gmm.core.dependencias: an outage)."""


async def _no_driver(
    session: AsyncSession, fazer: Callable[[asyncpg.Connection], Awaitable[T]]
) -> T:
    """``fazer`` on the session's driver connection. A statement that fails because
    the database went away leaves the connection mid-protocol, and SQLAlchemy, which
    did not see the error, would hand it out again: it is invalidated here, so the
    pool drops it (a restart or failover costs the requests in flight, not the next
    ones)."""
    bruta = await driver(session)
    try:
        return await fazer(bruta)
    except Exception as exc:
        if dependencia_fora(exc) is not None:
            guardada = session.info.pop(_DRIVER, None)
            if guardada is not None:
                with suppress(Exception):
                    await guardada[2].invalidate()
        raise


_DRIVER = "gmm_driver"


_DIALETO = postgresql_asyncpg.dialect()  # type: ignore[no-untyped-call]


@dataclass(frozen=True)
class Compilada:
    """A Core statement compiled once, at import, and run on the session's asyncpg
    connection: for the few statements run on every webhook.

    Through the ORM a statement costs about 0.3 ms of CPU, through asyncpg about
    0.05 ms, and a process taking a thousand webhooks a second has one millisecond
    for each. The statement is still written against the models (a renamed column
    fails at import) and shares the session's transaction, so the ORM code of the
    rarer paths sees its writes. What it skips is the ORM's conversions: parameters
    go to asyncpg as they are (a StrEnum is a str; JSON as text), rows come back as
    ``asyncpg.Record`` (strings, not enums). Pending ORM changes are not flushed
    first, and rows it changes are not refreshed in the session.
    """

    sql: str
    nomes: tuple[str, ...]
    fixos: dict[str, Any]
    obrigatorios: frozenset[str]

    @classmethod
    def de(cls, instrucao: ClauseElement) -> Compilada:
        compilada = cast(SQLCompiler, instrucao.compile(dialect=_DIALETO))
        if "POSTCOMPILE" in str(compilada):
            # An IN list is rendered per call: write ``== any_(array)`` instead.
            raise ValueError("instrução com parâmetros expandidos não é compilável de antemão")
        nomes = tuple(compilada.positiontup or ())
        fixos = {n: v for n, v in compilada.params.items() if n in nomes}
        # The columns' Python-side defaults (``default=``), which SQLAlchemy computes
        # per execution: constants only, taken once here.
        for coluna in compilada.insert_prefetch:
            padrao = coluna.default
            if not isinstance(padrao, ScalarElementColumnDefault):
                raise ValueError(f"o padrão de {coluna} não é uma constante")
            fixos[coluna.key] = padrao.arg
        if compilada.update_prefetch:
            raise ValueError("padrões de UPDATE calculados em Python não são suportados")
        return cls(
            str(compilada),
            nomes,
            fixos,
            frozenset(n for n in nomes if compilada.binds[n].required),
        )

    def argumentos(self, valores: dict[str, Any]) -> list[Any]:
        if faltam := self.obrigatorios - valores.keys():
            raise TypeError(f"parâmetros ausentes: {sorted(faltam)}")
        return [valores[n] if n in valores else self.fixos[n] for n in self.nomes]

    async def executar(self, session: AsyncSession, **valores: Any) -> None:
        args = self.argumentos(valores)
        await _no_driver(session, lambda c: c.execute(self.sql, *args))

    async def linha(self, session: AsyncSession, **valores: Any) -> asyncpg.Record | None:
        args = self.argumentos(valores)
        linha: asyncpg.Record | None = await _no_driver(
            session, lambda c: c.fetchrow(self.sql, *args)
        )
        return linha

    async def linhas(self, session: AsyncSession, **valores: Any) -> list[asyncpg.Record]:
        args = self.argumentos(valores)
        return list(await _no_driver(session, lambda c: c.fetch(self.sql, *args)))

    async def valor(self, session: AsyncSession, **valores: Any) -> Any:
        args = self.argumentos(valores)
        return await _no_driver(session, lambda c: c.fetchval(self.sql, *args))


AfterCommit = Callable[[], Awaitable[object]]


def after_commit(session: AsyncSession, callback: AfterCommit) -> None:
    """Run ``callback`` once the session's transaction has committed (never on rollback).

    Jobs are enqueued this way, so a worker can never pick up a row that is not
    yet visible, and a rolled-back request leaves nothing in the queue.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


_AFTER_COMMIT = "gmm_after_commit"


def pendente_apos_commit(session: AsyncSession, tipo: type[C]) -> C | None:
    """The callback of type ``tipo`` this transaction has already registered, if any:
    for work that gathers over a transaction and goes out at once after it."""
    for callback in session.info.get(_AFTER_COMMIT, []):
        if isinstance(callback, tipo):
            return callback
    return None


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
