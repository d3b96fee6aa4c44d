from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query

from gmm.auth.deps import CurrentUser
from gmm.chamados.models import StatusChamado
from gmm.conversas import service
from gmm.conversas.schemas import (
    AtribuirIn,
    ConversaOut,
    LidasOut,
    MensagemOut,
    PaginaConversasTerceirizado,
    PaginaNaoAtribuidas,
    ResultadoBusca,
)
from gmm.conversas.service import Situacao
from gmm.core.deps import SessionDep, SettingsDep
from gmm.core.pagination import Page
from gmm.core.params import CursorQuery, IdPath, LimitQuery
from gmm.core.respostas import errors

router = APIRouter(prefix="/api/conversas", tags=["conversas"])


@router.get(
    "",
    operation_id="listar_conversas",
    summary="Listar conversas da Central",
    responses=errors(401, 422),
)
async def listar(
    session: SessionDep,
    settings: SettingsDep,
    _: CurrentUser,
    status_: Annotated[StatusChamado | None, Query(alias="status")] = None,
    busca: Annotated[
        str | None,
        Query(
            max_length=120,
            description=(
                "Nome, empresa ou telefone (4 dígitos ou mais) do terceirizado, número ou título "
                "do chamado, texto ou transcrição de mensagem"
            ),
        ),
    ] = None,
    situacao: Annotated[
        Situacao | None,
        Query(
            description=(
                "`atrasados`: abertos com o prazo vencido; `vencendo_hoje`: o prazo vence "
                "até o fim de hoje; `sem_resposta`: a última mensagem é nossa, sem resposta "
                "do terceirizado. O prazo é o combinado, senão o do SLA da prioridade"
            )
        ),
    ] = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[ConversaOut]:
    """Uma linha por chamado para a Central de Mensagens, pela última atividade."""
    return await service.listar(
        session,
        status=status_,
        busca=busca,
        situacao=situacao,
        fuso=ZoneInfo(settings.timezone),
        limit=limit,
        cursor=cursor,
    )


@router.get(
    "/{chamado_id}/mensagens",
    operation_id="listar_mensagens_conversa",
    summary="Mensagens da conversa",
    responses=errors(401, 404, 422),
)
async def mensagens(
    chamado_id: IdPath,
    session: SessionDep,
    _: CurrentUser,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[MensagemOut]:
    """Histórico da conversa: as mensagens mais recentes, da mais antiga à mais nova.
    `next_cursor` traz a página anterior (mais antiga)."""
    return await service.mensagens(session, chamado_id, limit=limit, cursor=cursor)


@router.post(
    "/{chamado_id}/lidas",
    operation_id="marcar_conversa_lida",
    summary="Marcar conversa como lida",
    responses=errors(401, 404, 422),
)
async def lidas(chamado_id: IdPath, session: SessionDep, _: CurrentUser) -> LidasOut:
    """Marca como lidas pelo operador as mensagens recebidas do terceirizado."""
    return LidasOut(marcadas=await service.marcar_lidas(session, chamado_id))


mensagens_router = APIRouter(prefix="/api/mensagens", tags=["conversas"])


@mensagens_router.get(
    "/nao-atribuidas",
    operation_id="listar_mensagens_nao_atribuidas",
    summary="Listar mensagens sem chamado",
    responses=errors(401, 422),
)
async def nao_atribuidas(
    session: SessionDep,
    _: CurrentUser,
    terceirizado_id: Annotated[
        int | None,
        Query(ge=1, le=2**63 - 1, description="Só as mensagens a classificar deste terceirizado"),
    ] = None,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> PaginaNaoAtribuidas:
    """Mensagens recebidas sem chamado, da mais nova à mais antiga, com o total que espera
    um chamado: de números desconhecidos (`terceirizado_id` null), de terceirizados sem
    chamado aberto, e as "a classificar" de quem tem vários chamados abertos e não disse
    de qual fala (a pergunta "Sobre qual chamado?" já foi enviada). Nada recebido é
    descartado."""
    return await service.nao_atribuidas(
        session, limit=limit, cursor=cursor, terceirizado_id=terceirizado_id
    )


@mensagens_router.get(
    "/busca",
    operation_id="buscar_mensagens",
    summary="Buscar nas mensagens",
    responses=errors(401, 422),
)
async def buscar(
    session: SessionDep,
    _: CurrentUser,
    q: Annotated[
        str,
        Query(
            min_length=2,
            max_length=200,
            description="O que procurar no texto das mensagens e nas transcrições de áudio",
        ),
    ],
    limit: LimitQuery = 20,
    cursor: CursorQuery = None,
) -> Page[ResultadoBusca]:
    """Mensagens que dizem o que se procura, das mais novas às mais antigas, com o
    trecho onde dizem (as partes realçadas em `destaque`). Em português: plural ou
    singular, com ou sem acento ("orçamentos" acha "orcamento"); aceita "frase
    exata", `-palavra` e `ou`. Abra o chamado e vá até `mensagem_id`."""
    return await service.buscar(session, q, limit=limit, cursor=cursor)


@mensagens_router.post(
    "/{mensagem_id}/atribuir",
    operation_id="atribuir_mensagem",
    summary="Atribuir mensagem a um chamado",
    responses=errors(401, 404, 409, 422),
)
async def atribuir(
    mensagem_id: IdPath,
    body: AtribuirIn,
    session: SessionDep,
    _: CurrentUser,
) -> MensagemOut:
    """Liga uma mensagem recebida sem chamado a um chamado (e avisa as telas com
    `mensagem.nova`). A de um terceirizado conhecido só vai para um chamado dele (422).
    Com `reconhecer_remetente`, o remetente desconhecido passa a ser reconhecido como o
    terceirizado do chamado (as próximas mensagens dele vão direto)."""
    mensagem = await service.atribuir(
        session, mensagem_id, body.chamado_id, reconhecer=body.reconhecer_remetente
    )
    return await service.saida(session, mensagem)


terceirizado_conversas_router = APIRouter(prefix="/api/terceirizados", tags=["terceirizados"])


@terceirizado_conversas_router.get(
    "/{terceirizado_id}/conversas",
    operation_id="listar_conversas_terceirizado",
    summary="Chamados e conversas do terceirizado",
    responses=errors(401, 404, 422),
)
async def conversas_do_terceirizado(
    terceirizado_id: IdPath,
    session: SessionDep,
    _: CurrentUser,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> PaginaConversasTerceirizado:
    """Todos os chamados do terceirizado com as conversas, os abertos primeiro e depois
    pela última atividade, e quantas mensagens dele esperam um chamado."""
    return await service.conversas_do_terceirizado(
        session, terceirizado_id, limit=limit, cursor=cursor
    )
