from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Identity, Index, String, func
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


class IdentidadeTerceirizado(Base):
    """An id a contractor's WhatsApp events carried: their number's jids (with and
    without the 9th digit, ``@s.whatsapp.net`` or ``@c.us``) and opaque ``@lid`` ids.

    Learned from every event that names the contractor, so a later event that carries
    only the ``@lid`` finds them. The phone number on the contractor stays the
    authority for phone-form ids; these rows are what an ``@lid`` is resolved by."""

    __tablename__ = "identidades_terceirizado"
    __table_args__ = (Index("ix_identidades_terceirizado_terceirizado_id", "terceirizado_id"),)

    jid: Mapped[str] = mapped_column(String(128), primary_key=True)
    terceirizado_id: Mapped[int] = mapped_column(ForeignKey("terceirizados.id", ondelete="CASCADE"))
    # When it was learned (or passed to this contractor).
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
