"""The real-time events of chamados."""

from __future__ import annotations

from typing import ClassVar

from gmm.chamados.models import Chamado, Prioridade, StatusChamado
from gmm.core.eventos import Evento


class ChamadoAtualizado(Evento):
    """O status ou a prioridade de um chamado mudou."""

    nome: ClassVar[str] = "chamado.atualizado"
    chamado_id: int
    status: StatusChamado
    prioridade: Prioridade

    @classmethod
    def de(cls, chamado: Chamado) -> ChamadoAtualizado:
        return cls(chamado_id=chamado.id, status=chamado.status, prioridade=chamado.prioridade)


class Notificacao(Evento):
    """Um aviso para os operadores: o que um toque do prestador, uma citação ou uma
    regra de automação fez no chamado."""

    nome: ClassVar[str] = "notificacao"
    chamado_id: int
    numero_chamado: str
    texto: str

    @classmethod
    def de(cls, chamado: Chamado, texto: str) -> Notificacao:
        return cls(chamado_id=chamado.id, numero_chamado=chamado.numero_chamado, texto=texto)
