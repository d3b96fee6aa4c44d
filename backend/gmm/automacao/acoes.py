"""Ready-made actions: questions sent as reply buttons whose answers move the chamado.

An action's buttons carry ids like ``orcamento:aprovar``. MegaAPI's reply buttons
carry only a title, so the tap that comes back is matched to the question it
answers by the quoted message id when WhatsApp sends it, else by the button's id
or title among the chamado's recent questions. A question is answered once: later
taps on it are recorded and ignored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao import estados, textos
from gmm.automacao.models import Aguardando
from gmm.chamados import service as chamados
from gmm.chamados.eventos import ChamadoAtualizado, Notificacao
from gmm.chamados.models import Chamado, OrigemHistorico, StatusChamado
from gmm.conversas.conteudo import (
    Acao,
    ConteudoBotoes,
    ConteudoLista,
    ConteudoResposta,
    Pergunta,
    Respondida,
    Resposta,
)
from gmm.conversas.models import Direcao, Mensagem, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.core.errors import DomainError
from gmm.core.eventos import publicar_apos_commit
from gmm.envio.schemas import BotaoIn, BotoesIn
from gmm.envio.service import ResultadoEnvio, WhatsAppService

# How far back a tap without a quoted id looks for the question it answers.
PERGUNTAS_RECENTES = 20


class VisitaNoPassado(DomainError):
    status_code = 422
    error = "data_invalida"


def _validade(settings: Settings) -> timedelta:
    return timedelta(hours=settings.estado_conversa_validade_horas)


async def _perguntar(
    whatsapp: WhatsAppService,
    chamado: Chamado,
    texto: str,
    botoes: list[tuple[str, str]],
    acao: Acao,
) -> ResultadoEnvio:
    pergunta = BotoesIn(
        texto=texto,
        rodape=textos.RODAPE,
        botoes=[BotaoIn(id=botao_id, titulo=titulo) for botao_id, titulo in botoes],
    )
    conteudo = pergunta.conteudo().model_copy(update={"acao": acao})
    return await whatsapp.enviar_botoes(chamado, pergunta.texto, conteudo)


# -- what operators send -----------------------------------------------------------------


async def solicitar_orcamento(
    session: AsyncSession, whatsapp: WhatsAppService, chamado_id: int
) -> tuple[Chamado, ResultadoEnvio]:
    """Ask the contractor for a quote; their next bare amount is taken as the answer."""
    chamado = await chamados.obter_aberto(session, chamado_id)
    resultado = await whatsapp.enviar_mensagem(
        chamado, TipoMensagem.resposta_manual, textos.solicitar_orcamento(chamado)
    )
    await estados.aguardar(
        session, chamado, Aguardando.valor_orcamento, _validade(whatsapp.settings)
    )
    return chamado, resultado


async def orcamento(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    chamado_id: int,
    valor: Decimal,
    observacao: str | None,
) -> tuple[Chamado, ResultadoEnvio]:
    chamado = await chamados.obter_aberto(session, chamado_id)
    resultado = await _perguntar(
        whatsapp,
        chamado,
        textos.orcamento(chamado, valor, observacao),
        [("orcamento:aprovar", "Aprovar"), ("orcamento:rejeitar", "Rejeitar")],
        Acao(tipo="orcamento", valor=str(valor)),
    )
    return chamado, resultado


async def confirmar_visita(
    session: AsyncSession, whatsapp: WhatsAppService, chamado_id: int, momento: datetime
) -> tuple[Chamado, ResultadoEnvio]:
    if momento <= utcnow():
        raise VisitaNoPassado("a data da visita precisa estar no futuro")
    chamado = await chamados.obter_aberto(session, chamado_id)
    fuso = ZoneInfo(whatsapp.settings.timezone)
    resultado = await _perguntar(
        whatsapp,
        chamado,
        textos.confirmar_visita(chamado, momento, fuso),
        [("visita:confirmar", "Confirmo"), ("visita:remarcar", "Remarcar")],
        Acao(tipo="visita", data_hora=momento.isoformat()),
    )
    return chamado, resultado


async def perguntar_conclusao(
    session: AsyncSession, whatsapp: WhatsAppService, chamado_id: int
) -> tuple[Chamado, ResultadoEnvio]:
    chamado = await chamados.obter_aberto(session, chamado_id)
    resultado = await _perguntar(
        whatsapp,
        chamado,
        textos.concluido(chamado),
        [("conclusao:sim", "Sim"), ("conclusao:nao", "Ainda não")],
        Acao(tipo="conclusao"),
    )
    return chamado, resultado


# -- what contractors tap ----------------------------------------------------------------


@dataclass(frozen=True)
class Toque:
    """A tapped button or list row, matched to the question it answers; or a reaction
    an automation rule counts as tapping one (``reacao``, and no message of its own)."""

    resposta: Mensagem | None  # the contractor's inbound message (None: a reaction)
    pergunta: Mensagem  # our outbound buttons/list message
    opcao_id: str  # our id of the option tapped
    reacao: str | None = None

    @property
    def mensagem_id(self) -> int:
        """The message the chamado's history points at: the tap, or the question reacted to."""
        return self.resposta.id if self.resposta is not None else self.pergunta.id

    @property
    def titulo(self) -> str:
        """What the contractor did, in their words: the option's title or the emoji."""
        if self.reacao is not None:
            return self.reacao
        conteudo = self.resposta.conteudo if self.resposta is not None else None
        assert isinstance(conteudo, ConteudoResposta), "um toque é uma resposta"
        return conteudo.resposta.titulo

    @property
    def conteudo_pergunta(self) -> Pergunta:
        conteudo = self.pergunta.conteudo
        assert isinstance(conteudo, ConteudoBotoes | ConteudoLista), "um toque responde a opções"
        return conteudo

    @property
    def acao(self) -> Acao:
        acao = self.conteudo_pergunta.acao
        assert acao is not None, "só as perguntas prontas têm efeito"
        return acao


