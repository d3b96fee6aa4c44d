"""Logs: JSON in production with the ids of the work, secrets and phones masked."""

from __future__ import annotations

import io
import json
import logging

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from gmm.core import logs
from gmm.core.metricas_http import MetricasHTTP


def _registro(msg: str, *args: object, nome: str = "uvicorn.access") -> logging.LogRecord:
    return logging.LogRecord(nome, logging.INFO, __file__, 1, msg, args, None)


def test_access_log_hides_tokens_in_urls() -> None:
    filtro = logs.Contexto()
    evento = _registro(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:5000", "GET", "/api/eventos?access_token=abc.def&x=1", "1.1", 200,
    )  # fmt: skip
    webhook = _registro(
        '%s - "%s %s HTTP/%s" %d',
        "127.0.0.1:5000", "POST", "/webhook/whatsapp?token=s3cr3t", "1.1", 200,
    )  # fmt: skip
    assert filtro.filter(evento) and filtro.filter(webhook)
    assert "abc.def" not in evento.getMessage() and "access_token=***&x=1" in evento.getMessage()
    assert "s3cr3t" not in webhook.getMessage() and "token=***" in webhook.getMessage()


def test_accepted_webhooks_leave_no_access_line_and_everything_else_does() -> None:
    logs.configurar(json=True)
    acesso = logging.getLogger("uvicorn.access")

    def linha(caminho: str, status: int) -> logging.LogRecord:
        return _registro(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "POST", caminho, "1.1", status
        )

    # Configured twice (a process runs it once; the tests many times): one filter.
    logs.configurar(json=True)
    assert sum(isinstance(f, logs.SemWebhooksAceitos) for f in acesso.filters) == 1
    assert not acesso.filter(linha("/webhook/whatsapp?token=s", 200))
    assert not acesso.filter(linha("/webhook/whatsapp/status?token=s", 200))
    assert acesso.filter(linha("/webhook/whatsapp?token=errado", 401))
    assert acesso.filter(linha("/webhook/whatsapp?token=s", 503))
    assert acesso.filter(linha("/api/chamados", 201))


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("envio para 5511987654321 ok", "envio para 5511*****21 ok"),
        ("jid 551187654321@s.whatsapp.net", "jid 5511*****21@s.whatsapp.net"),
        ("Authorization: Bearer eyJabc.def", "Authorization: Bearer ***"),
        ('{"token": "segredo", "x": 1}', '{"token": "***", "x": 1}'),
        ("mensagem 12345 do chamado 7", "mensagem 12345 do chamado 7"),
    ],
)
def test_phones_and_secrets_are_masked_wherever_they_appear(texto: str, esperado: str) -> None:
    assert logs.mascarar(texto) == esperado


def test_json_lines_carry_the_ids_of_the_work() -> None:
    saida = io.StringIO()
    logs.configurar(json=True)
    handler = logging.getLogger().handlers[0]
    handler.stream = saida  # type: ignore[attr-defined]
    try:
        tokens = (
            logs.request_id.set("req-1"),
            logs.chamado_id.set(7),
            logs.mensagem_id.set(42),
        )
        logging.getLogger("gmm.teste").warning("falhou para %s", "5511987654321")
        for var, token in zip(
            (logs.request_id, logs.chamado_id, logs.mensagem_id), tokens, strict=True
        ):
            var.reset(token)  # type: ignore[attr-defined]
    finally:
        logs.configurar(json=False)
    linha = json.loads(saida.getvalue().strip().splitlines()[-1])
    assert linha["message"] == "falhou para 5511*****21"
    assert (linha["request_id"], linha["chamado_id"], linha["mensagem_id"]) == ("req-1", 7, 42)
    assert linha["level"] == "WARNING" and linha["logger"] == "gmm.teste"


async def test_every_response_has_a_request_id(client: httpx.AsyncClient) -> None:
    proprio = await client.get("/healthz", headers={"X-Request-ID": "integrador-123"})
    assert proprio.headers["x-request-id"] == "integrador-123"
    gerado = await client.get("/healthz", headers={"X-Request-ID": "invalido com espaco;"})
    assert len(gerado.headers["x-request-id"]) == 32


async def test_a_request_about_a_chamado_carries_its_id_and_the_request_id() -> None:
    vistos: list[tuple[str | None, int | None]] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        vistos.append((logs.request_id.get(), logs.chamado_id.get()))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    transport = httpx.ASGITransport(app=MetricasHTTP(app))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as cliente:
        await cliente.get("/api/chamados/77/info", headers={"X-Request-ID": "rq-77"})
        await cliente.get("/api/conversas/8/mensagens", headers={"X-Request-ID": "rq-8"})
        await cliente.get("/api/terceirizados/5", headers={"X-Request-ID": "rq-5"})
    assert vistos == [("rq-77", 77), ("rq-8", 8), ("rq-5", None)]
    # Outside a request, nothing leaks from the last one.
    assert (logs.request_id.get(), logs.chamado_id.get()) == (None, None)
