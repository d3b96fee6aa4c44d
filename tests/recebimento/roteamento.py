"""Helpers for the routing tests: events in the simulator's shapes, posted to our webhook."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.config import Settings
from gmm.megaapi_sim import payloads
from tests import factories as f

_PEDIDO: TypeAdapter[Any] = TypeAdapter(payloads.InboundRequest)
TELEFONE = "5511987654321"


def evento(**pedido: Any) -> dict[str, Any]:
    """The webhook body the simulator posts for ``pedido`` (as /_sim/inbound takes it)."""
    pedido.setdefault("from", TELEFONE)
    return payloads.inbound(_PEDIDO.validate_python(pedido), "inst").payload


async def postar(client: httpx.AsyncClient, settings: Settings, body: dict[str, Any]) -> str:
    resposta = await client.post(
        f"/webhook/whatsapp?token={settings.secret('webhook_token')}", json=body
    )
    assert resposta.status_code == 200, resposta.text
    resultado: str = resposta.json()["resultado"]
    return resultado


async def nossa(
    db: AsyncSession, chamado: Chamado, megaapi_id: str, texto: str = "Chego amanhã?"
) -> Mensagem:
    """One of our messages on the chamado, already sent (it has its MegaAPI id)."""
    row = Mensagem(
        chamado_id=chamado.id,
        terceirizado_id=chamado.terceirizado_id,
        direcao=Direcao.outbound,
        tipo=TipoMensagem.resposta_manual,
        texto=texto,
        destinatario=TELEFONE,
        status_envio=StatusEnvio.entregue,
        megaapi_id=megaapi_id,
    )
    db.add(row)
    await db.commit()
    return row


async def recebidas(db: AsyncSession) -> list[Mensagem]:
    return list(
        await db.scalars(
            select(Mensagem)
            .where(Mensagem.direcao == Direcao.inbound)
            .order_by(Mensagem.id)
            .execution_options(populate_existing=True)
        )
    )


async def dois_abertos(db: AsyncSession) -> tuple[Any, Chamado, Chamado]:
    t = await f.terceirizado(db, telefone=TELEFONE)
    a = await f.chamado(db, t, titulo="Vazamento no 3º andar")
    b = await f.chamado(db, t, titulo="Portão da garagem")
    return t, a, b
