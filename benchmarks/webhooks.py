"""How fast the MegaAPI webhook answers: inbound texts and receipts, through the ASGI app.

Seeds 1,000 contractors with an open chamado each and 2,000 sent messages, then
posts N inbound texts (each matched to its contractor's chamado) and N receipts
(half for ids not stored yet, which are parked), printing median and p99 of each.
Goal: a few milliseconds — slow work (media downloads) is left to jobs.

Then the same-chamado burst, over real HTTP to a `gmm api` process: eight senders at
once post texts and receipts for one contractor's chamado (what an album of photos
plus the receipts of our replies looks like), and it prints the sustained rate, p99
and failures. Goal: no failure (no deadlock, no 500), at least 100 events/s, and
every text stored exactly once.

    .venv/bin/python -m benchmarks.webhooks [--eventos 1000] [--rajada 800]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass

import httpx
from sqlalchemy import func, select

from benchmarks.comum import servidores, settings_da_api
from gmm.app.main import create_app
from gmm.chamados.models import Chamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import create_database, create_engine, drop_database, session_scope
from gmm.core.embedded import free_port, wait_for_port
from gmm.core.migrations import upgrade
from gmm.terceirizados.models import Terceirizado

TOKEN = "bench-webhook"


def _telefone(i: int) -> str:
    return f"551197{i:07d}"


def _texto(i: int) -> dict[str, object]:
    return {
        "messageType": "conversation",
        "key": {"remoteJid": f"{_telefone(i % 1000)}@s.whatsapp.net", "fromMe": False,
                "id": f"BENCHIN{i:08d}"},
        "messageTimestamp": 1_795_000_000,
        "message": {"conversation": f"Resposta {i}"},
    }  # fmt: skip


def _ack(i: int) -> dict[str, object]:
    return {
        "messageType": "message.ack",
        "key": {"remoteJid": f"{_telefone(i % 1000)}@s.whatsapp.net", "fromMe": True,
                "id": f"BENCHOUT{i:08d}"},
        "update": {"status": 3},
    }  # fmt: skip


def _figuras(amostras: list[float]) -> tuple[float, float]:
    ordenadas = sorted(amostras)
    p99 = ordenadas[min(len(ordenadas) - 1, int(len(ordenadas) * 0.99))]
    return statistics.median(ordenadas) * 1000, p99 * 1000


@dataclass
class Rajada:
    eventos: int
    por_segundo: float
    mediana_ms: float
    p99_ms: float
    falhas: int
    textos_gravados: int
    textos_enviados: int


def _rajada_corpo(i: int) -> dict[str, object]:
    """Event ``i`` of the burst, all for contractor 0: texts (in WhatsApp's order) and
    receipts for its chamado's sent messages, alternating."""
    if i % 2:
        return _ack(0 if i % 4 == 1 else 1000) | {"update": {"status": 3 + i % 4 // 2}}
    corpo = _texto(0)
    corpo["key"] = {**corpo["key"], "id": f"BURST{i:08d}"}  # type: ignore[dict-item]
    corpo["messageTimestamp"] = 1_795_000_000 + i
    return corpo


async def rajada(settings: Settings, eventos: int, remetentes: int = 8) -> Rajada:
    """``eventos`` webhooks for one chamado from ``remetentes`` concurrent senders over
    real HTTP to a `gmm api` process."""
    porta = free_port()
    ambiente = {**os.environ, **settings.as_env(), "GMM_HOST": "127.0.0.1", "GMM_PORT": str(porta)}
    api = subprocess.Popen(
        [sys.executable, "-m", "gmm.app.cli", "api"],
        env=ambiente,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        await asyncio.to_thread(wait_for_port, porta, api, 60)
        url = f"/webhook/whatsapp?token={TOKEN}"
        fila = iter(range(eventos))
        latencias: list[float] = []
        falhas = 0

        async def remetente(http: httpx.AsyncClient) -> None:
            nonlocal falhas
            for i in fila:
                inicio = time.perf_counter()
                try:
                    resposta = await http.post(url, json=_rajada_corpo(i))
                    ok = resposta.status_code == 200
                except httpx.HTTPError:
                    ok = False
                latencias.append(time.perf_counter() - inicio)
                falhas += not ok

        limites = httpx.Limits(max_connections=remetentes)
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{porta}", limits=limites, timeout=30
        ) as http:
            inicio = time.perf_counter()
            await asyncio.gather(*(remetente(http) for _ in range(remetentes)))
            duracao = time.perf_counter() - inicio
    finally:
        api.terminate()
        api.wait(15)
    assert settings.database_url
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            gravados = await conn.scalar(
                select(func.count()).where(Mensagem.megaapi_id.like("BURST%"))
            )
    finally:
        await engine.dispose()
    mediana, p99 = _figuras(latencias)
    return Rajada(
        eventos, eventos / duracao, mediana, p99, falhas, int(gravados or 0), (eventos + 1) // 2
    )


async def run(
    eventos: int, rajada_eventos: int = 800
) -> tuple[dict[str, tuple[float, float]], Rajada]:
    server_url, redis_url = servidores(redis_db=14)
    name = f"gmm_bench_webhook_{uuid.uuid4().hex[:6]}"
    database_url = await create_database(server_url, name)
    try:
        await asyncio.to_thread(upgrade, database_url)
        settings = settings_da_api(database_url, redis_url, TOKEN)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            async with session_scope(app.state.sessionmaker) as session:
                for i in range(1000):
                    t = Terceirizado(
                        nome=f"T{i}", telefone=_telefone(i), telefone_chave=_telefone(i)
                    )
                    session.add(t)
                    await session.flush()
                    c = Chamado(numero_chamado=f"B-{i:05d}", terceirizado_id=t.id, titulo="Bench")
                    session.add(c)
                    await session.flush()
                    for k in (i, i + 1000):
                        session.add(
                            Mensagem(
                                chamado_id=c.id, direcao=Direcao.outbound,
                                tipo=TipoMensagem.resposta_manual, texto="x",
                                destinatario=t.telefone, status_envio=StatusEnvio.enviado,
                                megaapi_id=f"BENCHOUT{k:08d}",
                            )
                        )  # fmt: skip
            transport = httpx.ASGITransport(app=app)
            url = f"/webhook/whatsapp?token={TOKEN}"
            resultados: dict[str, list[float]] = {"texto recebido": [], "ack": []}
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                for i in range(eventos + 20):
                    # Receipts for ids 0..1999 exist; the rest are parked for later.
                    for nome, corpo in (("texto recebido", _texto(i)), ("ack", _ack(i * 2))):
                        inicio = time.perf_counter()
                        resposta = await http.post(url, json=corpo)
                        decorrido = time.perf_counter() - inicio
                        if resposta.status_code != 200:
                            raise RuntimeError(resposta.text)
                        if i >= 20:
                            resultados[nome].append(decorrido)
        figuras = {nome: _figuras(amostras) for nome, amostras in resultados.items()}
        return figuras, await rajada(settings, rajada_eventos)
    finally:
        await drop_database(server_url, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eventos", type=int, default=1000)
    parser.add_argument("--rajada", type=int, default=800, help="eventos da rajada")
    args = parser.parse_args()
    figuras, r = asyncio.run(run(args.eventos, args.rajada))
    print(f"\n{args.eventos} eventos de cada tipo pelo app ASGI (banco e Redis reais)\n")
    for nome, (mediana, p99) in figuras.items():
        print(f"  POST /webhook/whatsapp ({nome}): mediana {mediana:.2f} ms, p99 {p99:.2f} ms")
    print(f"\nRajada num só chamado: {r.eventos} eventos, 8 remetentes, HTTP real (gmm api)\n")
    print(f"  eventos/s sustentados:  {r.por_segundo:.0f}   (meta ≥ 100)")
    print(f"  mediana, p99:           {r.mediana_ms:.1f} ms, {r.p99_ms:.1f} ms")
    print(f"  falhas:                 {r.falhas}   (meta 0)")
    print(f"  textos gravados:        {r.textos_gravados} de {r.textos_enviados}   (meta: todos)")


if __name__ == "__main__":
    main()
