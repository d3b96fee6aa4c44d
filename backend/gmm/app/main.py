"""The ASGI application: routers, error handlers and the SPA's files."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from arq import create_pool
from arq.connections import RedisSettings
from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse
from redis.asyncio import Redis
from servestatic import ServeStaticASGI

from gmm.app.idempotencia import Idempotencia
from gmm.app.openapi_docs import instalar as instalar_documentacao
from gmm.auth.router import router as auth_router
from gmm.auth.router import usuarios_router
from gmm.auth.sessoes import VigiaDeSessoes
from gmm.automacao.router import router as automacao_router
from gmm.chamados.envios import router as envios_router
from gmm.chamados.mover import router as mover_router
from gmm.chamados.router import router as chamados_router
from gmm.conversas.router import mensagens_router, terceirizado_conversas_router
from gmm.conversas.router import router as conversas_router
from gmm.core.cabecalhos import CabecalhosSeguranca
from gmm.core.config import ConfigError, Settings, get_settings
from gmm.core.db import create_engine, create_sessionmaker
from gmm.core.errors import BordaDeErros, NotFound, install_handlers
from gmm.core.eventos import Difusor
from gmm.core.metricas_http import MetricasHTTP
from gmm.core.params import recusar_texto_invalido
from gmm.desempenho.router import router as desempenho_router
from gmm.envio.router import router as envio_router
from gmm.eventos.router import router as eventos_router
from gmm.health.router import router as health_router
from gmm.midia.router import router as midia_router
from gmm.monitoramento import tasks as monitoramento_tasks
from gmm.monitoramento.router import router as monitoramento_router
from gmm.prestador.router import router as prestador_router
from gmm.recebimento.confirmacoes import Confirmacoes
from gmm.recebimento.router import router as recebimento_router
from gmm.relatorios.router import desempenho_router as desempenho_exportar_router
from gmm.relatorios.router import router as relatorios_router
from gmm.respostas_rapidas.router import router as respostas_rapidas_router
from gmm.sla.router import router as sla_router
from gmm.terceirizados.router import router as terceirizados_router

API_DESCRIPTION = """\
API da Central de Mensagens do GMM (Gestão Moderna de Manutenção): chamados com
terceirizados conduzidos pelo WhatsApp (MegaAPI).

Autenticação: `POST /api/auth/login` devolve um token; envie-o em
`Authorization: Bearer <token>`. Erros respondem `{"error": "...", "detail": ...}`.
Listas respondem `{"items": [...], "next_cursor": "..."}`: passe `cursor` para a próxima página.
Cada operação diz quem pode chamá-la em `x-papel`: `admin`, `operador` (qualquer usuário,
operador ou admin) ou `publico` (sem usuário; o segredo dela, quando há, está em `security`).

