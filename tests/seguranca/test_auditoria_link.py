"""The contractor link's audit log stays readable: repeated views are one row.

Fifty page loads wrote fifty rows; now each client (address and browser) has one
row per link for its views, with first and last seen and a count. Writes and every
failed request still get a row each.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core.config import Settings
from gmm.prestador import service
from tests import factories as f
from tests.prestador.conftest import criar_link, usos

CELULAR = {"User-Agent": "Mozilla/5.0 (Linux; Android 14) Celular do prestador"}
NOTEBOOK = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Notebook do prestador"}


@pytest.fixture
async def sem_excecoes(clean: None, app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client that gets our 500 as a browser would, instead of the exception."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        yield http


async def _link(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> tuple[str, int, dict[str, str], int]:
    h = f.headers(await f.usuario(db), settings)
    c = await f.chamado(db, await f.terceirizado(db, telefone="5511987654321"))
    token, corpo = await criar_link(client, c.id, h)
    return token, corpo["link"]["id"], h, c.id


async def test_repeated_views_are_one_row_with_first_last_and_count(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    token, link_id, h, chamado_id = await _link(client, db, settings)
    for _ in range(30):
        assert (await client.get(f"/api/prestador/{token}", headers=CELULAR)).status_code == 200
    # Simultaneous reloads add to the same row too (one atomic statement each).
    respostas = await asyncio.gather(
        *[client.get(f"/api/prestador/{token}", headers=CELULAR) for _ in range(20)]
    )
    assert {r.status_code for r in respostas} == {200}
    assert (await client.get(f"/api/prestador/{token}", headers=NOTEBOOK)).status_code == 200

    linhas = await usos(db, link_id)
    assert [(u.acao, u.user_agent, u.vezes) for u in linhas] == [
        ("ver", CELULAR["User-Agent"], 50),
        ("ver", NOTEBOOK["User-Agent"], 1),
    ]
    assert linhas[0].criado_em <= linhas[0].ultimo_em
    assert linhas[0].ultimo_em <= linhas[1].criado_em
    [link] = (await client.get(f"/api/chamados/{chamado_id}/links-prestador", headers=h)).json()
    assert (link["usos"], link["recusas"]) == (51, 0)


async def test_failed_requests_still_leave_a_row_each(
    sem_excecoes: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    token, link_id, h, chamado_id = await _link(sem_excecoes, db, settings)
    assert (await sem_excecoes.get(f"/api/prestador/{token}", headers=CELULAR)).status_code == 200

    async def quebra(*_: object) -> None:
        raise RuntimeError("falha de teste")

    with monkeypatch.context() as m:
        m.setattr(service, "visao", quebra)
        for _ in range(2):
            r = await sem_excecoes.get(f"/api/prestador/{token}", headers=CELULAR)
            assert r.status_code == 500
    assert (
        await sem_excecoes.post(f"/api/links-prestador/{link_id}/revogar", headers=h)
    ).status_code == 200
    for _ in range(2):
        r = await sem_excecoes.get(f"/api/prestador/{token}", headers=CELULAR)
        assert r.status_code == 410

    linhas = await usos(db, link_id)
    assert [(u.acao, u.detalhe, u.vezes) for u in linhas] == [
        ("ver", None, 1),  # the failed views rolled back with their requests
        ("recusado", "ver: falha interna", 1),
        ("recusado", "ver: falha interna", 1),
        ("recusado", "ver: link revogado: peça um novo link à central", 1),
        ("recusado", "ver: link revogado: peça um novo link à central", 1),
    ]
    [link] = (
        await sem_excecoes.get(f"/api/chamados/{chamado_id}/links-prestador", headers=h)
    ).json()
    assert (link["usos"], link["recusas"]) == (1, 4)
