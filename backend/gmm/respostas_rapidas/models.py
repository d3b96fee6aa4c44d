from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Identity, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from gmm.core.db import Base


class RespostaRapida(Base):
    """A saved text an operator sends often, with variables filled per chamado.

    ``usuario_id`` NULL: shared by every operator (admins keep them); otherwise the
    operator's own.
    """

    __tablename__ = "respostas_rapidas"
    __table_args__ = (Index("ix_respostas_rapidas_usuario_id_titulo", "usuario_id", "titulo"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    titulo: Mapped[str] = mapped_column(String(60))
    texto: Mapped[str] = mapped_column(Text)
    usuario_id: Mapped[int | None] = mapped_column(ForeignKey("usuarios.id", ondelete="CASCADE"))
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
    atualizado_em: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
