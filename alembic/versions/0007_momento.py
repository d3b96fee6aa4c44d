"""momento das mensagens: a ordem da conversa

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 05:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "mensagens",
        sa.Column(
            "momento", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
    )
    # Until now the chat was in acceptance order: the best moment we know of.
    op.execute("UPDATE mensagens SET momento = criado_em")
    op.create_index(
        "ix_mensagens_chamado_id_momento_id",
        "mensagens",
        ["chamado_id", "momento", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_mensagens_chamado_id_momento_id", table_name="mensagens")
    op.drop_column("mensagens", "momento")