Integradores podem mandar `Idempotency-Key: <até 200 caracteres>` em qualquer POST
autenticado: o mesmo pedido repetido com a mesma chave (por 24 h) devolve a primeira
resposta, com `Idempotent-Replayed: true`, sem criar nada de novo. As chaves são de
cada usuário (o do token, conferido antes de tudo). Só respostas de sucesso são
lembradas, e nunca as que trazem um segredo (`/api/auth/*`, o link do prestador):
essas rodam de novo. A mesma chave com outro conteúdo responde 422, e enquanto o
primeiro pedido ainda está em andamento, 409.
"""


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.ensure_secrets()
    if not settings.database_url or not settings.redis_url:
        raise ConfigError(
            "GMM_DATABASE_URL e GMM_REDIS_URL são necessários para a API "
            "(`gmm run` inicia servidores embutidos quando não estão definidos)"
        )
    database_url, redis_url = settings.database_url, settings.redis_url

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.engine = create_engine(
            database_url,
            pool_size=settings.db_pool_size,
            max_overflow=0,
            pool_timeout=settings.db_pool_timeout_seconds,
        )
        app.state.redis = Redis.from_url(redis_url, decode_responses=True)
        # The one reader of the event stream for all of this process's SSE clients.
        app.state.difusor = Difusor(redis_url)
        app.state.sessionmaker = create_sessionmaker(app.state.engine, app.state.redis)
        app.state.sessoes = VigiaDeSessoes(app.state.sessionmaker)
        app.state.confirmacoes = Confirmacoes(app.state.sessionmaker, app.state.redis)
        app.state.arq = await create_pool(RedisSettings.from_dsn(redis_url))
        vigia = None
        if settings.vigia_ativa:
            vigia = asyncio.create_task(
                monitoramento_tasks.vigia(
                    app.state.sessionmaker, app.state.redis, app.state.arq, settings
                )
            )
        try:
            yield
        finally:
            if vigia is not None:
                vigia.cancel()
                with suppress(asyncio.CancelledError):
                    await vigia
            await app.state.confirmacoes.fechar()
            await app.state.difusor.fechar()
            await app.state.arq.aclose()
            await app.state.redis.aclose()
            await app.state.engine.dispose()

    app = FastAPI(
        title="GMM Central de Mensagens",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url="/docs" if settings.docs_visiveis else None,
        redoc_url="/redoc" if settings.docs_visiveis else None,
        openapi_url="/openapi.json" if settings.docs_visiveis else None,
        # NUL and lone surrogates in any parameter or body: a 422, never a driver error.
        dependencies=[Depends(recusar_texto_invalido)],
    )
    app.state.settings = settings
    install_handlers(app)
    app.add_middleware(Idempotencia)
    # Around Idempotencia (which talks to Redis) and everything inside it, so an
    # outage anywhere is a 503; inside MetricasHTTP, so the 503 is counted and
    # carries the request id.
    app.add_middleware(BordaDeErros)
    # Added last, so it runs first: the request id and timing cover everything.
    app.add_middleware(MetricasHTTP)
    # Outermost: every answer (SPA files, 404s, 503s, the metrics' own) gets them.
    app.add_middleware(CabecalhosSeguranca, hsts=settings.env == "production")
    for router in (
        health_router,
        # Routes are matched in order: MegaAPI's webhooks, the busiest by far, first.
        recebimento_router,
        auth_router,
        usuarios_router,
        terceirizados_router,
        # Before chamados: /api/chamados/exportar must not be read as a {chamado_id}.
        relatorios_router,
        desempenho_exportar_router,
        chamados_router,
        automacao_router,
        conversas_router,
        mensagens_router,
        mover_router,
        terceirizado_conversas_router,
        eventos_router,
        envios_router,
        envio_router,
        midia_router,
        prestador_router,
        respostas_rapidas_router,
        sla_router,
        desempenho_router,
        monitoramento_router,
    ):
        app.include_router(router)
    _mount_spa(app, settings.frontend_dist)
    # /openapi.json and /docs show the same examples and webhooks as openapi.yaml.
    instalar_documentacao(app)
    return app


def _mount_spa(app: FastAPI, dist: Path) -> None:
    """Serve the built SPA at ``/``; client-side routes fall back to index.html."""
    index = dist / "index.html"
    if not index.is_file():
        return
    if (dist / "assets").is_dir():
        # Vite names every asset after its content, so each is cached for a year and
        # never asked again; the .br/.gz copies made at build are answered to a browser
        # that accepts them (Content-Encoding, Vary), nothing is compressed per request.
        estaticos = ServeStaticASGI(
            None,
            root=dist / "assets",
            prefix="assets",
            immutable_file_test=lambda _caminho, _url: True,
            allow_all_origins=False,
        )
        app.mount("/assets", estaticos, name="assets")
    root = dist.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str) -> FileResponse:
        # The docs' paths too: switched off, they are a 404, not the SPA.
        if path.startswith(("api/", "webhook/")) or path in ("docs", "redoc", "openapi.json"):
            raise NotFound(f"rota /{path} não existe")
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        # Always revalidated: it names the assets of the current build.
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
