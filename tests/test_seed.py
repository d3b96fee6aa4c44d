"""The demo data of a first `gmm run`: created once, consistent with the rules."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import time_machine
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.app import seed
from gmm.automacao.models import RegraAutomacao
from gmm.chamados.models import Chamado
from gmm.conversas.models import Mensagem
from gmm.core.config import Settings
from gmm.core.db import session_scope
from gmm.envio.fila import Fila
from gmm.envio.service import WhatsAppService
from gmm.sla.models import CobrancaAutomatica, Etapa
from gmm.terceirizados.models import Terceirizado
from tests.sla.cobranca import TERCA, rodada


async def _contar(db: AsyncSession, modelo: type) -> int:
    return int(await db.scalar(select(func.count()).select_from(modelo)) or 0)


async def test_demo_data_is_created_once(
    db: AsyncSession, app: FastAPI, settings: Settings
) -> None:
    async def rodar() -> tuple[bool, bool]:
        async with session_scope(app.state.sessionmaker) as session:
            whatsapp = WhatsAppService(session, Fila(app.state.arq), settings)
            admin = await seed.ensure_admin(session)
            await session.flush()
            dados = await seed.sample_data(session, whatsapp, ZoneInfo(settings.timezone))
        return admin, dados

    # Seeded on a working morning, as the ladder's demo needs business hours.
    with time_machine.travel(TERCA, tick=False):
        assert await rodar() == (True, True)
    assert await rodar() == (False, False)
    assert await _contar(db, Terceirizado) == 3
    assert await _contar(db, Chamado) == 4
    # Three chamados: their creation message and a contractor's reply; the fourth,
    # its creation, the operator's unanswered question and one automatic nudge; and a
    # reply of João's, whose two open chamados leave it waiting "a classificar".
    assert await _contar(db, Mensagem) == 10
    retida = await db.scalar(select(Mensagem).where(Mensagem.chamado_id.is_(None)))
    assert retida is not None and retida.terceirizado_id is not None
    portao = await db.scalar(select(Chamado).where(Chamado.titulo.startswith("Portão")))
    assert portao is not None
    etapas = select(CobrancaAutomatica.etapa).where(CobrancaAutomatica.chamado_id == portao.id)
    assert list(await db.scalars(etapas)) == [Etapa.nao_lida]
    # Read and unanswered for two business hours: the next round sends the buttons.
    await rodada(app, settings, TERCA)
    assert list(await db.scalars(etapas.order_by(CobrancaAutomatica.id))) == [
        Etapa.nao_lida,
        Etapa.sem_resposta,
    ]
    regras = list(await db.scalars(select(RegraAutomacao).order_by(RegraAutomacao.ordem)))
    assert [r.ativa for r in regras] == [True, True, True, False, True]
