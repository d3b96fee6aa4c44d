"""Deadlines and the automatic follow-up in Chromium: the admin page and the chat's panel."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
from fastapi import FastAPI
from playwright.async_api import Page, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.chamados.models import Chamado, Prioridade
from gmm.conversas.models import Direcao, StatusEnvio
from gmm.core.config import Settings
from gmm.envio.fila import Fila
from gmm.envio.service import WhatsAppService
from gmm.sla import motor
from gmm.sla.models import CobrancaAutomatica, Etapa
from gmm.sla.service import carregar
from tests import factories as f
from tests.e2e.conftest import screenshot
from tests.e2e.test_spa import login

TEXTO_NOVO = "Oi, {terceirizado}! Viu o chamado {chamado} ({titulo})?"


async def test_admin_sets_deadlines_and_a_step_then_pauses_a_chamados_follow_up(
    page: Page, live_server: str, db: AsyncSession, settings: Settings
) -> None:
    admin = await f.usuario(db, papel=Papel.admin)
    t = await f.terceirizado(db, nome="Carlos Pereira")
    c = await f.chamado(db, t, titulo="Ar-condicionado da sala 302", prioridade=Prioridade.alta)
    # Our message, delivered and not read, and the nudge the ladder already sent for it.
    m = await f.mensagem(
        db, c, direcao=Direcao.outbound, texto="Pode atender hoje?", status=StatusEnvio.entregue
    )
    m.enviado_em = datetime.now(UTC) - timedelta(minutes=5)
    m.entregue_em = datetime.now(UTC) - timedelta(minutes=4)
    db.add(
        CobrancaAutomatica(chamado_id=c.id, etapa=Etapa.nao_lida, referencia=m.id, mensagem_id=m.id)
    )
    await db.commit()

    # The admin page: Normal's "Concluir" in hours, and the text of a step.
    await login(page, live_server, admin.email, path="/admin/sla")
    await expect(page.get_by_role("heading", name="Prazos e cobranças", level=1)).to_be_visible()
    await expect(
        page.get_by_role("navigation", name="Administração").get_by_role(
            "link", name="Prazos e cobranças"
        )
    ).to_have_class(re.compile("active"))
    concluir = page.get_by_label("Concluir, prioridade Normal")
    await expect(concluir).to_have_value("50 h")
    await concluir.fill("60 h 30 min")
    await page.get_by_role("button", name="Salvar os prazos da prioridade Normal").click()
    await expect(page.locator('tr[data-prioridade="normal"]').get_by_role("status")).to_have_text(
        "Salvo"
    )

    cartao = page.locator('[data-etapa="nao_lida"]')
    await cartao.get_by_label("Texto enviado ao terceirizado").fill(TEXTO_NOVO)
    await cartao.get_by_role("button", name=re.compile("^Salvar a etapa")).click()
    await expect(cartao.get_by_role("status")).to_have_text("Salvo.")

    # A text with an unknown variable: the API's 422 under the field, nothing stored.
    outro = page.locator('[data-etapa="sem_resposta"]')
    texto_outro = outro.get_by_label("Texto enviado ao terceirizado")
    await texto_outro.fill("Olá, {nome}!")
    await outro.get_by_role("button", name=re.compile("^Salvar a etapa")).click()
    await expect(outro.locator(".campo-erro")).to_contain_text("Variável desconhecida: {nome}")
    await expect(texto_outro).to_have_attribute("aria-invalid", "true")

    async with httpx.AsyncClient(base_url=live_server, headers=f.headers(admin, settings)) as http:
        resposta = await http.get("/api/sla")
    assert resposta.status_code == 200, resposta.text
    sla = resposta.json()
    politicas = {p["prioridade"]: p for p in sla["politicas"]}
    assert politicas["normal"]["concluir_min"] == 60 * 60 + 30
    # The other columns and rows as they were.
    assert politicas["normal"]["confirmar_min"] == 120
    assert politicas["alta"]["concluir_min"] == 1_200
    etapas = {e["etapa"]: e for e in sla["etapas"]}
    assert etapas["nao_lida"]["texto"] == TEXTO_NOVO
    assert "{nome}" not in etapas["sem_resposta"]["texto"]

    # The table and the first steps in view.
    await page.get_by_role("heading", name="Prazos por prioridade").evaluate(
        "titulo => titulo.scrollIntoView({ block: 'start' })"
    )
    await screenshot(page, "sla-admin")

    # The chat's info panel: deadlines, what we wait for, the step taken; pause it.
    await page.goto(f"{live_server}/central/{c.id}")
    await page.get_by_role("button", name="Informações do chamado").click()
    painel = page.get_by_role("complementary", name="Informações do chamado")
    secao = painel.get_by_role("region", name="Prazos e cobrança automática")
    for rotulo in ["Confirmar até", "Iniciar até", "Concluir até"]:
        await expect(secao.get_by_text(rotulo, exact=True)).to_be_visible()
    await expect(secao).to_contain_text("Entregue, não lida desde")
    await expect(secao.get_by_role("list", name="Passos automáticos")).to_contain_text(
        "Cobrança automática enviada: a mensagem foi entregue e não lida"
    )
    await secao.get_by_role("button", name="Pausar cobrança automática").click()
    await expect(secao.get_by_role("button", name="Retomar cobrança automática")).to_be_visible()
    await expect(secao).to_contain_text("Cobrança automática pausada")
    pausada = await db.scalar(select(Chamado.cobranca_pausada).where(Chamado.id == c.id))
    assert pausada is True
    await secao.scroll_into_view_if_needed()
    await screenshot(page, "sla-chamado")


async def test_a_timer_in_the_list_and_an_automatic_step_arriving_on_screen(
    page: Page, live_server: str, app: FastAPI, db: AsyncSession, settings: Settings
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira")
    agora = datetime.now(UTC)
    calado = await f.chamado(db, t, titulo="Bomba do bloco B", prazo=agora + timedelta(days=30))
    pergunta = await f.mensagem(
        db, calado, direcao=Direcao.outbound, status=StatusEnvio.entregue, texto="Pode vir?"
    )
    pergunta.entregue_em = agora - timedelta(days=10)  # delivered long ago, never read
    vence = await f.chamado(db, t, titulo="Portão", prazo=agora + timedelta(minutes=90))
    await db.commit()

    await login(page, live_server, user.email, path=f"/central/{calado.id}")
    chat = page.get_by_role("region", name="Conversa")
    await expect(chat.locator(".chat-ao-vivo")).to_have_text("ao vivo")
    # The list counts down to the deadline.
    linha = page.locator(f'[data-conversa-id="{vence.id}"]')
    await expect(linha).to_contain_text(re.compile(r"vence em (1h\d\d|\d+ min)"))

    # The worker's round, at a business-hours moment (steps to contractors wait
    # for one): the nudge reaches the open chat through the live events.
    config = await carregar(db)
    quando = config.calendario.proxima_abertura(agora)
    fila = Fila(app.state.arq)
    tomados = await motor.avaliar(
        app.state.sessionmaker, lambda s: WhatsAppService(s, fila, settings), quando
    )
    assert tomados >= 1
    lembrete = chat.locator(".bolha-saida", has_text="Conseguiu ver a mensagem")
    await expect(lembrete).to_be_visible()
    await expect(lembrete).to_contain_text("Cobrança automática")
    await screenshot(page, "sla-cobranca-na-conversa")
