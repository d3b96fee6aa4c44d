from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Identity, String, func
from sqlalchemy.orm import Mapped, mapped_column, validates

from gmm.core.db import Base
from gmm.core.enums import enum_column


class Papel(StrEnum):
    admin = "admin"
    operador = "operador"


class Usuario(Base):
    __tablename__ = "usuarios"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    nome: Mapped[str] = mapped_column(String(120))
    # Stored lower-cased so uniqueness and login ignore case.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    senha_hash: Mapped[str] = mapped_column(String(255))
    papel: Mapped[Papel] = mapped_column(enum_column(Papel, "papel"), default=Papel.operador)
    ativo: Mapped[bool] = mapped_column(default=True, server_default="true")
    # Every token carries the version it was issued under; bumping it (logout,
    # password change or reset, deactivation) ends all of the user's sessions at once.
    sessao_versao: Mapped[int] = mapped_column(default=0, server_default="0")
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())

    @validates("email")
    def _lower(self, _: str, email: str) -> str:
        return email.strip().lower()
