"""automacao: regras, estados de conversa, historico, links do prestador

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 06:48:31.004613
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ABERTOS_NOVOS = "'aguardando', 'em_andamento', 'aguardando_confirmacao'"
_STATUS_NOVOS = _ABERTOS_NOVOS + ", 'concluido', 'cancelado'"
_TIPOS = (
    "'criacao', 'cobranca', 'resposta_manual', 'finalizacao', 'lista_interativa', "
    "'botoes', 'midia', 'recebida'"
)
_TIPOS_NOVOS = _TIPOS + ", 'automatica', 'link_prestador'"


def upgrade() -> None:
    op.create_table(
        "regras_automacao",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("nome", sa.String(length=120), nullable=False),
        sa.Column(
            "tipo_padrao",
            sa.Enum(
                "palavra_chave",
                "regex",
                name="tipo_padrao",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("padrao", sa.String(length=300), nullable=False),
        sa.Column(
            "acao",
            sa.Enum(
                "responder",
                "mudar_status",
                "notificar",
                "definir_prioridade",
                name="acao",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("parametro", sa.String(length=1024), nullable=False),
        sa.Column("ordem", sa.Integer(), server_default="0", nullable=False),
        sa.Column("ativa", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column(
            "atualizado_em",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regras_automacao")),
    )
    op.create_index(
        "ix_regras_automacao_ativa_ordem_id",
        "regras_automacao",
        ["ativa", "ordem", "id"],
        unique=False,
    )
    op.create_table(
        "estados_conversa",
        sa.Column("telefone_chave", sa.String(length=32), nullable=False),
        sa.Column("chamado_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "aguardando",
            sa.Enum(
                "valor_orcamento",
                "nova_data_visita",
                name="aguardando",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("dados", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("expira_em", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["chamado_id"],
            ["chamados.id"],
            name=op.f("fk_estados_conversa_chamado_id_chamados"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("telefone_chave", name=op.f("pk_estados_conversa")),
    )
    op.create_table(
        "tokens_acesso",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("jti", sa.String(length=64), nullable=False),
        sa.Column("chamado_id", sa.BigInteger(), nullable=False),
        sa.Column("criado_por", sa.BigInteger(), nullable=True),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("expira_em", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revogado_em", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ultimo_uso_em", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["chamado_id"],
            ["chamados.id"],
            name=op.f("fk_tokens_acesso_chamado_id_chamados"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["criado_por"],
            ["usuarios.id"],
            name=op.f("fk_tokens_acesso_criado_por_usuarios"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tokens_acesso")),
        sa.UniqueConstraint("jti", name=op.f("uq_tokens_acesso_jti")),
    )
    op.create_index(
        "ix_tokens_acesso_chamado_id_id", "tokens_acesso", ["chamado_id", "id"], unique=False
    )
    op.create_table(
        "historico_chamado",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("chamado_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "status_anterior",
            sa.Enum(
                "aguardando",
                "em_andamento",
                "aguardando_confirmacao",
                "concluido",
                "cancelado",
                name="status_anterior",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "status_novo",
            sa.Enum(
                "aguardando",
                "em_andamento",
                "aguardando_confirmacao",
                "concluido",
                "cancelado",
                name="status_novo",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column(
            "origem",
            sa.Enum(
                "operador",
                "terceirizado",
                "automacao",
                "prestador",
                "sistema",
                name="origem",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("descricao", sa.Text(), nullable=False),
        sa.Column("usuario_id", sa.BigInteger(), nullable=True),
        sa.Column("mensagem_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["chamado_id"],
            ["chamados.id"],
            name=op.f("fk_historico_chamado_chamado_id_chamados"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mensagem_id"],
            ["mensagens.id"],
            name=op.f("fk_historico_chamado_mensagem_id_mensagens"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["usuario_id"],
            ["usuarios.id"],
            name=op.f("fk_historico_chamado_usuario_id_usuarios"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_historico_chamado")),
    )
    op.create_index(
        "ix_historico_chamado_chamado_id_id",
        "historico_chamado",
        ["chamado_id", "id"],
        unique=False,
    )
    op.create_table(
        "usos_token_acesso",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("token_id", sa.BigInteger(), nullable=False),
        sa.Column("acao", sa.String(length=40), nullable=False),
        sa.Column("detalhe", sa.String(length=300), nullable=True),
        sa.Column("ip", sa.String(length=64), nullable=True),
        sa.Column("user_agent", sa.String(length=300), nullable=True),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["tokens_acesso.id"],
            name=op.f("fk_usos_token_acesso_token_id_tokens_acesso"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usos_token_acesso")),
    )
    op.create_index(
        "ix_usos_token_acesso_token_id_id", "usos_token_acesso", ["token_id", "id"], unique=False
    )
    op.add_column(
        "chamados", sa.Column("valor_orcamento", sa.Numeric(precision=12, scale=2), nullable=True)
    )
    op.add_column("chamados", sa.Column("visita_em", sa.DateTime(timezone=True), nullable=True))
    # A new chamado status: widen the column, swap the CHECK, and let the partial
    # index of open chamados cover it.
    op.alter_column(
        "chamados", "status", existing_type=sa.VARCHAR(length=12), type_=sa.String(length=22)
    )
    op.drop_constraint(op.f("ck_chamados_status"), "chamados", type_="check")
    op.create_check_constraint(
        op.f("ck_chamados_status"), "chamados", f"status IN ({_STATUS_NOVOS})"
    )
    op.drop_index("ix_chamados_prazo_abertos", table_name="chamados")
    op.create_index(
        "ix_chamados_prazo_abertos",
        "chamados",
        ["prazo_combinado"],
        postgresql_where=sa.text(f"status IN ({_ABERTOS_NOVOS})"),
    )
    op.drop_constraint(op.f("ck_mensagens_tipo"), "mensagens", type_="check")
    op.create_check_constraint(op.f("ck_mensagens_tipo"), "mensagens", f"tipo IN ({_TIPOS_NOVOS})")
    op.create_index(
        "ix_mensagens_transcricao_trgm",
        "mensagens",
        ["transcricao"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"transcricao": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index(
        "ix_mensagens_transcricao_trgm",
        table_name="mensagens",
        postgresql_using="gin",
        postgresql_ops={"transcricao": "gin_trgm_ops"},
    )
    op.execute(
        "UPDATE chamados SET status = 'em_andamento' WHERE status = 'aguardando_confirmacao'"
    )
    op.drop_index("ix_chamados_prazo_abertos", table_name="chamados")
    op.create_index(
        "ix_chamados_prazo_abertos",
        "chamados",
        ["prazo_combinado"],
        postgresql_where=sa.text("status IN ('aguardando', 'em_andamento')"),
    )
    op.drop_constraint(op.f("ck_chamados_status"), "chamados", type_="check")
    op.create_check_constraint(
        op.f("ck_chamados_status"),
        "chamados",
        "status IN ('aguardando', 'em_andamento', 'concluido', 'cancelado')",
    )
    op.alter_column(
        "chamados", "status", existing_type=sa.String(length=22), type_=sa.VARCHAR(length=12)
    )
    op.drop_column("chamados", "visita_em")
    op.drop_column("chamados", "valor_orcamento")
    op.drop_index("ix_usos_token_acesso_token_id_id", table_name="usos_token_acesso")
    op.drop_table("usos_token_acesso")
    op.drop_index("ix_historico_chamado_chamado_id_id", table_name="historico_chamado")
    op.drop_table("historico_chamado")
    op.drop_index("ix_tokens_acesso_chamado_id_id", table_name="tokens_acesso")
    op.drop_table("tokens_acesso")
    op.drop_table("estados_conversa")
    op.drop_index("ix_regras_automacao_ativa_ordem_id", table_name="regras_automacao")
    op.drop_table("regras_automacao")
