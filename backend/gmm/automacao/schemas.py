from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from gmm.automacao.models import AcaoRegra, TipoPadrao
from gmm.core.tipos import DataHora, StrictBool

Nome = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Padrao = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Parametro = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1024)]
Ordem = Annotated[int, Field(ge=0, le=100_000)]


class RegraIn(BaseModel):
    """A rule applied to every text a contractor sends on an open chamado.

    `parametro` by action: `responder` → the text sent back; `mudar_status` → a
    chamado status (em_andamento, aguardando_confirmacao, ...); `definir_prioridade`
    → baixa, normal, alta or urgente; `notificar` → what operators are told (empty:
    the rule's name and the contractor's text)."""

    model_config = ConfigDict(extra="forbid")

    nome: Nome
    tipo_padrao: TipoPadrao = Field(
        description="palavra_chave: palavra ou frase inteira; regex: expressão regular. "
        "Ambos ignoram acentos e maiúsculas"
    )
    padrao: Padrao
    acao: AcaoRegra
    parametro: Parametro = ""
    ordem: Ordem = Field(default=0, description="Menor primeiro")
    ativa: StrictBool = True


class RegraUpdate(BaseModel):
    """Only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    nome: Nome | None = None
    tipo_padrao: TipoPadrao | None = None
    padrao: Padrao | None = None
    acao: AcaoRegra | None = None
    parametro: Parametro | None = None
    ordem: Ordem | None = None
    ativa: StrictBool | None = None


class RegraOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    nome: str
    tipo_padrao: TipoPadrao
    padrao: str
    acao: AcaoRegra
    parametro: str
    ordem: int
    ativa: bool
    criado_em: datetime
    atualizado_em: datetime


class TestarRegrasIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    texto: Annotated[str, StringConstraints(min_length=1, max_length=4096)]


class TestarRegrasOut(BaseModel):
    regras: list[RegraOut] = Field(description="Regras ativas que disparariam, na ordem")


class OrcamentoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    valor: Decimal = Field(gt=0, lt=Decimal("10000000000"), decimal_places=2)
    observacao: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = (
        None
    )


class ConfirmarVisitaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_hora: DataHora = Field(description="Data e hora da visita, com fuso, no futuro")
