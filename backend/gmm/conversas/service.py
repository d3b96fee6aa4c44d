"""The message center's read side: one row per chamado, and its history."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    and_,
    case,
    exists,
    func,
    literal,
    literal_column,
    or_,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import ABERTOS, PRAZO_EFETIVO, Chamado, StatusChamado
from gmm.chamados.trava import travar
from gmm.conversas.eventos import MensagemNova
from gmm.conversas.models import DOCUMENTO, Direcao, Mensagem
from gmm.conversas.schemas import (
    CitacaoOut,
    ConversaOut,
    MensagemOut,
    PaginaConversasTerceirizado,
    PaginaNaoAtribuidas,
    ResultadoBusca,
    Trecho,
    UltimaMensagem,
)
from gmm.core.db import contains_pattern, utcnow
from gmm.core.errors import Conflict, DomainError, NotFound
from gmm.core.eventos import publicar_apos_commit
from gmm.core.pagination import Page, decode_cursor, encode_cursor
from gmm.terceirizados import identidades
from gmm.terceirizados.models import Terceirizado
from gmm.terceirizados.service import telefone_contem

# The central's quick filters by deadline and by who owes an answer.
Situacao = Literal["atrasados", "vencendo_hoje", "sem_resposta"]

# Written as literals, not bound parameters, so the planner can prove the partial
# index ix_mensagens_nao_lidas applies even with a cached generic plan.
_NAO_LIDA = and_(
    Mensagem.direcao == literal_column("'inbound'"),
    Mensagem.lida_em.is_(None),
)


async def listar(
    session: AsyncSession,
    *,
    status: StatusChamado | None,
    busca: str | None,
    limit: int,
    cursor: str | None,
    situacao: Situacao | None = None,
    fuso: ZoneInfo = ZoneInfo("America/Sao_Paulo"),
    terceirizado_id: int | None = None,
) -> Page[ConversaOut]:
    """Conversations by last activity, newest first, in a single SQL query; one
    contractor's (``terceirizado_id``) with the open chamados first.

    The last message and the unread count come from LATERAL subqueries that each
    read a handful of index entries per row of the page, so the cost follows the
    page size, not the length of the history.
    """
    # A contractor's page lists the open chamados first.
    aberto = case((Chamado.status.in_(ABERTOS), 1), else_=0)
    ordem: tuple[Any, ...] = (Chamado.ultima_atividade_em, Chamado.id)
    if terceirizado_id is not None:
        ordem = (aberto, *ordem)
    ultima = (
        select(
            Mensagem.id.label("m_id"),
            Mensagem.texto.label("m_texto"),
            Mensagem.direcao.label("m_direcao"),
            Mensagem.tipo_conteudo.label("m_tipo_conteudo"),
            Mensagem.status_envio.label("m_status_envio"),
            Mensagem.criado_em.label("m_criado_em"),
        )
        .where(Mensagem.chamado_id == Chamado.id)
        .order_by(Mensagem.momento.desc(), Mensagem.id.desc())
        .limit(1)
        .lateral("ultima")
    )
    nao_lidas = (
        select(func.count().label("n"))
        .where(Mensagem.chamado_id == Chamado.id, _NAO_LIDA)
        .lateral("nao_lidas")
    )
    query = (
        select(
            Chamado,
            Terceirizado.nome,
            Terceirizado.empresa,
            Terceirizado.telefone,
            ultima,
            nao_lidas.c.n,
        )
        .join(Terceirizado, Terceirizado.id == Chamado.terceirizado_id)
        .outerjoin(ultima, true())
        .join(nao_lidas, true())
        .order_by(*(coluna.desc() for coluna in ordem))
        .limit(limit + 1)
    )
    if terceirizado_id is not None:
        query = query.where(Chamado.terceirizado_id == terceirizado_id)
    if status is not None:
        query = query.where(Chamado.status == status)
    if situacao is not None:
        query = query.where(Chamado.status.in_(ABERTOS))
        # The app's clock, not the database's: one "now" for both ends of "today".
        agora = utcnow()
        if situacao == "atrasados":
            query = query.where(agora > PRAZO_EFETIVO)
        elif situacao == "vencendo_hoje":
            amanha = datetime.combine(
                agora.astimezone(fuso).date() + timedelta(days=1), time(), tzinfo=fuso
            )
            query = query.where(agora <= PRAZO_EFETIVO, amanha > PRAZO_EFETIVO)
        else:
            query = query.where(ultima.c.m_direcao == Direcao.outbound)
    if busca:
        padrao = contains_pattern(busca)
        condicoes: list[ColumnElement[bool]] = [
            Terceirizado.nome.ilike(padrao),
            Terceirizado.empresa.ilike(padrao),
            Chamado.numero_chamado.ilike(padrao),
            Chamado.titulo.ilike(padrao),
            exists().where(
                Mensagem.chamado_id == Chamado.id,
                # Voice notes are found by what was said in them.
                or_(Mensagem.texto.ilike(padrao), Mensagem.transcricao.ilike(padrao)),
            ),
        ]
        if (por_telefone := telefone_contem(busca)) is not None:
            condicoes.append(por_telefone)
        query = query.where(or_(*condicoes))
    if cursor:
        tipos = (int, datetime, int) if terceirizado_id is not None else (datetime, int)
        query = query.where(tuple_(*ordem) < tuple_(*map(literal, decode_cursor(cursor, *tipos))))
    rows = (await session.execute(query.add_columns(aberto.label("aberto")))).all()
    agora = utcnow()
    items = []
    for row in rows[:limit]:
        chamado: Chamado = row[0]
        items.append(
            ConversaOut(
                id=chamado.id,
                numero_chamado=chamado.numero_chamado,
                titulo=chamado.titulo,
                local=chamado.local,
                status=chamado.status,
                prioridade=chamado.prioridade,
                prazo_combinado=chamado.prazo_combinado,
                prazo=chamado.prazo,
                atrasado=(
                    chamado.status in ABERTOS
                    and chamado.prazo is not None
                    and chamado.prazo < agora
                ),
                terceirizado_id=chamado.terceirizado_id,
                prestador=row.nome,
                empresa=row.empresa,
                telefone=row.telefone,
                ultima_mensagem=(
                    UltimaMensagem(
                        id=row.m_id,
                        texto=row.m_texto,
                        direcao=row.m_direcao,
                        tipo_conteudo=row.m_tipo_conteudo,
                        status_envio=row.m_status_envio,
                        criado_em=row.m_criado_em,
                    )
                    if row.m_id is not None
                    else None
                ),
                nao_lidas=row.n,
                ultima_atividade_em=chamado.ultima_atividade_em,
            )
        )
    next_cursor = None
    if len(rows) > limit:
        last: Chamado = rows[limit - 1][0]
        chave: tuple[Any, ...] = (last.ultima_atividade_em, last.id)
        if terceirizado_id is not None:
            chave = (rows[limit - 1].aberto, *chave)
        next_cursor = encode_cursor(*chave)
    return Page(items=items, next_cursor=next_cursor)


async def _garantir_chamado(session: AsyncSession, chamado_id: int) -> None:
    if await session.scalar(select(Chamado.id).where(Chamado.id == chamado_id)) is None:
        raise NotFound(f"conversa {chamado_id} não encontrada")


async def mensagens(
    session: AsyncSession, chamado_id: int, *, limit: int, cursor: str | None
) -> Page[MensagemOut]:
    """The newest ``limit`` messages, oldest first, in the order they were written
    (``Mensagem.momento``); ``next_cursor`` pages back in time."""
    await _garantir_chamado(session, chamado_id)
    query = (
        select(Mensagem)
        .where(Mensagem.chamado_id == chamado_id)
        .order_by(Mensagem.momento.desc(), Mensagem.id.desc())
        .limit(limit + 1)
    )
    if cursor:
        momento, antes_de = decode_cursor(cursor, datetime, int)
        query = query.where(tuple_(Mensagem.momento, Mensagem.id) < (momento, antes_de))
    rows = list(await session.scalars(query))
    next_cursor = None
    if len(rows) > limit:
        next_cursor = encode_cursor(rows[limit - 1].momento, rows[limit - 1].id)
    page = await saidas(session, list(reversed(rows[:limit])))
    return Page(items=page, next_cursor=next_cursor)


TRECHO_CITADO = 200


async def saidas(session: AsyncSession, mensagens: list[Mensagem]) -> list[MensagemOut]:
    """The API's view of messages, with what each one quotes (read in one query)."""
    ids = {m.citada_id for m in mensagens if m.citada_id is not None}
    citadas: dict[int, CitacaoOut] = {}
    if ids:
        linhas = await session.execute(
            select(
                Mensagem.id,
                Mensagem.chamado_id,
                Mensagem.direcao,
                Mensagem.tipo_conteudo,
                func.left(Mensagem.texto, TRECHO_CITADO).label("texto"),
                Mensagem.apagada_em.is_not(None).label("apagada"),
            ).where(Mensagem.id.in_(ids))
        )
        citadas = {
            linha.id: CitacaoOut.model_validate(linha, from_attributes=True) for linha in linhas
        }
    return [
        MensagemOut.model_validate(m).model_copy(
            update={"citada": citadas.get(m.citada_id) if m.citada_id else None}
        )
        for m in mensagens
    ]


