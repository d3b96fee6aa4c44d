"""The "…" menu, files and automation rules end to end: the built SPA in Chromium, the
API, an arq worker and the MegaAPI simulator as a process calling our webhook back."""

from __future__ import annotations

import asyncio
import re
import struct
import time
import zlib
from pathlib import Path
from typing import Any

import httpx
from arq.worker import Worker
from playwright.async_api import Page, expect
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel, Usuario
from gmm.automacao.models import AcaoRegra, RegraAutomacao, TipoPadrao
from gmm.chamados.models import Chamado, StatusChamado
from gmm.conversas.models import Direcao, Mensagem, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.terceirizados.models import Terceirizado
from tests import factories as f
from tests.conteudo import guardado
from tests.e2e.conftest import SimuladorE2E, screenshot

TELEFONE = "5511987654321"


async def entrar(page: Page, base: str, email: str, path: str) -> None:
    await page.goto(base + path)
    await expect(page).to_have_url(re.compile(r"/login\?next="))
    await page.get_by_label("E-mail").fill(email)
    await page.get_by_label("Senha").fill(f.SENHA)
    await page.get_by_role("button", name="Entrar").click()
    await expect(page).to_have_url(base + path)


async def _conversa(
    db: AsyncSession, *, papel: Papel = Papel.operador
) -> tuple[Usuario, Terceirizado, Chamado]:
    user = await f.usuario(db, papel=papel)
    t = await f.terceirizado(db, nome="Carlos Pereira", telefone=TELEFONE)
    c = await f.chamado(
        db, t, titulo="Ar-condicionado da sala 302", status=StatusChamado.em_andamento
    )
    return user, t, c


async def _esperar_megaapi_id(
    api: httpx.AsyncClient, chamado_id: int, tipo: str, timeout: float = 60
) -> dict[str, Any]:
    """Our message as the SPA reads it, once the worker sent it and stored MegaAPI's id."""
    limite = time.monotonic() + timeout
    while True:
        resposta = await api.get(f"/api/conversas/{chamado_id}/mensagens")
        resposta.raise_for_status()
        for m in resposta.json()["items"]:
            if m["direcao"] == "outbound" and m["tipo"] == tipo and m["megaapi_id"]:
                return dict(m)
        assert time.monotonic() < limite, f"a mensagem {tipo} não foi enviada ao simulador"
        await asyncio.sleep(0.2)


def _png(caminho: Path, largura: int = 24, altura: int = 16) -> Path:
    """A real (tiny, green) PNG: the API checks the content, not the name."""

    def bloco(tipo: bytes, dados: bytes) -> bytes:
        corpo = tipo + dados
        return struct.pack(">I", len(dados)) + corpo + struct.pack(">I", zlib.crc32(corpo))

    linhas = b"".join(b"\x00" + b"\x00\xa8\x84" * largura for _ in range(altura))
    caminho.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + bloco(b"IHDR", struct.pack(">IIBBBBB", largura, altura, 8, 2, 0, 0, 0))
        + bloco(b"IDAT", zlib.compress(linhas))
        + bloco(b"IEND", b"")
    )
    return caminho


