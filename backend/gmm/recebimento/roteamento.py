"""Which chamado a contractor's message is about.

Rules, in order (docs/roteamento.md):
1. a reply quoting one of the contractor's messages or ours → the quoted one's chamado;
2. a tapped button or list row → the chamado of the question it answers;
3. a text naming one of their open chamados (``CH-2026-0012``, or ``0012`` alone when
   only one of them ends so) → that chamado;
4. a reply the conversation was waiting for (a quote, a new date) → that chamado;
5. a single open chamado → that one; none → "mensagens sem chamado";
6. the chamado they picked in the last few minutes → that one;
7. otherwise the message is held "a classificar" and they are asked, at most once per
   GMM_ROTEAMENTO_PERGUNTA_MINUTOS, "Sobre qual chamado é sua mensagem?" in a list
   with one row per open chamado. Picking a row files the held messages there.
Rules 1–4 only ever pick one of the contractor's own open chamados.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Row, String, any_, bindparam, false, func, literal, select, update
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao import textos
from gmm.automacao.models import EstadoConversa
from gmm.chamados import service as chamados
from gmm.chamados.models import ABERTOS, Chamado, OrigemHistorico
from gmm.conversas.conteudo import (
    ConteudoBotoes,
    ConteudoLista,
    ConteudoResposta,
    Opcao,
    Secao,
)
from gmm.conversas.eventos import MensagensMovidas
from gmm.conversas.models import Direcao, Mensagem, TipoConteudo
from gmm.core.db import Compilada, utcnow
from gmm.core.eventos import publicar_apos_commit
from gmm.envio.service import WhatsAppService
from gmm.recebimento.leitura import Recebida
from gmm.recebimento.models import RoteamentoTerceirizado
from gmm.terceirizados import identidades
from gmm.terceirizados.identidades import Identificado
from gmm.terceirizados.models import Terceirizado

Motivo = Literal[
    "citacao",
    "toque",
    "numero",
    "aguardada",
    "unico",
    "escolha",
    "escolhido",
    "a_classificar",
    "sem_chamado",
]

# The row ids of "Sobre qual chamado?": ``rotear:<chamado id>``.
PREFIXO_ESCOLHA = "rotear:"
PERGUNTA = "Sobre qual chamado é sua mensagem?"
RODAPE_PERGUNTA = "Se não estiver na lista, responda com o número do chamado."
# WhatsApp's list limits (docs/megaapi.md): 10 rows, row description 72 characters.
MAX_LINHAS = 10
# Held messages older than this were about something else: the operators file them.
RETENCAO = timedelta(hours=24)
# Recent questions a tap without a quoted id is matched against.
PERGUNTAS_RECENTES = 20

_NUMERO_COMPLETO = re.compile(r"(?<![0-9A-Za-z])CH[\s-]*(\d{4})[\s-]*(\d{1,6})(?!\d)", re.I)
# A bare number, not part of an amount, a date, an hour or a longer number.
_NUMERO_CURTO = re.compile(r"(?<![\w$.,:/-])(\d{3,6})(?![\w.,:/-])(?!\s*(?:h|hs|min)\b)", re.I)


@dataclass(frozen=True)
class Aberto:
    id: int
    numero_chamado: str
    titulo: str
    local: str | None


@dataclass(frozen=True)
class Rota:
    chamado_id: int | None
    motivo: Motivo
    # The message the contractor's one quotes (ours or theirs), when it is theirs to quote.
    citada_id: int | None = None
    # A conversation of theirs is waiting on this chamado (a quote, a new date): the
    # automation reads what it waits for only then.
    em_espera: bool = False


@dataclass(frozen=True)
class Roteamento:
    """A contractor's routing row (gmm.recebimento.models), as ``travar`` read it."""

    terceirizado_id: int
    perguntado_em: datetime | None
    escolhido_chamado_id: int | None
    escolha_ate: datetime | None


