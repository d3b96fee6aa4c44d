from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from gmm.chamados.models import OrigemHistorico, Prioridade, StatusChamado
from gmm.conversas.schemas import MensagemOut
from gmm.core.tipos import DataHora

if TYPE_CHECKING:
    from gmm.chamados.models import Chamado
    from gmm.envio.service import ResultadoEnvio

Titulo = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)]
Descricao = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]
Local = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    Field(
        description="Prédio ou local do serviço (o que distingue os chamados de um terceirizado)"
    ),
]


class ChamadoCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    terceirizado_id: int = Field(ge=1, le=2**63 - 1)
    titulo: Titulo
    descricao: Descricao | None = None
    local: Local | None = None
    prioridade: Prioridade = Prioridade.normal
    prazo_combinado: DataHora | None = Field(
        default=None, description="Data e hora com fuso (ISO 8601), no futuro"
    )


class ChamadoUpdate(BaseModel):
    """Only the fields sent are changed. Finishing is `POST /finalizar`."""

    model_config = ConfigDict(extra="forbid")

    # Optional but never null: the schema says so (SkipJsonSchema), the validator enforces it.
    titulo: Titulo | SkipJsonSchema[None] = None
    descricao: Descricao | None = None
    local: Local | None = None
    prioridade: Prioridade | SkipJsonSchema[None] = None
    prazo_combinado: DataHora | None = None
    status: Literal["aguardando", "em_andamento", "cancelado"] | SkipJsonSchema[None] = Field(
        default=None, description="Para concluir use POST /api/chamados/{id}/finalizar"
    )

    @model_validator(mode="after")
    def _obrigatorios_nao_nulos(self) -> ChamadoUpdate:
        for campo in ("titulo", "prioridade", "status"):
            if campo in self.model_fields_set and getattr(self, campo) is None:
                raise ValueError(f"{campo} não pode ser nulo")
        return self


class ResponderIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mensagem: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4096)
    ]
    citada_id: int | None = Field(
        default=None,
        ge=1,
        le=2**63 - 1,
        description="Responder citando esta mensagem do chamado (como no WhatsApp)",
    )


class TerceirizadoResumo(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    nome: str
    empresa: str | None
    telefone: str


class ChamadoOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    numero_chamado: str
    terceirizado_id: int
    terceirizado: TerceirizadoResumo
    titulo: str
    descricao: str | None
    local: str | None
    status: StatusChamado
    prioridade: Prioridade
    prazo_combinado: datetime | None
    atrasado: bool = Field(description="Prazo passou e o chamado ainda está aberto")
    criado_por: int | None
    criado_em: datetime
    atualizado_em: datetime
    finalizado_em: datetime | None
    ultima_atividade_em: datetime
    valor_orcamento: Decimal | None = Field(
        description="Orçamento do terceirizado (informado por ele ou enviado para aprovação)"
    )
    visita_em: datetime | None = Field(description="Visita confirmada pelo terceirizado")


class HistoricoOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    chamado_id: int
    status_anterior: StatusChamado | None
    status_novo: StatusChamado | None
    origem: OrigemHistorico = Field(
        description="operador, terceirizado (botão, palavra-chave, valor), automacao, "
        "prestador (link sem conta) ou sistema"
    )
    descricao: str
    usuario_id: int | None
    mensagem_id: int | None
    criado_em: datetime


class ChamadoComMensagem(BaseModel):
    """A chamado and the WhatsApp message the action queued."""

    chamado: ChamadoOut
    mensagem: MensagemOut
    envio: Literal["enfileirada", "duplicada"] = Field(
        description="enfileirada: nova mensagem a caminho; duplicada: o mesmo texto foi "
        "enviado a este chamado há menos de 30 s e a mensagem existente é devolvida"
    )

    @classmethod
    def de(cls, chamado: Chamado, resultado: ResultadoEnvio) -> ChamadoComMensagem:
        return cls(
            chamado=ChamadoOut.model_validate(chamado),
            mensagem=MensagemOut.model_validate(resultado.mensagem),
            envio=resultado.envio.value,
        )


class EstatisticasChamado(BaseModel):
    mensagens_enviadas: int
    mensagens_recebidas: int
    nao_lidas: int
    cobrancas: int
    falhas_envio: int
    ultimo_contato_em: datetime | None = Field(
        description="Última mensagem recebida do terceirizado"
    )
    ultima_mensagem_em: datetime | None
    tempo_primeira_resposta_s: float | None = Field(
        description="Segundos entre a abertura e a primeira resposta do terceirizado"
    )
    atrasado: bool


class ChamadoInfo(BaseModel):
    chamado: ChamadoOut
    estatisticas: EstatisticasChamado
