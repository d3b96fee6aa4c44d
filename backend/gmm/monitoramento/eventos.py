"""The real-time event of the monitoring: an incident opened or closed."""

from __future__ import annotations

from typing import ClassVar

from gmm.core.eventos import Evento
from gmm.monitoramento.models import Severidade, TipoAlerta


class AlertaEvento(Evento):
    """Um incidente do monitoramento abriu (`aberto`) ou fechou."""

    nome: ClassVar[str] = "alerta"
    id: int
    tipo: TipoAlerta
    severidade: Severidade
    mensagem: str
    aberto: bool
