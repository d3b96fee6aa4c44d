"""The scorecard, read from the facts (gmm/desempenho/fatos.py): one indexed range of
fatos_chamado rows per question, aggregated in PostgreSQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Float, Integer, Select, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Usuario
from gmm.chamados.models import Prioridade
from gmm.core.db import contains_pattern
from gmm.core.errors import DomainError, NotFound
from gmm.desempenho.models import FatoChamado, RespostaOperador
from gmm.desempenho.schemas import (
    Atencao,
    DetalheOut,
    Metrica,
    OperadoresOut,
    Placar,
    PlacarTerceirizado,
    PontoSerie,
    RankingOut,
    TempoHora,
    TempoOperador,
    TempoResposta,
)
from gmm.terceirizados.models import Terceirizado

PERIODO_MAXIMO = timedelta(days=366)
SERIE = timedelta(days=90)
# "Atenção": the last 30 days against the 60 before, with enough chamados in each.
RECENTE, ANTERIOR, AMOSTRA_MINIMA = 30, 60, 3

METRICAS = [
    Metrica(chave="chamados", nome="Chamados", unidade="numero", melhor="maior",
            descricao="Chamados abertos para o terceirizado no período."),
    Metrica(chave="resposta_mediana_min", nome="1ª resposta (mediana)", unidade="min",
            melhor="menor",
            descricao="Da abertura do chamado à primeira mensagem do terceirizado, em minutos "
            "úteis (expediente e feriados da política de SLA); a mediana dos chamados que "
            "tiveram resposta."),
    Metrica(chave="resposta_p90_min", nome="1ª resposta (p90)", unidade="min", melhor="menor",
            descricao="O mesmo tempo, abaixo do qual ficam 90% dos chamados respondidos."),
    Metrica(chave="confirmados_no_prazo", nome="Confirmados no SLA", unidade="fracao",
            melhor="maior",
            descricao="Chamados com a primeira resposta dentro do prazo de confirmação da "
            "prioridade, entre os já decididos (respondidos, ou sem resposta com o prazo "
            "vencido)."),
    Metrica(chave="cobrancas_manuais_por_chamado", nome="Cobranças manuais", melhor="menor",
            unidade="por_chamado", descricao="Cobranças enviadas por operadores, por chamado."),
    Metrica(chave="cobrancas_automaticas_por_chamado", nome="Cobranças automáticas",
            unidade="por_chamado", melhor="menor",
            descricao="Passos da cobrança automática enviados, por chamado."),
    Metrica(chave="concluidos_no_prazo", nome="Concluídos no prazo", unidade="fracao",
            melhor="maior",
            descricao="Chamados concluídos até o prazo que valia (o combinado, senão o do "
            "SLA), entre os concluídos que tinham prazo."),
    Metrica(chave="aprovacao_orcamentos", nome="Orçamentos aprovados", unidade="fracao",
            melhor="maior",
            descricao="Orçamentos aprovados entre os orçamentos enviados para aprovação que "
            "tiveram resposta."),
    Metrica(chave="reabertos", nome="Reabertos", unidade="numero", melhor="menor",
            descricao="Chamados que voltaram a abrir depois de concluídos ou cancelados."),
    Metrica(chave="reatribuidos", nome="Reatribuídos", unidade="numero", melhor="menor",
            descricao="Chamados em que o terceirizado respondeu \"Não posso atender\"."),
    Metrica(chave="entregues", nome="Entregues", unidade="fracao", melhor="maior",
            descricao="Nossas mensagens aceitas pelo WhatsApp que chegaram ao celular (✓✓), "
            "contando como entregue a que foi seguida de uma resposta."),
    Metrica(chave="lidas", nome="Lidas", unidade="fracao", melhor="maior",
            descricao="Nossas mensagens aceitas pelo WhatsApp que o terceirizado leu (✓✓ azul)."),
    Metrica(chave="leitura_mediana_min", nome="Tempo até ler", unidade="min", melhor="menor",
            descricao="Do envio à leitura, em minutos corridos: a mediana, entre os chamados, "
            "da mediana de cada chamado."),
]  # fmt: skip


class PeriodoInvalido(DomainError):
    status_code = 422
    error = "periodo_invalido"


@dataclass(frozen=True)
class Periodo:
    de: date
    ate: date  # inclusive
    fuso: ZoneInfo

    @property
    def inicio(self) -> datetime:
        return datetime.combine(self.de, time(), tzinfo=self.fuso)

    @property
    def fim(self) -> datetime:
        return datetime.combine(self.ate + timedelta(days=1), time(), tzinfo=self.fuso)


def periodo(de: date | None, ate: date | None, fuso: ZoneInfo, hoje: date) -> Periodo:
    """The asked period (default: the last 30 days, today included)."""
    ate = ate or hoje
    de = de or ate - timedelta(days=29)
    if de > ate:
        raise PeriodoInvalido("`de` deve ser anterior ou igual a `ate`")
    if ate - de > PERIODO_MAXIMO:
        raise PeriodoInvalido("o período tem no máximo 366 dias")
    return Periodo(de, ate, fuso)


def _fracao(soma: Any, total: Any) -> Any:
    return cast(soma, Float) / func.nullif(total, 0)


def _media_bool(coluna: Any) -> Any:
    return func.avg(cast(coluna, Integer))


_PLACAR = (
    func.count().label("chamados"),
    func.count().filter(FatoChamado.primeira_resposta_min.is_(None)).label("sem_resposta"),
    func.percentile_cont(0.5)
    .within_group(FatoChamado.primeira_resposta_min)
    .label("resposta_mediana_min"),
    func.percentile_cont(0.9)
    .within_group(FatoChamado.primeira_resposta_min)
    .label("resposta_p90_min"),
    _media_bool(FatoChamado.confirmou_no_prazo).label("confirmados_no_prazo"),
    func.avg(FatoChamado.cobrancas_manuais).label("cobrancas_manuais_por_chamado"),
    func.avg(FatoChamado.cobrancas_automaticas).label("cobrancas_automaticas_por_chamado"),
    _media_bool(FatoChamado.no_prazo).label("concluidos_no_prazo"),
    _fracao(
        func.sum(FatoChamado.orcamentos_aprovados), func.sum(FatoChamado.orcamentos_respondidos)
    ).label("aprovacao_orcamentos"),
    func.count().filter(FatoChamado.reaberto).label("reabertos"),
    func.count().filter(FatoChamado.reatribuido).label("reatribuidos"),
    _fracao(func.sum(FatoChamado.entregues), func.sum(FatoChamado.enviadas)).label("entregues"),
    _fracao(func.sum(FatoChamado.lidas), func.sum(FatoChamado.enviadas)).label("lidas"),
    func.percentile_cont(0.5)
    .within_group(FatoChamado.leitura_mediana_min)
    .label("leitura_mediana_min"),
)
_CAMPOS = [c.name for c in _PLACAR]


def _placar(linha: Any) -> dict[str, Any]:
    dados = {campo: getattr(linha, campo) for campo in _CAMPOS}
    return {k: float(v) if isinstance(v, int | float) and k not in _INTEIROS else v
            for k, v in dados.items()}  # fmt: skip


_INTEIROS = {"chamados", "sem_resposta", "reabertos", "reatribuidos"}


def _filtrado(
    consulta: Select[Any],
    inicio: datetime,
    fim: datetime,
    prioridade: Prioridade | None,
    local: str | None,
) -> Select[Any]:
    consulta = consulta.where(FatoChamado.criado_em >= inicio, FatoChamado.criado_em < fim)
    if prioridade is not None:
        consulta = consulta.where(FatoChamado.prioridade == prioridade)
    if local:
        consulta = consulta.where(FatoChamado.local.ilike(contains_pattern(local)))
    return consulta


async def _por_terceirizado(
    session: AsyncSession,
    inicio: datetime,
    fim: datetime,
    prioridade: Prioridade | None = None,
    local: str | None = None,
    terceirizado_id: int | None = None,
) -> list[PlacarTerceirizado]:
    consulta = _filtrado(
        select(FatoChamado.terceirizado_id, Terceirizado.nome, Terceirizado.empresa, *_PLACAR)
        .join(Terceirizado, Terceirizado.id == FatoChamado.terceirizado_id)
        .group_by(FatoChamado.terceirizado_id, Terceirizado.nome, Terceirizado.empresa)
        .order_by(Terceirizado.nome, FatoChamado.terceirizado_id),
        inicio,
        fim,
        prioridade,
        local,
    )
    if terceirizado_id is not None:
        consulta = consulta.where(FatoChamado.terceirizado_id == terceirizado_id)
    return [
        PlacarTerceirizado(
            terceirizado_id=linha.terceirizado_id,
            nome=linha.nome,
            empresa=linha.empresa,
            **_placar(linha),
        )
        for linha in await session.execute(consulta)
    ]


async def ranking(
    session: AsyncSession, p: Periodo, prioridade: Prioridade | None, local: str | None
) -> RankingOut:
    """Every contractor with chamados opened in the period, with their figures."""
    itens = await _por_terceirizado(session, p.inicio, p.fim, prioridade, local)
    return RankingOut(de=p.de, ate=p.ate, metricas=METRICAS, itens=itens)


def _vazio() -> dict[str, Any]:
    return {c: (0 if c in _INTEIROS else None) for c in _CAMPOS}


async def detalhe(session: AsyncSession, terceirizado_id: int, p: Periodo) -> DetalheOut:
    """A contractor's figures for the period, and week by week over the 90 days to ``ate``."""
    terceirizado = await session.get(Terceirizado, terceirizado_id)
    if terceirizado is None:
        raise NotFound(f"terceirizado {terceirizado_id} não encontrado")
    [placar] = await _por_terceirizado(
        session, p.inicio, p.fim, terceirizado_id=terceirizado_id
    ) or [
        PlacarTerceirizado(
            terceirizado_id=terceirizado.id,
            nome=terceirizado.nome,
            empresa=terceirizado.empresa,
            **_vazio(),
        )
    ]
    semana = func.date_trunc("week", func.timezone(p.fuso.key, FatoChamado.criado_em))
    inicio_serie = p.fim - SERIE
    linhas = await session.execute(
        _filtrado(
            select(semana.label("semana"), *_PLACAR)
            .where(FatoChamado.terceirizado_id == terceirizado_id)
            .group_by(semana)
            .order_by(semana),
            inicio_serie,
            p.fim,
            None,
            None,
        )
    )
    serie = [PontoSerie(semana=linha.semana.date(), **_placar(linha)) for linha in linhas]
    return DetalheOut(de=p.de, ate=p.ate, placar=placar, serie=serie, metricas=METRICAS)


