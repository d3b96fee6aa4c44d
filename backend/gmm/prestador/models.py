from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Identity, Index, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from gmm.core.db import Base


class TokenAcesso(Base):
    """A contractor's link to one chamado: signed, expiring, revocable.

    The link carries a signed token naming ``jti``; this row is what makes it
    revocable and auditable. The token itself is never stored.
    """

    __tablename__ = "tokens_acesso"
    __table_args__ = (Index("ix_tokens_acesso_chamado_id_id", "chamado_id", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    jti: Mapped[str] = mapped_column(String(64), unique=True)
    chamado_id: Mapped[int] = mapped_column(ForeignKey("chamados.id", ondelete="CASCADE"))
    criado_por: Mapped[int | None] = mapped_column(ForeignKey("usuarios.id", ondelete="SET NULL"))
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
    expira_em: Mapped[datetime]
    revogado_em: Mapped[datetime | None]
    ultimo_uso_em: Mapped[datetime | None]


class UsoTokenAcesso(Base):
    """Every use of a contractor link (and every refused attempt), for audit.

    Views repeat (a contractor reloads the page, a phone refreshes it in the
    background): all views of one link by one client (address and browser) are one
    row, first seen at ``criado_em``, last at ``ultimo_em``, ``vezes`` in all, so the
    log stays readable. Writes and refusals keep a row each.
    """

    __tablename__ = "usos_token_acesso"
    __table_args__ = (
        Index("ix_usos_token_acesso_token_id_id", "token_id", "id"),
        # The row a repeated view adds to (INSERT ... ON CONFLICT); a missing address
        # or browser is one client too, not a new row each time.
        Index(
            "uq_usos_token_acesso_visualizacao",
            "token_id",
            "ip",
            "user_agent",
            unique=True,
            postgresql_where=text("acao = 'ver'"),
            postgresql_nulls_not_distinct=True,
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    token_id: Mapped[int] = mapped_column(ForeignKey("tokens_acesso.id", ondelete="CASCADE"))
    acao: Mapped[str] = mapped_column(String(40))  # ver | enviar_arquivo | concluir | recusado
    detalhe: Mapped[str | None] = mapped_column(String(300))
    ip: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(300))
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
    ultimo_em: Mapped[datetime] = mapped_column(server_default=func.now())
    vezes: Mapped[int] = mapped_column(default=1, server_default="1")
