"""A load generator over real HTTP/1.1, run in a process of its own.

Two models:
- open (``--taxa``): requests start on a fixed schedule whatever the server does, as
  MegaAPI's webhooks do. A request's latency counts from the moment it was due, so a
  server that falls behind shows it in the latency (no coordinated omission).
- closed (``--conexoes``): each connection sends its next request as soon as the
  previous answer is in; the highest rate the server reaches (its ceiling).

Written on bare asyncio streams (keep-alive, pre-built request bytes, the response
read by Content-Length): a client library would spend more CPU per request than the
endpoint being measured, on the same two cores.

Prints one JSON line: {"ok", "erros", "duracao_s", "latencias_ms": [...]}. Used by
benchmarks/webhooks.py; the scenarios build their own bodies.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import Callable, Iterator

from benchmarks import cenarios

TEMPO_LIMITE_S = 30.0
MAX_CONEXOES_ABERTO = 512


class Conexao:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def abrir(cls, host: str, porta: int) -> Conexao:
        reader, writer = await asyncio.open_connection(host, porta)
        return cls(reader, writer)

    async def pedir(self, pedido: bytes) -> int:
        self.writer.write(pedido)
        cabecalho = await self.reader.readuntil(b"\r\n\r\n")
        status = int(cabecalho[9:12])
        tamanho = 0
        for linha in cabecalho.split(b"\r\n"):
            if linha[:15].lower() == b"content-length:":
                tamanho = int(linha[15:])
        if tamanho:
            await self.reader.readexactly(tamanho)
        return status

    def fechar(self) -> None:
        self.writer.close()


def pedido(host: str, caminho: str, corpo: bytes | None) -> bytes:
    if corpo is None:
        return f"GET {caminho} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    return (
        f"POST {caminho} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(corpo)}\r\n\r\n"
    ).encode() + corpo


async def aberto(
    host: str, porta: int, pedidos: Iterator[bytes], taxa: float, duracao: float
) -> dict[str, object]:
    livres: list[Conexao] = []
    abertas = 0
    espera = asyncio.Condition()
    latencias: list[float] = []
    erros = 0

    async def um(devido: float, dados: bytes) -> None:
        nonlocal abertas, erros
        conexao: Conexao | None = None
        try:
            async with espera:
                while not livres and abertas >= MAX_CONEXOES_ABERTO:
                    await espera.wait()
                if livres:
                    conexao = livres.pop()
                else:
                    abertas += 1
            if conexao is None:
                conexao = await Conexao.abrir(host, porta)
            status = await asyncio.wait_for(conexao.pedir(dados), TEMPO_LIMITE_S)
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
            erros += 1
            if conexao is not None:
                conexao.fechar()
            async with espera:
                abertas -= 1
                espera.notify()
            return
        latencias.append(time.perf_counter() - devido)
        erros += status != 200
        async with espera:
            livres.append(conexao)
            espera.notify()

    inicio = time.perf_counter()
    total = int(taxa * duracao)
    tarefas = []
    for k in range(total):
        devido = inicio + k / taxa
        atraso = devido - time.perf_counter()
        if atraso > 0:
            await asyncio.sleep(atraso)
        tarefas.append(asyncio.create_task(um(devido, next(pedidos))))
    await asyncio.gather(*tarefas)
    fim = time.perf_counter()
    for conexao in livres:
        conexao.fechar()
    return _resultado(latencias, erros, max(fim - inicio, duracao))


async def fechado(
    host: str, porta: int, pedidos: Iterator[bytes], conexoes: int, duracao: float
) -> dict[str, object]:
    latencias: list[float] = []
    erros = 0
    inicio = time.perf_counter()
    fim = inicio + duracao

    async def laco() -> None:
        nonlocal erros
        conexao = await Conexao.abrir(host, porta)
        try:
            while time.perf_counter() < fim:
                comeco = time.perf_counter()
                try:
                    status = await asyncio.wait_for(conexao.pedir(next(pedidos)), TEMPO_LIMITE_S)
                except StopIteration:
                    return
                latencias.append(time.perf_counter() - comeco)
                erros += status != 200
        except (OSError, asyncio.IncompleteReadError, TimeoutError, ValueError):
            erros += 1
        finally:
            conexao.fechar()

    await asyncio.gather(*(laco() for _ in range(conexoes)))
    return _resultado(latencias, erros, time.perf_counter() - inicio)


def _resultado(latencias: list[float], erros: int, duracao: float) -> dict[str, object]:
    return {
        "ok": len(latencias),
        "erros": erros,
        "duracao_s": duracao,
        "latencias_ms": [round(x * 1000, 3) for x in latencias],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--porta", type=int, required=True)
    parser.add_argument("--cenario", choices=sorted(cenarios.CENARIOS), required=True)
    parser.add_argument("--token", default="")
    parser.add_argument("--inicio", type=int, default=0, help="primeiro número de evento")
    parser.add_argument("--duracao", type=float, default=5.0)
    modelo = parser.add_mutually_exclusive_group(required=True)
    modelo.add_argument("--taxa", type=float, help="modelo aberto: pedidos por segundo")
    modelo.add_argument("--conexoes", type=int, help="modelo fechado: conexões")
    parser.add_argument("--eventos", type=int, help="no modelo fechado, para após tantos")
    args = parser.parse_args()
    host = "127.0.0.1"
    corpos: Callable[[int], tuple[str, bytes | None]] = cenarios.CENARIOS[args.cenario](args.token)

    def gerar() -> Iterator[bytes]:
        k = args.inicio
        while args.eventos is None or k < args.inicio + args.eventos:
            caminho, corpo = corpos(k)
            yield pedido(host, caminho, corpo)
            k += 1

    try:
        import uvloop

        uvloop.install()
    except ImportError:  # pragma: no cover - uvicorn[standard] brings it
        pass
    if args.taxa is not None:
        resultado = asyncio.run(aberto(host, args.porta, gerar(), args.taxa, args.duracao))
    else:
        duracao = args.duracao if args.eventos is None else 3600.0
        resultado = asyncio.run(fechado(host, args.porta, gerar(), args.conexoes, duracao))
    print(json.dumps(resultado))


if __name__ == "__main__":
    main()
