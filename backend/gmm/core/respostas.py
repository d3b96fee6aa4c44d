"""The error shape every router declares: ``errors(401, 404)`` documents those answers."""

from __future__ import annotations

from typing import Any

from fastapi import Response
from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    error: str = Field(description="Código curto do erro", examples=["nao_encontrado"])
    detail: Any = Field(description="Explicação em português ou lista de problemas de validação")


_DESCRIPTIONS = {
    401: "Token ausente, inválido ou expirado",
    403: "Sem permissão (apenas administradores)",
    404: "Recurso não encontrado",
    409: "Conflito com o estado atual",
    422: "Dados inválidos",
    429: "Muitas tentativas; veja Retry-After",
    503: "Serviço indisponível",
}


def errors(
    *codes: int, descricoes: dict[int, str] | None = None
) -> dict[int | str, dict[str, Any]]:
    """The documented error answers of an operation (``descricoes``: its own wording)."""
    textos = _DESCRIPTIONS | (descricoes or {})
    return {code: {"model": ErrorOut, "description": textos[code]} for code in codes}


def resposta_secreta(response: Response) -> None:
    """Dependency for endpoints whose answer carries a secret (a link token, say):
    no cache, proxy or idempotency record keeps a copy of it."""
    response.headers["Cache-Control"] = "no-store"
