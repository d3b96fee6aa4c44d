"""Simultaneous events for one chamado: all accepted, stored once, in the contractor's order.

A contractor sends an album, a text and a photo at once while receipts for our own
messages arrive and automation rules move the chamado: PostgreSQL must never see a
lock cycle (one lock order for chamado rows, docs/arquitetura.md).
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gmm.automacao.models import AcaoRegra, RegraAutomacao, TipoPadrao
from gmm.chamados.models import HistoricoChamado, StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from gmm.core.config import Settings
from tests import factories as f
from tests.recebimento.test_webhook import _midia, ack, texto

TELEFONE = "5511987654321"
# WhatsApp's own clock for the contractor's messages: one a second, in this order.
INICIO = 1_795_000_000


async def _deadlocks(engine: AsyncEngine, db: AsyncSession) -> int:
    """Deadlocks PostgreSQL counted in this database, once every other backend of
    ours has gone (a backend flushes its counters when it exits)."""
    await db.close()
    await engine.dispose()
    async with engine.connect() as conn:
        for _ in range(200):
            outros = await conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )
            if not outros:
                break
            await asyncio.sleep(0.1)
        await conn.execute(text("SELECT pg_stat_clear_snapshot()"))
        valor = await conn.scalar(
            text("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()")
        )
    return int(valor or 0)


async def test_twenty_simultaneous_messages_photos_acks_and_rules_on_one_chamado(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, engine: AsyncEngine
) -> None:
    t = await f.terceirizado(db, telefone=TELEFONE)
    chamado = await f.chamado(db, t)
    nossas = []
    for i in range(10):
        m = await f.mensagem(
            db, chamado, direcao=Direcao.outbound, texto=f"nossa {i}", status=StatusEnvio.enviado
        )
        m.megaapi_id = f"OUT{i:03d}"
        nossas.append(m)
    # Rules that move the chamado back and forth, answer and raise its priority:
    # every inbound text takes the row lock of the automation's transition.
    db.add_all(
        [
            RegraAutomacao(
                nome="chegou",
                tipo_padrao=TipoPadrao.palavra_chave,
                padrao="cheguei",
                acao=AcaoRegra.mudar_status,
                parametro=StatusChamado.em_andamento.value,
                ordem=1,
            ),
            RegraAutomacao(
                nome="pausa",
                tipo_padrao=TipoPadrao.palavra_chave,
                padrao="pausa",
                acao=AcaoRegra.mudar_status,
                parametro=StatusChamado.aguardando.value,
                ordem=2,
            ),
            RegraAutomacao(
                nome="recebido",
                tipo_padrao=TipoPadrao.palavra_chave,
                padrao="foto",
                acao=AcaoRegra.responder,
                parametro="Recebido, obrigado!",
                ordem=3,
            ),
        ]
    )
    await db.commit()
    antes = await _deadlocks(engine, db)

    textos = [
        f"{'cheguei' if i % 2 == 0 else 'pausa'} {i} foto" if i % 3 else f"mensagem {i}"
        for i in range(20)
    ]
    corpos: list[dict[str, Any]] = []
    for i, corpo in enumerate(textos):
        if i % 5 == 4:
            # An album: photos (captioned) among the texts, each with its download job.
            body = _midia(TELEFONE, "imageMessage", {"mimetype": "image/jpeg", "caption": corpo})
            body["key"]["id"] = f"IN{i:03d}"
        else:
            body = texto(TELEFONE, corpo, msg_id=f"IN{i:03d}")
        body["messageTimestamp"] = INICIO + i
        corpos.append(body)
    corpos += [ack(m.megaapi_id or "", status) for m in nossas for status in (3, 4)]
    # Arrival order is not the contractor's order: the gateway posts in parallel.
    random.Random(12).shuffle(corpos)
    url = f"/webhook/whatsapp?token={settings.secret('webhook_token')}"
    respostas = await asyncio.gather(*(client.post(url, json=c) for c in corpos))

    assert [r.status_code for r in respostas] == [200] * len(corpos), [
        r.text for r in respostas if r.status_code != 200
    ]
    recebidas = list(
        await db.scalars(
            select(func.coalesce(Mensagem.texto, Mensagem.caption)).where(
                Mensagem.chamado_id == chamado.id, Mensagem.direcao == Direcao.inbound
            )
        )
    )
    assert sorted(t or "" for t in recebidas) == sorted(textos)
    # The chat shows the contractor's messages in the order WhatsApp stamped them.
    h = f.headers(await f.usuario(db), settings)
    historico = (
        await client.get(f"/api/conversas/{chamado.id}/mensagens?limit=100", headers=h)
    ).json()["items"]
    assert [m["texto"] for m in historico if m["direcao"] == "inbound"] == textos
    # Every receipt applied: all our messages read.
    status = await db.scalars(
        select(Mensagem.status_envio)
        .where(Mensagem.id.in_([m.id for m in nossas]))
        .execution_options(populate_existing=True)
    )
    assert set(status) == {StatusEnvio.lido}
    linhas = await db.scalar(
        select(func.count())
        .select_from(HistoricoChamado)
        .where(HistoricoChamado.chamado_id == chamado.id)
    )
    assert linhas and linhas > 0  # the rules did fire
    assert await _deadlocks(engine, db) == antes


async def test_connections_killed_mid_traffic_lose_nothing_and_the_pool_recovers(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, engine: AsyncEngine
) -> None:
    """PostgreSQL drops every connection of the API (a restart, a failover) while
    webhooks are in flight: each is stored (200) or refused (503, MegaAPI repeats it),
    never a 500, and the next ones go through on fresh connections."""
    t = await f.terceirizado(db, telefone=TELEFONE)
    await f.chamado(db, t)
    nossas = []
    for i in range(20):
        m = await f.mensagem(db, (await f.chamado(db, t)), direcao=Direcao.outbound)
        m.megaapi_id, m.status_envio = f"NOSSA-{i}", StatusEnvio.enviado
        nossas.append(m)
    await db.commit()
    corpos = [texto(TELEFONE, f"texto {i}", msg_id=f"QUEDA-{i}") for i in range(40)]
    corpos += [ack(f"NOSSA-{i}", 3) for i in range(20)]
    random.Random(7).shuffle(corpos)
    url = f"/webhook/whatsapp?token={settings.secret('webhook_token')}"

    async def derrubar() -> None:
        async with engine.connect() as conn:
            await conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            )

    async def postar(corpo: dict[str, Any]) -> int:
        return (await client.post(url, json=corpo)).status_code

    tarefas = [asyncio.create_task(postar(c)) for c in corpos]
    await asyncio.sleep(0.05)
    await derrubar()
    respostas = await asyncio.gather(*tarefas)
    assert set(respostas) <= {200, 503}, respostas
    # MegaAPI repeats what was refused; now the pool hands out fresh connections.
    repetidas = [await postar(c) for c, r in zip(corpos, respostas, strict=True) if r == 503]
    assert set(repetidas) <= {200}
    await db.close()
    guardados = await db.scalars(
        select(Mensagem.megaapi_id).where(Mensagem.megaapi_id.like("QUEDA-%"))
    )
    assert sorted(str(g) for g in guardados) == sorted(f"QUEDA-{i}" for i in range(40))
    entregues = await db.scalar(
        select(func.count()).where(
            Mensagem.megaapi_id.like("NOSSA-%"), Mensagem.status_envio == StatusEnvio.entregue
        )
    )
    assert entregues == 20
