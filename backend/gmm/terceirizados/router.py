from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from gmm.auth.deps import CurrentUser
from gmm.core.deps import SessionDep
from gmm.core.pagination import Page
from gmm.core.params import CursorQuery, IdPath, LimitQuery
from gmm.core.respostas import errors
from gmm.terceirizados import service
from gmm.terceirizados.schemas import TerceirizadoCreate, TerceirizadoOut, TerceirizadoUpdate

router = APIRouter(prefix="/api/terceirizados", tags=["terceirizados"])


@router.get(
    "",
    operation_id="listar_terceirizados",
    summary="Listar terceirizados",
    responses=errors(401, 422),
)
async def listar(
    session: SessionDep,
    _: CurrentUser,
    busca: Annotated[
        str | None,
        Query(max_length=120, description="Parte do nome, empresa ou telefone (4 dígitos ou mais)"),
    ] = None,
    ativo: Annotated[bool | None, Query(description="Filtra ativos/inativos")] = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[TerceirizadoOut]:
    """Terceirizados em ordem alfabética, com busca e paginação por cursor."""
    return await service.listar(session, busca=busca, ativo=ativo, limit=limit, cursor=cursor)


@router.post(
    "",
    operation_id="criar_terceirizado",
    summary="Cadastrar terceirizado",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 409, 422),
)
async def criar(body: TerceirizadoCreate, session: SessionDep, _: CurrentUser) -> TerceirizadoOut:
    """Cadastra um terceirizado. O telefone é normalizado (55 + DDD + número)."""
    return TerceirizadoOut.model_validate(await service.criar(session, body))


@router.get(
    "/{terceirizado_id}",
    operation_id="obter_terceirizado",
    summary="Ver terceirizado",
    responses=errors(401, 404),
)
async def obter(terceirizado_id: IdPath, session: SessionDep, _: CurrentUser) -> TerceirizadoOut:
    """Um terceirizado."""
    return TerceirizadoOut.model_validate(await service.obter(session, terceirizado_id))


@router.patch(
    "/{terceirizado_id}",
    operation_id="atualizar_terceirizado",
    summary="Alterar terceirizado",
    responses=errors(401, 404, 409, 422),
)
async def atualizar(
    terceirizado_id: IdPath, body: TerceirizadoUpdate, session: SessionDep, _: CurrentUser
) -> TerceirizadoOut:
    """Altera os campos enviados (também reativa com `"ativo": true`)."""
    return TerceirizadoOut.model_validate(await service.atualizar(session, terceirizado_id, body))


@router.post(
    "/{terceirizado_id}/desativar",
    operation_id="desativar_terceirizado",
    summary="Desativar terceirizado",
    responses=errors(401, 404, 409),
)
async def desativar(
    terceirizado_id: IdPath, session: SessionDep, _: CurrentUser
) -> TerceirizadoOut:
    """Desativa o terceirizado: some das escolhas de novos chamados, o histórico fica."""
    return TerceirizadoOut.model_validate(await service.desativar(session, terceirizado_id))
