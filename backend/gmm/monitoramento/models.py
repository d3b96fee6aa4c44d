from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Identity, Index, String, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gmm.core.db import Base
from gmm.core.enums import enum_column


class TipoAlerta(StrEnum):
    breaker_aberto = "breaker_aberto"
    fila_alta = "fila_alta"  # more than GMM_ALERTA_FILA_AVISO waiting
    fila_cheia = "fila_cheia"  # GMM_FILA_MAXIMA reached: new chamados are refused
    taxa_falhas = "taxa_falhas"
    webhooks_ausentes = "webhooks_ausentes"
    worker_ausente = "worker_ausente"
    whatsapp_desconectado = "whatsapp_desconectado"
    # Many contractors stuck at ✓: the phone or the session is unhealthy (gmm.sla's
    # ladder tells the operator per chamado; this is the instance as a whole).
    sem_entrega = "sem_entrega"


class Severidade(StrEnum):
    aviso = "aviso"
    critico = "critico"


class Alerta(Base):
    """An incident: opened when its condition starts, closed when it ends, kept for history."""

    __tablename__ = "alertas"
    __table_args__ = (
        # At most one open incident per kind: the watcher's upsert relies on it.
        Index(
            "uq_alertas_tipo_aberto",
            "tipo",
            unique=True,
            postgresql_where=text("fechado_em IS NULL"),
        ),
        Index("ix_alertas_aberto_em_id", "aberto_em", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    tipo: Mapped[TipoAlerta] = mapped_column(enum_column(TipoAlerta, "tipo"))
    severidade: Mapped[Severidade] = mapped_column(enum_column(Severidade, "severidade"))
    mensagem: Mapped[str] = mapped_column(Text)
    dados: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    aberto_em: Mapped[datetime] = mapped_column(server_default=func.now())
    fechado_em: Mapped[datetime | None]
    # E-mails are sent once per incident (and once on recovery); these record it.
    email_enviado_em: Mapped[datetime | None]
    email_recuperacao_em: Mapped[datetime | None]
    motivo_fechamento: Mapped[str | None] = mapped_column(String(300))
