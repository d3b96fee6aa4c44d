from __future__ import annotations

from zoneinfo import ZoneInfo

from fastapi import APIRouter, status

from gmm.auth.deps import CurrentUser
from gmm.chamados import service
from gmm.chamados.filtros import FiltrosQuery
from gmm.chamados.schemas import (
    ChamadoComMensagem,
    ChamadoCreate,
    ChamadoInfo,
    ChamadoOut,
    ChamadoUpdate,
    HistoricoOut,
    ResponderIn,
)
from gmm.conversas import service as conversas
from gmm.core.deps import SessionDep, SettingsDep
from gmm.core.pagination import Page
from gmm.core.params import CursorQuery, IdPath, LimitQuery
from gmm.core.respostas import errors
from gmm.envio.deps import WhatsAppDep

router = APIRouter(prefix="/api/chamados", tags=["chamados"])


@router.get(
    "", operation_id="listar_chamados", summary="Listar chamados", responses=errors(401, 422)
)
async def listar(
    session: SessionDep,
    _: CurrentUser,
    filtros: FiltrosQuery,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[ChamadoOut]:
    """Chamados do mais novo ao mais antigo, com filtros e paginação por cursor."""
    return await service.listar(session, filtros, limit=limit, cursor=cursor)


@router.post(
    "",
    operation_id="criar_chamado",
    summary="Abrir chamado",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 404, 409, 422, 503),
)
async def criar(
    body: ChamadoCreate,
    session: SessionDep,
    whatsapp: WhatsAppDep,
    usuario: CurrentUser,
    settings: SettingsDep,
) -> ChamadoComMensagem:
    """Abre um chamado e envia ao terceirizado a mensagem de criação pelo WhatsApp.

    Com a fila de envio cheia responde 503 e nada é gravado."""
    chamado, resultado = await service.criar(
        session, whatsapp, body, criado_por=usuario.id, fuso=ZoneInfo(settings.timezone)
    )
    return ChamadoComMensagem.de(chamado, resultado)


@router.get(
    "/{chamado_id}",
    operation_id="obter_chamado",
    summary="Ver chamado",
    responses=errors(401, 404, 422),
)
async def obter(chamado_id: IdPath, session: SessionDep, _: CurrentUser) -> ChamadoOut:
    """Um chamado com o resumo do terceirizado."""
    return ChamadoOut.model_validate(await service.obter(session, chamado_id))


@router.patch(
    "/{chamado_id}",
    operation_id="atualizar_chamado",
    summary="Alterar chamado",
    responses=errors(401, 404, 409, 422),
)
async def atualizar(
    chamado_id: IdPath,
    body: ChamadoUpdate,
    session: SessionDep,
    usuario: CurrentUser,
) -> ChamadoOut:
    """Altera título, descrição, prioridade, prazo ou status (exceto concluir).

    Mudanças de status seguem o ciclo de vida (409 `transicao_invalida` fora dele) e
    ficam no histórico do chamado."""
    chamado = await service.atualizar(session, chamado_id, body, usuario.id)
    return ChamadoOut.model_validate(chamado)


@router.get(
    "/{chamado_id}/historico",
    operation_id="historico_chamado",
    summary="Histórico do chamado",
    responses=errors(401, 404, 422),
)
async def historico(chamado_id: IdPath, session: SessionDep, _: CurrentUser) -> list[HistoricoOut]:
    """O que aconteceu com o chamado, do mais antigo ao mais novo: aberturas, mudanças
    de status (de operadores, botões tocados pelo terceirizado, regras de automação,
    link do prestador), orçamentos e visitas."""
    return [HistoricoOut.model_validate(h) for h in await service.historico(session, chamado_id)]


@router.get(
    "/{chamado_id}/info",
    operation_id="info_chamado",
    summary="Chamado com estatísticas da conversa",
    responses=errors(401, 404, 422),
)
async def info(chamado_id: IdPath, session: SessionDep, _: CurrentUser) -> ChamadoInfo:
    """O chamado e as estatísticas da conversa: enviadas, recebidas, último contato,
    tempo até a primeira resposta, atraso e número de cobranças."""
    chamado = await service.obter(session, chamado_id)
    return ChamadoInfo(
        chamado=ChamadoOut.model_validate(chamado),
        estatisticas=await service.estatisticas(session, chamado),
    )


@router.post(
    "/{chamado_id}/cobrar",
    operation_id="cobrar_chamado",
    summary="Cobrar o terceirizado",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 404, 409, 422, 503),
)
async def cobrar(
    chamado_id: IdPath,
    session: SessionDep,
    whatsapp: WhatsAppDep,
    _: CurrentUser,
    settings: SettingsDep,
) -> ChamadoComMensagem:
    """Envia ao terceirizado uma cobrança de retorno sobre o chamado aberto."""
    chamado, resultado = await service.cobrar(
        session, whatsapp, chamado_id, ZoneInfo(settings.timezone)
    )
    return ChamadoComMensagem.de(chamado, resultado)


@router.post(
    "/{chamado_id}/responder",
    operation_id="responder_chamado",
    summary="Enviar mensagem ao terceirizado",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 404, 409, 422, 503),
)
async def responder(
    chamado_id: IdPath,
    body: ResponderIn,
    session: SessionDep,
    whatsapp: WhatsAppDep,
    _: CurrentUser,
) -> ChamadoComMensagem:
    """Envia o texto livre do operador ao terceirizado; com `citada_id`, como resposta
    citando aquela mensagem da conversa (no WhatsApp, o trecho citado aparece acima).

    O mesmo texto ao mesmo chamado em menos de 30 s não é enviado de novo: a
    resposta traz a mensagem existente com `envio: "duplicada"`."""
    chamado, resultado = await service.responder(
        session, whatsapp, chamado_id, body.mensagem, body.citada_id
    )
    resposta = ChamadoComMensagem.de(chamado, resultado)
    resposta.mensagem = await conversas.saida(session, resultado.mensagem)
    return resposta


@router.post(
    "/{chamado_id}/finalizar",
    operation_id="finalizar_chamado",
    summary="Finalizar chamado",
    responses=errors(401, 404, 409, 422, 503),
)
async def finalizar(
    chamado_id: IdPath, session: SessionDep, whatsapp: WhatsAppDep, usuario: CurrentUser
) -> ChamadoComMensagem:
    """Conclui o chamado e avisa o terceirizado. Finalizar de novo responde 409."""
    chamado, resultado = await service.finalizar(session, whatsapp, chamado_id, usuario.id)
    return ChamadoComMensagem.de(chamado, resultado)