def _opcao(pergunta: Mensagem, resposta: Resposta) -> str | None:
    conteudo = pergunta.conteudo
    if not isinstance(conteudo, ConteudoBotoes | ConteudoLista):
        return None
    opcoes = conteudo.opcoes()
    for opcao in opcoes:
        if opcao.id == resposta.id:
            return opcao.id
    titulo = textos.normalizar(resposta.titulo)
    for opcao in opcoes:
        if textos.normalizar(opcao.titulo) == titulo:
            return opcao.id
    return None


async def identificar(session: AsyncSession, resposta: Mensagem) -> Toque | None:
    """The question a tap answers, or None when it matches none of the chamado's."""
    if not isinstance(resposta.conteudo, ConteudoResposta):
        return None
    dados = resposta.conteudo.resposta
    perguntas = (
        select(Mensagem)
        .where(
            Mensagem.chamado_id == resposta.chamado_id,
            Mensagem.direcao == Direcao.outbound,
            Mensagem.tipo_conteudo == TipoConteudo.interactive,
        )
        .order_by(Mensagem.id.desc())
    )
    citada = dados.em_resposta_a
    if citada:
        pergunta = await session.scalar(perguntas.where(Mensagem.megaapi_id == citada))
        if pergunta is not None:
            opcao = _opcao(pergunta, dados)
            return Toque(resposta, pergunta, opcao) if opcao else None
    for pergunta in await session.scalars(perguntas.limit(PERGUNTAS_RECENTES)):
        opcao = _opcao(pergunta, dados)
        if opcao is not None:
            return Toque(resposta, pergunta, opcao)
    return None


Efeito = Callable[[AsyncSession, WhatsAppService, Chamado, Toque], Awaitable[str]]


async def _anotar(session: AsyncSession, chamado: Chamado, toque: Toque, descricao: str) -> None:
    """The chamado's history line for what this tap did."""
    await chamados.registrar_historico(
        session, chamado, OrigemHistorico.terceirizado, descricao, mensagem_id=toque.mensagem_id
    )


async def _perguntar_de_novo(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    chamado: Chamado,
    aguardando: Aguardando,
    texto: str,
) -> None:
    """Ask the contractor in words and wait for the answer (a counter-offer, a new date)."""
    await estados.aguardar(session, chamado, aguardando, _validade(whatsapp.settings))
    await whatsapp.enviar_mensagem(chamado, TipoMensagem.automatica, texto)


async def _mover(
    session: AsyncSession,
    chamado: Chamado,
    toque: Toque,
    novo: StatusChamado,
    descricao: str,
) -> str:
    if chamado.status == novo:
        await _anotar(session, chamado, toque, descricao)
        return descricao
    try:
        await chamados.transicionar(
            session,
            chamado,
            novo,
            origem=OrigemHistorico.terceirizado,
            descricao=descricao,
            mensagem_id=toque.mensagem_id,
        )
    except chamados.TransicaoInvalida as exc:
        descricao = f"{descricao} (sem efeito: {exc.detail})"
        await _anotar(session, chamado, toque, descricao)
    return descricao


def _valor(toque: Toque) -> Decimal:
    return Decimal(str(toque.acao.valor))


async def _aprovar_orcamento(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, toque: Toque
) -> str:
    valor = _valor(toque)
    chamado.valor_orcamento = valor
    descricao = await _mover(
        session,
        chamado,
        toque,
        StatusChamado.em_andamento,
        f"orçamento de {textos.reais(valor)} aprovado pelo terceirizado",
    )
    await whatsapp.enviar_mensagem(
        chamado,
        TipoMensagem.automatica,
        textos.APROVADO.format(valor=textos.reais(valor), numero=chamado.numero_chamado),
    )
    return descricao


