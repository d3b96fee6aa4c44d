from __future__ import annotations

from fastapi import APIRouter, Response, status

from gmm.auth.deps import AdminUser, CurrentUser
from gmm.automacao import acoes, service
from gmm.automacao.schemas import (
    ConfirmarVisitaIn,
    OrcamentoIn,
    RegraIn,
    RegraOut,
    RegraUpdate,
    TestarRegrasIn,
    TestarRegrasOut,
)
from gmm.chamados.schemas import ChamadoComMensagem
from gmm.core.deps import SessionDep
from gmm.core.params import IdPath
from gmm.core.respostas import errors
from gmm.envio.deps import WhatsAppDep

router = APIRouter(tags=["automacao"])

_ENVIO = errors(401, 404, 409, 422, 503)


# -- ready-made actions ------------------------------------------------------------------


@router.post(
    "/api/chamados/{chamado_id}/acoes/solicitar-orcamento",
    operation_id="solicitar_orcamento",
    summary="Pedir orçamento",
    status_code=status.HTTP_201_CREATED,
    responses=_ENVIO,
)
async def solicitar_orcamento(
    chamado_id: IdPath, session: SessionDep, whatsapp: WhatsAppDep, _: CurrentUser
) -> ChamadoComMensagem:
    """Pede o valor do orçamento ao terceirizado. Por 24 h, uma resposta que seja só um
    valor ("1500", "R$ 1.500,00") é registrada como o orçamento do chamado."""
    return ChamadoComMensagem.de(*await acoes.solicitar_orcamento(session, whatsapp, chamado_id))


@router.post(
    "/api/chamados/{chamado_id}/acoes/orcamento",
    operation_id="enviar_orcamento",
    summary="Enviar orçamento para aprovação",
    status_code=status.HTTP_201_CREATED,
    responses=_ENVIO,
)
async def orcamento(
    chamado_id: IdPath,
    body: OrcamentoIn,
    session: SessionDep,
    whatsapp: WhatsAppDep,
    _: CurrentUser,
) -> ChamadoComMensagem:
    """Envia o orçamento com os botões **Aprovar** / **Rejeitar**. Aprovar grava o valor e
    passa o chamado a `em_andamento`; Rejeitar pede uma contraproposta."""
    return ChamadoComMensagem.de(
        *await acoes.orcamento(session, whatsapp, chamado_id, body.valor, body.observacao)
    )


@router.post(
    "/api/chamados/{chamado_id}/acoes/confirmar-visita",
    operation_id="confirmar_visita",
    summary="Confirmar visita",
    status_code=status.HTTP_201_CREATED,
    responses=_ENVIO,
)
async def confirmar_visita(
    chamado_id: IdPath,
    body: ConfirmarVisitaIn,
    session: SessionDep,
    whatsapp: WhatsAppDep,
    _: CurrentUser,
) -> ChamadoComMensagem:
    """Pergunta se a visita na data e hora dadas está confirmada (**Confirmo** /
    **Remarcar**). Confirmo grava `visita_em`; Remarcar pede outra data."""
    return ChamadoComMensagem.de(
        *await acoes.confirmar_visita(session, whatsapp, chamado_id, body.data_hora)
    )


@router.post(
    "/api/chamados/{chamado_id}/acoes/concluido",
    operation_id="perguntar_conclusao",
    summary="Perguntar se o serviço foi concluído",
    status_code=status.HTTP_201_CREATED,
    responses=_ENVIO,
)
async def concluido(
    chamado_id: IdPath, session: SessionDep, whatsapp: WhatsAppDep, _: CurrentUser
) -> ChamadoComMensagem:
    """Pergunta se o serviço foi concluído (**Sim** / **Ainda não**). Sim passa o chamado a
    `aguardando_confirmacao`: o operador confirma com `POST /finalizar`."""
    return ChamadoComMensagem.de(*await acoes.perguntar_conclusao(session, whatsapp, chamado_id))


# -- automation rules (admin) ------------------------------------------------------------


@router.get(
    "/api/admin/automacao/regras",
    operation_id="listar_regras_automacao",
    summary="Listar regras de automação",
    responses=errors(401, 403),
)
async def listar(session: SessionDep, _: AdminUser) -> list[RegraOut]:
    """Todas as regras, na ordem em que são aplicadas."""
    return [RegraOut.model_validate(r) for r in await service.listar(session)]


@router.post(
    "/api/admin/automacao/regras",
    operation_id="criar_regra_automacao",
    summary="Criar regra de automação",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 422),
)
async def criar(body: RegraIn, session: SessionDep, _: AdminUser) -> RegraOut:
    """Nova regra: palavra-chave ou regex (sem distinguir acentos e maiúsculas) → ação.
    Regras ativas disparam, em ordem, a cada texto recebido num chamado aberto; no
    máximo uma resposta automática por mensagem."""
    return RegraOut.model_validate(await service.criar(session, body))


@router.post(
    "/api/admin/automacao/testar",
    operation_id="testar_regras_automacao",
    summary="Testar regras com um texto",
    responses=errors(401, 403, 422),
)
async def testar(body: TestarRegrasIn, session: SessionDep, _: AdminUser) -> TestarRegrasOut:
    """Quais regras ativas disparariam para este texto (nada é enviado nem alterado)."""
    regras = await service.que_disparam(session, body.texto)
    return TestarRegrasOut(regras=[RegraOut.model_validate(r) for r in regras])


@router.get(
    "/api/admin/automacao/regras/{regra_id}",
    operation_id="obter_regra_automacao",
    summary="Ver regra de automação",
    responses=errors(401, 403, 404, 422),
)
async def obter(regra_id: IdPath, session: SessionDep, _: AdminUser) -> RegraOut:
    """Uma regra de automação."""
    return RegraOut.model_validate(await service.obter(session, regra_id))


@router.patch(
    "/api/admin/automacao/regras/{regra_id}",
    operation_id="atualizar_regra_automacao",
    summary="Alterar regra de automação",
    responses=errors(401, 403, 404, 422),
)
async def atualizar(
    regra_id: IdPath, body: RegraUpdate, session: SessionDep, _: AdminUser
) -> RegraOut:
    """Altera os campos enviados (por exemplo `{"ativa": false}` para desligar)."""
    return RegraOut.model_validate(await service.atualizar(session, regra_id, body))


@router.delete(
    "/api/admin/automacao/regras/{regra_id}",
    operation_id="remover_regra_automacao",
    summary="Remover regra de automação",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=errors(401, 403, 404, 422),
)
async def remover(regra_id: IdPath, session: SessionDep, _: AdminUser) -> Response:
    """Apaga a regra (para só desligá-la, `PATCH` com `{"ativa": false}`)."""
    await service.remover(session, regra_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
