"""Incidents open and close by themselves; breaker incidents that last are mailed once."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
from fastapi import FastAPI
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.conversas.models import Direcao, StatusEnvio
from gmm.core import registro
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.envio.breaker import CircuitBreaker
from gmm.envio.fila import Fila
from gmm.megaapi.cliente import MegaAPITransientError
from gmm.monitoramento import alertas, painel
from gmm.monitoramento.models import Alerta, TipoAlerta
from tests import factories as f
from tests.automacao.conftest import eventos
from tests.smtp import Caixa


async def _vigiar(db: AsyncSession, redis: Redis, settings: Settings) -> dict[TipoAlerta, Alerta]:
    maker = async_sessionmaker(db.bind, expire_on_commit=False)
    await alertas.vigiar(maker, redis, settings)
    db.expire_all()
    return {a.tipo: a for a in await alertas.abertos(db)}


async def _abrir_breaker(redis: Redis, settings: Settings) -> CircuitBreaker:
    breaker = CircuitBreaker.do_produto(redis, settings)
    for _ in range(settings.breaker_failure_threshold):
        await breaker.record_failure(await breaker.acquire())
    return breaker


async def test_breaker_incident_opens_once_closes_and_stays_in_history(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    await registro.batimento(redis, "w")
    assert await _vigiar(db, redis, settings) == {}
    breaker = await _abrir_breaker(redis, settings)
    await redis.set(painel.CACHE, "{}")  # the panel as some operator last saw it
    abertos = await _vigiar(db, redis, settings)
    assert set(abertos) == {TipoAlerta.breaker_aberto}
    # The alert event's refetch gets fresh figures, not the cached ones.
    assert await redis.get(painel.CACHE) is None
    assert "circuit breaker" in abertos[TipoAlerta.breaker_aberto].mensagem
    # Still failing: the same incident, not a new one.
    assert set(await _vigiar(db, redis, settings)) == {TipoAlerta.breaker_aberto}
    await breaker.reset()
    assert await _vigiar(db, redis, settings) == {}

    [alerta] = list(await db.scalars(select(Alerta)))
    assert alerta.fechado_em is not None and alerta.motivo_fechamento == "condição normalizada"
    avisos = await eventos(redis, "alerta")
    assert [(a["tipo"], a["aberto"]) for a in avisos] == [
        ("breaker_aberto", True),
        ("breaker_aberto", False),
    ]
    h = f.headers(await f.usuario(db), settings)
    historico = (await client.get("/api/monitoramento/alertas", headers=h)).json()["items"]
    assert [a["tipo"] for a in historico] == ["breaker_aberto"]
    em_aberto = await client.get("/api/monitoramento/alertas?abertos=true", headers=h)
    assert em_aberto.json()["items"] == []
    assert (await client.get("/api/monitoramento/alertas")).status_code == 401


async def test_queue_warning_and_full_queue_refusing_chamados(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, app: FastAPI
) -> None:
    await registro.batimento(redis, "w")
    config = settings.model_copy(update={"alerta_fila_aviso": 2, "fila_maxima": 4})
    fila = Fila(app.state.arq)
    for i in range(3):
        await fila.enfileirar(500 + i)
    assert set(await _vigiar(db, redis, config)) == {TipoAlerta.fila_alta}
    await fila.enfileirar(600)
    abertos = await _vigiar(db, redis, config)
    assert set(abertos) == {TipoAlerta.fila_alta, TipoAlerta.fila_cheia}
    assert "recusados" in abertos[TipoAlerta.fila_cheia].mensagem

    # The same limit refuses new chamados (the API's own check).
    original = app.state.settings
    app.state.settings = config
    try:
        user = await f.usuario(db)
        t = await f.terceirizado(db)
        r = await client.post(
            "/api/chamados",
            json={"terceirizado_id": t.id, "titulo": "Lâmpada queimada"},
            headers=f.headers(user, settings),
        )
        assert r.status_code == 503 and r.json()["error"] == "fila_cheia"
    finally:
        app.state.settings = original

    await app.state.arq.delete("gmm:fila:envios")
    assert await _vigiar(db, redis, config) == {}


async def test_failure_rate_over_the_limit_with_enough_sends(
    db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    await registro.batimento(redis, "w")
    for _ in range(18):
        await registro.registrar_envio(redis)
    await registro.registrar_envio(redis, MegaAPITransientError("erro", 502).categoria)
    # 1 in 19: 5 %, but fewer sends than the minimum sample: no alert yet.
    assert await _vigiar(db, redis, settings) == {}
    await registro.registrar_envio(redis)
    alerta = (await _vigiar(db, redis, settings))[TipoAlerta.taxa_falhas]
    assert alerta.dados == {"taxa": 0.05, "falhas": 1, "por_motivo": {"http_5xx": 1}}
    for _ in range(40):
        await registro.registrar_envio(redis)
    assert await _vigiar(db, redis, settings) == {}  # 1 in 60: under 2 %


async def test_silent_webhooks_while_sending(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    await registro.batimento(redis, "w")
    segundos, _ = await redis.time()
    # Sends three minutes ago, and no webhook since.
    await redis.hincrby(f"{registro.ENVIOS}{int(segundos) // 60 - 3}", "enviado", 5)  # type: ignore[misc]
    assert set(await _vigiar(db, redis, settings)) == {TipoAlerta.webhooks_ausentes}
    ack = {
        "messageType": "message.ack",
        "key": {"id": "X", "fromMe": True, "remoteJid": "5511987654321@s.whatsapp.net"},
        "update": {"status": 3},
    }
    r = await client.post(f"/webhook/whatsapp?token={settings.secret('webhook_token')}", json=ack)
    assert r.status_code == 200
    assert await _vigiar(db, redis, settings) == {}


async def test_no_worker_heartbeat(db: AsyncSession, settings: Settings, redis: Redis) -> None:
    abertos = await _vigiar(db, redis, settings)
    assert set(abertos) == {TipoAlerta.worker_ausente}
    await registro.batimento(redis, "w")
    assert await _vigiar(db, redis, settings) == {}


async def test_many_contractors_stuck_at_one_tick_is_an_instance_alert(
    db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    await registro.batimento(redis, "w")
    t = await f.terceirizado(db)
    presas = []
    for _ in range(settings.alerta_sem_entrega_chamados):
        c = await f.chamado(db, t)
        m = await f.mensagem(db, c, direcao=Direcao.outbound, status=StatusEnvio.enviado)
        m.enviado_em = utcnow() - timedelta(minutes=settings.alerta_sem_entrega_minutos + 5)
        presas.append(m)
    # One just sent is on its way, not stuck.
    recente = await f.mensagem(db, c, direcao=Direcao.outbound, status=StatusEnvio.enviado)
    recente.enviado_em = utcnow()
    presas[0].status_envio = StatusEnvio.entregue  # one arrived: one chamado short
    await db.commit()
    assert await _vigiar(db, redis, settings) == {}

    presas[0].status_envio = StatusEnvio.enviado
    await db.commit()
    alerta = (await _vigiar(db, redis, settings))[TipoAlerta.sem_entrega]
    assert alerta.dados == {"chamados": settings.alerta_sem_entrega_chamados}
    for m in presas:
        m.status_envio = StatusEnvio.entregue
    await db.commit()
    assert await _vigiar(db, redis, settings) == {}


async def test_breaker_open_for_long_is_mailed_once_and_its_recovery_once(
    db: AsyncSession, settings: Settings, redis: Redis, smtp: tuple[Caixa, int]
) -> None:
    caixa, porta = smtp
    config = settings.model_copy(
        update={
            "smtp_url": SecretStr(f"smtp://alertas:s3nh4@127.0.0.1:{porta}"),
            "alert_email": "ops@example.com",
            "alerta_breaker_email_minutos": 5,
        }
    )
    await registro.batimento(redis, "w")
    breaker = await _abrir_breaker(redis, config)
    await _vigiar(db, redis, config)
    assert caixa.mensagens == []  # open, but not for 5 minutes yet
    await db.execute(update(Alerta).values(aberto_em=utcnow() - timedelta(minutes=6)))
    await db.commit()
    for _ in range(3):
        await _vigiar(db, redis, config)
    await asyncio.sleep(0.1)
    assert [m["Subject"] for m in caixa.mensagens] == [
        "[GMM] Envios pelo WhatsApp suspensos: MegaAPI falhando"
    ]
    assert caixa.mensagens[0]["To"] == "ops@example.com"
    assert caixa.logins == [(b"alertas", b"s3nh4")]

    await breaker.reset()
    for _ in range(3):
        await _vigiar(db, redis, config)
    await asyncio.sleep(0.1)
    assert [m["Subject"] for m in caixa.mensagens][1:] == [
        "[GMM] Envios pelo WhatsApp normalizados"
    ]
    [alerta] = list(await db.scalars(select(Alerta)))
    assert alerta.email_enviado_em and alerta.email_recuperacao_em


async def test_a_short_breaker_incident_sends_no_mail_and_a_dead_smtp_is_retried(
    db: AsyncSession, settings: Settings, redis: Redis, smtp: tuple[Caixa, int]
) -> None:
    caixa, porta = smtp
    await registro.batimento(redis, "w")
    morto = settings.model_copy(
        update={
            "smtp_url": SecretStr("smtp://127.0.0.1:1"),
            "alert_email": "ops@example.com",
            "alerta_breaker_email_minutos": 0,
        }
    )
    breaker = await _abrir_breaker(redis, morto)
    await _vigiar(db, redis, morto)
    [alerta] = list(await db.scalars(select(Alerta)))
    assert alerta.email_enviado_em is None  # the server was down: tried again next round
    vivo = morto.model_copy(update={"smtp_url": SecretStr(f"smtp://127.0.0.1:{porta}")})
    await _vigiar(db, redis, vivo)
    assert len(caixa.mensagens) == 1

    await breaker.reset()
    await _vigiar(db, redis, vivo)
    # A second, short incident (closed before the delay) is never mailed.
    curto = vivo.model_copy(update={"alerta_breaker_email_minutos": 60})
    await _abrir_breaker(redis, curto)
    await _vigiar(db, redis, curto)
    await breaker.reset()
    await _vigiar(db, redis, curto)
    await asyncio.sleep(0.1)
    assert [m["Subject"] for m in caixa.mensagens] == [
        "[GMM] Envios pelo WhatsApp suspensos: MegaAPI falhando",
        "[GMM] Envios pelo WhatsApp normalizados",
    ]


async def test_only_one_replica_watches_each_round(
    redis: Redis, settings: Settings, clean: None
) -> None:
    assert await alertas.assumir_vigia(redis, settings, "api-1")
    assert not await alertas.assumir_vigia(redis, settings, "api-2")