async def test_concluido_buttons_and_a_tap_move_the_chamado_live(
    page: Page,
    live_server_sim: str,
    db: AsyncSession,
    settings_sim: Settings,
    simulador_e2e: SimuladorE2E,
    worker_e2e: Worker,
) -> None:
    user, _, c = await _conversa(db)
    await f.mensagem(
        db, c, direcao=Direcao.outbound, texto="Bom dia! Conseguiu ver o ar-condicionado?"
    )
    await f.mensagem(db, c, texto="Troquei o capacitor, já está gelando.")
    await entrar(page, live_server_sim, user.email, f"/central/{c.id}")
    chat = page.get_by_role("region", name="Conversa")
    topo = page.locator(".chat-topo")
    await expect(chat.locator(".chat-ao-vivo")).to_have_text("ao vivo")
    await expect(topo).to_contain_text("Em andamento")

    # The menu from the keyboard: it opens on its first item.
    menu = page.get_by_role("button", name="Mais ações")
    await menu.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("menuitem", name="Enviar lista")).to_be_focused()
    await expect(page.get_by_role("menu")).to_be_visible()
    await screenshot(page, "central-menu")
    await page.keyboard.press("Escape")
    await expect(page.get_by_role("menu")).to_have_count(0)
    await expect(menu).to_be_focused()

    await menu.click()
    await page.get_by_role("menuitem", name="Concluído?").click()
    dialogo = page.get_by_role("dialog", name="Perguntar se concluiu")
    await dialogo.get_by_role("button", name="Enviar pergunta").click()
    await expect(dialogo).to_have_count(0)
    pergunta = chat.locator(".linha-saida", has_text="Conclusão do serviço")
    await expect(pergunta.locator(".bolha-botao")).to_have_text(["Sim", "Ainda não"])

    # The worker sends it; the simulator answers with its id and acks it.
    async with httpx.AsyncClient(
        base_url=live_server_sim, headers=f.headers(user, settings_sim)
    ) as api:
        enviada = await _esperar_megaapi_id(api, c.id, "botoes")
    await expect(pergunta.locator("[data-status-envio]")).not_to_have_attribute(
        "data-status-envio", re.compile("pendente|enfileirado")
    )

    # The contractor taps "Sim" on that message; the gateway names the button its way.
    await simulador_e2e.inbound(
        type="button",
        **{"from": TELEFONE},
        button_id="0",
        button_text="Sim",
        reply_to=enviada["megaapi_id"],
    )
    await expect(topo.locator(".badge-status-aguardando_confirmacao")).to_have_text(
        "Aguardando confirmação"
    )
    await expect(topo.get_by_role("button", name="Confirmar conclusão")).to_be_visible()
    await expect(chat.locator(".bolha-toque")).to_have_text(re.compile(r"↩\s*Sim"))
    await expect(pergunta.locator('[data-escolhido="true"]')).to_contain_text("Sim")
    await expect(page.get_by_role("status", name="Notificações")).to_contain_text("concluído")
    await expect(page).to_have_url(f"{live_server_sim}/central/{c.id}")
    assert await db.scalar(
        select(Chamado.status).where(Chamado.id == c.id).execution_options(populate_existing=True)
    ) == (StatusChamado.aguardando_confirmacao)

    # The history in the info panel says who moved it.
    await page.get_by_role("button", name="Informações do chamado").click()
    historico = page.get_by_role("list", name="Histórico do chamado")
    await expect(historico.get_by_role("listitem").first).to_contain_text(
        "Em andamento → Aguardando confirmação"
    )
    await expect(historico.get_by_role("listitem").first).to_contain_text("Terceirizado")
    await screenshot(page, "central-botoes-respondidos")


async def test_an_attached_image_shows_in_the_chat(
    page: Page,
    live_server_sim: str,
    db: AsyncSession,
    simulador_e2e: SimuladorE2E,
    worker_e2e: Worker,
    tmp_path: Path,
) -> None:
    user, _, c = await _conversa(db)
    imagem = _png(tmp_path / "quadro-eletrico.png")
    await entrar(page, live_server_sim, user.email, f"/central/{c.id}")
    await page.get_by_role("button", name="Mais ações").click()
    await page.get_by_role("menuitem", name="Anexar arquivo").click()
    dialogo = page.get_by_role("dialog", name="Anexar arquivo")
    await dialogo.get_by_label("Arquivo").set_input_files(str(imagem))
    await expect(dialogo).to_contain_text("quadro-eletrico.png")
    await dialogo.get_by_label("Legenda (opcional)").fill("Quadro da sala 302")
    await dialogo.get_by_role("button", name="Enviar arquivo").click()
    await expect(dialogo).to_have_count(0)

    foto = page.locator(".bolha-saida img")
    await expect(foto).to_have_attribute("src", re.compile(r"^/api/midias/.+access_token="))
    await expect(foto).to_have_attribute("alt", "Quadro da sala 302")
    # The browser fetched it with the token: a decoded picture, not a broken icon.
    await expect(foto).to_have_js_property("naturalWidth", 24)

    mensagem = await db.scalar(
        select(Mensagem)
        .where(Mensagem.chamado_id == c.id, Mensagem.direcao == Direcao.outbound)
        .execution_options(populate_existing=True)
    )
    assert mensagem is not None
    assert mensagem.tipo_conteudo == TipoConteudo.image
    assert guardado(mensagem)["nome_arquivo"] == "quadro-eletrico.png"


