"""What the export tests share: the API's settings with media in a temporary folder."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI

from gmm.core.config import Settings


@pytest.fixture
async def config(app: FastAPI, settings: Settings, tmp_path: Path) -> AsyncIterator[Settings]:
    """The API's settings for one test: stored files under tmp_path, São Paulo time."""
    original = app.state.settings
    app.state.settings = settings.model_copy(
        update={"media_dir": tmp_path / "midia", "timezone": "America/Sao_Paulo"}
    )
    yield app.state.settings
    app.state.settings = original
