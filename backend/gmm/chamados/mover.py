"""Moving messages between a contractor's chamados, when they landed on the wrong one.

Both chamados are locked in id order (the one lock order, and no two moves crossing
deadlock); a message of ours still waiting to go is never moved, since the send
order is kept per chamado (gmm/envio/ordem.py). Both histories get a line and every
screen hears ``mensagens.movidas``.
"""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import func, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.deps import CurrentUser
from gmm.chamados.models import Chamado, OrigemHistorico
from gmm.chamados.service import registrar_historico
from gmm.chamados.trava import travar
from gmm.conversas.eventos import MensagensMovidas
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from gmm.conversas.schemas import MoverIn, MovidasOut
from gmm.core.deps import SessionDep
from gmm.core.errors import Conflict, DomainError, NotFound
from gmm.core.eventos import publicar_apos_commit
from gmm.core.params import IdPath
from gmm.core.respostas import errors

_A_ENVIAR = (StatusEnvio.pendente, StatusEnvio.enfileirado)


class EmEnvio(Conflict):
    error = "em_envio"


class MovimentoInvalido(DomainError):
    status_code = 422
    error = "movimento_invalido"


def _quantas(n: int) -> str:
    return "1 mensagem movida" if n == 1 else f"{n} mensagens movidas"


async def mover(
    session: AsyncSession, mensagem_id: int, dados: MoverIn, usuario_id: int
) -> MovidasOut:
    de_id = await session.scalar(select(Mensagem.chamado_id).where(Mensagem.id == mensagem_id))
    if de_id is None:
        if await session.get(Mensagem, mensagem_id) is None:
            raise NotFound(f"mensagem {mensagem_id} não encontrada")
        raise Conflict(f"a mensagem {mensagem_id} não tem chamado: atribua-a a um")
    if de_id == dados.chamado_id:
        raise MovimentoInvalido("a mensagem já está nesse chamado")
    for chamado_id in sorted((de_id, dados.chamado_id)):
        if not await travar(session, chamado_id):
            raise NotFound(f"chamado {chamado_id} não encontrado")
    origem = await session.get(Chamado, de_id)
    destino = await session.get(Chamado, dados.chamado_id)
    assert origem is not None and destino is not None
    if destino.terceirizado_id != origem.terceirizado_id:
        raise MovimentoInvalido("só se move para outro chamado do mesmo terceirizado")
    mensagem = await session.get(Mensagem, mensagem_id, populate_existing=True)
    if mensagem is None or mensagem.chamado_id != de_id:
        raise Conflict(f"a mensagem {mensagem_id} acabou de mudar de chamado: recarregue")
    quais = Mensagem.id == mensagem_id
    if dados.com_seguintes:
        quais = or_(quais, tuple_(Mensagem.momento, Mensagem.id) > (mensagem.momento, mensagem.id))
    selecao = (Mensagem.chamado_id == de_id, quais)
    a_enviar = await session.scalar(
        select(func.count()).where(
            *selecao, Mensagem.direcao == Direcao.outbound, Mensagem.status_envio.in_(_A_ENVIAR)
        )
    )
    if a_enviar:
        raise EmEnvio(
            "há mensagem nossa ainda na fila de envio entre as escolhidas: "
            "espere ela sair e tente de novo"
        )
    movidas = (
        await session.execute(
            update(Mensagem)
            .where(*selecao)
            .values(chamado_id=destino.id)
            .returning(Mensagem.id, Mensagem.momento)
            .execution_options(synchronize_session=False)
        )
    ).all()
    ids = sorted(linha.id for linha in movidas)
    destino.ultima_atividade_em = max(
        destino.ultima_atividade_em, *(linha.momento for linha in movidas)
    )
    for chamado, texto in (
        (origem, f"{_quantas(len(ids))} para {destino.numero_chamado}"),
        (destino, f"{_quantas(len(ids))} de {origem.numero_chamado}"),
    ):
        await registrar_historico(
            session,
            chamado,
            OrigemHistorico.operador,
            texto,
            usuario_id=usuario_id,
            mensagem_id=mensagem_id,
        )
    publicar_apos_commit(
        session, MensagensMovidas(de_chamado_id=de_id, para_chamado_id=destino.id, mensagem_ids=ids)
    )
    return MovidasOut(de_chamado_id=de_id, para_chamado_id=destino.id, mensagem_ids=ids)


router = APIRouter(tags=["conversas"])


@router.post(
    "/api/mensagens/{mensagem_id}/mover",
    operation_id="mover_mensagem",
    summary="Mover mensagem para outro chamado",
    responses=errors(401, 404, 409, 422),
)
async def mover_mensagem(
    mensagem_id: IdPath, body: MoverIn, session: SessionDep, usuario: CurrentUser
) -> MovidasOut:
    """Passa a mensagem (e, com `com_seguintes`, as que vêm depois dela na conversa) para
    outro chamado do mesmo terceirizado. Os dois históricos ganham uma linha e as telas
    recebem `mensagens.movidas`. 409 `em_envio` se uma mensagem nossa escolhida ainda
    espera a vez de sair."""
    return await mover(session, mensagem_id, body, usuario.id)
