"""The link's token is a credential: it never reaches the access log."""

from __future__ import annotations

import logging
from datetime import timedelta

from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.core.logs import Contexto
from gmm.prestador import acesso


def _linha(caminho: str) -> logging.LogRecord:
    # The shape of uvicorn's access records: client, method, full path, version, status.
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", caminho, "1.1", 200), None,
    )  # fmt: skip


def test_access_log_hides_the_link_token_in_paths(settings: Settings) -> None:
    token = acesso.criar_token(settings, "jti-log", 7, utcnow() + timedelta(hours=1))
    filtro = Contexto()
    casos = {
        f"/p/{token}": "/p/***",
        f"/api/prestador/{token}": "/api/prestador/***",
        f"/api/prestador/{token}/arquivos": "/api/prestador/***/arquivos",
        f"/api/prestador/{token}/concluir?x=1": "/api/prestador/***/concluir?x=1",
    }
    for caminho, esperado in casos.items():
        registro = _linha(caminho)
        assert filtro.filter(registro)
        mensagem = registro.getMessage()
        assert token not in mensagem and f'"GET {esperado} HTTP/1.1"' in mensagem, mensagem
        for parte in token.split("."):
            assert parte not in mensagem


def test_access_log_keeps_other_paths() -> None:
    filtro = Contexto()
    for caminho in ("/api/chamados/3/link-prestador", "/api/links-prestador/2/revogar", "/p"):
        registro = _linha(caminho)
        assert filtro.filter(registro) and caminho in registro.getMessage()
