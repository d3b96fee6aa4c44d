"""Contractor-link helpers: the API's settings for one test and links made through the API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core.config import Settings
from gmm.core.eventos import STREAM
from gmm.prestador.models import UsoTokenAcesso

Configurar = Callable[..., Settings]


@pytest.fixture
async def configurar(app: FastAPI, settings: Settings, tmp_path: Path) -> AsyncIterator[Configurar]:
    """The API's settings for one test: media under tmp_path, plus any changes."""
    original = app.state.settings

    def aplicar(**mudancas: Any) -> Settings:
        novo = settings.model_copy(update={"media_dir": tmp_path / "midia", **mudancas})
        app.state.settings = novo
        return novo

    aplicar()
    yield aplicar
    app.state.settings = original


async def criar_link(
    client: httpx.AsyncClient, chamado_id: int, headers: dict[str, str], **body: Any
) -> tuple[str, dict[str, Any]]:
    """A link made through the API: its token and the 201 body."""
    resposta = await client.post(
        f"/api/chamados/{chamado_id}/link-prestador", json=body or None, headers=headers
    )
    assert resposta.status_code == 201, resposta.text
    corpo = resposta.json()
    return corpo["url"].rsplit("/p/", 1)[1], corpo


async def usos(db: AsyncSession, token_id: int) -> list[UsoTokenAcesso]:
    return list(
        await db.scalars(
            select(UsoTokenAcesso)
            .where(UsoTokenAcesso.token_id == token_id)
            .order_by(UsoTokenAcesso.id)
            .execution_options(populate_existing=True)
        )
    )


async def eventos(redis: Redis, tipo: str) -> list[dict[str, Any]]:
    entradas = await redis.xrange(STREAM)
    return [json.loads(campos["dados"]) for _, campos in entradas if campos["tipo"] == tipo]
