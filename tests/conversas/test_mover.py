"""Moving messages to another chamado of the same contractor; a contractor's page;
filing a held message; quoting from the central."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado, HistoricoChamado, StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.core.eventos import STREAM
from gmm.terceirizados.models import Terceirizado
from tests import factories as f


async def _cenario(db: AsyncSession, settings: Settings) -> dict[str, Any]:
    t = await f.terceirizado(db)
    a = await f.chamado(db, t, titulo="Vazamento")
    b = await f.chamado(db, t, titulo="Portão")
    ids = []
    for i, direcao in enumerate((Direcao.inbound, Direcao.outbound, Direcao.inbound)):
        m = await f.mensagem(db, a, direcao=direcao, texto=f"m{i}")
        m.momento = utcnow() - timedelta(minutes=10 - i)
        ids.append(m.id)
    await db.commit()
    return {
        "t": t.id,
        "a": a.id,
        "b": b.id,
        "a_numero": a.numero_chamado,
        "b_numero": b.numero_chamado,
        "m": ids,
        "h": f.headers(await f.usuario(db), settings),
    }


async def _retida(db: AsyncSession, t: Terceirizado) -> Mensagem:
    """A contractor's message waiting for a chamado ("a classificar")."""
    row = Mensagem(
        terceirizado_id=t.id,
        direcao=Direcao.inbound,
        tipo=TipoMensagem.recebida,
        texto="qual?",
        destinatario=t.telefone,
        status_envio=StatusEnvio.entregue,
    )
    db.add(row)
    await db.commit()
    return row


async def _onde(db: AsyncSession, ids: list[int]) -> list[int | None]:
    linhas = await db.execute(
        select(Mensagem.id, Mensagem.chamado_id)
        .where(Mensagem.id.in_(ids))
        .execution_options(populate_existing=True)
    )
    por_id = {linha.id: linha.chamado_id for linha in linhas}
    return [por_id[i] for i in ids]


async def _historico(db: AsyncSession, chamado_id: int) -> list[str]:
    return list(
        await db.scalars(
            select(HistoricoChamado.descricao).where(HistoricoChamado.chamado_id == chamado_id)
        )
    )


