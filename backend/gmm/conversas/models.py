from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, ForeignKey, Identity, Index, Integer, String, Text, func, text
from sqlalchemy.orm import Mapped, mapped_column

from gmm.chamados.models import Prioridade
from gmm.conversas.conteudo import Conteudo, ConteudoJSON
from gmm.core.db import Base
from gmm.core.enums import enum_column

# What a message says, as the search reads it: its text and, for a voice note, its
# transcription, stemmed in Portuguese with no regard to accents (the gmm_portugues
# configuration of migration 0014). Written as PostgreSQL shows the index, so that
# `alembic check` finds the model and the schema alike.
DOCUMENTO = (
    "to_tsvector('gmm_portugues'::regconfig, "
    "(COALESCE(texto, ''::text) || ' '::text) || COALESCE(transcricao, ''::text))"
)


class Direcao(StrEnum):
    outbound = "outbound"
    inbound = "inbound"


class TipoMensagem(StrEnum):
    criacao = "criacao"
    cobranca = "cobranca"
    resposta_manual = "resposta_manual"
    finalizacao = "finalizacao"
    lista_interativa = "lista_interativa"
    botoes = "botoes"
    midia = "midia"
    recebida = "recebida"
    automatica = "automatica"  # sent by an automation rule or a conversation step
    cobranca_automatica = "cobranca_automatica"  # a step of the follow-up ladder (gmm.sla)
    link_prestador = "link_prestador"


class TipoConteudo(StrEnum):
    text = "text"
    interactive = "interactive"
    image = "image"
    audio = "audio"
    video = "video"
    document = "document"


class StatusEnvio(StrEnum):
    pendente = "pendente"
    enfileirado = "enfileirado"
    enviado = "enviado"
    entregue = "entregue"
    lido = "lido"
    falhou = "falhou"


