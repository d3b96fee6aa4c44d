"""`gmm worker` rides out Redis and PostgreSQL outages: real servers, really killed.

Throwaway servers of our own (the machine's are shared with other test runs), a real
worker process, the API in-process and the MegaAPI simulator. Redis dies for 15 s,
then PostgreSQL, while operators send and contractors answer; afterwards every
message is delivered once, every answer stored once, and nobody restarted the worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.app.main import create_app
from gmm.chamados.models import StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from gmm.core.config import Settings
from gmm.core.db import create_engine, create_sessionmaker
from gmm.core.embedded import free_port, wait_for_port
from gmm.core.migrations import upgrade
from tests import factories as f
from tests.entrega import SIM_INSTANCE, SIM_TOKEN, Simulador
from tests.servidor import servir

PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)
QUEDA_S = 15.0
PRAZO_S = 120.0

pytestmark = pytest.mark.skipif(
    PG_BIN is None or shutil.which("redis-server") is None,
    reason="precisa dos binários do PostgreSQL e do redis-server",
)


async def _ate(condicao: Callable[[], Awaitable[bool]], prazo: float = PRAZO_S) -> None:
    """Wait on a condition (a generous deadline: the machine may be loaded)."""
    limite = time.monotonic() + prazo
    while time.monotonic() < limite:
        with contextlib.suppress(Exception):
            if await condicao():
                return
        await asyncio.sleep(0.5)
    raise AssertionError("a condição não foi atingida a tempo")


class Servidor:
    """A server process we may kill and start again on the same port and data."""

    def __init__(self, pasta: Path) -> None:
        self.pasta = pasta
        self.porta = free_port()
        self.processo: subprocess.Popen[bytes] | None = None

    def comando(self) -> list[str]:
        raise NotImplementedError

    def usuario(self) -> str | None:
        return None

    def iniciar(self) -> None:
        log = (self.pasta / "servidor.log").open("ab")
        self.processo = subprocess.Popen(
            self.comando(), stdout=log, stderr=log, user=self.usuario()
        )
        wait_for_port(self.porta, self.processo, timeout=60)

    def derrubar(self, sinal: signal.Signals) -> None:
        assert self.processo is not None
        self.processo.send_signal(sinal)
        self.processo.wait(30)

    def encerrar(self) -> None:
        if self.processo is not None and self.processo.poll() is None:
            self.processo.kill()
            self.processo.wait(30)


class RedisDescartavel(Servidor):
    def comando(self) -> list[str]:
        # Append-only as in docker-compose.yml: queued jobs outlive a crash.
        return [
            "redis-server", "--bind", "127.0.0.1", "--port", str(self.porta),
            "--dir", str(self.pasta), "--appendonly", "yes", "--save", "",
        ]  # fmt: skip

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.porta}/0"


class PostgresDescartavel(Servidor):
    def __init__(self, pasta: Path) -> None:
        super().__init__(pasta)
        assert PG_BIN is not None
        self.dados = pasta / "dados"
        # PostgreSQL refuses to run as root.
        self._usuario = "postgres" if os.geteuid() == 0 else None
        if self._usuario is not None:
            entrada = pwd.getpwnam(self._usuario)
            os.chown(pasta, entrada.pw_uid, entrada.pw_gid)
        subprocess.run(
            [str(PG_BIN / "initdb"), "-D", str(self.dados), "-U", "postgres",
             "--auth=trust", "-E", "UTF8"],
            check=True, capture_output=True, user=self._usuario,
        )  # fmt: skip

    def usuario(self) -> str | None:
        return self._usuario

    def comando(self) -> list[str]:
        assert PG_BIN is not None
        return [
            str(PG_BIN / "postgres"), "-D", str(self.dados), "-p", str(self.porta),
            "-k", str(self.pasta), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
        ]  # fmt: skip

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.porta}/postgres"


@pytest.fixture
def pasta_temporaria() -> Iterator[Path]:
    # Not pytest's tmp_path: its parents are root-only, and PostgreSQL runs as postgres.
    pasta = Path(tempfile.mkdtemp(prefix="gmm-quedas-"))
    pasta.chmod(0o755)
    try:
        yield pasta
    finally:
        shutil.rmtree(pasta, ignore_errors=True)


@pytest.fixture
def servidores(pasta_temporaria: Path) -> Iterator[tuple[RedisDescartavel, PostgresDescartavel]]:
    (pasta_temporaria / "redis").mkdir()
    (pasta_temporaria / "pg").mkdir()
    redis = RedisDescartavel(pasta_temporaria / "redis")
    postgres = PostgresDescartavel(pasta_temporaria / "pg")
    try:
        redis.iniciar()
        postgres.iniciar()
        yield redis, postgres
    finally:
        redis.encerrar()
        postgres.encerrar()


@contextlib.asynccontextmanager
async def _worker(settings: Settings, log: Path) -> AsyncIterator[subprocess.Popen[bytes]]:
    with log.open("wb") as saida:
        processo = subprocess.Popen(
            [sys.executable, "-m", "gmm.app.cli", "worker"],
            env={**os.environ, **settings.as_env()},
            stdout=saida,
            stderr=saida,
        )
    try:
        yield processo
    finally:
        if processo.poll() is None:
            processo.terminate()
        try:
            await asyncio.to_thread(processo.wait, 30)
        except subprocess.TimeoutExpired:
            processo.kill()


async def test_worker_outlives_redis_and_postgres_outages(
    entrega_settings: Settings,
    simulador: Simulador,
    servidores: tuple[RedisDescartavel, PostgresDescartavel],
    pasta_temporaria: Path,
) -> None:
    redis, postgres = servidores
    await asyncio.to_thread(upgrade, postgres.url)
    settings = entrega_settings.model_copy(
        update={
            "database_url": postgres.url,
            "redis_url": redis.url,
            "rate_limit_per_minute": 240,
            "envio_job_timeout_seconds": 10,
            "megaapi_timeout_seconds": 5.0,
            # Sends whose job Redis lost in the crash are queued again soon.
            "varredura_idade_seconds": 10,
        }
    )
    engine = create_engine(postgres.url)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as db:
        operador = await f.usuario(db)
        contratados = [await f.terceirizado(db) for _ in range(3)]
        chamados = [
            (await f.chamado(db, t, status=StatusChamado.em_andamento)).id for t in contratados
        ]
        telefones = [t.telefone for t in contratados]
    headers = f.headers(operador, settings)

    with servir(create_app(settings)) as api_url:
        webhook = f"{api_url}/webhook/whatsapp?token={settings.secret('webhook_token')}"
        configurado = await simulador.http.post(
            f"/rest/webhook/{SIM_INSTANCE}/configWebhook",
            json={"messageData": {"webhookUrl": webhook, "webhookEnabled": True}},
            headers={"Authorization": f"Bearer {SIM_TOKEN}"},
        )
        configurado.raise_for_status()
        log_worker = pasta_temporaria / "worker.log"
        async with (
            _worker(settings, log_worker) as worker,
            httpx.AsyncClient(base_url=api_url, headers=headers, timeout=15) as api,
            httpx.AsyncClient(timeout=15) as http,
        ):
            aceitas: list[str] = []
            respostas: list[str] = []
            fim = asyncio.Event()

            async def operadores() -> None:
                """An operator writing to three contractors, on and on."""
                for n in itertools.count():
                    if fim.is_set():
                        return
                    texto = f"Mensagem de teste [{n:03d}]"
                    with contextlib.suppress(httpx.HTTPError):
                        r = await api.post(
                            f"/api/chamados/{chamados[n % 3]}/responder",
                            json={"mensagem": texto},
                        )
                        if r.status_code == 201:
                            aceitas.append(texto)
                    await asyncio.sleep(0.5)

            async def contratados_respondem() -> None:
                """Contractors answering; the gateway posts each one until we take it,
                the same event each time (as MegaAPI retries a webhook)."""
                for n in itertools.count():
                    if fim.is_set():
                        return
                    texto = f"Resposta [{n:03d}]"
                    evento = await simulador.http.post(
                        "/_sim/inbound",
                        json={"type": "text", "from": telefones[n % 3], "text": texto},
                    )
                    corpo = evento.json()
                    while corpo["status"] != 200:
                        await asyncio.sleep(1)
                        with contextlib.suppress(httpx.HTTPError):
                            r = await http.post(webhook, json=corpo["payload"])
                            corpo["status"] = r.status_code
                    respostas.append(texto)
                    await asyncio.sleep(1)

            async def enviadas() -> int:
                return sum(1 for e in await simulador.envios() if e["status"] == 200)

            tarefas = [
                asyncio.create_task(operadores()),
                asyncio.create_task(contratados_respondem()),
            ]
            try:
                # Traffic flows before anything breaks.
                await _ate(lambda: _maior(enviadas, 5))
                redis.derrubar(signal.SIGKILL)
                await asyncio.sleep(QUEDA_S)
                redis.iniciar()
                antes = await enviadas()
                await _ate(lambda: _maior(enviadas, antes + 5))

                # Immediate shutdown: every backend dies on the spot, as in a crash.
                postgres.derrubar(signal.SIGQUIT)
                await asyncio.sleep(QUEDA_S)
                postgres.iniciar()
                antes = await enviadas()
                await _ate(lambda: _maior(enviadas, antes + 5))
            finally:
                fim.set()
                await asyncio.gather(*tarefas)

            async with sessionmaker() as db:

                async def tudo_enviado() -> bool:
                    db.expire_all()
                    pendentes = await db.scalar(
                        select(func.count())
                        .select_from(Mensagem)
                        .where(
                            Mensagem.direcao == Direcao.outbound,
                            Mensagem.status_envio.in_(
                                (StatusEnvio.pendente, StatusEnvio.enfileirado)
                            ),
                        )
                    )
                    return pendentes == 0

                await _ate(tudo_enviado)
                # Whatever answered: the same process all along.
                assert worker.poll() is None, log_worker.read_text()
                await _conferir(db, simulador, aceitas, respostas)
    await engine.dispose()

    saida = log_worker.read_text()
    # One line when each server goes and one when it is back, not one per poll.
    assert 1 <= saida.count("Redis indisponível") <= 3, saida
    assert 1 <= saida.count("banco de dados indisponível") <= 3, saida
    assert saida.count("respondeu de novo") <= 6, saida
    assert saida.count("Traceback") <= 2, saida


async def _maior(contar: Callable[[], Awaitable[int]], minimo: int) -> bool:
    return await contar() >= minimo


async def _conferir(
    db: AsyncSession, simulador: Simulador, aceitas: list[str], respostas: list[str]
) -> None:
    saidas = list(await db.scalars(select(Mensagem).where(Mensagem.direcao == Direcao.outbound)))
    assert all(m.status_envio not in (StatusEnvio.falhou,) for m in saidas), [
        (m.texto, m.erro) for m in saidas if m.status_envio == StatusEnvio.falhou
    ]
    envios: Counter[str] = Counter(
        e["json"]["messageData"]["text"] for e in await simulador.envios() if e["status"] == 200
    )
    guardadas = {m.texto for m in saidas}
    # Every message the API accepted was stored, and every stored one reached the
    # gateway exactly once (also those whose answer the outage cut off).
    assert set(aceitas) <= guardadas
    assert len(aceitas) >= 20, aceitas
    duplicadas = {t: n for t, n in envios.items() if n > 1}
    assert not duplicadas, duplicadas
    assert {t for t in guardadas if t} == set(envios), guardadas ^ set(envios)
    recebidas = Counter(
        m.texto
        for m in await db.scalars(select(Mensagem).where(Mensagem.direcao == Direcao.inbound))
    )
    assert set(respostas) <= set(recebidas)
    assert all(n == 1 for n in recebidas.values()), recebidas
