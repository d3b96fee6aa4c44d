from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Identity, Index, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gmm.core.db import Base
from gmm.core.enums import enum_column


class TipoPadrao(StrEnum):
    palavra_chave = "palavra_chave"
    regex = "regex"
    # The contractor reacted to one of our messages with one of these emojis.
    reacao = "reacao"


class AcaoRegra(StrEnum):
    responder = "responder"  # parametro: the text sent back to the contractor
    mudar_status = "mudar_status"  # parametro: a StatusChamado value
    notificar = "notificar"  # parametro: what the operators are told
    definir_prioridade = "definir_prioridade"  # parametro: a Prioridade value
    # Reactions only: the reaction counts as tapping this option of the question it
    # was put on (parametro: an option id such as "visita:confirmar").
    tocar_opcao = "tocar_opcao"


class RegraAutomacao(Base):
    """Keyword or regex on a contractor's text → one action, applied in ``ordem``."""

    __tablename__ = "regras_automacao"
    __table_args__ = (Index("ix_regras_automacao_ativa_ordem_id", "ativa", "ordem", "id"),)

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    nome: Mapped[str] = mapped_column(String(120))
    tipo_padrao: Mapped[TipoPadrao] = mapped_column(enum_column(TipoPadrao, "tipo_padrao"))
    padrao: Mapped[str] = mapped_column(String(300))
    acao: Mapped[AcaoRegra] = mapped_column(enum_column(AcaoRegra, "acao"))
    parametro: Mapped[str] = mapped_column(String(1024))
    ordem: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    ativa: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
    atualizado_em: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())

    __mapper_args__ = {"eager_defaults": True}  # noqa: RUF012 - SQLAlchemy reads it


class Aguardando(StrEnum):
    valor_orcamento = "valor_orcamento"
    nova_data_visita = "nova_data_visita"
    novo_prazo = "novo_prazo"  # after "Preciso mais prazo" (gmm.sla's ladder)


class EstadoConversa(Base):
    """What the conversation with one contractor phone is waiting for, until it expires.

    Keyed by the phone's canonical form (terceirizados.telefone_chave), so a reply
    from either spelling of the number (with or without the 9th digit) finds it.
    """

    __tablename__ = "estados_conversa"

    telefone_chave: Mapped[str] = mapped_column(String(32), primary_key=True)
    chamado_id: Mapped[int] = mapped_column(ForeignKey("chamados.id", ondelete="CASCADE"))
    aguardando: Mapped[Aguardando] = mapped_column(enum_column(Aguardando, "aguardando"))
    dados: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    expira_em: Mapped[datetime]
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
