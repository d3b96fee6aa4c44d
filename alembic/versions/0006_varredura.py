"""varredura de midias e transcricoes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 07:26:56.889495
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_mensagens_audio_sem_transcricao",
        "mensagens",
        ["criado_em"],
        unique=False,
        postgresql_where=sa.text(
            "tipo_conteudo = 'audio' AND url_midia IS NOT NULL AND transcricao IS NULL "
            "AND NOT (conteudo ? 'transcricao_status')"
        ),
    )
    op.create_index(
        "ix_mensagens_midia_baixando",
        "mensagens",
        ["criado_em"],
        unique=False,
        postgresql_where=sa.text("(conteudo ->> 'midia_status') = 'baixando'"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_mensagens_midia_baixando",
        table_name="mensagens",
        postgresql_where=sa.text("(conteudo ->> 'midia_status') = 'baixando'"),
    )
    op.drop_index(
        "ix_mensagens_audio_sem_transcricao",
        table_name="mensagens",
        postgresql_where=sa.text(
            "tipo_conteudo = 'audio' AND url_midia IS NOT NULL AND transcricao IS NULL "
            "AND NOT (conteudo ? 'transcricao_status')"
        ),
    )
