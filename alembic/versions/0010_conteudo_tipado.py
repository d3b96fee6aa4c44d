"""conteúdo tipado: cada mensagens.conteudo diz o seu tipo

Every stored ``conteudo`` gets the ``tipo`` its kind's model reads it by
(gmm/conversas/conteudo.py). Botões and listas already have theirs; the other
kinds are recognised by the keys only they write. Also drops JSON ``null`` in
favour of SQL NULL, so "no content" has one spelling.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MARCAR = "UPDATE mensagens SET conteudo = conteudo || jsonb_build_object('tipo', '{}') "
_SEM_TIPO = "WHERE conteudo IS NOT NULL AND NOT conteudo ? 'tipo'"
# In order: the first matching rule names the kind.
_TIPOS = (
    f"{_MARCAR.format('resposta')} {_SEM_TIPO} AND conteudo ? 'resposta'",
    f"{_MARCAR.format('midia')} {_SEM_TIPO} AND conteudo ? 'midia'",
    f"{_MARCAR.format('arquivo_prestador')} {_SEM_TIPO} AND conteudo ? 'link_id'",
    f"{_MARCAR.format('arquivo')} {_SEM_TIPO} AND conteudo ? 'arquivo'",
    f"{_MARCAR.format('texto')} {_SEM_TIPO}",
)


def upgrade() -> None:
    op.execute("UPDATE mensagens SET conteudo = NULL WHERE jsonb_typeof(conteudo) = 'null'")
    for comando in _TIPOS:
        op.execute(comando)


def downgrade() -> None:
    # The kinds that had no tag before lose it again.
    op.execute(
        "UPDATE mensagens SET conteudo = conteudo - 'tipo' "
        "WHERE conteudo ->> 'tipo' NOT IN ('botoes', 'lista')"
    )
