"""The ladder's "read and unanswered" buttons: what each tap does to the chamado."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao import textos
from gmm.automacao.models import Aguardando, EstadoConversa
from gmm.chamados.models import Chamado
from gmm.conversas.models import StatusEnvio
from gmm.core.config import Settings
from gmm.core.db import utcnow
from tests.automacao.conftest import automaticas, botao, enviar_webhook, historico, texto
from tests.sla.cobranca import TERCA, esperando, rodada

TELEFONE = "5511987654321"


async def _perguntado(app: FastAPI, db: AsyncSession, settings: Settings) -> Chamado:
    """A chamado the ladder asked, with its three buttons, a few minutes ago."""
    c, _ = await esperando(db, StatusEnvio.lido, TERCA, telefone=TELEFONE)
    assert await rodada(app, settings, TERCA + timedelta(hours=2)) == 1
    return c


async def _recarregado(db: AsyncSession, chamado_id: int) -> Chamado:
    row = await db.get(Chamado, chamado_id, populate_existing=True)
    assert row is not None
    return row


async def test_confirmo_is_recorded_and_ends_the_waiting(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    c = await _perguntado(app, db, settings)
    await enviar_webhook(client, settings, botao(TELEFONE, "x", "Confirmo"))
    assert (await historico(db, c.id))[-1].descricao == "o terceirizado confirmou o atendimento"
    # Answered: the next rounds have nothing to chase.
    assert await rodada(app, settings, TERCA + timedelta(hours=6)) == 0


async def test_mais_prazo_asks_for_a_date_and_the_answer_becomes_the_prazo(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    c = await _perguntado(app, db, settings)
    await enviar_webhook(client, settings, botao(TELEFONE, "x", "Preciso mais prazo"))
    estado = await db.get(EstadoConversa, TELEFONE)
    assert estado is not None and estado.aguardando == Aguardando.novo_prazo
    assert any("Até quando você consegue concluir" in t for t in await automaticas(db, c.id))

    fuso = ZoneInfo(settings.timezone)
    ano = utcnow().astimezone(fuso).year + 1
    await enviar_webhook(client, settings, texto(TELEFONE, f"Consigo até 20/03/{ano} às 15h"))
    esperado = datetime(ano, 3, 20, 15, tzinfo=fuso)
    assert (await _recarregado(db, c.id)).prazo_combinado == esperado
    linha = (await historico(db, c.id))[-1].descricao
    assert linha == f"novo prazo informado pelo terceirizado: 20/03/{ano} às 15:00"
    db.expire_all()
    assert await db.get(EstadoConversa, TELEFONE) is None


async def test_nao_posso_marks_the_chamado_for_another_contractor_and_stops_chasing(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    c = await _perguntado(app, db, settings)
    await enviar_webhook(client, settings, botao(TELEFONE, "x", "Não posso atender"))
    atualizado = await _recarregado(db, c.id)
    assert atualizado.reatribuir and atualizado.cobranca_pausada
    assert (await historico(db, c.id))[-1].descricao == (
        "o terceirizado não pode atender: escolha outro terceirizado"
    )


def test_dates_a_contractor_types() -> None:
    fuso = ZoneInfo("America/Sao_Paulo")
    agora = datetime(2026, 12, 5, 10, tzinfo=fuso)
    casos = {
        "15/12": datetime(2026, 12, 15, 18, tzinfo=fuso),
        "dia 15/12 às 14h": datetime(2026, 12, 15, 14, tzinfo=fuso),
        "15/12 14:30": datetime(2026, 12, 15, 14, 30, tzinfo=fuso),
        "até 10/01": datetime(2027, 1, 10, 18, tzinfo=fuso),  # January is next year's
        "20/03/27": datetime(2027, 3, 20, 18, tzinfo=fuso),
        "05/12/2026 às 9h": None,  # already past
        "31/02": None,
        "15/13": None,
        "amanhã cedo": None,
        "99/99/99999999": None,
        "15/12 às 25h": None,
    }
    for escrito, esperado in casos.items():
        assert textos.ler_data(escrito, fuso, agora) == esperado, escrito
