"""alerta de WhatsApp desconectado

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 10:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ANTES = (
    "breaker_aberto",
    "fila_alta",
    "fila_cheia",
    "taxa_falhas",
    "webhooks_ausentes",
    "worker_ausente",
)
_DEPOIS = (*_ANTES, "whatsapp_desconectado")


def _tipos(valores: tuple[str, ...]) -> str:
    return "tipo IN (" + ", ".join(f"'{v}'" for v in valores) + ")"


def upgrade() -> None:
    op.drop_constraint(op.f("ck_alertas_tipo"), "alertas", type_="check")
    op.alter_column("alertas", "tipo", type_=sa.String(length=21), existing_nullable=False)
    op.create_check_constraint(op.f("ck_alertas_tipo"), "alertas", _tipos(_DEPOIS))


def downgrade() -> None:
    op.execute("DELETE FROM alertas WHERE tipo = 'whatsapp_desconectado'")
    op.drop_constraint(op.f("ck_alertas_tipo"), "alertas", type_="check")
    op.alter_column("alertas", "tipo", type_=sa.String(length=17), existing_nullable=False)
    op.create_check_constraint(op.f("ck_alertas_tipo"), "alertas", _tipos(_ANTES))
