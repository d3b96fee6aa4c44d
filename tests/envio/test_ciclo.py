"""The whole loop with no phone: API → worker → simulator → webhooks → API."""

from __future__ import annotations

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from gmm.core.config import Settings
from tests import factories as f
from tests.entrega import Simulador, WorkerFactory
from tests.envio.test_entrega import _esperar


async def test_receipts_and_a_reply_come_back_through_the_webhook(
    db: AsyncSession,
    settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    api_ao_vivo: str,
) -> None:
    await simulador.apontar_webhook(api_ao_vivo, settings)
    await simulador.http.post(
        "/_sim/callbacks",
        json={"server_delay_s": 0.05, "delivered_delay_s": 0.1, "read_delay_s": 0.2,
              "duplicate_fraction": 0.5, "out_of_order_fraction": 0.5, "seed": 7},
    )  # fmt: skip
    user = await f.usuario(db)
    t = await f.terceirizado(db, telefone="5511987654321")
    async with httpx.AsyncClient(base_url=api_ao_vivo, headers=f.headers(user, settings)) as api:
        criado = await api.post(
            "/api/chamados", json={"terceirizado_id": t.id, "titulo": "Porta emperrada"}
        )
        assert criado.status_code == 201
        chamado_id = criado.json()["chamado"]["id"]
        mensagem_id = criado.json()["mensagem"]["id"]
        await worker()

        async def lida() -> bool:
            row = await db.get(Mensagem, mensagem_id, populate_existing=True)
            return row is not None and row.status_envio == StatusEnvio.lido

        await _esperar(lida)
        row = await db.get(Mensagem, mensagem_id, populate_existing=True)
        assert row is not None
        assert row.enviado_em and row.entregue_em and row.lido_em
        assert row.enviado_em <= row.entregue_em <= row.lido_em

        # The contractor answers from a phone without the 9th digit.
        resposta = await simulador.http.post(
            "/_sim/inbound", json={"type": "text", "from": "551187654321", "text": "Vou hoje"}
        )
        assert resposta.json()["status"] == 200
        historico = (await api.get(f"/api/conversas/{chamado_id}/mensagens")).json()["items"]
        assert [(m["direcao"], m["texto"]) for m in historico][-1] == ("inbound", "Vou hoje")
        assert historico[0]["status_envio"] == "lido"
    inbound = list(await db.scalars(select(Mensagem).where(Mensagem.direcao == Direcao.inbound)))
    assert len(inbound) == 1


async def test_buttons_sent_and_a_simulated_tap_moves_the_chamado(
    db: AsyncSession,
    settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    api_ao_vivo: str,
) -> None:

    await simulador.apontar_webhook(api_ao_vivo, settings)
    user = await f.usuario(db)
    t = await f.terceirizado(db, telefone="5511987654321")
    chamado = await f.chamado(db, t, status=StatusChamado.em_andamento)
    async with httpx.AsyncClient(base_url=api_ao_vivo, headers=f.headers(user, settings)) as api:
        pergunta = await api.post(f"/api/chamados/{chamado.id}/acoes/concluido")
        assert pergunta.status_code == 201, pergunta.text
        mensagem_id = pergunta.json()["mensagem"]["id"]
        await worker()

        async def enviada() -> bool:
            row = await db.get(Mensagem, mensagem_id, populate_existing=True)
            return row is not None and row.megaapi_id is not None

        await _esperar(enviada)
        [envio] = [e for e in await simulador.envios() if e["path"].endswith("/templateMessage")]
        assert [b["title"] for b in envio["json"]["messageData"]["buttons"]] == ["Sim", "Ainda não"]
        row = await db.get(Mensagem, mensagem_id, populate_existing=True)
        assert row is not None and row.megaapi_id == envio["message_id"]

        # The contractor taps "Sim" on that message; the gateway names the button its way.
        toque = await simulador.http.post(
            "/_sim/inbound",
            json={"type": "button", "from": "5511987654321", "button_id": "0",
                  "button_text": "Sim", "reply_to": row.megaapi_id},
        )  # fmt: skip
        assert toque.json()["status"] == 200, toque.text
        movido = await api.get(f"/api/chamados/{chamado.id}")
        assert movido.json()["status"] == "aguardando_confirmacao"
        historico = (await api.get(f"/api/chamados/{chamado.id}/historico")).json()
        assert historico[-1]["origem"] == "terceirizado"
