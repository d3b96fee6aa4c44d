from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.core.config import Settings
from gmm.envio import credenciais
from gmm.envio.models import ConfiguracaoWhatsapp
from tests import factories as f

URL = "/api/admin/whatsapp/config"
TOKEN = "megaapi-token-secreto-1234"


async def test_admin_saves_config_token_encrypted_and_masked(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    before = await client.get(URL, headers=h)
    assert before.status_code == 200
    assert before.json()["fonte"] in ("ambiente", "nenhuma")

    saved = await client.put(
        URL,
        json={
            "base_url": "https://apistart01.megaapi.com.br/",
            "instance_key": "minha",
            "token": TOKEN,
        },
        headers=h,
    )
    assert saved.status_code == 200, saved.text
    body = saved.json()
    assert body == {
        "configurado": True,
        "fonte": "banco",
        "base_url": "https://apistart01.megaapi.com.br",
        "instance_key": "minha",
        "token_mascarado": "••••1234",
        "atualizado_em": body["atualizado_em"],
    }
    assert TOKEN not in saved.text
    assert TOKEN not in (await client.get(URL, headers=h)).text
    row = await db.scalar(select(ConfiguracaoWhatsapp))
    assert row is not None and TOKEN not in row.token_cifrado
    assert credenciais.decifrar(row.token_cifrado, settings) == TOKEN
    creds = await credenciais.carregar(db, settings)
    assert creds is not None and creds.token == TOKEN and creds.instance_key == "minha"


async def test_update_without_token_keeps_the_saved_one(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    first = await client.put(
        URL, json={"base_url": "https://a.example.com", "instance_key": "k1"}, headers=h
    )
    assert first.status_code == 422 and first.json()["error"] == "token_obrigatorio"
    await client.put(
        URL,
        json={"base_url": "https://a.example.com", "instance_key": "k1", "token": TOKEN},
        headers=h,
    )
    second = await client.put(
        URL, json={"base_url": "https://b.example.com", "instance_key": "k2"}, headers=h
    )
    assert second.status_code == 200 and second.json()["token_mascarado"] == "••••1234"
    creds = await credenciais.carregar(db, settings)
    assert creds is not None and creds.base_url == "https://b.example.com" and creds.token == TOKEN


async def test_config_is_admin_only_and_validated(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    operador = f.headers(await f.usuario(db), settings)
    admin = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    assert (await client.get(URL)).status_code == 401
    assert (await client.get(URL, headers=operador)).status_code == 403
    body = {"base_url": "https://a.example.com", "instance_key": "k", "token": TOKEN}
    assert (await client.put(URL, json=body, headers=operador)).status_code == 403
    for bad in (
        {**body, "base_url": "não é url"},
        {**body, "token": "curto"},
        {**body, "instance_key": ""},
        {**body, "extra": 1},
    ):
        response = await client.put(URL, json=bad, headers=admin)
        assert response.status_code == 422, bad
        assert TOKEN not in response.text
    assert await db.scalar(select(ConfiguracaoWhatsapp)) is None
