"""Order per chamado: a chamado's messages reach MegaAPI in the order they were accepted,
whatever retries, outages and workers do; one chamado waiting never holds another."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado
from gmm.conversas.conteudo import ConteudoArquivo
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.envio.fila import ENVIAR, QUEUE_NAME, Fila, job_id
from tests import factories as f
from tests.entrega import Simulador, WorkerFactory, worker_processos
from tests.envio.test_entrega import _esperar, _mensagem, _status


async def _enfileirada(db: AsyncSession, chamado: Chamado, texto: str, **campos: object) -> int:
    """A message accepted for ``chamado`` (its id), with no job yet."""
    row = await f.mensagem(
        db, chamado, direcao=Direcao.outbound, texto=texto, status=StatusEnvio.enfileirado
    )
    for campo, valor in campos.items():
        setattr(row, campo, valor)
    await db.commit()
    return row.id


async def test_an_outage_with_two_workers_keeps_each_chamados_order(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
) -> None:
    h = f.headers(await f.usuario(db), settings)
    chamados = []
    for i in range(6):
        t = await f.terceirizado(db)
        criado = await client.post(
            "/api/chamados", json={"terceirizado_id": t.id, "titulo": f"Obra {i}"}, headers=h
        )
        assert criado.status_code == 201, criado.text
        chamados.append(criado.json()["chamado"]["id"])

    async def responder(rodada: int) -> None:
        for chamado_id in chamados:
            r = await client.post(
                f"/api/chamados/{chamado_id}/responder",
                json={"mensagem": f"chamado {chamado_id}, mensagem {rodada}"},
                headers=h,
            )
            assert r.status_code == 201, r.text

    # Many tries and a sweep that looks often: the outage must cost time, never a message.
    resistente = entrega_settings.model_copy(
        update={"envio_max_tentativas": 100, "varredura_idade_seconds": 5}
    )
    async with worker_processos(resistente, 2):
        await responder(1)
        # The gateway fails every call for 20 s while more is accepted: retries,
        # backoff and the open breaker all happen with later messages waiting.
        await simulador.falhar("5xx", duration_s=20, status=503)
        for rodada in range(2, 5):
            await responder(rodada)

        async def tudo_enviado() -> bool:
            db.expire_all()
            pendentes = await db.scalars(
                select(Mensagem.id).where(
                    Mensagem.status_envio.in_((StatusEnvio.pendente, StatusEnvio.enfileirado))
                )
            )
            return not list(pendentes)

        await _esperar(tudo_enviado, timeout=240, passo=0.5)

    aceitas = list(
        await db.scalars(
            select(Mensagem).where(Mensagem.direcao == Direcao.outbound).order_by(Mensagem.id)
        )
    )
    assert len(aceitas) == 6 * 5
    assert {m.status_envio for m in aceitas} == {StatusEnvio.enviado}
    por_telefone_aceitas: dict[str, list[str]] = defaultdict(list)
    for m in aceitas:
        por_telefone_aceitas[m.destinatario].append(m.texto or "")
    recebidas: dict[str, list[str]] = defaultdict(list)
    envios = await simulador.envios()
    for envio in envios:
        if envio["status"] == 200:
            dados = envio["json"]["messageData"]
            recebidas[dados["to"]].append(dados["text"])
    # Refused calls did happen (the outage was real) ...
    assert any(envio["status"] == 503 for envio in envios)
    # ... and each contractor got every message once, in the order it was accepted.
    assert recebidas == por_telefone_aceitas


async def test_a_message_waiting_for_a_retry_holds_only_its_own_chamado(
    db: AsyncSession,
    app: FastAPI,
    simulador: Simulador,
    worker: WorkerFactory,
) -> None:
    ta, tb = await f.terceirizado(db), await f.terceirizado(db)
    a, b = await f.chamado(db, ta), await f.chamado(db, tb)
    a1 = await _enfileirada(db, a, "A1")
    a2 = await _enfileirada(db, a, "A2")
    b1 = await _enfileirada(db, b, "B1")
    b2 = await _enfileirada(db, b, "B2")
    fila = Fila(app.state.arq)
    # A1 waits for a retry an hour away, as after a long backoff.
    await app.state.arq.enqueue_job(
        ENVIAR, a1, _job_id=job_id(a1), _queue_name=QUEUE_NAME, _defer_by=timedelta(hours=1)
    )
    for m in (a2, b1, b2):
        assert await fila.enfileirar(m)
    await worker()

    await _esperar(_status(db, b2, StatusEnvio.enviado), timeout=60)
    assert (await _mensagem(db, b1)).status_envio == StatusEnvio.enviado
    # B flowed; A2 stays behind A1 and its job waits with it, not in a busy loop.
    assert (await _mensagem(db, a2)).status_envio == StatusEnvio.enfileirado
    assert (await _mensagem(db, a2)).tentativas == 0
    assert [e["json"]["messageData"]["text"] for e in await simulador.envios()] == ["B1", "B2"]
    await _esperar(lambda: _score_adiante(app, a2, minutos=30), timeout=60, passo=0.2)

    # A1's retry comes due: it goes, and wakes A2 at once instead of in an hour.
    await fila.acordar(a1)
    await _esperar(_status(db, a2, StatusEnvio.enviado), timeout=60)
    textos = [e["json"]["messageData"]["text"] for e in await simulador.envios()]
    assert textos == ["B1", "B2", "A1", "A2"]


async def _score_adiante(app: FastAPI, mensagem_id: int, *, minutos: int) -> bool:
    """The message's job is deferred at least ``minutos`` from now (it waits, not polls)."""
    score = await app.state.redis.zscore(QUEUE_NAME, job_id(mensagem_id))
    agora_ms = (await app.state.redis.time())[0] * 1000
    return score is not None and score > agora_ms + minutos * 60_000


async def test_a_failed_message_releases_the_next_one(
    db: AsyncSession,
    app: FastAPI,
    simulador: Simulador,
    worker: WorkerFactory,
) -> None:
    t = await f.terceirizado(db)
    chamado = await f.chamado(db, t)
    # A file that is no longer stored: MegaAPI is never asked, the send fails for good.
    a1 = await _enfileirada(
        db,
        chamado,
        "",
        tipo=TipoMensagem.midia,
        tipo_conteudo=TipoConteudo.document,
        conteudo=ConteudoArquivo(
            arquivo="sumiu.pdf", nome_arquivo="orcamento.pdf", mime_type="application/pdf"
        ),
    )
    a2 = await _enfileirada(db, chamado, "depois do arquivo")
    fila = Fila(app.state.arq)
    # The second is queued first: it still waits for the first one to be done with.
    assert await fila.enfileirar(a2)
    assert await fila.enfileirar(a1)
    await worker()
    await _esperar(_status(db, a2, StatusEnvio.enviado), timeout=60)
    falha = await _mensagem(db, a1)
    assert falha.status_envio == StatusEnvio.falhou and falha.erro
    assert [e["json"]["messageData"]["text"] for e in await simulador.envios()] == [
        "depois do arquivo"
    ]
