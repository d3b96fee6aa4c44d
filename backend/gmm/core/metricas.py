"""Prometheus metrics: counted where things happen, exposed by the API at /metrics.

API replicas and workers are separate processes. With PROMETHEUS_MULTIPROC_DIR set
(`gmm run` and docker-compose set it to a directory every process shares) each
process writes its samples there and /metrics adds them up; without it (one
process, the tests) the default registry is used. Values that are state rather
than events — breaker, queue depth, live workers — are read from Redis at scrape
time, so every replica answers the same.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from dataclasses import dataclass

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

# Files in the shared directory are named by process; containers of different
# replicas often share a pid (1), so the host name goes in too.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    values.ValueClass = values.MultiProcessValue(  # type: ignore[no-untyped-call]
        lambda: f"{socket.gethostname()}_{os.getpid()}"
    )

ENVIOS = Counter(
    "gmm_envios_total",
    "Chamadas de envio à MegaAPI, por resultado",
    ["resultado"],  # enviado | falha_transitoria | falha_permanente
)
MEGAAPI_LATENCIA = Histogram(
    "gmm_megaapi_latencia_segundos",
    "Tempo de resposta da MegaAPI, por operação",
    ["operacao"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
WEBHOOKS = Counter(
    "gmm_webhooks_total", "Webhooks recebidos da MegaAPI, por resultado", ["resultado"]
)
WEBHOOK_LATENCIA = Histogram(
    "gmm_webhook_latencia_segundos",
    "Tempo para tratar um webhook",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1),
)
RECIBOS_POR_LOTE = Histogram(
    "gmm_recibos_por_lote",
    "Confirmações de entrega e leitura aplicadas juntas numa transação",
    buckets=(1, 2, 4, 8, 16, 32, 64, 100),
)
HTTP_REQUISICOES = Counter(
    "gmm_http_requisicoes_total", "Requisições HTTP à API", ["metodo", "rota", "status"]
)
HTTP_DURACAO = Histogram(
    "gmm_http_duracao_segundos",
    "Duração das requisições HTTP à API",
    ["metodo", "rota"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)

_BREAKER = {"CLOSED": 0, "HALF_OPEN": 1, "OPEN": 2}


@dataclass(frozen=True)
class Estado:
    """What is read from Redis at scrape time."""

    breaker: str
    fila_prontos: int
    fila_adiados: int
    fila_transcricoes: int
    workers_vivos: int


class _EstadoCollector(Collector):
    def __init__(self, estado: Estado) -> None:
        self.estado = estado

    def collect(self) -> Iterator[GaugeMetricFamily]:
        breaker = GaugeMetricFamily(
            "gmm_breaker_estado", "Circuit breaker da MegaAPI: 0 fechado, 1 meio-aberto, 2 aberto"
        )
        breaker.add_metric([], _BREAKER.get(self.estado.breaker, 2))
        yield breaker
        fila = GaugeMetricFamily("gmm_fila_tamanho", "Jobs na fila de envio", labels=["estado"])
        fila.add_metric(["pronto"], self.estado.fila_prontos)
        fila.add_metric(["adiado"], self.estado.fila_adiados)
        yield fila
        transcricoes = GaugeMetricFamily(
            "gmm_fila_transcricoes_tamanho", "Áudios aguardando transcrição (fila própria)"
        )
        transcricoes.add_metric([], self.estado.fila_transcricoes)
        yield transcricoes
        workers = GaugeMetricFamily("gmm_workers_vivos", "Workers com batimento recente")
        workers.add_metric([], self.estado.workers_vivos)
        yield workers


def exposicao(estado: Estado) -> bytes:
    """The text a Prometheus scrape gets: every process's counters plus the live state."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = _com_padrao(registry)
    registry.register(_EstadoCollector(estado))
    return generate_latest(registry)


def _com_padrao(registry: CollectorRegistry) -> CollectorRegistry:
    # One process: the default registry already holds this process's metrics
    # (and the Python/process collectors); add the state to a throwaway copy.
    class _Padrao(Collector):
        def collect(self) -> Iterator[object]:  # type: ignore[override]
            yield from REGISTRY.collect()

    registry.register(_Padrao())
    return registry
