"""What MegaAPI tells us: contractors' messages, receipts and the connection's state.

Exactly once, in any order: inbound messages are inserted with ON CONFLICT on the
MegaAPI id (a retried or duplicated webhook is a no-op); receipts go to
gmm/envio/ticks.py, which only ever moves a sent message forward.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from redis.asyncio import Redis
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    DateTime,
    String,
    Text,
    bindparam,
    func,
    literal,
    select,
    true,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao import service as automacao
from gmm.chamados import service as chamados
from gmm.chamados.models import Chamado, StatusChamado
from gmm.chamados.trava import travando
from gmm.conversas.conteudo import ConteudoMidia
from gmm.conversas.eventos import MensagemNova
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.db import Compilada, after_commit, utcnow
from gmm.core.eventos import publicar, publicar_apos_commit
from gmm.core.registro import CONEXAO_CHAVE, CONEXAO_HISTORICO, PAINEL
from gmm.envio import ticks
from gmm.envio.service import WhatsAppService
from gmm.recebimento import alteracoes
from gmm.recebimento import leitura as webhook
from gmm.recebimento import roteamento as roteador
from gmm.recebimento.eventos import ConexaoEvento

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
    mensagem_id: int | None  # None: already stored (a duplicate webhook)
    rota: roteador.Rota
    # The chamado's status when it was locked, before the message was stored on it.
    status_chamado: StatusChamado | None = None


FIM_DO_SEGUNDO = timedelta(microseconds=999_999)

# The chamado's lock, the message and the chamado's last activity in one round trip,
# run on every inbound message (gmm.core.db.Compilada). The lock comes first: the
# inserted row is made from a join with its result, so no row is written before it
# is held, and simultaneous messages, receipts and rules on the chamado queue
# instead of deadlocking (gmm.chamados.trava). A message with no chamado locks
# nothing and is stored all the same. A redelivered webhook inserts nothing, and so
# touches nothing. Where the message goes in the chat: WhatsApp stamps whole seconds,
# so it was written somewhere in the second after its stamp, the end of that second,
# never later than now (least() skips a NULL stamp). A message that arrives at once
# keeps its arrival order (against our own of the same second too); one that
# arrives late or beside others of the same contractor goes where the contractor
# wrote it.
_TRAVA = travando(
    select(Chamado.status).where(Chamado.id == bindparam("chamado_id", type_=BigInteger))
).cte("trava")
_VALORES: dict[str, ColumnElement[Any]] = {
    "chamado_id": bindparam("chamado_id", type_=BigInteger),
    "terceirizado_id": bindparam("terceirizado_id", type_=BigInteger),
    "direcao": literal(Direcao.inbound.value),
    "tipo": literal(TipoMensagem.recebida.value),
    "tipo_conteudo": bindparam("tipo_conteudo", type_=String),
    "texto": bindparam("texto", type_=Text),
    "caption": bindparam("caption", type_=Text),
    "conteudo": bindparam("conteudo", type_=JSONB),
    "destinatario": bindparam("destinatario", type_=String),
    "status_envio": literal(StatusEnvio.entregue.value),
    "megaapi_id": bindparam("megaapi_id", type_=String),
    "momento": func.least(bindparam("fim_do_carimbo", type_=DateTime(timezone=True)), func.now()),
    "citada_id": bindparam("citada_id", type_=BigInteger),
}
_UMA_LINHA = select(literal(1).label("um")).subquery("uma")
_NOVA = (
    insert(Mensagem)
    .from_select(
        list(_VALORES),
        select(*_VALORES.values()).select_from(_UMA_LINHA.outerjoin(_TRAVA, true())),
    )
    .on_conflict_do_nothing(index_elements=[Mensagem.megaapi_id])
    .returning(Mensagem.id, Mensagem.chamado_id)
    .cte("nova")
)
_ATIVIDADE = (
    update(Chamado)
    .where(Chamado.id == select(_NOVA.c.chamado_id).scalar_subquery())
    .values(ultima_atividade_em=bindparam("agora", type_=DateTime(timezone=True)))
    .cte("atividade")
)
_REGISTRAR = Compilada.de(
    select(_NOVA.c.id, select(_TRAVA.c.status).scalar_subquery().label("status")).add_cte(
        _ATIVIDADE
    )
)


async def registrar_recebida(
    session: AsyncSession, whatsapp: WhatsAppService, recebida: webhook.Recebida
) -> ResultadoRecebida:
    """Store a contractor's message where it belongs (gmm/recebimento/roteamento.py), once."""
    remetente = recebida.remetente
    # The contractor's routing row first, then the chamado's: the one lock order.
    quem = await roteador.identificar_e_travar(session, remetente.telefones, remetente.jids)
    terceirizado, roteamento = quem if quem is not None else (None, None)
    rota = await roteador.rotear(session, recebida, terceirizado, roteamento)
    carimbo = recebida.recebida_em
    conteudo = recebida.conteudo
    gravada = await _REGISTRAR.linha(
        session,
        chamado_id=rota.chamado_id,
        terceirizado_id=terceirizado.id if terceirizado is not None else None,
        tipo_conteudo=recebida.tipo_conteudo.value,
        texto=recebida.texto,
        caption=recebida.caption,
        conteudo=None if conteudo is None else json.dumps(conteudo.armazenar()),
        # The contractor's number even when the event named them by an @lid only:
        # what the conversation's state and the operators know them by.
        destinatario=terceirizado.telefone if terceirizado else recebida.telefone,
        megaapi_id=recebida.megaapi_id,
        fim_do_carimbo=None if carimbo is None else carimbo + FIM_DO_SEGUNDO,
        citada_id=rota.citada_id,
        agora=utcnow(),
    )
    if gravada is None:
        return ResultadoRecebida(None, rota)
    mensagem_id: int = gravada["id"]
    status = None if gravada["status"] is None else StatusChamado(gravada["status"])
    if rota.motivo == "escolha":
        assert rota.chamado_id is not None
        janela = timedelta(minutes=whatsapp.settings.roteamento_escolha_minutos)
        chamado = await chamados.obter(session, rota.chamado_id)
        await roteador.escolher(session, chamado, mensagem_id, janela)
    elif rota.motivo == "a_classificar":
        assert terceirizado is not None and roteamento is not None
        await roteador.perguntar(session, whatsapp, terceirizado, roteamento)
    return ResultadoRecebida(mensagem_id, rota, status)


