"""Alembic environment: async engine, metadata of every feature's models."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from gmm.app.models import metadata
from gmm.core.config import Settings
from gmm.core.db import create_engine

config = context.config


def _url() -> str:
    url = config.attributes.get("database_url") or Settings().database_url
    if not url:
        raise SystemExit("defina GMM_DATABASE_URL para migrar")
    return str(url)


def _configure(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_configure)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
