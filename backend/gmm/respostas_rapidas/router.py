from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from gmm.auth.deps import CurrentUser
from gmm.core.deps import SessionDep, SettingsDep
from gmm.core.params import IdPath
from gmm.core.respostas import errors
from gmm.respostas_rapidas import service
from gmm.respostas_rapidas.schemas import (
    PreenchidaOut,
    RespostaRapidaIn,
    RespostaRapidaOut,
    RespostaRapidaUpdate,
)

router = APIRouter(prefix="/api/respostas-rapidas", tags=["respostas rápidas"])


@router.get(
    "",
    operation_id="listar_respostas_rapidas",
    summary="Listar respostas rápidas",
    responses=errors(401),
)
async def listar(session: SessionDep, usuario: CurrentUser) -> list[RespostaRapidaOut]:
    """As compartilhadas e as suas, por título."""
    return await service.listar(session, usuario)


@router.post(
    "",
    operation_id="criar_resposta_rapida",
    summary="Criar resposta rápida",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 422),
)
async def criar(
    body: RespostaRapidaIn, session: SessionDep, usuario: CurrentUser
) -> RespostaRapidaOut:
    """Uma resposta sua, ou compartilhada (`compartilhada: true`, só administradores).
    Variáveis desconhecidas no texto respondem 422."""
    return await service.criar(session, usuario, body)


@router.patch(
    "/{resposta_id}",
    operation_id="atualizar_resposta_rapida",
    summary="Alterar resposta rápida",
    responses=errors(401, 403, 404, 422),
)
async def atualizar(
    resposta_id: IdPath, body: RespostaRapidaUpdate, session: SessionDep, usuario: CurrentUser
) -> RespostaRapidaOut:
    """As suas; as compartilhadas, só administradores (403)."""
    return await service.atualizar(session, usuario, resposta_id, body)


@router.delete(
    "/{resposta_id}",
    operation_id="excluir_resposta_rapida",
    summary="Apagar resposta rápida",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 422),
)
async def excluir(resposta_id: IdPath, session: SessionDep, usuario: CurrentUser) -> Response:
    """As suas; as compartilhadas, só administradores (403)."""
    await service.excluir(session, usuario, resposta_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/{resposta_id}/preencher",
    operation_id="preencher_resposta_rapida",
    summary="Preencher resposta rápida para um chamado",
    responses=errors(401, 404, 409, 422),
)
async def preencher(
    resposta_id: IdPath,
    chamado_id: Annotated[int, Query(ge=1, le=2**63 - 1, description="O chamado da conversa")],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    usuario: CurrentUser,
) -> PreenchidaOut:
    """O texto com as variáveis do chamado, para o operador revisar e enviar. Com
    `{link_prestador}`, cria um link novo do prestador (não o envia: ele vai no texto,
    quando o operador enviar); chamado concluído ou cancelado responde 409."""
    texto = await service.preencher(
        session,
        settings,
        usuario,
        resposta_id,
        chamado_id,
        base_url=settings.public_base_url or str(request.base_url),
    )
    return PreenchidaOut(texto=texto)
