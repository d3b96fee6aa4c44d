"""End-to-end fixtures: the real API serving the built SPA, driven by headless Chromium.

The app runs in a thread with its own event loop (uvicorn builds the engine in the
app's lifespan) on the session's test database, so the `db` fixture arranges and
checks rows the browser sees. Without frontend/dist the tests are skipped, except
in CI (CI=true), where a missing build is a failure.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, async_playwright

from gmm.config import Settings
from gmm.main import create_app
from tests.servidor import servir

ROOT = Path(__file__).resolve().parents[2]
DIST = ROOT / "frontend" / "dist"
CHROMIUM = Path(os.environ.get("GMM_E2E_CHROMIUM", "/usr/bin/chromium"))
# Optional folder for screenshots of the main screens (the tests never need them).
SCREENSHOTS = os.environ.get("GMM_E2E_SCREENSHOTS")


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
    page.set_default_timeout(10_000)
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