# Who an inbound message is from and their routing row, locked until commit (created
# on first use), in one round trip on every inbound message (gmm.core.db.Compilada).
# The lock is the statement's only wait, and what it answers of the row is the row
# as the transaction it waited for left it. A no-op update (the column to itself)
# locks an existing row; ``excluded`` would do the same at the price of copying the
# table's columns.
_QUEM = identidades.IDENTIFICADO.cte("quem")
_ROTA = (
    insert(RoteamentoTerceirizado)
    .from_select(["terceirizado_id"], select(_QUEM.c.id))
    .on_conflict_do_update(
        index_elements=[RoteamentoTerceirizado.terceirizado_id],
        set_={"terceirizado_id": RoteamentoTerceirizado.terceirizado_id},
    )
    .returning(
        RoteamentoTerceirizado.terceirizado_id,
        RoteamentoTerceirizado.perguntado_em,
        RoteamentoTerceirizado.escolhido_chamado_id,
        RoteamentoTerceirizado.escolha_ate,
    )
    .cte("rota")
)
_IDENTIFICAR_E_TRAVAR = Compilada.de(
    select(
        _QUEM.c.id,
        _QUEM.c.telefone,
        _QUEM.c.telefone_chave,
        _QUEM.c.conhecidos,
        _ROTA.c.perguntado_em,
        _ROTA.c.escolhido_chamado_id,
        _ROTA.c.escolha_ate,
    ).join_from(_QUEM, _ROTA, _ROTA.c.terceirizado_id == _QUEM.c.id)
)
# The contractor's open chamados, most recently active first, each telling whether
# a conversation of theirs is waiting on it (rule 4).
_ABERTOS = Compilada.de(
    select(
        Chamado.id,
        Chamado.numero_chamado,
        Chamado.titulo,
        Chamado.local,
        func.coalesce(
            Chamado.id
            == select(EstadoConversa.chamado_id)
            .where(
                EstadoConversa.telefone_chave == bindparam("telefone_chave", type_=String),
                EstadoConversa.expira_em > func.now(),
            )
            .scalar_subquery(),
            false(),
        ).label("aguardado"),
    )
    .where(
        Chamado.terceirizado_id == bindparam("terceirizado_id"),
        Chamado.status == any_(literal([status.value for status in ABERTOS], ARRAY(String))),
    )
    .order_by(Chamado.ultima_atividade_em.desc(), Chamado.id.desc())
)


async def identificar_e_travar(
    session: AsyncSession, telefones: Iterable[str], jids: Iterable[str]
) -> tuple[Identificado, Roteamento] | None:
    """The known contractor these ids name (learning the ones new to them) and their
    routing row, locked until commit: the first lock an inbound message takes, then
    the chamado's, so a held message and the contractor's choice never cross."""
    numeros, ids = identidades.chaves(telefones), list(dict.fromkeys(jids))
    if not numeros and not ids:
        return None
    linha = await _IDENTIFICAR_E_TRAVAR.linha(session, chaves=numeros, jids=ids)
    if linha is None:
        return None
    if linha["conhecidos"] < len(ids):
        await identidades.aprender(session, linha["id"], ids)
    quem = Identificado(linha["id"], linha["telefone"], linha["telefone_chave"])
    rota = Roteamento(
        linha["id"], linha["perguntado_em"], linha["escolhido_chamado_id"], linha["escolha_ate"]
    )
    return quem, rota


async def _abertos(session: AsyncSession, terceirizado_id: int) -> list[Aberto]:
    return (await _abertos_e_aguardado(session, terceirizado_id, None))[0]


async def _abertos_e_aguardado(
    session: AsyncSession, terceirizado_id: int, telefone_chave: str | None
) -> tuple[list[Aberto], int | None]:
    """The contractor's open chamados and, in the same round trip, the open one a
    conversation of theirs is waiting on (rule 4), if any."""
    linhas = await _ABERTOS.linhas(
        session, terceirizado_id=terceirizado_id, telefone_chave=telefone_chave
    )
    abertos = [Aberto(c["id"], c["numero_chamado"], c["titulo"], c["local"]) for c in linhas]
    aguardados = [c["id"] for c in linhas if c["aguardado"]]
    return abertos, (aguardados[0] if aguardados else None)


async def _citada(
    session: AsyncSession, megaapi_id: str, terceirizado_id: int | None, endereco: str
) -> Row[int, int | None] | None:
    """The quoted message (id, chamado), when it is one of this sender's conversation."""
    dono = func.coalesce(Chamado.terceirizado_id, Mensagem.terceirizado_id)
    consulta = (
        select(Mensagem.id, Mensagem.chamado_id)
        .outerjoin(Chamado, Chamado.id == Mensagem.chamado_id)
        .where(Mensagem.megaapi_id == megaapi_id)
    )
    if terceirizado_id is not None:
        consulta = consulta.where(dono == terceirizado_id)
    else:
        consulta = consulta.where(dono.is_(None), Mensagem.destinatario == endereco)
    return (await session.execute(consulta)).first()


