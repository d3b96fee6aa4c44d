"""Desempenho: who answers, who delivers on time (read from gmm/desempenho/fatos.py)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query

from gmm.auth.deps import AdminUser, CurrentUser
from gmm.chamados.models import Prioridade
from gmm.core.db import utcnow
from gmm.core.deps import SessionDep, SettingsDep
from gmm.core.params import IdPath
from gmm.core.respostas import errors
from gmm.desempenho import service
from gmm.desempenho.schemas import Atencao, DetalheOut, OperadoresOut, RankingOut

router = APIRouter(prefix="/api/desempenho", tags=["desempenho"])

DeQuery = Annotated[date | None, Query(description="Primeiro dia (padrão: 29 dias antes de `ate`)")]
AteQuery = Annotated[date | None, Query(description="Último dia, incluído (padrão: hoje)")]
LocalQuery = Annotated[
    str | None, Query(max_length=120, description="Parte do prédio / local do chamado")
]


def periodo_da_consulta(
    settings: SettingsDep, de: date | None, ate: date | None
) -> service.Periodo:
    """The period a request asks for, in the company's time zone."""
    fuso = ZoneInfo(settings.timezone)
    return service.periodo(de, ate, fuso, utcnow().astimezone(fuso).date())


@router.get(
    "/terceirizados",
    operation_id="desempenho_terceirizados",
    summary="Desempenho dos terceirizados",
    responses=errors(401, 422),
)
async def ranking(
    session: SessionDep,
    settings: SettingsDep,
    _: CurrentUser,
    de: DeQuery = None,
    ate: AteQuery = None,
    prioridade: Prioridade | None = None,
    local: LocalQuery = None,
) -> RankingOut:
    """As medidas de cada terceirizado nos chamados abertos no período (dias no fuso da
    empresa), com a descrição de como cada uma é calculada em `metricas`. Atualizadas
    a cada minuto."""
    return await service.ranking(session, periodo_da_consulta(settings, de, ate), prioridade, local)


@router.get(
    "/terceirizados/{terceirizado_id}",
    operation_id="desempenho_terceirizado",
    summary="Desempenho de um terceirizado",
    responses=errors(401, 404, 422),
)
async def detalhe(
    terceirizado_id: IdPath,
    session: SessionDep,
    settings: SettingsDep,
    _: CurrentUser,
    de: DeQuery = None,
    ate: AteQuery = None,
) -> DetalheOut:
    """As medidas do terceirizado no período e, semana a semana, nos 90 dias até `ate`."""
    return await service.detalhe(session, terceirizado_id, periodo_da_consulta(settings, de, ate))


@router.get(
    "/atencao",
    operation_id="desempenho_atencao",
    summary="Terceirizados piorando",
    responses=errors(401, 422),
)
async def atencao(
    session: SessionDep, settings: SettingsDep, _: CurrentUser, ate: AteQuery = None
) -> list[Atencao]:
    """Quem piorou: os 30 dias até `ate` contra os 60 anteriores (1ª resposta 50% mais
    lenta e 30 min a mais, ou 20 pontos a menos em confirmados no SLA, concluídos no
    prazo ou mensagens lidas), com pelo menos 3 chamados em cada janela."""
    return await service.atencao(session, periodo_da_consulta(settings, None, ate))


@router.get(
    "/operadores",
    operation_id="desempenho_operadores",
    summary="Tempo de resposta dos operadores",
    responses=errors(401, 403, 422),
)
async def operadores(
    session: SessionDep,
    settings: SettingsDep,
    _: AdminUser,
    de: DeQuery = None,
    ate: AteQuery = None,
) -> OperadoresOut:
    """Do momento em que o terceirizado escreve à resposta de um operador: no geral, por
    operador e pela hora do dia em que ele escreveu. Só administradores."""
    return await service.operadores(session, periodo_da_consulta(settings, de, ate))
