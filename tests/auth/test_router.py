from __future__ import annotations

import time

import httpx
from jose import jwt
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.core.config import Settings
from tests import factories as f


async def test_login_returns_token_that_opens_me(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    user = await f.usuario(db, papel=Papel.admin, email="Ana@Example.com")
    response = await client.post(
        "/api/auth/login", json={"email": "ana@example.com", "senha": f.SENHA}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["usuario"] == {
        "id": user.id,
        "nome": user.nome,
        "email": "ana@example.com",
        "papel": "admin",
        "ativo": True,
        "criado_em": body["usuario"]["criado_em"],
    }
    assert "senha" not in response.text and "hash" not in response.text
    me = await client.get(
        "/api/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    assert me.json()["id"] == user.id


async def test_token_carries_expiry(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    await f.usuario(db, email="exp@example.com")
    body = (
        await client.post("/api/auth/login", json={"email": "exp@example.com", "senha": f.SENHA})
    ).json()
    claims = jwt.get_unverified_claims(body["access_token"])
    assert claims["exp"] - time.time() > settings.jwt_expire_minutes * 60 - 60
    assert body["expires_in"] == settings.jwt_expire_minutes * 60


async def test_wrong_password_and_unknown_email_look_the_same(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    await f.usuario(db, email="real@example.com")
    wrong = await client.post("/api/auth/login", json={"email": "real@example.com", "senha": "x"})
    unknown = await client.post(
        "/api/auth/login", json={"email": "nao@example.com", "senha": f.SENHA}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json()
        == unknown.json()
        == {
            "error": "nao_autenticado",
            "detail": "E-mail ou senha inválidos",
        }
    )


async def test_inactive_user_cannot_log_in_nor_use_old_token(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    user = await f.usuario(db, ativo=False, email="off@example.com")
    response = await client.post(
        "/api/auth/login", json={"email": "off@example.com", "senha": f.SENHA}
    )
    assert response.status_code == 401
    me = await client.get("/api/auth/me", headers=f.headers(user, settings))
    assert me.status_code == 401


async def test_repeated_failures_from_one_address_get_429(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    await f.usuario(db, email="alvo@example.com")
    for _ in range(settings.login_max_failures):
        response = await client.post(
            "/api/auth/login", json={"email": "alvo@example.com", "senha": "errada"}
        )
        assert response.status_code == 401
    blocked = await client.post(
        "/api/auth/login", json={"email": "alvo@example.com", "senha": f.SENHA}
    )
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert blocked.json()["error"] == "muitas_tentativas"


async def test_success_resets_failure_count(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    await f.usuario(db, email="reset@example.com")
    for _ in range(settings.login_max_failures - 1):
        await client.post("/api/auth/login", json={"email": "reset@example.com", "senha": "errada"})
    ok = await client.post("/api/auth/login", json={"email": "reset@example.com", "senha": f.SENHA})
    assert ok.status_code == 200
    for _ in range(settings.login_max_failures - 1):
        again = await client.post(
            "/api/auth/login", json={"email": "reset@example.com", "senha": "errada"}
        )
        assert again.status_code == 401


async def test_me_rejects_missing_tampered_and_expired_tokens(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    user = await f.usuario(db)
    assert (await client.get("/api/auth/me")).status_code == 401
    token = f.headers(user, settings)["Authorization"].split()[1]
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {tampered}"})
    assert response.status_code == 401
    expired = jwt.encode(
        {"sub": str(user.id), "exp": int(time.time()) - 10},
        settings.secret("secret_key"),
        algorithm="HS256",
    )
    response = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_login_bad_body_is_422_without_echoing_password(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/auth/login", json={"email": "a@example.com", "senha": 123456789}
    )
    assert response.status_code == 422
    assert "123456789" not in response.text
    response = await client.post(
        "/api/auth/login", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
