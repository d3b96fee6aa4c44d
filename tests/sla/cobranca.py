"""The follow-up ladder's test helpers: a chamado waiting at a tick, and a round of
the worker's cron job with the clock frozen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import time_machine
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado, Prioridade
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.config import Settings
from gmm.sla.tasks import cobrar_automaticamente
from tests import factories as f

SP = timedelta(hours=3)  # São Paulo is UTC-3 all year


def local(ano: int, mes: int, dia: int, hora: int, minuto: int = 0) -> datetime:
    """A São Paulo wall-clock time, as the UTC instant it is."""
    return datetime(ano, mes, dia, hora, minuto, tzinfo=UTC) + SP


# Tuesday 2026-03-10, 10:00 in São Paulo: an ordinary working morning.
TERCA = local(2026, 3, 10, 10)


async def esperando(
    db: AsyncSession,
    status: StatusEnvio,
    quando: datetime,
    *,
    prazo: datetime | None = None,
    prioridade: Prioridade = Prioridade.normal,
    telefone: str | None = None,
) -> tuple[Chamado, Mensagem]:
    """A chamado whose last message is ours, at that tick since ``quando``."""
    t = await f.terceirizado(db, nome="Carlos Pereira", telefone=telefone)
    c = await f.chamado(db, t, prazo=prazo or quando + timedelta(days=60), prioridade=prioridade)
    c.criado_em = quando - timedelta(minutes=5)
    m = await f.mensagem(
        db, c, direcao=Direcao.outbound, status=status, tipo=TipoMensagem.resposta_manual
    )
    m.enviado_em = quando
    if status in (StatusEnvio.entregue, StatusEnvio.lido):
        m.entregue_em = quando
    if status == StatusEnvio.lido:
        m.lido_em = quando
    await db.commit()
    return c, m


async def rodada(app: FastAPI, settings: Settings, agora: datetime) -> int:
    """The worker's cron job, with the clock at ``agora``."""
    ctx = {
        "gmm": SimpleNamespace(sessionmaker=app.state.sessionmaker, settings=settings),
        "redis": app.state.arq,
    }
    with time_machine.travel(agora, tick=False):
        return await cobrar_automaticamente(ctx)
