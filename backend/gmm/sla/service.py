"""The SLA policy as configured: the business calendar, each chamado's deadlines and
the follow-up ladder's steps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Select, delete, func, literal, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute, aliased

from gmm.chamados.models import ABERTOS, Chamado, Prioridade, StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.db import utcnow
from gmm.core.errors import DomainError, NotFound
from gmm.sla import calendario
from gmm.sla.models import (
    CobrancaAutomatica,
    Etapa,
    EtapaConfig,
    Expediente,
    Feriado,
    PoliticaSla,
)
from gmm.sla.schemas import (
    AguardandoOut,
    ChamadoSlaOut,
    EtapaIn,
    EtapaOut,
    ExpedienteIn,
    ExpedienteOut,
    FeriadoIn,
    FeriadoOut,
    PassoOut,
    PoliticaIn,
    PoliticaOut,
    PrazosOut,
    ProximoOut,
    ResultadoEtapa,
    ResultadosOut,
    SlaOut,
)

# Business minutes (a working day is 600: 08:00 to 18:00): confirm, start, complete.
POLITICAS_PADRAO: dict[Prioridade, tuple[int, int, int]] = {
    Prioridade.urgente: (30, 120, 600),
    Prioridade.alta: (60, 600, 1_200),
    Prioridade.normal: (120, 1_200, 3_000),
    Prioridade.baixa: (240, 3_000, 6_000),
}

# Each step: on, business minutes, text (None: only the operator is told).
ETAPAS_PADRAO: dict[Etapa, tuple[bool, int, str | None]] = {
    Etapa.nao_entregue: (True, 30, None),
    Etapa.nao_lida: (
        True,
        120,
        "Olá, {terceirizado}! Conseguiu ver a mensagem sobre o chamado {chamado} ({titulo})?",
    ),
    Etapa.sem_resposta: (
        True,
        120,
        "{terceirizado}, pode confirmar o atendimento do chamado {chamado} ({titulo})?",
    ),
    Etapa.prazo_1dia: (
        True,
        600,
        "Lembrete: o chamado {chamado} ({titulo}) vence em {prazo}.",
    ),
    Etapa.prazo_2h: (
        True,
        120,
        "Lembrete: o prazo do chamado {chamado} ({titulo}) termina em {prazo}.",
    ),
    Etapa.atrasado: (True, 0, None),
}


class EtapaSemTexto(DomainError):
    status_code = 422
    error = "etapa_sem_texto"


@dataclass(frozen=True)
class Configuracao:
    """Everything the ladder reads, loaded once per round."""

    calendario: calendario.Calendario
    politicas: dict[Prioridade, PoliticaSla]
    etapas: dict[Etapa, EtapaConfig]
    email_supervisor: str | None


@dataclass(frozen=True)
class Prazos:
    """A chamado's deadlines. ``concluir`` is the agreed prazo when there is one."""

    confirmar: datetime
    iniciar: datetime
    concluir: datetime


async def carregar(session: AsyncSession) -> Configuracao:
    expediente = await session.get(Expediente, 1)
    feriados = frozenset(await session.scalars(select(Feriado.data)))
    if expediente is None:
        base = calendario.Expediente(feriados_extras=feriados)
        email = None
    else:
        base = calendario.Expediente(
            dias=frozenset(expediente.dias),
            inicio=expediente.inicio,
            fim=expediente.fim,
            fuso=expediente.fuso,
            uf=expediente.uf,
            feriados_extras=feriados,
        )
        email = expediente.email_supervisor
    politicas = {p.prioridade: p for p in await session.scalars(select(PoliticaSla))}
    for prioridade, (confirmar, iniciar, concluir) in POLITICAS_PADRAO.items():
        politicas.setdefault(
            prioridade,
            PoliticaSla(
                prioridade=prioridade,
                confirmar_min=confirmar,
                iniciar_min=iniciar,
                concluir_min=concluir,
            ),
        )
    etapas = {e.etapa: e for e in await session.scalars(select(EtapaConfig))}
    for etapa, (ativa, minutos, texto) in ETAPAS_PADRAO.items():
        etapas.setdefault(
            etapa, EtapaConfig(etapa=etapa, ativa=ativa, minutos=minutos, texto=texto)
        )
    return Configuracao(calendario.Calendario(base), politicas, etapas, email)


