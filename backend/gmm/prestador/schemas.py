from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from gmm.chamados.models import StatusChamado
from gmm.chamados.schemas import ChamadoComMensagem
from gmm.conversas.models import TipoConteudo


class LinkPrestadorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    validade_horas: int | None = Field(
        default=None,
        ge=1,
        le=720,
        description="Por quantas horas o link vale (1 a 720); sem ele, "
        "GMM_LINK_PRESTADOR_VALIDADE_HORAS (7 dias)",
    )


class StatusLink(StrEnum):
    ativo = "ativo"
    expirado = "expirado"
    revogado = "revogado"


class LinkPrestadorOut(BaseModel):
    """A contractor link as operators see it: never the token (it is not stored)."""

    id: int
    chamado_id: int
    criado_por: int | None
    criado_em: datetime
    expira_em: datetime
    revogado_em: datetime | None
    ultimo_uso_em: datetime | None
    status: StatusLink
    usos: int = Field(description="Acessos aceitos: ver, enviar arquivo, concluir")
    recusas: int = Field(
        description="Tentativas recusadas: link expirado, revogado ou adulterado, "
        "arquivo inválido, chamado encerrado, limite de envios"
    )


class LinkPrestadorCriado(ChamadoComMensagem):
    """The new link, the chamado and the WhatsApp message that carries the link."""

    url: str = Field(description="O endereço do link; só aparece nesta resposta")
    link: LinkPrestadorOut


Observacao = Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)]


class ConcluirIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    observacao: Observacao | None = Field(
        default=None, description="Comentário do prestador, guardado como mensagem recebida"
    )


class ArquivoPrestadorOut(BaseModel):
    """A file the contractor sent through the link."""

    id: int = Field(description="Id da mensagem recebida que guarda o arquivo")
    nome_arquivo: str
    tipo_conteudo: TipoConteudo = Field(description="image ou document")
    mime_type: str
    tamanho: int | None = Field(description="Bytes")
    caption: str | None
    criado_em: datetime


class PrestadorChamadoOut(BaseModel):
    """What the contractor sees through the link: the work, nothing internal."""

    numero_chamado: str
    titulo: str
    descricao: str | None
    status: StatusChamado
    prazo_combinado: datetime | None
    atrasado: bool
    prestador: str = Field(description="Nome do terceirizado do chamado")
    link_expira_em: datetime
    pode_enviar: bool = Field(description="Ainda aceita fotos e documentos")
    pode_concluir: bool = Field(description="Ainda pode ser marcado como concluído")
    arquivos: list[ArquivoPrestadorOut] = Field(description="Enviados por link, do mais antigo")
