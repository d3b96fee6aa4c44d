"""sessões revogáveis: versão da sessão por usuário

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Tokens issued before this carry no version and stop working: everyone logs
    # in once more, which is the point of making sessions revocable.
    op.add_column(
        "usuarios",
        sa.Column("sessao_versao", sa.Integer(), server_default=sa.text("0"), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("usuarios", "sessao_versao")
