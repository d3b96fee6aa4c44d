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