async def saida(session: AsyncSession, mensagem: Mensagem) -> MensagemOut:
    return (await saidas(session, [mensagem]))[0]


async def marcar_lidas(session: AsyncSession, chamado_id: int) -> int:
    """Mark the contractor's messages as seen by an operator; answers how many changed."""
    await _garantir_chamado(session, chamado_id)
    result = await session.execute(
        update(Mensagem)
        .where(Mensagem.chamado_id == chamado_id, _NAO_LIDA)
        .values(lida_em=func.now())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def nao_atribuidas(
    session: AsyncSession, *, limit: int, cursor: str | None, terceirizado_id: int | None = None
) -> PaginaNaoAtribuidas:
    # The contractor's messages only: "Sobre qual chamado?" waits with them unseen,
    # and goes where they are filed.
    sem_chamado = and_(
        Mensagem.chamado_id.is_(None), Mensagem.direcao == literal_column("'inbound'")
    )
    if terceirizado_id is not None:
        sem_chamado = and_(sem_chamado, Mensagem.terceirizado_id == terceirizado_id)
    query = select(Mensagem).where(sem_chamado).order_by(Mensagem.id.desc()).limit(limit + 1)
    if cursor:
        (antes_de,) = decode_cursor(cursor, int)
        query = query.where(Mensagem.id < antes_de)
    rows = list(await session.scalars(query))
    next_cursor = encode_cursor(rows[limit - 1].id) if len(rows) > limit else None
    # Read from ix_mensagens_chamado_id_id (NULLs first in it): cheap while operators
    # keep up, and the central asks with limit=1 just for this number.
    total = await session.scalar(select(func.count()).select_from(Mensagem).where(sem_chamado))
    return PaginaNaoAtribuidas(
        items=await saidas(session, rows[:limit]),
        next_cursor=next_cursor,
        total=total or 0,
    )


class OutroTerceirizado(DomainError):
    status_code = 422
    error = "outro_terceirizado"


async def conversas_do_terceirizado(
    session: AsyncSession, terceirizado_id: int, *, limit: int, cursor: str | None
) -> PaginaConversasTerceirizado:
    """A contractor's chamados with their conversations (open first), and how many of
    their messages wait for a chamado."""
    if await session.get(Terceirizado, terceirizado_id) is None:
        raise NotFound(f"terceirizado {terceirizado_id} não encontrado")
    pagina = await listar(
        session,
        status=None,
        busca=None,
        limit=limit,
        cursor=cursor,
        terceirizado_id=terceirizado_id,
    )
    a_classificar = await session.scalar(
        select(func.count())
        .select_from(Mensagem)
        .where(
            Mensagem.chamado_id.is_(None),
            Mensagem.terceirizado_id == terceirizado_id,
            Mensagem.direcao == literal_column("'inbound'"),
        )
    )
    return PaginaConversasTerceirizado(
        items=pagina.items, next_cursor=pagina.next_cursor, a_classificar=a_classificar or 0
    )


async def atribuir(
    session: AsyncSession, mensagem_id: int, chamado_id: int, *, reconhecer: bool = False
) -> Mensagem:
    # The chamado's lock first, then the message's: the one lock order.
    if not await travar(session, chamado_id):
        raise NotFound(f"chamado {chamado_id} não encontrado")
    chamado = await session.get(Chamado, chamado_id)
    assert chamado is not None
    mensagem = await session.get(Mensagem, mensagem_id, with_for_update=True)
    if mensagem is None:
        raise NotFound(f"mensagem {mensagem_id} não encontrada")
    if mensagem.chamado_id is not None:
        raise Conflict(f"a mensagem {mensagem_id} já pertence ao chamado {mensagem.chamado_id}")
    if mensagem.terceirizado_id not in (None, chamado.terceirizado_id):
        raise OutroTerceirizado(
            f"a mensagem {mensagem_id} é de outro terceirizado: escolha um chamado dele"
        )
    mensagem.chamado_id = chamado_id
    if mensagem.terceirizado_id is None and reconhecer and mensagem.direcao == Direcao.inbound:
        # The operator vouches for the sender: their next events find the contractor.
        mensagem.terceirizado_id = chamado.terceirizado_id
        jid = identidades.jid_do_remetente(mensagem.destinatario)
        await identidades.aprender(session, chamado.terceirizado_id, [jid])
    chamado.ultima_atividade_em = utcnow()
    await session.flush()
    # Every operator's list and chat pick it up where it now belongs.
    publicar_apos_commit(session, MensagemNova.de(mensagem))
    return mensagem


# ts_headline's markers around a match: control characters no message holds (the
# API refuses them at the edge), so the text is split into parts, never into HTML.
_INICIO, _FIM = "\x02", "\x03"
_OPCOES_TRECHO = (
    f"StartSel={_INICIO}, StopSel={_FIM}, MaxWords=24, MinWords=10, ShortWord=2, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)
_TEXTO = func.coalesce(Mensagem.texto, "") + " " + func.coalesce(Mensagem.transcricao, "")


def _partes(trecho: str) -> list[Trecho]:
    partes: list[Trecho] = []
    for i, pedaco in enumerate(re.split(f"[{_INICIO}{_FIM}]", trecho)):
        if pedaco:
            partes.append(Trecho(texto=pedaco, destaque=i % 2 == 1))
    return partes


# How many of the newest messages (before the cursor) the search looks at first.
JANELA_BUSCA = 10_000


async def buscar(
    session: AsyncSession, busca: str, *, limit: int, cursor: str | None
) -> Page[ResultadoBusca]:
    """Messages that say ``busca`` (their text, or a voice note's transcription), in
    Portuguese (plural and singular, accents or not: "orçamentos" finds "orcamento"),
    the newest first; web-search syntax ("frase exata", -palavra, ou).

    Two ways to find them, each bad where the other is good: walking back through
    the messages by ``momento`` finds a common word's newest matches at once but
    would walk the whole history for one frequent long ago and absent lately; the
    GIN index answers a rare word at once but must sort every match of a common one.
    So the newest JANELA_BUSCA messages are searched first (PostgreSQL picks the way
    from its statistics, and either is bounded there), and only when they hold too
    few matches are the older ones searched, through the GIN index alone.
    """
    consulta = func.websearch_to_tsquery(literal_column("'gmm_portugues'::regconfig"), busca)
    chave = tuple_(Mensagem.momento, Mensagem.id)
    base = (
        select(
            Mensagem.id,
            Mensagem.chamado_id,
            Chamado.numero_chamado,
            Chamado.titulo,
            Terceirizado.nome,
            Mensagem.direcao,
            Mensagem.criado_em,
            Mensagem.momento,
            func.ts_headline(
                literal_column("'gmm_portugues'::regconfig"), _TEXTO, consulta, _OPCOES_TRECHO
            ),
        )
        .outerjoin(Chamado, Chamado.id == Mensagem.chamado_id)
        .outerjoin(Terceirizado, Terceirizado.id == Chamado.terceirizado_id)
        .where(literal_column(DOCUMENTO).op("@@")(consulta))
    )
    borda_query = (
        select(Mensagem.momento, Mensagem.id)
        .order_by(Mensagem.momento.desc(), Mensagem.id.desc())
        .offset(JANELA_BUSCA)
        .limit(1)
    )
    if cursor:
        momento, ultimo_id = decode_cursor(cursor, datetime, int)
        base = base.where(chave < (momento, ultimo_id))
        borda_query = borda_query.where(chave < (momento, ultimo_id))
    borda = (await session.execute(borda_query)).first()

    recentes = base if borda is None else base.where(chave > tuple(borda))
    ordem = (Mensagem.momento.desc(), Mensagem.id.desc())
    rows = list((await session.execute(recentes.order_by(*ordem).limit(limit + 1))).all())
    if len(rows) <= limit and borda is not None:
        # Ordered by an expression no index provides: the walk back is ruled out.
        fora_do_indice = (Mensagem.momento + timedelta(0)).desc()
        antigas = base.where(chave <= tuple(borda)).order_by(fora_do_indice, Mensagem.id.desc())
        rows += (await session.execute(antigas.limit(limit + 1 - len(rows)))).all()

    proximo = None
    if len(rows) > limit:
        ultima = rows[limit - 1]
        proximo = encode_cursor(ultima.momento, ultima.id)
    return Page[ResultadoBusca](
        items=[
            ResultadoBusca(
                mensagem_id=row.id,
                chamado_id=row.chamado_id,
                numero_chamado=row.numero_chamado,
                titulo=row.titulo,
                prestador=row.nome,
                direcao=row.direcao,
                criado_em=row.criado_em,
                trecho=_partes(row[-1]),
            )
            for row in rows[:limit]
        ],
        next_cursor=proximo,
    )