class Mensagem(Base):
    __tablename__ = "mensagens"
    __table_args__ = (
        # Unassigned messages and the worker's look at a chamado's queue walk it.
        Index("ix_mensagens_chamado_id_id", "chamado_id", "id"),
        # History and "last message" of a chamado walk this index backwards.
        Index("ix_mensagens_chamado_id_momento_id", "chamado_id", "momento", "id"),
        # Unread badge: only inbound messages no operator has opened yet.
        Index(
            "ix_mensagens_nao_lidas",
            "chamado_id",
            postgresql_where=text("direcao = 'inbound' AND lida_em IS NULL"),
        ),
        # Delivery sweeps and monitoring look at messages by state and age.
        Index("ix_mensagens_status_envio_criado_em", "status_envio", "criado_em"),
        # Monitoring's 24 h volume and delivery times read one day of messages.
        Index("ix_mensagens_criado_em", "criado_em"),
        # Full-text search over what a message says (GET /api/mensagens/busca): the GIN
        # index for rare words, a walk back by momento for common ones.
        Index("ix_mensagens_busca", text(DOCUMENTO), postgresql_using="gin"),
        Index("ix_mensagens_momento_id", "momento", "id"),
        # A contractor's messages waiting for a chamado ("a classificar"), per contractor.
        Index(
            "ix_mensagens_a_classificar",
            "terceirizado_id",
            "id",
            postgresql_where=text("chamado_id IS NULL"),
        ),
        # A quoted message's replies (a deleted message's quotes are cleared by the FK).
        Index(
            "ix_mensagens_citada_id",
            "citada_id",
            postgresql_where=text("citada_id IS NOT NULL"),
        ),
        # A stored file is served under the name it was sent with (GET /api/midias).
        Index(
            "ix_mensagens_url_midia",
            "url_midia",
            postgresql_where=text("url_midia IS NOT NULL"),
        ),
        # The sweep finds inbound files whose download job was lost...
        Index(
            "ix_mensagens_midia_baixando",
            "criado_em",
            postgresql_where=text("(conteudo ->> 'midia_status') = 'baixando'"),
        ),
        # ...and stored voice notes never transcribed (nor failed).
        Index(
            "ix_mensagens_audio_sem_transcricao",
            "criado_em",
            postgresql_where=text(
                "tipo_conteudo = 'audio' AND url_midia IS NOT NULL AND transcricao IS NULL "
                "AND NOT (conteudo ? 'transcricao_status')"
            ),
        ),
        # Message-center search by text.
        Index(
            "ix_mensagens_texto_trgm",
            "texto",
            postgresql_using="gin",
            postgresql_ops={"texto": "gin_trgm_ops"},
        ),
        # Voice notes are found by what was said in them.
        Index(
            "ix_mensagens_transcricao_trgm",
            "transcricao",
            postgresql_using="gin",
            postgresql_ops={"transcricao": "gin_trgm_ops"},
        ),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    # Null for inbound messages that match no open chamado: kept, never dropped.
    chamado_id: Mapped[int | None] = mapped_column(ForeignKey("chamados.id", ondelete="CASCADE"))
    # The contractor it comes from or goes to: what a message waiting for a chamado
    # ("a classificar") is filed under. Null only for senders no contractor matches.
    terceirizado_id: Mapped[int | None] = mapped_column(
        ForeignKey("terceirizados.id", ondelete="SET NULL")
    )
    direcao: Mapped[Direcao] = mapped_column(enum_column(Direcao, "direcao"))
    tipo: Mapped[TipoMensagem] = mapped_column(enum_column(TipoMensagem, "tipo"))
    tipo_conteudo: Mapped[TipoConteudo] = mapped_column(
        enum_column(TipoConteudo, "tipo_conteudo"), default=TipoConteudo.text
    )
    texto: Mapped[str | None] = mapped_column(Text)
    # What the gateway needs beyond the text: list sections, reply buttons, media
    # file name/type. Shape owned by envio/service.py.
    conteudo: Mapped[Conteudo | None] = mapped_column(ConteudoJSON)
    # Phone (digits) the message goes to (outbound) or comes from (inbound).
    destinatario: Mapped[str] = mapped_column(String(32))
    url_midia: Mapped[str | None] = mapped_column(Text)
    caption: Mapped[str | None] = mapped_column(Text)
    transcricao: Mapped[str | None] = mapped_column(Text)
    status_envio: Mapped[StatusEnvio] = mapped_column(
        enum_column(StatusEnvio, "status_envio"), default=StatusEnvio.pendente
    )
    erro: Mapped[str | None] = mapped_column(Text)
    megaapi_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    prioridade: Mapped[Prioridade] = mapped_column(
        enum_column(Prioridade, "prioridade"), default=Prioridade.normal
    )
    tentativas: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Lease of the worker that is sending it right now: a second job for the same
    # message (sweep after a Redis loss) sees it and stands down instead of sending
    # twice; a killed worker's lease simply runs out.
    reservado_ate: Mapped[datetime | None]
    # When an operator opened it (inbound); distinct from lido_em, the contractor's read tick.
    lida_em: Mapped[datetime | None]
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
    # When it happened in the conversation, which orders the chat: for a contractor's
    # message, when WhatsApp stamped it (its webhooks arrive in parallel, or late
    # after an outage), for ours, when we accepted it.
    momento: Mapped[datetime] = mapped_column(server_default=func.now())
    enviado_em: Mapped[datetime | None]
    entregue_em: Mapped[datetime | None]
    lido_em: Mapped[datetime | None]
    # The operator who sent it (ours only; None for automatic sends and older rows).
    usuario_id: Mapped[int | None] = mapped_column(ForeignKey("usuarios.id", ondelete="SET NULL"))
    # The message this one quotes (WhatsApp's reply), ours or the contractor's.
    citada_id: Mapped[int | None] = mapped_column(ForeignKey("mensagens.id", ondelete="SET NULL"))
    # The contractor's reaction to it, and when they reacted (a later event wins).
    reacao: Mapped[str | None] = mapped_column(String(32))
    reagida_em: Mapped[datetime | None]
    # Edited by the contractor: ``texto`` is the latest version, this the first one
    # (every version is in alteracoes_mensagem).
    texto_original: Mapped[str | None] = mapped_column(Text)
    editada_em: Mapped[datetime | None]
    # Deleted for everyone by the contractor: the text stays for the operators.
    apagada_em: Mapped[datetime | None]


class TipoAlteracao(StrEnum):
    reacao = "reacao"
    edicao = "edicao"
    apagada = "apagada"


class AlteracaoMensagem(Base):
    """A contractor's reaction, edit or delete of a message, as WhatsApp reported it.

    Keyed by the event's own MegaAPI id: a redelivered webhook changes nothing twice,
    and every version of an edited text stays here for the operators."""

    __tablename__ = "alteracoes_mensagem"
    __table_args__ = (Index("ix_alteracoes_mensagem_mensagem_id", "mensagem_id"),)

    megaapi_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    mensagem_id: Mapped[int] = mapped_column(ForeignKey("mensagens.id", ondelete="CASCADE"))
    tipo: Mapped[TipoAlteracao] = mapped_column(enum_column(TipoAlteracao, "tipo"))
    # The emoji (empty: reaction removed) or the new text; null for a delete.
    valor: Mapped[str | None] = mapped_column(Text)
    anterior: Mapped[str | None] = mapped_column(Text)
    # When the contractor did it (WhatsApp's stamp, else when it arrived).
    momento: Mapped[datetime]
    criado_em: Mapped[datetime] = mapped_column(server_default=func.now())
