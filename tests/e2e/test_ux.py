"""The SPA's layout and states in headless Chromium: what only a real browser lays out."""

from __future__ import annotations

import re
import struct
import zlib
from collections import Counter
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx
from playwright.async_api import Locator, Page, Request, Route, expect
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.chamados.eventos import Notificacao
from gmm.chamados.models import Prioridade, StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.core.eventos import STREAM, publicar
from tests import factories as f
from tests.e2e.conftest import screenshot
from tests.e2e.test_spa import login

LONGO = "Manutenção preventiva do sistema de climatização do bloco administrativo " * 2


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
    await screenshot(phone, "central-celular-lista")

    await item.click()
    topo = phone.locator(".chat-topo")
    await expect(topo.get_by_text("Aguardando", exact=True)).to_be_visible()
    await _dentro_da_tela(topo.get_by_text("Aguardando", exact=True))
    await _dentro_da_tela(topo.get_by_role("button", name="Finalizar"))
    await _dentro_da_tela(topo.get_by_role("button", name="Informações do chamado"))
    await _sem_rolagem_lateral(phone)
    await screenshot(phone, "central-celular-chat")
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
    await expect(chat.get_by_role("button", name="Informações do chamado")).to_have_count(0)

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


def _png(largura: int, altura: int) -> bytes:
    """A plain grey PNG of that size."""

    def bloco(tipo: bytes, dados: bytes) -> bytes:
        corpo = tipo + dados
        return struct.pack(">I", len(dados)) + corpo + struct.pack(">I", zlib.crc32(corpo))

    linhas = b"".join(b"\x00" + b"\x90\x90\x90" * largura for _ in range(altura))
    cabecalho = struct.pack(">IIBBBBB", largura, altura, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + bloco(b"IHDR", cabecalho)
        + bloco(b"IDAT", zlib.compress(linhas))
        + bloco(b"IEND", b"")
    )


