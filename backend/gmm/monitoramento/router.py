from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gmm.auth import service as auth
from gmm.auth.deps import CurrentUser
from gmm.core import metricas as prometheus
from gmm.core import registro
from gmm.core.deps import RedisDep, SessionDep, SettingsDep
from gmm.core.errors import Unauthorized
from gmm.core.pagination import Page
from gmm.core.params import CursorQuery, LimitQuery
from gmm.core.respostas import errors
from gmm.envio.breaker import CircuitBreaker
from gmm.monitoramento import alertas as incidentes
from gmm.monitoramento import medidas, painel
from gmm.monitoramento.schemas import AlertaOut, MetricasOut

router = APIRouter(tags=["monitoramento"])

_scraper = HTTPBearer(
    auto_error=False,
    scheme_name="MetricsToken",
    description="GMM_METRICS_TOKEN (configure-o no Prometheus como bearer_token) ou o "
    "token de um usuário ativo",
)


@router.get(
    "/api/monitoramento/whatsapp",
    operation_id="metricas_whatsapp",
    summary="Painel de operação do WhatsApp",
    responses=errors(401),
)
async def metricas(
    session: SessionDep, redis: RedisDep, settings: SettingsDep, _: CurrentUser
) -> MetricasOut:
    """O painel de operação: circuit breaker, limite de envio, fila, falhas da última
    hora, volume das últimas 24 h, tempos de entrega e leitura, webhooks, conexão,
    workers, chamados afetados e alertas abertos. Recalculado no máximo a cada 2 s,
    pode ser consultado a cada 5 s por muitos operadores."""
    return await painel.metricas(session, redis, settings)


@router.get(
    "/api/monitoramento/alertas",
    operation_id="listar_alertas",
    summary="Listar alertas",
    responses=errors(401, 422),
)
async def alertas(
    session: SessionDep,
    _: CurrentUser,
    abertos: Annotated[bool, Query(description="Só os incidentes em aberto")] = False,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
) -> Page[AlertaOut]:
    """Incidentes do monitoramento, do mais recente ao mais antigo. Abrem e fecham
    sozinhos; o histórico fica."""
    return await incidentes.listar(session, abertos_apenas=abertos, limit=limit, cursor=cursor)


@router.get(
    "/metrics",
    operation_id="metricas_prometheus",
    summary="Métricas para o Prometheus",
    response_class=Response,
    responses={
        200: {"content": {"text/plain": {}}, "description": "Formato de exposição do Prometheus"},
        **errors(401),
    },
)
async def metrics(
    session: SessionDep,
    redis: RedisDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_scraper)],
) -> Response:
    """Métricas para o Prometheus: envios por resultado, latência da MegaAPI, estado do
    breaker, fila, webhooks e requisições HTTP, somadas de todos os processos."""
    if credentials is None:
        raise Unauthorized("token ausente: envie Authorization: Bearer <GMM_METRICS_TOKEN>")
    token = credentials.credentials
    esperado = settings.metrics_token.get_secret_value() if settings.metrics_token else None
    if not (esperado and hmac.compare_digest(token.encode(), esperado.encode())):
        # Not the scrape token: it must then be the token of an active user's session.
        await auth.usuario_do_token(session, settings, token)
    breaker = await CircuitBreaker.do_produto(redis, settings).snapshot()
    na_fila = await medidas.fila(redis)
    workers = await registro.workers(redis)
    corpo = prometheus.exposicao(
        prometheus.Estado(
            breaker.status, na_fila.prontos, na_fila.adiados, na_fila.transcricoes, workers.vivos
        )
    )
    return Response(corpo, media_type="text/plain; version=0.0.4; charset=utf-8")
