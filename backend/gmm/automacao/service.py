"""What happens on its own when a contractor writes: taps, awaited answers and rules.

Runs in the webhook's transaction, right after the message is stored (only the first
time: a redelivered webhook stores nothing and triggers nothing). Order: a tapped
button answers its question; else a reply the conversation was waiting for (a bare
amount after a quote request) is taken as that; else the automation rules run.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from dataclasses import dataclass
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import re2
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao import acoes, estados, textos
from gmm.automacao.models import AcaoRegra, Aguardando, EstadoConversa, RegraAutomacao, TipoPadrao
from gmm.automacao.schemas import RegraIn, RegraUpdate
from gmm.chamados import service as chamados
from gmm.chamados.eventos import ChamadoAtualizado, Notificacao
from gmm.chamados.models import Chamado, OrigemHistorico, Prioridade, StatusChamado
from gmm.conversas.conteudo import ConteudoBotoes, ConteudoLista
from gmm.conversas.models import Mensagem, TipoConteudo, TipoMensagem
from gmm.core.db import Compilada, utcnow
from gmm.core.errors import DomainError, NotFound
from gmm.core.eventos import publicar_apos_commit
from gmm.envio.service import WhatsAppService

log = logging.getLogger(__name__)

# Rules run on RE2 (google-re2): time linear in the text whatever the pattern, so
# `(a+)+$` cannot backtrack for seconds. Patterns RE2 cannot guarantee that for
# (backreferences, lookarounds) are refused when the rule is saved.
# All of one message's rules together get this long; rules left when it runs out are
# skipped for that message (and logged). They run in a worker thread (RE2 releases
# the GIL while matching), never on the event loop, so other requests go on meanwhile.
ORCAMENTO_REGRAS_S = 0.2

# Nothing to stderr on a bad pattern (the error is answered to the admin instead);
# case-insensitive as the texts and patterns are compared after normalizar().
_OPCOES = re2.Options()
_OPCOES.log_errors = False
_OPCOES.case_sensitive = False
# A keyword stands alone: "ok" must not fire on "tokens" (RE2 has no lookbehind, so
# the neighbouring non-word character, or the text's edge, is matched instead).
_NAO_PALAVRA = r"[^\p{L}\p{N}_]"


class _Padrao(Protocol):
    def search(self, texto: str) -> object | None: ...


class RegraInvalida(DomainError):
    status_code = 422
    error = "regra_invalida"


# -- matching ----------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _compilar(tipo: TipoPadrao, padrao: str) -> _Padrao:
    """The rule's pattern compiled (cached: every message runs every active rule)."""
    normalizado = textos.normalizar(padrao)
    if tipo == TipoPadrao.palavra_chave:
        normalizado = f"(?:^|{_NAO_PALAVRA}){re2.escape(normalizado)}(?:{_NAO_PALAVRA}|$)"
    padrao_compilado: _Padrao = re2.compile(normalizado, _OPCOES)
    return padrao_compilado


# RE2's reasons ("missing ): (abc"), in the operators' words; the part after the colon
# is the piece of the pattern at fault.
_MOTIVOS_RE2 = {
    "missing )": "falta fechar um parêntese",
    "unexpected )": "há um parêntese fechado sem ter sido aberto",
    "missing ]": "falta fechar um colchete",
    "invalid character class range": "intervalo inválido entre colchetes",
    "invalid character class": "classe de caracteres inválida",
    "invalid repetition size": "repetição {m,n} inválida",
    "no argument for repetition operator": "operador de repetição sem nada antes",
    "bad repetition operator": "operador de repetição inválido",
    "invalid nested repetition operator": "repetição de repetição",
    "invalid perl operator": "construção não aceita pelo RE2",
    "invalid escape sequence": "sequência de escape inválida",
    "trailing \\": "barra invertida no fim",
    "invalid named capture group": "nome de grupo inválido",
    "duplicate capture group name": "nome de grupo repetido",
    "pattern too large": "expressão grande demais",
    "invalid UTF-8": "texto com codificação inválida",
}