def _opcao_casa(conteudo: object, toque: ConteudoResposta) -> bool:
    if not isinstance(conteudo, ConteudoBotoes | ConteudoLista):
        return False
    titulo = textos.normalizar(toque.resposta.titulo)
    return any(
        o.id == toque.resposta.id or textos.normalizar(o.titulo) == titulo
        for o in conteudo.opcoes()
    )


async def _chamado_da_pergunta(
    session: AsyncSession, toque: ConteudoResposta, abertos: list[Aberto]
) -> int | None:
    """A tap that quotes nothing: the most recent unanswered question among the
    contractor's open chamados that offers the tapped option."""
    perguntas = await session.scalars(
        select(Mensagem)
        .where(
            Mensagem.chamado_id.in_([a.id for a in abertos]),
            Mensagem.direcao == Direcao.outbound,
            Mensagem.tipo_conteudo == TipoConteudo.interactive,
        )
        .order_by(Mensagem.id.desc())
        .limit(PERGUNTAS_RECENTES)
    )
    candidatas = [p for p in perguntas if _opcao_casa(p.conteudo, toque)]
    sem_resposta = [
        p
        for p in candidatas
        if isinstance(p.conteudo, ConteudoBotoes | ConteudoLista) and p.conteudo.respondida is None
    ]
    escolhidas = sem_resposta or candidatas
    return escolhidas[0].chamado_id if escolhidas else None


def chamados_citados(texto: str, abertos: list[Aberto]) -> set[int]:
    """The open chamados a text names: full numbers first; else bare numbers that end
    exactly one of them."""
    por_numero = {a.numero_chamado.upper(): a.id for a in abertos}
    completos = {
        por_numero[f"CH-{ano}-{seq.zfill(4)}"]
        for ano, seq in _NUMERO_COMPLETO.findall(texto)
        if f"CH-{ano}-{seq.zfill(4)}" in por_numero
    }
    if completos:
        return completos
    por_sufixo: dict[str, set[int]] = {}
    for aberto in abertos:
        por_sufixo.setdefault(aberto.numero_chamado.rsplit("-", 1)[-1], set()).add(aberto.id)
    citados: set[int] = set()
    for numero in _NUMERO_CURTO.findall(_NUMERO_COMPLETO.sub(" ", texto)):
        citados |= por_sufixo.get(numero, set())
    return citados


def escolha_do_toque(recebida: Recebida) -> int | None:
    """The chamado a tap on "Sobre qual chamado?" picked, if the message is that tap."""
    conteudo = recebida.conteudo
    if not isinstance(conteudo, ConteudoResposta):
        return None
    opcao = conteudo.resposta.id
    if not opcao.startswith(PREFIXO_ESCOLHA):
        return None
    numero = opcao.removeprefix(PREFIXO_ESCOLHA)
    return int(numero) if numero.isascii() and numero.isdigit() and len(numero) < 19 else None


async def rotear(
    session: AsyncSession,
    recebida: Recebida,
    terceirizado: Identificado | None,
    roteamento: Roteamento | None,
) -> Rota:
    """Where ``recebida`` goes (see the module's rules)."""
    terceirizado_id = terceirizado.id if terceirizado is not None else None
    citada = None
    if recebida.citada is not None:
        citada = await _citada(session, recebida.citada, terceirizado_id, recebida.telefone)
    citada_id = citada.id if citada is not None else None
    if terceirizado is None or roteamento is None:
        return Rota(None, "sem_chamado", citada_id)
    abertos, aguardada = await _abertos_e_aguardado(
        session, terceirizado.id, terceirizado.telefone_chave
    )
    ids = {a.id for a in abertos}

    def rota(chamado_id: int, motivo: Motivo) -> Rota:
        return Rota(chamado_id, motivo, citada_id, em_espera=chamado_id == aguardada)

    escolhido = escolha_do_toque(recebida)
    if escolhido is not None and escolhido in ids:
        return rota(escolhido, "escolha")
    if citada is not None and citada.chamado_id in ids:
        return rota(citada.chamado_id, "citacao")
    if isinstance(recebida.conteudo, ConteudoResposta) and abertos:
        da_pergunta = await _chamado_da_pergunta(session, recebida.conteudo, abertos)
        if da_pergunta is not None:
            return rota(da_pergunta, "toque")
    if recebida.texto:
        citados = chamados_citados(recebida.texto, abertos)
        if len(citados) == 1:
            return rota(citados.pop(), "numero")
    if aguardada is not None:
        return rota(aguardada, "aguardada")
    if len(abertos) == 1:
        return rota(abertos[0].id, "unico")
    if not abertos:
        return Rota(None, "sem_chamado", citada_id)
    if (
        roteamento.escolhido_chamado_id in ids
        and roteamento.escolha_ate is not None
        and roteamento.escolha_ate > utcnow()
    ):
        return rota(roteamento.escolhido_chamado_id, "escolhido")
    return Rota(None, "a_classificar", citada_id)


