"""Sessions end when they should: logout, a new password, a deactivated account.

Before, a token worked until it expired (12 h) whatever happened to its account,
an open event stream kept delivering for minutes after deactivation, and /metrics
took any well-signed token, even one for a user that does not exist.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from jose import jwt
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth import security
from gmm.auth.models import Papel, Usuario
from gmm.core.config import Settings
from gmm.core.eventos import publicar
from tests import factories as f
from tests.eventos.conftest import EventoSSE, LeitorSSE, cliente, conectar
from tests.eventos.exemplos import nova

USUARIOS = "/api/admin/usuarios"
# Generous: the stream checks its session every 5 s and must end within 10 s; this
# only bounds how long a broken build takes to fail.
PRAZO = 30.0


@pytest.fixture
async def sse(clean: None, app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """Event streams at their production timing (no Ritmo override)."""
    async with cliente(app) as http:
        yield http


async def _entrar(client: httpx.AsyncClient, email: str, senha: str = f.SENHA) -> dict[str, str]:
    r = await client.post("/api/auth/login", json={"email": email, "senha": senha})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _vale(client: httpx.AsyncClient, headers: dict[str, str]) -> bool:
    r = await client.get("/api/auth/me", headers=headers)
    assert r.status_code in (200, 401), r.text
    return r.status_code == 200


async def test_logout_ends_every_session_of_the_user(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    usuario = await f.usuario(db)
    outro = await f.usuario(db)
    notebook = await _entrar(client, usuario.email)
    celular = await _entrar(client, usuario.email)
    do_outro = await _entrar(client, outro.email)

    r = await client.post("/api/auth/logout", headers=notebook)
    assert r.status_code == 204 and r.content == b""
    assert not await _vale(client, notebook)
    assert not await _vale(client, celular)
    assert await _vale(client, do_outro)
    again = await client.post("/api/auth/logout", headers=notebook)
    assert again.status_code == 401
    assert set(again.json()) == {"error", "detail"}
    assert await _vale(client, await _entrar(client, usuario.email))


async def test_a_new_password_or_deactivation_ends_the_sessions(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    admin = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    operador = await f.usuario(db)
    antes = await _entrar(client, operador.email)

    r = await client.patch(
        f"{USUARIOS}/{operador.id}", json={"senha": "outra-senha-987"}, headers=admin
    )
    assert r.status_code == 200
    assert not await _vale(client, antes)
    depois = await _entrar(client, operador.email, "outra-senha-987")

    # A change that is neither password nor deactivation leaves sessions alone.
    r = await client.patch(f"{USUARIOS}/{operador.id}", json={"nome": "Novo Nome"}, headers=admin)
    assert r.status_code == 200
    assert await _vale(client, depois)

    r = await client.patch(f"{USUARIOS}/{operador.id}", json={"ativo": False}, headers=admin)
    assert r.status_code == 200
    r = await client.patch(f"{USUARIOS}/{operador.id}", json={"ativo": True}, headers=admin)
    assert r.status_code == 200
    # Reactivated: the token from before the deactivation stays dead.
    assert not await _vale(client, depois)


async def _ate_fechar(leitor: LeitorSSE) -> list[str]:
    """Reads until the server ends the stream; the event types seen meanwhile."""
    tipos: list[str] = []
    async with asyncio.timeout(PRAZO):
        while (item := await leitor.proximo(PRAZO)) is not None:
            if isinstance(item, EventoSSE):
                tipos.append(item.tipo)
    return tipos


async def test_open_event_streams_of_a_deactivated_user_close(
    client: httpx.AsyncClient,
    sse: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    redis: Redis,
) -> None:
    admin = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    operador = await f.usuario(db)
    token = (await _entrar(client, operador.email))["Authorization"].split()[1]
    async with conectar(sse, params={"access_token": token}) as leitor:
        await publicar(redis, nova(1, chamado_id=1))
        assert (await leitor.evento()).tipo == "mensagem.nova"

        r = await client.patch(f"{USUARIOS}/{operador.id}", json={"ativo": False}, headers=admin)
        assert r.status_code == 200
        await _ate_fechar(leitor)
        assert leitor.terminou
    reconectar = await sse.get("/api/eventos", params={"access_token": token})
    assert reconectar.status_code == 401


async def test_logout_closes_the_users_open_event_streams(
    client: httpx.AsyncClient, sse: httpx.AsyncClient, db: AsyncSession
) -> None:
    operador = await f.usuario(db)
    headers = await _entrar(client, operador.email)
    async with conectar(sse, headers=headers) as leitor:
        assert (await client.post("/api/auth/logout", headers=headers)).status_code == 204
        await _ate_fechar(leitor)


async def test_metrics_takes_only_an_active_session_or_the_scrape_token(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    ativo = await f.usuario(db)
    inativo = await f.usuario(db, ativo=False)
    fantasma, _ = security.create_token(987654, settings)
    saiu = await _entrar(client, (await f.usuario(db)).email)
    assert (await client.post("/api/auth/logout", headers=saiu)).status_code == 204

    ok = await client.get("/metrics", headers=f.headers(ativo, settings))
    assert ok.status_code == 200
    for headers in (
        f.headers(inativo, settings),
        {"Authorization": f"Bearer {fantasma}"},
        saiu,
    ):
        r = await client.get("/metrics", headers=headers)
        assert r.status_code == 401, headers
        assert r.json() == {"error": "nao_autenticado", "detail": "Token inválido ou expirado"}
    assert await db.get(Usuario, 987654) is None


async def test_a_token_without_a_session_version_is_refused(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    """Tokens signed before sessions were versioned do not outlive the upgrade."""
    usuario = await f.usuario(db)
    token, _ = security.create_token(usuario.id, settings)
    claims = jwt.get_unverified_claims(token)
    del claims["sv"]
    antigo = jwt.encode(claims, settings.secret("secret_key"), algorithm=security.ALGORITHM)
    assert not await _vale(client, {"Authorization": f"Bearer {antigo}"})
