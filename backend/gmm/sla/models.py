"""The SLA policy and the follow-up ladder: what is configured, and which steps went out."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    ARRAY,
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Identity,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from gmm.chamados.models import Prioridade
from gmm.core.db import Base
from gmm.core.enums import enum_column


class PoliticaSla(Base):
    """How long a chamado of one priority may take, in business minutes."""

    __tablename__ = "sla_politicas"

    prioridade: Mapped[Prioridade] = mapped_column(
        enum_column(Prioridade, "prioridade"), primary_key=True
    )
    # The contractor confirms receipt (answers at all).
    confirmar_min: Mapped[int] = mapped_column(Integer)
    # The contractor schedules or starts (em andamento).
    iniciar_min: Mapped[int] = mapped_column(Integer)
    # The work is done (aguardando confirmação or concluído); an explicit prazo wins.
    concluir_min: Mapped[int] = mapped_column(Integer)


class Expediente(Base):
    """The company's working days and hours: a single row (id 1)."""

    __tablename__ = "sla_expediente"
    __table_args__ = (CheckConstraint("id = 1", name="uma_linha"),)

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, default=1)
    dias: Mapped[list[int]] = mapped_column(ARRAY(SmallInteger))
    inicio: Mapped[time]
    fim: Mapped[time]
    fuso: Mapped[str] = mapped_column(String(64))
    uf: Mapped[str | None] = mapped_column(String(2))
    # Where the overdue escalation is e-mailed besides the operators' screens.
    email_supervisor: Mapped[str | None] = mapped_column(String(254))


class Feriado(Base):
    """A company date off beyond the national and state holidays."""

    __tablename__ = "sla_feriados"

    data: Mapped[date] = mapped_column(primary_key=True)
    descricao: Mapped[str] = mapped_column(String(120))


class Etapa(StrEnum):
    """The follow-up ladder's steps, in the order a silent contractor meets them."""

    nao_entregue = "nao_entregue"  # ✓ only after a while: the operator is told to call
    nao_lida = "nao_lida"  # ✓✓ not read: a short nudge
    sem_resposta = "sem_resposta"  # read, unanswered: buttons Confirmo / Mais prazo / Não posso
    prazo_1dia = "prazo_1dia"  # the deadline is a business day away: a reminder
    prazo_2h = "prazo_2h"  # two business hours away: a reminder
    atrasado = "atrasado"  # past the deadline: priority up, operator and supervisor told


class EtapaConfig(Base):
    """One step of the ladder as an admin set it."""

    __tablename__ = "cobranca_etapas"

    etapa: Mapped[Etapa] = mapped_column(enum_column(Etapa, "etapa"), primary_key=True)
    ativa: Mapped[bool] = mapped_column(Boolean, default=True)
    # For the message steps: how long after the message was sent, delivered or read;
    # for the deadline steps: how long before the deadline (after, for atrasado).
    minutos: Mapped[int] = mapped_column(Integer)
    # What goes to the contractor ({terceirizado}, {chamado}, {titulo}, {prazo});
    # null for the steps that only tell the operator.
    texto: Mapped[str | None] = mapped_column(Text)


class CobrancaAutomatica(Base):
    """A step of the ladder taken for one chamado: at most once per waiting period.

    ``referencia`` is what the step is about: the id of the message the contractor
    has not answered (message steps), or the deadline as epoch seconds (deadline
    steps). The unique key is what lets several workers evaluate the ladder at once:
    the one whose INSERT lands takes the step, the others skip it.
    """

    __tablename__ = "cobrancas_automaticas"
    __table_args__ = (UniqueConstraint("chamado_id", "etapa", "referencia"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    chamado_id: Mapped[int] = mapped_column(ForeignKey("chamados.id", ondelete="CASCADE"))
    etapa: Mapped[Etapa] = mapped_column(enum_column(Etapa, "etapa"))
    referencia: Mapped[int] = mapped_column(BigInteger)
    mensagem_id: Mapped[int | None] = mapped_column(ForeignKey("mensagens.id", ondelete="SET NULL"))
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
