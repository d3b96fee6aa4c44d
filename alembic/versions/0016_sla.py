"""SLA por prioridade, expediente e feriados, e a escada de cobranças automáticas

The ladder's steps are rows of cobrancas_automaticas, unique per chamado, step and
reference (the message waited on, or the deadline), so two workers never take the
same step. Messages the ladder sends get their own type.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 11:58:36.622416
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ANTES = (
    "criacao",
    "cobranca",
    "resposta_manual",
    "finalizacao",
    "lista_interativa",
    "botoes",
    "midia",
    "recebida",
    "automatica",
    "link_prestador",
)
_DEPOIS = (*_ANTES, "cobranca_automatica")


_ALERTAS_ANTES = (
    "breaker_aberto",
    "fila_alta",
    "fila_cheia",
    "taxa_falhas",
    "webhooks_ausentes",
    "worker_ausente",
    "whatsapp_desconectado",
)
_ALERTAS_DEPOIS = (*_ALERTAS_ANTES, "sem_entrega")


def _tipos(valores: tuple[str, ...]) -> str:
    return "tipo IN (" + ", ".join(f"'{v}'" for v in valores) + ")"


def upgrade() -> None:
    op.create_table(
        "cobranca_etapas",
        sa.Column(
            "etapa",
            sa.Enum(
                "nao_entregue",
                "nao_lida",
                "sem_resposta",
                "prazo_1dia",
                "prazo_2h",
                "atrasado",
                name="etapa",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("ativa", sa.Boolean(), nullable=False),
        sa.Column("minutos", sa.Integer(), nullable=False),
        sa.Column("texto", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("etapa", name=op.f("pk_cobranca_etapas")),
    )
    op.create_table(
        "sla_expediente",
        sa.Column("id", sa.SmallInteger(), nullable=False),
        sa.Column("dias", sa.ARRAY(sa.SmallInteger()), nullable=False),
        sa.Column("inicio", sa.Time(), nullable=False),
        sa.Column("fim", sa.Time(), nullable=False),
        sa.Column("fuso", sa.String(length=64), nullable=False),
        sa.Column("uf", sa.String(length=2), nullable=True),
        sa.Column("email_supervisor", sa.String(length=254), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_sla_expediente_uma_linha")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sla_expediente")),
    )
    op.create_table(
        "sla_feriados",
        sa.Column("data", sa.Date(), nullable=False),
        sa.Column("descricao", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("data", name=op.f("pk_sla_feriados")),
    )
    op.create_table(
        "sla_politicas",
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
        sa.Column("confirmar_min", sa.Integer(), nullable=False),
        sa.Column("iniciar_min", sa.Integer(), nullable=False),
        sa.Column("concluir_min", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prioridade", name=op.f("pk_sla_politicas")),
    )
    op.create_table(
        "cobrancas_automaticas",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("chamado_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "etapa",
            sa.Enum(
                "nao_entregue",
                "nao_lida",
                "sem_resposta",
                "prazo_1dia",
                "prazo_2h",
                "atrasado",
                name="etapa",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("referencia", sa.BigInteger(), nullable=False),
        sa.Column("mensagem_id", sa.BigInteger(), nullable=True),
        sa.Column(
            "criado_em", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["chamado_id"],
            ["chamados.id"],
            name=op.f("fk_cobrancas_automaticas_chamado_id_chamados"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["mensagem_id"],
            ["mensagens.id"],
            name=op.f("fk_cobrancas_automaticas_mensagem_id_mensagens"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cobrancas_automaticas")),
        sa.UniqueConstraint(
            "chamado_id", "etapa", "referencia", name=op.f("uq_cobrancas_automaticas_chamado_id")
        ),
    )
    op.add_column(
        "chamados",
        sa.Column(
            "cobranca_pausada", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
    )
    op.add_column(
        "chamados",
        sa.Column("reatribuir", sa.Boolean(), server_default=sa.text("false"), nullable=False),
    )
    op.add_column("chamados", sa.Column("prazo_sla", sa.DateTime(timezone=True), nullable=True))
    op.drop_constraint(op.f("ck_estados_conversa_aguardando"), "estados_conversa", type_="check")
    op.create_check_constraint(
        op.f("ck_estados_conversa_aguardando"),
        "estados_conversa",
        "aguardando IN ('valor_orcamento', 'nova_data_visita', 'novo_prazo')",
    )
    op.drop_constraint(op.f("ck_alertas_tipo"), "alertas", type_="check")
    op.create_check_constraint(op.f("ck_alertas_tipo"), "alertas", _tipos(_ALERTAS_DEPOIS))
    op.drop_constraint(op.f("ck_mensagens_tipo"), "mensagens", type_="check")
    op.alter_column("mensagens", "tipo", type_=sa.String(length=19), existing_nullable=False)
    op.create_check_constraint(op.f("ck_mensagens_tipo"), "mensagens", _tipos(_DEPOIS))


def downgrade() -> None:
    op.execute("DELETE FROM alertas WHERE tipo = 'sem_entrega'")
    op.drop_constraint(op.f("ck_alertas_tipo"), "alertas", type_="check")
    op.create_check_constraint(op.f("ck_alertas_tipo"), "alertas", _tipos(_ALERTAS_ANTES))
    op.execute("DELETE FROM mensagens WHERE tipo = 'cobranca_automatica'")
    op.drop_constraint(op.f("ck_mensagens_tipo"), "mensagens", type_="check")
    op.alter_column("mensagens", "tipo", type_=sa.String(length=16), existing_nullable=False)
    op.create_check_constraint(op.f("ck_mensagens_tipo"), "mensagens", _tipos(_ANTES))
    op.execute("DELETE FROM estados_conversa WHERE aguardando = 'novo_prazo'")
    op.drop_constraint(op.f("ck_estados_conversa_aguardando"), "estados_conversa", type_="check")
    op.create_check_constraint(
        op.f("ck_estados_conversa_aguardando"),
        "estados_conversa",
        "aguardando IN ('valor_orcamento', 'nova_data_visita')",
    )
    op.drop_column("chamados", "prazo_sla")
    op.drop_column("chamados", "reatribuir")
    op.drop_column("chamados", "cobranca_pausada")
    op.drop_table("cobrancas_automaticas")
    op.drop_table("sla_politicas")
    op.drop_table("sla_feriados")
    op.drop_table("sla_expediente")
    op.drop_table("cobranca_etapas")
