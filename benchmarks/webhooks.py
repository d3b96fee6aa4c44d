"""How fast the MegaAPI webhook answers: inbound texts and receipts, through the ASGI app.

Seeds 1,000 contractors with an open chamado each and 2,000 sent messages, then
posts N inbound texts (each matched to its contractor's chamado) and N receipts
(half for ids not stored yet, which are parked), printing median and p99 of each.
Goal: a few milliseconds — slow work (media downloads) is left to jobs.

    .venv/bin/python -m benchmarks.webhooks [--eventos 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from pathlib import Path

import httpx
from pydantic import SecretStr

from benchmarks.comum import servidores
from gmm.chamados.models import Chamado
from gmm.config import Settings
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.db import create_database, drop_database, session_scope
from gmm.main import create_app
from gmm.migrations import upgrade
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


async def run(eventos: int) -> dict[str, tuple[float, float]]:
    server_url, redis_url = servidores(redis_db=14)
    name = f"gmm_bench_webhook_{uuid.uuid4().hex[:6]}"
    database_url = await create_database(server_url, name)
    try:
        await asyncio.to_thread(upgrade, database_url)
        settings = Settings(
            _env_file=None,
            database_url=database_url,
            redis_url=redis_url,
            secret_key=SecretStr("bench-" + "x" * 40),
            fernet_key=SecretStr("Gmj9Bd3iJZ1Oi8T6nB6Fj9m4yTCP8QGXuVFiu3g0a0U="),
            webhook_token=SecretStr(TOKEN),
            frontend_dist=Path("/nonexistent"),
            vigia_ativa=False,
        )
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
        return {nome: _figuras(amostras) for nome, amostras in resultados.items()}
    finally:
        await drop_database(server_url, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eventos", type=int, default=1000)
    args = parser.parse_args()
    figuras = asyncio.run(run(args.eventos))
    print(f"\n{args.eventos} eventos de cada tipo pelo app ASGI (banco e Redis reais)\n")
    for nome, (mediana, p99) in figuras.items():
        print(f"  POST /webhook/whatsapp ({nome}): mediana {mediana:.2f} ms, p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
