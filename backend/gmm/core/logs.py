"""Logging: JSON in production, readable lines in development, the same fields in both.

Every line carries the request id, chamado id and message id of the work it
belongs to (context variables set by the HTTP middleware and by the worker's
jobs), so one message can be followed API → job → MegaAPI call. Phone numbers and
tokens are masked in every line, whatever logged them: the message and its args, the
exception's traceback, the stack and any ``extra`` field are masked on the record,
before any formatter renders it (JSON or readable alike). SQL parameters never get
this far: the engines are created with ``hide_parameters=True`` (gmm.core.db).
"""

from __future__ import annotations

import logging
import re
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
chamado_id: ContextVar[int | None] = ContextVar("chamado_id", default=None)
mensagem_id: ContextVar[int | None] = ContextVar("mensagem_id", default=None)
# The logged-in user a request acts for (set by gmm.auth.deps): who sent a message.
usuario_id: ContextVar[int | None] = ContextVar("usuario_id", default=None)

# 55 + DDD + 8/9 digits (with or without @s.whatsapp.net): keep the first 4 and last 2.
_TELEFONE = re.compile(r"(?<!\d)(55\d{2})\d{4,7}(\d{2})(?!\d)")
# ?token= / access_token= / ?sig= (a signed media link) / Bearer xyz / "token": "xyz".
# The value stops at a backslash too, so an escaped quote stays escaped.
_TOKEN = re.compile(
    r"((?<![A-Za-z0-9])(?:\w*token|sig|senha|password|api_key)=|Bearer\s+"
    r"|\"(?:\w*token|api_key|senha|password)\"\s*:\s*\")[^&\s\"\\]+",
    re.IGNORECASE,
)
# The contractor link carries its token in the path.
_LINK = re.compile(r"(/(?:api/prestador|p)/)[A-Za-z0-9._~-]{20,}")
# A percent-encoded unreserved character means the character itself (RFC 3986 §2.3),
# and the server decodes it so: `?%74oken=` is `?token=`. Only these are decoded, so a
# `%0A` can never forge a line.
_CODIFICADO = re.compile(r"%(2[dDeE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA]|5[fF]|7[eE])")
# What every LogRecord has; anything else on a record came in through `extra=`.
_PADRAO = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}


def _decodificar(texto: str) -> str:
    return _CODIFICADO.sub(lambda m: chr(int(m[1], 16)), texto)


def mascarar(texto: str) -> str:
    texto = _TOKEN.sub(r"\1***", _decodificar(texto))
    texto = _LINK.sub(r"\1***", texto)
    return _TELEFONE.sub(r"\1*****\2", texto)


def _mascarar_valor(valor: object) -> object:
    if isinstance(valor, str):
        return mascarar(valor)
    if isinstance(valor, dict):
        return {chave: _mascarar_valor(v) for chave, v in valor.items()}
    if isinstance(valor, list | tuple | set):
        return [_mascarar_valor(v) for v in valor]
    return valor


_FORMATADOR = logging.Formatter()


class Contexto(logging.Filter):
    """Adds the context ids and masks the whole record: message with its args,
    traceback, stack and extra fields (every handler then sees it masked)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.chamado_id = chamado_id.get()
        record.mensagem_id = mensagem_id.get()
        try:
            mensagem = record.getMessage()
        except (TypeError, ValueError):
            mensagem = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = mascarar(mensagem), None
        if record.exc_info:
            # Rendered once here, masked; formatters use exc_text when exc_info is gone
            # (python-json-logger would otherwise render the traceback afresh).
            record.exc_text = _FORMATADOR.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = mascarar(record.exc_text)
        if record.stack_info:
            record.stack_info = mascarar(record.stack_info)
        for nome, valor in list(vars(record).items()):
            if nome not in _PADRAO:
                setattr(record, nome, _mascarar_valor(valor))
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
    acesso = logging.getLogger("uvicorn.access")
    acesso.filters[:] = [f for f in acesso.filters if not isinstance(f, SemWebhooksAceitos)]
    acesso.addFilter(SemWebhooksAceitos())


class SemWebhooksAceitos(logging.Filter):
    """No access line for a webhook MegaAPI delivered and we accepted (2xx): at its
    rate they would be most of the log and a tenth of each webhook's CPU, and each is
    already in the database (the message, the tick) and in the metrics. A refused one
    (401, 4xx, 503) is still logged, as is every other request."""

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn's access record: (client, method, path with query, HTTP version, status).
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            caminho, status = args[2], args[4]
            if (
                isinstance(caminho, str)
                and caminho.startswith("/webhook/")
                and isinstance(status, int)
                and 200 <= status < 300
            ):
                return False
        return True
