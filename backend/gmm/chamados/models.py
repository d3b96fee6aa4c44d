from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gmm.core.db import Base, utcnow
from gmm.core.enums import enum_column
from gmm.terceirizados.models import Terceirizado


class StatusChamado(StrEnum):
    aguardando = "aguardando"
    em_andamento = "em_andamento"
    # The contractor says the work is done; an operator confirms (finalizar).
    aguardando_confirmacao = "aguardando_confirmacao"
    concluido = "concluido"
    cancelado = "cancelado"


ABERTOS = (
    StatusChamado.aguardando,
    StatusChamado.em_andamento,
    StatusChamado.aguardando_confirmacao,
)


class Prioridade(StrEnum):
    baixa = "baixa"
    normal = "normal"
    alta = "alta"
    urgente = "urgente"


class Chamado(Base):
    __tablename__ = "chamados"
    __table_args__ = (
        Index("ix_chamados_criado_em_id", "criado_em", "id"),
        Index("ix_chamados_status_criado_em_id", "status", "criado_em", "id"),
        Index("ix_chamados_prioridade_criado_em_id", "prioridade", "criado_em", "id"),
        Index("ix_chamados_terceirizado_criado_em_id", "terceirizado_id", "criado_em", "id"),
        # The message center lists conversations by last activity.
        Index("ix_chamados_ultima_atividade_id", "ultima_atividade_em", "id"),
        Index("ix_chamados_status_ultima_atividade_id", "status", "ultima_atividade_em", "id"),
        # Overdue lists only look at open chamados with a deadline.
        Index(
            "ix_chamados_prazo_abertos",
            "prazo_combinado",
            postgresql_where=text(
                "status IN ('aguardando', 'em_andamento', 'aguardando_confirmacao')"
            ),
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    numero_chamado: Mapped[str] = mapped_column(String(20), unique=True)
    terceirizado_id: Mapped[int] = mapped_column(ForeignKey("terceirizados.id"))
    titulo: Mapped[str] = mapped_column(String(200))
    descricao: Mapped[str | None] = mapped_column(Text)
    # The building or place the work is at ("Bloco B, Condomínio Jardins"): what a
    # contractor with several open chamados tells them apart by.
    local: Mapped[str | None] = mapped_column(String(120))
    status: Mapped[StatusChamado] = mapped_column(
        enum_column(StatusChamado, "status"), default=StatusChamado.aguardando
    )
    prioridade: Mapped[Prioridade] = mapped_column(
        enum_column(Prioridade, "prioridade"), default=Prioridade.normal
    )
    prazo_combinado: Mapped[datetime | None]
    criado_por: Mapped[int | None] = mapped_column(ForeignKey("usuarios.id", ondelete="SET NULL"))
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
    atualizado_em: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    finalizado_em: Mapped[datetime | None]
    # The contractor's quote, once given (a bare "1500" after a quote request, or
    # the amount an operator sent for approval).
    valor_orcamento: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    # The visit the contractor confirmed with "Confirmo".
    visita_em: Mapped[datetime | None]
    # Time of the last message either way (or creation): keeps the message
    # center's "ordered by last activity" an index scan instead of an aggregate
    # over the whole history.
    ultima_atividade_em: Mapped[datetime] = mapped_column(server_default=func.now())
    # The deadline the priority's SLA gives, in business time (gmm.sla keeps it
    # current each minute); the agreed prazo_combinado wins over it.
    prazo_sla: Mapped[datetime | None]
    # The contractor answered "Não posso atender": another one must take it.
    reatribuir: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    # An operator paused the follow-up ladder (gmm.sla) for this chamado.
    cobranca_pausada: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=text("false")
    )

    terceirizado: Mapped[Terceirizado] = relationship(lazy="raise")

    @property
    def prazo(self) -> datetime | None:
        """The deadline that counts: the agreed one, else the SLA's."""
        return self.prazo_combinado or self.prazo_sla

    @property
    def atrasado(self) -> bool:
        prazo = self.prazo
        return prazo is not None and self.status in ABERTOS and prazo < utcnow()

    # atualizado_em changes in SQL on every UPDATE; fetch it back with RETURNING.
    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy reads it


# The deadline that counts, in SQL (Chamado.prazo's twin): the agreed one, else the SLA's.
PRAZO_EFETIVO = func.coalesce(Chamado.prazo_combinado, Chamado.prazo_sla)


class SequenciaChamado(Base):
    """Per-year counter behind numero_chamado.

    Incremented with one upsert; the row lock serialises concurrent creations
    until commit, so numbers are unique and have no gaps from rolled-back work.
    """

    __tablename__ = "sequencias_chamado"

    ano: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    ultimo: Mapped[int] = mapped_column(Integer)


class OrigemHistorico(StrEnum):
    operador = "operador"
    terceirizado = "terceirizado"  # a reply button, a keyword, a bare amount
    automacao = "automacao"
    prestador = "prestador"  # the contractor's link, without an account
    sistema = "sistema"


class HistoricoChamado(Base):
    """What happened to a chamado and who made it happen, newest last."""

    __tablename__ = "historico_chamado"
    __table_args__ = (Index("ix_historico_chamado_chamado_id_id", "chamado_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    chamado_id: Mapped[int] = mapped_column(ForeignKey("chamados.id", ondelete="CASCADE"))
    status_anterior: Mapped[StatusChamado | None] = mapped_column(
        enum_column(StatusChamado, "status_anterior")
    )
    status_novo: Mapped[StatusChamado | None] = mapped_column(
        enum_column(StatusChamado, "status_novo")
    )
    origem: Mapped[OrigemHistorico] = mapped_column(enum_column(OrigemHistorico, "origem"))
    descricao: Mapped[str] = mapped_column(Text)
    usuario_id: Mapped[int | None] = mapped_column(ForeignKey("usuarios.id", ondelete="SET NULL"))
    mensagem_id: Mapped[int | None] = mapped_column(ForeignKey("mensagens.id", ondelete="SET NULL"))
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