async def _rejeitar_orcamento(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, toque: Toque
) -> str:
    descricao = f"orçamento de {textos.reais(_valor(toque))} rejeitado pelo terceirizado"
    await _anotar(session, chamado, toque, descricao)
    await _perguntar_de_novo(
        session,
        whatsapp,
        chamado,
        Aguardando.valor_orcamento,
        textos.PEDIR_CONTRAPROPOSTA.format(numero=chamado.numero_chamado),
    )
    return descricao


async def _confirmar_visita(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, toque: Toque
) -> str:
    momento = datetime.fromisoformat(str(toque.acao.data_hora))
    chamado.visita_em = momento
    fuso = ZoneInfo(whatsapp.settings.timezone)
    descricao = f"visita de {textos.data_hora(momento, fuso)} confirmada pelo terceirizado"
    await _anotar(session, chamado, toque, descricao)
    return descricao


async def _remarcar_visita(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, toque: Toque
) -> str:
    descricao = "o terceirizado pediu para remarcar a visita"
    await _anotar(session, chamado, toque, descricao)
    await _perguntar_de_novo(
        session,
        whatsapp,
        chamado,
        Aguardando.nova_data_visita,
        textos.PEDIR_NOVA_DATA.format(numero=chamado.numero_chamado),
    )
    return descricao


async def _concluido(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, toque: Toque
) -> str:
    # Every effect takes the send door (Efeito); moving the status needs none.
    del whatsapp
    return await _mover(
        session,
        chamado,
        toque,
        StatusChamado.aguardando_confirmacao,
        "o terceirizado informou que o serviço foi concluído: confirme para finalizar",
    )


async def _nao_concluido(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, toque: Toque
) -> str:
    # Every effect takes the send door (Efeito); moving the status needs none.
    del whatsapp
    return await _mover(
        session,
        chamado,
        toque,
        StatusChamado.em_andamento,
        "o terceirizado informou que o serviço ainda não foi concluído",
    )


async def _cobranca_confirmada(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, toque: Toque
) -> str:
    # Answering is what stops the follow-up ladder: nothing else to move.
    del whatsapp
    descricao = "o terceirizado confirmou o atendimento"
    await _anotar(session, chamado, toque, descricao)
    return descricao


async def _pediu_prazo(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, toque: Toque
) -> str:
    descricao = "o terceirizado pediu mais prazo"
    await _anotar(session, chamado, toque, descricao)
    await _perguntar_de_novo(
        session,
        whatsapp,
        chamado,
        Aguardando.novo_prazo,
        textos.PEDIR_NOVO_PRAZO.format(numero=chamado.numero_chamado),
    )
    return descricao


async def _nao_pode_atender(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, toque: Toque
) -> str:
    # Chasing someone who said no helps nobody: the ladder stops, the chamado is
    # marked for another contractor and the operators are told.
    del whatsapp
    chamado.reatribuir = True
    chamado.cobranca_pausada = True
    descricao = "o terceirizado não pode atender: escolha outro terceirizado"
    await _anotar(session, chamado, toque, descricao)
    publicar_apos_commit(session, ChamadoAtualizado.de(chamado))
    return descricao


# Button id → what it does to the chamado.
EFEITOS: dict[str, Efeito] = {
    "orcamento:aprovar": _aprovar_orcamento,
    "orcamento:rejeitar": _rejeitar_orcamento,
    "visita:confirmar": _confirmar_visita,
    "visita:remarcar": _remarcar_visita,
    "conclusao:sim": _concluido,
    "conclusao:nao": _nao_concluido,
    # The follow-up ladder's "read and unanswered" buttons (gmm.sla.motor).
    "cobranca:confirmo": _cobranca_confirmada,
    "cobranca:mais_prazo": _pediu_prazo,
    "cobranca:nao_posso": _nao_pode_atender,
}


async def aplicar_toque(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, toque: Toque
) -> None:
    """Record which option was tapped and, the first time, do what it means."""
    pergunta = toque.conteudo_pergunta
    if toque.resposta is not None and isinstance(toque.resposta.conteudo, ConteudoResposta):
        resposta = toque.resposta.conteudo
        toque.resposta.conteudo = resposta.model_copy(
            update={
                "resposta": resposta.resposta.model_copy(
                    update={"opcao_id": toque.opcao_id, "pergunta_id": toque.pergunta.id}
                )
            }
        )
    titulo = toque.titulo
    if pergunta.respondida is not None:
        await _anotar(
            session,
            chamado,
            toque,
            f"“{titulo}” tocado de novo numa pergunta já respondida: ignorado",
        )
        return
    respondida = Respondida(
        opcao_id=toque.opcao_id, mensagem_id=toque.mensagem_id, reacao=toque.reacao
    )
    toque.pergunta.conteudo = pergunta.model_copy(update={"respondida": respondida})
    efeito = EFEITOS.get(toque.opcao_id)
    if efeito is None:
        descricao = f"o terceirizado respondeu “{titulo}”"
        await _anotar(session, chamado, toque, descricao)
    else:
        descricao = await efeito(session, whatsapp, chamado, toque)
    publicar_apos_commit(session, Notificacao.de(chamado, descricao))
