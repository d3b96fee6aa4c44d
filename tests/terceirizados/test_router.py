from __future__ import annotations

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core.config import Settings
from gmm.terceirizados.models import Terceirizado
from tests import factories as f


async def _auth(db: AsyncSession, settings: Settings) -> dict[str, str]:
    return f.headers(await f.usuario(db), settings)


async def _count(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Terceirizado)) or 0)


async def test_create_normalises_phone_and_reads_back(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    response = await client.post(
        "/api/terceirizados",
        json={
            "nome": "  Carlos Pereira ",
            "telefone": "(11) 98765-4321",
            "empresa": "Polar",
            "email": "carlos@example.com",
            "especialidade": "Refrigeração",
        },
        headers=h,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["nome"] == "Carlos Pereira"
    assert body["telefone"] == "5511987654321"
    assert body["ativo"] is True
    assert "telefone_chave" not in body
    got = await client.get(f"/api/terceirizados/{body['id']}", headers=h)
    assert got.status_code == 200 and got.json() == body


async def test_create_rejects_bad_phone_with_clear_422_and_stores_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    response = await client.post(
        "/api/terceirizados", json={"nome": "X", "telefone": "(20) 98765-4321"}, headers=h
    )
    assert response.status_code == 422
    assert response.json()["error"] == "dados_invalidos"
    assert "DDD 20" in response.text
    for body in (
        {"nome": "", "telefone": "11987654321"},
        {"nome": "X", "telefone": "11987654321", "email": "não-é-email"},
        {"nome": "X", "telefone": "11987654321", "extra": 1},
        {"telefone": "11987654321"},
    ):
        assert (await client.post("/api/terceirizados", json=body, headers=h)).status_code == 422
    assert await _count(db) == 0


async def test_same_line_with_or_without_ninth_digit_is_409(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    first = await client.post(
        "/api/terceirizados", json={"nome": "A", "telefone": "11 8765-4321"}, headers=h
    )
    assert first.status_code == 201
    again = await client.post(
        "/api/terceirizados", json={"nome": "B", "telefone": "(11) 98765-4321"}, headers=h
    )
    assert again.status_code == 409
    assert again.json()["error"] == "conflito"
    assert await _count(db) == 1


async def test_list_search_filter_and_cursor(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    for nome in ("Bruno", "Ana", "Carla", "Daniel", "Eva"):
        await f.terceirizado(db, nome=nome)
    await f.terceirizado(db, nome="Zé Inativo", ativo=False)

    first = (await client.get("/api/terceirizados", params={"limit": 2}, headers=h)).json()
    assert [t["nome"] for t in first["items"]] == ["Ana", "Bruno"]
    second = (
        await client.get(
            "/api/terceirizados", params={"limit": 2, "cursor": first["next_cursor"]}, headers=h
        )
    ).json()
    assert [t["nome"] for t in second["items"]] == ["Carla", "Daniel"]

    ativos = (await client.get("/api/terceirizados", params={"ativo": "true"}, headers=h)).json()
    assert len(ativos["items"]) == 5 and ativos["next_cursor"] is None
    inativos = (await client.get("/api/terceirizados", params={"ativo": False}, headers=h)).json()
    assert [t["nome"] for t in inativos["items"]] == ["Zé Inativo"]

    busca = (await client.get("/api/terceirizados", params={"busca": "arl"}, headers=h)).json()
    assert [t["nome"] for t in busca["items"]] == ["Carla"]
    percent = (await client.get("/api/terceirizados", params={"busca": "%"}, headers=h)).json()
    assert percent["items"] == []

    bad = await client.get("/api/terceirizados", params={"cursor": "lixo"}, headers=h)
    assert bad.status_code == 422 and bad.json()["error"] == "cursor_invalido"


async def test_search_by_phone_digits(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    # No digits but the phones' (the factory's "Empresa N" would match a search for "55"
    # whenever N holds those digits).
    await f.terceirizado(db, nome="Fone", telefone="5521998765432", empresa="Elétrica")
    await f.terceirizado(db, nome="Outro", telefone="5511912345678", empresa="Hidráulica")
    await f.terceirizado(db, nome="Sem o nove", telefone="552181112222", empresa="Pintura")

    async def nomes(busca: str) -> list[str]:
        resposta = await client.get("/api/terceirizados", params={"busca": busca}, headers=h)
        assert resposta.status_code == 200, resposta.text
        return [t["nome"] for t in resposta.json()["items"]]

    assert await nomes("98765") == ["Fone"]
    assert await nomes("+55 (21) 99876-5432") == ["Fone"]
    # The mobile stored without its 9th digit is found with it too.
    assert await nomes("(21) 98111-2222") == ["Sem o nove"]
    # A few digits match nothing by phone: every number holds a "55".
    assert await nomes("55") == []


async def test_update_changes_only_sent_fields(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    t = await f.terceirizado(db, nome="Antes")
    response = await client.patch(
        f"/api/terceirizados/{t.id}", json={"nome": "Depois", "telefone": "31 3222-1100"}, headers=h
    )
    assert response.status_code == 200
    assert response.json()["nome"] == "Depois"
    assert response.json()["telefone"] == "553132221100"
    assert response.json()["empresa"] == t.empresa
    assert (
        await client.patch(f"/api/terceirizados/{t.id}", json={"nome": None}, headers=h)
    ).status_code == 422
    assert (
        await client.patch(f"/api/terceirizados/{t.id}", json={"telefone": "123"}, headers=h)
    ).status_code == 422


async def test_update_to_someone_elses_phone_is_409(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    await f.terceirizado(db, telefone="5511987654321")
    other = await f.terceirizado(db, telefone="5511912345678")
    response = await client.patch(
        f"/api/terceirizados/{other.id}", json={"telefone": "11 8765-4321"}, headers=h
    )
    assert response.status_code == 409
    await db.refresh(other)
    assert other.telefone == "5511912345678"


async def test_deactivate_then_again_is_409_and_reactivate(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    t = await f.terceirizado(db)
    first = await client.post(f"/api/terceirizados/{t.id}/desativar", headers=h)
    assert first.status_code == 200 and first.json()["ativo"] is False
    assert (await client.post(f"/api/terceirizados/{t.id}/desativar", headers=h)).status_code == 409
    back = await client.patch(f"/api/terceirizados/{t.id}", json={"ativo": True}, headers=h)
    assert back.json()["ativo"] is True


async def test_unknown_ids_are_404_and_bad_ids_422(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    assert (await client.get("/api/terceirizados/999", headers=h)).status_code == 404
    assert (await client.patch("/api/terceirizados/999", json={}, headers=h)).status_code == 404
    assert (await client.post("/api/terceirizados/999/desativar", headers=h)).status_code == 404
    assert (await client.get("/api/terceirizados/abc", headers=h)).status_code == 422
    assert (await client.get(f"/api/terceirizados/{2**63}", headers=h)).status_code == 422


async def test_every_endpoint_needs_a_token(client: httpx.AsyncClient) -> None:
    for method, path in (
        ("GET", "/api/terceirizados"),
        ("POST", "/api/terceirizados"),
        ("GET", "/api/terceirizados/1"),
        ("PATCH", "/api/terceirizados/1"),
        ("POST", "/api/terceirizados/1/desativar"),
    ):
        response = await client.request(method, path, json={})
        assert response.status_code == 401, (method, path)
