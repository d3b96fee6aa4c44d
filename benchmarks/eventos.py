"""How many open event streams (GET /api/eventos, SSE) one API process holds, over real HTTP.

Starts a real `gmm api` process (production settings) and, from a process of its
own (this module with ``--fluxos``), opens that many streams on it, as that many
screens would, with the token in ``?access_token=`` as the browser sends it. While
they are open it measures:

1. ``/healthz`` latency (p50/p99) from the load generator (benchmarks/carga.py, open
   model at a fixed rate): what the other requests feel with the streams open;
2. the API's memory (RSS) per stream, against its RSS before the streams opened;
3. the Redis connections the streams added (CLIENT LIST on the API's Redis database,
   before and with the streams open: all of them, and those named as event readers);
4. events published to Redis reach every stream: how many arrived and how long after
   their publication (p50/p99 over every stream and event);
5. what the open streams ask PostgreSQL by themselves (their session checks):
   transactions per second on the bench database over a quiet window.

Goal (issue 19): 1,000 streams on one process with ``/healthz`` p99 under 20 ms.
``--codigo DIR`` runs the API from another checkout's ``backend`` (the "before").

    .venv/bin/python -m benchmarks.eventos [--fluxos 1000] [--duracao 5] [--codigo DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from redis.asyncio import Redis
from sqlalchemy import insert, text
from sqlalchemy.pool import NullPool

from benchmarks.comum import servidores, settings_da_api
from benchmarks.webhooks import Bruto, _carga, _figuras
from gmm.auth import security
from gmm.auth.models import Usuario
from gmm.core.db import create_database, create_engine, drop_database
from gmm.core.embedded import free_port, wait_for_port
from gmm.core.eventos import NOME_CONEXAO, Evento, publicar
from gmm.core.migrations import upgrade

TOKEN_WEBHOOK = "bench-webhook"
HEALTHZ_POR_SEGUNDO = 100
# Streams opened at once: a screen burst, not a SYN flood of the listen backlog.
LEVA = 100
ESPERA_S = 60.0
# Long enough for a few rounds of the streams' 5 s session checks.
JANELA_QUIETA_S = 11.0


class EventoBench(Evento):
    """An event carrying its publication time, to measure delivery."""

    nome: ClassVar[str] = "bench"
    t: float


@dataclass
class Resultado:
    fluxos: int
    abertos: int
    healthz_mediana_ms: float
    healthz_p99_ms: float
    healthz_erros: int
    rss_antes_mb: float
    rss_depois_mb: float
    # Connections the open streams added on the API's Redis database (a difference,
    # so other clients of that database do not count): all of them, and those named
    # as event readers (NOME_CONEXAO).
    conexoes_redis: int
    leitores_redis: int
    # What the open streams ask PostgreSQL, per second, with nothing else going on
    # (the sessions' checks): transactions on the bench database over a quiet window.
    consultas_por_segundo: float
    eventos: int
    entregues: int  # events received, summed over the streams
    entrega_mediana_ms: float
    entrega_p99_ms: float

    @property
    def kb_por_fluxo(self) -> float:
        return 1024 * (self.rss_depois_mb - self.rss_antes_mb) / max(self.abertos, 1)


# --- the streams' side, in a process of its own ----------------------------------------


async def _fluxo(porta: int, token: str, eventos: int, abertos: asyncio.Queue[bool]) -> list[float]:
    """One stream: opened, then read until ``eventos`` bench events arrived; the
    delay of each (seconds from its publication)."""
    atrasos: list[float] = []
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", porta)
    except OSError:
        await abertos.put(False)
        return atrasos
    try:
        writer.write(
            f"GET /api/eventos?access_token={token} HTTP/1.1\r\nHost: bench\r\n"
            "Accept: text/event-stream\r\n\r\n".encode()
        )
        cabecalho = await reader.readuntil(b"\r\n\r\n")
        await abertos.put(cabecalho[9:12] == b"200")
        if cabecalho[9:12] != b"200":
            return atrasos
        resto = b""
        while len(atrasos) < eventos:
            dados = await reader.read(65536)
            if not dados:
                break
            agora = time.time()
            resto += dados
            # Only whole SSE messages (each ends in a blank line); chunk framing between
            # messages does not match the pattern.
            fim = resto.rfind(b"\n\n")
            if fim < 0:
                continue
            completos, resto = resto[:fim], resto[fim:]
            atrasos += [agora - float(t) for t in re.findall(rb'"t":([0-9.]+)', completos)]
    except (OSError, asyncio.IncompleteReadError):
        pass
    finally:
        writer.close()
    return atrasos


async def _segurar(porta: int, token: str, fluxos: int, eventos: int) -> None:
    abertos: asyncio.Queue[bool] = asyncio.Queue()
    tarefas = []
    for k in range(fluxos):
        tarefas.append(asyncio.create_task(_fluxo(porta, token, eventos, abertos)))
        if k % LEVA == LEVA - 1:
            await asyncio.sleep(0.05)
    ok = 0
    for _ in range(fluxos):
        ok += await asyncio.wait_for(abertos.get(), ESPERA_S)
    print(json.dumps({"abertos": ok}), flush=True)
    try:
        resultados = await asyncio.wait_for(asyncio.gather(*tarefas), ESPERA_S)
    except TimeoutError:
        resultados = [[] for _ in tarefas]  # some stream never got every event
    atrasos = [a for r in resultados for a in r]
    print(json.dumps({"entregues": len(atrasos), "atrasos": atrasos}), flush=True)


# --- the benchmark ---------------------------------------------------------------------


def _rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children (`--workers`), from /proc."""
    total = 0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            linhas = dict(
                linha.split(":", 1) for linha in status.read_text().splitlines() if ":" in linha
            )
        except OSError:
            continue
        if status.parent.name == str(pid) or linhas.get("PPid", "").strip() == str(pid):
            total += int(linhas.get("VmRSS", "0 kB").split()[0])
    return total / 1024


