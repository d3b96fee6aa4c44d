"""The real-time event of the WhatsApp connection (MegaAPI's connection_update)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from gmm.core.eventos import Evento


class ConexaoEvento(Evento):
    """A conexão do WhatsApp mudou."""

    nome: ClassVar[str] = "conexao"
    estado: str = Field(description="Estado informado pela MegaAPI (ex.: open, close)")
    motivo: str | None
