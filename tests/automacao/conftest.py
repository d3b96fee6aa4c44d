"""Webhook bodies and small helpers shared by the automation tests."""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import HistoricoChamado
from gmm.conversas.models import Direcao, Mensagem, TipoMensagem
from gmm.core.config import Settings
from gmm.core.eventos import STREAM
from tests.recebimento.test_webhook import texto

_ids = itertools.count(1)

__all__ = ["botao", "enviar_webhook", "eventos", "historico", "saidas", "texto"]


def botao(
    telefone: str,
    botao_id: str,
    titulo: str,
    *,
    em_resposta_a: str | None = None,
    msg_id: str | None = None,
) -> dict[str, Any]:
    """A tap on a template's reply button, as MegaAPI posts it."""
    resposta: dict[str, Any] = {"selectedId": botao_id, "selectedDisplayText": titulo}
    if em_resposta_a:
        resposta["contextInfo"] = {"stanzaId": em_resposta_a}
    return {
        "instance_key": "inst",
        "messageType": "templateButtonReplyMessage",
        "key": {
            "remoteJid": f"{telefone}@s.whatsapp.net",
            "fromMe": False,
            "id": msg_id or f"TAP{next(_ids):06d}",
        },
        "messageTimestamp": 1_795_000_000,
        "message": {"templateButtonReplyMessage": resposta},
    }


async def enviar_webhook(
    client: httpx.AsyncClient, settings: Settings, body: dict[str, Any]
) -> httpx.Response:
    resposta = await client.post(
        f"/webhook/whatsapp?token={settings.secret('webhook_token')}", json=body
    )
    assert resposta.status_code == 200, resposta.text
    return resposta


async def saidas(db: AsyncSession, chamado_id: int) -> list[Mensagem]:
    return list(
        await db.scalars(
            select(Mensagem)
            .where(Mensagem.chamado_id == chamado_id, Mensagem.direcao == Direcao.outbound)
            .order_by(Mensagem.id)
            .execution_options(populate_existing=True)
        )
    )


async def automaticas(db: AsyncSession, chamado_id: int) -> list[str]:
    return [
        m.texto or "" for m in await saidas(db, chamado_id) if m.tipo == TipoMensagem.automatica
    ]


async def historico(db: AsyncSession, chamado_id: int) -> list[HistoricoChamado]:
    return list(
        await db.scalars(
            select(HistoricoChamado)
            .where(HistoricoChamado.chamado_id == chamado_id)
            .order_by(HistoricoChamado.id)
        )
    )


async def eventos(redis: Redis, tipo: str) -> list[dict[str, Any]]:
    entradas = await redis.xrange(STREAM)
    return [json.loads(campos["dados"]) for _, campos in entradas if campos["tipo"] == tipo]
