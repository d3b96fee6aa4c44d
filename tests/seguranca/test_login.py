"""Login budgets: counted before the password is checked, per account and address.

Two holes this closes: forty simultaneous wrong passwords were all checked (each
read the count before any failure was written), and behind a proxy the address was
either the proxy's (everyone shared one budget) or whatever X-Forwarded-For the
client wrote (an attacker spent the admin's budget and locked them out).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import Receive, Scope, Send

from gmm.app.cli import uvicorn_config
from gmm.auth.models import Papel
from gmm.core.config import Settings
from tests import factories as f

PROXY = "10.0.0.2"
ATACANTE = "203.0.113.66"
ADMIN = "198.51.100.20"


@pytest.fixture
async def via_proxy(
    clean: None, app: FastAPI, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """The app as `gmm api` serves it behind a proxy at PROXY (uvicorn's own middleware)."""
    config = uvicorn_config(settings.model_copy(update={"trusted_proxies": PROXY}), app)
    config.load()
    transport = httpx.ASGITransport(app=config.loaded_app, client=(PROXY, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


def _login(email: str, senha: str) -> dict[str, str]:
    return {"email": email, "senha": senha}


async def test_simultaneous_wrong_passwords_are_held_to_the_budget(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    await f.usuario(db, email="alvo@example.com")
    respostas = await asyncio.gather(
        *[
            client.post("/api/auth/login", json=_login("alvo@example.com", "errada"))
            for _ in range(40)
        ]
    )
    codigos = sorted(r.status_code for r in respostas)
    assert codigos.count(401) == settings.login_max_failures, codigos
    assert codigos.count(429) == 40 - settings.login_max_failures
    assert all(int(r.headers["Retry-After"]) > 0 for r in respostas if r.status_code == 429)


async def test_an_attacker_elsewhere_does_not_lock_the_admin_out(
    via_proxy: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    await f.usuario(db, email="admin@example.com", papel=Papel.admin)
    for _ in range(settings.login_max_failures):
        r = await via_proxy.post(
            "/api/auth/login",
            json=_login("admin@example.com", "chute"),
            headers={"X-Forwarded-For": ATACANTE},
        )
        assert r.status_code == 401
    bloqueado = await via_proxy.post(
        "/api/auth/login",
        json=_login("admin@example.com", f.SENHA),
        headers={"X-Forwarded-For": ATACANTE},
    )
    assert bloqueado.status_code == 429
    admin = await via_proxy.post(
        "/api/auth/login",
        json=_login("admin@example.com", f.SENHA),
        headers={"X-Forwarded-For": ADMIN},
    )
    assert admin.status_code == 200, admin.text


async def test_a_forwarded_address_the_client_wrote_itself_is_not_believed(
    via_proxy: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    """The proxy appends the real peer: the attacker claiming the admin's address
    (the left, client-written part of the header) still spends its own budget."""
    await f.usuario(db, email="admin@example.com", papel=Papel.admin)
    for _ in range(settings.login_max_failures + 2):
        await via_proxy.post(
            "/api/auth/login",
            json=_login("admin@example.com", "chute"),
            headers={"X-Forwarded-For": f"{ADMIN}, {ATACANTE}"},
        )
    admin = await via_proxy.post(
        "/api/auth/login",
        json=_login("admin@example.com", f.SENHA),
        headers={"X-Forwarded-For": ADMIN},
    )
    assert admin.status_code == 200, admin.text


@pytest.mark.parametrize(
    ("confiados", "par", "cabecalho", "cliente"),
    [
        ("", PROXY, ADMIN, PROXY),  # none trusted (the default): the peer is the client
        (PROXY, PROXY, f"{ADMIN}, {ATACANTE}", ATACANTE),  # the last hop the proxy saw
        (PROXY, ATACANTE, ADMIN, ATACANTE),  # a peer that is no proxy claims nothing
    ],
)
async def test_the_client_address_comes_through_trusted_proxies_only(
    settings: Settings, confiados: str, par: str, cabecalho: str, cliente: str
) -> None:
    vistos: list[str] = []

    async def eco(scope: Scope, receive: Receive, send: Send) -> None:
        vistos.append(scope["client"][0])

    config = uvicorn_config(settings.model_copy(update={"trusted_proxies": confiados}), eco)
    config.load()
    escopo = {
        "type": "http",
        "client": (par, 1),
        "headers": [(b"x-forwarded-for", cabecalho.encode())],
    }
    await config.loaded_app(escopo, _nada, _nada)
    assert vistos == [cliente]


async def _nada(*_: object) -> dict[str, str]:
    return {}


def test_trusted_proxies_are_addresses_or_networks() -> None:
    ok = Settings(_env_file=None, trusted_proxies=" 10.0.0.2 , 172.30.57.0/24,")
    assert ok.trusted_proxies == "10.0.0.2,172.30.57.0/24"
    for ruim in ("*", "nginx", "10.0.0.300"):
        with pytest.raises(ValueError, match="GMM_TRUSTED_PROXIES"):
            Settings(_env_file=None, trusted_proxies=ruim)


async def test_many_addresses_on_one_account_never_lock_a_known_address(
    via_proxy: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The per-account cap stops a spread-out attack from new addresses, but the
    address the admin already logged in from keeps working through it."""
    monkeypatch.setattr(settings, "login_max_failures_conta", 8)
    await f.usuario(db, email="admin@example.com", papel=Papel.admin)

    async def entrar(endereco: str, senha: str) -> int:
        r = await via_proxy.post(
            "/api/auth/login",
            json=_login("admin@example.com", senha),
            headers={"X-Forwarded-For": endereco},
        )
        return r.status_code

    assert await entrar(ADMIN, f.SENHA) == 200
    for n in range(4):
        for _ in range(settings.login_max_failures):
            await entrar(f"203.0.113.{n + 1}", "chute")
    assert await entrar("192.0.2.9", f.SENHA) == 429  # a new address: the cap holds
    assert await entrar(ADMIN, f.SENHA) == 200
