"""What MegaAPI tells us: contractors' messages, receipts and the connection's state.

Exactly once, in any order: inbound messages are inserted with ON CONFLICT on the
MegaAPI id (a retried or duplicated webhook is a no-op); receipts go to
gmm/envio/ticks.py, which only ever moves a sent message forward.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from redis.asyncio import Redis
from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao import service as automacao
from gmm.chamados.models import ABERTOS, Chamado
from gmm.chamados.trava import travar
from gmm.conversas.conteudo import ConteudoMidia
from gmm.conversas.eventos import MensagemNova, MensagemStatus
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.db import after_commit
from gmm.core.eventos import publicar, publicar_apos_commit
from gmm.core.registro import CONEXAO_CHAVE, CONEXAO_HISTORICO, PAINEL
from gmm.envio import ticks
from gmm.envio.models import AckPendente
from gmm.envio.service import WhatsAppService
from gmm.recebimento import leitura as webhook
from gmm.recebimento.eventos import ConexaoEvento
from gmm.terceirizados.models import Terceirizado
from gmm.terceirizados.telefone import TelefoneInvalido, chave

log = logging.getLogger(__name__)

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


async def tratar(
    session: AsyncSession, redis: Redis, whatsapp: WhatsAppService, evento: webhook.Evento
) -> Resultado:
    if isinstance(evento, webhook.Recebida):
        resultado = await registrar_recebida(session, evento)
        if resultado.mensagem is None:
            return "duplicada"
        publicar_apos_commit(session, MensagemNova.de(resultado.mensagem))
        if isinstance(evento.conteudo, ConteudoMidia):
            mensagem_id = resultado.mensagem.id
            after_commit(session, lambda: whatsapp.fila.baixar_midia(mensagem_id))
        # Only the first delivery of a message gets here, so a redelivered webhook
        # never answers or moves a chamado twice.
        await automacao.processar_recebida(session, whatsapp, resultado.mensagem)
        return "registrada"
    if isinstance(evento, webhook.Ack):
        if evento.status is None:
            return "ack_sem_efeito"
        movida = await ticks.aplicar_ack(session, evento.megaapi_id, evento.status)
        if movida is not None:
            publicar_apos_commit(session, MensagemStatus.de(movida))
            return "ack_aplicado"
        pendente = await session.scalar(
            select(AckPendente.megaapi_id).where(AckPendente.megaapi_id == evento.megaapi_id)
        )
        return "ack_pendente" if pendente else "ack_sem_efeito"
    if isinstance(evento, webhook.Conexao):
        await registrar_conexao(redis, evento)
        await publicar(redis, ConexaoEvento(estado=evento.estado, motivo=evento.motivo))
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
