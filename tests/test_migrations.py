from __future__ import annotations

import asyncio
import uuid

from alembic import command

from gmm.core.db import create_database, drop_database
from gmm.core.migrations import alembic_config


async def test_upgrade_head_on_empty_database_matches_models_and_downgrades(
    server_urls: tuple[str, str],
) -> None:
    name = f"gmm_mig_{uuid.uuid4().hex[:8]}"
    url = await create_database(server_urls[0], name)
    try:
        config = alembic_config(url)
        await asyncio.to_thread(command.upgrade, config, "head")
        # `alembic check`: raises if the models and the migrated schema differ.
        await asyncio.to_thread(command.check, config)
        await asyncio.to_thread(command.downgrade, config, "base")
        await asyncio.to_thread(command.upgrade, config, "head")
    finally:
        await drop_database(server_urls[0], name)