def prazo_da_politica(chamado: Chamado, config: Configuracao) -> datetime:
    """When the priority's SLA says the chamado must be done (the agreed prazo aside)."""
    politica = config.politicas[chamado.prioridade]
    return config.calendario.somar(chamado.criado_em, politica.concluir_min)


async def atualizar_prazos(session: AsyncSession, config: Configuracao) -> int:
    """Keep chamados.prazo_sla current for the open chamados (a new one, a priority
    changed, the policy or the calendar changed), so lists filter and sort by the
    deadline in SQL. Written in id order, only where it changed; answers how many."""
    abertos = await session.execute(
        select(Chamado.id, Chamado.prioridade, Chamado.criado_em, Chamado.prazo_sla)
        .where(Chamado.status.in_(ABERTOS))
        .order_by(Chamado.id)
    )
    mudados = []
    for chamado_id, prioridade, criado_em, atual in abertos:
        politica = config.politicas[prioridade]
        novo = config.calendario.somar(criado_em, politica.concluir_min)
        if novo != atual:
            mudados.append({"id": chamado_id, "prazo_sla": novo})
    if mudados:
        await session.execute(update(Chamado), mudados)
    return len(mudados)


def prazos(chamado: Chamado, config: Configuracao) -> Prazos:
    """Counted in business time from the chamado's opening; the agreed prazo wins."""
    politica = config.politicas[chamado.prioridade]
    cal = config.calendario
    aberto = chamado.criado_em
    return Prazos(
        confirmar=cal.somar(aberto, politica.confirmar_min),
        iniciar=cal.somar(aberto, politica.iniciar_min),
        concluir=chamado.prazo_combinado or prazo_da_politica(chamado, config),
    )


DESCRICAO: dict[Etapa, str] = {
    Etapa.nao_entregue: "mensagem não entregue: tente ligar para o terceirizado",
    Etapa.nao_lida: "cobrança automática enviada: a mensagem foi entregue e não lida",
    Etapa.sem_resposta: "cobrança automática enviada: a mensagem foi lida e não respondida",
    Etapa.prazo_1dia: "lembrete de prazo enviado: vence em um dia útil",
    Etapa.prazo_2h: "lembrete de prazo enviado: vence em duas horas úteis",
    Etapa.atrasado: "prazo vencido: prioridade elevada",
}


@dataclass(frozen=True)
class Aguardada:
    """Our message the contractor has not answered, with its ticks' times."""

    id: int
    status: StatusEnvio
    enviado_em: datetime | None
    entregue_em: datetime | None
    lido_em: datetime | None


_Ultima = Select[int, StatusEnvio, datetime | None, datetime | None, datetime | None]


def ultima_nossa(
    chamado_id: ColumnElement[int] | InstrumentedAttribute[int],
) -> Select[int, StatusEnvio, datetime | None, datetime | None, datetime | None]:
    """Our last message after the contractor's last one, the ladder's own left out,
    for the chamado ``chamado_id`` names (a value, or the outer query's column)."""
    # Its own name, or the subquery would take the outer query's messages as its own.
    deles = aliased(Mensagem)
    ultima_deles = (
        select(func.coalesce(func.max(deles.id), 0))
        .where(deles.chamado_id == chamado_id, deles.direcao == Direcao.inbound)
        .correlate_except(deles)
        .scalar_subquery()
    )
    return (
        select(
            Mensagem.id,
            Mensagem.status_envio,
            Mensagem.enviado_em,
            Mensagem.entregue_em,
            Mensagem.lido_em,
        )
        .where(
            Mensagem.chamado_id == chamado_id,
            Mensagem.direcao == Direcao.outbound,
            Mensagem.tipo != TipoMensagem.cobranca_automatica,
            Mensagem.id > ultima_deles,
        )
        .order_by(Mensagem.id.desc())
        .limit(1)
    )


async def aguardada(session: AsyncSession, chamado_id: int) -> Aguardada | None:
    """The message the contractor has not answered, if any."""
    linha = (await session.execute(ultima_nossa(literal(chamado_id)))).first()
    return Aguardada(*linha) if linha is not None else None


# -- the API: configuration ------------------------------------------------------------


# The steps that only tell the operators: nothing of theirs goes to the contractor.
SO_OPERADOR = frozenset({Etapa.nao_entregue, Etapa.atrasado})


