"""What the SLA API reads and answers."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, model_validator

from gmm.chamados.models import Prioridade
from gmm.conversas.models import StatusEnvio
from gmm.core import modelos
from gmm.core.tipos import StrictBool, StrictInt
from gmm.sla import calendario
from gmm.sla.models import Etapa

# A business week at most: longer is a typo, and would make every sum walk far.
MINUTOS_MAX = 60 * 24 * 7 * 4
Minutos = Annotated[StrictInt, Field(ge=0, le=MINUTOS_MAX, description="Minutos úteis")]

VARIAVEIS = {
    "terceirizado": "primeiro nome do terceirizado",
    "chamado": "número do chamado",
    "titulo": "título do chamado",
    "prazo": "data e hora do prazo",
}


def _variaveis_conhecidas(texto: str | None) -> str | None:
    return None if texto is None else modelos.conferir(texto, VARIAVEIS)


TextoEtapa = Annotated[
    str | None,
    Field(
        min_length=1,
        max_length=1000,
        description="O que vai ao terceirizado: " + modelos.descrever(VARIAVEIS),
    ),
    AfterValidator(_variaveis_conhecidas),
]


class ExpedienteIn(BaseModel):
    """Dias e horário de trabalho: só eles contam nos prazos e só neles se cobra."""

    model_config = ConfigDict(extra="forbid")

    dias: list[Annotated[StrictInt, Field(ge=0, le=6)]] = Field(
        min_length=1, max_length=7, description="Dias da semana: 0 = segunda … 6 = domingo"
    )
    inicio: time = Field(description="Abertura, ex.: 08:00")
    fim: time = Field(description="Fechamento, ex.: 18:00")
    fuso: str = Field(default="America/Sao_Paulo", max_length=64)
    uf: str | None = Field(
        default=None, min_length=2, max_length=2, description="Inclui os feriados do estado"
    )
    email_supervisor: EmailStr | None = Field(
        default=None, description="Avisado quando um chamado passa do prazo"
    )

    @model_validator(mode="after")
    def _coerente(self) -> Self:
        # The calendar's own checks, with their Portuguese messages.
        self.calendario()
        return self

    def calendario(self, feriados: frozenset[date] = frozenset()) -> calendario.Expediente:
        return calendario.Expediente(
            dias=frozenset(self.dias),
            inicio=self.inicio,
            fim=self.fim,
            fuso=self.fuso,
            uf=self.uf,
            feriados_extras=feriados,
        )


class ExpedienteOut(BaseModel):
    dias: list[int]
    inicio: time
    fim: time
    fuso: str
    uf: str | None
    email_supervisor: str | None


class FeriadoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data: date
    descricao: str = Field(min_length=1, max_length=120, description="Ex.: aniversário da cidade")


class FeriadoOut(BaseModel):
    data: date
    descricao: str


class PoliticaIn(BaseModel):
    """Minutos úteis, contados da abertura do chamado."""

    model_config = ConfigDict(extra="forbid")

    confirmar_min: Minutos
    iniciar_min: Minutos
    concluir_min: Minutos

    @model_validator(mode="after")
    def _em_ordem(self) -> Self:
        if not self.confirmar_min <= self.iniciar_min <= self.concluir_min:
            raise ValueError("os prazos precisam estar em ordem: confirmar ≤ iniciar ≤ concluir")
        return self


class PoliticaOut(BaseModel):
    prioridade: Prioridade
    confirmar_min: int
    iniciar_min: int
    concluir_min: int


class EtapaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ativa: StrictBool
    minutos: Minutos
    texto: TextoEtapa = None


class EtapaOut(BaseModel):
    etapa: Etapa
    ativa: bool
    minutos: int = Field(description="Minutos úteis desde o tique, ou antes do prazo")
    texto: str | None
    envia_ao_terceirizado: bool = Field(description="false: só avisa o operador")


class SlaOut(BaseModel):
    expediente: ExpedienteOut
    feriados: list[FeriadoOut]
    politicas: list[PoliticaOut]
    etapas: list[EtapaOut]


class PrazosOut(BaseModel):
    confirmar: datetime = Field(description="Até quando o terceirizado deve responder")
    iniciar: datetime = Field(description="Até quando deve agendar ou iniciar")
    concluir: datetime = Field(description="Até quando deve concluir")
    concluir_combinado: bool = Field(description="true: o prazo combinado, não o da prioridade")


class AguardandoOut(BaseModel):
    mensagem_id: int
    status_envio: StatusEnvio
    desde: datetime | None = Field(description="Quando chegou a esse tique")


class PassoOut(BaseModel):
    etapa: Etapa
    descricao: str
    feito_em: datetime | None = Field(description="null: ainda não")


class ProximoOut(BaseModel):
    etapa: Etapa
    previsto_para: datetime = Field(
        description="Quando a etapa vence (se nada mudar: uma resposta a cancela)"
    )


class ChamadoSlaOut(BaseModel):
    prazos: PrazosOut
    pausada: bool = Field(description="A cobrança automática está pausada neste chamado")
    reatribuir: bool = Field(description="O terceirizado disse que não pode atender")
    aguardando: AguardandoOut | None = Field(
        description="Nossa última mensagem ainda sem resposta do terceirizado"
    )
    passos: list[PassoOut] = Field(description="Os passos automáticos já dados, do primeiro")
    proximos: list[ProximoOut] = Field(
        description="Os passos ainda por vir, do mais próximo; vazio se pausada ou fechado"
    )


class PausaIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pausada: StrictBool


class ResultadoEtapa(BaseModel):
    etapa: Etapa
    tomadas: int = Field(description="Quantas vezes a etapa foi dada no período")
    com_resposta: int = Field(
        description="Em quantas o terceirizado respondeu depois (qualquer mensagem dele)"
    )


class ResultadosOut(BaseModel):
    dias: int
    etapas: list[ResultadoEtapa] = Field(description="Todas as etapas, na ordem da escada")
