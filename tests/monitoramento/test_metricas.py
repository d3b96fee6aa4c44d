"""The operations panel: each figure against data whose answer is known."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import httpx
import respx
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core import registro
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.envio.breaker import CircuitBreaker
from gmm.envio.fila import FILA_TRANSCRICOES, Fila
from gmm.envio.limitador import RateLimiter
from gmm.megaapi.cliente import MegaAPIPermanentError, MegaAPITransientError
from gmm.monitoramento import painel
from gmm.monitoramento.tasks import verificar_instancia
from gmm.recebimento.leitura import Conexao
from gmm.recebimento.service import registrar_conexao
from tests import factories as f
from tests.entrega import WorkerFactory

URL = "/api/monitoramento/whatsapp"


def _saida(chamado_id: int, **campos: object) -> Mensagem:
    return Mensagem(
        chamado_id=chamado_id,
        direcao=Direcao.outbound,
        tipo=TipoMensagem.resposta_manual,
        texto="x",
        destinatario="5511987654321",
        **campos,
    )


async def test_panel_figures_match_known_data(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, app: object
) -> None:
    h = f.headers(await f.usuario(db), settings)
    t = await f.terceirizado(db)
    chamado = await f.chamado(db, t, titulo="Bomba d'água")
    outro = await f.chamado(db, t)
    agora = utcnow()
    base = agora - timedelta(hours=2)
    # Delivered after 10, 20 and 30 s; read after 60, 120 and 180 s.
    for i in (1, 2, 3):
        db.add(
            _saida(
                chamado.id,
                status_envio=StatusEnvio.lido,
                criado_em=base,
                enviado_em=base,
                entregue_em=base + timedelta(seconds=10 * i),
                lido_em=base + timedelta(seconds=60 * i),
            )
        )
    db.add(_saida(chamado.id, status_envio=StatusEnvio.falhou, criado_em=base, erro="x"))
    db.add(
        _saida(outro.id, status_envio=StatusEnvio.pendente, criado_em=agora - timedelta(seconds=90))
    )
    for _ in range(2):
        db.add(
            Mensagem(
                chamado_id=chamado.id,
                direcao=Direcao.inbound,
                tipo=TipoMensagem.recebida,
                texto="oi",
                destinatario="5511987654321",
                status_envio=StatusEnvio.entregue,
                criado_em=base,
            )
        )
    # A day-old message is outside every 24 h figure.
    db.add(_saida(chamado.id, status_envio=StatusEnvio.falhou, criado_em=agora - timedelta(days=2)))
    await db.commit()

    for _ in range(7):
        await registro.registrar_envio(redis)
    await registro.registrar_envio(
        redis, MegaAPITransientError("a MegaAPI não respondeu a tempo").categoria
    )
    await registro.registrar_envio(redis, MegaAPITransientError("erro", 503).categoria)
    await registro.registrar_envio(redis, MegaAPIPermanentError("recusado", 400).categoria)
    await registro.registrar_webhook(redis, 1.5)
    await registro.batimento(redis, "worker-a")
    await registrar_conexao(redis, Conexao("open", None))
    breaker = CircuitBreaker.do_produto(redis, settings)
    for _ in range(settings.breaker_failure_threshold):
        decisao = await breaker.acquire()
        await breaker.record_failure(decisao)
    limiter = RateLimiter.do_produto(redis, settings)
    assert (await limiter.acquire()).allowed
    fila = Fila(app.state.arq)  # type: ignore[attr-defined]
    await fila.enfileirar(1001)
    await fila.enfileirar(1002, urgente=True)
    await app.state.arq.enqueue_job(  # type: ignore[attr-defined]
        "enviar_mensagem", 1003, _job_id="mensagem:1003", _queue_name="gmm:fila:envios",
        _defer_by=timedelta(minutes=5),
    )  # fmt: skip
    # A voice note waiting for its transcription is shown, on its own.
    await app.state.arq.enqueue_job(  # type: ignore[attr-defined]
        "transcrever_audio", 1004, _job_id="transcricao:1004", _queue_name=FILA_TRANSCRICOES
    )

    r = await client.get(URL, headers=h)
    assert r.status_code == 200, r.text
    m = r.json()
    assert m["circuit_breaker"]["status"] == "OPEN"
    assert m["circuit_breaker"]["failure_count"] == settings.breaker_failure_threshold
    assert m["circuit_breaker"]["threshold"] == settings.breaker_failure_threshold
    assert m["circuit_breaker"]["opened_at"] is not None
    assert m["rate_limiter"] == {
        "count": 1,
        "max": settings.rate_limit_per_minute,
        "can_send": False,  # the breaker is open
    }
    assert (m["fila"]["queue_size"], m["fila"]["deferred"]) == (2, 1)
    assert m["fila"]["transcricoes"] == 1
    assert 85 <= m["fila"]["oldest_age_s"] <= 150
    assert m["failures"] == {
        "last_hour": 3,
        "by_reason": {"timeout": 1, "http_5xx": 1, "http_4xx": 1},
    }
    horas = m["volume_24h"]
    assert len(horas) == 24
    assert sum(h_["enviadas"] for h_ in horas) == 3
    assert sum(h_["entregues"] for h_ in horas) == 3
    assert sum(h_["lidas"] for h_ in horas) == 3
    assert sum(h_["falhas"] for h_ in horas) == 1
    assert sum(h_["recebidas"] for h_ in horas) == 2
    assert m["delivery"] == {
        "failure_rate_24h": 1 / 5,  # 3 read + 1 failed + 1 waiting, created in 24 h
        "p50_entrega_s": 20.0,
        "p95_entrega_s": 29.0,
        "p50_leitura_s": 120.0,
        "p95_leitura_s": 174.0,
    }
    assert m["webhooks"]["lag_s"] == 1.5 and m["webhooks"]["last_received_at"]
    assert m["connection"]["state"] == "open" and m["connection"]["since"]
    assert m["workers"]["alive"] == 1 and m["workers"]["last_heartbeat"]
    assert [
        (a["numero_chamado"], a["aguardando"], a["falhas"]) for a in m["chamados_afetados"]
    ] == [
        (chamado.numero_chamado, 0, 1),
        (outro.numero_chamado, 1, 0),
    ]
    assert m["alertas_abertos"] == []


async def test_panel_is_computed_once_for_many_pollers(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    h = f.headers(await f.usuario(db), settings)
    primeira = (await client.get(URL, headers=h)).json()
    await registro.registrar_envio(redis, MegaAPITransientError("erro", 503).categoria)
    # Within the cache's 2 s every poller gets the same figures...
    assert (await client.get(URL, headers=h)).json() == primeira
    await redis.delete(painel.CACHE)
    # ...and the next computation sees the change.
    assert (await client.get(URL, headers=h)).json()["failures"]["last_hour"] == 1


async def test_panel_needs_a_login_and_starts_empty(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    assert (await client.get(URL)).status_code == 401
    m = (await client.get(URL, headers=f.headers(await f.usuario(db), settings))).json()
    assert m["circuit_breaker"]["status"] == "CLOSED"
    assert m["fila"] == {"queue_size": 0, "deferred": 0, "oldest_age_s": None, "transcricoes": 0}
    assert m["workers"] == {"alive": 0, "last_heartbeat": None}
    assert m["delivery"]["p50_entrega_s"] is None and m["delivery"]["failure_rate_24h"] == 0
    assert m["webhooks"] == {"last_received_at": None, "lag_s": None}


async def test_a_stale_heartbeat_is_not_a_live_worker(redis: Redis, clean: None) -> None:
    agora, _ = await redis.time()
    await redis.hset(registro.WORKERS, mapping={"velho": str(agora - 100), "novo": str(agora)})  # type: ignore[misc]
    await redis.hset(registro.WORKERS, "sumido", str(agora - 7200))  # type: ignore[misc]
    workers = await registro.workers(redis)
    assert workers.vivos == 1 and workers.ultimo_batimento == float(agora)
    # Workers gone for an hour are forgotten.
    assert set(await redis.hkeys(registro.WORKERS)) == {"velho", "novo"}  # type: ignore[misc]


async def test_instance_status_is_asked_of_megaapi_and_shown(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, app: object
) -> None:
    config = settings.model_copy(
        update={
            "megaapi_base_url": "https://megaapi.test",
            "megaapi_instance_key": "inst-1",
            "megaapi_token": SecretStr("tok-123"),
        }
    )
    with respx.mock(assert_all_called=True) as mock:
        mock.get("https://megaapi.test/rest/instance/inst-1").respond(
            200, json={"instance": {"key": "inst-1", "status": "connected"}}
        )
        await verificar_instancia(db, redis, app.state.arq, config)  # type: ignore[attr-defined]
    h = f.headers(await f.usuario(db), settings)
    conexao = (await client.get(URL, headers=h)).json()["connection"]
    assert conexao["instance_status"] == "connected" and conexao["instance_checked_at"]

    await redis.delete(painel.CACHE)
    with respx.mock() as mock:
        mock.get("https://megaapi.test/rest/instance/inst-1").respond(503)
        await verificar_instancia(db, redis, app.state.arq, config)  # type: ignore[attr-defined]
    conexao = (await client.get(URL, headers=h)).json()["connection"]
    assert conexao["instance_status"].startswith("erro: ")
    assert "tok-123" not in conexao["instance_status"]


async def test_a_running_worker_beats(
    db: AsyncSession, redis: Redis, worker: WorkerFactory
) -> None:
    assert (await registro.workers(redis)).vivos == 0
    await worker()
    for _ in range(50):
        if (await registro.workers(redis)).vivos:
            break
        await asyncio.sleep(0.1)
    assert (await registro.workers(redis)).vivos == 1
