"""Delivery throughput, rate-limit fidelity and loss, with and without a gateway outage.

Two `gmm worker` processes and the MegaAPI simulator (a real process) drain 600
messages with the limiter at 1,200/min. Prints the achieved rate as a fraction
of the limit (goal ≥ 0.97), the most sends in any sliding window scaled to a
minute against the limit (goal: never above), messages lost (goal 0) and
duplicates at the simulator (goal 0). Then the same with the simulator failing
100 % for 20 s in the middle: lost stays 0, and it prints how many calls reached
the simulator while the breaker was open (goal: none but the probes).

    .venv/bin/python -m benchmarks.delivery [--mensagens 600] [--por-minuto 1200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from arq import create_pool
from arq.connections import RedisSettings
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy import func, select

from benchmarks.comum import servidores
from gmm.auth.models import Papel, Usuario
from gmm.chamados.models import Chamado
from gmm.conversas.models import Mensagem, StatusEnvio, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import (
    create_database,
    create_engine,
    create_sessionmaker,
    drop_database,
    session_scope,
)
from gmm.core.embedded import start_simulator
from gmm.core.migrations import upgrade
from gmm.envio.breaker import CircuitBreaker
from gmm.envio.fila import Fila
from gmm.envio.service import WhatsAppService
from gmm.terceirizados.models import Terceirizado

SIM_TOKEN = "token-benchmark"
SIM_INSTANCE = "bench"
# A few messages per chamado: they go in order, one at a time, so the many
# chamados are what keeps every worker busy (as in real use).
POR_CHAMADO = 4
JANELA_S = 10.0


@dataclass
class Resultado:
    enviados: int
    perdidos: int
    duplicados: int
    taxa_relativa: float
    maximo_janela_por_minuto: float
    limite_janela: int
    chamadas_com_disjuntor_aberto: int | None = None
    sondas: int | None = None
    aberturas: int | None = None
    duracao_s: float = 0.0


async def _enfileirar(settings: Settings, total: int, rodada: str) -> None:
    """Queue ``total`` messages through WhatsAppService, as the API would."""
    assert settings.database_url and settings.redis_url
    engine = create_engine(settings.database_url)
    arq = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    try:
        maker = create_sessionmaker(engine, arq)
        async with session_scope(maker) as session:
            usuario = await session.scalar(select(Usuario).limit(1))
            if usuario is None:
                usuario = Usuario(nome="Bench", email="bench@example.com", senha_hash="x")
                usuario.papel = Papel.admin
                session.add(usuario)
            terceirizado = Terceirizado(
                nome=f"Bench {rodada}",
                telefone=f"551198{abs(hash(rodada)) % 10**7:07d}",
                telefone_chave=f"551198{abs(hash(rodada)) % 10**7:07d}",
            )
            session.add(terceirizado)
            await session.flush()
        for lote in range(0, total, 100):
            async with session_scope(maker) as session:
                whatsapp = WhatsAppService(session, Fila(arq), settings)
                for i in range(lote, min(lote + 100, total), POR_CHAMADO):
                    chamado = Chamado(
                        numero_chamado=f"BENCH-{rodada}-{i:05d}",
                        terceirizado_id=terceirizado.id,
                        titulo=f"Chamado {i}",
                    )
                    chamado.terceirizado = terceirizado
                    session.add(chamado)
                    await session.flush()
                    for k in range(POR_CHAMADO):
                        await whatsapp.enviar_mensagem(
                            chamado, TipoMensagem.resposta_manual, f"{rodada} mensagem {i + k}"
                        )
    finally:
        await arq.aclose()
        await engine.dispose()


async def _contagem(settings: Settings, rodada: str) -> tuple[int, int]:
    """(sent, recorded) messages of this round, straight from the database."""
    assert settings.database_url
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            filtro = Mensagem.texto.like(f"{rodada} %")
            enviados = await session.scalar(
                select(func.count()).where(filtro, Mensagem.status_envio == StatusEnvio.enviado)
            )
            total = await session.scalar(select(func.count()).where(filtro))
            return int(enviados or 0), int(total or 0)
    finally:
        await engine.dispose()


@dataclass
class Abertura:
    """One time the breaker opened: [inicio, inicio + reset) no call may start."""

    inicio: float
    fim: float | None = None  # first moment seen CLOSED again


async def _observar_disjuntor(breaker: CircuitBreaker, aberturas: list[Abertura]) -> None:
    while True:
        estado = await breaker.snapshot()
        if estado.opened_at is not None:
            inicio = estado.opened_at.timestamp()
            if not aberturas or aberturas[-1].inicio != inicio:
                aberturas.append(Abertura(inicio))
        elif aberturas and aberturas[-1].fim is None:
            aberturas[-1].fim = time.time()
        await asyncio.sleep(0.02)


async def _rodada(
    settings: Settings,
    sim: httpx.AsyncClient,
    total: int,
    rodada: str,
    falha: tuple[float, float] | None,
    timeout: float,
) -> Resultado:
    assert settings.redis_url
    await sim.post("/_sim/reset")
    redis = Redis.from_url(settings.redis_url, decode_responses=True)
    breaker = CircuitBreaker(
        redis,
        failure_threshold=settings.breaker_failure_threshold,
        reset_seconds=settings.breaker_reset_seconds,
    )
    aberturas: list[Abertura] = []
    observador = asyncio.create_task(_observar_disjuntor(breaker, aberturas))
    inicio = time.time()
    await _enfileirar(settings, total, rodada)
    if falha:
        await asyncio.sleep(max(falha[0] - (time.time() - inicio), 0))
        await sim.post("/_sim/faults", json={"mode": "5xx", "status": 503})
        await asyncio.sleep(falha[1])
        await sim.delete("/_sim/faults")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        enviados, _ = await _contagem(settings, rodada)
        if enviados >= total:
            break
        await asyncio.sleep(0.5)
    observador.cancel()
    await redis.aclose()
    enviados, registrados = await _contagem(settings, rodada)
    requests: list[dict[str, Any]] = (await sim.get("/_sim/requests")).json()
    envios = [r for r in requests if "/rest/sendMessage/" in r["path"]]
    ok = sorted(r["time"] for r in envios if r["status"] == 200)
    textos = [r["json"]["messageData"]["text"] for r in envios if r["status"] == 200]
    por_minuto = settings.rate_limit_per_minute
    maximo = 0
    j = 0
    for i, t in enumerate(ok):
        while ok[j] < t - JANELA_S:
            j += 1
        maximo = max(maximo, i - j + 1)
    resultado = Resultado(
        enviados=enviados,
        perdidos=registrados - enviados,
        duplicados=len(textos) - len(set(textos)),
        taxa_relativa=(len(ok) - 1) / (ok[-1] - ok[0]) * 60 / por_minuto if len(ok) > 1 else 0.0,
        maximo_janela_por_minuto=maximo * 60 / JANELA_S,
        limite_janela=por_minuto,
        duracao_s=time.time() - inicio,
    )
    if falha:
        reset = settings.breaker_reset_seconds
        # A call allowed just before the breaker opened may land a moment after.
        tolerancia = 0.1
        resultado.chamadas_com_disjuntor_aberto = sum(
            1
            for r in envios
            for a in aberturas
            if a.inicio + tolerancia < r["time"] < a.inicio + reset
        )
        resultado.sondas = sum(
            1
            for r in envios
            for n, a in enumerate(aberturas)
            if a.inicio + reset
            <= r["time"]
            < min(
                aberturas[n + 1].inicio if n + 1 < len(aberturas) else float("inf"),
                a.fim if a.fim is not None else float("inf"),
            )
        )
        resultado.aberturas = len(aberturas)
    return resultado


async def run(
    total: int, por_minuto: int, keep: bool, falha_s: float = 20.0
) -> dict[str, Resultado]:
    server_url, redis_url = servidores(redis_db=14)
    name = f"gmm_bench_entrega_{uuid.uuid4().hex[:6]}"
    database_url = await create_database(server_url, name)
    await asyncio.to_thread(upgrade, database_url)
    sim_process, sim_url = start_simulator(SIM_TOKEN, SIM_INSTANCE)
    settings = Settings(
        _env_file=None,
        database_url=database_url,
        redis_url=redis_url,
        secret_key=SecretStr("bench-" + "x" * 40),
        fernet_key=SecretStr("Gmj9Bd3iJZ1Oi8T6nB6Fj9m4yTCP8QGXuVFiu3g0a0U="),
        webhook_token=SecretStr("bench"),
        megaapi_base_url=sim_url,
        megaapi_instance_key=SIM_INSTANCE,
        megaapi_token=SecretStr(SIM_TOKEN),
        megaapi_timeout_seconds=5,
        rate_limit_per_minute=por_minuto,
        breaker_failure_threshold=5,
        breaker_reset_seconds=3,
        fila_maxima=max(total * 2, 500),
    )
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    workers: list[subprocess.Popen[bytes]] = []
    try:
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "gmm.app.cli", "worker"],
                env={**os.environ, **settings.as_env()},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            for _ in range(2)
        ]
        await asyncio.sleep(2)  # workers connect and run their start-up sweep
        tempo_normal = total / por_minuto * 60
        async with httpx.AsyncClient(base_url=sim_url, timeout=30) as sim:
            sem_falha = await _rodada(settings, sim, total, "normal", None, tempo_normal * 3 + 60)
            meio = max(tempo_normal / 3, 1.0)
            com_falha = await _rodada(
                settings, sim, total, "falha", (meio, falha_s), tempo_normal * 3 + 180
            )
        return {"sem falhas": sem_falha, f"simulador 100 % fora por {falha_s:g} s": com_falha}
    finally:
        for process in [*workers, sim_process]:
            process.terminate()
        for process in [*workers, sim_process]:
            process.wait(10)
        if not keep:
            await drop_database(server_url, name)


def report(resultados: dict[str, Resultado], total: int, por_minuto: int) -> None:
    print(f"\n{total} mensagens, 2 workers, limite {por_minuto}/min, simulador MegaAPI\n")
    for nome, r in resultados.items():
        print(f"[{nome}] em {r.duracao_s:.1f} s")
        if r.chamadas_com_disjuntor_aberto is None:
            print(f"  taxa alcançada / limite:              {r.taxa_relativa:.3f}   (meta ≥ 0.97)")
        print(
            f"  máximo em janela de {JANELA_S:.0f} s (por minuto): "
            f"{r.maximo_janela_por_minuto:.0f} / {r.limite_janela}   (meta: nunca acima)"
        )
        print(f"  enviadas:                             {r.enviados}")
        print(f"  perdidas:                             {r.perdidos}   (meta 0)")
        print(f"  duplicadas no simulador:              {r.duplicados}   (meta 0)")
        if r.chamadas_com_disjuntor_aberto is not None:
            print(f"  aberturas do disjuntor:               {r.aberturas}")
            print(
                f"  chamadas com o disjuntor ABERTO:      "
                f"{r.chamadas_com_disjuntor_aberto}   (meta 0)"
            )
            print(f"  chamadas de sonda (HALF_OPEN):        {r.sondas}   (uma por abertura)")
        print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mensagens", type=int, default=600)
    parser.add_argument("--por-minuto", type=int, default=1200)
    parser.add_argument("--falha-s", type=float, default=20.0, help="duração da queda")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    resultados = asyncio.run(run(args.mensagens, args.por_minuto, args.keep, args.falha_s))
    report(resultados, args.mensagens, args.por_minuto)


if __name__ == "__main__":
    main()