def _motivo(exc: Exception) -> str:
    motivo = exc.args[0] if exc.args else exc
    texto = motivo.decode(errors="replace") if isinstance(motivo, bytes) else str(motivo)
    causa, _, trecho = texto.partition(": ")
    for ingles, portugues in _MOTIVOS_RE2.items():
        if causa.startswith(ingles):
            return f"{portugues} em “{trecho}”" if trecho else portugues
    return texto


def _casa(tipo: TipoPadrao, padrao: str, normalizado: str, nome: str) -> bool:
    try:
        return _compilar(tipo, padrao).search(normalizado) is not None
    except re2.error:
        # Saved before RE2 (a lookaround, say): refused now, and skipped until fixed.
        log.warning("regra %r tem um padrão que o RE2 não aceita e foi ignorada", nome)
        return False


# Skin tones and the emoji presentation selector: 👍🏽 is a 👍 for a rule.
_VARIANTES_EMOJI = dict.fromkeys([0xFE0F, *range(0x1F3FB, 0x1F400)])


def emoji_base(emoji: str) -> str:
    return emoji.strip().translate(_VARIANTES_EMOJI)


def casa_reacao(padrao: str, emoji: str) -> bool:
    """A reaction rule's emojis (separated by spaces) include this one."""
    return emoji_base(emoji) in {emoji_base(e) for e in padrao.split()}


def dispara(regra: RegraAutomacao | RegraIn, texto: str) -> bool:
    if regra.tipo_padrao == TipoPadrao.reacao:
        return casa_reacao(regra.padrao, texto)
    return _casa(regra.tipo_padrao, regra.padrao, textos.normalizar(texto), regra.nome)


def _avaliar(regras: list[tuple[TipoPadrao, str, str]], texto: str) -> list[int]:
    """Indices of the rules that match ``texto``, within ORCAMENTO_REGRAS_S (in a thread)."""
    normalizado = textos.normalizar(texto)
    limite = time.monotonic() + ORCAMENTO_REGRAS_S
    disparadas: list[int] = []
    for indice, (tipo, padrao, nome) in enumerate(regras):
        if time.monotonic() >= limite:
            log.warning(
                "regras de automação passaram de %d ms nesta mensagem; %d não avaliadas",
                ORCAMENTO_REGRAS_S * 1000,
                len(regras) - indice,
            )
            break
        if _casa(tipo, padrao, normalizado, nome):
            disparadas.append(indice)
    return disparadas


def _validar(regra: RegraIn) -> None:
    if regra.tipo_padrao == TipoPadrao.reacao:
        _validar_reacao(regra)
    elif regra.acao == AcaoRegra.tocar_opcao:
        raise RegraInvalida("tocar_opcao só vale para regras de reação (tipo_padrao reacao)")
    try:
        if regra.tipo_padrao != TipoPadrao.reacao:
            _compilar(regra.tipo_padrao, regra.padrao)
    except re2.error as exc:
        raise RegraInvalida(
            f"expressão regular inválida: {_motivo(exc)}. Só são aceitas expressões que "
            "rodam em tempo linear (RE2): sem retrovisores como \\1 e sem lookahead ou "
            "lookbehind como (?=, (?!, (?<= e (?<!"
        ) from exc
    if regra.acao == AcaoRegra.responder and not regra.parametro:
        raise RegraInvalida("a ação responder precisa do texto da resposta em parametro")
    if regra.acao == AcaoRegra.mudar_status and regra.parametro not in {
        s.value for s in StatusChamado
    }:
        opcoes = ", ".join(s.value for s in StatusChamado)
        raise RegraInvalida(f"a ação mudar_status precisa de um status em parametro ({opcoes})")
    if regra.acao == AcaoRegra.definir_prioridade and regra.parametro not in {
        p.value for p in Prioridade
    }:
        opcoes = ", ".join(p.value for p in Prioridade)
        raise RegraInvalida(f"definir_prioridade precisa de uma prioridade em parametro ({opcoes})")
    if regra.acao == AcaoRegra.responder and len(regra.parametro) > 1024:
        raise RegraInvalida("a resposta automática tem no máximo 1024 caracteres")