def envia_ao_terceirizado(etapa: EtapaConfig) -> bool:
    return etapa.texto is not None and etapa.etapa not in SO_OPERADOR


async def ler(session: AsyncSession) -> SlaOut:
    config = await carregar(session)
    exp = config.calendario.expediente
    feriados = await session.scalars(select(Feriado).order_by(Feriado.data))
    return SlaOut(
        expediente=ExpedienteOut(
            dias=sorted(exp.dias),
            inicio=exp.inicio,
            fim=exp.fim,
            fuso=exp.fuso,
            uf=exp.uf,
            email_supervisor=config.email_supervisor,
        ),
        feriados=[FeriadoOut(data=f.data, descricao=f.descricao) for f in feriados],
        politicas=[
            PoliticaOut(
                prioridade=p.prioridade,
                confirmar_min=p.confirmar_min,
                iniciar_min=p.iniciar_min,
                concluir_min=p.concluir_min,
            )
            for p in (config.politicas[prioridade] for prioridade in Prioridade)
        ],
        etapas=[
            EtapaOut(
                etapa=e.etapa,
                ativa=e.ativa,
                minutos=e.minutos,
                texto=e.texto,
                envia_ao_terceirizado=envia_ao_terceirizado(e),
            )
            for e in (config.etapas[etapa] for etapa in Etapa)
        ],
    )


async def salvar_expediente(session: AsyncSession, dados: ExpedienteIn) -> None:
    await session.execute(
        insert(Expediente)
        .values(id=1, **dados.model_dump())
        .on_conflict_do_update(index_elements=[Expediente.id], set_=dados.model_dump())
    )


async def salvar_politica(session: AsyncSession, prioridade: Prioridade, dados: PoliticaIn) -> None:
    await session.execute(
        insert(PoliticaSla)
        .values(prioridade=prioridade, **dados.model_dump())
        .on_conflict_do_update(index_elements=[PoliticaSla.prioridade], set_=dados.model_dump())
    )


async def salvar_etapa(session: AsyncSession, etapa: Etapa, dados: EtapaIn) -> None:
    if dados.texto is None and etapa not in SO_OPERADOR:
        raise EtapaSemTexto(f"a etapa {etapa.value} envia uma mensagem: informe o texto")
    await session.execute(
        insert(EtapaConfig)
        .values(etapa=etapa, **dados.model_dump())
        .on_conflict_do_update(index_elements=[EtapaConfig.etapa], set_=dados.model_dump())
    )


async def adicionar_feriado(session: AsyncSession, dados: FeriadoIn) -> FeriadoOut:
    await session.execute(
        insert(Feriado)
        .values(**dados.model_dump())
        .on_conflict_do_update(index_elements=[Feriado.data], set_={"descricao": dados.descricao})
    )
    return FeriadoOut(data=dados.data, descricao=dados.descricao)


async def remover_feriado(session: AsyncSession, data: date) -> None:
    removido = await session.scalar(
        delete(Feriado).where(Feriado.data == data).returning(Feriado.data)
    )
    if removido is None:
        raise NotFound(f"não há feriado da empresa em {data.strftime('%d/%m/%Y')}")


# -- the API: one chamado ------------------------------------------------------------


def etapa_do_tique(mensagem: Aguardada) -> tuple[Etapa | None, datetime | None]:
    """The step the unanswered message is at, by its tick, and since when."""
    return {
        StatusEnvio.enviado: (Etapa.nao_entregue, mensagem.enviado_em),
        StatusEnvio.entregue: (Etapa.nao_lida, mensagem.entregue_em),
        StatusEnvio.lido: (Etapa.sem_resposta, mensagem.lido_em),
    }.get(mensagem.status, (None, None))


def referencia_do_prazo(prazo: datetime) -> int:
    """What a reminder is about: that deadline (a new deadline reminds again)."""
    return int(prazo.timestamp())


def referencia_do_atraso(chamado: Chamado) -> int:
    """What the escalation is about. Raising the priority moves the SLA's own
    deadline: keyed by it, it would escalate again each round. Once per agreed prazo
    (a new one, after "mais prazo", may escalate again)."""
    combinado = chamado.prazo_combinado
    return int(combinado.timestamp()) if combinado is not None else 0


