"""Idempotency-Key never answers before authentication, and never keeps a secret.

A stored answer was once replayed to a forged ``alg=none`` token carrying an
admin's ``sub``, and login answers (JWTs) sat in Redis in plain text for 24 h.
"""

from __future__ import annotations

import base64
import json

import httpx
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.chamados.models import Chamado
from gmm.core.config import Settings
from tests import factories as f


def _b64(dados: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(dados).encode()).rstrip(b"=").decode()


def _forjado(usuario_id: int) -> dict[str, str]:
    """An unsigned token claiming to be ``usuario_id``."""
    token = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64({'sub': str(usuario_id)})}."
    return {"Authorization": f"Bearer {token}"}


async def _registros(redis: Redis) -> list[str]:
    return [await redis.get(chave) or "" async for chave in redis.scan_iter("gmm:idempotencia:*")]


async def test_a_forged_token_never_gets_a_stored_answer(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    admin = await f.usuario(db, papel=Papel.admin)
    c = await f.chamado(db, await f.terceirizado(db))
    chave = {"Idempotency-Key": "link-ch1-001"}
    url = f"/api/chamados/{c.id}/link-prestador"
    primeira = await client.post(url, headers={**f.headers(admin, settings), **chave})
    assert primeira.status_code == 201, primeira.text

    forjada = await client.post(url, headers={**_forjado(admin.id), **chave})

    assert forjada.status_code == 401, forjada.text
    assert "idempotent-replayed" not in forjada.headers
    assert primeira.json()["url"] not in forjada.text
    # The link answer carries its token: it was never stored, so even the admin's own
    # retry runs again (a second link) rather than reading a copy.
    assert primeira.headers["cache-control"] == "no-store"
    assert await _registros(redis) == []


async def test_a_forged_token_cannot_read_an_ordinary_answer_either(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    usuario = await f.usuario(db)
    t = await f.terceirizado(db)
    h = {**f.headers(usuario, settings), "Idempotency-Key": "pedido-1"}
    body = {"terceirizado_id": t.id, "titulo": "Portão travado"}
    assert (await client.post("/api/chamados", json=body, headers=h)).status_code == 201

    forjada = await client.post(
        "/api/chamados", json=body, headers={**_forjado(usuario.id), "Idempotency-Key": "pedido-1"}
    )
    assert forjada.status_code == 401 and "idempotent-replayed" not in forjada.headers

    # Deactivated, the owner's own valid token loses the stored answer with its access.
    usuario.ativo = False
    await db.commit()
    desativado = await client.post("/api/chamados", json=body, headers=h)
    assert desativado.status_code == 401 and "idempotent-replayed" not in desativado.headers
    assert await db.scalar(select(func.count()).select_from(Chamado)) == 1


async def test_login_answers_are_never_stored(
    client: httpx.AsyncClient, db: AsyncSession, redis: Redis
) -> None:
    usuario = await f.usuario(db)
    body = {"email": usuario.email, "senha": f.SENHA}
    chave = {"Idempotency-Key": "login-1"}
    primeira = await client.post("/api/auth/login", json=body, headers=chave)
    segunda = await client.post("/api/auth/login", json=body, headers=chave)
    assert primeira.status_code == segunda.status_code == 200
    assert "idempotent-replayed" not in segunda.headers
    assert await _registros(redis) == []


async def test_records_are_scoped_by_user_and_hold_no_request(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    a, b = await f.usuario(db), await f.usuario(db)
    t = await f.terceirizado(db)
    body = {"terceirizado_id": t.id, "titulo": "Marca-texto-unico-do-pedido"}
    chave = {"Idempotency-Key": "mesma"}
    for usuario in (a, b):
        r = await client.post(
            "/api/chamados", json=body, headers={**f.headers(usuario, settings), **chave}
        )
        assert r.status_code == 201 and "idempotent-replayed" not in r.headers
    registros = [json.loads(v) for v in await _registros(redis)]
    assert len(registros) == 2
    for registro in registros:
        # The request is kept only as a SHA-256 fingerprint, never its body.
        assert set(registro) == {"status", "tipo", "corpo", "resumo"}
        assert len(registro["resumo"]) == 64 and int(registro["resumo"], 16) >= 0
    assert await db.scalar(select(func.count()).select_from(Chamado)) == 2
