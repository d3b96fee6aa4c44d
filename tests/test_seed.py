"""The demo data of a first `gmm run`: created once, consistent with the rules."""

from __future__ import annotations

from zoneinfo import ZoneInfo

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
from gmm.terceirizados.models import Terceirizado


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

    assert await rodar() == (True, True)
    assert await rodar() == (False, False)
    assert await _contar(db, Terceirizado) == 3
    assert await _contar(db, Chamado) == 3
    # Each chamado: its creation message and a contractor's reply.
    assert await _contar(db, Mensagem) == 6
    regras = list(await db.scalars(select(RegraAutomacao).order_by(RegraAutomacao.ordem)))
    assert [r.ativa for r in regras] == [True, True, True, False]
