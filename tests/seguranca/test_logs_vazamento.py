"""No log line carries a secret or a phone number, whatever produced it.

Masking once covered only the message text and the literal ``token=``: tracebacks
printed SQL parameters (phones, message text) and ``?%74oken=`` put the webhook
token in the access log. Here the real server (uvicorn, our logging) gets crafted
requests, and every line it writes is scanned for what they carried.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.app.main import create_app
from gmm.automacao import service as automacao
from gmm.conversas.models import Mensagem
from gmm.core import logs
from gmm.core.config import Settings
from tests import factories as f
from tests.recebimento.test_webhook import texto
from tests.servidor import servir

TELEFONE = "5511987650123"
TEXTO = "orcamento-sigiloso-do-cliente"


@pytest.fixture(params=[True, False], ids=["json", "legivel"])
def saida(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """The process's logging (`gmm api`'s, JSON or readable) written to a buffer."""
    buffer = io.StringIO()
    logs.configurar(json=request.param)
    logging.getLogger().handlers[0].stream = buffer  # type: ignore[attr-defined]
    try:
        yield buffer
    finally:
        logs.configurar(json=False)


async def _falhar_no_meio(*_: Any) -> None:
    raise AssertionError("substituída no teste")


async def test_crafted_requests_leave_no_secret_or_phone_in_any_line(
    db: AsyncSession, settings: Settings, saida: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    usuario = await f.usuario(db)
    jwt = f.headers(usuario, settings)["Authorization"].removeprefix("Bearer ")
    await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE))
    segredo = settings.secret("webhook_token")

    async def falhar_no_meio(session: AsyncSession, *_: Any) -> None:
        # Mid-transaction (the message is already flushed), a statement fails with
        # the phone and the text as its parameters.
        await session.execute(
            text("INSERT INTO tabela_inexistente (telefone, texto) VALUES (:telefone, :texto)"),
            {"telefone": TELEFONE, "texto": TEXTO},
        )

    monkeypatch.setattr(automacao, "processar_recebida", falhar_no_meio)
    with servir(create_app(settings), log_level="info", log_config=None) as url:
        # A new connection per request: uvicorn drops the one an unhandled error used.
        async with httpx.AsyncClient(
            base_url=url, timeout=30, headers={"Connection": "close"}
        ) as http:
            # Encoded parameter names: the server decodes them, so must the masking.
            for nome in ("%74oken", "tok%65n", "TOKEN", "token"):
                r = await http.post(
                    f"/webhook/whatsapp?{nome}={segredo}", json=texto(TELEFONE, TEXTO)
                )
                assert r.status_code in (401, 500), r.text
            # Failing webhooks: malformed, wrong token (itself a guess at a secret).
            r = await http.post(f"/webhook/whatsapp?token={segredo}", json={"key": TELEFONE})
            assert r.status_code == 422
            r = await http.post(f"/webhook/whatsapp?%74oken={TELEFONE}", json={})
            assert r.status_code == 401
            r = await http.get(f"/api/midias/x.jpg?access_%74oken={jwt}")
            assert r.status_code == 404
    # An application's own line with extra fields and an exception.
    try:
        raise ValueError(f"envio para {TELEFONE} falhou ({url}/webhook/whatsapp?token={segredo})")
    except ValueError:
        logging.getLogger("gmm.teste").exception(
            "falhou", extra={"destino": TELEFONE, "dados": {"url": f"?token={segredo}"}}
        )

    linhas = saida.getvalue().splitlines()
    assert any("tabela_inexistente" in linha for linha in linhas), "o erro não foi registrado"
    assert any("/webhook/whatsapp?token=***" in linha for linha in linhas)
    for linha in linhas:
        for vazamento in (segredo, TELEFONE, TEXTO, jwt, jwt.split(".")[2]):
            assert vazamento not in linha, linha
    # The failed transaction stored nothing.
    assert await db.scalar(select(func.count()).select_from(Mensagem)) == 0


def test_a_traceback_is_rendered_masked_once_for_every_formatter() -> None:
    registro = logging.LogRecord("gmm.x", logging.ERROR, __file__, 1, "erro", None, None)
    try:
        raise RuntimeError(f"telefone {TELEFONE}")
    except RuntimeError as exc:
        registro.exc_info = (type(exc), exc, exc.__traceback__)
    assert logs.Contexto().filter(registro)
    assert registro.exc_info is None and TELEFONE not in (registro.exc_text or "")
    assert TELEFONE not in logging.Formatter().format(registro)
