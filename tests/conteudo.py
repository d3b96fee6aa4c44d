"""What a message's ``conteudo`` keeps, as stored (JSONB), for asserting on it."""

from __future__ import annotations

from typing import Any

from gmm.conversas.models import Mensagem


def guardado(mensagem: Mensagem) -> dict[str, Any]:
    assert mensagem.conteudo is not None, f"a mensagem {mensagem.id} não tem conteúdo"
    return mensagem.conteudo.armazenar()
