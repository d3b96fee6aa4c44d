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
from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao import service as automacao
from gmm.chamados import service as chamados
from gmm.chamados.models import Chamado
from gmm.conversas.conteudo import ConteudoMidia
from gmm.conversas.eventos import MensagemNova, MensagemStatus
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.db import after_commit, utcnow
from gmm.core.eventos import publicar, publicar_apos_commit
from gmm.core.registro import CONEXAO_CHAVE, CONEXAO_HISTORICO, PAINEL
from gmm.envio import ticks
from gmm.envio.service import WhatsAppService
from gmm.recebimento import alteracoes
from gmm.recebimento import leitura as webhook
from gmm.recebimento import roteamento as roteador
from gmm.recebimento.eventos import ConexaoEvento
from gmm.terceirizados import identidades

log = logging.getLogger(__name__)

Resultado = Literal[
    "registrada",
    "duplicada",
    "ack_aplicado",
    "ack_pendente",
    "ack_sem_efeito",
    "conexao",
    "alteracao",
    "alteracao_duplicada",
    "ignorado",
]


@dataclass(frozen=True)
class ResultadoRecebida:
    mensagem: Mensagem | None  # None: already stored (a duplicate webhook)
    chamado_id: int | None
    chamado: Chamado | None = None  # loaded with its contractor, locked


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
    session: AsyncSession, whatsapp: WhatsAppService, recebida: webhook.Recebida
) -> ResultadoRecebida:
    """Store a contractor's message where it belongs (gmm/recebimento/roteamento.py), once."""
    remetente = recebida.remetente
    terceirizado = await identidades.resolver_e_aprender(
        session, remetente.telefones, remetente.jids
    )
    terceirizado_id = terceirizado.id if terceirizado is not None else None
    roteamento = None
    if terceirizado_id is not None:
        # The contractor's routing row first, then the chamado's: the one lock order,
        # so a held message and the contractor's choice of chamado never cross.
        roteamento = await roteador.travar(session, terceirizado_id)
    rota = await roteador.rotear(session, recebida, terceirizado, roteamento)
    chamado = None
    if rota.chamado_id is not None:
        # The chamado's lock before its first row is written: simultaneous messages,
        # receipts and rules on it queue instead of deadlocking. Loaded in the same
        # statement (with its contractor, as the automation reads it).
        chamado = await chamados.obter_travado(session, rota.chamado_id)
    stmt = (
        insert(Mensagem)
        .values(
            chamado_id=rota.chamado_id,
            terceirizado_id=terceirizado_id,
            direcao=Direcao.inbound,
            tipo=TipoMensagem.recebida,
            tipo_conteudo=recebida.tipo_conteudo,
            texto=recebida.texto,
            caption=recebida.caption,
            conteudo=recebida.conteudo,
            # The contractor's number even when the event named them by an @lid only:
            # what the conversation's state and the operators know them by.
            destinatario=terceirizado.telefone if terceirizado else recebida.telefone,
            status_envio=StatusEnvio.entregue,
            megaapi_id=recebida.megaapi_id,
            momento=_momento(recebida.recebida_em),
            citada_id=rota.citada_id,
        )
        .on_conflict_do_nothing(index_elements=[Mensagem.megaapi_id])
        # The whole row back: the new message without a second round trip.
        .returning(Mensagem)
    )
    mensagem = await session.scalar(stmt)
    if mensagem is None:
        return ResultadoRecebida(None, rota.chamado_id)
    if rota.chamado_id is not None:
        assert chamado is not None
        chamado.ultima_atividade_em = utcnow()
        if rota.motivo == "escolha":
            janela = timedelta(minutes=whatsapp.settings.roteamento_escolha_minutos)
            assert roteamento is not None
            await roteador.escolher(session, roteamento, chamado, mensagem, janela)
    elif rota.motivo == "a_classificar":
        assert terceirizado is not None and roteamento is not None
        await roteador.perguntar(session, whatsapp, terceirizado, roteamento)
    return ResultadoRecebida(mensagem, rota.chamado_id, chamado)


async def tratar(
    session: AsyncSession, redis: Redis, whatsapp: WhatsAppService, evento: webhook.Evento
) -> Resultado:
    if isinstance(evento, webhook.Recebida):
        resultado = await registrar_recebida(session, whatsapp, evento)
        if resultado.mensagem is None:
            return "duplicada"
        publicar_apos_commit(session, MensagemNova.de(resultado.mensagem))
        if isinstance(evento.conteudo, ConteudoMidia):
            mensagem_id = resultado.mensagem.id
            after_commit(session, lambda: whatsapp.fila.baixar_midia(mensagem_id))
        # Only the first delivery of a message gets here, so a redelivered webhook
        # never answers or moves a chamado twice.
        await automacao.processar_recebida(session, whatsapp, resultado.mensagem, resultado.chamado)
        return "registrada"
    if isinstance(evento, webhook.Reacao | webhook.Edicao | webhook.Apagada):
        return await alteracoes.registrar(session, whatsapp, evento)
    if isinstance(evento, webhook.Ack):
        if evento.status is None:
            return "ack_sem_efeito"
        aplicado = await ticks.aplicar(session, evento.megaapi_id, evento.status)
        if aplicado.movida is not None:
            publicar_apos_commit(session, MensagemStatus.de(aplicado.movida))
            return "ack_aplicado"
        return "ack_pendente" if aplicado.guardado else "ack_sem_efeito"
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
