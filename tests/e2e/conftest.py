"""End-to-end fixtures: the real API serving the built SPA, driven by headless Chromium.

The app runs in a thread with its own event loop (uvicorn builds the engine in the
app's lifespan) on the session's test database, so the `db` fixture arranges and
checks rows the browser sees. Without frontend/dist the tests are skipped, except
in CI (CI=true), where a missing build is a failure.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from arq.worker import Worker
from playwright.async_api import Browser, Page, async_playwright, expect
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.app.main import create_app
from gmm.core.config import Settings
from gmm.core.embedded import start_simulator
from gmm.worker import rodar as tasks
from tests.servidor import servir

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "frontend" / "dist"
CHROMIUM = Path(os.environ.get("GMM_E2E_CHROMIUM", "/usr/bin/chromium"))
# Optional folder for screenshots of the main screens (the tests never need them).
SCREENSHOTS = os.environ.get("GMM_E2E_SCREENSHOTS")
# How long a page may take to show what a test waits for: generous, since CI shares
# two cores with the whole stack. Tests wait on conditions, never on the clock, so a
# quick machine pays nothing for it.
EXPECT_MS = 30_000
expect.set_options(timeout=EXPECT_MS)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (em CI os testes ponta a ponta são obrigatórios)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def live_server(settings: Settings) -> Iterator[str]:
    """The API with the built SPA at / on a free 127.0.0.1 port; its URL."""
    if not (DIST / "index.html").is_file():
        _unavailable("frontend/dist/index.html não existe: rode `make frontend`")
    app = create_app(settings.model_copy(update={"frontend_dist": DIST}))
    with servir(app) as url:
        yield url


@pytest.fixture(scope="session")
def chromium() -> Path:
    if not CHROMIUM.is_file():
        _unavailable(f"Chromium não encontrado em {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="session")
async def browser(chromium: Path) -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        instance = await playwright.chromium.launch(
            executable_path=str(chromium),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        try:
            yield instance
        finally:
            await instance.close()


async def _page(browser: Browser, width: int, height: int) -> Page:
    context = await browser.new_context(
        viewport={"width": width, "height": height},
        locale="pt-BR",
        timezone_id="America/Sao_Paulo",
    )
    page = await context.new_page()
    page.set_default_timeout(EXPECT_MS)
    return page


@pytest.fixture
async def page(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    """A fresh browser context at 1280×720 (nothing shared between tests)."""
    tab = await _page(browser, 1280, 720)
    try:
        yield tab
    finally:
        await tab.context.close()


@pytest.fixture
async def phone(browser: Browser, live_server: str) -> AsyncIterator[Page]:
    """A fresh browser context at phone width (390×844)."""
    tab = await _page(browser, 390, 844)
    try:
        yield tab
    finally:
        await tab.context.close()


async def screenshot(page: Page, name: str) -> None:
    if SCREENSHOTS:  # Playwright creates the folder.
        await page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"))


# -- the whole loop: the SPA, the API, a worker and the MegaAPI simulator ------------------

SIM_TOKEN = "token-do-simulador-e2e"
SIM_INSTANCE = "instancia-e2e"


@dataclass
class SimuladorE2E:
    """The simulator's control side, with the webhook pointed at the live server."""

    url: str
    http: httpx.AsyncClient

    async def inbound(self, **evento: Any) -> dict[str, Any]:
        """A contractor's message (text, button tap, ...) posted to our webhook now."""
        resposta = await self.http.post("/_sim/inbound", json=evento)
        resposta.raise_for_status()
        corpo: dict[str, Any] = resposta.json()
        assert corpo["status"] == 200, corpo
        return corpo


@pytest.fixture(scope="session")
def simulador_e2e_processo() -> Iterator[str]:
    process, url = start_simulator(SIM_TOKEN, SIM_INSTANCE)
    try:
        yield url
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


@pytest.fixture(scope="session")
def settings_sim(settings: Settings, simulador_e2e_processo: str) -> Settings:
    """The test settings sending through the simulator, with room to spare in the limits."""
    return settings.model_copy(
        update={
            "megaapi_base_url": simulador_e2e_processo,
            "megaapi_instance_key": SIM_INSTANCE,
            "megaapi_token": SecretStr(SIM_TOKEN),
            "megaapi_timeout_seconds": 5.0,
            "rate_limit_per_minute": 6000,
            "frontend_dist": DIST,
        }
    )


