"""fundacao: usuarios, terceirizados, chamados, mensagens

Revision ID: 0001
Revises:
Create Date: 2026-11-29 01:56:46.665163
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Trigram index for the message center's text search; pg_trgm is a trusted
    # extension, so the database owner can create it without superuser.
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.create_table(
        "sequencias_chamado",
        sa.Column("ano", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("ultimo", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("ano", name=op.f("pk_sequencias_chamado")),
    )
    op.create_table(
        "terceirizados",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("nome", sa.String(length=120), nullable=False),
        sa.Column("empresa", sa.String(length=120), nullable=True),
        sa.Column("telefone", sa.String(length=13), nullable=False),
        sa.Column("telefone_chave", sa.String(length=13), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("especialidade", sa.String(length=120), nullable=True),
        sa.Column("ativo", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_terceirizados")),
        sa.UniqueConstraint("telefone", name=op.f("uq_terceirizados_telefone")),
        sa.UniqueConstraint("telefone_chave", name=op.f("uq_terceirizados_telefone_chave")),
    )
    op.create_index(
        "ix_terceirizados_ativo_nome_id", "terceirizados", ["ativo", "nome", "id"], unique=False
    )
    op.create_index("ix_terceirizados_nome_id", "terceirizados", ["nome", "id"], unique=False)
    op.create_table(
        "usuarios",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("nome", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("senha_hash", sa.String(length=255), nullable=False),
        sa.Column(
            "papel",
            sa.Enum("admin", "operador", name="papel", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("ativo", sa.Boolean(), server_default="true", nullable=False),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usuarios")),
        sa.UniqueConstraint("email", name=op.f("uq_usuarios_email")),
    )
    op.create_table(
        "chamados",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("numero_chamado", sa.String(length=20), nullable=False),
        sa.Column("terceirizado_id", sa.BigInteger(), nullable=False),
        sa.Column("titulo", sa.String(length=200), nullable=False),
        sa.Column("descricao", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "aguardando",
                "em_andamento",
                "concluido",
                "cancelado",
                name="status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "prioridade",
            sa.Enum(
                "baixa",
                "normal",
                "alta",
                "urgente",
                name="prioridade",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("prazo_combinado", sa.DateTime(timezone=True), nullable=True),
        sa.Column("criado_por", sa.BigInteger(), nullable=True),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column(
            "atualizado_em",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.Column("finalizado_em", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "ultima_atividade_em",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["criado_por"],
            ["usuarios.id"],
            name=op.f("fk_chamados_criado_por_usuarios"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["terceirizado_id"],
            ["terceirizados.id"],
            name=op.f("fk_chamados_terceirizado_id_terceirizados"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chamados")),
        sa.UniqueConstraint("numero_chamado", name=op.f("uq_chamados_numero_chamado")),
    )
    op.create_index("ix_chamados_criado_em_id", "chamados", ["criado_em", "id"], unique=False)
    op.create_index(
        "ix_chamados_prazo_abertos",
        "chamados",
        ["prazo_combinado"],
        unique=False,
        postgresql_where=sa.text("status IN ('aguardando', 'em_andamento')"),
    )
    op.create_index(
        "ix_chamados_prioridade_criado_em_id",
        "chamados",
        ["prioridade", "criado_em", "id"],
        unique=False,
    )
    op.create_index(
        "ix_chamados_status_criado_em_id", "chamados", ["status", "criado_em", "id"], unique=False
    )
    op.create_index(
        "ix_chamados_status_ultima_atividade_id",
        "chamados",
        ["status", "ultima_atividade_em", "id"],
        unique=False,
    )
    op.create_index(
        "ix_chamados_terceirizado_criado_em_id",
        "chamados",
        ["terceirizado_id", "criado_em", "id"],
        unique=False,
    )
    op.create_index(
        "ix_chamados_ultima_atividade_id", "chamados", ["ultima_atividade_em", "id"], unique=False
    )
    op.create_table(
        "mensagens",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("chamado_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "direcao",
            sa.Enum(
                "outbound", "inbound", name="direcao", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column(
            "tipo",
            sa.Enum(
                "criacao",
                "cobranca",
                "resposta_manual",
                "finalizacao",
                "lista_interativa",
                "botoes",
                "midia",
                "recebida",
                name="tipo",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "tipo_conteudo",
            sa.Enum(
                "text",
                "interactive",
                "image",
                "audio",
                "video",
                "document",
                name="tipo_conteudo",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("texto", sa.Text(), nullable=True),
        sa.Column("destinatario", sa.String(length=32), nullable=False),
        sa.Column("url_midia", sa.Text(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=True),
        sa.Column("transcricao", sa.Text(), nullable=True),
        sa.Column(
            "status_envio",
            sa.Enum(
                "pendente",
                "enfileirado",
                "enviado",
                "entregue",
                "lido",
                "falhou",
                name="status_envio",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("erro", sa.Text(), nullable=True),
        sa.Column("megaapi_id", sa.String(length=128), nullable=True),
        sa.Column(
            "prioridade",
            sa.Enum(
                "baixa",
                "normal",
                "alta",
                "urgente",
                name="prioridade",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("tentativas", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lida_em", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.Column("enviado_em", sa.DateTime(timezone=True), nullable=True),
        sa.Column("entregue_em", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lido_em", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["chamado_id"],
            ["chamados.id"],
            name=op.f("fk_mensagens_chamado_id_chamados"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mensagens")),
        sa.UniqueConstraint("megaapi_id", name=op.f("uq_mensagens_megaapi_id")),
    )
    op.create_index("ix_mensagens_chamado_id_id", "mensagens", ["chamado_id", "id"], unique=False)
    op.create_index(
        "ix_mensagens_nao_lidas",
        "mensagens",
        ["chamado_id"],
        unique=False,
        postgresql_where=sa.text("direcao = 'inbound' AND lida_em IS NULL"),
    )
    op.create_index(
        "ix_mensagens_status_envio_criado_em",
        "mensagens",
        ["status_envio", "criado_em"],
        unique=False,
    )
    op.create_index(
        "ix_mensagens_texto_trgm",
        "mensagens",
        ["texto"],
        unique=False,
        postgresql_using="gin",
        postgresql_ops={"texto": "gin_trgm_ops"},
    )


def downgrade() -> None:
    op.drop_index(
        "ix_mensagens_texto_trgm",
        table_name="mensagens",
        postgresql_using="gin",
        postgresql_ops={"texto": "gin_trgm_ops"},
    )
    op.drop_index("ix_mensagens_status_envio_criado_em", table_name="mensagens")
    op.drop_index(
        "ix_mensagens_nao_lidas",
        table_name="mensagens",
        postgresql_where=sa.text("direcao = 'inbound' AND lida_em IS NULL"),
    )
    op.drop_index("ix_mensagens_chamado_id_id", table_name="mensagens")
    op.drop_table("mensagens")
    op.drop_index("ix_chamados_ultima_atividade_id", table_name="chamados")
    op.drop_index("ix_chamados_terceirizado_criado_em_id", table_name="chamados")
    op.drop_index("ix_chamados_status_ultima_atividade_id", table_name="chamados")
    op.drop_index("ix_chamados_status_criado_em_id", table_name="chamados")
    op.drop_index("ix_chamados_prioridade_criado_em_id", table_name="chamados")
    op.drop_index(
        "ix_chamados_prazo_abertos",
        table_name="chamados",
        postgresql_where=sa.text("status IN ('aguardando', 'em_andamento')"),
    )
    op.drop_index("ix_chamados_criado_em_id", table_name="chamados")
    op.drop_table("chamados")
    op.drop_table("usuarios")
    op.drop_index("ix_terceirizados_nome_id", table_name="terceirizados")
    op.drop_index("ix_terceirizados_ativo_nome_id", table_name="terceirizados")
    op.drop_table("terceirizados")
    op.drop_table("sequencias_chamado")
