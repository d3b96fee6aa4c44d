"""Does the API stay responsive while hostile automation rules run?

One contractor with an open chamado sends ``'a' * 30000 + 'b'`` to the MegaAPI
webhook every half second while a prober asks ``GET /healthz`` every few milliseconds, all on
the API's one event loop (the ASGI app in-process, real PostgreSQL and Redis). It
runs twice, with no rules and with 40 rules ``(a+)+$`` (catastrophic backtracking
for a backtracking engine), and prints healthz median and p99 side by side, each
probe timed from when it was due.
Before RE2 and the worker thread, 40 such rules held /healthz up to 2.4 s.

    .venv/bin/python -m benchmarks.regras [--mensagens 20]
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import time
import uuid

import httpx
from sqlalchemy import func, select

from benchmarks.comum import servidores, settings_da_api
from benchmarks.webhooks import _figuras
from gmm.app.main import create_app
from gmm.automacao.models import AcaoRegra, RegraAutomacao, TipoPadrao
from gmm.chamados.models import Chamado
from gmm.conversas.models import Mensagem
from gmm.core.db import create_database, drop_database, session_scope
from gmm.core.migrations import upgrade
from gmm.terceirizados.models import Terceirizado
from gmm.terceirizados.telefone import chave

TOKEN = "bench-webhook"
TELEFONE = "5511976500000"
HOSTIL = r"(a+)+$"
REGRAS = 40
INTERVALO_S = 0.005
PAUSA_S = 0.5


def _mensagem(i: int) -> dict[str, object]:
    return {
        "messageType": "conversation",
        "key": {"remoteJid": f"{TELEFONE}@s.whatsapp.net", "fromMe": False,
                "id": f"BENCHRE{uuid.uuid4().hex[:8]}{i:06d}"},
        "messageTimestamp": 1_795_000_000 + i,
        "message": {"conversation": "a" * 30_000 + "b"},
    }  # fmt: skip


async def _cenario(http: httpx.AsyncClient, mensagens: int) -> tuple[float, float]:
    """healthz (median, p99) in ms while ``mensagens`` hostile texts go through."""
    latencias: list[float] = []
    acabou = asyncio.Event()

    async def sondar(previsto: float) -> None:
        (await http.get("/healthz")).raise_for_status()
        latencias.append(time.perf_counter() - previsto)

    async def agendar() -> None:
        # One probe due every INTERVALO_S, each timed from when it was due and sent as
        # its own task: a blocked loop delays them all, and a client asking on schedule
        # waits through the whole block (no coordinated omission), yet the overdue
        # ones go out together afterwards rather than queueing behind each other.
        inicio = time.perf_counter()
        sondas: list[asyncio.Task[None]] = []
        for k in itertools.count():
            if acabou.is_set():
                break
            previsto = inicio + k * INTERVALO_S
            await asyncio.sleep(max(0.0, previsto - time.perf_counter()))
            sondas.append(asyncio.create_task(sondar(previsto)))
        await asyncio.gather(*sondas)

    sonda = asyncio.create_task(agendar())
    try:
        for i in range(mensagens):
            resposta = await http.post(f"/webhook/whatsapp?token={TOKEN}", json=_mensagem(i))
            if resposta.status_code != 200:
                raise RuntimeError(resposta.text)
            # A contractor's pace, not a flood: the figure is what one message costs
            # everyone else, not a backlog of them.
            await asyncio.sleep(PAUSA_S)
    finally:
        acabou.set()
        await sonda
    return _figuras(latencias)


async def run(mensagens: int) -> dict[str, tuple[float, float]]:
    server_url, redis_url = servidores(redis_db=14)
    name = f"gmm_bench_regras_{uuid.uuid4().hex[:6]}"
    database_url = await create_database(server_url, name)
    try:
        await asyncio.to_thread(upgrade, database_url)
        settings = settings_da_api(database_url, redis_url, TOKEN)
        app = create_app(settings)
        figuras: dict[str, tuple[float, float]] = {}
        async with app.router.lifespan_context(app):
            async with session_scope(app.state.sessionmaker) as session:
                t = Terceirizado(nome="T", telefone=TELEFONE, telefone_chave=chave(TELEFONE))
                session.add(t)
                await session.flush()
                session.add(Chamado(numero_chamado="B-RE-1", terceirizado_id=t.id, titulo="Bench"))
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:
                figuras["sem regras"] = await _cenario(http, mensagens)
                async with session_scope(app.state.sessionmaker) as session:
                    for i in range(REGRAS):
                        session.add(
                            RegraAutomacao(
                                nome=f"hostil {i}", tipo_padrao=TipoPadrao.regex,
                                padrao=HOSTIL, acao=AcaoRegra.notificar, parametro="",
                                ordem=i, ativa=True,
                            )
                        )  # fmt: skip
                figuras[f"{REGRAS} regras {HOSTIL}"] = await _cenario(http, mensagens)
            async with session_scope(app.state.sessionmaker) as session:
                no_chamado = await session.scalar(
                    select(func.count())
                    .select_from(Mensagem)
                    .where(Mensagem.chamado_id.is_not(None))
                )
            # Only a text on an open chamado runs the rules: make sure these did.
            if no_chamado != 2 * mensagens:
                raise RuntimeError(f"{no_chamado} de {2 * mensagens} mensagens no chamado")
        return figuras
    finally:
        await drop_database(server_url, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mensagens", type=int, default=20)
    args = parser.parse_args()
    figuras = asyncio.run(run(args.mensagens))
    print(f"\nGET /healthz enquanto {args.mensagens} textos 'a'*30000+'b' chegam pelo webhook\n")
    print(f"  {'cenário':<28} {'mediana':>10} {'p99':>10}")
    for nome, (mediana, p99) in figuras.items():
        print(f"  {nome:<28} {mediana:>7.2f} ms {p99:>7.2f} ms")


if __name__ == "__main__":
    main()
