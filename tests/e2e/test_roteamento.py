"""Quoting and moving in Chromium, with the API, a worker and the MegaAPI simulator:
an operator replies to a contractor's message quoting it, the contractor replies
quoting ours, and a message that landed on the wrong chamado is moved."""

from __future__ import annotations

import re

import httpx
from arq.worker import Worker
from playwright.async_api import Page, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import HistoricoChamado
from gmm.conversas.models import Mensagem
from gmm.core.config import Settings
from tests import factories as f
from tests.e2e.conftest import SimuladorE2E, screenshot
from tests.e2e.test_interativas import TELEFONE, _esperar_megaapi_id, entrar


async def test_quoted_replies_both_ways_and_moving_a_message(
    page: Page,
    live_server_sim: str,
    db: AsyncSession,
    settings_sim: Settings,
    simulador_e2e: SimuladorE2E,
    worker_e2e: Worker,
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira", telefone=TELEFONE)
    vazamento = await f.chamado(db, t, titulo="Vazamento no 3º andar")
    portao = await f.chamado(db, t, titulo="Portão da garagem")
    vazamento_id, portao_id = vazamento.id, portao.id
    portao_numero = portao.numero_chamado
    # Both open: what the contractor writes about neither waits "a classificar", so
    # the first message is filed here by hand, as an operator would.
    recebida = await simulador_e2e.inbound(
        type="text", **{"from": TELEFONE}, text="O cano estourou de novo, posso ir amanhã?"
    )
    mensagem = await db.scalar(select(Mensagem).where(Mensagem.megaapi_id == recebida["id"]))
    assert mensagem is not None and mensagem.chamado_id is None
    mensagem.chamado_id = vazamento_id
    await db.commit()

    await entrar(page, live_server_sim, user.email, f"/central/{vazamento_id}")
    chat = page.get_by_role("region", name="Conversa")
    await expect(chat.locator(".chat-ao-vivo")).to_have_text("ao vivo")
    bolha = chat.locator(".linha-entrada", has_text="O cano estourou")

    # Hover → "Responder": the composer shows what is being answered.
    await bolha.hover()
    await bolha.get_by_role("button", name="Responder").click()
    respondendo = page.get_by_label(re.compile("^Respondendo a"))
    await expect(respondendo).to_contain_text("O cano estourou")
    await page.get_by_label("Mensagem", exact=True).fill("Pode sim, às 9h.")
    await page.keyboard.press("Enter")
    await expect(respondendo).to_have_count(0)
    nossa = chat.locator(".linha-saida", has_text="Pode sim, às 9h.")
    await expect(nossa.locator(".citacao")).to_contain_text("O cano estourou")

    # The worker sends it as a quote through the gateway's quote operation.
    async with httpx.AsyncClient(
        base_url=live_server_sim, headers=f.headers(user, settings_sim)
    ) as api:
        enviada = await _esperar_megaapi_id(api, vazamento_id, "resposta_manual")
    pedidos = (await simulador_e2e.http.get("/_sim/requests")).json()
    pedidos = pedidos["requests"] if isinstance(pedidos, dict) else pedidos
    citacoes = [p for p in pedidos if p["path"].endswith("/quoteMessage")]
    assert [c["json"]["messageData"]["key"]["id"] for c in citacoes] == [recebida["id"]]

    # The contractor replies quoting ours: it lands here and shows the quote; clicking
    # the quote goes to (and highlights) the original.
    await simulador_e2e.inbound(
        type="text",
        **{"from": TELEFONE},
        text="Combinado, até amanhã.",
        reply_to=enviada["megaapi_id"],
        quoted_text="Pode sim, às 9h.",
    )
    resposta = chat.locator(".linha-entrada", has_text="Combinado, até amanhã.")
    await expect(resposta.locator(".citacao")).to_contain_text("Pode sim, às 9h.")
    await resposta.locator(".citacao").click()
    await expect(page).to_have_url(re.compile(rf"\?mensagem={enviada['id']}$"))
    await expect(chat.locator(".mensagem-alvo")).to_contain_text("Pode sim, às 9h.")
    await screenshot(page, "central-citacao")

    # "Combinado" was about the gate, in fact: move it (and nothing after it).
    await resposta.hover()
    await resposta.get_by_role("button", name="Opções da mensagem").click()
    await page.get_by_role("menuitem", name="Mover para outro chamado…").click()
    dialogo = page.get_by_role("dialog", name="Mover para outro chamado")
    await dialogo.get_by_role("radio", name=re.compile(portao_numero)).click()
    await screenshot(page, "central-mover")
    await dialogo.get_by_role("button", name=f"Mover para {portao_numero}").click()
    await expect(dialogo).to_have_count(0)
    await expect(page.get_by_text(f"1 mensagem movida para {portao_numero}")).to_be_visible()
    await expect(chat.locator(".linha-entrada", has_text="Combinado, até amanhã.")).to_have_count(0)
    movida = await db.scalar(
        select(Mensagem.chamado_id)
        .where(Mensagem.texto == "Combinado, até amanhã.")
        .execution_options(populate_existing=True)
    )
    assert movida == portao_id
    linhas = list(
        await db.scalars(
            select(HistoricoChamado.descricao).where(HistoricoChamado.chamado_id == portao_id)
        )
    )
    assert any("1 mensagem movida de" in linha for linha in linhas)

    # The gate's chat has it, with its quote still pointing at the leak's message.
    await page.goto(f"{live_server_sim}/central/{portao_id}")
    chegou = page.get_by_role("region", name="Conversa").locator(
        ".linha-entrada", has_text="Combinado, até amanhã."
    )
    await expect(chegou.locator(".citacao")).to_contain_text("Pode sim, às 9h.")
