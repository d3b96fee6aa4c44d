"""Exports for audits: the chamados as a spreadsheet, a chamado's conversation as a PDF."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.concurrency import run_in_threadpool

from gmm.auth.models import Usuario
from gmm.chamados import service as chamados
from gmm.chamados.filtros import ATRASADO, FiltrosChamados
from gmm.chamados.models import PRAZO_EFETIVO, Chamado, HistoricoChamado, Prioridade
from gmm.chamados.schemas import ChamadoOut, HistoricoOut
from gmm.conversas import service as conversas
from gmm.conversas.models import Mensagem, TipoConteudo
from gmm.core.db import utcnow
from gmm.core.errors import DomainError
from gmm.desempenho import service as desempenho
from gmm.midia import armazenamento as midia
from gmm.relatorios import pdf, textos
from gmm.relatorios.pdf import LinhaHistorico, MensagemTranscrita, Transcricao
from gmm.relatorios.tabela import Celula, Coluna, FormatoPlanilha, csv_stream, xlsx_bytes
from gmm.terceirizados.models import Terceirizado

# An export is one query and one file: past this many chamados the operator is asked
# to narrow the filters (a spreadsheet that size is no longer read, only filtered).
MAXIMO_LINHAS = 50_000


class ExportacaoGrande(DomainError):
    status_code = 422
    error = "exportacao_grande"


@dataclass(frozen=True)
class Arquivo:
    """A file to hand back: its name, its type and its bytes (or a stream of them)."""

    nome: str
    media_type: str
    corpo: bytes | Iterator[bytes]


COLUNAS_CHAMADOS = (
    Coluna("Número", 14),
    Coluna("Título", 40),
    Coluna("Local", 28),
    Coluna("Status", 22),
    Coluna("Prioridade", 11),
    Coluna("Terceirizado", 28),
    Coluna("Empresa", 24),
    Coluna("Telefone", 17),
    Coluna("Criado em", 17),
    Coluna("Prazo", 17),
    Coluna("Atrasado", 10),
    Coluna("Finalizado em", 17),
    Coluna("Valor do orçamento", 19),
)


async def linhas_chamados(
    session: AsyncSession, filtros: FiltrosChamados
) -> list[tuple[Celula, ...]]:
    """Every chamado ``filtros`` select, newest first as on the screen, one row each
    in ``COLUNAS_CHAMADOS``' order; ExportacaoGrande (422) past ``MAXIMO_LINHAS``.

    Read in one query, into plain rows (no ORM objects), before the file is written:
    the connection goes back to the pool at once instead of waiting on the client's
    download, and the 422 comes before any byte of the file."""
    query = (
        select(
            Chamado.numero_chamado,
            Chamado.titulo,
            Chamado.local,
            Chamado.status,
            Chamado.prioridade,
            Terceirizado.nome,
            Terceirizado.empresa,
            Terceirizado.telefone,
            Chamado.criado_em,
            PRAZO_EFETIVO.label("prazo"),
            ATRASADO.label("atrasado"),
            Chamado.finalizado_em,
            Chamado.valor_orcamento,
        )
        .join(Terceirizado, Terceirizado.id == Chamado.terceirizado_id)
        .where(*filtros.condicoes())
        .order_by(Chamado.criado_em.desc(), Chamado.id.desc())
        .limit(MAXIMO_LINHAS + 1)
    )
    linhas = (await session.execute(query)).all()
    if len(linhas) > MAXIMO_LINHAS:
        raise ExportacaoGrande(
            f"a exportação passa de {textos.inteiro(MAXIMO_LINHAS)} chamados: "
            "filtre por status, terceirizado, prioridade ou atrasados"
        )
    return [
        (
            linha.numero_chamado,
            linha.titulo,
            linha.local,
            textos.STATUS[linha.status],
            textos.PRIORIDADE[linha.prioridade],
            linha.nome,
            linha.empresa,
            textos.telefone(linha.telefone),
            linha.criado_em,
            linha.prazo,
            linha.atrasado,
            linha.finalizado_em,
            linha.valor_orcamento,
        )
        for linha in linhas
    ]


async def exportar_chamados(
    session: AsyncSession, filtros: FiltrosChamados, formato: FormatoPlanilha, *, fuso: ZoneInfo
) -> Arquivo:
    linhas = await linhas_chamados(session, filtros)
    nome = f"chamados-{utcnow().astimezone(fuso):%Y-%m-%d-%H%M}.{formato.value}"
    if formato is FormatoPlanilha.csv:
        return Arquivo(nome, formato.media_type, csv_stream(COLUNAS_CHAMADOS, linhas, fuso=fuso))
    corpo = await run_in_threadpool(xlsx_bytes, "Chamados", COLUNAS_CHAMADOS, linhas, fuso=fuso)
    return Arquivo(nome, formato.media_type, corpo)


async def transcricao(session: AsyncSession, chamado_id: int, media_dir: Path) -> Transcricao:
    """Everything the printed transcript shows, read before it is drawn (in a thread,
    with no session): the chamado, every message in conversation order with what it
    quotes and its stored photo, and the history with who did each step."""
    chamado = await chamados.obter(session, chamado_id)
    linhas = list(
        await session.scalars(
            select(Mensagem)
            .where(Mensagem.chamado_id == chamado_id)
            .order_by(Mensagem.momento, Mensagem.id)
        )
    )
    mensagens = [
        MensagemTranscrita(momento=linha.momento, mensagem=saida, imagem=_foto(linha, media_dir))
        for linha, saida in zip(linhas, await conversas.saidas(session, linhas), strict=True)
    ]
    historico = await session.execute(
        select(HistoricoChamado, Usuario.nome)
        .outerjoin(Usuario, Usuario.id == HistoricoChamado.usuario_id)
        .where(HistoricoChamado.chamado_id == chamado_id)
        .order_by(HistoricoChamado.id)
    )
    return Transcricao(
        chamado=ChamadoOut.model_validate(chamado),
        prazo=chamado.prazo,
        mensagens=mensagens,
        historico=[
            LinhaHistorico(historico=HistoricoOut.model_validate(h), usuario=nome)
            for h, nome in historico
        ],
    )


def _foto(mensagem: Mensagem, media_dir: Path) -> Path | None:
    """The stored file of a photo (gmm.midia's name under ``url_midia``), if it is there."""
    if mensagem.tipo_conteudo != TipoConteudo.image or not mensagem.url_midia:
        return None
    if not mensagem.url_midia.startswith(midia.URL_PREFIXO):
        return None
    return midia.caminho(media_dir, mensagem.url_midia.removeprefix(midia.URL_PREFIXO))


async def transcricao_pdf(
    session: AsyncSession, chamado_id: int, *, fuso: ZoneInfo, media_dir: Path
) -> Arquivo:
    dados = await transcricao(session, chamado_id, media_dir)
    corpo = await run_in_threadpool(pdf.gerar, dados, fuso=fuso, gerado_em=utcnow())
    return Arquivo(f"transcricao-{dados.chamado.numero_chamado}.pdf", "application/pdf", corpo)


def _colunas_desempenho() -> tuple[Coluna, ...]:
    sufixo = {"min": " (min)", "fracao": " (%)", "numero": "", "por_chamado": " por chamado"}
    return (
        Coluna("Terceirizado", 28),
        Coluna("Empresa", 24),
        Coluna("Sem resposta", 13),
        *(Coluna(m.nome + sufixo[m.unidade], 16) for m in desempenho.METRICAS),
    )


def _celula_desempenho(valor: float | int | None, unidade: str) -> Celula:
    if valor is None:
        return None
    if unidade == "fracao":
        return round(float(valor) * 100, 1)
    if unidade in ("min", "por_chamado"):
        return round(float(valor), 2)
    return int(valor)


async def exportar_desempenho(
    session: AsyncSession,
    periodo: desempenho.Periodo,
    prioridade: Prioridade | None,
    local: str | None,
    formato: FormatoPlanilha,
) -> Arquivo:
    """The contractors' scorecard (GET /api/desempenho/terceirizados) as a spreadsheet:
    one row per contractor, one column per figure, named with its unit."""
    ranking = await desempenho.ranking(session, periodo, prioridade, local)
    linhas = [
        (
            item.nome,
            item.empresa,
            item.sem_resposta,
            *(_celula_desempenho(getattr(item, m.chave), m.unidade) for m in desempenho.METRICAS),
        )
        for item in ranking.itens
    ]
    colunas, fuso = _colunas_desempenho(), periodo.fuso
    nome = f"desempenho-{periodo.de:%Y-%m-%d}-a-{periodo.ate:%Y-%m-%d}.{formato.value}"
    if formato is FormatoPlanilha.csv:
        return Arquivo(nome, formato.media_type, csv_stream(colunas, linhas, fuso=fuso))
    corpo = await run_in_threadpool(xlsx_bytes, "Desempenho", colunas, linhas, fuso=fuso)
    return Arquivo(nome, formato.media_type, corpo)
