"""Passwords: at least 10 characters, not the e-mail, not one of the common ones.

Length was the only rule, so "aaaaaaaaaa" and "1234567890" made admin accounts.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth import security
from gmm.auth.models import Papel, Usuario
from gmm.core.config import Settings
from tests import factories as f

URL = "/api/admin/usuarios"


async def _usuarios(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Usuario)) or 0)


@pytest.mark.parametrize(
    ("senha", "trecho"),
    [
        ("aaaaaaaaaa", "mais usadas"),
        ("1234567890", "mais usadas"),
        ("Password123", "mais usadas"),  # case does not make it another password
        ("QWERTYUIOP", "mais usadas"),
        ("joana.prado@example.com", "e-mail"),
        ("Joana.Prado", "e-mail"),  # the part before the @
        ("curta", "dados"),  # the schema's length rule: malformed, 422 dados_invalidos
    ],
)
async def test_weak_passwords_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, senha: str, trecho: str
) -> None:
    h = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    antes = await _usuarios(db)
    r = await client.post(
        URL,
        json={"nome": "Joana Prado", "email": "joana.prado@example.com", "senha": senha},
        headers=h,
    )
    assert r.status_code == 422, r.text
    corpo = r.json()
    assert set(corpo) == {"error", "detail"}
    if trecho != "dados":
        assert corpo["error"] == "senha_fraca" and trecho in corpo["detail"]
    assert senha not in r.text
    assert await _usuarios(db) == antes


async def test_a_new_weak_password_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    operador = await f.usuario(db, email="carla@example.com")
    dela = f.headers(operador, settings)
    for senha in ("carla@example.com", "CARLA", "iloveyou12"):
        r = await client.patch(f"{URL}/{operador.id}", json={"senha": senha}, headers=h)
        if len(senha) < 10:
            assert r.status_code == 422 and r.json()["error"] == "dados_invalidos"
            continue
        assert r.status_code == 422, (senha, r.text)
        assert r.json()["error"] == "senha_fraca"
    await db.refresh(operador)
    assert security.verificar_senha(f.SENHA, operador.senha_hash)
    # Refused: the sessions were not ended either.
    assert (await client.get("/api/auth/me", headers=dela)).status_code == 200


async def test_a_good_password_is_taken(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    r = await client.post(
        URL,
        json={"nome": "Joana Prado", "email": "joana@example.com", "senha": "manutenção-da-copa"},
        headers=h,
    )
    assert r.status_code == 201, r.text


def test_the_common_password_list_ships_with_the_package() -> None:
    comuns = security._senhas_comuns()
    assert len(comuns) >= 10_000
    assert {"123456", "password", "iloveyou", "1234567890"} <= comuns
    assert all(senha == senha.lower() for senha in comuns)
    assert security.problema_da_senha("manutenção-da-copa", "a@b.com") is None
