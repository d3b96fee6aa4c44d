"""A day of operation end to end: the built SPA in Chromium, the API (with its incident
watcher), an arq worker and the MegaAPI simulator as a process calling our webhook back.

Receipts move the ticks live; a failing gateway opens the circuit breaker, which the
chat and the monitoring panel show, and healing it brings everything back; a chamado is
finished from the chat. Run with GMM_E2E_SCREENSHOTS=docs/screenshots to refresh the
screenshots of the main screens (1280×720).
"""

from __future__ import annotations

import re

from arq.worker import Worker
from playwright.async_api import Browser, Locator, Page, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel, Usuario
from gmm.chamados.models import Chamado, Prioridade, StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from tests import factories as f
from tests.e2e.conftest import EXPECT_MS, SimuladorE2E, screenshot

TELEFONE = "5511987654321"
FAIXA = "A API do WhatsApp está instável: as mensagens serão enviadas quando a API estabilizar"
# Receipts for the ticks, slow enough to watch each step in the open chat.
ACKS_LENTOS = {"server_delay_s": 0.5, "delivered_delay_s": 6.0, "read_delay_s": 10.0}
# Blue ticks: var(--azul-tick).
AZUL = "rgb(83, 189, 235)"


async def entrar(page: Page, base: str, email: str, path: str) -> None:
    await page.goto(base + path)
    await expect(page).to_have_url(re.compile(r"/login\?next="))
    await page.get_by_label("E-mail").fill(email)
    await page.get_by_label("Senha").fill(f.SENHA)
    await page.get_by_role("button", name="Entrar").click()
    await expect(page).to_have_url(base + path)


async def _movimento(db: AsyncSession) -> None:
    """Other conversations, so the lists look like a working day."""
    for nome, titulo, texto in [
        ("Ana Souza", "Disjuntor do 2º andar desarma", "Chego às 15h com o disjuntor novo."),
        ("Roberto Lima", "Infiltração na garagem", "Mandei o orçamento por aqui."),
    ]:
        t = await f.terceirizado(db, nome=nome)
        c = await f.chamado(db, t, titulo=titulo, status=StatusChamado.em_andamento)
        await f.mensagem(db, c, direcao=Direcao.outbound, texto=f"Bom dia! Sobre: {titulo}.")
        await f.mensagem(db, c, texto=texto)


def _tick(bolha: Locator) -> Locator:
    return bolha.locator("[data-status-envio]")


async def _enviar(page: Page, texto: str) -> Locator:
    caixa = page.get_by_label("Mensagem", exact=True)
    await caixa.fill(texto)
    await caixa.press("Enter")
    bolha = page.locator(".bolha-saida", has_text=texto)
    await expect(bolha).to_have_count(1)
    return bolha