@pytest.fixture(scope="session")
def live_server_sim(settings_sim: Settings) -> Iterator[str]:
    """Like live_server, but whatever it queues goes out through the simulator."""
    if not (DIST / "index.html").is_file():
        _unavailable("frontend/dist/index.html não existe: rode `make frontend`")
    with servir(create_app(settings_sim)) as url:
        yield url


@pytest.fixture
async def simulador_e2e(
    simulador_e2e_processo: str, live_server_sim: str, settings_sim: Settings
) -> AsyncIterator[SimuladorE2E]:
    """A reset simulator whose webhook (receipts, replies) calls the live server."""
    async with httpx.AsyncClient(base_url=simulador_e2e_processo) as http:
        await _apontar_webhook(http, live_server_sim, settings_sim)
        yield SimuladorE2E(simulador_e2e_processo, http)


@asynccontextmanager
async def _worker(settings: Settings) -> AsyncIterator[Worker]:
    w = Worker(**tasks.worker_options(settings, handle_signals=False))
    task = asyncio.create_task(w.main())
    try:
        yield w
    finally:
        await tasks.parar_worker(w, task)


async def _apontar_webhook(http: httpx.AsyncClient, servidor: str, settings: Settings) -> None:
    """Reset the simulator and point its webhook (receipts, replies) at ``servidor``."""
    (await http.post("/_sim/reset")).raise_for_status()
    webhook = f"{servidor}/webhook/whatsapp?token={settings.secret('webhook_token')}"
    configurado = await http.post(
        f"/rest/webhook/{SIM_INSTANCE}/configWebhook",
        json={"messageData": {"webhookUrl": webhook, "webhookEnabled": True}},
        headers={"Authorization": f"Bearer {SIM_TOKEN}"},
    )
    configurado.raise_for_status()


@pytest.fixture
async def worker_e2e(db: AsyncSession, settings_sim: Settings) -> AsyncIterator[Worker]:
    """An arq worker sending the queued messages, started after the database was emptied."""
    async with _worker(settings_sim) as w:
        yield w


# -- operations: a breaker that opens and heals within a test, and the incident watcher ----


@pytest.fixture(scope="session")
def settings_operacao(settings_sim: Settings) -> Settings:
    """settings_sim with a breaker quick to open (2 failures) and open long enough to be
    seen (15 s), room for retries, and the incident watcher on every second."""
    return settings_sim.model_copy(
        update={
            "breaker_failure_threshold": 2,
            "breaker_reset_seconds": 15.0,
            "envio_max_tentativas": 50,
            "vigia_ativa": True,
            "vigia_intervalo_seconds": 1.0,
        }
    )


@pytest.fixture(scope="module")
def live_server_operacao(settings_operacao: Settings) -> Iterator[str]:
    """Like live_server_sim, with settings_operacao. Module-scoped: its watcher stops
    with the module instead of opening incidents under the next tests."""
    if not (DIST / "index.html").is_file():
        _unavailable("frontend/dist/index.html não existe: rode `make frontend`")
    with servir(create_app(settings_operacao)) as url:
        yield url


@pytest.fixture
async def simulador_operacao(
    simulador_e2e_processo: str, live_server_operacao: str, settings_operacao: Settings
) -> AsyncIterator[SimuladorE2E]:
    """A reset simulator (no fault, default receipts) calling live_server_operacao back."""
    async with httpx.AsyncClient(base_url=simulador_e2e_processo) as http:
        await _apontar_webhook(http, live_server_operacao, settings_operacao)
        try:
            yield SimuladorE2E(simulador_e2e_processo, http)
        finally:
            # Whatever a test broke, the next one (of any module) starts healthy.
            await http.delete("/_sim/faults")


@pytest.fixture
async def worker_operacao(db: AsyncSession, settings_operacao: Settings) -> AsyncIterator[Worker]:
    """An arq worker with settings_operacao, started after the database was emptied."""
    async with _worker(settings_operacao) as w:
        yield w
