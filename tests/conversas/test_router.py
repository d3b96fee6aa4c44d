from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gmm.chamados.models import StatusChamado
from gmm.conversas.models import Direcao, StatusEnvio
from gmm.core.config import Settings
from gmm.core.db import utcnow
from tests import factories as f


async def _auth(db: AsyncSession, settings: Settings) -> dict[str, str]:
    return f.headers(await f.usuario(db), settings)


async def test_conversas_show_last_message_and_unread_by_activity(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    agora = utcnow()
    carlos = await f.terceirizado(db, nome="Carlos")
    ana = await f.terceirizado(db, nome="Ana")
    velho = await f.chamado(db, carlos, titulo="Velho", atividade=agora - timedelta(hours=2))
    novo = await f.chamado(
        db,
        ana,
        titulo="Novo",
        atividade=agora - timedelta(minutes=1),
        prazo=agora - timedelta(days=1),
    )
    vazio = await f.chamado(db, ana, titulo="Sem mensagens", atividade=agora - timedelta(days=3))
    await f.mensagem(db, velho, direcao=Direcao.inbound, texto="oi 1")
    await f.mensagem(db, velho, direcao=Direcao.inbound, texto="oi 2")
    await f.mensagem(db, novo, direcao=Direcao.inbound, texto="respondi")
    await f.mensagem(db, novo, direcao=Direcao.outbound, texto="obrigado", status=StatusEnvio.lido)

    response = await client.get("/api/conversas", headers=h)
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [novo.id, velho.id, vazio.id]
    first = items[0]
    assert first["prestador"] == "Ana" and first["empresa"] == ana.empresa
    assert first["telefone"] == ana.telefone
    assert first["numero_chamado"] == novo.numero_chamado
    assert first["atrasado"] is True
    assert first["nao_lidas"] == 1
    assert first["ultima_mensagem"]["texto"] == "obrigado"
    assert first["ultima_mensagem"]["direcao"] == "outbound"
    assert first["ultima_mensagem"]["status_envio"] == "lido"
    assert items[1]["nao_lidas"] == 2 and items[1]["ultima_mensagem"]["texto"] == "oi 2"
    assert items[2]["ultima_mensagem"] is None and items[2]["nao_lidas"] == 0


async def test_conversas_filter_search_and_cursor(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    agora = utcnow()
    t = await f.terceirizado(db, nome="Maria Hidráulica")
    outro = await f.terceirizado(db, nome="José")
    chamados = [
        await f.chamado(db, outro, titulo=f"Chamado {i}", atividade=agora - timedelta(minutes=i))
        for i in range(5)
    ]
    concluido = await f.chamado(
        db,
        t,
        titulo="Vazamento",
        status=StatusChamado.concluido,
        atividade=agora - timedelta(hours=1),
    )
    await f.mensagem(db, chamados[3], texto="O registro 100% travado")

    async def ids(**params: str | int) -> list[int]:
        response = await client.get("/api/conversas", params=params, headers=h)
        assert response.status_code == 200, response.text
        return [i["id"] for i in response.json()["items"]]

    assert await ids(status="concluido") == [concluido.id]
    assert await ids(busca="hidráulica") == [concluido.id]
    assert await ids(busca=concluido.numero_chamado) == [concluido.id]
    assert await ids(busca="vazam") == [concluido.id]
    assert await ids(busca="100% trav") == [chamados[3].id]
    assert await ids(busca="_") == []

    seen: list[int] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 2}
        if cursor:
            params["cursor"] = cursor
        page = (await client.get("/api/conversas", params=params, headers=h)).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [c.id for c in chamados] + [concluido.id]


async def test_conversas_is_one_query(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, engine: AsyncEngine
) -> None:
    h = await _auth(db, settings)
    for _ in range(5):
        c = await f.chamado(db, await f.terceirizado(db))
        await f.mensagem(db, c)
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        response = await client.get("/api/conversas", headers=h)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert response.status_code == 200 and len(response.json()["items"]) == 5
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # One for the user behind the token, one for the whole page.
    assert len(selects) == 2, selects


async def test_history_pages_back_in_time_oldest_first(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    c = await f.chamado(db, await f.terceirizado(db))
    for i in range(5):
        await f.mensagem(db, c, texto=f"m{i}")
    outro = await f.chamado(db, await f.terceirizado(db))
    await f.mensagem(db, outro, texto="de outro chamado")

    page = (
        await client.get(f"/api/conversas/{c.id}/mensagens", params={"limit": 2}, headers=h)
    ).json()
    assert [m["texto"] for m in page["items"]] == ["m3", "m4"]
    page = (
        await client.get(
            f"/api/conversas/{c.id}/mensagens",
            params={"limit": 2, "cursor": page["next_cursor"]},
            headers=h,
        )
    ).json()
    assert [m["texto"] for m in page["items"]] == ["m1", "m2"]
    page = (
        await client.get(
            f"/api/conversas/{c.id}/mensagens",
            params={"limit": 2, "cursor": page["next_cursor"]},
            headers=h,
        )
    ).json()
    assert [m["texto"] for m in page["items"]] == ["m0"] and page["next_cursor"] is None


async def test_marcar_lidas_clears_unread(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    c = await f.chamado(db, await f.terceirizado(db))
    await f.mensagem(db, c, direcao=Direcao.inbound)
    await f.mensagem(db, c, direcao=Direcao.inbound)
    await f.mensagem(db, c, direcao=Direcao.outbound)
    response = await client.post(f"/api/conversas/{c.id}/lidas", headers=h)
    assert response.status_code == 200 and response.json() == {"marcadas": 2}
    again = await client.post(f"/api/conversas/{c.id}/lidas", headers=h)
    assert again.json() == {"marcadas": 0}
    items = (await client.get("/api/conversas", headers=h)).json()["items"]
    assert items[0]["nao_lidas"] == 0
    history = (await client.get(f"/api/conversas/{c.id}/mensagens", headers=h)).json()["items"]
    assert all(m["lida_em"] for m in history if m["direcao"] == "inbound")
    assert all(m["lida_em"] is None for m in history if m["direcao"] == "outbound")


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/api/conversas/777/mensagens"), ("POST", "/api/conversas/777/lidas")],
)
async def test_unknown_conversa_is_404(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, method: str, path: str
) -> None:
    h = await _auth(db, settings)
    assert (await client.request(method, path, headers=h)).status_code == 404
    assert (await client.request(method, path)).status_code == 401


async def test_conversas_bad_params_are_422(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    for params in ({"limit": 0}, {"limit": 1000}, {"status": "nope"}, {"cursor": "%%%"}):
        assert (await client.get("/api/conversas", params=params, headers=h)).status_code == 422
    assert (await client.get("/api/conversas")).status_code == 401


async def test_conversas_are_found_by_the_contractors_phone(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    # A landline, and a mobile WhatsApp reports without its 9th digit.
    fixo = await f.chamado(db, await f.terceirizado(db, telefone="551133024455"))
    celular = await f.chamado(db, await f.terceirizado(db, telefone="552187654321"))
    sala = await f.chamado(db, await f.terceirizado(db), titulo="Sala 302")

    async def ids(busca: str) -> set[int]:
        response = await client.get("/api/conversas", params={"busca": busca}, headers=h)
        assert response.status_code == 200, response.text
        return {i["id"] for i in response.json()["items"]}

    assert await ids("+55 (11) 3302-4455") == {fixo.id}
    assert await ids("4455") == {fixo.id}
    # Typed the way the operator knows it today, with the 9th digit.
    assert await ids("(21) 98765-4321") == {celular.id}
    assert await ids("8765 4321") == {celular.id}
    # Three digits are a room number, not a phone.
    assert await ids("302") == {sala.id}
