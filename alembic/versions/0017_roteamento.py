"""roteamento por citação, identidades do terceirizado, reações, edições e local do chamado

- identidades_terceirizado: every WhatsApp id a contractor's events carried (their
  number's jids and opaque @lid ids), so an event with only the @lid finds them.
- roteamento_terceirizados: per contractor, when "Sobre qual chamado?" was last asked
  and the chamado they picked (its row is the contractor's routing lock).
- alteracoes_mensagem: reactions, edits and deletes, keyed by the event's id.
- mensagens: who the message is from/to (terceirizado_id), the message it quotes,
  the contractor's reaction, the first text of an edited message, when it was deleted.
  terceirizado_id is filled for new rows; of the old ones only the unassigned are
  backfilled (by phone), since an assigned message's contractor is its chamado's, and
  rewriting a large history here would lock every row of it for the duration.
- chamados.local: the building or place, which tells a contractor's chamados apart.
- regras_automacao: rules on reactions (tipo_padrao reacao, acao tocar_opcao).

New indexes on mensagens are built CONCURRENTLY (see 0015).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 13:33:10.452164
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PADROES_ANTES = ("palavra_chave", "regex")
_PADROES_DEPOIS = (*_PADROES_ANTES, "reacao")
_ACOES_ANTES = ("responder", "mudar_status", "notificar", "definir_prioridade")
_ACOES_DEPOIS = (*_ACOES_ANTES, "tocar_opcao")
_INDICES = (
    ("ix_mensagens_a_classificar", ["terceirizado_id", "id"], "chamado_id IS NULL"),
    ("ix_mensagens_citada_id", ["citada_id"], "citada_id IS NOT NULL"),
)


def _em(coluna: str, valores: tuple[str, ...]) -> str:
    return f"{coluna} IN (" + ", ".join(f"'{v}'" for v in valores) + ")"


def _trocar_check(nome: str, coluna: str, valores: tuple[str, ...]) -> None:
    op.drop_constraint(op.f(nome), "regras_automacao", type_="check")
    op.create_check_constraint(op.f(nome), "regras_automacao", _em(coluna, valores))


def upgrade() -> None:
    op.create_table(
        "identidades_terceirizado",
        sa.Column("jid", sa.String(length=128), nullable=False),
        sa.Column("terceirizado_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["terceirizado_id"],
            ["terceirizados.id"],
            name=op.f("fk_identidades_terceirizado_terceirizado_id_terceirizados"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("jid", name=op.f("pk_identidades_terceirizado")),
    )
    op.create_index(
        "ix_identidades_terceirizado_terceirizado_id",
        "identidades_terceirizado",
        ["terceirizado_id"],
        unique=False,
    )
    op.create_table(
        "roteamento_terceirizados",
        sa.Column("terceirizado_id", sa.BigInteger(), nullable=False),
        sa.Column("perguntado_em", sa.DateTime(timezone=True), nullable=True),
        sa.Column("escolhido_chamado_id", sa.BigInteger(), nullable=True),
        sa.Column("escolha_ate", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["escolhido_chamado_id"],
            ["chamados.id"],
            name=op.f("fk_roteamento_terceirizados_escolhido_chamado_id_chamados"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["terceirizado_id"],
            ["terceirizados.id"],
            name=op.f("fk_roteamento_terceirizados_terceirizado_id_terceirizados"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("terceirizado_id", name=op.f("pk_roteamento_terceirizados")),
    )
    op.create_table(
        "alteracoes_mensagem",
        sa.Column("megaapi_id", sa.String(length=128), nullable=False),
        sa.Column("mensagem_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "tipo",
            sa.Enum(
                "reacao",
                "edicao",
                "apagada",
                name="tipo",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("valor", sa.Text(), nullable=True),
        sa.Column("anterior", sa.Text(), nullable=True),
        sa.Column("momento", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["mensagem_id"],
            ["mensagens.id"],
            name=op.f("fk_alteracoes_mensagem_mensagem_id_mensagens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("megaapi_id", name=op.f("pk_alteracoes_mensagem")),
    )
    op.create_index(
        "ix_alteracoes_mensagem_mensagem_id", "alteracoes_mensagem", ["mensagem_id"], unique=False
    )
    op.add_column("chamados", sa.Column("local", sa.String(length=120), nullable=True))
    # Nullable columns without defaults: a catalog change, no table rewrite.
    op.add_column("mensagens", sa.Column("terceirizado_id", sa.BigInteger(), nullable=True))
    op.add_column("mensagens", sa.Column("citada_id", sa.BigInteger(), nullable=True))
    op.add_column("mensagens", sa.Column("reacao", sa.String(length=32), nullable=True))
    op.add_column("mensagens", sa.Column("reagida_em", sa.DateTime(timezone=True), nullable=True))
    op.add_column("mensagens", sa.Column("texto_original", sa.Text(), nullable=True))
    op.add_column("mensagens", sa.Column("editada_em", sa.DateTime(timezone=True), nullable=True))
    op.add_column("mensagens", sa.Column("apagada_em", sa.DateTime(timezone=True), nullable=True))
    op.create_foreign_key(
        op.f("fk_mensagens_terceirizado_id_terceirizados"),
        "mensagens",
        "terceirizados",
        ["terceirizado_id"],
        ["id"],
        ondelete="SET NULL",
    )
    op.create_foreign_key(
        op.f("fk_mensagens_citada_id_mensagens"),
        "mensagens",
        "mensagens",
        ["citada_id"],
        ["id"],
        ondelete="SET NULL",
    )
    # The unassigned messages of known contractors become theirs "a classificar".
    op.execute(
        "UPDATE mensagens m SET terceirizado_id = t.id FROM terceirizados t "
        "WHERE m.chamado_id IS NULL AND m.direcao = 'inbound' "
        "AND m.destinatario IN (t.telefone, t.telefone_chave)"
    )
    _trocar_check("ck_regras_automacao_tipo_padrao", "tipo_padrao", _PADROES_DEPOIS)
    _trocar_check("ck_regras_automacao_acao", "acao", _ACOES_DEPOIS)
    with op.get_context().autocommit_block():
        for nome, colunas, onde in _INDICES:
            op.drop_index(
                nome, table_name="mensagens", postgresql_concurrently=True, if_exists=True
            )
            op.create_index(
                nome,
                "mensagens",
                colunas,
                postgresql_where=sa.text(onde),
                postgresql_concurrently=True,
            )


def downgrade() -> None:
    with op.get_context().autocommit_block():
        for nome, _, _ in _INDICES:
            op.drop_index(
                nome, table_name="mensagens", postgresql_concurrently=True, if_exists=True
            )
    op.execute("DELETE FROM regras_automacao WHERE tipo_padrao = 'reacao'")
    _trocar_check("ck_regras_automacao_acao", "acao", _ACOES_ANTES)
    _trocar_check("ck_regras_automacao_tipo_padrao", "tipo_padrao", _PADROES_ANTES)
    op.drop_constraint(op.f("fk_mensagens_citada_id_mensagens"), "mensagens", type_="foreignkey")
    op.drop_constraint(
        op.f("fk_mensagens_terceirizado_id_terceirizados"), "mensagens", type_="foreignkey"
    )
    for coluna in (
        "apagada_em",
        "editada_em",
        "texto_original",
        "reagida_em",
        "reacao",
        "citada_id",
        "terceirizado_id",
    ):
        op.drop_column("mensagens", coluna)
    op.drop_column("chamados", "local")
    op.drop_index("ix_alteracoes_mensagem_mensagem_id", table_name="alteracoes_mensagem")
    op.drop_table("alteracoes_mensagem")
    op.drop_table("roteamento_terceirizados")
    op.drop_index(
        "ix_identidades_terceirizado_terceirizado_id", table_name="identidades_terceirizado"
    )
    op.drop_table("identidades_terceirizado")
