"""Logging: JSON in production, readable lines in development, the same fields in both.

Every line carries the request id, chamado id and message id of the work it
belongs to (context variables set by the HTTP middleware and by the worker's
jobs), so one message can be followed API → job → MegaAPI call. Phone numbers and
tokens are masked in every line, whatever logged them.
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
chamado_id: ContextVar[int | None] = ContextVar("chamado_id", default=None)
mensagem_id: ContextVar[int | None] = ContextVar("mensagem_id", default=None)

# 55 + DDD + 8/9 digits (with or without @s.whatsapp.net): keep the first 4 and last 2.
_TELEFONE = re.compile(r"(?<!\d)(55\d{2})\d{4,7}(\d{2})(?!\d)")
# ?token= / access_token= / Bearer xyz / "token": "xyz"
_TOKEN = re.compile(
    r"((?:access_)?token=|Bearer\s+|\"(?:token|api_key|senha|password)\"\s*:\s*\")[^&\s\"]+",
    re.IGNORECASE,
)
# The contractor link carries its token in the path.
_LINK = re.compile(r"(/(?:api/prestador|p)/)[A-Za-z0-9._~-]{20,}")


def mascarar(texto: str) -> str:
    texto = _TOKEN.sub(r"\1***", texto)
    texto = _LINK.sub(r"\1***", texto)
    return _TELEFONE.sub(r"\1*****\2", texto)


class Contexto(logging.Filter):
    """Adds the context ids and masks the rendered message (args included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.chamado_id = chamado_id.get()
        record.mensagem_id = mensagem_id.get()
        try:
            mensagem = record.getMessage()
        except (TypeError, ValueError):
            return True
        record.msg, record.args = mascarar(mensagem), None
        return True


class Legivel(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        linha = super().format(record)
        ids = [
            f"{nome}={valor}"
            for nome in ("request_id", "chamado_id", "mensagem_id")
            if (valor := getattr(record, nome, None)) is not None
        ]
        return f"{linha} [{' '.join(ids)}]" if ids else linha


def configurar(json: bool, nivel: int = logging.INFO) -> None:
    """Root logging for a process (`gmm api`, `gmm worker`, `gmm run`)."""
    handler = logging.StreamHandler()
    formatter: logging.Formatter
    if json:
        formatter = JsonFormatter(
            "{asctime}{levelname}{name}{message}{request_id}{chamado_id}{mensagem_id}",
            style="{",
            rename_fields={"levelname": "level", "asctime": "time", "name": "logger"},
        )
    else:
        formatter = Legivel("%(levelname)s %(name)s: %(message)s")
    handler.setFormatter(formatter)
    handler.addFilter(Contexto())
    raiz = logging.getLogger()
    raiz.handlers[:] = [handler]
    raiz.setLevel(nivel)
    # uvicorn's loggers have their own handlers: route them through ours.
    for nome in ("uvicorn", "uvicorn.error", "uvicorn.access", "arq"):
        logger = logging.getLogger(nome)
        logger.handlers[:] = []
        logger.propagate = True