async def tratar(
    session: AsyncSession, redis: Redis, whatsapp: WhatsAppService, evento: webhook.Evento
) -> Resultado:
    if isinstance(evento, webhook.Recebida):
        resultado = await registrar_recebida(session, whatsapp, evento)
        mensagem_id, rota = resultado.mensagem_id, resultado.rota
        if mensagem_id is None:
            return "duplicada"
        publicar_apos_commit(
            session,
            MensagemNova(
                mensagem_id=mensagem_id,
                chamado_id=rota.chamado_id,
                direcao=Direcao.inbound,
                status_envio=StatusEnvio.entregue,
                erro=None,
            ),
        )
        if isinstance(evento.conteudo, ConteudoMidia):
            after_commit(session, lambda: whatsapp.fila.baixar_midia(mensagem_id))
        # Only the first delivery of a message gets here, so a redelivered webhook
        # never answers or moves a chamado twice.
        if rota.chamado_id is not None and resultado.status_chamado not in (
            None,
            *chamados.FINALIZADOS,
        ):
            chegada = automacao.Chegada(
                mensagem_id, rota.chamado_id, evento.tipo_conteudo, evento.texto, rota.em_espera
            )
            await automacao.processar_recebida(session, whatsapp, chegada)
        return "registrada"
    if isinstance(evento, webhook.Reacao | webhook.Edicao | webhook.Apagada):
        return await alteracoes.registrar(session, whatsapp, evento)
    if isinstance(evento, webhook.Ack):
        # Receipts that move something go in batches (gmm.recebimento.confirmacoes).
        assert evento.status is None
        return "ack_sem_efeito"
    if isinstance(evento, webhook.Conexao):
        await registrar_conexao(redis, evento)
        await publicar(redis, ConexaoEvento(estado=evento.estado, motivo=evento.motivo))
        return "conexao"
    log.info("webhook ignorado: %s", evento.motivo)
    return "ignorado"


def resultado_do_recibo(aplicado: ticks.Aplicado) -> Resultado:
    if aplicado.movida is not None:
        return "ack_aplicado"
    return "ack_pendente" if aplicado.guardado else "ack_sem_efeito"


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
