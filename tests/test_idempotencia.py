"""Idempotency-Key: an integrator's retried POST runs once."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado
from gmm.conversas.models import Mensagem
from gmm.core.config import Settings
from tests import factories as f


async def _contar(db: AsyncSession, modelo: type) -> int:
    return int(await db.scalar(select(func.count()).select_from(modelo)) or 0)


async def test_a_retried_creation_returns_the_first_answer_and_creates_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db)
    h = {**f.headers(user, settings), "Idempotency-Key": "pedido-123"}
    body = {"terceirizado_id": t.id, "titulo": "Vazamento na cozinha"}
    primeira = await client.post("/api/chamados", json=body, headers=h)
    segunda = await client.post("/api/chamados", json=body, headers=h)
    assert primeira.status_code == segunda.status_code == 201
    assert segunda.json() == primeira.json()
    assert segunda.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in primeira.headers
    assert await _contar(db, Chamado) == 1
    assert await _contar(db, Mensagem) == 1  # one WhatsApp message, not two

    # Another key is another request.
    outra = await client.post(
        "/api/chamados", json=body, headers={**h, "Idempotency-Key": "pedido-124"}
    )
    assert (
        outra.status_code == 201
        and outra.json()["chamado"]["id"] != primeira.json()["chamado"]["id"]
    )


async def test_the_same_key_with_another_body_or_user_or_route(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t = await f.terceirizado(db)
    a, b = await f.usuario(db), await f.usuario(db)
    chave = {"Idempotency-Key": "k1"}
    body = {"terceirizado_id": t.id, "titulo": "Portão travado"}
    de_a = {**f.headers(a, settings), **chave}
    assert (await client.post("/api/chamados", json=body, headers=de_a)).status_code == 201
    outro_corpo = await client.post(
        "/api/chamados",
        json={**body, "titulo": "Outro"},
        headers={**f.headers(a, settings), **chave},
    )
    assert outro_corpo.status_code == 422
    assert outro_corpo.json()["error"] == "idempotency_key_reutilizada"
    # Keys are per user: b's "k1" is b's own.
    de_b = await client.post(
        "/api/chamados", json=body, headers={**f.headers(b, settings), **chave}
    )
    assert de_b.status_code == 201 and "idempotent-replayed" not in de_b.headers
    assert await _contar(db, Chamado) == 2


async def test_failures_are_not_remembered_and_bad_keys_refused(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    inexistente = {"terceirizado_id": 999_999, "titulo": "Sem terceirizado"}
    r = await client.post("/api/chamados", json=inexistente, headers={**h, "Idempotency-Key": "x"})
    assert r.status_code == 404
    t = await f.terceirizado(db)
    # The failed attempt did not burn the key: fixed, the same key goes through.
    r = await client.post(
        "/api/chamados",
        json={"terceirizado_id": t.id, "titulo": "Sem terceirizado"},
        headers={**h, "Idempotency-Key": "x"},
    )
    assert r.status_code == 201
    for ruim in ("", "com espaco", "x" * 201):
        r = await client.post(
            "/api/chamados",
            json={},
            headers={**h, "Idempotency-Key": ruim},
        )
        assert r.status_code == 422, ruim


async def test_a_retry_while_the_first_is_running_is_told_to_wait(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t = await f.terceirizado(db)
    h = {**f.headers(await f.usuario(db), settings), "Idempotency-Key": "simultaneo"}
    body = {"terceirizado_id": t.id, "titulo": "Dois cliques"}
    respostas = await asyncio.gather(
        *(client.post("/api/chamados", json=body, headers=h) for _ in range(4))
    )
    codigos = sorted(r.status_code for r in respostas)
    assert codigos.count(201) >= 1 and set(codigos) <= {201, 409}
    assert await _contar(db, Chamado) == 1