async def test_a_rule_made_on_screen_answers_a_contractor_live(
    page: Page,
    live_server_sim: str,
    db: AsyncSession,
    simulador_e2e: SimuladorE2E,
    worker_e2e: Worker,
) -> None:
    admin, _, c = await _conversa(db, papel=Papel.admin)
    # A paused rule: it is listed, switched off, and fires for nothing.
    db.add(
        RegraAutomacao(
            nome="Urgência",
            tipo_padrao=TipoPadrao.regex,
            padrao="urgen(te|cia)",
            acao=AcaoRegra.definir_prioridade,
            parametro="urgente",
            ordem=5,
            ativa=False,
        )
    )
    await db.commit()
    await entrar(page, live_server_sim, admin.email, "/admin/regras")
    await expect(page.get_by_role("heading", name="Regras de automação")).to_be_visible()
    await page.get_by_role("button", name="Nova regra").click()
    dialogo = page.get_by_role("dialog", name="Nova regra")
    await dialogo.get_by_label("Nome").fill("Horário de atendimento")
    await dialogo.get_by_label("Palavra ou frase").fill("horário")
    await dialogo.get_by_label("Ação").select_option("responder")
    await dialogo.get_by_label("Texto da resposta").fill(
        "Atendemos das 8h às 18h, de segunda a sábado."
    )
    await dialogo.get_by_role("button", name="Criar regra").click()
    await expect(dialogo).to_have_count(0)
    linha = page.locator("tr", has_text="Horário de atendimento")
    await expect(linha).to_contain_text("Responder automaticamente")
    await expect(linha.get_by_role("switch")).to_have_attribute("aria-checked", "true")

    await page.get_by_label("Texto de exemplo").fill("Qual o horario de vocês?")
    await page.get_by_role("button", name="Testar", exact=True).click()
    await expect(page.locator(".testar-resultado")).to_contain_text("Dispararia 1 regra:")
    await expect(page.locator(".testar-resultado")).to_contain_text("Horário de atendimento")
    await screenshot(page, "regras-automacao")
    await expect(page.get_by_role("switch", name="Regra Urgência ativa")).to_have_attribute(
        "aria-checked", "false"
    )
    regra = await db.scalar(
        select(RegraAutomacao).where(RegraAutomacao.nome == "Horário de atendimento")
    )
    assert regra is not None and regra.padrao == "horário" and regra.ativa

    await page.get_by_role("link", name="Central", exact=True).click()
    await page.locator(f'[data-conversa-id="{c.id}"]').click()
    chat = page.get_by_role("region", name="Conversa")
    await expect(chat.locator(".chat-ao-vivo")).to_have_text("ao vivo")

    await simulador_e2e.inbound(type="text", **{"from": TELEFONE}, text="Qual o horário amanhã?")
    await expect(chat.locator(".bolha-entrada", has_text="Qual o horário amanhã?")).to_be_visible()
    resposta = chat.locator(".bolha-saida", has_text="Atendemos das 8h às 18h")
    await expect(resposta).to_be_visible()
    await expect(resposta.locator(".bolha-rotulo")).to_have_text("Resposta automática")
    automaticas = list(
        await db.scalars(select(Mensagem).where(Mensagem.tipo == TipoMensagem.automatica))
    )
    assert [m.texto for m in automaticas] == ["Atendemos das 8h às 18h, de segunda a sábado."]