async def _conexoes(redis: Redis) -> tuple[int, int]:
    db = redis.connection_pool.connection_kwargs.get("db", 0)
    clientes = [c for c in await redis.client_list() if int(c["db"]) == db]
    return len(clientes), sum(c["name"] == NOME_CONEXAO for c in clientes)


async def _consultas_por_segundo(database_url: str, janela_s: float = JANELA_QUIETA_S) -> float:
    """Transactions per second on the database over ``janela_s`` (each of the streams'
    checks is one). An idle backend publishes its counts up to 10 s late, so the
    window starts ``janela_s`` after the streams' opening (their token checks)."""
    engine = create_engine(database_url, poolclass=NullPool)
    consulta = text(
        "SELECT xact_commit + xact_rollback FROM pg_stat_database "
        "WHERE datname = current_database()"
    )
    try:
        await asyncio.sleep(janela_s)
        async with engine.connect() as conn:
            antes = int(await conn.scalar(consulta) or 0)
        inicio = time.monotonic()
        await asyncio.sleep(janela_s)
        async with engine.connect() as conn:
            # A fresh snapshot of the statistics (they are cached per transaction).
            depois = int(await conn.scalar(consulta) or 0)
        # Less this function's own first transaction.
        return max(depois - antes - 1, 0) / (time.monotonic() - inicio)
    finally:
        await engine.dispose()


async def run(
    fluxos: int = 1000,
    duracao: float = 5.0,
    eventos: int = 20,
    codigo: Path | None = None,
    janela: float = JANELA_QUIETA_S,
) -> Resultado:
    server_url, redis_url = servidores(redis_db=None)
    nome = f"gmm_bench_eventos_{uuid.uuid4().hex[:6]}"
    database_url = await create_database(server_url, nome)
    try:
        await asyncio.to_thread(upgrade, database_url)
        engine = create_engine(database_url)
        try:
            async with engine.begin() as conn:
                usuario_id = await conn.scalar(
                    insert(Usuario)
                    .values(nome="Bench", email="bench@example.com", senha_hash="x")
                    .returning(Usuario.id)
                )
        finally:
            await engine.dispose()
        assert usuario_id is not None
        settings = settings_da_api(database_url, redis_url, TOKEN_WEBHOOK)
        token, _ = security.create_token(usuario_id, settings)
        ambiente = {**os.environ, **settings.as_env(), "GMM_ENV": "production"}
        if codigo is not None:
            ambiente["PYTHONPATH"] = str(codigo)
        return await _medir(
            ambiente, redis_url, token, fluxos, duracao, eventos, database_url, janela
        )
    finally:
        await drop_database(server_url, nome)