async def test_chat_stays_at_the_bottom_after_an_image_loads(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user = await f.usuario(db)
    c = await f.chamado(db, await f.terceirizado(db, nome="Carlos Pereira"))
    for i in range(12):
        await f.mensagem(db, c, texto=f"Mensagem {i}")
    db.add(
        Mensagem(
            chamado_id=c.id,
            direcao=Direcao.inbound,
            tipo=TipoMensagem.recebida,
            tipo_conteudo=TipoConteudo.image,
            url_midia="/api/midias/quadro.png",
            destinatario="5511999999999",
            status_envio=StatusEnvio.entregue,
        )
    )
    await db.commit()
    falha = await f.mensagem(
        db, c, direcao=Direcao.outbound, texto="Vou verificar", status=StatusEnvio.falhou
    )

    # The image arrives late, as over a slow network: the chat was laid out without it.
    async def devagar(route: Route) -> None:
        await page.wait_for_timeout(1_500)
        await route.fulfill(status=200, content_type="image/png", body=_png(600, 700))

    await page.route("**/api/midias/**", devagar)
    await login(page, live_server, user.email, path=f"/central/{c.id}")
    imagem = page.locator(".bolha-midia img")
    await expect(imagem).to_be_visible()
    await page.wait_for_function(
        "() => { const i = document.querySelector('.bolha-midia img');"
        " return i && i.complete && i.naturalHeight > 0; }"
    )
    caixa = page.get_by_label("Mensagens", exact=True)
    await page.wait_for_timeout(300)
    distancia = await caixa.evaluate("e => e.scrollHeight - e.scrollTop - e.clientHeight")
    assert distancia < 2, f"o chat ficou {distancia}px acima da última mensagem"
    await expect(
        page.locator(f'[data-mensagem-id="{falha.id}"]').get_by_role("button", name="Reenviar")
    ).to_be_in_viewport(ratio=1)


async def _sem_sobrepor(a: Locator, b: Locator) -> None:
    ca, cb = await a.bounding_box(), await b.bounding_box()
    assert ca is not None and cb is not None
    separados = (
        ca["x"] + ca["width"] <= cb["x"]
        or cb["x"] + cb["width"] <= ca["x"]
        or ca["y"] + ca["height"] <= cb["y"]
        or cb["y"] + cb["height"] <= ca["y"]
    )
    assert separados, f"{ca} cobre {cb}"


async def test_toasts_cover_no_control_and_go_when_the_chamado_is_finished(
    page: Page, phone: Page, live_server: str, db: AsyncSession, redis: Redis
) -> None:
    user = await f.usuario(db)
    c = await f.chamado(db, await f.terceirizado(db), status=StatusChamado.aguardando_confirmacao)
    await f.mensagem(db, c, texto="Terminei o serviço")
    await login(phone, live_server, user.email, path=f"/central/{c.id}")
    await login(page, live_server, user.email, path=f"/central/{c.id}")
    await expect(page.locator(".chat-ao-vivo")).to_have_text("ao vivo")
    await expect(phone.locator(".chat-ao-vivo")).to_have_text("ao vivo")

    # The sticky day label has a background of its own, not just its pill.
    fundo = await page.locator(".separador-dia").first.evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert fundo not in ("transparent", "rgba(0, 0, 0, 0)"), fundo

    await publicar(
        redis,
        Notificacao.de(c, "Carlos disse que concluiu o serviço: confirme para finalizar"),
    )
    for tela in (page, phone):
        toast = tela.locator(".aviso-toast")
        await expect(toast).to_be_visible()
        await _sem_sobrepor(toast, tela.locator(".composer-enviar"))
        topo = tela.locator(".chat-topo")
        for nome in ("Confirmar conclusão", "Cobrar", "Informações do chamado"):
            await _sem_sobrepor(toast, topo.get_by_role("button", name=nome))

    topo = page.locator(".chat-topo")
    await topo.get_by_role("button", name="Confirmar conclusão").click()
    dialogo = page.get_by_role("alertdialog", name="Confirmar a conclusão?")
    toast = page.locator(".aviso-toast")
    for botao in await dialogo.get_by_role("button").all():
        await _sem_sobrepor(toast, botao)
    await dialogo.get_by_role("button", name="Confirmar conclusão").click()
    await expect(topo).to_contain_text("Concluído")
    # Well before the toast's own 8 s: the finished chamado takes it down.
    await expect(toast).to_have_count(0, timeout=3_000)
    await expect(phone.locator(".aviso-toast")).to_have_count(0, timeout=5_000)


async def test_a_message_elsewhere_notifies_and_counts_in_the_title(
    page: Page, live_server: str, db: AsyncSession, settings: Settings
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira")
    c = await f.chamado(db, t, titulo="Ar-condicionado da sala 302")
    outro = await f.chamado(db, await f.terceirizado(db, nome="Ana Souza"), titulo="Disjuntor")
    # The page's notifications, recorded instead of shown.
    await page.context.grant_permissions(["notifications"], origin=live_server)
    await page.add_init_script(
        """
        window.__notificacoes = [];
        window.Notification = class {
            static permission = 'granted';
            static requestPermission() { return Promise.resolve('granted'); }
            constructor(titulo, opcoes) { window.__notificacoes.push([titulo, opcoes.body]); }
            close() {}
        };
        """
    )
    await login(page, live_server, user.email, path=f"/central/{outro.id}")
    await expect(page.locator(".chat-ao-vivo")).to_have_text("ao vivo")
    sino = page.get_by_role("button", name="Notificações de novas mensagens")
    await sino.click()
    await expect(sino).to_have_attribute("aria-pressed", "true")

    payload = {
        "instance_key": "inst",
        "messageType": "conversation",
        "key": {"remoteJid": f"{t.telefone}@s.whatsapp.net", "fromMe": False, "id": "E2E-NOT-1"},
        "messageTimestamp": int(datetime.now(UTC).timestamp()),
        "pushName": t.nome,
        "message": {"conversation": "Chego em 10 minutos"},
    }
    async with httpx.AsyncClient(base_url=live_server) as http:
        resposta = await http.post(
            "/webhook/whatsapp", params={"token": settings.secret("webhook_token")}, json=payload
        )
    assert resposta.status_code == 200, resposta.text
    await expect(page).to_have_title(re.compile(r"^\(1\) "))
    await page.wait_for_function("() => window.__notificacoes.length === 1")
    titulo, corpo = (await page.evaluate("() => window.__notificacoes"))[0]
    assert titulo == "Nova mensagem de Carlos Pereira"
    assert corpo == f"{c.numero_chamado} · Ar-condicionado da sala 302"

    # Opening that conversation sees it.
    await page.locator(f'[data-conversa-id="{c.id}"]').click()
    await expect(page).to_have_title(re.compile(r"^[^(]"))


async def test_the_central_reads_each_thing_once_then_follows_the_events(
    page: Page, live_server: str, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira")
    c = await f.chamado(db, t, titulo="Ar-condicionado da sala 302")
    await f.mensagem(db, c, texto="Bom dia")
    # A running system's stream: events from before this session.
    segundos, _ = await redis.time()
    await redis.xadd(STREAM, {"tipo": "alerta", "dados": "{}"}, id=f"{segundos * 1000 - 60_000}-0")
    leituras: Counter[str] = Counter()

    def ler(pedido: Request) -> None:
        caminho = urlsplit(pedido.url).path
        if pedido.method == "GET" and caminho.startswith("/api/"):
            leituras[caminho] += 1

    page.on("request", ler)
    await login(page, live_server, user.email, path=f"/central/{c.id}")
    chat = page.get_by_role("region", name="Conversa")
    await expect(chat.locator(".bolha-entrada", has_text="Bom dia")).to_be_visible()
    await expect(chat.locator(".chat-ao-vivo")).to_have_text("ao vivo")
    await expect(page.locator(f'[data-conversa-id="{c.id}"]')).to_be_visible()
    # A request of our own after the stream opened: the page's earlier ones were
    # seen before it (a refresh on opening the stream would be among them).
    async with page.expect_request("**/healthz"):
        await page.evaluate("() => fetch('/healthz')")
    assert leituras["/api/conversas"] == 1, leituras
    assert leituras[f"/api/conversas/{c.id}/mensagens"] == 1, leituras
    assert leituras[f"/api/chamados/{c.id}"] == 1, leituras
    assert leituras["/api/mensagens/nao-atribuidas"] == 1, leituras

    # Then the events keep the chat and the list current.
    payload = {
        "instance_key": "inst",
        "messageType": "conversation",
        "key": {"remoteJid": f"{t.telefone}@s.whatsapp.net", "fromMe": False, "id": "E2E-UMA-1"},
        "messageTimestamp": int(datetime.now(UTC).timestamp()),
        "pushName": t.nome,
        "message": {"conversation": "Chego em 10 minutos"},
    }
    async with httpx.AsyncClient(base_url=live_server) as http:
        resposta = await http.post(
            "/webhook/whatsapp", params={"token": settings.secret("webhook_token")}, json=payload
        )
    assert resposta.status_code == 200, resposta.text
    await expect(chat.locator(".bolha-entrada", has_text="Chego em 10 minutos")).to_be_visible()
    await expect(page.locator(f'[data-conversa-id="{c.id}"]')).to_contain_text("Chego em 10")


async def test_a_search_finds_an_old_message_and_opens_the_chat_at_it(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira")
    c = await f.chamado(db, t, titulo="Bomba d'água do bloco B")
    antiga = await f.mensagem(db, c, texto="Segue o *orçamento* da bomba: R$ 1.200,00")
    # More than a page of messages after it: the chat must load older ones to show it.
    for n in range(60):
        await f.mensagem(db, c, direcao=Direcao.outbound, texto=f"Atualização {n} da obra")

    await login(page, live_server, user.email)
    await page.get_by_placeholder("Buscar conversa").fill("orcamentos")
    achadas = page.get_by_role("region", name="Mensagens encontradas")
    resultado = achadas.get_by_role("link", name=re.compile("Carlos Pereira"))
    await expect(resultado.locator("mark")).to_have_text("orçamento")
    await expect(resultado).to_contain_text("da bomba")
    await screenshot(page, "central-busca")

    await resultado.click()
    await expect(page).to_have_url(f"{live_server}/central/{c.id}?mensagem={antiga.id}")
    alvo = page.locator(f'[data-mensagem-id="{antiga.id}"]')
    await expect(alvo).to_have_class(re.compile(r"\bmensagem-alvo\b"))
    await expect(alvo).to_be_in_viewport()
    # The newest message is further down, out of view: the chat did not jump back.
    ultima = page.locator(".linha-bolha", has_text="Atualização 59 da obra")
    await expect(ultima).to_be_attached()
    await expect(ultima).not_to_be_in_viewport()
    await screenshot(page, "central-busca-mensagem")
