"""arquivos pelo nome original: índice de mensagens.url_midia

GET /api/midias/{nome} looks the message up by its stored file, to answer the
file under the name it was sent with.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_mensagens_url_midia",
        "mensagens",
        ["url_midia"],
        postgresql_where=sa.text("url_midia IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_mensagens_url_midia", table_name="mensagens")
