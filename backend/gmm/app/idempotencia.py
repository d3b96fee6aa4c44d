"""``Idempotency-Key`` for integrators: a POST retried with the same key runs once.

A client that lost the answer to ``POST /api/chamados`` (a timeout, a dropped
connection) sends it again with the same key and gets the first answer back,
marked ``Idempotent-Replayed: true``, instead of a second chamado and a second
WhatsApp message. Keys live 24 h and remember only successful answers: a request
that failed may simply be retried. The same key with a different request is a 422;
the same key while the first request is still running is a 409.

The caller is authenticated here, before anything is looked up: the token's
signature is verified and its user must exist and be active, and keys belong to
that verified user. A request without a valid user token gets no idempotency at all
(it goes on to the endpoint, which answers 401 or serves it as usual), so a forged
or stolen-then-revoked token can never fetch a stored answer.

Answers that carry a secret are never stored: nothing under ``/api/auth/`` (tokens),
and no answer marked ``Cache-Control: no-store`` (the HTTP way of saying "keep no
copy"; endpoints that answer a secret, such as a contractor's link, declare
``gmm.core.respostas.resposta_secreta``). A retry of those simply runs again. The
request itself is kept only as a SHA-256 fingerprint.

The record is kept in Redis (shared by every API replica). Were Redis lost
between a request and its retry, the retry would run again; the 30 s duplicate
rule of WhatsAppService still keeps the contractor from getting the message twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gmm.auth import service as auth
from gmm.core.config import Settings
from gmm.core.errors import Unauthorized

CABECALHO = b"idempotency-key"
VALIDADE_S = 24 * 3600
EM_ANDAMENTO_S = 120
_CHAVE_VALIDA = re.compile(r"^[\x21-\x7e]{1,200}$")
# Login answers a token: never kept, whatever the endpoint says.
_NUNCA_GUARDAR = ("/api/auth/",)


async def _usuario_verificado(scope: Scope, headers: dict[bytes, bytes]) -> int | None:
    """The id of the active user whose signed token the request carries; else None."""
    autorizacao = headers.get(b"authorization", b"").decode("latin-1")
    esquema, _, token = autorizacao.partition(" ")
    if esquema.lower() != "bearer" or not token.strip():
        return None
    settings: Settings = scope["app"].state.settings
    sessionmaker: async_sessionmaker[AsyncSession] = scope["app"].state.sessionmaker
    try:
        # The same check as every endpoint's (signature, active user, live session):
        # a revoked session or a deactivated account loses its stored answers too.
        async with sessionmaker() as session:
            usuario = await auth.usuario_do_token(session, settings, token.strip())
    except Unauthorized:
        return None
    return usuario.id


def _impressao(scope: Scope, headers: dict[bytes, bytes]) -> hashlib._Hash:
    """The request's fingerprint (query, content type, then the body): a running hash."""
    impressao = hashlib.sha256()
    impressao.update(scope.get("query_string", b"") + b"\0")
    impressao.update(headers.get(b"content-type", b"") + b"\0")
    return impressao


async def _json(send: Send, status: int, corpo: dict[str, Any]) -> None:
    dados = json.dumps(corpo, ensure_ascii=False).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(dados)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": dados})


async def _resumo(receive: Receive, impressao: hashlib._Hash) -> str:
    """The fingerprint with the body, read chunk by chunk (an upload is never held)."""
    while True:
        mensagem = await receive()
        impressao.update(mensagem.get("body", b""))
        if mensagem["type"] != "http.request" or not mensagem.get("more_body"):
            return impressao.hexdigest()


def _guardavel(status: int, headers: dict[bytes, bytes]) -> bool:
    cache = headers.get(b"cache-control", b"").decode("latin-1").lower()
    return 200 <= status < 300 and "no-store" not in cache


class Idempotencia:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope.get("headers", [])) if scope["type"] == "http" else {}
        chave_cliente = headers.get(CABECALHO)
        if (
            chave_cliente is None
            or scope["method"] != "POST"
            or not scope["path"].startswith("/api/")
            or scope["path"].startswith(_NUNCA_GUARDAR)
        ):
            await self.app(scope, receive, send)
            return
        texto = chave_cliente.decode("latin-1")
        if not _CHAVE_VALIDA.match(texto):
            await _json(send, 422, {
                "error": "idempotency_key_invalida",
                "detail": "Idempotency-Key deve ter de 1 a 200 caracteres ASCII visíveis",
            })  # fmt: skip
            return
        usuario_id = await _usuario_verificado(scope, headers)
        if usuario_id is None:
            # No verified user, no record to read or write: the endpoint decides (401).
            await self.app(scope, receive, send)
            return
        redis: Redis = scope["app"].state.redis
        chave = (
            "gmm:idempotencia:"
            + hashlib.sha256(f"{usuario_id}\0{scope['path']}\0{texto}".encode()).hexdigest()
        )
        impressao = _impressao(scope, headers)
        if not await redis.set(
            chave, json.dumps({"em_andamento": True}), nx=True, ex=EM_ANDAMENTO_S
        ):
            await self._repetir(redis, chave, await _resumo(receive, impressao), send)
            return

        async def receber() -> Message:
            mensagem = await receive()
            if mensagem["type"] == "http.request":
                impressao.update(mensagem.get("body", b""))
            return mensagem

        resposta: dict[str, Any] = {"partes": []}

        async def enviar(mensagem: Message) -> None:
            if mensagem["type"] == "http.response.start":
                resposta["status"] = mensagem["status"]
                resposta["headers"] = dict(mensagem.get("headers", []))
            elif mensagem["type"] == "http.response.body":
                resposta["partes"].append(mensagem.get("body", b""))
            await send(mensagem)

        try:
            await self.app(scope, receber, enviar)
        finally:
            status, cabecalhos = resposta.get("status", 500), resposta.get("headers", {})
            if _guardavel(status, cabecalhos):
                guardado = {
                    "status": status,
                    "tipo": cabecalhos.get(b"content-type", b"application/json").decode("latin-1"),
                    "corpo": b"".join(resposta["partes"]).decode("utf-8", "replace"),
                    "resumo": impressao.hexdigest(),
                }
                await redis.set(chave, json.dumps(guardado), ex=VALIDADE_S)
            else:
                await redis.delete(chave)

    async def _repetir(self, redis: Redis, chave: str, resumo: str, send: Send) -> None:
        guardado = json.loads(await redis.get(chave) or "{}")
        if guardado.get("em_andamento") or not guardado:
            await _json(send, 409, {
                "error": "pedido_em_andamento",
                "detail": "Um pedido com esta Idempotency-Key ainda está em andamento",
            })  # fmt: skip
            return
        if guardado["resumo"] != resumo:
            await _json(send, 422, {
                "error": "idempotency_key_reutilizada",
                "detail": "Esta Idempotency-Key já foi usada com outro conteúdo",
            })  # fmt: skip
            return
        dados = guardado["corpo"].encode()
        await send(
            {
                "type": "http.response.start",
                "status": guardado["status"],
                "headers": [
                    (b"content-type", guardado["tipo"].encode("latin-1")),
                    (b"content-length", str(len(dados)).encode()),
                    (b"idempotent-replayed", b"true"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": dados})