def _piorou(antes: Placar, agora: Placar) -> list[str]:
    motivos = []
    a, b = antes.resposta_mediana_min, agora.resposta_mediana_min
    if a is not None and b is not None and b >= a * 1.5 and b - a >= 30:
        motivos.append(f"1ª resposta (mediana) passou de {a:.0f} para {b:.0f} min úteis")
    for campo, nome in (
        ("confirmados_no_prazo", "confirmados no SLA"),
        ("concluidos_no_prazo", "concluídos no prazo"),
        ("lidas", "mensagens lidas"),
    ):
        x, y = getattr(antes, campo), getattr(agora, campo)
        if x is not None and y is not None and x - y >= 0.2:
            motivos.append(f"{nome} caiu de {x:.0%} para {y:.0%}")
    return motivos


async def atencao(session: AsyncSession, p: Periodo) -> list[Atencao]:
    """Contractors getting worse: the 30 days to ``ate`` against the 60 before them."""
    meio = p.fim - timedelta(days=RECENTE)
    recentes = {x.terceirizado_id: x for x in await _por_terceirizado(session, meio, p.fim)}
    anteriores = {
        x.terceirizado_id: x
        for x in await _por_terceirizado(session, meio - timedelta(days=ANTERIOR), meio)
    }
    itens = []
    for terceirizado_id, agora in recentes.items():
        antes = anteriores.get(terceirizado_id)
        if antes is None or min(antes.chamados, agora.chamados) < AMOSTRA_MINIMA:
            continue
        if motivos := _piorou(antes, agora):
            itens.append(
                Atencao(
                    terceirizado_id=terceirizado_id,
                    nome=agora.nome,
                    motivos=motivos,
                    antes=Placar.model_validate(antes.model_dump()),
                    agora=Placar.model_validate(agora.model_dump()),
                )
            )
    return sorted(itens, key=lambda x: (-len(x.motivos), x.nome))