async def test_moving_one_message_and_the_ones_after_it(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    c = await _cenario(db, settings)
    um = await client.post(
        f"/api/mensagens/{c['m'][2]}/mover", json={"chamado_id": c["b"]}, headers=c["h"]
    )
    assert um.status_code == 200, um.text
    assert um.json() == {
        "de_chamado_id": c["a"],
        "para_chamado_id": c["b"],
        "mensagem_ids": [c["m"][2]],
    }
    assert await _onde(db, c["m"]) == [c["a"], c["a"], c["b"]]
    seguintes = await client.post(
        f"/api/mensagens/{c['m'][0]}/mover",
        json={"chamado_id": c["b"], "com_seguintes": True},
        headers=c["h"],
    )
    assert seguintes.json()["mensagem_ids"] == c["m"][:2]
    assert await _onde(db, c["m"]) == [c["b"], c["b"], c["b"]]
    assert f"2 mensagens movidas para {c['b_numero']}" in await _historico(db, c["a"])
    assert f"1 mensagem movida de {c['a_numero']}" in await _historico(db, c["b"])
    # Every screen hears it.
    eventos = [json.loads(campos["dados"]) for _, campos in await redis.xrange(STREAM)]
    movidas = [e for e in eventos if e.get("mensagem_ids") == c["m"][:2]]
    assert movidas and movidas[0]["de_chamado_id"] == c["a"]
    chat = await client.get(f"/api/conversas/{c['b']}/mensagens", headers=c["h"])
    assert [m["texto"] for m in chat.json()["items"]] == ["m0", "m1", "m2"]


async def test_moving_is_refused_where_it_would_break_something(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    c = await _cenario(db, settings)
    alheio = await f.chamado(db, await f.terceirizado(db))
    url = f"/api/mensagens/{c['m'][0]}/mover"
    casos = [
        ({"chamado_id": alheio.id}, 422),
        ({"chamado_id": c["a"]}, 422),
        ({"chamado_id": 10**6}, 404),
        ({"chamado_id": 0}, 422),
        ({"chamado_id": c["b"], "extra": 1}, 422),
    ]
    for corpo, esperado in casos:
        r = await client.post(url, json=corpo, headers=c["h"])
        assert r.status_code == esperado, (corpo, r.text)
    assert (
        await client.post(
            "/api/mensagens/999999/mover", json={"chamado_id": c["b"]}, headers=c["h"]
        )
    ).status_code == 404
    assert (await client.post(url, json={"chamado_id": c["b"]})).status_code == 401
    # A message of ours still waiting to go keeps its chamado (the send order is per chamado).
    chamado_a = await db.get(Chamado, c["a"])
    assert chamado_a is not None
    pendente = await f.mensagem(
        db,
        chamado_a,
        direcao=Direcao.outbound,
        texto="na fila",
        status=StatusEnvio.pendente,
    )
    r = await client.post(url, json={"chamado_id": c["b"], "com_seguintes": True}, headers=c["h"])
    assert r.status_code == 409 and r.json()["error"] == "em_envio"
    assert await _onde(db, [*c["m"], pendente.id]) == [c["a"]] * 4


async def test_two_moves_crossing_do_not_deadlock(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    c = await _cenario(db, settings)
    b = await db.get(Chamado, c["b"])
    assert b is not None
    na_b = await f.mensagem(db, b, texto="na b")
    ida, volta = await asyncio.gather(
        client.post(
            f"/api/mensagens/{c['m'][0]}/mover",
            json={"chamado_id": c["b"], "com_seguintes": True},
            headers=c["h"],
        ),
        client.post(f"/api/mensagens/{na_b.id}/mover", json={"chamado_id": c["a"]}, headers=c["h"]),
    )
    assert {ida.status_code, volta.status_code} <= {200, 409}, (ida.text, volta.text)
    assert 200 in {ida.status_code, volta.status_code}


async def test_a_contractors_page_lists_open_chamados_first_and_what_waits(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t = await f.terceirizado(db)
    agora = utcnow()
    fechado = await f.chamado(db, t, status=StatusChamado.concluido, atividade=agora)
    velho = await f.chamado(db, t, atividade=agora - timedelta(days=3))
    novo = await f.chamado(db, t, atividade=agora - timedelta(days=1))
    await f.chamado(db, await f.terceirizado(db))  # someone else's
    await _retida(db, t)
    h = f.headers(await f.usuario(db), settings)
    pagina = (await client.get(f"/api/terceirizados/{t.id}/conversas", headers=h)).json()
    assert [c["id"] for c in pagina["items"]] == [novo.id, velho.id, fechado.id]
    assert pagina["a_classificar"] == 1
    # Paged by a cursor that keeps the open-first order.
    ids = []
    cursor = None
    while True:
        url = f"/api/terceirizados/{t.id}/conversas?limit=1" + (
            f"&cursor={cursor}" if cursor else ""
        )
        parte = (await client.get(url, headers=h)).json()
        ids += [c["id"] for c in parte["items"]]
        cursor = parte["next_cursor"]
        if cursor is None:
            break
    assert ids == [novo.id, velho.id, fechado.id]
    assert (await client.get("/api/terceirizados/999999/conversas", headers=h)).status_code == 404
    assert (await client.get(f"/api/terceirizados/{t.id}/conversas")).status_code == 401
    ruim = await client.get(f"/api/terceirizados/{t.id}/conversas?cursor=abc", headers=h)
    assert ruim.status_code == 422


async def test_a_held_message_is_filed_only_on_its_contractors_chamado(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t = await f.terceirizado(db)
    dele = await f.chamado(db, t)
    alheio = await f.chamado(db, await f.terceirizado(db))
    retida = await _retida(db, t)
    h = f.headers(await f.usuario(db), settings)
    url = f"/api/mensagens/{retida.id}/atribuir"
    errado = await client.post(url, json={"chamado_id": alheio.id}, headers=h)
    assert errado.status_code == 422 and errado.json()["error"] == "outro_terceirizado"
    certo = await client.post(url, json={"chamado_id": dele.id}, headers=h)
    assert certo.status_code == 200 and certo.json()["chamado_id"] == dele.id


async def test_quoting_a_message_from_the_central(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    c = await _cenario(db, settings)
    url = f"/api/chamados/{c['a']}/responder"
    r = await client.post(url, json={"mensagem": "Sim", "citada_id": c["m"][0]}, headers=c["h"])
    assert r.status_code == 201, r.text
    citada = r.json()["mensagem"]["citada"]
    assert citada == {
        "id": c["m"][0],
        "chamado_id": c["a"],
        "direcao": "inbound",
        "tipo_conteudo": "text",
        "texto": "m0",
        "apagada": False,
    }
    chat = (await client.get(f"/api/conversas/{c['a']}/mensagens", headers=c["h"])).json()
    assert chat["items"][-1]["citada"]["id"] == c["m"][0]
    assert chat["items"][0]["citada"] is None
    # Only a message of this conversation can be quoted.
    chamado_b = await db.get(Chamado, c["b"])
    assert chamado_b is not None
    outra = await f.mensagem(db, chamado_b, texto="da B")
    for citada_id in (outra.id, 10**12, 0, "x"):
        ruim = await client.post(
            url, json={"mensagem": "Não", "citada_id": citada_id}, headers=c["h"]
        )
        assert ruim.status_code == 422, (citada_id, ruim.text)
