"""Delivery fixtures: the MegaAPI simulator as a real process, workers in or out of process."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from arq.worker import Worker
from pydantic import SecretStr
from redis.asyncio import Redis

from gmm.app.main import create_app
from gmm.core.config import Settings
from gmm.core.embedded import start_simulator
from gmm.worker import rodar as tasks
from tests.servidor import servir

SIM_TOKEN = "token-do-simulador-de-teste"
SIM_INSTANCE = "instancia-teste"


@dataclass
class Simulador:
    url: str
    http: httpx.AsyncClient

    async def requests(self) -> list[dict[str, Any]]:
        response = await self.http.get("/_sim/requests")
        response.raise_for_status()
        body = response.json()
        return list(body["requests"] if isinstance(body, dict) else body)

    async def envios(self) -> list[dict[str, Any]]:
        """Calls that reached a send endpoint, successful or not."""
        return [r for r in await self.requests() if "/rest/sendMessage/" in r["path"]]

    async def falhar(self, mode: str, **extra: Any) -> None:
        response = await self.http.post("/_sim/faults", json={"mode": mode, **extra})
        response.raise_for_status()

    async def curar(self) -> None:
        (await self.http.delete("/_sim/faults")).raise_for_status()

    async def apontar_webhook(self, api: str, settings: Settings) -> None:
        """Point the simulator's webhook (receipts, replies) at the API served at ``api``."""
        webhook = f"{api}/webhook/whatsapp?token={settings.secret('webhook_token')}"
        configurado = await self.http.post(
            f"/rest/webhook/{SIM_INSTANCE}/configWebhook",
            json={"messageData": {"webhookUrl": webhook, "webhookEnabled": True}},
            headers={"Authorization": f"Bearer {SIM_TOKEN}"},
        )
        assert configurado.status_code == 200, configurado.text


@pytest.fixture(scope="session")
def redis_url(server_urls: tuple[str, str]) -> str:
    return server_urls[1]


@pytest.fixture
async def redis_client(redis_url: str) -> AsyncIterator[Redis]:
    """A clean Redis database, for tests of the shared breaker and limiter."""
    client = Redis.from_url(redis_url, decode_responses=True)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture(scope="session")
def simulador_processo() -> Iterator[str]:
    process, url = start_simulator(SIM_TOKEN, SIM_INSTANCE)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            # A "timeout" fault can hold a request open past a graceful stop.
            process.kill()
            process.wait(5)


@pytest.fixture(scope="session")
def api_ao_vivo(settings: Settings) -> Iterator[str]:
    """The API served over real HTTP (the simulator's webhooks call it)."""
    with servir(create_app(settings)) as url:
        yield url


@pytest.fixture
async def simulador(simulador_processo: str) -> AsyncIterator[Simulador]:
    async with httpx.AsyncClient(base_url=simulador_processo, timeout=10) as http:
        (await http.post("/_sim/reset")).raise_for_status()
        yield Simulador(simulador_processo, http)


@pytest.fixture
def entrega_settings(settings: Settings, simulador: Simulador) -> Settings:
    """The test settings pointed at the simulator, with fast limits for tests."""
    return settings.model_copy(
        update={
            "megaapi_base_url": simulador.url,
            "megaapi_instance_key": SIM_INSTANCE,
            "megaapi_token": SecretStr(SIM_TOKEN),
            "megaapi_timeout_seconds": 2.0,
            "rate_limit_per_minute": 6000,
            "breaker_failure_threshold": 3,
            "breaker_reset_seconds": 1.0,
            "envio_job_timeout_seconds": 6,
        }
    )


class WorkerFactory:
    """Start in-process arq workers on demand (``await worker(settings)``); stop one
    with ``parar``; all are stopped at the end of the test."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.running: dict[Worker, asyncio.Task[None]] = {}

    async def __call__(self, settings: Settings | None = None, **overrides: Any) -> Worker:
        """A worker of the send queue (sends, downloads, the sweep)."""
        return self._iniciar(tasks.worker_options(settings or self.settings), overrides)

    async def transcricoes(self, settings: Settings | None = None, **overrides: Any) -> Worker:
        """A worker of the transcription queue."""
        return self._iniciar(
            tasks.worker_transcricoes_options(settings or self.settings), overrides
        )

    def _iniciar(self, options: dict[str, Any], overrides: dict[str, Any]) -> Worker:
        options.update(handle_signals=False, **overrides)
        w = Worker(**options)
        self.running[w] = asyncio.create_task(w.main())
        return w

    async def parar(self, w: Worker) -> None:
        await tasks.parar_worker(w, self.running.pop(w))

    async def parar_todos(self) -> None:
        for w in list(self.running):
            await self.parar(w)


@pytest.fixture
async def worker(entrega_settings: Settings) -> AsyncIterator[WorkerFactory]:
    fabrica = WorkerFactory(entrega_settings)
    yield fabrica
    await fabrica.parar_todos()


@asynccontextmanager
async def worker_processos(
    settings: Settings, n: int
) -> AsyncIterator[list[subprocess.Popen[bytes]]]:
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gmm.app.cli", "worker"],
            env={**os.environ, **settings.as_env()},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(n)
    ]
    try:
        yield processes
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
