"""The Desempenho page in Chromium: the ranking from the real facts, its sorting, the
explanation of a figure, the export, a contractor's detail and the operators."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from playwright.async_api import Page, expect
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.db import utcnow
from gmm.desempenho import fatos
from gmm.sla import service as sla
from tests import factories as f
from tests.e2e.conftest import screenshot
from tests.e2e.test_interativas import entrar
from tests.sla.cobranca import local


async def _respondido(db: AsyncSession, nome: str, minutos: list[int]) -> int:
    """A contractor whose chamados (opened on recent weekday mornings) were each
    answered after that many business minutes."""
    t = await f.terceirizado(db, nome=nome)
    hoje = utcnow()
    # The last Tuesday at least a day ago: a business morning within the default period.
    terca = hoje - timedelta(days=(hoje.weekday() - 1) % 7 or 7)
    ids = []
    for i, espera in enumerate(minutos):
        dia = terca - timedelta(days=7 * i)
        aberto = local(dia.year, dia.month, dia.day, 9)
        c = await f.chamado(db, t)
        c.criado_em = c.ultima_atividade_em = aberto
        db.add(
            Mensagem(
                chamado_id=c.id,
                terceirizado_id=t.id,
                direcao=Direcao.inbound,
                tipo=TipoMensagem.recebida,
                texto="ok",
                destinatario=t.telefone,
                status_envio=StatusEnvio.entregue,
                momento=aberto + timedelta(minutes=espera),
            )
        )
        await db.commit()
        ids.append(c.id)
    await fatos.calcular(db, ids, await sla.carregar(db))
    await db.commit()
    return t.id


async def test_the_ranking_its_explanations_the_export_and_a_contractors_detail(
    page: Page, live_server: str, db: AsyncSession
) -> None:
    admin = await f.usuario(db, papel=Papel.admin)
    rapido = await _respondido(db, "Ana Rápida", [20, 40])
    await _respondido(db, "Bruno Devagar", [180, 240])
    await entrar(page, live_server, admin.email, "/desempenho")
    tabela = page.get_by_role("table")
    linhas = tabela.locator("tbody tr")
    await expect(linhas).to_have_count(2)
    mediana = tabela.locator('td[data-chave="resposta_mediana_min"]')
    # 20 and 40 business minutes: 30; 180 and 240: 210 = 3h 30min.
    await expect(mediana).to_have_text([re.compile(r"30\s*min"), re.compile(r"3h\s*30")])

    # Sorting by a figure: best first (the fastest), then the other way round.
    cabecalho = tabela.locator('th[data-chave="resposta_mediana_min"]')
    ordenar = cabecalho.get_by_role("button", name="1ª resposta (mediana)", exact=True)
    await ordenar.click()
    await expect(cabecalho).to_have_attribute("aria-sort", "ascending")
    await expect(linhas.first).to_contain_text("Ana Rápida")
    await ordenar.click()
    await expect(cabecalho).to_have_attribute("aria-sort", "descending")
    await expect(linhas.first).to_contain_text("Bruno Devagar")
    # How the figure is computed, on the header.
    info = cabecalho.get_by_role("button", name="Como é calculado: 1ª resposta (mediana)")
    await expect(info).to_have_attribute("title", re.compile("minutos úteis"))
    await screenshot(page, "desempenho")

    # The export downloads what the screen shows.
    async with page.expect_download() as baixando:
        await page.get_by_role("button", name="Exportar CSV").click()
    arquivo = await (await baixando.value).path()
    texto = arquivo.read_text(encoding="utf-8-sig")
    nomes = [linha["Terceirizado"] for linha in csv.DictReader(io.StringIO(texto), delimiter=";")]
    assert sorted(nomes) == ["Ana Rápida", "Bruno Devagar"]

    # The operators' section is there for an admin.
    await expect(
        page.get_by_role("heading", name="Tempo de resposta dos operadores")
    ).to_be_visible()

    # A contractor's detail: the scorecard and the weekly trend.
    await tabela.get_by_role("link", name="Ana Rápida").click()
    await expect(page).to_have_url(re.compile(rf"/desempenho/terceirizados/{rapido}"))
    cartao = page.locator('section[data-chave="resposta_mediana_min"]')
    await expect(cartao).to_contain_text(re.compile(r"30\s*min"))
    await expect(page.get_by_role("heading", name="Semana a semana")).to_be_visible()
    await expect(page.locator(".secao-desempenho canvas")).to_have_count(1)
    await screenshot(page, "desempenho-terceirizado")
