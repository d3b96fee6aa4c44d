"""busca de mensagens: índice por momento para as palavras comuns

The search walks back through the newest messages by (momento, id) when a word is
common (its newest matches come first), instead of sorting every match the GIN
index finds. Built CONCURRENTLY: on a large history a plain CREATE INDEX would hold
back every inbound message and tick for as long as it takes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 12:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.get_context().autocommit_block():
        # A build interrupted on an earlier try leaves an INVALID index by this name,
        # and this revision was not recorded: start over.
        op.drop_index(
            "ix_mensagens_momento_id",
            table_name="mensagens",
            postgresql_concurrently=True,
            if_exists=True,
        )
        op.create_index(
            "ix_mensagens_momento_id",
            "mensagens",
            ["momento", "id"],
            postgresql_concurrently=True,
        )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        op.drop_index(
            "ix_mensagens_momento_id",
            table_name="mensagens",
            postgresql_concurrently=True,
            if_exists=True,
        )
