"""recebimento: acks pendentes

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 03:14:04.369418
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "acks_pendentes",
        sa.Column("megaapi_id", sa.String(length=128), nullable=False),
        sa.Column("status_envio", sa.String(length=11), nullable=False),
        sa.Column("erro", sa.Text(), nullable=True),
        sa.Column(
            "recebido_em",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("megaapi_id", "status_envio", name=op.f("pk_acks_pendentes")),
    )


def downgrade() -> None:
    op.drop_table("acks_pendentes")
