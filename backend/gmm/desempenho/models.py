"""What the performance reports read: one row of facts per chamado, one per answer.

Both are kept incrementally (gmm/desempenho/fatos.py, and the send door for the
operators' answers), so a report reads a handful of indexed rows per chamado instead
of its whole history.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from gmm.chamados.models import Prioridade
from gmm.core.db import Base
from gmm.core.enums import enum_column


class FatoChamado(Base):
    """A chamado's facts as the scorecard counts them (docs/desempenho.md)."""

    __tablename__ = "fatos_chamado"
    __table_args__ = (
        Index("ix_fatos_chamado_terceirizado_criado_em", "terceirizado_id", "criado_em"),
        Index("ix_fatos_chamado_criado_em", "criado_em"),
    )

    chamado_id: Mapped[int] = mapped_column(
        ForeignKey("chamados.id", ondelete="CASCADE"), primary_key=True
    )
    terceirizado_id: Mapped[int] = mapped_column(ForeignKey("terceirizados.id", ondelete="CASCADE"))
    # The chamado's own, copied so that a report filters without a join.
    criado_em: Mapped[datetime]
    prioridade: Mapped[Prioridade] = mapped_column(enum_column(Prioridade, "prioridade"))
    local: Mapped[str | None] = mapped_column(String(120))
    # From the opening to the contractor's first message, in business minutes.
    primeira_resposta_min: Mapped[float | None] = mapped_column(Float)
    # First message within the priority's "confirmar" deadline; None while undecided.
    confirmou_no_prazo: Mapped[bool | None] = mapped_column(Boolean)
    cobrancas_manuais: Mapped[int] = mapped_column(Integer)
    cobrancas_automaticas: Mapped[int] = mapped_column(Integer)
    # Finished (concluido) by the prazo that counted; None: not finished or no prazo.
    no_prazo: Mapped[bool | None] = mapped_column(Boolean)
    orcamentos: Mapped[int] = mapped_column(Integer)
    orcamentos_respondidos: Mapped[int] = mapped_column(Integer)
    orcamentos_aprovados: Mapped[int] = mapped_column(Integer)
    reaberto: Mapped[bool] = mapped_column(Boolean)
    reatribuido: Mapped[bool] = mapped_column(Boolean)
    # Our messages that reached the gateway, and of those the delivered and the read.
    enviadas: Mapped[int] = mapped_column(Integer)
    entregues: Mapped[int] = mapped_column(Integer)
    lidas: Mapped[int] = mapped_column(Integer)
    leitura_mediana_min: Mapped[float | None] = mapped_column(Float)
    calculado_em: Mapped[datetime]


class RespostaOperador(Base):
    """An operator's answer to a contractor: how long the contractor waited for it."""

    __tablename__ = "respostas_operador"
    __table_args__ = (
        Index("ix_respostas_operador_respondida_em", "respondida_em"),
        Index("ix_respostas_operador_usuario_respondida_em", "usuario_id", "respondida_em"),
    )

    # The operator's message that answered.
    mensagem_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("mensagens.id", ondelete="CASCADE"), primary_key=True
    )
    chamado_id: Mapped[int] = mapped_column(ForeignKey("chamados.id", ondelete="CASCADE"))
    usuario_id: Mapped[int | None] = mapped_column(ForeignKey("usuarios.id", ondelete="SET NULL"))
    # The contractor's first message that was waiting for an operator, and how long it
    # waited; None when nothing was waiting (kept so the message is looked at once).
    recebida_em: Mapped[datetime | None]
    respondida_em: Mapped[datetime]
    segundos: Mapped[float | None] = mapped_column(Float)
