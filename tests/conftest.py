"""Test infrastructure: real PostgreSQL and Redis, one fresh database per run.

GMM_TEST_DATABASE_URL / GMM_TEST_REDIS_URL point at servers to use (CI sets them
to the machine's); without them the embedded servers start under .gmm/test.
Every test starts from empty tables and an empty Redis database.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gmm.app.main import create_app
from gmm.app.models import metadata
from gmm.core.config import Settings
from gmm.core.db import create_database, drop_database
from gmm.core.migrations import upgrade

# The MegaAPI simulator as a real process and the workers, for every test of delivery.
pytest_plugins = ["tests.entrega", "tests.smtp"]

ROOT = Path(__file__).resolve().parents[1]


def _server_urls() -> tuple[str, str]:
    database_url = os.environ.get("GMM_TEST_DATABASE_URL")
    redis_url = os.environ.get("GMM_TEST_REDIS_URL")
    if not (database_url and redis_url):
        from gmm.core import embedded  # only when a server must be started

        database_url, redis_url = embedded.servers(ROOT / ".gmm" / "test", database_url, redis_url)
    database_url = Settings(database_url=database_url).database_url
    assert database_url
    return database_url, redis_url


@pytest.fixture(scope="session")
def server_urls() -> tuple[str, str]:
    return _server_urls()


@pytest.fixture(scope="session")
async def database_url(server_urls: tuple[str, str]) -> AsyncIterator[str]:
    name = f"gmm_test_{uuid.uuid4().hex[:10]}"
    url = await create_database(server_urls[0], name)
    await asyncio.to_thread(upgrade, url)
    yield url
    await drop_database(server_urls[0], name)


@pytest.fixture(scope="session")
def settings(
    database_url: str, server_urls: tuple[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    return Settings(
        _env_file=None,
        env="development",
        data_dir=tmp_path_factory.mktemp("gmm"),
        database_url=database_url,
        redis_url=server_urls[1],
        secret_key=SecretStr("test-secret-key-" + "x" * 32),
        fernet_key=SecretStr("Gmj9Bd3iJZ1Oi8T6nB6Fj9m4yTCP8QGXuVFiu3g0a0U="),
        webhook_token=SecretStr("test-webhook-token"),
        frontend_dist=Path("/nonexistent"),
        # The tests run the incident watcher by hand, when they mean to.
        vigia_ativa=False,
    )


@pytest.fixture(scope="session")
async def app(settings: Settings) -> AsyncIterator[FastAPI]:
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
def engine(app: FastAPI) -> AsyncEngine:
    engine: AsyncEngine = app.state.engine
    return engine


@pytest.fixture(scope="session")
def sessionmaker(app: FastAPI) -> async_sessionmaker[AsyncSession]:
    maker: async_sessionmaker[AsyncSession] = app.state.sessionmaker
    return maker


@pytest.fixture(scope="session")
def redis(app: FastAPI) -> Redis:
    client: Redis = app.state.redis
    return client


@pytest.fixture
async def clean(engine: AsyncEngine, redis: Redis) -> None:
    """Empty every table and the Redis database: each test starts from nothing."""
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    for tentativa in range(1, 6):
        try:
            async with engine.begin() as conn:
                await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            break
        except DBAPIError as exc:
            # What the previous test left running (a browser page's request, a worker's
            # job) may hold a table the TRUNCATE needs while waiting for one it took:
            # PostgreSQL ends one of the two (40P01), and emptying is simply tried again.
            if getattr(exc.orig, "sqlstate", None) != "40P01" or tentativa == 5:
                raise
    await redis.flushdb()


@pytest.fixture
async def db(
    clean: None, sessionmaker: async_sessionmaker[AsyncSession]
) -> AsyncIterator[AsyncSession]:
    """A session for arranging and checking data; commits are the test's to make."""
    async with sessionmaker() as session:
        yield session


@pytest.fixture
async def client(clean: None, app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http
