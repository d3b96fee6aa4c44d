"""Admin user management: create, edit, deactivate, never lock everyone out."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel, Usuario
from gmm.core.config import Settings
from tests import factories as f

URL = "/api/admin/usuarios"


async def _contagem(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Usuario)) or 0)


async def test_admin_creates_an_operator_who_can_log_in(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    r = await client.post(
        URL,
        json={"nome": "Joana Prado", "email": "Joana@Example.com", "senha": "senha-longa-1"},
        headers=h,
    )
    assert r.status_code == 201, r.text
    criado = r.json()
    assert (criado["email"], criado["papel"], criado["ativo"]) == (
        "joana@example.com",
        "operador",
        True,
    )
    assert "senha" not in criado and "senha_hash" not in criado
    login = await client.post(
        "/api/auth/login", json={"email": "joana@example.com", "senha": "senha-longa-1"}
    )
    assert login.status_code == 200
    nomes = [u["nome"] for u in (await client.get(URL, headers=h)).json()]
    assert "Joana Prado" in nomes
    repetido = await client.post(
        URL, json={"nome": "Outra", "email": "JOANA@example.com", "senha": "x" * 12}, headers=h
    )
    assert repetido.status_code == 409


async def test_bad_accounts_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    antes = await _contagem(db)
    for body in (
        {"nome": "A", "email": "a@example.com", "senha": "senha-longa-1"},
        {"nome": "Ana", "email": "não é e-mail", "senha": "senha-longa-1"},
        {"nome": "Ana", "email": "a@example.com", "senha": "curta"},
        {"nome": "Ana", "email": "a@example.com", "senha": "senha-longa-1", "papel": "dono"},
        {"nome": "Ana", "email": "a@example.com", "senha": "senha-longa-1", "extra": 1},
    ):
        r = await client.post(URL, json=body, headers=h)
        assert r.status_code == 422, body
        assert "senha-longa-1" not in r.text  # a rejected password never comes back
    assert await _contagem(db) == antes


async def test_operators_cannot_manage_users(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    operador = await f.usuario(db)
    h = f.headers(operador, settings)
    assert (await client.get(URL, headers=h)).status_code == 403
    body = {"nome": "Xis", "email": "x@example.com", "senha": "senha-longa-1", "papel": "admin"}
    assert (await client.post(URL, json=body, headers=h)).status_code == 403
    promover = await client.patch(f"{URL}/{operador.id}", json={"papel": "admin"}, headers=h)
    assert promover.status_code == 403
    assert (await client.get(URL)).status_code == 401


async def test_deactivated_user_loses_access_at_once_and_password_reset_works(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    operador = await f.usuario(db)
    dele = f.headers(operador, settings)
    assert (await client.get("/api/chamados", headers=dele)).status_code == 200
    r = await client.patch(f"{URL}/{operador.id}", json={"ativo": False}, headers=h)
    assert r.status_code == 200 and r.json()["ativo"] is False
    assert (await client.get("/api/chamados", headers=dele)).status_code == 401

    r = await client.patch(
        f"{URL}/{operador.id}", json={"ativo": True, "senha": "nova-senha-123"}, headers=h
    )
    assert r.status_code == 200
    login = await client.post(
        "/api/auth/login", json={"email": operador.email, "senha": "nova-senha-123"}
    )
    assert login.status_code == 200
    assert (
        await client.patch(f"{URL}/999999", json={"ativo": False}, headers=h)
    ).status_code == 404


async def test_nobody_removes_their_own_admin_access_or_the_last_admin(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    eu = await f.usuario(db, papel=Papel.admin)
    h = f.headers(eu, settings)
    for body in ({"ativo": False}, {"papel": "operador"}):
        r = await client.patch(f"{URL}/{eu.id}", json=body, headers=h)
        assert r.status_code == 409 and "próprio acesso" in r.json()["detail"]
    outro = await f.usuario(db, papel=Papel.admin)
    # With two admins, one may demote the other...
    r = await client.patch(f"{URL}/{outro.id}", json={"papel": "operador"}, headers=h)
    assert r.status_code == 200 and r.json()["papel"] == "operador"
    # ...and editing a name is never a problem.
    r = await client.patch(f"{URL}/{eu.id}", json={"nome": "Chefe"}, headers=h)
    assert r.status_code == 200 and r.json()["nome"] == "Chefe"


async def test_two_admins_demoting_each_other_at_once_leave_one(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    a = await f.usuario(db, papel=Papel.admin)
    b = await f.usuario(db, papel=Papel.admin)
    await f.usuario(db, papel=Papel.admin, ativo=False)  # an inactive admin does not count
    respostas = await asyncio.gather(
        client.patch(f"{URL}/{b.id}", json={"ativo": False}, headers=f.headers(a, settings)),
        client.patch(f"{URL}/{a.id}", json={"ativo": False}, headers=f.headers(b, settings)),
    )
    codigos = sorted(r.status_code for r in respostas)
    # Either both were signed in before either change landed, and the second is refused
    # for being the last active admin; or one deactivation landed first, and the other
    # request's author was no longer an active user when it was authenticated.
    assert codigos in ([200, 409], [200, 401]), codigos
    if codigos == [200, 409]:
        recusa = next(r for r in respostas if r.status_code == 409)
        assert "ao menos um administrador ativo" in recusa.json()["detail"]
    ativos = await db.scalar(
        select(func.count()).where(Usuario.papel == Papel.admin, Usuario.ativo.is_(True))
    )
    assert ativos == 1