def _proximos(
    chamado: Chamado,
    mensagem: Aguardada | None,
    config: Configuracao,
    feitos: set[tuple[Etapa, int]],
) -> list[ProximoOut]:
    """The steps still ahead, when each falls due (steps to the contractor wait for
    business hours, which business-time sums already land in)."""
    if chamado.status not in ABERTOS or chamado.cobranca_pausada:
        return []
    cal, etapas = config.calendario, config.etapas
    proximos: list[ProximoOut] = []
    if mensagem is not None:
        etapa, desde = etapa_do_tique(mensagem)
        pendente = etapa is not None and (etapa, mensagem.id) not in feitos
        if etapa is not None and pendente and desde is not None and etapas[etapa].ativa:
            quando = cal.somar(desde, etapas[etapa].minutos)
            proximos.append(ProximoOut(etapa=etapa, previsto_para=quando))
    if chamado.status != StatusChamado.aguardando_confirmacao:
        prazo = prazos(chamado, config).concluir
        for etapa in (Etapa.prazo_1dia, Etapa.prazo_2h):
            if etapas[etapa].ativa and (etapa, referencia_do_prazo(prazo)) not in feitos:
                quando = cal.subtrair(prazo, etapas[etapa].minutos)
                if quando < prazo:
                    proximos.append(ProximoOut(etapa=etapa, previsto_para=quando))
        atraso = etapas[Etapa.atrasado]
        if atraso.ativa and (Etapa.atrasado, referencia_do_atraso(chamado)) not in feitos:
            quando = cal.somar(prazo, atraso.minutos)
            proximos.append(ProximoOut(etapa=Etapa.atrasado, previsto_para=quando))
    return sorted(proximos, key=lambda p: p.previsto_para)


async def do_chamado(session: AsyncSession, chamado: Chamado) -> ChamadoSlaOut:
    config = await carregar(session)
    p = prazos(chamado, config)
    mensagem = await aguardada(session, chamado.id)
    aguardando = None
    if mensagem is not None:
        aguardando = AguardandoOut(
            mensagem_id=mensagem.id,
            status_envio=mensagem.status,
            desde=etapa_do_tique(mensagem)[1],
        )
    feitos = list(
        await session.execute(
            select(
                CobrancaAutomatica.etapa,
                CobrancaAutomatica.referencia,
                CobrancaAutomatica.criado_em,
            )
            .where(CobrancaAutomatica.chamado_id == chamado.id)
            .order_by(CobrancaAutomatica.id)
        )
    )
    tomados = {(etapa, referencia) for etapa, referencia, _ in feitos}
    return ChamadoSlaOut(
        prazos=PrazosOut(
            confirmar=p.confirmar,
            iniciar=p.iniciar,
            concluir=p.concluir,
            concluir_combinado=chamado.prazo_combinado is not None,
        ),
        pausada=chamado.cobranca_pausada,
        reatribuir=chamado.reatribuir,
        aguardando=aguardando,
        passos=[
            PassoOut(etapa=etapa, descricao=DESCRICAO[etapa], feito_em=quando)
            for etapa, _, quando in feitos
        ],
        proximos=_proximos(chamado, mensagem, config, tomados),
    )


async def resultados(session: AsyncSession, dias: int) -> ResultadosOut:
    """What each step achieved: how many were taken in the last ``dias`` days, and
    after how many of them the contractor wrote back."""
    respondeu = (
        select(Mensagem.id)
        .where(
            Mensagem.chamado_id == CobrancaAutomatica.chamado_id,
            Mensagem.direcao == Direcao.inbound,
            Mensagem.criado_em > CobrancaAutomatica.criado_em,
        )
        .exists()
    )
    linhas = await session.execute(
        select(
            CobrancaAutomatica.etapa,
            func.count(),
            func.count().filter(respondeu),
        )
        .where(CobrancaAutomatica.criado_em > utcnow() - timedelta(days=dias))
        .group_by(CobrancaAutomatica.etapa)
    )
    por_etapa = {etapa: (tomadas, com_resposta) for etapa, tomadas, com_resposta in linhas}
    return ResultadosOut(
        dias=dias,
        etapas=[
            ResultadoEtapa(
                etapa=etapa,
                tomadas=por_etapa.get(etapa, (0, 0))[0],
                com_resposta=por_etapa.get(etapa, (0, 0))[1],
            )
            for etapa in Etapa
        ],
    )