def _validar_reacao(regra: RegraIn) -> None:
    emojis = regra.padrao.split()
    if not emojis or any(len(e) > 16 or any(c.isalnum() for c in e) for e in emojis):
        raise RegraInvalida(
            "numa regra de reação o padrão é um ou mais emojis separados por espaço (ex.: 👍 ✅)"
        )
    if regra.acao == AcaoRegra.tocar_opcao and regra.parametro not in acoes.EFEITOS:
        opcoes = ", ".join(sorted(acoes.EFEITOS))
        raise RegraInvalida(f"tocar_opcao precisa do id de uma opção em parametro ({opcoes})")


# -- CRUD --------------------------------------------------------------------------------


async def listar(session: AsyncSession) -> list[RegraAutomacao]:
    return list(
        await session.scalars(
            select(RegraAutomacao).order_by(RegraAutomacao.ordem, RegraAutomacao.id)
        )
    )


async def obter(session: AsyncSession, regra_id: int) -> RegraAutomacao:
    regra = await session.get(RegraAutomacao, regra_id)
    if regra is None:
        raise NotFound(f"regra {regra_id} não encontrada")
    return regra


async def criar(session: AsyncSession, dados: RegraIn) -> RegraAutomacao:
    _validar(dados)
    regra = RegraAutomacao(**dados.model_dump())
    session.add(regra)
    await session.flush()
    return regra


async def atualizar(session: AsyncSession, regra_id: int, dados: RegraUpdate) -> RegraAutomacao:
    regra = await obter(session, regra_id)
    campos = {k: v for k, v in dados.model_dump(exclude_unset=True).items() if v is not None}
    completa = RegraIn.model_validate(
        {**RegraIn.model_validate(regra, from_attributes=True).model_dump(), **campos}
    )
    _validar(completa)
    for campo, valor in campos.items():
        setattr(regra, campo, valor)
    await session.flush()
    return regra


async def remover(session: AsyncSession, regra_id: int) -> None:
    await session.delete(await obter(session, regra_id))
    await session.flush()


def _ativas(*colunas: Any, reacao: bool) -> Select[Any]:
    """``colunas`` of the active rules for reactions (or for texts), in their order."""
    tipo = RegraAutomacao.tipo_padrao
    return (
        select(*colunas)
        .where(
            RegraAutomacao.ativa.is_(True),
            tipo == TipoPadrao.reacao.value if reacao else tipo != TipoPadrao.reacao.value,
        )
        .order_by(RegraAutomacao.ordem, RegraAutomacao.id)
    )


# Every inbound text reads the rules (gmm.core.db.Compilada): the patterns only, the
# rules themselves loaded when one matches.
_PADROES = Compilada.de(
    _ativas(
        RegraAutomacao.id,
        RegraAutomacao.tipo_padrao,
        RegraAutomacao.padrao,
        RegraAutomacao.nome,
        reacao=False,
    )
)


async def que_disparam(session: AsyncSession, texto: str) -> list[RegraAutomacao]:
    linhas = await _PADROES.linhas(session)
    if not linhas:
        return []  # nothing to match: no thread hop
    padroes = [(TipoPadrao(r["tipo_padrao"]), r["padrao"], r["nome"]) for r in linhas]
    disparadas = [linhas[i]["id"] for i in await asyncio.to_thread(_avaliar, padroes, texto)]
    if not disparadas:
        return []
    regras = {
        regra.id: regra
        for regra in await session.scalars(
            select(RegraAutomacao).where(RegraAutomacao.id.in_(disparadas))
        )
    }
    # In the rules' order; one deleted meanwhile is skipped.
    return [regras[i] for i in disparadas if i in regras]


