"""Message-center and monitoring-panel read cost against history size.

Seeds two databases side by side — 1,000 chamados / 100,000 mensagens and
10,000 chamados / 1,000,000 mensagens (bulk COPY), each plus the same busy last
day (5,000 messages sent, delivered, read, failed and received in the last 24 h)
— then times, through the ASGI app, ``GET /api/conversas?limit=50``,
``GET /api/conversas/{id}/mensagens?limit=50`` and the monitoring panel
``GET /api/monitoramento/whatsapp`` computed afresh each time (its 2 s cache
cleared before every request), the message search, and the performance reports
(issue 18): one contractor's scorecard with its 90-day series
``GET /api/desempenho/terceirizados/{id}`` and the ranking of every contractor
``GET /api/desempenho/terceirizados`` over the 90 days, both read from the facts the
worker keeps (computed here first, in rounds, and that time printed too). Prints
median and p99 of each and the large/small ratio. Goal: median under 20 ms for the
lists, 50 ms for the panel and search, 200 ms for the reports, and ratio under 1.5
(cost must not grow with history).

    .venv/bin/python -m benchmarks.conversas [--scale 0.01] [--requests 300]

Uses GMM_BENCH_DATABASE_URL / GMM_BENCH_REDIS_URL (or the GMM_TEST_* ones),
else embedded servers under .gmm/bench.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
from pydantic import SecretStr

from benchmarks.comum import servidores
from gmm.app.main import create_app
from gmm.auth import security
from gmm.core.config import Settings
from gmm.core.db import (
    create_database,
    create_engine,
    create_sessionmaker,
    drop_database,
    session_scope,
)
from gmm.core.migrations import upgrade
from gmm.desempenho import fatos
from gmm.monitoramento.painel import CACHE

TEXTOS = [
    "Bom dia, já estou a caminho.",
    "Pode confirmar o horário da visita?",
    "Orçamento enviado, aguardo aprovação.",
    "Serviço concluído, segue foto.",
    "Preciso de mais um dia para a peça chegar.",
]
# For the message search: a word in about 1 % of the messages, and a code in one of
# every RARA (the kind of search that finds a single message).
RARA = 10_000


def texto(rng: random.Random, mensagem_id: int) -> str:
    if mensagem_id % RARA == 0:
        return f"Segue a nota fiscal NF-{mensagem_id}, conferida."
    if rng.random() < 0.01:
        return f"Troquei o disjuntor do quadro {rng.randint(1, 50)}."
    return rng.choice(TEXTOS)


@dataclass
class Timing:
    median_ms: float
    p99_ms: float


async def seed(database_url: str, chamados: int, mensagens: int) -> None:
    """Bulk-load the dataset with COPY, the way a data migration would."""
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    rng = random.Random(42)
    agora = datetime.now(UTC)
    try:
        usuario_id = await conn.fetchval(
            "INSERT INTO usuarios (nome, email, senha_hash, papel) "
            "VALUES ('Bench', 'bench@example.com', $1, 'admin') RETURNING id",
            security.hash_senha("bench-senha"),
        )
        n_terceirizados = max(chamados // 10, 1)
        await conn.copy_records_to_table(
            "terceirizados",
            columns=["id", "nome", "empresa", "telefone", "telefone_chave"],
            records=[
                (i, f"Terceirizado {i}", f"Empresa {i}", f"55119{i:08d}", f"55119{i:08d}")
                for i in range(1, n_terceirizados + 1)
            ],
        )
        por_chamado = mensagens // chamados
        status = ["aguardando", "em_andamento", "concluido", "cancelado"]
        chamado_rows = []
        for i in range(1, chamados + 1):
            criado = agora - timedelta(days=90) + timedelta(seconds=i * 60)
            chamado_rows.append(
                (
                    i,
                    f"CH-2026-{i:05d}",
                    (i % n_terceirizados) + 1,
                    f"Chamado de manutenção {i}",
                    rng.choice(status),
                    rng.choice(["baixa", "normal", "alta", "urgente"]),
                    criado + timedelta(days=3),
                    usuario_id,
                    criado,
                    criado,
                    criado + timedelta(minutes=por_chamado * 30),
                )
            )
        await conn.copy_records_to_table(
            "chamados",
            columns=[
                "id",
                "numero_chamado",
                "terceirizado_id",
                "titulo",
                "status",
                "prioridade",
                "prazo_combinado",
                "criado_por",
                "criado_em",
                "atualizado_em",
                "ultima_atividade_em",
            ],
            records=chamado_rows,
        )
        # Messages in time order per chamado, in batches to bound memory.
        batch: list[tuple[object, ...]] = []
        next_id = 1
        for chamado_id, *_rest in chamado_rows:
            base = chamado_rows[chamado_id - 1][8]
            for k in range(por_chamado):
                inbound = k % 2 == 1
                batch.append(
                    (
                        next_id,
                        chamado_id,
                        "inbound" if inbound else "outbound",
                        "recebida" if inbound else "resposta_manual",
                        "text",
                        texto(rng, next_id),
                        "5511999999999",
                        "entregue" if inbound else "lido",
                        "normal",
                        base + timedelta(minutes=k * 30),
                        base + timedelta(minutes=k * 30),
                        # The last reply of most chamados is still unread.
                        None if inbound and k >= por_chamado - 2 else base,
                    )
                )
                next_id += 1
                if len(batch) >= 100_000:
                    await _copy_mensagens(conn, batch)
                    batch = []
        if batch:
            await _copy_mensagens(conn, batch)
        await _copy_mensagens_recentes(conn, rng, next_id, chamados, agora)
        for table in ("terceirizados", "chamados", "mensagens", "usuarios"):
            await conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        await conn.execute("VACUUM ANALYZE")
    finally:
        await conn.close()


async def _copy_mensagens(conn: asyncpg.Connection, rows: list[tuple[object, ...]]) -> None:
    await conn.copy_records_to_table(
        "mensagens",
        columns=[
            "id",
            "chamado_id",
            "direcao",
            "tipo",
            "tipo_conteudo",
            "texto",
            "destinatario",
            "status_envio",
            "prioridade",
            "criado_em",
            "momento",
            "lida_em",
        ],
        records=rows,
    )


RECENTES = 5_000


async def _copy_mensagens_recentes(
    conn: asyncpg.Connection, rng: random.Random, first_id: int, chamados: int, agora: datetime
) -> None:
    """The same busy last day in both datasets: what the monitoring panel reads."""
    rows = []
    for n in range(RECENTES):
        criado = agora - timedelta(seconds=rng.uniform(60, 23 * 3600))
        inbound, falhou = n % 4 == 3, n % 50 == 0
        entregue = criado + timedelta(seconds=rng.uniform(1, 30))
        rows.append(
            (
                first_id + n,
                rng.randint(1, chamados),
                "inbound" if inbound else "outbound",
                "recebida" if inbound else "resposta_manual",
                "text",
                rng.choice(TEXTOS),
                "5511999999999",
                "entregue" if inbound else ("falhou" if falhou else "lido"),
                "normal",
                criado,
                None if inbound or falhou else criado,
                None if inbound or falhou else entregue,
                None if inbound or falhou else entregue + timedelta(seconds=rng.uniform(5, 600)),
            )
        )
    await conn.copy_records_to_table(
        "mensagens",
        columns=[
            "id", "chamado_id", "direcao", "tipo", "tipo_conteudo", "texto", "destinatario",
            "status_envio", "prioridade", "criado_em", "enviado_em", "entregue_em", "lido_em",
        ],
        records=rows,
    )  # fmt: skip


def _timing(samples: list[float]) -> Timing:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return Timing(statistics.median(ordered) * 1000, p99 * 1000)


async def measure(
    database_url: str, redis_url: str, chamados: int, mensagens: int, requests: int
) -> dict[str, Timing]:
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        redis_url=redis_url,
        secret_key=SecretStr("bench-secret-" + "x" * 40),
        fernet_key=SecretStr("Gmj9Bd3iJZ1Oi8T6nB6Fj9m4yTCP8QGXuVFiu3g0a0U="),
        webhook_token=SecretStr("bench"),
        frontend_dist=Path("/nonexistent"),
        vigia_ativa=False,
    )
    app = create_app(settings)
    token, _ = security.create_token(1, settings)
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(7)
    results: dict[str, list[float]] = {
        "conversas": [],
        "mensagens": [],
        "metricas": [],
        "busca_rara": [],
        "busca_media": [],
        "busca_comum": [],
        "placar": [],
        "ranking": [],
    }
    terceirizados = max(chamados // 10, 1)
    hoje = datetime.now(UTC).date()
    # The seeded chamados open from 90 days ago on: the period takes them all in.
    periodo = {"de": (hoje - timedelta(days=100)).isoformat(), "ate": hoje.isoformat()}
    raras = [n * RARA for n in range(1, mensagens // RARA + 1)] or [RARA]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for i in range(requests + 20):  # the first 20 warm caches and plans
                chamado_id = rng.randint(1, chamados)
                for name, url, expected in (
                    ("conversas", "/api/conversas?limit=50", min(50, chamados)),
                    (
                        "mensagens",
                        f"/api/conversas/{chamado_id}/mensagens?limit=50",
                        min(50, mensagens // chamados),
                    ),
                ):
                    start = time.perf_counter()
                    response = await client.get(url, headers=headers)
                    elapsed = time.perf_counter() - start
                    if response.status_code != 200 or len(response.json()["items"]) != expected:
                        raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")
                    if i >= 20:
                        results[name].append(elapsed)
                for name, q, minimo in (
                    ("busca_rara", f"NF-{rng.choice(raras)}", 1 if mensagens >= RARA else 0),
                    ("busca_media", "disjuntor", 1),
                    ("busca_comum", "orçamento", 1),
                ):
                    start = time.perf_counter()
                    response = await client.get(
                        "/api/mensagens/busca", params={"q": q, "limit": 20}, headers=headers
                    )
                    elapsed = time.perf_counter() - start
                    if response.status_code != 200 or len(response.json()["items"]) < minimo:
                        raise RuntimeError(
                            f"busca {q}: {response.status_code} {response.text[:200]}"
                        )
                    if i >= 20:
                        results[name].append(elapsed)
                for name, url, params in (
                    ("placar", f"/api/desempenho/terceirizados/{rng.randint(1, terceirizados)}",
                     periodo),
                    ("ranking", "/api/desempenho/terceirizados", periodo),
                ):  # fmt: skip
                    start = time.perf_counter()
                    response = await client.get(url, params=params, headers=headers)
                    elapsed = time.perf_counter() - start
                    corpo = response.json() if response.status_code == 200 else {}
                    contados = corpo.get("placar", {}).get("chamados") or len(
                        corpo.get("itens", [])
                    )
                    if not contados:
                        raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")
                    if i >= 20:
                        results[name].append(elapsed)
                await app.state.redis.delete(CACHE)  # the panel computed afresh
                start = time.perf_counter()
                response = await client.get("/api/monitoramento/whatsapp", headers=headers)
                elapsed = time.perf_counter() - start
                painel = response.json()
                enviadas = sum(h["enviadas"] for h in painel.get("volume_24h", []))
                if response.status_code != 200 or enviadas < RECENTES // 2:
                    raise RuntimeError(f"metrics: {response.status_code} {response.text[:200]}")
                if i >= 20:
                    results["metricas"].append(elapsed)
    return {name: _timing(samples) for name, samples in results.items()}


async def preparar_fatos(database_url: str) -> int:
    """The worker's minute rounds until every chamado has its facts; answers how many."""
    engine = create_engine(database_url)
    maker = create_sessionmaker(engine)
    rodadas = 0
    try:
        while True:
            async with session_scope(maker) as session:
                if not await fatos.atualizar(session):
                    return rodadas
            rodadas += 1
    finally:
        await engine.dispose()