def _tempos() -> tuple[Any, ...]:
    minutos = RespostaOperador.segundos / 60
    return (
        func.count().label("respostas"),
        func.percentile_cont(0.5).within_group(minutos).label("mediana_min"),
        func.percentile_cont(0.9).within_group(minutos).label("p90_min"),
    )


async def operadores(session: AsyncSession, p: Periodo) -> OperadoresOut:
    """How long contractors wait for an operator's answer: overall, per operator and by
    the hour (in the company's time zone) the contractor wrote."""

    def no_periodo(consulta: Select[Any]) -> Select[Any]:
        return consulta.where(
            RespostaOperador.recebida_em.is_not(None),
            RespostaOperador.respondida_em >= p.inicio,
            RespostaOperador.respondida_em < p.fim,
        )

    geral = (await session.execute(no_periodo(select(*_tempos())))).one()
    por_usuario = await session.execute(
        no_periodo(
            select(RespostaOperador.usuario_id, Usuario.nome, *_tempos())
            .outerjoin(Usuario, Usuario.id == RespostaOperador.usuario_id)
            .group_by(RespostaOperador.usuario_id, Usuario.nome)
            .order_by(Usuario.nome.nulls_last())
        )
    )
    hora = func.extract("hour", func.timezone(p.fuso.key, RespostaOperador.recebida_em))
    por_hora = await session.execute(
        no_periodo(select(hora.label("hora"), *_tempos()).group_by(hora).order_by(hora))
    )

    def tempos(linha: Any) -> dict[str, Any]:
        return {"respostas": linha.respostas, "mediana_min": linha.mediana_min,
                "p90_min": linha.p90_min}  # fmt: skip

    return OperadoresOut(
        de=p.de,
        ate=p.ate,
        geral=TempoResposta(**tempos(geral)),
        por_operador=[
            TempoOperador(
                usuario_id=linha.usuario_id,
                nome=linha.nome or "Sem operador identificado",
                **tempos(linha),
            )
            for linha in por_usuario
        ],
        por_hora=[TempoHora(hora=int(linha.hora), **tempos(linha)) for linha in por_hora],
    )
