"""busca nas mensagens: texto completo em português, sem acentos

A text search configuration that stems Portuguese and ignores accents (unaccent,
then portuguese_stem), and a GIN index over what a message says: its text and,
for a voice note, its transcription.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 11:30:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The same expression as gmm/conversas/models.py's DOCUMENTO: the index is used only
# by a query that spells it the same way.
_DOCUMENTO = "to_tsvector('gmm_portugues', coalesce(texto, '') || ' ' || coalesce(transcricao, ''))"


def upgrade() -> None:
    # A trusted extension (PostgreSQL 13+): the database's owner may create it.
    op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    op.execute("CREATE TEXT SEARCH CONFIGURATION gmm_portugues (COPY = portuguese)")
    op.execute(
        "ALTER TEXT SEARCH CONFIGURATION gmm_portugues "
        "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, portuguese_stem"
    )
    op.execute(f"CREATE INDEX ix_mensagens_busca ON mensagens USING gin ({_DOCUMENTO})")


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_mensagens_busca")
    op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS gmm_portugues")
