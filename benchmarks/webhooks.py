"""How many MegaAPI webhooks one API process takes, over real HTTP.

Seeds 1,000 contractors with an open chamado each and 2,000 sent messages, starts a
real `gmm api` process (production settings) and loads it from a load generator in a
process of its own (benchmarks/carga.py) with half inbound texts from those
contractors (each matched to its chamado, automation rules run) and half receipts:

1. the ceilings, closed model (16 connections back to back): ``/healthz`` and the
   webhooks, in the same process and run, so their ratio does not depend on what
   else the machine was doing;
2. the open model: the arrival rate steps up (MegaAPI does not wait for our answers)
   until the process saturates, printing per step the rate achieved, p50/p99
   (counted from when each request was due) and errors;
3. the same-chamado burst: eight senders at once post texts and receipts for one
   contractor's chamado (an album of photos plus the receipts of our replies).
   Goal: no failure (no deadlock, no 500), at least 100 events/s, every text once.

It also counts the PostgreSQL sessions the API opened (a pool that churns opens
one per overflow checkout) and checks every text answered 200 was stored once.
``--perfil DIR`` records the API with py-spy during the webhook ceiling; ``--codigo
DIR`` runs the API from another checkout's ``backend`` (the "before"), on the same
seeded database.

    .venv/bin/python -m benchmarks.webhooks [--duracao 5] [--workers 1] [--perfil DIR]
        [--codigo DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

from sqlalchemy import func, insert, select, text

from benchmarks import cenarios
from benchmarks.comum import servidores, settings_da_api
from gmm.chamados.models import Chamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import create_database, create_engine, drop_database
from gmm.core.embedded import free_port, wait_for_port
from gmm.core.migrations import upgrade
from gmm.terceirizados.models import Terceirizado

TOKEN = "bench-webhook"
TAXAS = (100, 200, 400, 600, 800, 1000, 1200, 1500, 2000, 2500)
CONEXOES = 16
AQUECIMENTO = 400  # events, half of them texts


class Bruto(TypedDict):
    """What benchmarks/carga.py prints."""

    ok: int
    erros: int
    duracao_s: float
    latencias_ms: list[float]


def _figuras(amostras: list[float]) -> tuple[float, float]:
    """Median and p99 of ``amostras`` (seconds), in ms."""
    ordenadas = sorted(amostras)
    p99 = ordenadas[min(len(ordenadas) - 1, int(len(ordenadas) * 0.99))]
    return statistics.median(ordenadas) * 1000, p99 * 1000


@dataclass
class Figura:
    """One load: requests per second achieved, latency, errors."""

    alvo: float | None  # the open model's arrival rate; None in the closed model
    por_segundo: float
    mediana_ms: float
    p99_ms: float
    erros: int
    ok: int

    @property
    def saturado(self) -> bool:
        assert self.alvo is not None
        return (
            self.por_segundo < 0.9 * self.alvo or self.erros > 0.01 * self.ok or self.p99_ms > 1000
        )


@dataclass
class Resultado:
    processos: int
    healthz: Figura
    teto: Figura  # webhooks, closed model
    passos: list[Figura]
    rajada: Figura
    textos_gravados: int
    textos_aceitos: int
    rajada_gravados: int
    rajada_enviados: int
    sessoes_pg: int  # PostgreSQL sessions the API opened during the loads
    # CPU of the API process(es) per webhook at the ceiling: unlike the rates, it
    # hardly depends on what else the machine is running.
    cpu_ms_por_webhook: float = 0.0
    # What PostgreSQL spent per webhook (every postgres process on this machine): with
    # the API's own and the load generator's, what a webhook costs the two cores.
    cpu_pg_ms_por_webhook: float = 0.0
    perfil: list[tuple[str, float]] = field(default_factory=list)


def _figura(bruto: Bruto, alvo: float | None) -> Figura:
    ok = len(bruto["latencias_ms"])
    mediana, p99 = _figuras([x / 1000 for x in bruto["latencias_ms"]]) if ok else (0.0, 0.0)
    return Figura(alvo, ok / bruto["duracao_s"], mediana, p99, bruto["erros"], ok)


async def _carga(porta: int, cenario: str, inicio: int, *argumentos: str) -> Bruto:
    """The load generator, in a process of its own (it must not share the API's core)."""
    processo = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "benchmarks.carga", "--porta", str(porta), "--cenario", cenario,
        "--token", TOKEN, "--inicio", str(inicio), *argumentos,
        stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    saida, _ = await processo.communicate()
    if processo.returncode != 0:
        raise RuntimeError(f"gerador de carga falhou ({processo.returncode})")
    resultado: Bruto = json.loads(saida)
    return resultado


async def _semear(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with engine.begin() as conn:
            n = cenarios.CONTRATADOS
            tids = list(
                await conn.scalars(
                    insert(Terceirizado).returning(Terceirizado.id, sort_by_parameter_order=True),
                    [
                        {"nome": f"T{i}", "telefone": cenarios.telefone(i),
                         "telefone_chave": cenarios.telefone(i)}
                        for i in range(n)
                    ],
                )
            )  # fmt: skip
            cids = list(
                await conn.scalars(
                    insert(Chamado).returning(Chamado.id, sort_by_parameter_order=True),
                    [
                        {"numero_chamado": f"B-{i:05d}", "terceirizado_id": t, "titulo": "Bench"}
                        for i, t in enumerate(tids)
                    ],
                )
            )
            await conn.execute(
                insert(Mensagem),
                [
                    {"chamado_id": cids[k % n], "direcao": Direcao.outbound,
                     "tipo": TipoMensagem.resposta_manual, "texto": "x",
                     "destinatario": cenarios.telefone(k % n), "status_envio": StatusEnvio.enviado,
                     "megaapi_id": f"BENCHOUT{k:08d}"}
                    for k in range(cenarios.ENVIADAS)
                ],
            )  # fmt: skip
    finally:
        await engine.dispose()


async def _contar(database_url: str, nome: str) -> tuple[int, int, int]:
    """Inbound bench texts stored, burst texts stored, sessions opened on the database."""
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            textos = await conn.scalar(
                select(func.count()).where(Mensagem.megaapi_id.like("BENCHIN%"))
            )
            rajada = await conn.scalar(
                select(func.count()).where(Mensagem.megaapi_id.like("BURST%"))
            )
            sessoes = await conn.scalar(
                text("SELECT sessions FROM pg_stat_database WHERE datname = :n"), {"n": nome}
            )
    finally:
        await engine.dispose()
    return int(textos or 0), int(rajada or 0), int(sessoes or 0)


def _cpu_postgres_s() -> float:
    """User + system CPU seconds of every ``postgres`` process, from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            texto = stat.read_text()
        except OSError:
            continue
        nome, _, resto = texto.partition("(")[2].rpartition(")")
        if nome.startswith("postgres"):
            campos = resto.split()
            total += (int(campos[11]) + int(campos[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _cpu_s(pid: int) -> float:
    """User + system CPU seconds of ``pid`` and its children (`--workers`), from /proc."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            campos = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or campos[1] == str(pid):
            total += (int(campos[11]) + int(campos[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _perfil(colapsado: Path, limite: int = 25) -> list[tuple[str, float]]:
    """Inclusive share of the samples per function (py-spy's raw, collapsed stacks)."""
    total = 0
    inclusivo: Counter[str] = Counter()
    for linha in colapsado.read_text().splitlines():
        pilha, _, amostras = linha.rpartition(" ")
        if not amostras.isdigit():
            continue
        n = int(amostras)
        total += n
        for quadro in set(pilha.split(";")):
            inclusivo[quadro] += n
    return [(quadro, n / total) for quadro, n in inclusivo.most_common(limite)] if total else []


async def run(
    duracao: float = 5.0,
    taxas: tuple[float, ...] = TAXAS,
    rajada_eventos: int = 800,
    workers: int = 1,
    perfil: Path | None = None,
    codigo: Path | None = None,
) -> Resultado:
    server_url, redis_url = servidores(redis_db=14)
    nome = f"gmm_bench_webhook_{uuid.uuid4().hex[:6]}"
    database_url = await create_database(server_url, nome)
    try:
        await asyncio.to_thread(upgrade, database_url)
        await _semear(database_url)
        settings = settings_da_api(database_url, redis_url, TOKEN)
        return await _medir(settings, nome, duracao, taxas, rajada_eventos, workers, perfil, codigo)
    finally:
        await drop_database(server_url, nome)


async def _medir(
    settings: Settings,
    nome: str,
    duracao: float,
    taxas: tuple[float, ...],
    rajada_eventos: int,
    workers: int,
    perfil: Path | None,
    codigo: Path | None,
) -> Resultado:
    assert settings.database_url
    porta = free_port()
    ambiente = {
        **os.environ, **settings.as_env(), "GMM_ENV": "production",
        "GMM_HOST": "127.0.0.1", "GMM_PORT": str(porta),
    }  # fmt: skip
    if codigo is not None:
        ambiente["PYTHONPATH"] = str(codigo)
    comando = [sys.executable, "-m", "gmm.app.cli", "api"]
    if workers > 1:
        comando += ["--workers", str(workers)]
    api = subprocess.Popen(
        comando, env=ambiente, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        await asyncio.to_thread(wait_for_port, porta, api, 60)
        # Warm-up: imports, prepared statements, the pool's connections.
        fechado = ("--conexoes", str(CONEXOES))
        await _carga(porta, "mistura", 10**7, *fechado, "--eventos", str(AQUECIMENTO))
        _, _, sessoes_antes = await _contar(settings.database_url, nome)
        k = 0  # next event number: every text goes out once
        medida = ("--duracao", str(duracao))
        healthz = _figura(
            await _carga(porta, "healthz", 0, "--conexoes", str(CONEXOES), *medida), None
        )
        espiao = None
        if perfil is not None:
            await asyncio.to_thread(perfil.mkdir, parents=True, exist_ok=True)
            py_spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
            espiao = await asyncio.create_subprocess_exec(
                py_spy, "record", "--format", "raw", "--rate", "200", "--nonblocking",
                "--duration", str(int(duracao)), "--pid", str(api.pid), "--subprocesses",
                "--output", str(perfil / "webhooks.txt"),
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )  # fmt: skip
        cpu_antes = await asyncio.to_thread(_cpu_s, api.pid)
        cpu_pg_antes = await asyncio.to_thread(_cpu_postgres_s)
        bruto = await _carga(porta, "mistura", k, *fechado, *medida)
        cpu = await asyncio.to_thread(_cpu_s, api.pid) - cpu_antes
        cpu_pg = await asyncio.to_thread(_cpu_postgres_s) - cpu_pg_antes
        teto = _figura(bruto, None)
        k += teto.ok + teto.erros + 2 * CONEXOES
        quadros: list[tuple[str, float]] = []
        if espiao is not None and perfil is not None:
            await espiao.wait()
            if (perfil / "webhooks.txt").exists():
                quadros = _perfil(perfil / "webhooks.txt")
        passos: list[Figura] = []
        for taxa in taxas:
            bruto = await _carga(porta, "mistura", k, "--taxa", str(taxa), *medida)
            k += int(taxa * duracao) + 2
            passos.append(_figura(bruto, taxa))
            if passos[-1].saturado:
                break
        rajada = _figura(
            await _carga(porta, "rajada", 0, "--conexoes", "8", "--eventos", str(rajada_eventos)),
            None,
        )
        textos, rajada_gravados, sessoes_depois = await _contar(settings.database_url, nome)
    finally:
        api.terminate()
        api.wait(15)
    return Resultado(
        processos=workers,
        healthz=healthz,
        teto=teto,
        passos=passos,
        rajada=rajada,
        textos_gravados=textos,
        textos_aceitos=(k + 1) // 2 + AQUECIMENTO // 2,
        rajada_gravados=rajada_gravados,
        rajada_enviados=(rajada_eventos + 1) // 2,
        sessoes_pg=sessoes_depois - sessoes_antes - 1,  # less the count's own
        perfil=quadros,
        cpu_ms_por_webhook=1000 * cpu / max(teto.ok, 1),
        cpu_pg_ms_por_webhook=1000 * cpu_pg / max(teto.ok, 1),
    )


def _linha(f: Figura) -> str:
    return (
        f"{f.por_segundo:7.0f}/s   mediana {f.mediana_ms:6.1f} ms   p99 {f.p99_ms:7.1f} ms   "
        f"erros {f.erros}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--duracao", type=float, default=5.0, help="segundos por passo")
    parser.add_argument("--rajada", type=int, default=800, help="eventos da rajada")
    parser.add_argument("--workers", type=int, default=1, help="processos da API")
    parser.add_argument("--perfil", type=Path, help="pasta para o perfil do py-spy")
    parser.add_argument("--codigo", type=Path, help="pasta backend de outro checkout (o antes)")
    args = parser.parse_args()
    r = asyncio.run(
        run(
            args.duracao,
            rajada_eventos=args.rajada,
            workers=args.workers,
            perfil=args.perfil,
            codigo=args.codigo,
        )
    )
    carga = os.getloadavg()
    print(f"\ngmm api com {r.processos} processo(s); carga da máquina {carga[0]:.2f}\n")
    print(f"  /healthz, {CONEXOES} conexões:       {_linha(r.healthz)}")
    print(f"  webhooks, {CONEXOES} conexões:       {_linha(r.teto)}")
    razao = r.teto.por_segundo / r.healthz.por_segundo if r.healthz.por_segundo else 0
    print(f"  razão webhooks / healthz:     {razao:.2f}   (meta ≥ 0,18)")
    print(f"  CPU da API por webhook:       {r.cpu_ms_por_webhook:.2f} ms")
    print(f"  CPU do PostgreSQL por webhook: {r.cpu_pg_ms_por_webhook:.2f} ms\n")
    print("  modelo aberto (metade textos, metade confirmações):")
    for f in r.passos:
        print(f"    {f.alvo:6.0f}/s pedidos → {_linha(f)}")
    print(f"\n  sessões novas no PostgreSQL durante a carga: {r.sessoes_pg}")
    print(f"  textos gravados: {r.textos_gravados} (enviados no máximo {r.textos_aceitos})")
    print(f"\n  rajada num só chamado, 8 conexões: {_linha(r.rajada)}   (meta ≥ 100/s, 0 erros)")
    print(f"  textos da rajada gravados: {r.rajada_gravados} de {r.rajada_enviados}")
    if r.perfil:
        print("\n  perfil (py-spy, fração das amostras em que a função está na pilha):")
        for quadro, fracao in r.perfil:
            print(f"    {fracao:6.1%}  {quadro}")


if __name__ == "__main__":
    main()
