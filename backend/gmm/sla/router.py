from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response, status

from gmm.auth.deps import AdminUser, CurrentUser
from gmm.chamados import service as chamados
from gmm.chamados.eventos import ChamadoAtualizado
from gmm.chamados.models import OrigemHistorico, Prioridade
from gmm.core.deps import SessionDep
from gmm.core.eventos import publicar_apos_commit
from gmm.core.params import IdPath
from gmm.core.respostas import errors
from gmm.sla import service
from gmm.sla.models import Etapa
from gmm.sla.schemas import (
    ChamadoSlaOut,
    EtapaIn,
    ExpedienteIn,
    FeriadoIn,
    FeriadoOut,
    PausaIn,
    PoliticaIn,
    ResultadosOut,
    SlaOut,
)

router = APIRouter(tags=["sla"])


@router.get(
    "/api/sla",
    operation_id="ler_sla",
    summary="Política de SLA e cobrança automática",
    responses=errors(401),
)
async def ler(session: SessionDep, usuario: CurrentUser) -> SlaOut:
    """Expediente, feriados da empresa, prazos por prioridade (minutos úteis) e as
    etapas da cobrança automática. O que nunca foi alterado vem com o padrão."""
    del usuario
    return await service.ler(session)


@router.get(
    "/api/sla/resultados",
    operation_id="resultados_cobranca",
    summary="O que cada etapa da cobrança automática conseguiu",
    responses=errors(401, 422),
)
async def resultados(
    session: SessionDep,
    usuario: CurrentUser,
    dias: Annotated[int, Query(ge=1, le=365, description="O período, em dias")] = 7,
) -> ResultadosOut:
    """Por etapa: quantas vezes foi dada no período e em quantas o terceirizado
    respondeu depois."""
    del usuario
    return await service.resultados(session, dias)


@router.put(
    "/api/sla/expediente",
    operation_id="salvar_expediente",
    summary="Alterar o expediente",
    responses=errors(401, 403, 422),
)
async def salvar_expediente(body: ExpedienteIn, session: SessionDep, usuario: AdminUser) -> SlaOut:
    """Dias e horário de trabalho, fuso, UF (feriados estaduais) e o e-mail do
    supervisor. Os feriados nacionais entram sozinhos. Só administradores."""
    del usuario
    await service.salvar_expediente(session, body)
    return await service.ler(session)


@router.put(
    "/api/sla/politicas/{prioridade}",
    operation_id="salvar_politica_sla",
    summary="Alterar os prazos de uma prioridade",
    responses=errors(401, 403, 422),
)
async def salvar_politica(
    prioridade: Prioridade, body: PoliticaIn, session: SessionDep, usuario: AdminUser
) -> SlaOut:
    """Minutos úteis para confirmar, iniciar e concluir. Só administradores."""
    del usuario
    await service.salvar_politica(session, prioridade, body)
    return await service.ler(session)


@router.put(
    "/api/sla/etapas/{etapa}",
    operation_id="salvar_etapa_cobranca",
    summary="Alterar uma etapa da cobrança automática",
    responses=errors(401, 403, 422),
)
async def salvar_etapa(
    etapa: Etapa, body: EtapaIn, session: SessionDep, usuario: AdminUser
) -> SlaOut:
    """Ligada ou não, depois de quantos minutos úteis e o texto. Só administradores."""
    del usuario
    await service.salvar_etapa(session, etapa, body)
    return await service.ler(session)


@router.post(
    "/api/sla/feriados",
    operation_id="adicionar_feriado",
    summary="Adicionar um feriado da empresa",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 422),
)
async def adicionar_feriado(body: FeriadoIn, session: SessionDep, usuario: AdminUser) -> FeriadoOut:
    """Feriado municipal ou fechamento: não conta nos prazos e nada é cobrado nele."""
    del usuario
    return await service.adicionar_feriado(session, body)


@router.delete(
    "/api/sla/feriados/{data}",
    operation_id="remover_feriado",
    summary="Remover um feriado da empresa",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 422),
)
async def remover_feriado(
    data: Annotated[date, Path(description="AAAA-MM-DD")], session: SessionDep, usuario: AdminUser
) -> Response:
    """A data volta a contar nos prazos. 404 se não era feriado da empresa."""
    del usuario
    await service.remover_feriado(session, data)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/api/chamados/{chamado_id}/sla",
    operation_id="sla_do_chamado",
    summary="Prazos e cobrança automática de um chamado",
    responses=errors(401, 404, 422),
)
async def do_chamado(
    chamado_id: IdPath, session: SessionDep, usuario: CurrentUser
) -> ChamadoSlaOut:
    """Os prazos (em tempo útil; o combinado vence o da prioridade), a mensagem ainda
    sem resposta e os passos automáticos já dados."""
    del usuario
    return await service.do_chamado(session, await chamados.obter(session, chamado_id))


@router.put(
    "/api/chamados/{chamado_id}/cobranca-automatica",
    operation_id="pausar_cobranca_automatica",
    summary="Pausar ou retomar a cobrança automática",
    responses=errors(401, 404, 422),
)
async def pausar(
    chamado_id: IdPath, body: PausaIn, session: SessionDep, usuario: CurrentUser
) -> ChamadoSlaOut:
    """`{"pausada": true}` para de cobrar este chamado; `false` retoma."""
    chamado = await chamados.obter(session, chamado_id, bloquear=True)
    if chamado.cobranca_pausada != body.pausada:
        chamado.cobranca_pausada = body.pausada
        acao = "pausada" if body.pausada else "retomada"
        await chamados.registrar_historico(
            session,
            chamado,
            OrigemHistorico.operador,
            f"cobrança automática {acao}",
            usuario_id=usuario.id,
        )
        publicar_apos_commit(session, ChamadoAtualizado.de(chamado))
    return await service.do_chamado(session, chamado)
