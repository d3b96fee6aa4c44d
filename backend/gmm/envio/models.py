from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from gmm.core.db import Base


class ConfiguracaoWhatsapp(Base):
    """MegaAPI credentials edited by an admin; wins over the environment's.

    A single row (id 1). The token is stored encrypted with Fernet
    (GMM_FERNET_KEY) and never leaves the API whole.
    """

    __tablename__ = "configuracao_whatsapp"
    __table_args__ = (CheckConstraint("id = 1", name="linha_unica"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, default=1, autoincrement=False)
    base_url: Mapped[str] = mapped_column(String(300))
    instance_key: Mapped[str] = mapped_column(String(200))
    token_cifrado: Mapped[str] = mapped_column(Text)
    atualizado_em: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    atualizado_por: Mapped[int | None] = mapped_column(
        ForeignKey("usuarios.id", ondelete="SET NULL")
    )

    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy reads it


class AckPendente(Base):
    """A delivery/read receipt that arrived before its message's MegaAPI id was stored.

    The worker stores the id only after MegaAPI answers, and the first receipt can
    beat it; each status seen is kept here and applied when the id appears.
    """

    __tablename__ = "acks_pendentes"

    megaapi_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    status_envio: Mapped[str] = mapped_column(String(11), primary_key=True)
    erro: Mapped[str | None] = mapped_column(Text)
    recebido_em: Mapped[datetime] = mapped_column(server_default=func.now())
