"""Webhook → download (MegaAPI simulator) → transcription job → searchable text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import respx
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.config import Settings
from gmm.conversas.models import Direcao, Mensagem, TipoConteudo
from gmm.whatsapp.fila import QUEUE_NAME
from gmm.whatsapp.tasks import baixar_midia
from tests import factories as f
from tests.transcricao.conftest import CHAVE, ENDPOINT, URL, ContextoFactory
from tests.whatsapp.conftest import Simulador, WorkerFactory
from tests.whatsapp.test_entrega import _esperar
from tests.whatsapp.test_webhook import _midia, _url

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

        async def transcrita() -> bool:
            return any(m.transcricao for m in await _recebidas(db))

        await _esperar(transcrita)

    (nota,) = [m for m in await _recebidas(db) if m.tipo_conteudo == TipoConteudo.audio]
    assert nota.chamado_id == c.id
    assert nota.transcricao == "O compressor da câmara fria parou de novo"
    assert nota.conteudo is not None and nota.conteudo["transcricao_status"] == "pronta"
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

    jobs = {j.decode() for j in await app.state.arq.zrange(QUEUE_NAME, 0, -1)}
    nota = next(m for m in recebidas if m.tipo_conteudo == TipoConteudo.audio)
    esperado = {f"transcricao:{nota.id}"} if backend == "openai" else set()
    assert {j for j in jobs if j.startswith("transcricao:")} == esperado
    # The download itself is done either way.
    assert all(m.url_midia for m in await _recebidas(db))