# -- on every inbound message ------------------------------------------------------------


@dataclass(frozen=True)
class Chegada:
    """A contractor's message just stored on an open chamado, as the webhook knows it."""

    mensagem_id: int
    chamado_id: int
    tipo_conteudo: TipoConteudo
    texto: str | None
    # A conversation waits on this chamado (a quote, a new date): the routing saw it.
    em_espera: bool


async def processar_recebida(
    session: AsyncSession, whatsapp: WhatsAppService, chegada: Chegada
) -> None:
    """Act on a contractor's message just stored on an open chamado, locked by the
    caller in this transaction. The chamado and the message are loaded only when
    something is to be done: most messages are text that no rule matches."""
    if chegada.tipo_conteudo == TipoConteudo.interactive:
        mensagem = await session.get_one(Mensagem, chegada.mensagem_id)
        toque = await acoes.identificar(session, mensagem)
        if toque is not None:
            chamado = await chamados.obter(session, chegada.chamado_id)
            await acoes.aplicar_toque(session, whatsapp, chamado, toque)
        return
    if chegada.tipo_conteudo != TipoConteudo.text or not chegada.texto:
        return
    if chegada.em_espera:
        chamado = await chamados.obter(session, chegada.chamado_id)
        mensagem = await session.get_one(Mensagem, chegada.mensagem_id)
        if await _resposta_aguardada(session, whatsapp, chamado, mensagem):
            return
    regras = await que_disparam(session, chegada.texto)
    if regras:
        chamado = await chamados.obter(session, chegada.chamado_id)
        mensagem = await session.get_one(Mensagem, chegada.mensagem_id)
        await _aplicar_regras(session, whatsapp, chamado, mensagem, regras, chegada.texto)


async def _resposta_aguardada(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, mensagem: Mensagem
) -> bool:
    estado = await estados.atual(session, mensagem.destinatario, chamado.id)
    if estado is not None and estado.aguardando == Aguardando.novo_prazo:
        return await _novo_prazo(session, whatsapp, chamado, mensagem, estado)
    if estado is None or estado.aguardando != Aguardando.valor_orcamento:
        # A new visit date is free text: it reaches the operator as any message does.
        return False
    valor = textos.ler_valor(mensagem.texto or "")
    if valor is None:
        return False
    chamado.valor_orcamento = valor
    await session.delete(estado)
    descricao = f"orçamento de {textos.reais(valor)} informado pelo terceirizado"
    await chamados.registrar_historico(
        session, chamado, OrigemHistorico.terceirizado, descricao, mensagem_id=mensagem.id
    )
    await whatsapp.enviar_mensagem(
        chamado,
        TipoMensagem.automatica,
        textos.ORCAMENTO_RECEBIDO.format(valor=textos.reais(valor), numero=chamado.numero_chamado),
    )
    publicar_apos_commit(session, Notificacao.de(chamado, descricao))
    publicar_apos_commit(session, ChamadoAtualizado.de(chamado))
    return True


async def _novo_prazo(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    chamado: Chamado,
    mensagem: Mensagem,
    estado: EstadoConversa,
) -> bool:
    """After "Preciso mais prazo": the date the contractor answers becomes the prazo
    (the follow-up ladder counts from it); anything else reaches the operator."""
    fuso = ZoneInfo(whatsapp.settings.timezone)
    prazo = textos.ler_data(mensagem.texto or "", fuso, utcnow())
    if prazo is None:
        return False
    chamado.prazo_combinado = prazo
    await session.delete(estado)
    quando = textos.data_hora(prazo, fuso)
    descricao = f"novo prazo informado pelo terceirizado: {quando}"
    await chamados.registrar_historico(
        session, chamado, OrigemHistorico.terceirizado, descricao, mensagem_id=mensagem.id
    )
    await whatsapp.enviar_mensagem(
        chamado,
        TipoMensagem.automatica,
        textos.NOVO_PRAZO_RECEBIDO.format(numero=chamado.numero_chamado, prazo=quando),
    )
    publicar_apos_commit(session, Notificacao.de(chamado, descricao))
    publicar_apos_commit(session, ChamadoAtualizado.de(chamado))
    return True


