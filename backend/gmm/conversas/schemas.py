from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gmm.chamados.models import Prioridade, StatusChamado
from gmm.conversas.models import Direcao, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.pagination import Page


class MensagemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    chamado_id: int | None
    direcao: Direcao
    tipo: TipoMensagem
    tipo_conteudo: TipoConteudo
    texto: str | None
    conteudo: dict[str, Any] | None = Field(
        description="Botões, seções da lista e a resposta escolhida (`resposta`: id, título, "
        "`opcao_id` e `pergunta_id` quando o toque respondeu a uma pergunta nossa), nome e "
        "tipo do arquivo, `midia_status`"
    )
    destinatario: str
    url_midia: str | None
    caption: str | None
    transcricao: str | None
    status_envio: StatusEnvio
    erro: str | None
    megaapi_id: str | None
    prioridade: Prioridade
    tentativas: int
    lida_em: datetime | None
    criado_em: datetime
    enviado_em: datetime | None
    entregue_em: datetime | None
    lido_em: datetime | None

    @field_validator("conteudo", mode="before")
    @classmethod
    def _sem_internos(cls, conteudo: dict[str, Any] | None) -> dict[str, Any] | None:
        # Where the file sits on our disk and the gateway's media keys stay inside.
        if conteudo is None:
            return None
        return {k: v for k, v in conteudo.items() if k not in _INTERNOS}


_INTERNOS = frozenset({"caminho", "midia"})


class UltimaMensagem(BaseModel):
    id: int
    texto: str | None
    direcao: Direcao
    tipo_conteudo: TipoConteudo
    status_envio: StatusEnvio
    criado_em: datetime


class ConversaOut(BaseModel):
    """One row of the message center: a chamado and its conversation."""

    id: int
    numero_chamado: str
    titulo: str
    status: StatusChamado
    prioridade: Prioridade
    prazo_combinado: datetime | None
    atrasado: bool
    terceirizado_id: int
    prestador: str
    empresa: str | None
    telefone: str
    ultima_mensagem: UltimaMensagem | None
    nao_lidas: int
    ultima_atividade_em: datetime


class LidasOut(BaseModel):
    marcadas: int


class AtribuirIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chamado_id: int = Field(ge=1, le=2**63 - 1)


class PaginaNaoAtribuidas(Page[MensagemOut]):
    """A page of unassigned messages, with how many wait in all."""

    total: int = Field(
        description="Quantas mensagens esperam um chamado ao todo, não só nesta página"
    )
