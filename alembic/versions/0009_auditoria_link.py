"""auditoria do link do prestador: visualizações repetidas numa linha só

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 10:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "usos_token_acesso",
        sa.Column(
            "ultimo_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
    )
    op.add_column(
        "usos_token_acesso",
        sa.Column("vezes", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )
    op.execute("UPDATE usos_token_acesso SET ultimo_em = criado_em")
    # The views logged one row each until now fold into the first of each client,
    # so the unique index below can exist.
    op.execute(
        """
        WITH grupos AS (
            SELECT min(id) AS primeiro, count(*) AS vezes, max(criado_em) AS ultimo
            FROM usos_token_acesso
            WHERE acao = 'ver'
            GROUP BY token_id, ip, user_agent
        )
        UPDATE usos_token_acesso u
        SET vezes = g.vezes, ultimo_em = g.ultimo
        FROM grupos g
        WHERE u.id = g.primeiro
        """
    )
    op.execute(
        """
        DELETE FROM usos_token_acesso u
        WHERE u.acao = 'ver' AND EXISTS (
            SELECT 1 FROM usos_token_acesso o
            WHERE o.acao = 'ver' AND o.token_id = u.token_id AND o.id < u.id
              AND o.ip IS NOT DISTINCT FROM u.ip
              AND o.user_agent IS NOT DISTINCT FROM u.user_agent
        )
        """
    )
    op.create_index(
        "uq_usos_token_acesso_visualizacao",
        "usos_token_acesso",
        ["token_id", "ip", "user_agent"],
        unique=True,
        postgresql_where=sa.text("acao = 'ver'"),
        postgresql_nulls_not_distinct=True,
    )


def downgrade() -> None:
    op.drop_index(
        "uq_usos_token_acesso_visualizacao",
        table_name="usos_token_acesso",
        postgresql_where=sa.text("acao = 'ver'"),
    )
    op.drop_column("usos_token_acesso", "vezes")
    op.drop_column("usos_token_acesso", "ultimo_em")