async def test_a_chamado_made_on_screen_shows_its_ticks_move_live(
    page: Page,
    live_server_operacao: str,
    db: AsyncSession,
    simulador_operacao: SimuladorE2E,
    worker_operacao: Worker,
) -> None:
    admin = await f.usuario(db, papel=Papel.admin)
    await _movimento(db)
    (await simulador_operacao.http.post("/_sim/callbacks", json=ACKS_LENTOS)).raise_for_status()
    base = live_server_operacao

    await entrar(page, base, admin.email, "/terceirizados")
    await page.get_by_role("link", name="Novo terceirizado").click()
    await page.get_by_label("Nome").fill("Carlos Pereira")
    await page.get_by_label("Empresa").fill("Refrigeração Polar")
    await page.get_by_label("Telefone (WhatsApp)").fill("(11) 98765-4321")
    await page.get_by_role("button", name="Cadastrar").click()
    await expect(page).to_have_url(f"{base}/terceirizados")
    await expect(page.locator("tr", has_text="Carlos Pereira")).to_contain_text(
        "+55 (11) 98765-4321"
    )
    await screenshot(page, "terceirizados")

    await page.get_by_role("link", name="Chamados", exact=True).click()
    await page.get_by_role("link", name="Novo chamado").click()
    await page.get_by_label("Terceirizado", exact=True).fill("Carlos")
    await page.get_by_role("button", name=re.compile("Carlos Pereira")).click()
    await page.get_by_label("Título").fill("Ar-condicionado da sala 302 não gela")
    await page.get_by_label("Prioridade").select_option("alta")
    await page.get_by_role("button", name="Abrir chamado").click()
    await expect(page.get_by_role("status").filter(has_text="Chamado aberto")).to_be_visible()
    chamado = await db.scalar(select(Chamado).where(Chamado.titulo.like("Ar-condicionado%")))
    assert chamado is not None

    # The opening message went to the gateway at once (✓); the receipts follow.
    await page.get_by_role("link", name="Abrir conversa").click()
    await expect(page).to_have_url(f"{base}/central/{chamado.id}")
    chat = page.get_by_role("region", name="Conversa")
    await expect(chat.locator(".chat-ao-vivo")).to_have_text("ao vivo")
    abertura = chat.locator(".bolha-saida", has_text="Abertura do chamado")
    tick = _tick(abertura)
    await expect(tick).to_have_attribute("data-status-envio", "enviado")
    await expect(tick).to_have_attribute("aria-label", "Enviada")
    await expect(tick).to_have_attribute("data-status-envio", "entregue")
    await expect(tick).to_have_attribute("aria-label", "Entregue")
    await expect(tick).not_to_have_css("color", AZUL)
    await expect(tick).to_have_attribute("data-status-envio", "lido")
    await expect(tick).to_have_attribute("aria-label", "Lida")
    await expect(tick).to_have_css("color", AZUL)
    # The list's preview follows the same receipts.
    item = page.locator(f'[data-conversa-id="{chamado.id}"]')
    await expect(item.locator('[data-status-envio="lido"]')).to_have_count(1)
    await screenshot(page, "central")

    await page.get_by_role("link", name="Chamados", exact=True).click()
    await expect(page.locator("tr", has_text="Ar-condicionado da sala 302")).to_contain_text(
        chamado.numero_chamado
    )
    await screenshot(page, "chamados")


