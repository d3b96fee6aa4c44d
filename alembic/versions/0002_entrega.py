"""entrega: configuracao_whatsapp, conteudo e reserva das mensagens

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 02:13:46.932303
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "configuracao_whatsapp",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("base_url", sa.String(length=300), nullable=False),
        sa.Column("instance_key", sa.String(length=200), nullable=False),
        sa.Column("token_cifrado", sa.Text(), nullable=False),
        sa.Column(
            "atualizado_em",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("atualizado_por", sa.BigInteger(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_configuracao_whatsapp_linha_unica")),
        sa.ForeignKeyConstraint(
            ["atualizado_por"],
            ["usuarios.id"],
            name=op.f("fk_configuracao_whatsapp_atualizado_por_usuarios"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_configuracao_whatsapp")),
    )
    op.add_column(
        "mensagens", sa.Column("conteudo", postgresql.JSONB(astext_type=sa.Text()), nullable=True)
    )
    op.add_column(
        "mensagens", sa.Column("reservado_ate", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("mensagens", "reservado_ate")
    op.drop_column("mensagens", "conteudo")
    op.drop_table("configuracao_whatsapp")
