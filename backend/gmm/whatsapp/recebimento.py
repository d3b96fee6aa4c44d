"""What MegaAPI tells us: contractors' messages and delivery/read receipts.

Exactly once, in any order: inbound messages are inserted with ON CONFLICT on the
MegaAPI id (a retried or duplicated webhook is a no-op), and receipts only move a
message forward. A receipt for an id the worker has not stored yet is parked in
``acks_pendentes`` and applied by the worker when it stores the id; both sides
take the same per-id advisory lock, so no interleaving loses one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from redis.asyncio import Redis
from sqlalchemy import case, delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao import service as automacao
from gmm.chamados.models import ABERTOS, Chamado
from gmm.chamados.trava import travar
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.db import after_commit
from gmm.eventos.service import publicar
from gmm.monitoramento.registro import PAINEL
from gmm.terceirizados.models import Terceirizado
from gmm.terceirizados.telefone import TelefoneInvalido, chave
from gmm.whatsapp import webhook
from gmm.whatsapp.models import AckPendente
from gmm.whatsapp.service import WhatsAppService, evento_mensagem

log = logging.getLogger(__name__)

# Forward-only order of a sent message's life; falhou is final and handled apart.
ORDEM = {
    StatusEnvio.pendente: 0,
    StatusEnvio.enfileirado: 1,
    StatusEnvio.enviado: 2,
    StatusEnvio.entregue: 3,
    StatusEnvio.lido: 4,
}


CONEXAO_CHAVE = "gmm:whatsapp:conexao"
CONEXAO_HISTORICO = "gmm:whatsapp:conexao:historico"

Resultado = Literal[
    "registrada",
    "duplicada",
    "ack_aplicado",
    "ack_pendente",
    "ack_sem_efeito",
    "conexao",
    "ignorado",
]


@dataclass(frozen=True)
class ResultadoRecebida:
    mensagem: Mensagem | None  # None: already stored (a duplicate webhook)
    chamado_id: int | None


async def travar_id(session: AsyncSession, megaapi_id: str) -> None:
    await session.execute(
        text("SELECT pg_advisory_xact_lock(hashtext(:id))"), {"id": f"megaapi:{megaapi_id}"}
    )


async def _chamado_do_telefone(session: AsyncSession, telefone: str) -> int | None:
    """The contractor's most recently active open chamado (phone with or without the 9th digit)."""
    try:
        chave_telefone = chave(telefone)
    except TelefoneInvalido:
        return None
    chamado_id: int | None = await session.scalar(
        select(Chamado.id)
        .join(Terceirizado, Terceirizado.id == Chamado.terceirizado_id)
        .where(Terceirizado.telefone_chave == chave_telefone, Chamado.status.in_(ABERTOS))
        .order_by(Chamado.ultima_atividade_em.desc(), Chamado.id.desc())
        .limit(1)
    )
    return chamado_id


FIM_DO_SEGUNDO = timedelta(microseconds=999_999)


def _momento(carimbo: datetime | None) -> Any:
    """Where the message goes in the chat. WhatsApp stamps whole seconds, so the message
    was written somewhere in the second after its stamp: the end of that second, never
    later than now. A message that arrives at once keeps its arrival order (against our
    own messages of the same second too); one that arrives late or beside others of
    the same contractor goes where the contractor wrote it."""
    if carimbo is None:
        return func.now()
    return func.least(carimbo + FIM_DO_SEGUNDO, func.now())


async def registrar_recebida(
    session: AsyncSession, recebida: webhook.Recebida
) -> ResultadoRecebida:
    """Store a contractor's message on their open chamado (or unassigned), once."""
    chamado_id = await _chamado_do_telefone(session, recebida.telefone)
    if chamado_id is not None:
        # The chamado's lock before its first row is written: the one lock order,
        # so simultaneous messages, receipts and rules on it queue instead of deadlocking.
        await travar(session, chamado_id)
    stmt = (
        insert(Mensagem)
        .values(
            chamado_id=chamado_id,
            direcao=Direcao.inbound,
            tipo=TipoMensagem.recebida,
            tipo_conteudo=recebida.tipo_conteudo,
            texto=recebida.texto,
            caption=recebida.caption,
            conteudo=recebida.conteudo,
            destinatario=recebida.telefone,
            status_envio=StatusEnvio.entregue,
            megaapi_id=recebida.megaapi_id,
            momento=_momento(recebida.recebida_em),
        )
        .on_conflict_do_nothing(index_elements=[Mensagem.megaapi_id])
        .returning(Mensagem.id)
    )
    mensagem_id = await session.scalar(stmt)
    if mensagem_id is None:
        return ResultadoRecebida(None, chamado_id)
    if chamado_id is not None:
        await session.execute(
            update(Chamado).where(Chamado.id == chamado_id).values(ultima_atividade_em=func.now())
        )
    mensagem = await session.get(Mensagem, mensagem_id)
    return ResultadoRecebida(mensagem, chamado_id)