async def test_a_failing_gateway_opens_the_breaker_on_screen_and_healing_closes_it(
    page: Page,
    live_server_operacao: str,
    db: AsyncSession,
    simulador_operacao: SimuladorE2E,
    worker_operacao: Worker,
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira", telefone=TELEFONE)
    c = await f.chamado(
        db, t, titulo="Ar-condicionado da sala 302", status=StatusChamado.em_andamento
    )
    await f.mensagem(db, c, texto="Bom dia, amanhã passo aí.")
    base = live_server_operacao
    await entrar(page, base, user.email, f"/central/{c.id}")
    chat = page.get_by_role("region", name="Conversa")
    await expect(chat.locator(".chat-ao-vivo")).to_have_text("ao vivo")
    faixa = chat.get_by_role("status").filter(has_text=FAIXA)
    await expect(faixa).to_have_count(0)

    # Every call to the gateway now answers 503: two failures open the breaker.
    falha = await simulador_operacao.http.post("/_sim/faults", json={"mode": "5xx"})
    falha.raise_for_status()
    presa = await _enviar(page, "Consegue vir amanhã às 9h?")
    await expect(faixa).to_be_visible()
    # Accepted and kept: it waits in the queue, not failed.
    await expect(_tick(presa)).to_have_attribute(
        "data-status-envio", re.compile("pendente|enfileirado")
    )

    await page.get_by_role("link", name="Monitoramento").click()
    await expect(page).to_have_url(f"{base}/admin/whatsapp")
    breaker = page.get_by_role("region", name="Disjuntor de envios")
    await expect(breaker).to_have_attribute("data-estado", "critico")
    await expect(breaker).to_contain_text("Aberto")
    await expect(breaker).to_contain_text("Falhas seguidas: 2 de 2")
    await expect(breaker.locator(".estado-ponto")).to_have_css(
        "background-color", "rgb(217, 45, 32)"
    )
    falhas = page.get_by_role("region", name="Tentativas com falha (última hora)")
    await expect(falhas).to_contain_text("Erro no servidor da MegaAPI (5xx)")
    abertos = page.get_by_role("region", name="Alertas abertos")
    await expect(abertos).to_contain_text("API do WhatsApp instável")
    afetados = page.get_by_role("region", name="Chamados afetados")
    await expect(afetados.get_by_role("link", name=c.numero_chamado)).to_be_visible()
    # Chart.js arrives in its own chunk, after the figures.
    grafico = page.get_by_role("img", name=re.compile("volume de mensagens por hora"))
    await expect(grafico).to_be_visible()
    await screenshot(page, "monitoramento")

    # The gateway heals; the next send (after the breaker's wait) is the probe that closes it.
    (await simulador_operacao.http.delete("/_sim/faults")).raise_for_status()
    await afetados.get_by_role("link", name=c.numero_chamado).click()
    await expect(page).to_have_url(f"{base}/central/{c.id}")
    await expect(faixa).to_be_visible()
    depois = await _enviar(page, "A API voltou?")
    await expect(faixa).to_have_count(0, timeout=60_000)
    # Nothing was lost: both went out and were read.
    await expect(_tick(presa)).to_have_attribute("data-status-envio", "lido", timeout=60_000)
    await expect(_tick(depois)).to_have_attribute("data-status-envio", "lido")

    await page.get_by_role("link", name="Monitoramento").click()
    await expect(breaker).to_have_attribute("data-estado", "ok")
    await expect(breaker).to_contain_text("Fechado")
    await expect(page.get_by_role("region", name="Alertas abertos")).to_contain_text(
        "Nenhum alerta aberto"
    )
    historico = page.get_by_role("region", name="Histórico de alertas")
    linha = historico.locator("tr", has_text="API do WhatsApp instável")
    await expect(linha).to_have_count(1)
    await expect(linha).not_to_contain_text("em aberto")
    enviadas = list(
        await db.scalars(
            select(Mensagem.status_envio)
            .where(Mensagem.chamado_id == c.id, Mensagem.direcao == Direcao.outbound)
            .execution_options(populate_existing=True)
        )
    )
    assert enviadas == [StatusEnvio.lido, StatusEnvio.lido]


async def test_finishing_from_the_chat_header_changes_the_status(
    page: Page,
    live_server_operacao: str,
    db: AsyncSession,
    simulador_operacao: SimuladorE2E,
    worker_operacao: Worker,
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira", telefone=TELEFONE)
    c = await f.chamado(
        db,
        t,
        titulo="Ar-condicionado da sala 302",
        status=StatusChamado.em_andamento,
        prioridade=Prioridade.alta,
    )
    await f.mensagem(db, c, texto="Troquei o capacitor, já está gelando.")
    await entrar(page, live_server_operacao, user.email, f"/central/{c.id}")
    topo = page.locator(".chat-topo")
    await expect(topo).to_contain_text("Em andamento")

    await topo.get_by_role("button", name="Finalizar").click()
    dialogo = page.get_by_role("alertdialog", name="Finalizar o chamado?")
    await dialogo.get_by_role("button", name="Finalizar").click()
    await expect(dialogo).to_have_count(0)
    await expect(topo.locator(".badge-status-concluido")).to_have_text("Concluído")
    await expect(topo.get_by_role("button", name="Finalizar")).to_have_count(0)
    item = page.locator(f'[data-conversa-id="{c.id}"]')
    await expect(item.locator(".badge-status-concluido")).to_have_text("Concluído")
    # The contractor is told, through the gateway.
    aviso = page.locator(".bolha-saida").last
    await expect(_tick(aviso)).to_have_attribute("data-status-envio", "lido")
    assert await db.scalar(
        select(Chamado.status).where(Chamado.id == c.id).execution_options(populate_existing=True)
    ) == (StatusChamado.concluido)


async def test_an_unknown_number_waits_until_assigned_on_screen(
    page: Page,
    live_server_operacao: str,
    db: AsyncSession,
    simulador_operacao: SimuladorE2E,
    worker_operacao: Worker,
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira", telefone=TELEFONE)
    c = await f.chamado(db, t, titulo="Ar-condicionado da sala 302")
    base = live_server_operacao
    await entrar(page, base, user.email, "/central")
    await expect(page.get_by_role("link", name=re.compile("sem chamado"))).to_have_count(0)

    # A number we do not know writes in: nothing is dropped.
    await simulador_operacao.inbound(
        type="text", **{"from": "5521912345678"}, text="Sou o ajudante do Carlos, ele pediu peça."
    )
    aviso = page.get_by_role("link", name="1 mensagem sem chamado")
    await expect(aviso).to_be_visible()
    await aviso.click()
    await expect(page).to_have_url(f"{base}/nao-atribuidas")
    item = page.get_by_role("list", name="Mensagens sem chamado").get_by_role("listitem")
    await expect(item).to_contain_text("+55 (21) 91234-5678")
    await item.get_by_role("button", name="Atribuir a um chamado").click()
    dialogo = page.get_by_role("dialog", name="Atribuir a um chamado")
    await dialogo.get_by_label("Buscar chamado").fill("sala 302")
    await dialogo.get_by_role("radio", name=re.compile(c.numero_chamado)).click()
    await dialogo.get_by_role("button", name=f"Atribuir a {c.numero_chamado}").click()
    await expect(dialogo).to_have_count(0)
    await expect(item).to_have_count(0)
    await page.get_by_role("link", name="Abrir a conversa").click()
    await expect(page).to_have_url(f"{base}/central/{c.id}")
    await expect(page.locator(".bolha-entrada", has_text="ajudante do Carlos")).to_be_visible()


async def test_users_are_managed_on_screen(
    page: Page, live_server_operacao: str, db: AsyncSession
) -> None:
    admin = await f.usuario(db, papel=Papel.admin)
    await f.usuario(db, email="ana.souza@example.com")
    await f.usuario(db, email="marcos.dias@example.com", ativo=False)
    await entrar(page, live_server_operacao, admin.email, "/admin/usuarios")
    await page.get_by_role("button", name="Novo usuário").click()
    dialogo = page.get_by_role("dialog", name="Novo usuário")
    await dialogo.get_by_label("Nome").fill("Beatriz Ramos")
    await dialogo.get_by_label("E-mail").fill("ana.souza@example.com")
    await dialogo.get_by_label("Senha").fill("uma-senha-bem-longa")
    await dialogo.get_by_label("Papel").select_option("admin")
    await dialogo.get_by_role("button", name="Criar usuário").click()
    await expect(dialogo.get_by_role("alert")).to_contain_text("Já existe um usuário com o e-mail")
    await dialogo.get_by_label("E-mail").fill("beatriz.ramos@example.com")
    await dialogo.get_by_role("button", name="Criar usuário").click()
    await expect(dialogo).to_have_count(0)
    await expect(page.locator("tr", has_text="Beatriz Ramos")).to_contain_text("Administrador")

    # Nobody removes their own admin access: the API's 409 is on screen.
    await page.get_by_role("button", name=f"Desativar {admin.nome}").click()
    confirmacao = page.get_by_role("alertdialog")
    await confirmacao.get_by_role("button", name="Desativar").click()
    await expect(confirmacao.get_by_role("alert")).to_contain_text(
        "Você não pode remover o próprio acesso de administrador"
    )
    await confirmacao.get_by_role("button", name="Voltar").click()
    await screenshot(page, "usuarios")
    criada = await db.scalar(select(Usuario).where(Usuario.email == "beatriz.ramos@example.com"))
    assert criada is not None and criada.papel == Papel.admin and criada.ativo


async def test_the_monitoring_panel_fits_a_phone(
    browser: Browser,
    live_server_operacao: str,
    db: AsyncSession,
    simulador_operacao: SimuladorE2E,
    worker_operacao: Worker,
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira", telefone=TELEFONE)
    c = await f.chamado(db, t, titulo="Ar-condicionado da sala 302")
    await f.mensagem(db, c, direcao=Direcao.outbound, texto="Bom dia!", status=StatusEnvio.falhou)
    context = await browser.new_context(
        viewport={"width": 390, "height": 844}, locale="pt-BR", timezone_id="America/Sao_Paulo"
    )
    try:
        phone = await context.new_page()
        phone.set_default_timeout(EXPECT_MS)
        await entrar(phone, live_server_operacao, user.email, "/admin/whatsapp")
        await expect(phone.get_by_role("region", name="Disjuntor de envios")).to_have_attribute(
            "data-estado", "ok"
        )
        afetados = phone.get_by_role("region", name="Chamados afetados")
        await expect(afetados.get_by_role("link", name=c.numero_chamado)).to_be_visible()
        grafico = phone.get_by_role("img", name=re.compile("volume de mensagens por hora"))
        await expect(grafico).to_be_visible()
        # One column of cards, nothing sticking out sideways.
        largura = await phone.evaluate(
            "() => { const el = document.querySelector('.conteudo');"
            " return [el.scrollWidth, el.clientWidth]; }"
        )
        assert largura[0] <= largura[1], largura
        assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
        caixas = [
            await cartao.bounding_box() for cartao in await phone.locator(".cartao-metrica").all()
        ]
        assert len(caixas) == 8
        assert len({round(caixa["x"]) for caixa in caixas if caixa}) == 1
        await screenshot(phone, "monitoramento-celular")
    finally:
        await context.close()
