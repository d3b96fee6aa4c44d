"""The SPA's layout and states in headless Chromium: what only a real browser lays out."""

from __future__ import annotations

import re

from playwright.async_api import Locator, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.chamados.models import Prioridade
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from tests import factories as f
from tests.e2e.test_spa import login

LONGO = "Manutenção preventiva do sistema de climatização do bloco administrativo " * 3


async def _sem_rolagem_lateral(page: Page) -> None:
    largura = await page.evaluate("document.documentElement.scrollWidth")
    assert largura <= 390, f"a página rola na horizontal ({largura}px)"


async def _dentro_da_tela(locator: Locator) -> None:
    caixa = await locator.bounding_box()
    assert caixa is not None
    assert caixa["x"] >= 0 and caixa["x"] + caixa["width"] <= 390, caixa


async def test_phone_list_chat_and_nav_fit_the_screen(
    phone: Page, live_server: str, db: AsyncSession
) -> None:
    admin = await f.usuario(db, papel=Papel.admin)
    t = await f.terceirizado(db, nome="Carlos Eduardo Pereira de Albuquerque Cavalcanti")
    c = await f.chamado(db, t, titulo=LONGO, prioridade=Prioridade.urgente)
    await f.mensagem(db, c, texto="Sem-espaços-" * 30)
    db.add(
        Mensagem(
            chamado_id=None,
            direcao=Direcao.inbound,
            tipo=TipoMensagem.recebida,
            texto="Quem é?",
            destinatario="5521912345678",
            status_envio=StatusEnvio.entregue,
        )
    )
    await db.commit()

    await login(phone, live_server, admin.email)
    item = phone.locator(f'[data-conversa-id="{c.id}"]')
    await expect(item).to_be_visible()
    await _sem_rolagem_lateral(phone)
    await _dentro_da_tela(item.locator(".conversa-hora"))
    await _dentro_da_tela(item.get_by_label("1 não lidas"))
    await _dentro_da_tela(phone.get_by_label("Filtrar por status"))
    await _dentro_da_tela(phone.get_by_role("link", name="1 mensagem sem chamado"))
    nav = phone.get_by_role("navigation", name="Principal")
    for nome in ["Central", "Chamados", "Terceirizados", "Monitoramento", "Administração"]:
        link = nav.get_by_role("link", name=nome, exact=True)
        await expect(link).to_be_in_viewport(ratio=1)
        await _dentro_da_tela(link)
    await _dentro_da_tela(phone.get_by_role("button", name="Sair"))

    await item.click()
    topo = phone.locator(".chat-topo")
    await expect(topo.get_by_text("Aguardando", exact=True)).to_be_visible()
    await _dentro_da_tela(topo.get_by_text("Aguardando", exact=True))
    await _dentro_da_tela(topo.get_by_role("button", name="Finalizar"))
    await _dentro_da_tela(topo.get_by_role("button", name="Informações do chamado"))
    await _sem_rolagem_lateral(phone)
    await expect(phone).to_have_url(re.compile(rf"/central/{c.id}$"))


async def test_missing_chat_offline_footer_and_enter_to_type(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Ana Souza")
    c = await f.chamado(db, t, titulo="Vazamento no térreo")
    await login(page, live_server, user.email, path="/central/999999")
    chat = page.get_by_role("region", name="Conversa", exact=True)
    await expect(chat.get_by_role("heading", name="Conversa não encontrada")).to_be_visible()
    await expect(chat.get_by_role("alert")).to_have_count(1)
    await expect(page.get_by_label("Mensagem", exact=True)).to_have_count(0)

    # The list opened from the keyboard: the composer takes the focus.
    await page.goto(live_server + "/central")
    item = page.locator(f'[data-conversa-id="{c.id}"]')
    await item.focus()
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{live_server}/central/{c.id}")
    await expect(page.get_by_label("Mensagem", exact=True)).to_be_focused()

    # No network: nothing says "ao vivo".
    rodape = page.locator(".lista-rodape")
    await expect(rodape).to_have_text("ao vivo")
    await page.context.set_offline(True)
    await expect(rodape).to_have_text("sem conexão")
    await expect(page.locator(".chat-ao-vivo")).to_have_text("sem conexão")
    # Back online the stream may need a moment to reopen; it is just not "sem conexão".
    await page.context.set_offline(False)
    await expect(rodape).not_to_have_text("sem conexão")
