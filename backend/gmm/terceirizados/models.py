from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Identity, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from gmm.core.db import Base


class Terceirizado(Base):
    __tablename__ = "terceirizados"
    __table_args__ = (
        Index("ix_terceirizados_nome_id", "nome", "id"),
        Index("ix_terceirizados_ativo_nome_id", "ativo", "nome", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    nome: Mapped[str] = mapped_column(String(120))
    empresa: Mapped[str | None] = mapped_column(String(120))
    # Digits with country code, as the contractor's WhatsApp knows it (with or
    # without the 9th digit).
    telefone: Mapped[str] = mapped_column(String(13), unique=True)
    # The line's one spelling (mobiles with the 9th digit): the constraint refuses
    # both spellings of one number, and inbound messages match whichever form
    # WhatsApp reports.
    telefone_chave: Mapped[str] = mapped_column(String(13), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    especialidade: Mapped[str | None] = mapped_column(String(120))
    ativo: Mapped[bool] = mapped_column(default=True, server_default="true")
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
