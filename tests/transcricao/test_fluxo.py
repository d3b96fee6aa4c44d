"""Webhook → download (MegaAPI simulator) → transcription job → searchable text."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from arq.constants import health_check_key_suffix
from fastapi import FastAPI
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.conversas.models import Direcao, Mensagem, TipoConteudo
from gmm.core.config import Settings
from gmm.envio.fila import BAIXAR_MIDIA, ENVIAR, FILA_TRANSCRICOES, QUEUE_NAME, TRANSCREVER
from gmm.recebimento.baixar import baixar_midia
from gmm.worker import rodar as worker_tasks
from tests import factories as f
from tests.conteudo import guardado
from tests.entrega import Simulador, WorkerFactory
from tests.envio.test_entrega import _esperar
from tests.recebimento.test_webhook import _midia, _url
from tests.transcricao.conftest import CHAVE, ENDPOINT, URL, ContextoFactory

TELEFONE = "5511987654321"


def _nota_de_voz() -> dict[str, Any]:
    return _midia(
        TELEFONE, "audioMessage", {"mimetype": "audio/ogg; codecs=opus", "ptt": True, "seconds": 4}
    )


async def _recebidas(db: AsyncSession) -> list[Mensagem]:
    return list(
        await db.scalars(
            select(Mensagem)
            .where(Mensagem.direcao == Direcao.inbound)
            .order_by(Mensagem.id)
            .execution_options(populate_existing=True)
        )
    )


async def test_voice_note_is_downloaded_transcribed_and_found_by_the_search(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    tmp_path: Path,
) -> None:
    worker_settings = entrega_settings.model_copy(
        update={
            "media_dir": tmp_path / "midia",
            "transcricao_backend": "openai",
            "transcricao_url": URL,
            "transcricao_api_key": SecretStr(CHAVE),
        }
    )
    c = await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE), titulo="Câmara fria")
    outro = await f.chamado(db, await f.terceirizado(db), titulo="Elevador")
    await f.mensagem(db, outro, texto="tudo certo por aqui")
    h = f.headers(await f.usuario(db), settings)

    with respx.mock(assert_all_called=False) as router:
        router.route(url__startswith=simulador.url).pass_through()
        rota = router.post(ENDPOINT).respond(
            200, json={"text": "O compressor da câmara fria parou de novo"}
        )
        resposta = await client.post(_url(settings), json=_nota_de_voz())
        assert resposta.json()["resultado"] == "registrada"
        await worker(worker_settings)
        await worker.transcricoes(worker_settings)

        async def transcrita() -> bool:
            return any(m.transcricao for m in await _recebidas(db))

        await _esperar(transcrita)

    (nota,) = [m for m in await _recebidas(db) if m.tipo_conteudo == TipoConteudo.audio]
    assert nota.chamado_id == c.id
    assert nota.transcricao == "O compressor da câmara fria parou de novo"
    assert nota.conteudo is not None and guardado(nota)["transcricao_status"] == "pronta"
    assert rota.call_count == 1
    # The file the simulator served (a WAV) is what went to the server.
    assert b'.wav"\r\nContent-Type: audio/' in rota.calls.last.request.read()

    async def busca(termo: str) -> list[int]:
        r = await client.get("/api/conversas", params={"busca": termo}, headers=h)
        assert r.status_code == 200
        return [item["id"] for item in r.json()["items"]]

    assert await busca("compressor") == [c.id]
    assert await busca("CÂMARA FRIA PAROU") == [c.id]
    assert await busca("tudo certo") == [outro.id]
    assert await busca("geladeira") == []
    historico = await client.get(f"/api/conversas/{c.id}/mensagens", headers=h)
    (item,) = [i for i in historico.json()["items"] if i["id"] == nota.id]
    assert item["transcricao"] == "O compressor da câmara fria parou de novo"


@pytest.mark.parametrize("backend", ["none", "openai"])
async def test_only_stored_audio_is_queued_and_only_with_a_backend(
    client: httpx.AsyncClient,
    db: AsyncSession,
    app: FastAPI,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
    contexto: ContextoFactory,
    tmp_path: Path,
    backend: str,
) -> None:
    await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE))
    foto = _midia(TELEFONE, "imageMessage", {"mimetype": "image/png"})
    for body in (_nota_de_voz(), foto):
        assert (await client.post(_url(settings), json=body)).json()["resultado"] == "registrada"
    c = contexto(
        entrega_settings.model_copy(update={"media_dir": tmp_path, "transcricao_backend": backend})
    )
    recebidas = await _recebidas(db)
    for m in recebidas:
        resultado = await baixar_midia({"gmm": c, "redis": app.state.arq, "job_try": 1}, m.id)
        assert resultado == "baixada"

    async def jobs(fila: str) -> set[str]:
        return {j.decode() for j in await app.state.arq.zrange(fila, 0, -1)}

    nota = next(m for m in recebidas if m.tipo_conteudo == TipoConteudo.audio)
    esperado = {f"transcricao:{nota.id}"} if backend == "openai" else set()
    assert await jobs(FILA_TRANSCRICOES) == esperado
    # On their own queue only: the send queue's jobs all end in seconds.
    assert not any(j.startswith("transcricao:") for j in await jobs(QUEUE_NAME))
    # The download itself is done either way.
    assert all(m.url_midia for m in await _recebidas(db))


def test_transcriptions_have_a_queue_and_a_timeout_of_their_own(settings: Settings) -> None:
    longo = settings.model_copy(update={"transcricao_timeout_seconds": 900.0})
    envios = worker_tasks.worker_options(longo)
    transcricoes = worker_tasks.worker_transcricoes_options(longo)
    # arq hands a dead worker's jobs over after its longest function timeout: the
    # send worker's stays the send's, however long a voice note may take.
    assert {f.name for f in envios["functions"]} == {ENVIAR, BAIXAR_MIDIA}
    assert {f.timeout_s for f in envios["functions"]} == {longo.envio_job_timeout_seconds}
    (transcrever,) = transcricoes["functions"]
    assert transcricoes["queue_name"] == FILA_TRANSCRICOES != envios["queue_name"]
    assert transcrever.name == TRANSCREVER
    # The transcription ends (and its failure is recorded) before arq cuts the job.
    assert transcrever.timeout_s is not None and transcrever.timeout_s > 900
    assert transcricoes["max_jobs"] == longo.transcricao_simultaneas == 1


@pytest.mark.parametrize(
    ("argumentos", "filas"),
    [([], {QUEUE_NAME, FILA_TRANSCRICOES}), (["--fila", "envios"], {QUEUE_NAME})],
)
async def test_gmm_worker_runs_both_queues_and_stops_on_sigterm(
    openai_settings: Settings, redis_client: Redis, argumentos: list[str], filas: set[str]
) -> None:
    vivos = [f"{fila}{health_check_key_suffix}" for fila in (QUEUE_NAME, FILA_TRANSCRICOES)]
    processo = subprocess.Popen(
        [sys.executable, "-m", "gmm.app.cli", "worker", *argumentos],
        env={**os.environ, **openai_settings.as_env()},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Each arq worker records its health as soon as it polls its queue.
        async def no_ar() -> bool:
            return int(await redis_client.exists(*vivos)) == len(filas)

        await _esperar(no_ar, timeout=60)
        for chave, fila in zip(vivos, (QUEUE_NAME, FILA_TRANSCRICOES), strict=True):
            assert bool(await redis_client.exists(chave)) == (fila in filas)
        processo.send_signal(signal.SIGTERM)
        _, erros = await asyncio.to_thread(processo.communicate, timeout=20)
    finally:
        if processo.poll() is None:
            processo.kill()
            processo.wait()
    assert processo.returncode == 0, erros.decode()
    # Stopped cleanly: both workers closed their pools and said they were gone.
    assert await redis_client.exists(*vivos) == 0
