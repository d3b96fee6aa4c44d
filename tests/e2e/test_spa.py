"""The SPA against the real API in headless Chromium: what an operator does all day."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import httpx
import pytest
from playwright.async_api import Page, Route, expect
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Usuario
from gmm.auth.service import CREDENCIAIS_INVALIDAS
from gmm.chamados.models import Chamado, Prioridade, StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.config import Settings
from gmm.terceirizados.models import Terceirizado
from gmm.terceirizados.telefone import TelefoneInvalido, normalizar
from tests import factories as f
from tests.e2e.conftest import screenshot
from tests.mensagens import maiuscula


async def login(page: Page, base: str, email: str, *, path: str = "/central") -> None:
    await page.goto(base + path)
    await expect(page).to_have_url(re.compile(r"/login\?next="))
    await page.get_by_label("E-mail").fill(email)
    await page.get_by_label("Senha").fill(f.SENHA)
    await page.get_by_role("button", name="Entrar").click()
    await expect(page).to_have_url(base + path)


async def _mensagens(db: AsyncSession, chamado_id: int) -> list[Mensagem]:
    rows = await db.scalars(
        select(Mensagem)
        .where(Mensagem.chamado_id == chamado_id)
        .order_by(Mensagem.id)
        .execution_options(populate_existing=True)
    )
    return list(rows)


async def _conversa(db: AsyncSession) -> tuple[Usuario, Terceirizado, Chamado]:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira")
    c = await f.chamado(db, t, titulo="Ar-condicionado da sala 302", prioridade=Prioridade.alta)
    return user, t, c


async def test_login_shows_wrong_password_and_lands_on_central(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user = await f.usuario(db, email="operadora@example.com")
    await page.goto(live_server + "/")
    await expect(page).to_have_url(re.compile(r"/login"))
    await page.get_by_label("E-mail").fill(user.email)
    await page.get_by_label("Senha").fill("senha-errada")
    await page.get_by_role("button", name="Entrar").click()
    # The server's message, as every detail, starts with a capital.
    await expect(page.get_by_role("alert")).to_have_text(maiuscula(CREDENCIAIS_INVALIDAS))
    await expect(page).to_have_url(re.compile(r"/login"))

    await page.get_by_label("Senha").fill(f.SENHA)
    await page.get_by_role("button", name="Entrar").click()
    await expect(page).to_have_url(live_server + "/central")
    await expect(page.get_by_role("heading", name="Conversas")).to_be_visible()
    await expect(page.get_by_text(user.nome)).to_be_visible()

    await page.get_by_role("button", name="Sair").click()
    await expect(page).to_have_url(re.compile(r"/login"))


async def test_central_lists_conversations_and_opening_one_reads_it(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user, _, c = await _conversa(db)
    outro = await f.chamado(db, await f.terceirizado(db, nome="Ana Souza"), titulo="Disjuntor")
    await f.mensagem(db, outro, texto="Bom dia!")
    for texto, status in [
        ("Mensagem enviada", StatusEnvio.enviado),
        ("Mensagem entregue", StatusEnvio.entregue),
        ("Mensagem lida", StatusEnvio.lido),
        ("Mensagem na fila", StatusEnvio.pendente),
    ]:
        await f.mensagem(db, c, direcao=Direcao.outbound, texto=texto, status=status)
    falha = await f.mensagem(
        db, c, direcao=Direcao.outbound, texto="Sem sorte", status=StatusEnvio.falhou
    )
    falha.erro = "número sem WhatsApp"
    await db.commit()
    await f.mensagem(db, c, texto="Recebi, chego às 14h")
    await f.mensagem(db, c, texto="Pode ser?")

    await login(page, live_server, user.email)
    item = page.locator(f'[data-conversa-id="{c.id}"]')
    await expect(item).to_contain_text("Carlos Pereira")
    await expect(item).to_contain_text(f"{c.numero_chamado} · Ar-condicionado da sala 302")
    await expect(item).to_contain_text("Pode ser?")
    await expect(item.get_by_label("2 não lidas")).to_have_text("2")
    await expect(item).to_contain_text("Aguardando")
    await expect(item).to_contain_text("Alta")
    await expect(page.locator(".lista-rodape")).to_have_text("ao vivo")

    await item.click()
    await expect(page).to_have_url(f"{live_server}/central/{c.id}")
    chat = page.get_by_role("region", name="Conversa")
    await expect(chat.get_by_role("heading", name="Carlos Pereira")).to_be_visible()
    await expect(chat.locator(".separador-dia").first).to_have_text("Hoje")
    await expect(chat.locator('[data-direcao="inbound"]')).to_have_count(2)
    await expect(chat.locator('[data-direcao="outbound"]')).to_have_count(5)
    ticks = chat.locator("[data-status-envio]")
    assert await ticks.evaluate_all("els => els.map(e => e.dataset.statusEnvio)") == [
        "enviado",
        "entregue",
        "lido",
        "pendente",
        "falhou",
    ]
    await expect(chat.get_by_role("img", name="Lida")).to_have_class(re.compile("tick-lido"))
    await expect(chat.get_by_role("img", name="Falhou: número sem WhatsApp")).to_have_attribute(
        "title", "Falhou: número sem WhatsApp"
    )
    # Opening the chat marked the inbound messages read: the badge goes, the rows say so.
    await expect(item.get_by_label("2 não lidas")).to_have_count(0)
    inbound = [m for m in await _mensagens(db, c.id) if m.direcao == Direcao.inbound]
    assert all(m.lida_em is not None for m in inbound)
    # The other conversation is untouched.
    await expect(
        page.locator(f'[data-conversa-id="{outro.id}"]').get_by_label("1 não lidas")
    ).to_be_visible()

    # The failed one goes back to the queue: the red mark becomes a clock.
    await chat.get_by_role("button", name="Reenviar").click()
    bolha_falha = chat.locator(f'[data-mensagem-id="{falha.id}"]')
    await expect(bolha_falha.locator('[data-status-envio="falhou"]')).to_have_count(0)
    await expect(bolha_falha.get_by_role("img", name=re.compile("envio|fila"))).to_be_visible()
    reenviada = next(m for m in await _mensagens(db, c.id) if m.id == falha.id)
    assert reenviada.status_envio in (StatusEnvio.pendente, StatusEnvio.enfileirado)

    await page.get_by_role("button", name="Informações do chamado").click()
    painel = page.get_by_role("complementary", name="Informações do chamado")
    numeros = painel.locator(".info-numeros > div")
    await expect(numeros.filter(has_text="Enviadas").locator("dd")).to_have_text("5")
    await expect(numeros.filter(has_text="Recebidas").locator("dd")).to_have_text("2")
    await screenshot(page, "central")


async def test_enter_sends_once_and_shift_enter_breaks_the_line(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user, _, c = await _conversa(db)
    await login(page, live_server, user.email, path=f"/central/{c.id}")
    caixa = page.get_by_label("Mensagem", exact=True)
    await caixa.click()
    await page.keyboard.type("Linha 1")
    await page.keyboard.press("Shift+Enter")
    await page.keyboard.type("Linha 2")
    await expect(caixa).to_have_value("Linha 1\nLinha 2")
    # A nervous double Enter.
    await page.keyboard.press("Enter")
    await page.keyboard.press("Enter")
    await expect(caixa).to_have_value("")
    bolha = page.locator(".bolha-saida .bolha-texto", has_text="Linha 1")
    await expect(bolha).to_have_count(1)
    await expect(bolha).to_have_text("Linha 1\nLinha 2")
    await expect(page.locator("[data-mensagem-id] .bolha-texto", has_text="Linha 1")).to_have_count(
        1
    )
    # Past the next poll it is still one bubble, and one row in the database.
    await page.wait_for_timeout(5_500)
    await expect(bolha).to_have_count(1)
    stored = [m for m in await _mensagens(db, c.id) if m.tipo == TipoMensagem.resposta_manual]
    assert [m.texto for m in stored] == ["Linha 1\nLinha 2"]
    await expect(page.locator(".composer-enviar")).to_be_disabled()


async def test_finalizar_changes_the_status_and_shows_409(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user, _, c = await _conversa(db)
    outro = await f.chamado(db, await f.terceirizado(db), titulo="Vazamento no térreo")
    await login(page, live_server, user.email, path=f"/central/{c.id}")
    topo = page.locator(".chat-topo")
    await expect(topo).to_contain_text("Aguardando")

    await topo.get_by_role("button", name="Finalizar").click()
    dialogo = page.get_by_role("alertdialog", name="Finalizar o chamado?")
    await dialogo.get_by_role("button", name="Finalizar").click()
    await expect(dialogo).to_have_count(0)
    await expect(topo).to_contain_text("Concluído")
    await expect(topo.get_by_role("button", name="Finalizar")).to_have_count(0)
    await expect(page.locator(".bolha-saida", has_text="Finalização")).to_have_count(1)
    assert (await db.scalar(select(Chamado.status).where(Chamado.id == c.id))) == (
        StatusChamado.concluido
    )

    # Someone else finishes the other chamado while the dialog is open: the API's 409
    # shows in it.
    await page.goto(f"{live_server}/central/{outro.id}")
    await expect(page.locator(".chat-topo")).to_contain_text("Aguardando")
    await page.locator(".chat-topo").get_by_role("button", name="Finalizar").click()
    dialogo = page.get_by_role("alertdialog", name="Finalizar o chamado?")
    await expect(dialogo).to_be_visible()
    outro.status = StatusChamado.concluido
    await db.commit()
    await dialogo.get_by_role("button", name="Finalizar").click()
    await expect(dialogo.get_by_role("alert")).to_contain_text(
        f"O chamado {outro.numero_chamado} já está concluido"
    )


async def test_terceirizado_phone_errors_come_from_the_api(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user = await f.usuario(db)
    with pytest.raises(TelefoneInvalido) as invalido:
        normalizar("(00) 91234-5678")
    await login(page, live_server, user.email, path="/terceirizados")
    await page.get_by_role("link", name="Novo terceirizado").click()
    await page.get_by_label("Nome").fill("Maria Oliveira")
    await page.get_by_label("Empresa").fill("Pinturas Oliveira")
    telefone = page.get_by_label("Telefone (WhatsApp)")
    await telefone.fill("(00) 91234-5678")
    await page.get_by_role("button", name="Cadastrar").click()
    mensagem = page.locator(".campo-erro", has_text=str(invalido.value))
    await expect(mensagem).to_be_visible()
    await expect(telefone).to_have_attribute("aria-invalid", "true")
    assert await db.scalar(select(func.count()).select_from(Terceirizado)) == 0

    await telefone.fill("(11) 98765-4321")
    await page.get_by_role("button", name="Cadastrar").click()
    await expect(page).to_have_url(f"{live_server}/terceirizados")
    linha = page.locator("tr", has_text="Maria Oliveira")
    await expect(linha).to_contain_text("+55 (11) 98765-4321")
    await expect(linha).to_contain_text("Ativo")

    # Deactivate (with confirmation), find it among the inactive, reactivate.
    await linha.get_by_role("button", name="Desativar").click()
    await page.get_by_role("alertdialog").get_by_role("button", name="Desativar").click()
    await expect(page.locator("tr", has_text="Maria Oliveira")).to_have_count(0)
    await page.get_by_label("Situação").select_option("false")
    linha = page.locator("tr", has_text="Maria Oliveira")
    await expect(linha).to_contain_text("Inativo")
    await linha.get_by_role("button", name="Reativar").click()
    await expect(linha).to_have_count(0)
    assert await db.scalar(select(Terceirizado.ativo).where(Terceirizado.nome == "Maria Oliveira"))


async def test_new_chamado_lands_in_the_list_and_the_central(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user = await f.usuario(db)
    await f.terceirizado(db, nome="Paulo Inativo", ativo=False)
    t = await f.terceirizado(db, nome="Paula Mendes")
    await login(page, live_server, user.email, path="/chamados")
    await page.get_by_role("link", name="Novo chamado").click()
    await page.get_by_label("Terceirizado", exact=True).fill("Paul")
    await expect(page.get_by_role("button", name=re.compile("Paula Mendes"))).to_be_visible()
    await expect(page.get_by_role("button", name=re.compile("Paulo Inativo"))).to_have_count(0)
    await page.get_by_role("button", name=re.compile("Paula Mendes")).click()
    await page.get_by_label("Título").fill("Porta corta-fogo emperrada")
    await page.get_by_label("Descrição").fill("Escada B, 3º andar")
    await page.get_by_label("Prioridade").select_option("urgente")
    await page.get_by_label("Prazo combinado").fill("2030-05-10T14:30")
    await page.get_by_role("button", name="Abrir chamado").click()

    await expect(page.get_by_role("status").filter(has_text="Chamado aberto")).to_be_visible()
    chamado = await db.scalar(select(Chamado).where(Chamado.titulo == "Porta corta-fogo emperrada"))
    assert chamado is not None
    assert chamado.terceirizado_id == t.id
    assert chamado.prioridade == Prioridade.urgente
    # 14:30 in São Paulo (UTC-3), sent with the browser's offset.
    assert chamado.prazo_combinado == datetime(2030, 5, 10, 17, 30, tzinfo=UTC)
    await expect(page).to_have_url(f"{live_server}/chamados/{chamado.id}")

    await page.get_by_role("link", name="Chamados", exact=True).first.click()
    linha = page.locator("tr", has_text="Porta corta-fogo emperrada")
    await expect(linha).to_contain_text(chamado.numero_chamado)
    await expect(linha).to_contain_text("Urgente")
    await page.get_by_label("Prioridade").select_option("baixa")
    await expect(linha).to_have_count(0)

    await page.get_by_role("link", name="Central", exact=True).click()
    item = page.locator(f'[data-conversa-id="{chamado.id}"]')
    await expect(item).to_contain_text("Paula Mendes")
    await item.click()
    await expect(page.locator(".bolha-saida", has_text="Abertura do chamado")).to_have_count(1)


async def test_invalid_token_goes_to_login_and_keeps_the_draft(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user, _, c = await _conversa(db)
    await login(page, live_server, user.email, path=f"/central/{c.id}")
    caixa = page.get_by_label("Mensagem", exact=True)
    await caixa.fill("Texto pela metade")
    # The stored token goes bad (as when it expires) and the page reloads.
    await page.evaluate(
        """() => {
            const s = JSON.parse(localStorage.getItem('gmm:sessao'));
            s.token = 'token-invalido';
            localStorage.setItem('gmm:sessao', JSON.stringify(s));
        }"""
    )
    await page.reload()
    await expect(page).to_have_url(re.compile(r"/login\?next=%2Fcentral%2F" + str(c.id)))
    await expect(page.get_by_role("status")).to_contain_text("Sua sessão expirou")
    await page.get_by_label("E-mail").fill(user.email)
    await page.get_by_label("Senha").fill(f.SENHA)
    await page.get_by_role("button", name="Entrar").click()
    await expect(page).to_have_url(f"{live_server}/central/{c.id}")
    await expect(page.get_by_label("Mensagem", exact=True)).to_have_value("Texto pela metade")


async def test_expired_session_while_sending_keeps_the_text(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user, _, c = await _conversa(db)
    await login(page, live_server, user.email, path=f"/central/{c.id}")
    caixa = page.get_by_label("Mensagem", exact=True)
    await caixa.fill("Confirma a visita amanhã?")

    # The account loses access (its token stops working) while the send is on its way:
    # deactivated when the browser has sent it, so the send itself is refused. (Done
    # before the key press, any of the page's background requests could get the 401
    # first and take it to /login before the operator ever sent.)
    async def desativar(route: Route) -> None:
        user.ativo = False
        await db.commit()
        await route.continue_()

    await page.route(f"**/api/chamados/{c.id}/responder", desativar)
    # Keyboard, not the element: the page leaves for /login in the middle of the key press.
    async with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith(f"/api/chamados/{c.id}/responder")
    ) as enviada:
        await page.keyboard.press("Enter")
    assert (await enviada.value).status == 401
    await expect(page).to_have_url(re.compile(r"/login\?next="))
    assert [m for m in await _mensagens(db, c.id) if m.tipo == TipoMensagem.resposta_manual] == []
    user.ativo = True
    await db.commit()
    await page.get_by_label("E-mail").fill(user.email)
    await page.get_by_label("Senha").fill(f.SENHA)
    await page.get_by_role("button", name="Entrar").click()
    await expect(page).to_have_url(f"{live_server}/central/{c.id}")
    await expect(page.get_by_label("Mensagem", exact=True)).to_have_value(
        "Confirma a visita amanhã?"
    )


async def test_phone_width_shows_list_then_chat_with_back_button(
    phone: Page, live_server: str, db: AsyncSession
) -> None:
    user, _, c = await _conversa(db)
    await f.mensagem(db, c, texto="Estou a caminho")
    await login(phone, live_server, user.email)
    lista = phone.get_by_role("region", name="Conversas")
    await expect(lista).to_be_visible()
    await expect(phone.get_by_role("region", name="Conversa", exact=True)).to_be_hidden()
    await lista.locator(f'[data-conversa-id="{c.id}"]').click()
    chat = phone.get_by_role("region", name="Conversa", exact=True)
    await expect(chat).to_be_visible()
    await expect(lista).to_be_hidden()
    await expect(chat.get_by_text("Estou a caminho")).to_be_visible()
    largura = await phone.evaluate("document.documentElement.scrollWidth")
    assert largura <= 390, f"a página rola na horizontal ({largura}px)"
    await screenshot(phone, "central-celular")
    await chat.get_by_role("link", name="Voltar às conversas").click()
    await expect(phone).to_have_url(f"{live_server}/central")
    await expect(lista).to_be_visible()


async def test_a_reply_shows_up_live_without_reload(
    page: Page, live_server: str, db: AsyncSession, settings: Settings
) -> None:
    user, t, c = await _conversa(db)
    await login(page, live_server, user.email, path=f"/central/{c.id}")
    chat = page.get_by_role("region", name="Conversa")
    # Live: events keep the chat fresh and the 5 s polling is off.
    await expect(chat.locator(".chat-ao-vivo")).to_have_text("ao vivo")
    await expect(page.locator(".lista-rodape")).to_have_text("ao vivo")

    # The contractor answers: MegaAPI calls the webhook.
    payload = {
        "instance_key": "inst",
        "messageType": "conversation",
        "key": {"remoteJid": f"{t.telefone}@s.whatsapp.net", "fromMe": False, "id": "E2E-SSE-1"},
        "messageTimestamp": int(datetime.now(UTC).timestamp()),
        "pushName": t.nome,
        "message": {"conversation": "Chego em 10 minutos"},
    }
    async with httpx.AsyncClient(base_url=live_server) as http:
        resposta = await http.post(
            "/webhook/whatsapp",
            params={"token": settings.secret("webhook_token")},
            json=payload,
        )
    assert resposta.status_code == 200, resposta.text
    # Polling is off while live ("ao vivo" above): only the event stream can bring it.
    bolha = chat.locator(".bolha-texto", has_text="Chego em 10 minutos")
    await expect(bolha).to_be_visible()
    item = page.locator(f'[data-conversa-id="{c.id}"]')
    await expect(item).to_contain_text("Chego em 10 minutos")
    await expect(page).to_have_url(f"{live_server}/central/{c.id}")