async def processar_reacao(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    chamado: Chamado,
    mensagem: Mensagem,
    emoji: str,
) -> None:
    """The contractor reacted with ``emoji`` to our ``mensagem``: the reaction rules.
    ``tocar_opcao`` counts it as tapping that option of the question (👍 on
    "Confirma a visita?" = Confirmo); the other actions act as for a text."""
    if chamado.status in chamados.FINALIZADOS:
        return
    regras = [
        r
        for r in await session.scalars(_ativas(RegraAutomacao, reacao=True))
        if casa_reacao(r.padrao, emoji)
    ]
    resto = []
    for regra in regras:
        if regra.acao != AcaoRegra.tocar_opcao:
            resto.append(regra)
            continue
        conteudo = mensagem.conteudo
        if isinstance(conteudo, ConteudoBotoes | ConteudoLista) and any(
            o.id == regra.parametro for o in conteudo.opcoes()
        ):
            toque = acoes.Toque(None, mensagem, regra.parametro, reacao=emoji)
            await acoes.aplicar_toque(session, whatsapp, chamado, toque)
    await _aplicar_regras(session, whatsapp, chamado, mensagem, resto, f"reação {emoji}")


async def _aplicar_regras(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    chamado: Chamado,
    mensagem: Mensagem,
    regras: list[RegraAutomacao],
    texto: str,
) -> None:
    """Every active rule that matches fires, in order; at most one automatic reply per
    message, so overlapping rules never flood the contractor."""
    respondeu = False
    for regra in regras:
        origem = OrigemHistorico.automacao
        if regra.acao == AcaoRegra.responder:
            if respondeu:
                continue
            respondeu = True
            await whatsapp.enviar_mensagem(chamado, TipoMensagem.automatica, regra.parametro)
        elif regra.acao == AcaoRegra.notificar:
            aviso = regra.parametro or f"regra “{regra.nome}”: {texto}"
            publicar_apos_commit(session, Notificacao.de(chamado, aviso))
        elif regra.acao == AcaoRegra.definir_prioridade:
            prioridade = Prioridade(regra.parametro)
            if chamado.prioridade != prioridade:
                chamado.prioridade = prioridade
                await chamados.registrar_historico(
                    session,
                    chamado,
                    origem,
                    f"prioridade {prioridade.value} pela regra “{regra.nome}”",
                    mensagem_id=mensagem.id,
                )
                publicar_apos_commit(session, ChamadoAtualizado.de(chamado))
        elif regra.acao == AcaoRegra.mudar_status:
            await _mudar_status(session, chamado, mensagem, regra)


async def _mudar_status(
    session: AsyncSession,
    chamado: Chamado,
    mensagem: Mensagem,
    regra: RegraAutomacao,
) -> None:
    novo = StatusChamado(regra.parametro)
    if novo == chamado.status:
        return
    descricao = f"status {novo.value} pela regra “{regra.nome}”"
    try:
        await chamados.transicionar(
            session,
            chamado,
            novo,
            origem=OrigemHistorico.automacao,
            descricao=descricao,
            mensagem_id=mensagem.id,
        )
    except chamados.TransicaoInvalida as exc:
        log.info("regra %r sem efeito: %s", regra.nome, exc.detail)
        return
    if novo in chamados.FINALIZADOS:
        await estados.encerrar(session, chamado.id)
    publicar_apos_commit(session, Notificacao.de(chamado, descricao))