async def run(scale: float, requests: int, keep: bool) -> dict[str, dict[str, Timing]]:
    server_url, redis_url = servidores()
    datasets = {
        "pequeno": (int(1_000 * scale) or 1, int(100_000 * scale)),
        "grande": (int(10_000 * scale) or 1, int(1_000_000 * scale)),
    }
    figures: dict[str, dict[str, Timing]] = {}
    for label, (chamados, mensagens) in datasets.items():
        name = f"gmm_bench_{label}_{uuid.uuid4().hex[:6]}"
        url = await create_database(server_url, name)
        try:
            await asyncio.to_thread(upgrade, url)
            start = time.perf_counter()
            await seed(url, chamados, mensagens)
            print(
                f"{label}: {chamados:,} chamados, {mensagens:,} mensagens "
                f"carregados em {time.perf_counter() - start:.1f} s",
                flush=True,
            )
            start = time.perf_counter()
            rodadas = await preparar_fatos(url)
            print(
                f"{label}: fatos de {chamados:,} chamados em {rodadas} rodadas, "
                f"{time.perf_counter() - start:.1f} s",
                flush=True,
            )
            figures[label] = await measure(url, redis_url, chamados, mensagens, requests)
        finally:
            if not keep:
                await drop_database(server_url, name)
    return figures


