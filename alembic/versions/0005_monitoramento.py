"""monitoramento: alertas

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 06:58:33.475926
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alertas",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column(
            "tipo",
            sa.Enum(
                "breaker_aberto",
                "fila_alta",
                "fila_cheia",
                "taxa_falhas",
                "webhooks_ausentes",
                "worker_ausente",
                name="tipo",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "severidade",
            sa.Enum(
                "aviso", "critico", name="severidade", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("mensagem", sa.Text(), nullable=False),
        sa.Column("dados", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column(
            "aberto_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("fechado_em", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_enviado_em", sa.DateTime(timezone=True), nullable=True),
        sa.Column("email_recuperacao_em", sa.DateTime(timezone=True), nullable=True),
        sa.Column("motivo_fechamento", sa.String(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alertas")),
    )
    op.create_index("ix_alertas_aberto_em_id", "alertas", ["aberto_em", "id"], unique=False)
    op.create_index(
        "uq_alertas_tipo_aberto",
        "alertas",
        ["tipo"],
        unique=True,
        postgresql_where=sa.text("fechado_em IS NULL"),
    )
    op.create_index("ix_mensagens_criado_em", "mensagens", ["criado_em"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_mensagens_criado_em", table_name="mensagens")
    op.drop_index(
        "uq_alertas_tipo_aberto",
        table_name="alertas",
        postgresql_where=sa.text("fechado_em IS NULL"),
    )
    op.drop_index("ix_alertas_aberto_em_id", table_name="alertas")
    op.drop_table("alertas")
