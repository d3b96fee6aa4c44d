"""The delivery pipeline end to end: API → queue → worker → simulator, real Redis and PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from arq import Worker
from arq.connections import ArqRedis
from arq.constants import health_check_key_suffix
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from gmm.chamados.models import Chamado
from gmm.conversas.conteudo import ConteudoArquivo, ConteudoBotoes, ConteudoLista, ConteudoMidia
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import session_scope, utcnow
from gmm.envio import job
from gmm.envio.contexto import criar_contexto
from gmm.envio.fila import FILA_TRANSCRICOES, QUEUE_NAME, Fila, job_id
from gmm.envio.service import WhatsAppService
from gmm.midia import armazenamento as midia_arquivos
from gmm.worker import rodar as tasks
from tests import factories as f
from tests.entrega import Simulador, WorkerFactory, worker_processos
from tests.mensagens import frase


async def _esperar(
    condicao: Callable[[], Awaitable[bool]], timeout: float = 60.0, passo: float = 0.1
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if await condicao():
            return
        await asyncio.sleep(passo)
    raise AssertionError("a condição não foi atingida a tempo")


async def _mensagem(db: AsyncSession, mensagem_id: int) -> Mensagem:
    db.expire_all()
    row = await db.get(Mensagem, mensagem_id)
    assert row is not None
    return row


def _status(
    db: AsyncSession, mensagem_id: int, *esperados: StatusEnvio
) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return (await _mensagem(db, mensagem_id)).status_envio in esperados

    return check


async def _novo_chamado(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, **extra: Any
) -> dict[str, Any]:
    h = f.headers(await f.usuario(db), settings)
    t = await f.terceirizado(db, telefone="5511987654321")
    response = await client.post(
        "/api/chamados",
        json={"terceirizado_id": t.id, "titulo": "Troca de lâmpada", **extra},
        headers=h,
    )
    assert response.status_code == 201, response.text
    return {"headers": h, **response.json()}


async def test_message_goes_through_worker_to_megaapi(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
) -> None:
    criado = await _novo_chamado(client, db, settings)
    mensagem_id = criado["mensagem"]["id"]
    # Queued after the commit, before any worker runs.
    assert (await _mensagem(db, mensagem_id)).status_envio == StatusEnvio.enfileirado
    await worker()
    await _esperar(_status(db, mensagem_id, StatusEnvio.enviado))
    row = await _mensagem(db, mensagem_id)
    envios = await simulador.envios()
    assert len(envios) == 1
    assert envios[0]["path"].endswith("/text")
    assert envios[0]["json"]["messageData"]["to"] == "5511987654321"
    assert envios[0]["json"]["messageData"]["text"] == row.texto
    assert row.megaapi_id and row.megaapi_id == envios[0]["message_id"]
    assert row.enviado_em is not None and row.tentativas == 1 and row.reservado_ate is None


async def test_same_text_within_30s_is_answered_with_the_existing_message(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
) -> None:
    criado = await _novo_chamado(client, db, settings)
    url = f"/api/chamados/{criado['chamado']['id']}/responder"
    first, second = await asyncio.gather(
        client.post(url, json={"mensagem": "Chego às 14h"}, headers=criado["headers"]),
        client.post(url, json={"mensagem": "Chego às 14h"}, headers=criado["headers"]),
    )
    assert {first.json()["envio"], second.json()["envio"]} == {"enfileirada", "duplicada"}
    assert first.json()["mensagem"]["id"] == second.json()["mensagem"]["id"]
    other = await client.post(url, json={"mensagem": "Outro texto"}, headers=criado["headers"])
    assert other.json()["envio"] == "enfileirada"
    await worker()
    await _esperar(_status(db, other.json()["mensagem"]["id"], StatusEnvio.enviado))
    await _esperar(_status(db, first.json()["mensagem"]["id"], StatusEnvio.enviado))
    textos = [r["json"]["messageData"]["text"] for r in await simulador.envios()]
    assert textos.count("Chego às 14h") == 1 and textos.count("Outro texto") == 1


async def test_full_queue_refuses_with_503_and_stores_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, app: FastAPI
) -> None:
    h = f.headers(await f.usuario(db), settings)
    t = await f.terceirizado(db)
    arq: ArqRedis = app.state.arq
    # A backlog as big as the limit (jobs for messages that need not exist).
    await arq.zadd(QUEUE_NAME, {job_id(10_000 + i): time.time() * 1000 for i in range(3)})
    original = settings.fila_maxima
    settings.fila_maxima = 3
    try:
        response = await client.post(
            "/api/chamados", json={"terceirizado_id": t.id, "titulo": "Não deve entrar"}, headers=h
        )
    finally:
        settings.fila_maxima = original
    assert response.status_code == 503
    assert response.json()["error"] == "fila_cheia"
    assert "fila cheia" in frase(response.json()["detail"])
    assert (await client.get("/api/chamados", headers=h)).json()["items"] == []
    assert list(await db.scalars(select(Mensagem))) == []


async def test_message_survives_losing_redis_between_commit_and_send(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    app: FastAPI,
) -> None:
    criado = await _novo_chamado(client, db, settings)
    mensagem_id = criado["mensagem"]["id"]
    # Everything the product keeps in Redis is in this one database: emptying it is
    # what a Redis restart without persistence does to us. (FLUSHALL would also empty
    # the other databases of a shared server: other test runs on the machine.)
    await app.state.arq.flushdb()
    assert await app.state.arq.zcard(QUEUE_NAME) == 0
    # The sweep (run at worker start-up) finds the committed row and queues it again.
    await worker(entrega_settings.model_copy(update={"varredura_idade_seconds": 0.01}))
    await _esperar(_status(db, mensagem_id, StatusEnvio.enviado))
    assert len(await simulador.envios()) == 1


async def test_transient_failure_is_retried_until_it_goes(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(job, "backoff", lambda _tentativa: 0.2)
    criado = await _novo_chamado(client, db, settings)
    mensagem_id = criado["mensagem"]["id"]
    await simulador.falhar("5xx", duration_s=1.0, status=503)
    await worker()
    await _esperar(_status(db, mensagem_id, StatusEnvio.enviado))
    row = await _mensagem(db, mensagem_id)
    assert row.tentativas >= 2 and row.erro is None
    statuses = [r["status"] for r in await simulador.envios()]
    assert statuses[0] == 503 and statuses[-1] == 200


async def test_transient_failures_end_in_falhou_after_the_bound(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(job, "backoff", lambda _tentativa: 0.05)
    await simulador.falhar("5xx", status=502)
    criado = await _novo_chamado(client, db, settings)
    mensagem_id = criado["mensagem"]["id"]
    # A high threshold keeps the breaker out of the way: this test is about the bound.
    await worker(
        entrega_settings.model_copy(
            update={"envio_max_tentativas": 3, "breaker_failure_threshold": 100}
        )
    )
    await _esperar(_status(db, mensagem_id, StatusEnvio.falhou))
    row = await _mensagem(db, mensagem_id)
    assert row.tentativas == 3
    assert row.erro and "após 3 tentativas" in row.erro
    assert len(await simulador.envios()) == 3


async def test_permanent_error_fails_at_once_with_the_reason_and_can_be_resent(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
) -> None:
    await simulador.falhar("401")
    criado = await _novo_chamado(client, db, settings)
    mensagem_id = criado["mensagem"]["id"]
    await worker()
    await _esperar(_status(db, mensagem_id, StatusEnvio.falhou))
    row = await _mensagem(db, mensagem_id)
    assert row.tentativas == 1 and row.erro
    assert len(await simulador.envios()) == 1

    h = criado["headers"]
    await simulador.curar()
    resend = await client.post(f"/api/mensagens/{mensagem_id}/reenviar", headers=h)
    assert resend.status_code == 200, resend.text
    assert resend.json()["status_envio"] == "pendente" and resend.json()["erro"] is None
    await _esperar(_status(db, mensagem_id, StatusEnvio.enviado))
    assert len(await simulador.envios()) == 2
    again = await client.post(f"/api/mensagens/{mensagem_id}/reenviar", headers=h)
    assert again.status_code == 409
    assert (await client.post("/api/mensagens/999999/reenviar", headers=h)).status_code == 404
    assert (await client.post(f"/api/mensagens/{mensagem_id}/reenviar")).status_code == 401


async def test_breaker_stops_calls_while_open(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(job, "backoff", lambda _tentativa: 0.05)
    await simulador.falhar("5xx", status=500)
    h = f.headers(await f.usuario(db), settings)
    ids = []
    for i in range(6):
        t = await f.terceirizado(db)
        r = await client.post(
            "/api/chamados", json={"terceirizado_id": t.id, "titulo": f"Chamado {i}"}, headers=h
        )
        ids.append(r.json()["mensagem"]["id"])
    # Threshold 3, reset after 10 s, one job at a time (concurrent jobs already past
    # a closed breaker would each make their call): only the first 3 calls happen.
    await worker(entrega_settings.model_copy(update={"breaker_reset_seconds": 10.0}), max_jobs=1)
    await _esperar(lambda: _calls_at_least(simulador, 3))
    await asyncio.sleep(3)
    assert len(await simulador.envios()) == 3
    for mensagem_id in ids:
        assert (await _mensagem(db, mensagem_id)).status_envio == StatusEnvio.enfileirado


async def _calls_at_least(simulador: Simulador, n: int) -> bool:
    return len(await simulador.envios()) >= n


async def test_urgent_messages_go_first(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
) -> None:
    h = f.headers(await f.usuario(db), settings)
    order = ["normal", "normal", "normal", "urgente", "baixa", "alta"]
    for i, prioridade in enumerate(order):
        t = await f.terceirizado(db)
        r = await client.post(
            "/api/chamados",
            json={"terceirizado_id": t.id, "titulo": f"{prioridade} {i}", "prioridade": prioridade},
            headers=h,
        )
        assert r.status_code == 201
    # One job at a time, one send per 0.2 s: the budget is short.
    await worker(entrega_settings.model_copy(update={"rate_limit_per_minute": 300}), max_jobs=1)
    await _esperar(lambda: _calls_at_least(simulador, len(order)), timeout=60)
    textos = [r["json"]["messageData"]["text"] for r in await simulador.envios()]
    first_two = " ".join(textos[:2])
    assert "urgente 3" in first_two and "alta 5" in first_two, textos


async def test_two_worker_processes_share_the_rate_limit(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
    app: FastAPI,
) -> None:
    h = f.headers(await f.usuario(db), settings)
    for i in range(12):
        t = await f.terceirizado(db)
        await client.post(
            "/api/chamados", json={"terceirizado_id": t.id, "titulo": f"Chamado {i}"}, headers=h
        )
    per_minute = 120  # one send every 0.5 s, across both processes
    async with worker_processos(
        entrega_settings.model_copy(update={"rate_limit_per_minute": per_minute}), 2
    ):
        await _esperar(lambda: _calls_at_least(simulador, 12), timeout=30)
    interval = 60 / per_minute
    times = sorted(r["time"] for r in await simulador.envios())
    assert len(times) == 12
    # Seen from the gateway: 12 sends can't fit in less than 11 intervals (the
    # slack is the jitter between taking a slot and the HTTP call landing).
    assert times[-1] - times[0] >= 11 * interval - 0.25, times
    # Seen from the shared limiter's log (Redis clock when each slot was given):
    # the two processes together never took two slots less than one interval apart.
    slots = [
        score / 1_000_000
        for _, score in await app.state.redis.zrange(
            "gmm:ratelimit:megaapi:sent", 0, -1, withscores=True
        )
    ]
    assert len(slots) == 12
    assert min(b - a for a, b in itertools.pairwise(slots)) >= interval


async def test_a_stop_with_a_job_cut_mid_step_still_closes_the_worker(
    entrega_settings: Settings, app: FastAPI
) -> None:
    w = Worker(**tasks.worker_options(entrega_settings, handle_signals=False))
    principal = asyncio.create_task(w.main())
    vivo = QUEUE_NAME + health_check_key_suffix

    async def no_ar() -> bool:
        return bool(await app.state.arq.exists(vivo))

    await _esperar(no_ar)
    # A job caught in the middle of a Redis call when the stop comes: its
    # CancelledError escapes (arq's own close() would stop there, pool left open).
    preso = asyncio.create_task(asyncio.sleep(3600))
    w.tasks["preso"] = preso
    await tasks.parar_worker(w, principal)
    assert preso.cancelled() and principal.done()
    # The close ran to its end: the worker said it was gone.
    assert not await app.state.arq.exists(vivo)


async def test_worker_killed_mid_send_loses_nothing(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
) -> None:
    # The gateway hangs: the worker is inside the MegaAPI call when it is killed.
    await simulador.falhar("timeout", delay_s=30)
    criado = await _novo_chamado(client, db, settings)
    mensagem_id = criado["mensagem"]["id"]
    fast = entrega_settings.model_copy(
        update={"envio_job_timeout_seconds": 3, "megaapi_timeout_seconds": 10.0}
    )
    async with worker_processos(fast, 1) as (first,):
        await _esperar(lambda: _calls_at_least(simulador, 1), timeout=60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(5)
    row = await _mensagem(db, mensagem_id)
    assert row.status_envio == StatusEnvio.enfileirado and row.reservado_ate is not None
    await simulador.curar()
    async with worker_processos(fast, 1):
        # arq hands the dead worker's job to the new one once its lease runs out.
        await _esperar(_status(db, mensagem_id, StatusEnvio.enviado), timeout=120, passo=0.5)
    row = await _mensagem(db, mensagem_id)
    assert row.tentativas == 2


async def test_lists_buttons_and_media_reach_megaapi_in_its_shapes(
    db: AsyncSession,
    settings: Settings,
    app: FastAPI,
    simulador: Simulador,
    worker: WorkerFactory,
    tmp_path: Path,
) -> None:
    c = await f.chamado(db, await f.terceirizado(db, telefone="5521998765432"))
    nome = midia_arquivos.salvar(tmp_path, "application/pdf", b"%PDF-1.4 orcamento")
    async with session_scope(app.state.sessionmaker) as session:
        chamado = await session.scalar(
            select(Chamado).options(joinedload(Chamado.terceirizado)).where(Chamado.id == c.id)
        )
        assert chamado is not None
        whatsapp = WhatsAppService(session, Fila(app.state.arq), settings)
        lista = await whatsapp.enviar_lista(
            chamado,
            "Escolha o horário",
            ConteudoLista.model_validate(
                {
                    "tipo": "lista",
                    "botao": "Horários",
                    "titulo": "Visita",
                    "descricao": "Próximos dias",
                    "secoes": [
                        {
                            "titulo": "Manhã",
                            "linhas": [{"id": "m1", "titulo": "9h", "descricao": ""}],
                        }
                    ],
                }
            ),
        )
        botoes = await whatsapp.enviar_botoes(
            chamado,
            "Aprova o orçamento de R$ 1.500?",
            ConteudoBotoes.model_validate(
                {"tipo": "botoes", "rodape": "GMM", "botoes": [{"id": "sim", "titulo": "Aprovar"}]}
            ),
        )
        documento = await whatsapp.enviar_midia(
            chamado,
            TipoConteudo.document,
            ConteudoArquivo.model_validate(
                {
                    "arquivo": nome,
                    "nome_arquivo": "orcamento.pdf",
                    "mime_type": "application/pdf",
                    "caption": "Orçamento",
                }
            ),
        )
    ids = [lista.mensagem.id, botoes.mensagem.id, documento.mensagem.id]
    await worker(worker.settings.model_copy(update={"media_dir": tmp_path}))
    for mensagem_id in ids:
        await _esperar(_status(db, mensagem_id, StatusEnvio.enviado))
    by_kind = {
        r["path"].rsplit("/", 1)[1]: r["json"]["messageData"] for r in await simulador.envios()
    }
    assert by_kind["listMessage"]["buttonText"] == "Horários"
    assert by_kind["listMessage"]["sections"][0]["rows"][0]["rowId"] == "m1"
    assert by_kind["templateMessage"]["buttons"][0]["title"] == "Aprovar"
    assert by_kind["mediaBase64"]["fileName"] == "orcamento.pdf"
    assert by_kind["mediaBase64"]["caption"] == "Orçamento"
    assert by_kind["mediaBase64"]["base64"].startswith("data:application/pdf;base64,")
    assert {m["to"] for m in by_kind.values()} == {"5521998765432"}


async def test_validar_telefone_asks_megaapi(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
    app: FastAPI,
) -> None:
    h = f.headers(await f.usuario(db), settings)
    url = "/api/whatsapp/validar-telefone"
    # The API process reads the same credentials the worker does.
    original = app.state.settings
    app.state.settings = entrega_settings
    try:
        await simulador.http.put("/_sim/not-on-whatsapp", json={"numbers": ["5511912345678"]})
        yes = await client.post(url, json={"telefone": "(11) 98765-4321"}, headers=h)
        no = await client.post(url, json={"telefone": "11 91234-5678"}, headers=h)
        bad = await client.post(url, json={"telefone": "123"}, headers=h)
        await simulador.falhar("5xx", status=500)
        down = await client.post(url, json={"telefone": "(11) 98765-4321"}, headers=h)
    finally:
        app.state.settings = original
    assert yes.status_code == 200, yes.text
    assert yes.json() == {
        "telefone": "5511987654321",
        "no_whatsapp": True,
        "jid": "5511987654321@s.whatsapp.net",
    }
    assert no.json()["no_whatsapp"] is False
    assert bad.status_code == 422
    assert down.status_code == 502 and down.json()["error"] == "megaapi_indisponivel"
    assert (await client.post(url, json={"telefone": "11987654321"})).status_code == 401


async def test_the_sweep_also_requeues_lost_downloads_and_transcriptions(
    db: AsyncSession, settings: Settings, app: FastAPI
) -> None:
    chamado = await f.chamado(db, await f.terceirizado(db))
    antes = utcnow() - timedelta(minutes=5)

    def recebida(**campos: Any) -> Mensagem:
        return Mensagem(
            chamado_id=chamado.id,
            direcao=Direcao.inbound,
            tipo=TipoMensagem.recebida,
            destinatario="5511987654321",
            status_envio=StatusEnvio.entregue,
            criado_em=antes,
            **campos,
        )

    baixando = recebida(
        tipo_conteudo=TipoConteudo.image,
        conteudo=ConteudoMidia(midia={"tipo": "imageMessage"}, midia_status="baixando"),
    )
    audio = recebida(
        tipo_conteudo=TipoConteudo.audio,
        conteudo=ConteudoMidia(midia={"tipo": "audioMessage"}, midia_status="pronta"),
        url_midia="/api/midias/" + "a" * 32 + ".ogg",
    )
    falhou = recebida(
        tipo_conteudo=TipoConteudo.audio,
        conteudo=ConteudoMidia(
            midia={"tipo": "audioMessage"}, midia_status="pronta", transcricao_status="falhou"
        ),
        url_midia="/api/midias/" + "b" * 32 + ".ogg",
    )
    transcrito = recebida(
        tipo_conteudo=TipoConteudo.audio,
        conteudo=ConteudoMidia(midia={"tipo": "audioMessage"}, midia_status="pronta"),
        url_midia="/api/midias/" + "c" * 32 + ".ogg",
        transcricao="oi",
    )
    recente = recebida(
        tipo_conteudo=TipoConteudo.image,
        conteudo=ConteudoMidia(midia={"tipo": "imageMessage"}, midia_status="baixando"),
    )
    db.add_all([baixando, audio, falhou, transcrito, recente])
    await db.flush()
    recente.criado_em = utcnow()
    await db.commit()

    config = settings.model_copy(
        update={"transcricao_backend": "openai", "varredura_idade_seconds": 60}
    )
    contexto = criar_contexto(config)
    try:
        novos = await job.varrer_pendentes({"gmm": contexto, "redis": app.state.arq})
    finally:
        await contexto.aclose()
    assert novos == 2
    assert await app.state.arq.zrange(QUEUE_NAME, 0, -1) == [f"midia:{baixando.id}".encode()]
    assert await app.state.arq.zrange(FILA_TRANSCRICOES, 0, -1) == [
        f"transcricao:{audio.id}".encode()
    ]


async def test_a_send_accepted_before_an_outage_cut_its_record_is_recorded_not_resent(
    db: AsyncSession, app: FastAPI, simulador: Simulador, worker: WorkerFactory
) -> None:
    # MegaAPI took the first attempt, then PostgreSQL went away before the row said so:
    # the job kept MegaAPI's id in Redis, and its row is still enfileirado.
    t = await f.terceirizado(db)
    chamado = await f.chamado(db, t)
    row = await f.mensagem(
        db, chamado, direcao=Direcao.outbound, texto="já foi", status=StatusEnvio.enfileirado
    )
    row.tentativas = 1
    await db.commit()
    mensagem_id = row.id
    await app.state.redis.set(f"gmm:envio:aceito:{mensagem_id}", "MEGA-123")
    assert await Fila(app.state.arq).enfileirar(mensagem_id)
    await worker()
    await _esperar(_status(db, mensagem_id, StatusEnvio.enviado))
    gravada = await _mensagem(db, mensagem_id)
    assert gravada.megaapi_id == "MEGA-123" and gravada.tentativas == 1
    assert await simulador.envios() == []

    # The kept id goes once the record is safe, which is after the row says enviado.
    async def esquecida() -> bool:
        return not await app.state.redis.exists(f"gmm:envio:aceito:{mensagem_id}")

    await _esperar(esquecida)
