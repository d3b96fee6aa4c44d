"""``Idempotency-Key`` for integrators: a POST retried with the same key runs once.

A client that lost the answer to ``POST /api/chamados`` (a timeout, a dropped
connection) sends it again with the same key and gets the first answer back,
marked ``Idempotent-Replayed: true``, instead of a second chamado and a second
WhatsApp message. Keys belong to the user (the token's subject), live 24 h, and
remember only successful answers: a request that failed may simply be retried.
The same key with a different body is a 422; the same key while the first request
is still running is a 409.

The record is kept in Redis (shared by every API replica). Were Redis lost
between a request and its retry, the retry would run again; the 30 s duplicate
rule of WhatsAppService still keeps the contractor from getting the message twice.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from jose import jwt
from jose.exceptions import JWTError
from redis.asyncio import Redis
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CABECALHO = b"idempotency-key"
VALIDADE_S = 24 * 3600
EM_ANDAMENTO_S = 120
_CHAVE_VALIDA = re.compile(r"^[\x21-\x7e]{1,200}$")


def _dono(headers: dict[bytes, bytes]) -> str:
    """Whose key this is: the token's subject (the handler checks the token itself)."""
    autorizacao = headers.get(b"authorization", b"").decode("latin-1")
    token = autorizacao.removeprefix("Bearer ").strip()
    try:
        return str(jwt.get_unverified_claims(token).get("sub", "anonimo"))
    except (JWTError, AttributeError):
        return "anonimo"


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


async def _resumo(receive: Receive) -> str:
    """The body's hash, read chunk by chunk (an upload is never held in memory)."""
    resumo = hashlib.sha256()
    while True:
        mensagem = await receive()
        resumo.update(mensagem.get("body", b""))
        if mensagem["type"] != "http.request" or not mensagem.get("more_body"):
            return resumo.hexdigest()


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
        redis: Redis = scope["app"].state.redis
        chave = (
            "gmm:idempotencia:"
            + hashlib.sha256(f"{_dono(headers)}\0{scope['path']}\0{texto}".encode()).hexdigest()
        )
        if not await redis.set(
            chave, json.dumps({"em_andamento": True}), nx=True, ex=EM_ANDAMENTO_S
        ):
            await self._repetir(redis, chave, await _resumo(receive), send)
            return

        resumo = hashlib.sha256()

        async def receber() -> Message:
            mensagem = await receive()
            if mensagem["type"] == "http.request":
                resumo.update(mensagem.get("body", b""))
            return mensagem

        resposta: dict[str, Any] = {"partes": []}

        async def enviar(mensagem: Message) -> None:
            if mensagem["type"] == "http.response.start":
                resposta["status"] = mensagem["status"]
                resposta["tipo"] = (
                    dict(mensagem.get("headers", []))
                    .get(b"content-type", b"application/json")
                    .decode("latin-1")
                )
            elif mensagem["type"] == "http.response.body":
                resposta["partes"].append(mensagem.get("body", b""))
            await send(mensagem)

        try:
            await self.app(scope, receber, enviar)
        finally:
            status = resposta.get("status", 500)
            if 200 <= status < 300:
                guardado = {
                    "status": status,
                    "tipo": resposta["tipo"],
                    "corpo": b"".join(resposta["partes"]).decode("utf-8", "replace"),
                    "resumo": resumo.hexdigest(),
                }
                await redis.set(chave, json.dumps(guardado), ex=VALIDADE_S)
            else:
                await redis.delete(chave)

    async def _repetir(self, redis: Redis, chave: str, resumo: str, send: Send) -> None:
        guardado = json.loads(await redis.get(chave) or "{}")
        if guardado.get("em_andamento") or not guardado:
            await _json(send, 409, {
                "error": "pedido_em_andamento",
                "detail": "um pedido com esta Idempotency-Key ainda está em andamento",
            })  # fmt: skip
            return
        if guardado["resumo"] != resumo:
            await _json(send, 422, {
                "error": "idempotency_key_reutilizada",
                "detail": "esta Idempotency-Key já foi usada com outro conteúdo",
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
