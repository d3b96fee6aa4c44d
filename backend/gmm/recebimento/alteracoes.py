"""A contractor's reactions, edits and deletes of messages already in a conversation.

Each is applied once (alteracoes_mensagem is keyed by the event's own id) and only to
a message of the sender's own conversation: a reaction to any of its messages, an
edit or a delete to one the sender wrote. Events may arrive out of order: the latest
reaction and the latest edit (by WhatsApp's stamp) are what the chat shows, and a
delete wins over any edit. Nothing is ever lost: the first text stays in
``texto_original``, every version in alteracoes_mensagem, and a deleted message keeps
its text for the operators.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao import service as automacao
from gmm.chamados import service as chamados
from gmm.chamados.models import Chamado, OrigemHistorico
from gmm.chamados.trava import travar
from gmm.conversas.eventos import MensagemAlterada
from gmm.conversas.models import AlteracaoMensagem, Direcao, Mensagem, TipoAlteracao
from gmm.core.db import utcnow
from gmm.core.eventos import publicar_apos_commit
from gmm.envio.service import WhatsAppService
from gmm.recebimento import leitura as webhook
from gmm.terceirizados import identidades

log = logging.getLogger(__name__)

Resultado = Literal["alteracao", "alteracao_duplicada", "ignorado"]


def _trecho(texto: str | None) -> str:
    texto = " ".join((texto or "").split())
    return texto if len(texto) <= 80 else texto[:79] + "…"


async def _alvo(
    session: AsyncSession, evento: webhook.Alteracao
) -> tuple[Mensagem, Chamado | None] | None:
    """The message the event is about, when it is the sender's to change."""
    linha = (
        await session.execute(
            select(Mensagem.id, Mensagem.chamado_id, Chamado.terceirizado_id)
            .outerjoin(Chamado, Chamado.id == Mensagem.chamado_id)
            .where(Mensagem.megaapi_id == evento.alvo_id)
        )
    ).first()
    if linha is None:
        return None
    if linha.chamado_id is not None:
        # The chamado's lock before any of its rows: the one lock order.
        await travar(session, linha.chamado_id)
    mensagem = await session.get(Mensagem, linha.id, with_for_update=True)
    assert mensagem is not None
    chamado = await session.get(Chamado, linha.chamado_id) if linha.chamado_id else None
    dono = linha.terceirizado_id or mensagem.terceirizado_id
    remetente = evento.remetente
    quem = await identidades.resolver(session, remetente.telefones, remetente.jids)
    if quem is not None and quem != dono:
        return None
    if quem is None and (dono is not None or mensagem.destinatario != remetente.endereco):
        return None
    if not isinstance(evento, webhook.Reacao) and mensagem.direcao != Direcao.inbound:
        return None  # only the author edits or deletes, and this one is ours
    return mensagem, chamado


async def registrar(
    session: AsyncSession, whatsapp: WhatsAppService, evento: webhook.Alteracao
) -> Resultado:
    encontrado = await _alvo(session, evento)
    if encontrado is None:
        log.info("alteração sobre mensagem desconhecida ou de outra conversa: ignorada")
        return "ignorado"
    mensagem, chamado = encontrado
    quando = evento.quando or utcnow()
    tipo, valor = TipoAlteracao.apagada, None
    if isinstance(evento, webhook.Reacao):
        tipo, valor = TipoAlteracao.reacao, evento.emoji
    elif isinstance(evento, webhook.Edicao):
        tipo, valor = TipoAlteracao.edicao, evento.texto
    anterior = mensagem.reacao if tipo == TipoAlteracao.reacao else mensagem.texto
    novo = await session.scalar(
        insert(AlteracaoMensagem)
        .values(
            megaapi_id=evento.megaapi_id,
            mensagem_id=mensagem.id,
            tipo=tipo,
            valor=valor,
            anterior=anterior,
            momento=quando,
        )
        .on_conflict_do_nothing(index_elements=[AlteracaoMensagem.megaapi_id])
        .returning(AlteracaoMensagem.megaapi_id)
    )
    if novo is None:
        return "alteracao_duplicada"
    if isinstance(evento, webhook.Reacao):
        await _reagir(session, whatsapp, mensagem, chamado, evento.emoji, quando)
    elif isinstance(evento, webhook.Edicao):
        await _editar(session, mensagem, chamado, evento.texto, quando)
    else:
        await _apagar(session, mensagem, chamado, quando)
    publicar_apos_commit(session, MensagemAlterada.de(mensagem))
    return "alteracao"


async def _reagir(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    mensagem: Mensagem,
    chamado: Chamado | None,
    emoji: str,
    quando: datetime,
) -> None:
    if mensagem.reagida_em is not None and quando < mensagem.reagida_em:
        return  # an older reaction arriving late
    mensagem.reacao = emoji or None
    mensagem.reagida_em = quando
    if emoji and chamado is not None and mensagem.direcao == Direcao.outbound:
        await automacao.processar_reacao(session, whatsapp, chamado, mensagem, emoji)


async def _editar(
    session: AsyncSession,
    mensagem: Mensagem,
    chamado: Chamado | None,
    texto: str,
    quando: datetime,
) -> None:
    if mensagem.apagada_em is not None:
        return
    if mensagem.editada_em is not None and quando < mensagem.editada_em:
        return  # an older version arriving late: kept in alteracoes_mensagem only
    if mensagem.texto_original is None:
        mensagem.texto_original = mensagem.texto
    antes, mensagem.texto = mensagem.texto, texto
    mensagem.editada_em = quando
    if chamado is not None:
        await chamados.registrar_historico(
            session,
            chamado,
            OrigemHistorico.terceirizado,
            f"o terceirizado editou uma mensagem: “{_trecho(antes)}” → “{_trecho(texto)}”",
            mensagem_id=mensagem.id,
        )


async def _apagar(
    session: AsyncSession, mensagem: Mensagem, chamado: Chamado | None, quando: datetime
) -> None:
    if mensagem.apagada_em is not None:
        return
    mensagem.apagada_em = quando
    if chamado is not None:
        await chamados.registrar_historico(
            session,
            chamado,
            OrigemHistorico.terceirizado,
            f"o terceirizado apagou uma mensagem: “{_trecho(mensagem.texto)}”",
            mensagem_id=mensagem.id,
        )
