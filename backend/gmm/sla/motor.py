"""The follow-up ladder: a chamado that chases itself, driven by its messages' ticks.

Every minute the worker looks at each open chamado whose ladder is not paused:
- the message the contractor has not answered (our last one after their last one,
  not counting the ladder's own): sent but not delivered for a while → the operator
  is told to call; delivered and not read → a short nudge; read and unanswered →
  buttons "Confirmo" / "Preciso de mais prazo" / "Não posso atender";
- the deadline: a reminder a business day and two business hours before it, and past
  it an escalation (priority up, the operators and the supervisor told).

Each step goes out at most once per waiting period, even with several workers: the
row in cobrancas_automaticas is inserted first (ON CONFLICT DO NOTHING) and only the
transaction whose insert landed takes the step. A reply from the contractor ends the
period (the ladder starts over on our next message); an operator's message starts a
new one. Nothing goes to a contractor outside business hours: a step due at night is
taken at the next opening.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.automacao import textos as textos_automacao
from gmm.chamados import service as chamados
from gmm.chamados.eventos import ChamadoAtualizado, Notificacao
from gmm.chamados.models import ABERTOS, Chamado, OrigemHistorico, Prioridade, StatusChamado
from gmm.conversas.conteudo import Acao
from gmm.conversas.models import TipoMensagem
from gmm.core import email, modelos
from gmm.core.db import after_commit, session_scope
from gmm.core.dependencias import dependencia_fora
from gmm.core.eventos import publicar_apos_commit
from gmm.envio.schemas import BotaoIn, BotoesIn
from gmm.envio.service import WhatsAppService
from gmm.sla.models import CobrancaAutomatica, Etapa
from gmm.sla.service import (
    DESCRICAO,
    Aguardada,
    Configuracao,
    aguardada,
    atualizar_prazos,
    carregar,
    envia_ao_terceirizado,
    etapa_do_tique,
    prazos,
    referencia_do_atraso,
    referencia_do_prazo,
    ultima_nossa,
)

log = logging.getLogger(__name__)

# The buttons of "sem resposta"; their taps are handled with the other ready-made
# questions (gmm.automacao.acoes). WhatsApp cuts a button's title at 20 characters:
# "Preciso de mais prazo" would not fit.
BOTOES_COBRANCA = [
    ("cobranca:confirmo", "Confirmo"),
    ("cobranca:mais_prazo", "Preciso mais prazo"),
    ("cobranca:nao_posso", "Não posso atender"),
]

_ACIMA: dict[Prioridade, Prioridade] = {
    Prioridade.baixa: Prioridade.normal,
    Prioridade.normal: Prioridade.alta,
    Prioridade.alta: Prioridade.urgente,
    Prioridade.urgente: Prioridade.urgente,
}


@dataclass(frozen=True)
class Passo:
    etapa: Etapa
    referencia: int


def passos_devidos(
    chamado: Chamado, mensagem: Aguardada | None, config: Configuracao, agora: datetime
) -> list[Passo]:
    """The steps due now for this chamado, most urgent first (pure: the tests' heart)."""
    cal = config.calendario
    etapas = config.etapas
    devidos: list[Passo] = []

    def passou(etapa: Etapa, desde: datetime | None) -> bool:
        config_etapa = etapas[etapa]
        return (
            config_etapa.ativa
            and desde is not None
            and cal.entre(desde, agora) >= config_etapa.minutos
        )

    prazo = prazos(chamado, config).concluir
    # Once the contractor says it is done, the deadline is the operator's to close.
    if chamado.status != StatusChamado.aguardando_confirmacao:
        referencia = referencia_do_prazo(prazo)
        atrasado = etapas[Etapa.atrasado]
        if atrasado.ativa and agora >= cal.somar(prazo, atrasado.minutos) and agora >= prazo:
            devidos.append(Passo(Etapa.atrasado, referencia_do_atraso(chamado)))
        else:
            for etapa in (Etapa.prazo_2h, Etapa.prazo_1dia):
                config_etapa = etapas[etapa]
                if (
                    config_etapa.ativa
                    and cal.subtrair(prazo, config_etapa.minutos) <= agora < prazo
                ):
                    devidos.append(Passo(etapa, referencia))
    if mensagem is not None:
        do_tique, desde = etapa_do_tique(mensagem)
        if do_tique is not None and passou(do_tique, desde):
            devidos.append(Passo(do_tique, mensagem.id))
    return devidos


async def _tomar(session: AsyncSession, chamado_id: int, passo: Passo) -> bool:
    """Claim the step: True only for the one transaction whose row landed."""
    inserido = await session.scalar(
        insert(CobrancaAutomatica)
        .values(chamado_id=chamado_id, etapa=passo.etapa, referencia=passo.referencia)
        .on_conflict_do_nothing()
        .returning(CobrancaAutomatica.id)
    )
    return inserido is not None


def _texto(modelo: str, chamado: Chamado, prazo: datetime, fuso: ZoneInfo) -> str:
    valores = {
        "terceirizado": chamado.terceirizado.nome.split()[0],
        "chamado": chamado.numero_chamado,
        "titulo": chamado.titulo,
        "prazo": textos_automacao.data_hora(prazo, fuso),
    }
    return modelos.preencher(modelo, valores)


def _avisar_supervisor(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    chamado: Chamado,
    descricao: str,
    para: str,
    fuso: ZoneInfo,
) -> None:
    """The overdue escalation by e-mail, once the step is committed (never inside the
    transaction: an SMTP server may take seconds, and a rollback must send nothing)."""
    prazo = chamado.prazo
    quando = textos_automacao.data_hora(prazo, fuso) if prazo else "—"
    assunto = f"[GMM] Chamado {chamado.numero_chamado} com prazo vencido"
    corpo = (
        f"O chamado {chamado.numero_chamado} ({chamado.titulo}) passou do prazo de {quando}.\n"
        f"Terceirizado: {chamado.terceirizado.nome}.\n{descricao[:1].upper()}{descricao[1:]}."
    )
    settings = whatsapp.settings
    after_commit(session, lambda: email.enviar(settings, para, assunto, corpo))


async def avaliar_chamado(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    chamado_id: int,
    config: Configuracao,
    agora: datetime,
) -> list[Etapa]:
    """Take what is due for one chamado, under its lock; answers the steps taken."""
    chamado = await chamados.obter(session, chamado_id, bloquear=True)
    if chamado.status not in ABERTOS or chamado.cobranca_pausada:
        return []
    mensagem = await aguardada(session, chamado_id)
    dentro = config.calendario.no_expediente(agora)
    fuso = ZoneInfo(config.calendario.expediente.fuso)
    prazo = prazos(chamado, config).concluir
    tomados: list[Etapa] = []
    for passo in passos_devidos(chamado, mensagem, config, agora):
        ao_terceirizado = envia_ao_terceirizado(config.etapas[passo.etapa])
        if ao_terceirizado and not dentro:
            continue  # waits for the next business hours
        if not await _tomar(session, chamado.id, passo):
            continue
        if passo.etapa == Etapa.prazo_2h:
            # The day-before reminder would come after this one otherwise.
            await _tomar(session, chamado.id, Passo(Etapa.prazo_1dia, passo.referencia))
        texto = config.etapas[passo.etapa].texto
        enviada: int | None = None
        if ao_terceirizado and texto is not None:
            corpo = _texto(texto, chamado, prazo, fuso)
            if passo.etapa == Etapa.sem_resposta:
                pergunta = BotoesIn(
                    texto=corpo,
                    rodape=textos_automacao.RODAPE,
                    botoes=[BotaoIn(id=i, titulo=t) for i, t in BOTOES_COBRANCA],
                )
                conteudo = pergunta.conteudo().model_copy(update={"acao": Acao(tipo="cobranca")})
                envio = await whatsapp.enviar_botoes(
                    chamado, pergunta.texto, conteudo, tipo=TipoMensagem.cobranca_automatica
                )
            else:
                envio = await whatsapp.enviar_mensagem(
                    chamado, TipoMensagem.cobranca_automatica, corpo
                )
            enviada = envio.mensagem.id
            await session.execute(
                update(CobrancaAutomatica)
                .where(
                    CobrancaAutomatica.chamado_id == chamado.id,
                    CobrancaAutomatica.etapa == passo.etapa,
                    CobrancaAutomatica.referencia == passo.referencia,
                )
                .values(mensagem_id=enviada)
            )
        descricao = DESCRICAO[passo.etapa]
        if passo.etapa == Etapa.atrasado and chamado.prioridade != Prioridade.urgente:
            chamado.prioridade = _ACIMA[chamado.prioridade]
            descricao = f"prazo vencido: prioridade elevada para {chamado.prioridade.value}"
        elif passo.etapa == Etapa.atrasado:
            descricao = "prazo vencido"
        await chamados.registrar_historico(
            session, chamado, OrigemHistorico.automacao, descricao, mensagem_id=enviada
        )
        if not ao_terceirizado:
            publicar_apos_commit(session, Notificacao.de(chamado, descricao))
        if passo.etapa == Etapa.atrasado and config.email_supervisor:
            _avisar_supervisor(session, whatsapp, chamado, descricao, config.email_supervisor, fuso)
        publicar_apos_commit(session, ChamadoAtualizado.de(chamado))
        tomados.append(passo.etapa)
    return tomados


WhatsAppServiceFactory = Callable[[AsyncSession], WhatsAppService]


async def _candidatos(session: AsyncSession, config: Configuracao, agora: datetime) -> list[int]:
    """The open chamados with a step due and not yet taken, read in two statements
    without locks: the steps themselves are decided again under each one's lock."""
    nossa = ultima_nossa(Chamado.id).correlate(Chamado).lateral()
    linhas = await session.execute(
        select(Chamado, *nossa.c)
        .outerjoin(nossa, true())
        .where(Chamado.status.in_(ABERTOS), Chamado.cobranca_pausada.is_(False))
        .order_by(Chamado.id)
    )
    devidos: dict[int, list[Passo]] = {}
    for chamado, mensagem_id, status, enviado, entregue, lido in linhas:
        mensagem = (
            None if mensagem_id is None else Aguardada(mensagem_id, status, enviado, entregue, lido)
        )
        passos = passos_devidos(chamado, mensagem, config, agora)
        if passos:
            devidos[chamado.id] = passos
    if not devidos:
        return []
    tomados = {
        (chamado_id, etapa, referencia)
        for chamado_id, etapa, referencia in (
            await session.execute(
                select(
                    CobrancaAutomatica.chamado_id,
                    CobrancaAutomatica.etapa,
                    CobrancaAutomatica.referencia,
                ).where(CobrancaAutomatica.chamado_id.in_(devidos))
            )
        )
    }
    return [
        chamado_id
        for chamado_id, passos in devidos.items()
        if any((chamado_id, p.etapa, p.referencia) not in tomados for p in passos)
    ]


async def avaliar(
    sessionmaker: async_sessionmaker[AsyncSession],
    novo_whatsapp: WhatsAppServiceFactory,
    agora: datetime,
) -> int:
    """One round over the open chamados; answers how many steps were taken."""
    async with session_scope(sessionmaker) as session:
        config = await carregar(session)
        await atualizar_prazos(session, config)
    async with session_scope(sessionmaker) as session:
        candidatos = await _candidatos(session, config, agora)
    total = 0
    for chamado_id in candidatos:
        # One transaction per chamado: a failure on one leaves the others' steps.
        try:
            async with session_scope(sessionmaker) as session:
                tomados = await avaliar_chamado(
                    session, novo_whatsapp(session), chamado_id, config, agora
                )
            total += len(tomados)
        except Exception as exc:
            if dependencia_fora(exc) is not None:
                raise  # an outage pauses the worker (resistente), not one chamado
            log.exception("cobrança automática do chamado %s falhou", chamado_id)
    return total