async def _medir(
    ambiente: dict[str, str],
    redis_url: str,
    token: str,
    fluxos: int,
    duracao: float,
    eventos: int,
    database_url: str,
    janela: float,
) -> Resultado:
    porta = free_port()
    ambiente = {**ambiente, "GMM_HOST": "127.0.0.1", "GMM_PORT": str(porta)}
    api = subprocess.Popen(
        [sys.executable, "-m", "gmm.app.cli", "api"],
        env=ambiente,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    redis = Redis.from_url(redis_url, decode_responses=True)
    segurador: asyncio.subprocess.Process | None = None
    try:
        await asyncio.to_thread(wait_for_port, porta, api, 60)
        # Warm-up: imports, the pool's connections (no stream yet: the reader, started by
        # the first one, counts among what the streams cost).
        await _carga(porta, "healthz", 0, "--conexoes", "4", "--eventos", "200")
        rss_antes = await asyncio.to_thread(_rss_mb, api.pid)
        conexoes_antes, leitores_antes = await _conexoes(redis)
        segurador = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "benchmarks.eventos", "--segurar", "--porta", str(porta),
            "--token", token, "--fluxos", str(fluxos), "--eventos", str(eventos),
            stdout=asyncio.subprocess.PIPE, limit=1 << 26,  # every delay, in one line
        )  # fmt: skip
        assert segurador.stdout is not None
        linha = await asyncio.wait_for(segurador.stdout.readline(), ESPERA_S + 10)
        abertos = int(json.loads(linha)["abertos"])
        await asyncio.sleep(1.0)  # the streams settle (first XREADs, first heartbeat)
        rss_depois = await asyncio.to_thread(_rss_mb, api.pid)
        consultas = await _consultas_por_segundo(database_url, janela)
        conexoes, leitores = await _conexoes(redis)
        conexoes, leitores = conexoes - conexoes_antes, leitores - leitores_antes
        taxa = ("--taxa", str(HEALTHZ_POR_SEGUNDO), "--duracao", str(duracao))
        bruto: Bruto = await _carga(porta, "healthz", 0, *taxa)
        for _ in range(eventos):
            await publicar(redis, EventoBench(t=time.time()))
            await asyncio.sleep(0.05)
        linha = await asyncio.wait_for(segurador.stdout.readline(), ESPERA_S + 10)
        entrega = json.loads(linha)
        await segurador.wait()
    finally:
        if segurador is not None and segurador.returncode is None:
            segurador.kill()
            await segurador.wait()
        await redis.aclose()
        api.terminate()
        api.wait(15)
    mediana, p99 = _figuras([x / 1000 for x in bruto["latencias_ms"]] or [0.0])
    atrasos = entrega["atrasos"] or [0.0]
    entrega_mediana, entrega_p99 = _figuras(atrasos)
    return Resultado(
        fluxos=fluxos,
        abertos=abertos,
        healthz_mediana_ms=mediana,
        healthz_p99_ms=p99,
        healthz_erros=bruto["erros"],
        rss_antes_mb=rss_antes,
        rss_depois_mb=rss_depois,
        conexoes_redis=conexoes,
        leitores_redis=leitores,
        consultas_por_segundo=consultas,
        eventos=eventos,
        entregues=int(entrega["entregues"]),
        entrega_mediana_ms=entrega_mediana,
        entrega_p99_ms=entrega_p99,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fluxos", type=int, default=1000, help="fluxos abertos ao mesmo tempo")
    parser.add_argument("--duracao", type=float, default=5.0, help="segundos de /healthz")
    parser.add_argument("--eventos", type=int, default=20, help="eventos publicados")
    parser.add_argument("--codigo", type=Path, help="pasta backend de outro checkout (o antes)")
    parser.add_argument("--segurar", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--porta", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.segurar:
        asyncio.run(_segurar(args.porta, args.token, args.fluxos, args.eventos))
        return
    r = asyncio.run(run(args.fluxos, args.duracao, args.eventos, args.codigo))
    carga = os.getloadavg()
    print(f"\n{r.abertos} de {r.fluxos} fluxos abertos num processo; carga da máquina "
          f"{carga[0]:.2f}\n")  # fmt: skip
    print(
        f"  /healthz a {HEALTHZ_POR_SEGUNDO}/s com os fluxos abertos: mediana "
        f"{r.healthz_mediana_ms:.1f} ms, p99 {r.healthz_p99_ms:.1f} ms, erros "
        f"{r.healthz_erros}   (meta p99 < 20 ms)"
    )
    print(
        f"  memória da API: {r.rss_antes_mb:.0f} MB → {r.rss_depois_mb:.0f} MB, "
        f"{r.kb_por_fluxo:.0f} KB por fluxo"
    )
    print(
        f"  conexões que os fluxos abriram no Redis: {r.conexoes_redis}, "
        f"das quais leitoras de eventos ({NOME_CONEXAO}): {r.leitores_redis}"
    )
    print(f"  consultas ao PostgreSQL por segundo, fluxos parados: {r.consultas_por_segundo:.1f}")
    print(
        f"  eventos: {r.entregues} de {r.eventos * r.abertos} entregues; atraso mediana "
        f"{r.entrega_mediana_ms:.1f} ms, p99 {r.entrega_p99_ms:.1f} ms"
    )


if __name__ == "__main__":
    main()
