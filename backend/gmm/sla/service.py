"""The SLA policy as configured: the business calendar, each chamado's deadlines and
the follow-up ladder's steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado, Prioridade
from gmm.sla import calendario
from gmm.sla.models import Etapa, EtapaConfig, Expediente, Feriado, PoliticaSla

# Business minutes (a working day is 600: 08:00 to 18:00): confirm, start, complete.
POLITICAS_PADRAO: dict[Prioridade, tuple[int, int, int]] = {
    Prioridade.urgente: (30, 120, 600),
    Prioridade.alta: (60, 600, 1_200),
    Prioridade.normal: (120, 1_200, 3_000),
    Prioridade.baixa: (240, 3_000, 6_000),
}

# Each step: on, business minutes, text (None: only the operator is told).
ETAPAS_PADRAO: dict[Etapa, tuple[bool, int, str | None]] = {
    Etapa.nao_entregue: (True, 30, None),
    Etapa.nao_lida: (
        True,
        120,
        "Olá, {terceirizado}! Conseguiu ver a mensagem sobre o chamado {chamado} ({titulo})?",
    ),
    Etapa.sem_resposta: (
        True,
        120,
        "{terceirizado}, pode confirmar o atendimento do chamado {chamado} ({titulo})?",
    ),
    Etapa.prazo_1dia: (
        True,
        600,
        "Lembrete: o chamado {chamado} ({titulo}) vence em {prazo}.",
    ),
    Etapa.prazo_2h: (
        True,
        120,
        "Lembrete: o prazo do chamado {chamado} ({titulo}) termina em {prazo}.",
    ),
    Etapa.atrasado: (True, 0, None),
}


@dataclass(frozen=True)
class Configuracao:
    """Everything the ladder reads, loaded once per round."""

    calendario: calendario.Calendario
    politicas: dict[Prioridade, PoliticaSla]
    etapas: dict[Etapa, EtapaConfig]
    email_supervisor: str | None


@dataclass(frozen=True)
class Prazos:
    """A chamado's deadlines. ``concluir`` is the agreed prazo when there is one."""

    confirmar: datetime
    iniciar: datetime
    concluir: datetime


async def carregar(session: AsyncSession) -> Configuracao:
    expediente = await session.get(Expediente, 1)
    feriados = frozenset(await session.scalars(select(Feriado.data)))
    if expediente is None:
        base = calendario.Expediente(feriados_extras=feriados)
        email = None
    else:
        base = calendario.Expediente(
            dias=frozenset(expediente.dias),
            inicio=expediente.inicio,
            fim=expediente.fim,
            fuso=expediente.fuso,
            uf=expediente.uf,
            feriados_extras=feriados,
        )
        email = expediente.email_supervisor
    politicas = {p.prioridade: p for p in await session.scalars(select(PoliticaSla))}
    for prioridade, (confirmar, iniciar, concluir) in POLITICAS_PADRAO.items():
        politicas.setdefault(
            prioridade,
            PoliticaSla(
                prioridade=prioridade,
                confirmar_min=confirmar,
                iniciar_min=iniciar,
                concluir_min=concluir,
            ),
        )
    etapas = {e.etapa: e for e in await session.scalars(select(EtapaConfig))}
    for etapa, (ativa, minutos, texto) in ETAPAS_PADRAO.items():
        etapas.setdefault(
            etapa, EtapaConfig(etapa=etapa, ativa=ativa, minutos=minutos, texto=texto)
        )
    return Configuracao(calendario.Calendario(base), politicas, etapas, email)


def prazos(chamado: Chamado, config: Configuracao) -> Prazos:
    """Counted in business time from the chamado's opening; the agreed prazo wins."""
    politica = config.politicas[chamado.prioridade]
    cal = config.calendario
    aberto = chamado.criado_em
    return Prazos(
        confirmar=cal.somar(aberto, politica.confirmar_min),
        iniciar=cal.somar(aberto, politica.iniciar_min),
        concluir=chamado.prazo_combinado or cal.somar(aberto, politica.concluir_min),
    )