def _linha(aberto: Aberto) -> Opcao:
    sobre = " · ".join(p for p in (aberto.titulo, aberto.local) if p)
    if len(sobre) > 72:
        sobre = sobre[:71].rstrip() + "…"
    return Opcao(id=f"{PREFIXO_ESCOLHA}{aberto.id}", titulo=aberto.numero_chamado, descricao=sobre)


async def perguntar(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    terceirizado: Identificado,
    roteamento: Roteamento,
) -> bool:
    """Ask which chamado the held messages are about, unless asked a moment ago."""
    agora = utcnow()
    intervalo = timedelta(minutes=whatsapp.settings.roteamento_pergunta_minutos)
    if roteamento.perguntado_em is not None and roteamento.perguntado_em > agora - intervalo:
        return False
    abertos = await _abertos(session, terceirizado.id)
    if len(abertos) < 2:
        return False
    await session.execute(
        update(RoteamentoTerceirizado)
        .where(RoteamentoTerceirizado.terceirizado_id == roteamento.terceirizado_id)
        .values(perguntado_em=agora)
    )
    conteudo = ConteudoLista(
        botao="Escolher chamado",
        titulo="Chamados abertos",
        descricao=RODAPE_PERGUNTA,
        secoes=[Secao(titulo="Chamados abertos", linhas=[_linha(a) for a in abertos[:MAX_LINHAS]])],
    )
    contato = await session.get_one(Terceirizado, terceirizado.id)
    await whatsapp.enviar_ao_terceirizado(contato, PERGUNTA, conteudo)
    return True


async def escolher(
    session: AsyncSession,
    chamado: Chamado,
    toque_id: int,
    janela: timedelta,
) -> list[int]:
    """The contractor picked ``chamado``: their held messages (and our question) go
    there, and so do their next ones for ``janela``. Answers the ids filed. The tap
    itself then answers the question as any tap does (gmm.automacao.acoes)."""
    await session.execute(
        update(RoteamentoTerceirizado)
        .where(RoteamentoTerceirizado.terceirizado_id == chamado.terceirizado_id)
        .values(escolhido_chamado_id=chamado.id, escolha_ate=utcnow() + janela)
    )
    filadas = (
        await session.execute(
            update(Mensagem)
            .where(
                Mensagem.chamado_id.is_(None),
                Mensagem.terceirizado_id == chamado.terceirizado_id,
                Mensagem.criado_em > func.now() - RETENCAO,
            )
            .values(chamado_id=chamado.id)
            .returning(Mensagem.id, Mensagem.direcao)
            .execution_options(synchronize_session=False)
        )
    ).all()
    ids = sorted(linha.id for linha in filadas)
    dele = sum(linha.direcao == Direcao.inbound for linha in filadas)
    if ids:
        chamado.ultima_atividade_em = utcnow()
        publicar_apos_commit(
            session,
            MensagensMovidas(de_chamado_id=None, para_chamado_id=chamado.id, mensagem_ids=ids),
        )
    if dele:
        quantas = (
            "1 mensagem a classificar ligada"
            if dele == 1
            else (f"{dele} mensagens a classificar ligadas")
        )
        await chamados.registrar_historico(
            session,
            chamado,
            OrigemHistorico.terceirizado,
            f"{quantas} a este chamado pela escolha do terceirizado",
            mensagem_id=toque_id,
        )
    return ids