def _avanco(novo: StatusEnvio, quando: datetime | None, erro: str | None) -> dict[str, Any]:
    """Column values that move a message to ``novo``, never backwards."""
    momento = quando or func.now()
    if novo == StatusEnvio.falhou:
        return {
            "status_envio": novo,
            "erro": erro or "a MegaAPI informou erro na entrega",
            "reservado_ate": None,
        }
    valores: dict[str, Any] = {"status_envio": novo}
    if ORDEM[novo] >= ORDEM[StatusEnvio.enviado]:
        valores["enviado_em"] = func.coalesce(Mensagem.enviado_em, momento)
    if ORDEM[novo] >= ORDEM[StatusEnvio.entregue]:
        # Read implies delivered, even when the delivered receipt never came.
        valores["entregue_em"] = func.coalesce(Mensagem.entregue_em, momento)
    if novo == StatusEnvio.lido:
        valores["lido_em"] = func.coalesce(Mensagem.lido_em, momento)
    return valores


def _pode_avancar(novo: StatusEnvio) -> Any:
    rank = case(
        {status.value: ordem for status, ordem in ORDEM.items()},
        value=Mensagem.status_envio,
        else_=99,  # falhou: final
    )
    if novo == StatusEnvio.falhou:
        # An error receipt only fails a message that has not been delivered yet.
        return rank <= ORDEM[StatusEnvio.enviado]
    return rank < ORDEM[novo]


async def aplicar_ack(
    session: AsyncSession,
    megaapi_id: str,
    novo: StatusEnvio,
    quando: datetime | None = None,
    erro: str | None = None,
) -> Mensagem | None:
    """Move the message with this MegaAPI id forward; park the receipt if the id is unknown.

    Answers the message when its status changed, else None.
    """
    await travar_id(session, megaapi_id)
    existe = await session.scalar(
        select(Mensagem.id).where(
            Mensagem.megaapi_id == megaapi_id, Mensagem.direcao == Direcao.outbound
        )
    )
    if existe is None:
        await _guardar_pendente(session, megaapi_id, novo, erro)
        return None
    mensagem_id = await session.scalar(
        update(Mensagem)
        .where(Mensagem.id == existe, _pode_avancar(novo))
        .values(**_avanco(novo, quando, erro))
        .returning(Mensagem.id)
    )
    if mensagem_id is None:
        return None
    return await session.get(Mensagem, mensagem_id, populate_existing=True)


async def _guardar_pendente(
    session: AsyncSession, megaapi_id: str, novo: StatusEnvio, erro: str | None
) -> None:
    # One row per status seen; applying them later in any order is forward-only anyway.
    await session.execute(
        insert(AckPendente)
        .values(megaapi_id=megaapi_id, status_envio=novo.value, erro=erro)
        .on_conflict_do_nothing()
    )


async def aplicar_pendentes(session: AsyncSession, megaapi_id: str) -> Mensagem | None:
    """Apply receipts parked for ``megaapi_id``; the worker calls it in the transaction
    that stores the id, after ``travar_id``. Answers the message if it moved."""
    pendentes = list(
        await session.scalars(
            delete(AckPendente).where(AckPendente.megaapi_id == megaapi_id).returning(AckPendente)
        )
    )
    movida: Mensagem | None = None
    for pendente in pendentes:
        movida = (
            await aplicar_ack(
                session,
                megaapi_id,
                StatusEnvio(pendente.status_envio),
                pendente.recebido_em,
                pendente.erro,
            )
            or movida
        )
    return movida


async def tratar(
    session: AsyncSession, redis: Redis, whatsapp: WhatsAppService, evento: webhook.Evento
) -> Resultado:
    if isinstance(evento, webhook.Recebida):
        resultado = await registrar_recebida(session, evento)
        if resultado.mensagem is None:
            return "duplicada"
        dados = evento_mensagem(resultado.mensagem)
        after_commit(session, lambda: publicar(redis, "mensagem.nova", dados))
        if "midia" in evento.conteudo:
            mensagem_id = resultado.mensagem.id
            after_commit(session, lambda: whatsapp.fila.baixar_midia(mensagem_id))
        # Only the first delivery of a message gets here, so a redelivered webhook
        # never answers or moves a chamado twice.
        await automacao.processar_recebida(session, whatsapp, resultado.mensagem)
        return "registrada"
    if isinstance(evento, webhook.Ack):
        if evento.status is None:
            return "ack_sem_efeito"
        movida = await aplicar_ack(session, evento.megaapi_id, evento.status)
        if movida is not None:
            dados = evento_mensagem(movida)
            after_commit(session, lambda: publicar(redis, "mensagem.status", dados))
            return "ack_aplicado"
        pendente = await session.scalar(
            select(AckPendente.megaapi_id).where(AckPendente.megaapi_id == evento.megaapi_id)
        )
        return "ack_pendente" if pendente else "ack_sem_efeito"
    if isinstance(evento, webhook.Conexao):
        await registrar_conexao(redis, evento)
        await publicar(redis, "conexao", {"estado": evento.estado, "motivo": evento.motivo})
        return "conexao"
    log.info("webhook ignorado: %s", evento.motivo)
    return "ignorado"


async def registrar_conexao(redis: Redis, evento: webhook.Conexao) -> None:
    """The gateway's connection state, kept in Redis for monitoring (with a short history)."""
    segundos, _ = await redis.time()
    registro = {"estado": evento.estado, "motivo": evento.motivo or "", "desde": str(segundos)}
    async with redis.pipeline(transaction=True) as pipe:
        pipe.hset(CONEXAO_CHAVE, mapping=registro)
        pipe.lpush(CONEXAO_HISTORICO, json.dumps(registro, ensure_ascii=False))
        pipe.ltrim(CONEXAO_HISTORICO, 0, 199)
        pipe.delete(PAINEL)
        await pipe.execute()
