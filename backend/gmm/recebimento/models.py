from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from gmm.core.db import Base


class RoteamentoTerceirizado(Base):
    """Where a contractor's messages go when they have several open chamados.

    One row per contractor, locked by every inbound message of theirs before it is
    routed (the lock order: this row, then the chamado's), so a message held as
    "a classificar" and the contractor's choice of chamado never cross."""

    __tablename__ = "roteamento_terceirizados"

    terceirizado_id: Mapped[int] = mapped_column(
        ForeignKey("terceirizados.id", ondelete="CASCADE"), primary_key=True
    )
    # When "Sobre qual chamado é sua mensagem?" last went out (asked at most once
    # per GMM_ROTEAMENTO_PERGUNTA_MINUTOS).
    perguntado_em: Mapped[datetime | None]
    # The chamado the contractor picked, and until when their next messages go there.
    escolhido_chamado_id: Mapped[int | None] = mapped_column(
        ForeignKey("chamados.id", ondelete="SET NULL")
    )
    escolha_ate: Mapped[datetime | None]
