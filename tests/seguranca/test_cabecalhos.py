"""Security headers on every answer, and the interactive docs off in production."""

from __future__ import annotations

import gzip
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from gmm.app.main import create_app
from gmm.core.cabecalhos import CSP
from gmm.core.config import Settings
from tests.conftest import ROOT

ESPERADOS = {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}


def _confere(resposta: httpx.Response) -> None:
    for nome, valor in ESPERADOS.items():
        assert resposta.headers.get(nome) == valor, (resposta.url, nome)
    csp = resposta.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


@asynccontextmanager
async def _cliente(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client for an app that never opens its lifespan (no database needed)."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield http


async def test_every_kind_of_answer_carries_the_headers(
    client: httpx.AsyncClient, settings: Settings
) -> None:
    respostas = [
        await client.get("/healthz"),
        await client.get("/api/chamados"),  # 401
        await client.post("/webhook/whatsapp?token=errado", json={}),  # 401
        await client.get("/api/nao-existe"),  # 404
        await client.post("/api/auth/login", content=b"{"),  # 400
        await client.get("/metrics"),  # 401, from a route with its own auth
    ]
    for resposta in respostas:
        _confere(resposta)
    # Development runs over plain http: no HSTS there.
    assert "strict-transport-security" not in respostas[0].headers


async def test_the_spa_files_carry_them_too(settings: Settings, tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<script type="module" src="/assets/a.js"></script>')
    (tmp_path / "assets" / "a.js").write_text("export {}")
    app = create_app(settings.model_copy(update={"frontend_dist": tmp_path}))
    async with _cliente(app) as http:
        for caminho in ("/", "/central", "/assets/a.js"):
            resposta = await http.get(caminho)
            assert resposta.status_code == 200
            _confere(resposta)


def test_the_spa_has_no_inline_script_or_style() -> None:
    """What lets the CSP forbid inline code: index.html (and the build, when present)
    only loads files."""
    paginas = [ROOT / "frontend" / "index.html"]
    paginas += [p for p in [ROOT / "frontend" / "dist" / "index.html"] if p.is_file()]
    for pagina in paginas:
        html = pagina.read_text()
        for script in re.findall(r"<script\b[^>]*>(.*?)</script>", html, re.DOTALL):
            assert not script.strip(), f"script inline em {pagina}"
        assert "<style" not in html and " style=" not in html and "javascript:" not in html


@pytest.mark.parametrize(("publicas", "visiveis"), [(False, False), (True, True)])
async def test_production_hides_the_docs_unless_told_and_sends_hsts(
    settings: Settings, publicas: bool, visiveis: bool
) -> None:
    producao = settings.model_copy(update={"env": "production", "docs_publicas": publicas})
    async with _cliente(create_app(producao)) as http:
        for caminho in ("/docs", "/redoc", "/openapi.json"):
            resposta = await http.get(caminho)
            assert (resposta.status_code == 200) is visiveis, (caminho, resposta.status_code)
        saude = await http.get("/healthz")
        docs = await http.get("/docs")
    assert saude.headers["strict-transport-security"].startswith("max-age=63072000")
    if visiveis:
        # Swagger UI's bootstrap is inline and from a CDN: its own, looser policy.
        assert "cdn.jsdelivr.net" in docs.headers["content-security-policy"]


async def test_development_keeps_the_docs(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    assert (await client.get("/openapi.json")).json()["info"]["title"]


def test_nginx_sends_the_same_headers_on_the_files_it_serves() -> None:
    conf = (ROOT / "frontend" / "nginx.conf").read_text()
    assert f'set $csp "{CSP}";' in conf
    for bloco in ("location /assets/ {", "location / {"):
        corpo = conf.split(bloco, 1)[1].split("}", 1)[0]
        for cabecalho in (
            "Content-Security-Policy $csp always",
            "X-Frame-Options DENY always",
            "X-Content-Type-Options nosniff always",
            "Referrer-Policy no-referrer always",
            "Strict-Transport-Security $hsts always",
        ):
            assert f"add_header {cabecalho};" in corpo, (bloco, cabecalho)


async def test_the_spa_assets_go_precompressed_and_are_cached_for_good(
    settings: Settings, tmp_path: Path
) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "index.html").write_text('<script type="module" src="/assets/a-1b2c.js"></script>')
    codigo = b"export const x = 1;" * 200
    (tmp_path / "assets" / "a-1b2c.js").write_bytes(codigo)
    # Smaller than the .gz, as brotli is: the smallest accepted copy is chosen.
    (tmp_path / "assets" / "a-1b2c.js.br").write_bytes(b"br")
    (tmp_path / "assets" / "a-1b2c.js.gz").write_bytes(gzip.compress(codigo))
    app = create_app(settings.model_copy(update={"frontend_dist": tmp_path}))
    async with _cliente(app) as http:
        async with http.stream(
            "GET", "/assets/a-1b2c.js", headers={"Accept-Encoding": "br, gzip"}
        ) as br:
            assert br.headers["content-encoding"] == "br"
            assert br.headers["vary"] == "Accept-Encoding"
            assert "immutable" in br.headers["cache-control"]
            # The build's copy, as it is: nothing compressed per request.
            assert b"".join([p async for p in br.aiter_raw()]) == b"br"
        gz = await http.get("/assets/a-1b2c.js", headers={"Accept-Encoding": "gzip"})
        assert gz.headers["content-encoding"] == "gzip" and gz.content == codigo
        simples = await http.get("/assets/a-1b2c.js", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in simples.headers and simples.content == codigo
        assert (await http.get("/assets/nao-existe.js")).status_code == 404
        # The page names the build's assets: always asked again.
        assert (await http.get("/central")).headers["cache-control"] == "no-cache"