def report(figures: dict[str, dict[str, Timing]]) -> None:
    print(f"\n{'endpoint':<44}{'pequeno med/p99 (ms)':>22}{'grande med/p99 (ms)':>22}{'razão':>8}")
    for name, path in (
        ("conversas", "GET /api/conversas?limit=50"),
        ("mensagens", "GET /api/conversas/{id}/mensagens?limit=50"),
        ("metricas", "GET /api/monitoramento/whatsapp (sem cache)"),
        ("busca_rara", "GET /api/mensagens/busca (1 mensagem)"),
        ("busca_media", "GET /api/mensagens/busca (~1 % delas)"),
        ("busca_comum", "GET /api/mensagens/busca (~20 % delas)"),
        ("placar", "GET /api/desempenho/terceirizados/{id}"),
        ("ranking", "GET /api/desempenho/terceirizados (todos)"),
    ):
        small, large = figures["pequeno"][name], figures["grande"][name]
        ratio = large.median_ms / small.median_ms
        print(
            f"{path:<44}{small.median_ms:>10.2f} / {small.p99_ms:<9.2f}"
            f"{large.median_ms:>10.2f} / {large.p99_ms:<9.2f}{ratio:>8.2f}"
        )
    print(
        "\nMeta: mediana < 20 ms (listas) e < 50 ms (painel, busca) no conjunto grande, "
        "razão < 1.5."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="fração dos tamanhos")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="não apaga os bancos no fim")
    args = parser.parse_args()
    report(asyncio.run(run(args.scale, args.requests, args.keep)))


if __name__ == "__main__":
    main()
