"""Documented error responses, so integrators see every 4xx/5xx an endpoint can give."""

from __future__ import annotations

from typing import Any

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


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorOut, "description": _DESCRIPTIONS[code]} for code in codes}
