"""Keeping the facts the reports read: a few rows per round, never the whole history.

Each minute the worker recomputes the facts of the chamados that changed since their
facts were computed, and, every few minutes, of those active in the last days (a
receipt moves no chamado, and a deadline passes on its own). The operators' answers
are filed once, as they appear. docs/desempenho.md says how each figure is counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, literal_column, or_, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import ABERTOS, Chamado, HistoricoChamado, StatusChamado
from gmm.conversas.models import Mensagem, TipoMensagem
from gmm.core.db import utcnow
from gmm.desempenho.models import FatoChamado
from gmm.sla import service as sla

# Chamados per round: a backlog (a first run over a long history) drains over rounds.
LOTE = 500
# Recently active chamados are looked at again this often: receipts and deadlines
# change their facts without touching the chamado.
REVISAO = timedelta(minutes=10)
RECENTES = timedelta(days=3)
# An operator's message within this long is filed as an answer (or as none).
RESPOSTAS_RECENTES = timedelta(days=2)

_ENTRADA = Mensagem.direcao == literal_column("'inbound'")


async def pendentes(session: AsyncSession, limite: int = LOTE) -> list[int]:
    """The chamados whose facts are missing or out of date, the stalest first."""
    agora = utcnow()
    mudou = func.greatest(Chamado.ultima_atividade_em, Chamado.atualizado_em)
    consulta = (
        select(Chamado.id)
        .outerjoin(FatoChamado, FatoChamado.chamado_id == Chamado.id)
        .where(
            or_(
                FatoChamado.chamado_id.is_(None),
                mudou > FatoChamado.calculado_em,
                and_(mudou > agora - RECENTES, FatoChamado.calculado_em < agora - REVISAO),
            )
        )
        .order_by(FatoChamado.calculado_em.asc().nulls_first(), Chamado.id)
        .limit(limite)
    )
    return list(await session.scalars(consulta))


def _por_mensagens(ids: Sequence[int]) -> Any:
    """Per chamado, what its messages say (one pass over their index range)."""
    ultima_recebida = (
        func.max(Mensagem.momento).filter(_ENTRADA).over(partition_by=Mensagem.chamado_id)
    )
    base = (
        select(Mensagem, ultima_recebida.label("ultima_recebida"))
        .where(Mensagem.chamado_id.in_(ids))
        .subquery()
    )
    m = base.c
    saida = m.direcao == literal_column("'outbound'")
    enviada = and_(saida, m.enviado_em.is_not(None))
    leitura = func.extract("epoch", m.lido_em - m.enviado_em) / 60
    orcamento = and_(saida, func.jsonb_extract_path_text(m.conteudo, "acao", "tipo") == "orcamento")
    respondido = func.jsonb_extract_path_text(m.conteudo, "respondida", "opcao_id")
    return select(
        m.chamado_id,
        func.min(m.momento).filter(m.direcao == literal_column("'inbound'")).label("primeira"),
        func.count().filter(m.tipo == TipoMensagem.cobranca.value).label("manuais"),
        func.count().filter(m.tipo == TipoMensagem.cobranca_automatica.value).label("automaticas"),
        func.count().filter(enviada).label("enviadas"),
        # A reply after our message proves it arrived, acked or not.
        func.count()
        .filter(
            enviada,
            or_(
                m.entregue_em.is_not(None),
                m.lido_em.is_not(None),
                m.momento < m.ultima_recebida,
            ),
        )
        .label("entregues"),
        func.count().filter(enviada, m.lido_em.is_not(None)).label("lidas"),
        func.percentile_cont(0.5)
        .within_group(leitura)
        .filter(enviada, m.lido_em.is_not(None))
        .label("leitura"),
        func.count().filter(orcamento).label("orcamentos"),
        func.count().filter(orcamento, respondido.is_not(None)).label("respondidos"),
        func.count().filter(orcamento, respondido == "orcamento:aprovar").label("aprovados"),
    ).group_by(m.chamado_id)


async def calcular(session: AsyncSession, ids: Sequence[int], config: sla.Configuracao) -> int:
    """Recompute the facts of these chamados; answers how many were written."""
    if not ids:
        return 0
    agora = utcnow()
    chamados = {c.id: c for c in await session.scalars(select(Chamado).where(Chamado.id.in_(ids)))}
    mensagens = {linha.chamado_id: linha for linha in await session.execute(_por_mensagens(ids))}
    reabertos = set(
        await session.scalars(
            select(HistoricoChamado.chamado_id).where(
                HistoricoChamado.chamado_id.in_(ids),
                HistoricoChamado.status_anterior.in_(
                    (StatusChamado.concluido, StatusChamado.cancelado)
                ),
                HistoricoChamado.status_novo.in_(ABERTOS),
            )
        )
    )
    linhas = [
        _fatos(chamado, mensagens.get(chamado_id), chamado_id in reabertos, config, agora)
        for chamado_id, chamado in chamados.items()
    ]
    stmt = insert(FatoChamado).values(linhas)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[FatoChamado.chamado_id],
            set_={k: stmt.excluded[k] for k in linhas[0] if k != "chamado_id"},
        )
    )
    return len(linhas)


def _fatos(
    chamado: Chamado,
    dados: Any,
    reaberto: bool,
    config: sla.Configuracao,
    agora: datetime,
) -> dict[str, Any]:
    cal = config.calendario
    confirmar = cal.somar(chamado.criado_em, config.politicas[chamado.prioridade].confirmar_min)
    primeira = dados.primeira if dados is not None else None
    resposta = cal.entre(chamado.criado_em, primeira) if primeira is not None else None
    if primeira is not None:
        confirmou: bool | None = primeira <= confirmar
    else:
        confirmou = False if agora > confirmar else None
    no_prazo = None
    prazo = chamado.prazo  # the agreed one, else the SLA's
    if chamado.status == StatusChamado.concluido and prazo is not None:
        no_prazo = chamado.finalizado_em is not None and chamado.finalizado_em <= prazo

    def contar(nome: str) -> int:
        return int(getattr(dados, nome)) if dados is not None else 0

    return {
        "chamado_id": chamado.id,
        "terceirizado_id": chamado.terceirizado_id,
        "criado_em": chamado.criado_em,
        "prioridade": chamado.prioridade,
        "local": chamado.local,
        "primeira_resposta_min": float(resposta) if resposta is not None else None,
        "confirmou_no_prazo": confirmou,
        "cobrancas_manuais": contar("manuais"),
        "cobrancas_automaticas": contar("automaticas"),
        "no_prazo": no_prazo,
        "orcamentos": contar("orcamentos"),
        "orcamentos_respondidos": contar("respondidos"),
        "orcamentos_aprovados": contar("aprovados"),
        "reaberto": reaberto,
        "reatribuido": chamado.reatribuir,
        "enviadas": contar("enviadas"),
        "entregues": contar("entregues"),
        "lidas": contar("lidas"),
        "leitura_mediana_min": (
            float(dados.leitura) if dados is not None and dados.leitura is not None else None
        ),
        "calculado_em": agora,
    }


# An operator's message answers the contractor's first message since the previous
# operator's message in that chamado; with none waiting it answers nothing (kept,
# with no wait, so that it is looked at once). Messages sent before operators were
# recorded (usuario_id) count when they were typed replies.
_RESPOSTAS = text(
    """
    INSERT INTO respostas_operador
        (mensagem_id, chamado_id, usuario_id, recebida_em, respondida_em, segundos)
    SELECT m.id, m.chamado_id, m.usuario_id, espera.recebida_em, m.momento,
           extract(epoch FROM m.momento - espera.recebida_em)
    FROM mensagens m
    LEFT JOIN LATERAL (
        SELECT min(r.momento) AS recebida_em
        FROM mensagens r
        WHERE r.chamado_id = m.chamado_id AND r.direcao = 'inbound'
          AND r.momento < m.momento
          AND r.momento > coalesce((
              SELECT max(o.momento) FROM mensagens o
              WHERE o.chamado_id = m.chamado_id AND o.direcao = 'outbound'
                AND (o.usuario_id IS NOT NULL OR o.tipo = 'resposta_manual')
                AND o.momento < m.momento
          ), '-infinity')
    ) espera ON true
    WHERE m.criado_em > :desde AND m.direcao = 'outbound' AND m.chamado_id IS NOT NULL
      AND (m.usuario_id IS NOT NULL OR m.tipo = 'resposta_manual')
      AND NOT EXISTS (SELECT 1 FROM respostas_operador x WHERE x.mensagem_id = m.id)
    ON CONFLICT (mensagem_id) DO NOTHING
    """
)


async def registrar_respostas(session: AsyncSession, desde: datetime | None = None) -> int:
    """File the operators' recent messages as answers (or as answering nothing)."""
    resultado = await session.execute(_RESPOSTAS, {"desde": desde or utcnow() - RESPOSTAS_RECENTES})
    return int(resultado.rowcount)  # type: ignore[attr-defined]


async def atualizar(session: AsyncSession, *, limite: int = LOTE) -> int:
    """One round: the stale facts (up to ``limite`` chamados) and the new answers."""
    config = await sla.carregar(session)
    escritos = await calcular(session, await pendentes(session, limite), config)
    await registrar_respostas(session)
    return escritos
