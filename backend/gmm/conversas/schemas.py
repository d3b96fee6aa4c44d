from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from gmm.chamados.models import Prioridade, StatusChamado
from gmm.conversas.conteudo import Conteudo
from gmm.conversas.models import Direcao, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.pagination import Page


class CitacaoOut(BaseModel):
    """A mensagem citada (a resposta do WhatsApp), para mostrar o trecho e ir até ela."""

    id: int
    chamado_id: int | None
    direcao: Direcao
    tipo_conteudo: TipoConteudo
    texto: str | None = Field(description="O texto citado (até 200 caracteres)")
    apagada: bool


class MensagemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    chamado_id: int | None
    terceirizado_id: int | None = Field(
        description="O terceirizado da conversa; null só para remetentes desconhecidos"
    )
    direcao: Direcao
    tipo: TipoMensagem
    tipo_conteudo: TipoConteudo
    texto: str | None
    conteudo: Conteudo | None = Field(
        description="O que a mensagem traz além do texto, conforme o `tipo`: botões, lista, "
        "o toque do prestador numa opção, arquivo (nome, tipo, `midia_status`)"
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
    citada: CitacaoOut | None = Field(
        default=None, description="A mensagem que esta cita (nossa ou do terceirizado)"
    )
    reacao: str | None = Field(description="A reação do terceirizado (emoji)")
    reagida_em: datetime | None
    editada_em: datetime | None = Field(description="Editada pelo terceirizado: `texto` é o novo")
    texto_original: str | None = Field(description="O primeiro texto de uma mensagem editada")
    apagada_em: datetime | None = Field(
        description="Apagada pelo terceirizado; `texto` guarda o original para os operadores"
    )


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
    local: str | None
    status: StatusChamado
    prioridade: Prioridade
    prazo_combinado: datetime | None
    prazo: datetime | None = Field(
        description="O prazo que vale: o combinado, senão o do SLA da prioridade (tempo útil)"
    )
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
    reconhecer_remetente: bool = Field(
        default=False,
        description="Remetente desconhecido (um @lid sem número, um segundo número): "
        "reconhecê-lo daqui em diante como o terceirizado do chamado",
    )


class MoverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chamado_id: int = Field(ge=1, le=2**63 - 1, description="Outro chamado do mesmo terceirizado")
    com_seguintes: bool = Field(
        default=False, description="Mover também as mensagens seguintes da conversa"
    )


class MovidasOut(BaseModel):
    de_chamado_id: int
    para_chamado_id: int
    mensagem_ids: list[int]


class PaginaConversasTerceirizado(Page[ConversaOut]):
    """Os chamados de um terceirizado com as conversas, os abertos primeiro."""

    a_classificar: int = Field(description="Mensagens dele que esperam um chamado")


class PaginaNaoAtribuidas(Page[MensagemOut]):
    """A page of unassigned messages, with how many wait in all."""

    total: int = Field(
        description="Quantas mensagens esperam um chamado ao todo, não só nesta página"
    )


class Trecho(BaseModel):
    texto: str
    destaque: bool = Field(description="true: o que casou com a busca (a tela o realça)")


class ResultadoBusca(BaseModel):
    """Uma mensagem que diz o que se buscou, com o trecho onde diz."""

    mensagem_id: int
    chamado_id: int | None = Field(description="null: mensagem ainda não atribuída")
    numero_chamado: str | None
    titulo: str | None
    prestador: str | None
    direcao: Direcao
    criado_em: datetime
    trecho: list[Trecho] = Field(description="O trecho da mensagem, em partes, realçadas ou não")
