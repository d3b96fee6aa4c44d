from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import psutil
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.app.models import metadata
from gmm.auth import security
from gmm.auth.models import Papel, Usuario
from gmm.core.config import Settings
from gmm.core.embedded import free_port


def _gmm(
    settings: Settings, tmp_path: Path, *args: str, senha: str
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **settings.as_env(),
        "GMM_DATA_DIR": str(tmp_path),
        "GMM_ADMIN_PASSWORD": senha,
    }
    return subprocess.run(
        [sys.executable, "-m", "gmm.app.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_create_admin_makes_a_working_admin(
    db: AsyncSession, settings: Settings, tmp_path: Path
) -> None:
    ok = _gmm(
        settings, tmp_path, "create-admin", "--email", "Chefe@Example.com", senha="s3nha-forte!"
    )
    assert ok.returncode == 0, ok.stderr
    assert "criado" in ok.stdout and "s3nha-forte!" not in ok.stdout + ok.stderr
    admin = await db.scalar(select(Usuario).where(Usuario.email == "chefe@example.com"))
    assert admin is not None and admin.papel == Papel.admin and admin.ativo
    assert security.verificar_senha("s3nha-forte!", admin.senha_hash)

    again = _gmm(
        settings, tmp_path, "create-admin", "--email", "chefe@example.com", senha="outra-senha"
    )
    assert again.returncode == 1 and "já existe" in again.stderr
    short = _gmm(settings, tmp_path, "create-admin", "--email", "x@example.com", senha="curta")
    assert short.returncode == 1 and "10 caracteres" in short.stderr
    comum = _gmm(settings, tmp_path, "create-admin", "--email", "x@example.com", senha="1234567890")
    assert comum.returncode == 1 and "mais usadas" in comum.stderr
    assert await db.scalar(select(Usuario).where(Usuario.email == "x@example.com")) is None


async def test_production_without_secrets_stops_with_a_clear_message(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GMM_")}
    env.update({"GMM_ENV": "production", "GMM_DATA_DIR": str(tmp_path)})
    result = subprocess.run(
        [sys.executable, "-m", "gmm.app.cli", "api"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "GMM_SECRET_KEY" in result.stderr and "GMM_FERNET_KEY" in result.stderr


def test_the_simulator_starts_with_a_token_that_looks_like_an_option() -> None:
    """`gmm run` draws a random token; one starting with "-" once broke its start."""
    from gmm.core.embedded import start_simulator

    processo, url = start_simulator("-comeca-com-hifen", "inst")
    try:
        r = httpx.get(
            f"{url}/rest/instance/inst",
            headers={"Authorization": "Bearer -comeca-com-hifen"},
            timeout=10,
        )
        assert r.status_code == 200
    finally:
        processo.terminate()
        processo.wait(timeout=10)


def _gmm_run(settings: Settings, tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    """`gmm run` with the simulator (no MegaAPI configured), on a free port."""
    porta = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GMM_MEGAAPI")}
    env.update(
        {
            **{k: v for k, v in settings.as_env().items() if not k.startswith("GMM_MEGAAPI")},
            "GMM_DATA_DIR": str(tmp_path),
            "GMM_PORT": str(porta),
            "GMM_VIGIA_ATIVA": "false",
        }
    )
    processo = subprocess.Popen(
        [sys.executable, "-m", "gmm.app.cli", "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    return processo, porta


async def test_gmm_run_stops_what_it_started_on_sigterm(settings: Settings, tmp_path: Path) -> None:
    """A process manager's SIGTERM must not orphan the worker and the simulator."""
    processo, porta = _gmm_run(settings, tmp_path)
    filhos: list[psutil.Process] = []
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            for _ in range(300):
                with contextlib.suppress(httpx.HTTPError):
                    if (await http.get(f"http://127.0.0.1:{porta}/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.2)
            else:
                raise AssertionError("gmm run não respondeu a tempo")
        filhos = psutil.Process(processo.pid).children(recursive=True)
        comandos = [" ".join(f.cmdline()) for f in filhos]
        assert any("gmm.app.cli worker" in c for c in comandos), comandos
        assert any("gmm.app.cli megaapi-sim" in c for c in comandos), comandos

        processo.send_signal(signal.SIGTERM)
        _, erros = await asyncio.to_thread(processo.communicate, timeout=30)
        assert processo.returncode == 128 + signal.SIGTERM, erros.decode()
        _, vivos = await asyncio.to_thread(psutil.wait_procs, filhos, timeout=15)
        assert vivos == [], [" ".join(p.cmdline()) for p in vivos]
    finally:
        for p in [psutil.Process(processo.pid), *filhos] if processo.poll() is None else filhos:
            with contextlib.suppress(psutil.Error):
                p.kill()


def _filhos(processo: subprocess.Popen[bytes], comando: str) -> list[psutil.Process]:
    vivos = []
    for filho in psutil.Process(processo.pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if comando in " ".join(filho.cmdline()) and filho.status() != psutil.STATUS_ZOMBIE:
                vivos.append(filho)
    return vivos


async def test_gmm_run_restarts_a_child_that_dies(settings: Settings, tmp_path: Path) -> None:
    """A crashed worker or API comes back by itself; a SIGTERM still stops everything."""
    processo, porta = _gmm_run(settings, tmp_path)
    todos: set[psutil.Process] = set()

    async def esperar(condicao: Callable[[], Awaitable[bool]], prazo: float = 120) -> None:
        limite = time.monotonic() + prazo
        while time.monotonic() < limite:
            if await condicao():
                return
            await asyncio.sleep(0.5)
        raise AssertionError("a condição não foi atingida a tempo")

    async def api_no_ar() -> bool:
        async with httpx.AsyncClient(timeout=2) as http:
            with contextlib.suppress(httpx.HTTPError):
                return (await http.get(f"http://127.0.0.1:{porta}/healthz")).status_code == 200
        return False

    try:
        await esperar(api_no_ar)
        for comando in ("gmm.app.cli worker", "gmm.app.cli api"):
            [morto] = _filhos(processo, comando)
            todos.add(morto)
            morto.kill()

            async def outro_no_lugar(comando: str = comando, morto: int = morto.pid) -> bool:
                return [p.pid for p in _filhos(processo, comando) if p.pid != morto] != []

            await esperar(outro_no_lugar)
        await esperar(api_no_ar)
        todos.update(psutil.Process(processo.pid).children(recursive=True))

        processo.send_signal(signal.SIGTERM)
        _, erros = await asyncio.to_thread(processo.communicate, timeout=60)
        assert processo.returncode == 128 + signal.SIGTERM, erros.decode()
        assert "worker terminou" in erros.decode() and "API reiniciado" in erros.decode()
        _, vivos = await asyncio.to_thread(psutil.wait_procs, list(todos), timeout=15)
        assert vivos == [], [" ".join(p.cmdline()) for p in vivos]
    finally:
        if processo.poll() is None:
            todos.update(psutil.Process(processo.pid).children(recursive=True))
            processo.kill()
        for p in todos:
            with contextlib.suppress(psutil.Error):
                p.kill()


def test_a_worker_process_maps_every_table() -> None:
    """`gmm worker` imports no router: every table must still be mapped there, or the
    ORM cannot resolve a foreign key to one only a router brought in (the SLA job's
    bulk UPDATE of chamados failed on chamados.criado_por -> usuarios)."""
    codigo = (
        "import gmm.app.cli, gmm.worker.rodar\n"
        "from gmm.core.db import Base\n"
        "print(len(Base.metadata.sorted_tables))\n"
    )
    feito = subprocess.run(
        [sys.executable, "-c", codigo], capture_output=True, text=True, timeout=120, check=False
    )
    assert feito.returncode == 0, feito.stderr
    assert int(feito.stdout) == len(metadata.tables)
