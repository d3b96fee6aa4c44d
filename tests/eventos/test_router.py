"""GET /api/eventos: Server-Sent Events for logged-in users, resumable, across processes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from jose import jwt
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from gmm.app.main import create_app
from gmm.auth import security
from gmm.chamados.models import StatusChamado
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.core.eventos import NOME_CONEXAO, STREAM, Difusor, Ritmo, publicar
from gmm.eventos.router import get_ritmo
from tests import factories as f
from tests.eventos.conftest import Comentario, cliente, conectar
from tests.eventos.exemplos import alerta, chamado, nova, status


async def _token(db: AsyncSession, settings: Settings) -> str:
    token, _ = security.create_token((await f.usuario(db)).id, settings)
    return token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _leitores(redis: Redis) -> set[str]:
    """Ids of the stream readers' connections open on this test's Redis database
    (a set: other servers' readers, as the end-to-end tests', may come and go)."""
    db = redis.connection_pool.connection_kwargs.get("db", 0)
    return {
        c["id"]
        for c in await redis.client_list()
        if c["name"] == NOME_CONEXAO and int(c["db"]) == db
    }


async def _um_leitor(redis: Redis) -> set[str]:
    """The one reader connection of this test's app. Redis sees a close a moment
    after it happens (another app's reader, closed by an earlier test), so this asks
    for up to two seconds."""
    for _ in range(40):
        if len(leitores := await _leitores(redis)) == 1:
            return leitores
        await asyncio.sleep(0.05)
    raise AssertionError(f"leitores de eventos abertos: {leitores}")


async def _sem_assinantes(difusor: Difusor) -> bool:
    """Whether every stream left the fan-out (the app stops a moment after the
    client leaves, so this asks for up to two seconds)."""
    for _ in range(40):
        if difusor.assinantes == 0:
            return True
        await asyncio.sleep(0.05)
    return False


# --- authentication ---------------------------------------------------------------


def _expirado(usuario_id: int, settings: Settings) -> str:
    passado = utcnow() - timedelta(hours=1)
    claims = {
        "sub": str(usuario_id),
        "iat": int(passado.timestamp()) - 60,
        "exp": int(passado.timestamp()),
    }
    return jwt.encode(claims, settings.secret("secret_key"), algorithm=security.ALGORITHM)


@pytest.mark.parametrize("forma", ["header", "query"])
@pytest.mark.parametrize("caso", ["invalido", "expirado", "inativo", "outra_chave"])
async def test_bad_tokens_get_401_json(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
    forma: str,
    caso: str,
) -> None:
    ativo = await f.usuario(db)
    if caso == "invalido":
        token = "nao-e-um-jwt"
    elif caso == "expirado":
        token = _expirado(ativo.id, settings)
    elif caso == "inativo":
        token, _ = security.create_token((await f.usuario(db, ativo=False)).id, settings)
    else:
        token = jwt.encode({"sub": str(ativo.id)}, "outra-chave-" + "y" * 32, algorithm="HS256")
    headers = _bearer(token) if forma == "header" else {}
    params = {"access_token": token} if forma == "query" else {}
    with caplog.at_level(logging.DEBUG):
        response = await client.get("/api/eventos", headers=headers, params=params)
    assert response.status_code == 401
    assert response.json() == {"error": "nao_autenticado", "detail": "Token inválido ou expirado"}
    assert response.headers["www-authenticate"] == "Bearer"
    # The server's own log lines (httpx, the test's client, logs the URL it calls).
    servidor = [r.getMessage() for r in caplog.records if not r.name.startswith("httpx")]
    assert not [linha for linha in servidor if token in linha]
    assert token not in response.text


async def test_missing_token_gets_401(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/eventos")
    assert response.status_code == 401
    assert response.json()["error"] == "nao_autenticado"


async def test_malformed_resume_id_is_422(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    token = await _token(db, settings)
    for headers, params in (
        ({}, {"access_token": token, "last_event_id": "ontem"}),
        ({**_bearer(token), "Last-Event-ID": "1-2-3"}, {}),
        ({}, {"access_token": token, "recuar_ms": "-1"}),
        ({}, {"access_token": token, "recuar_ms": str(10 * 60 * 1000 + 1)}),
        ({}, {"access_token": token, "recuar_ms": "1e20"}),
    ):
        response = await client.get("/api/eventos", headers=headers, params=params)
        assert response.status_code == 422
        assert response.json()["error"] == "dados_invalidos"
        assert token not in response.text


async def test_redis_down_is_503_before_the_stream_starts(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, app: FastAPI
) -> None:
    token = await _token(db, settings)
    fora = Redis.from_url("redis://127.0.0.1:1/0", decode_responses=True)
    redis, difusor = app.state.redis, app.state.difusor
    # A process whose reader never started, and one whose reader runs: both answer 503.
    # (Not monkeypatch: it would delete app.state's attributes on undo.)
    for outro in (Difusor("redis://127.0.0.1:1/0"), difusor):
        app.state.redis, app.state.difusor = fora, outro
        try:
            response = await client.get("/api/eventos", params={"access_token": token})
        finally:
            app.state.redis, app.state.difusor = redis, difusor
        assert response.status_code == 503
        assert response.json()["error"] == "indisponivel"
        assert outro.assinantes == 0
    await fora.aclose()


# --- delivery -----------------------------------------------------------------------


@pytest.mark.parametrize("forma", ["header", "query"])
async def test_events_arrive_in_order_with_ids_and_types(
    sse: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    redis: Redis,
    ritmo: Ritmo,
    forma: str,
) -> None:
    token = await _token(db, settings)
    kwargs = (
        {"headers": _bearer(token)} if forma == "header" else {"params": {"access_token": token}}
    )
    async with conectar(sse, **kwargs) as leitor:
        publicados = [
            (
                await publicar(redis, nova(42)),
                "mensagem.nova",
            ),
            (
                await publicar(redis, status(41, erro="número sem WhatsApp")),
                "mensagem.status",
            ),
            (
                await publicar(redis, chamado(7, StatusChamado.concluido)),
                "chamado.atualizado",
            ),
        ]
        recebidos = await leitor.eventos(3)
        assert [(e.id, e.tipo) for e in recebidos] == publicados
        assert recebidos[1].json() == {
            "mensagem_id": 41,
            "chamado_id": 7,
            "direcao": "outbound",
            "status_envio": "falhou",
            "erro": "número sem WhatsApp",
        }
        assert recebidos[2].json()["status"] == "concluido"
        assert leitor.retry == 3000
        assert leitor.resposta.headers["cache-control"] == "no-cache"


async def test_reconnect_with_last_event_id_gets_exactly_what_was_missed(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, ritmo: Ritmo
) -> None:
    h = _bearer(await _token(db, settings))
    async with conectar(sse, headers=h) as leitor:
        vistos = [await publicar(redis, nova(n)) for n in (1, 2)]
        assert [e.id for e in await leitor.eventos(2)] == vistos
        assert leitor.ultimo_id == vistos[-1]
    perdidos = [await publicar(redis, nova(n)) for n in (3, 4, 5)]

    async with conectar(sse, headers={**h, "Last-Event-ID": vistos[-1]}) as leitor:
        recebidos = await leitor.eventos(3)
        assert [e.id for e in recebidos] == perdidos
        assert [e.json()["mensagem_id"] for e in recebidos] == [3, 4, 5]
        await leitor.nada_mais()
        # Live again after the replay.
        ao_vivo = await publicar(redis, nova(6))
        assert (await leitor.evento()).id == ao_vivo

    # The query form resumes the same way (a new EventSource cannot set headers);
    # the header wins when both are sent, as the browser's is always the newer one.
    async with conectar(
        sse, headers={**h, "Last-Event-ID": perdidos[1]}, params={"last_event_id": vistos[0]}
    ) as leitor:
        assert [e.id for e in await leitor.eventos(2)] == [perdidos[2], ao_vivo]
        await leitor.nada_mais()
    async with conectar(sse, headers=h, params={"last_event_id": perdidos[2]}) as leitor:
        assert (await leitor.evento()).id == ao_vivo
        await leitor.nada_mais()


async def test_replay_larger_than_one_batch(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, ritmo: Ritmo
) -> None:
    h = _bearer(await _token(db, settings))
    inicio = await publicar(redis, alerta(0))
    ids = [await publicar(redis, status(n)) for n in range(450)]
    async with conectar(sse, headers={**h, "Last-Event-ID": inicio}) as leitor:
        assert [e.id for e in await leitor.eventos(450)] == ids
        await leitor.nada_mais()


async def test_a_client_reconnecting_before_any_event_loses_nothing(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, ritmo: Ritmo
) -> None:
    h = _bearer(await _token(db, settings))
    antes = await publicar(redis, alerta(0))
    async with conectar(sse, headers=h) as leitor:
        # The stream starts with its current end as an id without data.
        await leitor.nada_mais(0.3)
        assert leitor.ultimo_id == antes
    durante = await publicar(redis, alerta(1))
    async with conectar(sse, headers={**h, "Last-Event-ID": antes}) as leitor:
        assert (await leitor.evento()).id == durante


async def test_first_connection_on_an_empty_stream_resumes_from_zero(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, ritmo: Ritmo
) -> None:
    h = _bearer(await _token(db, settings))
    async with conectar(sse, headers=h) as leitor:
        await leitor.nada_mais(0.3)
        assert leitor.ultimo_id == "0-0"
    primeiro = await publicar(redis, alerta(1))
    async with conectar(sse, headers={**h, "Last-Event-ID": "0-0"}) as leitor:
        assert (await leitor.evento()).id == primeiro


async def test_a_first_connection_going_back_gets_what_changed_since_the_screens_reads(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, ritmo: Ritmo
) -> None:
    h = _bearer(await _token(db, settings))
    segundos, _ = await redis.time()
    antigo = f"{segundos * 1000 - 60_000}-0"  # before the screen read anything
    await redis.xadd(STREAM, {"tipo": "alerta", "dados": "{}"}, id=antigo)
    depois = [await publicar(redis, nova(n)) for n in (1, 2)]  # after its reads

    async with conectar(sse, headers=h, params={"recuar_ms": "30000"}) as leitor:
        recebidos = await leitor.eventos(2)
        assert [e.id for e in recebidos] == depois
        await leitor.nada_mais()
        ao_vivo = await publicar(redis, nova(3))
        assert (await leitor.evento()).id == ao_vivo

    # Nothing since then: the stream starts at its end, as without going back.
    async with conectar(sse, headers=h, params={"recuar_ms": "0"}) as leitor:
        await leitor.nada_mais(0.3)
        assert leitor.ultimo_id == ao_vivo


async def test_going_back_on_a_stream_redis_lost_gets_reset(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, ritmo: Ritmo
) -> None:
    h = _bearer(await _token(db, settings))
    await publicar(redis, alerta(1))
    await redis.delete(STREAM)  # Redis restarted: what it held since the reads is gone
    async with conectar(sse, headers=h, params={"recuar_ms": "5000"}) as leitor:
        reset = await leitor.evento()
        assert (reset.tipo, reset.id) == ("reset", "0-0")


async def test_an_id_older_than_the_window_gets_reset_then_live_events(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, ritmo: Ritmo
) -> None:
    h = _bearer(await _token(db, settings))
    segundos, _ = await redis.time()
    velho_ms = segundos * 1000 - 20 * 60 * 1000
    for n in range(150):
        await redis.xadd(STREAM, {"tipo": "alerta", "dados": "{}"}, id=f"{velho_ms}-{n}")
    ultimo = await publicar(redis, alerta(1))  # trims the old entries
    assert (await redis.xrange(STREAM, count=1))[0][0] != f"{velho_ms}-0"

    async with conectar(sse, headers={**h, "Last-Event-ID": f"{velho_ms}-0"}) as leitor:
        reset = await leitor.evento()
        assert reset.tipo == "reset"
        # Its id is the current end: a reconnect right after it resumes from there.
        assert reset.id == ultimo
        await leitor.nada_mais()
        novo = await publicar(redis, nova(9))
        evento = await leitor.evento()
        assert (evento.id, evento.tipo) == (novo, "mensagem.nova")


async def test_a_lost_stream_or_an_unknown_id_gets_reset(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, ritmo: Ritmo
) -> None:
    h = _bearer(await _token(db, settings))
    visto = await publicar(redis, alerta(1))
    await redis.delete(STREAM)  # as after a Redis restart without persistence
    async with conectar(sse, headers={**h, "Last-Event-ID": visto}) as leitor:
        reset = await leitor.evento()
        assert (reset.tipo, reset.id) == ("reset", "0-0")

    atual = await publicar(redis, alerta(2))
    futuro = f"{int(atual.split('-')[0]) + 60_000}-0"
    async with conectar(sse, headers={**h, "Last-Event-ID": futuro}) as leitor:
        reset = await leitor.evento()
        assert (reset.tipo, reset.id) == ("reset", atual)


async def test_published_on_one_api_process_received_on_another(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis, ritmo: Ritmo
) -> None:
    h = _bearer(await _token(db, settings))
    outra = create_app(settings)
    outra.dependency_overrides[get_ritmo] = lambda: ritmo
    async with (
        outra.router.lifespan_context(outra),
        cliente(outra) as sse_outra,
        conectar(sse, headers=h) as aqui,
        conectar(sse_outra, headers=h) as la,
    ):
        de_la = await publicar(outra.state.redis, nova(1))
        daqui = await publicar(redis, chamado(2))
        assert [e.id for e in await aqui.eventos(2)] == [de_la, daqui]
        assert [e.id for e in await la.eventos(2)] == [de_la, daqui]


async def test_heartbeat_keeps_an_idle_stream_alive(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, ritmo: Ritmo
) -> None:
    h = _bearer(await _token(db, settings))
    async with conectar(sse, headers=h) as leitor:
        comeco = asyncio.get_running_loop().time()
        for _ in range(2):
            item = await leitor.proximo(timeout=ritmo.heartbeat * 4)
            assert item == Comentario("ping")
        decorrido = asyncio.get_running_loop().time() - comeco
        assert decorrido >= ritmo.heartbeat * 1.5


@pytest.mark.parametrize("spec_version", ["2.3", "2.4"])
async def test_disconnect_stops_the_stream_and_frees_its_subscriber(
    app: FastAPI,
    clean: None,
    db: AsyncSession,
    settings: Settings,
    redis: Redis,
    engine: AsyncEngine,
    ritmo: Ritmo,
    spec_version: str,
) -> None:
    h = _bearer(await _token(db, settings))
    await db.close()
    async with cliente(app, spec_version) as http:
        async with conectar(http, headers=h) as leitor:
            await leitor.nada_mais(0.3)
            assert app.state.difusor.assinantes == 1
            # No database session held while the stream is open.
            assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        # conectar's exit waited for the app to stop (or failed the test).
        assert await _sem_assinantes(app.state.difusor)


async def test_many_streams_share_one_reader_connection(
    sse: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    redis: Redis,
    app: FastAPI,
    ritmo: Ritmo,
) -> None:
    h = _bearer(await _token(db, settings))
    async with contextlib.AsyncExitStack() as pilha:
        leitores = [await pilha.enter_async_context(conectar(sse, headers=h)) for _ in range(5)]
        assert app.state.difusor.assinantes == 5
        # One connection for the process's reader, whatever the number of streams.
        leitor_do_processo = await _um_leitor(redis)
        publicado = await publicar(redis, nova(1))
        for leitor in leitores:
            assert (await leitor.evento()).id == publicado
        assert await _um_leitor(redis) == leitor_do_processo
    assert await _sem_assinantes(app.state.difusor)
    # The reader stays for the next screens; nothing else was left open.
    assert await _um_leitor(redis) == leitor_do_processo


async def test_a_client_too_far_behind_is_ended_and_resumes_without_a_gap(
    sse: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    redis: Redis,
    app: FastAPI,
    ritmo: Ritmo,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    h = _bearer(await _token(db, settings))
    monkeypatch.setattr(app.state.difusor, "capacidade", 5)
    async with conectar(sse, headers=h) as leitor:
        await leitor.nada_mais(0.3)
        # One transaction: the reader gets all twenty in one batch, more than fit.
        async with redis.pipeline(transaction=True) as pipe:
            for n in range(20):
                pipe.xadd(STREAM, {"tipo": "alerta", "dados": f'{{"n": {n}}}'})
            ids = await pipe.execute()
        recebidos = []
        while (item := await leitor.proximo()) is not None:
            if not isinstance(item, Comentario):
                recebidos.append(item.id)
        # Ended rather than silently dropping what did not fit.
        assert len(recebidos) < len(ids)
        assert recebidos == ids[: len(recebidos)]
        assert leitor.terminou
        retomada = leitor.ultimo_id
    assert await _sem_assinantes(app.state.difusor)
    async with conectar(sse, headers={**h, "Last-Event-ID": retomada or "0-0"}) as leitor:
        resto = await leitor.eventos(len(ids) - len(recebidos))
        assert recebidos + [e.id for e in resto] == ids
        await leitor.nada_mais()


async def test_a_reader_failure_ends_every_stream_and_the_reader_comes_back(
    sse: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    redis: Redis,
    app: FastAPI,
    ritmo: Ritmo,
) -> None:
    h = _bearer(await _token(db, settings))
    async with conectar(sse, headers=h) as um, conectar(sse, headers=h) as outro:
        await um.nada_mais(0.3)
        (leitor_do_processo,) = await _um_leitor(redis)
        await redis.client_kill_filter(_id=leitor_do_processo)
        # Both end: the browsers reconnect and resume with Last-Event-ID.
        for leitor in (um, outro):
            while (item := await leitor.proximo()) is not None:
                assert isinstance(item, Comentario)
    assert await _sem_assinantes(app.state.difusor)
    async with conectar(sse, headers=h) as leitor:
        novo = await _um_leitor(redis)
        assert novo != {leitor_do_processo}
        publicado = await publicar(redis, nova(1))
        assert (await leitor.evento()).id == publicado


async def test_the_stream_ends_after_its_maximum_duration(
    sse: httpx.AsyncClient, db: AsyncSession, settings: Settings, app: FastAPI
) -> None:
    app.dependency_overrides[get_ritmo] = lambda: Ritmo(
        heartbeat=5, bloqueio=0.1, duracao_maxima=0.5
    )
    try:
        h = _bearer(await _token(db, settings))
        async with conectar(sse, headers=h) as leitor:
            assert app.state.difusor.assinantes == 1
            # The server ends it; the browser reconnects with Last-Event-ID.
            assert await leitor.proximo(timeout=3) is None
            assert leitor.terminou
        assert await _sem_assinantes(app.state.difusor)
    finally:
        app.dependency_overrides.pop(get_ritmo, None)
