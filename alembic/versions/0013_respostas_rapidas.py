"""respostas rápidas: textos salvos, compartilhados ou de cada operador

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 11:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "respostas_rapidas",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("titulo", sa.String(length=60), nullable=False),
        sa.Column("texto", sa.Text(), nullable=False),
        sa.Column("usuario_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column(
            "atualizado_em",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_respostas_rapidas_usuario_id_usuarios"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_respostas_rapidas")),
    )
    op.create_index(
        "ix_respostas_rapidas_usuario_id_titulo", "respostas_rapidas", ["usuario_id", "titulo"]
    )


def downgrade() -> None:
    op.drop_index("ix_respostas_rapidas_usuario_id_titulo", table_name="respostas_rapidas")
    op.drop_table("respostas_rapidas")
