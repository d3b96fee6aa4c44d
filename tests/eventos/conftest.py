"""Reading Server-Sent Events from the app in process.

httpx's ASGITransport runs the app to the end before it answers, so an endless
SSE response would never come back. StreamingASGITransport hands the body over as
the app sends it and, when the test closes the response, tells the app the client
left (``http.disconnect``); the app then has a few seconds to stop by itself, or
the test fails.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from starlette.types import ASGIApp, Message

from gmm.core.eventos import Ritmo
from gmm.eventos.router import get_ritmo

# Tests wait for the app this long at most (events normally arrive in milliseconds).
ESPERA = 5.0


class _Corpo(httpx.AsyncByteStream):
    def __init__(
        self, mensagens: asyncio.Queue[Message | None], saiu: asyncio.Event, app: asyncio.Task[None]
    ) -> None:
        self._mensagens = mensagens
        self._saiu = saiu
        self._app = app

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while (mensagem := await self._mensagens.get()) is not None:
            if mensagem["type"] != "http.response.body":
                continue
            if mensagem.get("body"):
                yield bytes(mensagem["body"])
            if not mensagem.get("more_body", False):
                return

    async def aclose(self) -> None:
        self._saiu.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._app), ESPERA)
        except TimeoutError:
            self._app.cancel()
            raise AssertionError("a resposta continuou depois que o cliente saiu") from None


class StreamingASGITransport(httpx.AsyncBaseTransport):
    def __init__(self, app: ASGIApp, spec_version: str = "2.3") -> None:
        self.app = app
        # uvicorn says 2.3 (Starlette then listens for the disconnect itself);
        # from 2.4 on the app notices only by asking, which the stream does.
        self.spec_version = spec_version

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        corpo = await request.aread()
        scope = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": self.spec_version},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(k.lower(), v) for k, v in request.headers.raw],
            "scheme": request.url.scheme,
            "path": request.url.path,
            "raw_path": request.url.raw_path.split(b"?")[0],
            "query_string": request.url.query,
            "server": (request.url.host, request.url.port),
            "client": ("127.0.0.1", 123),
            "root_path": "",
        }
        mensagens: asyncio.Queue[Message | None] = asyncio.Queue()
        saiu = asyncio.Event()
        pedido_entregue = False

        async def receive() -> Message:
            nonlocal pedido_entregue
            if not pedido_entregue:
                pedido_entregue = True
                return {"type": "http.request", "body": corpo, "more_body": False}
            await saiu.wait()
            return {"type": "http.disconnect"}

        async def send(mensagem: Message) -> None:
            await mensagens.put(mensagem)

        async def rodar() -> None:
            try:
                await self.app(scope, receive, send)
            finally:
                await mensagens.put(None)

        app = asyncio.create_task(rodar())
        inicio = await mensagens.get()
        if inicio is None:
            await app  # raises what the app raised
            raise AssertionError("o app terminou sem responder")
        assert inicio["type"] == "http.response.start"
        return httpx.Response(
            inicio["status"],
            headers=inicio.get("headers", []),
            stream=_Corpo(mensagens, saiu, app),
            request=request,
        )


@dataclass
class EventoSSE:
    id: str | None
    tipo: str
    dados: str

    def json(self) -> Any:
        return json.loads(self.dados)


@dataclass
class Comentario:
    texto: str


class LeitorSSE:
    """Parses the stream as a browser's EventSource does, in a task of its own, so a
    test can wait for the next item with a timeout without breaking the stream."""

    def __init__(self, resposta: httpx.Response) -> None:
        self.resposta = resposta
        self.ultimo_id: str | None = None  # the browser's Last-Event-ID
        self.retry: int | None = None
        self.terminou = False
        self._itens: asyncio.Queue[EventoSSE | Comentario | None] = asyncio.Queue()
        self._tarefa = asyncio.create_task(self._ler())

    async def _ler(self) -> None:
        tipo = ""
        dados: list[str] = []
        try:
            async for linha in self.resposta.aiter_lines():
                if linha == "":
                    if dados:
                        evento = EventoSSE(self.ultimo_id, tipo or "message", "\n".join(dados))
                        await self._itens.put(evento)
                    tipo, dados = "", []
                    continue
                campo, _, valor = linha.partition(":")
                valor = valor.removeprefix(" ")
                if campo == "":
                    await self._itens.put(Comentario(valor))
                elif campo == "id":
                    self.ultimo_id = valor
                elif campo == "event":
                    tipo = valor
                elif campo == "data":
                    dados.append(valor)
                elif campo == "retry":
                    self.retry = int(valor)
        finally:
            self.terminou = True
            await self._itens.put(None)

    async def proximo(self, timeout: float = ESPERA) -> EventoSSE | Comentario | None:
        """The next event or comment; None when the server ended the stream."""
        return await asyncio.wait_for(self._itens.get(), timeout)

    async def evento(self, timeout: float = ESPERA) -> EventoSSE:
        while True:
            item = await self.proximo(timeout)
            if isinstance(item, EventoSSE):
                return item
            assert item is not None, "o servidor encerrou o fluxo"

    async def eventos(self, n: int, timeout: float = ESPERA) -> list[EventoSSE]:
        return [await self.evento(timeout) for _ in range(n)]

    async def nada_mais(self, segundos: float = 0.5) -> None:
        """Nothing but heartbeats arrives for a while."""
        try:
            async with asyncio.timeout(segundos):
                while True:
                    item = await self._itens.get()
                    assert not isinstance(item, EventoSSE), f"evento inesperado: {item}"
        except TimeoutError:
            pass

    async def fechar(self) -> None:
        self._tarefa.cancel()
        await asyncio.gather(self._tarefa, return_exceptions=True)


@asynccontextmanager
async def conectar(
    http: httpx.AsyncClient,
    *,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> AsyncIterator[LeitorSSE]:
    """An open event stream; leaving the block disconnects like a closed browser tab."""
    async with http.stream("GET", "/api/eventos", params=params, headers=headers) as resposta:
        assert resposta.status_code == 200, (await resposta.aread()).decode()
        assert resposta.headers["content-type"].startswith("text/event-stream")
        leitor = LeitorSSE(resposta)
        try:
            yield leitor
        finally:
            await leitor.fechar()


def cliente(app: FastAPI, spec_version: str = "2.3") -> httpx.AsyncClient:
    transport = StreamingASGITransport(app, spec_version)
    return httpx.AsyncClient(transport=transport, base_url="http://test")


@pytest.fixture
async def sse(clean: None, app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with cliente(app) as http:
        yield http


@pytest.fixture
def ritmo(app: FastAPI) -> Iterator[Ritmo]:
    """Quick streams: blocking reads of 0.2 s, heartbeats each 0.5 s."""
    rapido = Ritmo(heartbeat=0.5, bloqueio=0.2, duracao_maxima=60)
    app.dependency_overrides[get_ritmo] = lambda: rapido
    yield rapido
    app.dependency_overrides.pop(get_ritmo, None)
