"""/metrics: the Prometheus text format, every process's counters, auth enforced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core import metricas
from gmm.core.config import Settings
from gmm.envio.breaker import CircuitBreaker
from tests import factories as f


def _amostras(texto: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for familia in text_string_to_metric_families(texto)
        for s in familia.samples
    }


async def test_scrape_needs_a_token_and_parses(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    assert (await client.get("/metrics")).status_code == 401
    ruim = await client.get("/metrics", headers={"Authorization": "Bearer lixo"})
    assert ruim.status_code == 401
    h = f.headers(await f.usuario(db), settings)
    await client.get("/api/chamados", headers=h)
    await client.get("/api/chamados/999", headers=h)
    breaker = CircuitBreaker.do_produto(redis, settings)
    for _ in range(settings.breaker_failure_threshold):
        await breaker.record_failure(await breaker.acquire())
    corpo = f"/webhook/whatsapp?token={settings.secret('webhook_token')}"
    await client.post(corpo, json={"messageType": "connection_update", "connection_state": "open"})

    r = await client.get("/metrics", headers=h)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/plain")
    amostras = _amostras(r.text)
    assert amostras[("gmm_breaker_estado", ())] == 2
    assert amostras[("gmm_fila_tamanho", (("estado", "pronto"),))] == 0
    assert amostras[("gmm_fila_transcricoes_tamanho", ())] == 0
    assert amostras[("gmm_workers_vivos", ())] == 0
    # Routes are labelled by their template, never by the ids in the URL.
    rotulos = (("metodo", "GET"), ("rota", "/api/chamados/{chamado_id}"), ("status", "404"))
    chave = ("gmm_http_requisicoes_total", rotulos)
    assert amostras[chave] >= 1
    assert not any("999" in str(k) for k in amostras)
    assert amostras[("gmm_webhooks_total", (("resultado", "conexao"),))] >= 1


async def test_the_scrape_token_works_without_a_user(
    client: httpx.AsyncClient, app: object, settings: Settings
) -> None:
    original = app.state.settings  # type: ignore[attr-defined]
    novo = settings.model_copy(update={"metrics_token": SecretStr("raspa-123")})
    app.state.settings = novo  # type: ignore[attr-defined]
    try:
        ok = await client.get("/metrics", headers={"Authorization": "Bearer raspa-123"})
        errado = await client.get("/metrics", headers={"Authorization": "Bearer raspa-124"})
    finally:
        app.state.settings = original  # type: ignore[attr-defined]
    assert ok.status_code == 200 and "gmm_breaker_estado" in ok.text
    assert errado.status_code == 401


def test_counters_of_separate_processes_add_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    codigo = (
        "from gmm.core.metricas import ENVIOS, MEGAAPI_LATENCIA\n"
        "ENVIOS.labels('enviado').inc(3)\n"
        "MEGAAPI_LATENCIA.labels('texto').observe(0.2)\n"
    )
    for _ in range(2):  # two workers, say
        subprocess.run([sys.executable, "-c", codigo], env=env, check=True, timeout=60)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    texto = metricas.exposicao(metricas.Estado("CLOSED", 4, 1, 3, 2)).decode()
    amostras = _amostras(texto)
    assert amostras[("gmm_envios_total", (("resultado", "enviado"),))] == 6
    assert amostras[("gmm_megaapi_latencia_segundos_count", (("operacao", "texto"),))] == 2
    assert amostras[("gmm_fila_tamanho", (("estado", "adiado"),))] == 1
    assert amostras[("gmm_fila_transcricoes_tamanho", ())] == 3
    assert amostras[("gmm_workers_vivos", ())] == 2
    assert amostras[("gmm_breaker_estado", ())] == 0
