"""The real-time events of messages: a new one in a chat, or one whose state moved."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from gmm.core.eventos import Evento


class _EventoMensagem(Evento):
    """What screens need to know of a message to refresh the right chat."""

    mensagem_id: int
    chamado_id: int | None = Field(description="null: mensagem ainda não atribuída")
    direcao: Direcao
    status_envio: StatusEnvio
    erro: str | None

    @classmethod
    def de(cls, mensagem: Mensagem) -> _EventoMensagem:
        return cls(
            mensagem_id=mensagem.id,
            chamado_id=mensagem.chamado_id,
            direcao=mensagem.direcao,
            status_envio=mensagem.status_envio,
            erro=mensagem.erro,
        )


class MensagemNova(_EventoMensagem):
    """Uma mensagem apareceu numa conversa (recebida, enviada ou atribuída a um chamado)."""

    nome: ClassVar[str] = "mensagem.nova"


class MensagemStatus(_EventoMensagem):
    """O estado de uma mensagem mudou (tique, falha, mídia baixada, transcrição)."""

    nome: ClassVar[str] = "mensagem.status"


class MensagemAlterada(_EventoMensagem):
    """O terceirizado reagiu a uma mensagem, editou ou apagou uma mensagem dele."""

    nome: ClassVar[str] = "mensagem.alterada"


class MensagensMovidas(Evento):
    """Mensagens passaram para outro chamado (movidas por um operador, ou mensagens a
    classificar ligadas ao chamado que o terceirizado escolheu)."""

    nome: ClassVar[str] = "mensagens.movidas"

    de_chamado_id: int | None = Field(description="null: estavam sem chamado (a classificar)")
    para_chamado_id: int
    mensagem_ids: list[int]
