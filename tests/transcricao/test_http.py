"""The OpenAI-compatible backend against a respx-mocked server, through the real job."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import respx
from arq import Retry
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.conversas.schemas import MensagemOut
from gmm.core.config import Settings
from gmm.transcricao.tasks import TRANSCRICAO_MAX_TENTATIVAS, transcrever_audio
from tests import factories as f
from tests.conteudo import guardado
from tests.transcricao.conftest import (
    CHAVE,
    ENDPOINT,
    OGG,
    ContextoFactory,
    audio,
    ctx,
    eventos,
    recarregar,
)


@pytest.fixture
def servidor() -> Iterator[respx.MockRouter]:
    with respx.mock(assert_all_called=False) as router:
        yield router


async def test_posts_the_file_with_model_language_and_key_and_stores_the_text(
    db: AsyncSession,
    redis: Redis,
    openai_settings: Settings,
    contexto: ContextoFactory,
    servidor: respx.MockRouter,
) -> None:
    rota = servidor.post(ENDPOINT).respond(200, json={"text": "  Chego em meia hora.  "})
    c = await f.chamado(db, await f.terceirizado(db))
    m = await audio(db, c, openai_settings.media_dir)

    assert await transcrever_audio(ctx(contexto(openai_settings)), m.id) == "transcrita"

    assert rota.call_count == 1
    request = rota.calls.last.request
    assert request.headers["authorization"] == f"Bearer {CHAVE}"
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    corpo = request.read()
    for nome, valor in (("model", "whisper-1"), ("language", "pt"), ("response_format", "json")):
        assert f'name="{nome}"\r\n\r\n{valor}\r\n'.encode() in corpo
    arquivo = (m.url_midia or "").rsplit("/", 1)[1]
    assert f'name="file"; filename="{arquivo}"\r\nContent-Type: audio/ogg'.encode() in corpo
    assert OGG in corpo

    row = await recarregar(db, m.id)
    assert row.chamado_id is not None
    assert row.transcricao == "Chego em meia hora."
    # Only the transcription's keys change; the file's state stays.
    assert row.conteudo is not None
    assert guardado(row)["transcricao_status"] == "pronta"
    assert guardado(row)["midia_status"] == "pronta" and guardado(row)["midia"]["ptt"] is True
    assert MensagemOut.model_validate(row).transcricao == "Chego em meia hora."
    # Screens refresh the chat.
    assert {"mensagem_id": m.id, "chamado_id": row.chamado_id}.items() <= (
        (await eventos(redis, "mensagem.status"))[-1].items()
    )


async def test_without_a_key_no_authorization_and_the_configured_model(
    db: AsyncSession,
    openai_settings: Settings,
    contexto: ContextoFactory,
    servidor: respx.MockRouter,
) -> None:
    settings = openai_settings.model_copy(
        update={
            "transcricao_api_key": None,
            "transcricao_modelo": "Systran/faster-whisper-small",
            "transcricao_idioma": "es",
            "transcricao_url": "http://transcricao.test",
        }
    )
    rota = servidor.post(ENDPOINT).respond(200, json={"text": "Hola"})
    m = await audio(db, None, settings.media_dir)
    assert await transcrever_audio(ctx(contexto(settings)), m.id) == "transcrita"
    request = rota.calls.last.request
    assert "authorization" not in request.headers
    assert b'name="model"\r\n\r\nSystran/faster-whisper-small\r\n' in request.read()
    assert b'name="language"\r\n\r\nes\r\n' in request.read()


async def test_transient_failures_retry_with_backoff_then_the_text_is_stored(
    db: AsyncSession,
    openai_settings: Settings,
    contexto: ContextoFactory,
    servidor: respx.MockRouter,
) -> None:
    rota = servidor.post(ENDPOINT).mock(
        side_effect=[
            httpx.Response(503, json={"error": {"message": "sobrecarregado"}}),
            httpx.Response(429, headers={"Retry-After": "40"}),
            httpx.ReadTimeout("lento"),
            httpx.Response(200, json={"text": "O portão está quebrado"}),
        ]
    )
    m = await audio(db, None, openai_settings.media_dir)
    c = contexto(openai_settings)

    atrasos = []
    for tentativa in (1, 2, 3):
        with pytest.raises(Retry) as retry:
            await transcrever_audio(ctx(c, tentativa), m.id)
        atrasos.append(retry.value.defer_score)
        row = await recarregar(db, m.id)
        assert row.transcricao is None and "transcricao_status" not in (row.conteudo or {})
    assert all(a is not None and a > 0 for a in atrasos)
    # 429 waits at least what the server asked for.
    assert atrasos[1] is not None and atrasos[1] >= 40_000
    assert await transcrever_audio(ctx(c, 4), m.id) == "transcrita"
    assert rota.call_count == 4
    assert (await recarregar(db, m.id)).transcricao == "O portão está quebrado"


async def test_a_server_slower_than_the_limit_is_a_transient_failure(
    db: AsyncSession,
    openai_settings: Settings,
    contexto: ContextoFactory,
    servidor: respx.MockRouter,
) -> None:
    async def lento(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, json={"text": "tarde demais"})

    servidor.post(ENDPOINT).mock(side_effect=lento)
    settings = openai_settings.model_copy(update={"transcricao_timeout_seconds": 1.0})
    m = await audio(db, None, settings.media_dir)
    c = contexto(settings)
    with pytest.raises(Retry):
        await transcrever_audio(ctx(c), m.id)
    resultado = await transcrever_audio(ctx(c, TRANSCRICAO_MAX_TENTATIVAS), m.id)
    assert resultado == "falhou"
    row = await recarregar(db, m.id)
    assert row.conteudo is not None
    assert "não respondeu em 1 s" in guardado(row)["transcricao_erro"]


async def test_transient_failures_give_up_after_a_few_tries_and_say_why(
    db: AsyncSession,
    openai_settings: Settings,
    contexto: ContextoFactory,
    servidor: respx.MockRouter,
) -> None:
    servidor.post(ENDPOINT).respond(502)
    m = await audio(db, None, openai_settings.media_dir)
    resultado = await transcrever_audio(
        ctx(contexto(openai_settings), TRANSCRICAO_MAX_TENTATIVAS), m.id
    )
    assert resultado == "falhou"
    row = await recarregar(db, m.id)
    assert row.transcricao is None and row.conteudo is not None
    assert guardado(row)["transcricao_status"] == "falhou"
    assert "HTTP 502" in guardado(row)["transcricao_erro"]
    assert f"após {TRANSCRICAO_MAX_TENTATIVAS} tentativas" in guardado(row)["transcricao_erro"]
    # The voice note itself is untouched: still delivered, still playable.
    assert row.erro is None and row.url_midia and guardado(row)["midia_status"] == "pronta"


async def test_a_refusal_is_recorded_at_once_and_the_key_never_shows(
    db: AsyncSession,
    openai_settings: Settings,
    contexto: ContextoFactory,
    servidor: respx.MockRouter,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    # Servers echo a rejected key back (OpenAI does, partly).
    rota = servidor.post(ENDPOINT).respond(
        401, json={"error": {"message": f"Incorrect API key provided: {CHAVE}."}}
    )
    m = await audio(db, None, openai_settings.media_dir)
    c = contexto(openai_settings)
    assert await transcrever_audio(ctx(c), m.id) == "falhou"
    assert rota.call_count == 1

    row = await recarregar(db, m.id)
    assert row.conteudo is not None and guardado(row)["transcricao_status"] == "falhou"
    erro = guardado(row)["transcricao_erro"]
    assert "recusou o áudio (HTTP 401)" in erro and "Incorrect API key provided: ***" in erro
    assert "falhou" in caplog.text
    publico = MensagemOut.model_validate(row).model_dump_json()
    for onde in (erro, caplog.text, publico, repr(openai_settings), str(c.settings)):
        assert CHAVE not in onde

    # A failed one can be tried again (an operator re-queues it); success clears the error.
    rota.respond(200, json={"text": "ok"})
    assert await transcrever_audio(ctx(c), m.id) == "transcrita"
    row = await recarregar(db, m.id)
    assert row.transcricao == "ok" and row.conteudo is not None
    guardada = guardado(row)
    assert guardada["transcricao_status"] == "pronta" and "transcricao_erro" not in guardada


@pytest.mark.parametrize(
    ("resposta", "motivo"),
    [
        (httpx.Response(400, text="arquivo inválido"), "HTTP 400): arquivo inválido"),
        (httpx.Response(200, text="olá"), "sem o campo text"),
        (httpx.Response(200, json={"texto": "olá"}), "sem o campo text"),
    ],
)
async def test_unusable_answers_are_permanent(
    db: AsyncSession,
    openai_settings: Settings,
    contexto: ContextoFactory,
    servidor: respx.MockRouter,
    resposta: httpx.Response,
    motivo: str,
) -> None:
    servidor.post(ENDPOINT).mock(return_value=resposta)
    m = await audio(db, None, openai_settings.media_dir)
    assert await transcrever_audio(ctx(contexto(openai_settings)), m.id) == "falhou"
    row = await recarregar(db, m.id)
    assert row.conteudo is not None and motivo in guardado(row)["transcricao_erro"]


async def test_running_the_job_twice_transcribes_once(
    db: AsyncSession,
    openai_settings: Settings,
    contexto: ContextoFactory,
    servidor: respx.MockRouter,
) -> None:
    rota = servidor.post(ENDPOINT).respond(200, json={"text": "Primeira"})
    m = await audio(db, None, openai_settings.media_dir)
    c = contexto(openai_settings)
    assert await transcrever_audio(ctx(c), m.id) == "transcrita"
    rota.respond(200, json={"text": "Segunda"})
    assert await transcrever_audio(ctx(c), m.id) == "já transcrita"
    assert rota.call_count == 1
    assert (await recarregar(db, m.id)).transcricao == "Primeira"


async def test_missing_file_or_message_ends_quietly(
    db: AsyncSession,
    openai_settings: Settings,
    contexto: ContextoFactory,
    servidor: respx.MockRouter,
) -> None:
    rota = servidor.post(ENDPOINT).respond(200, json={"text": "x"})
    c = contexto(openai_settings)
    assert await transcrever_audio(ctx(c), 999_999) == "nada a fazer"
    m = await audio(db, None, openai_settings.media_dir)
    arquivo = Path(openai_settings.media_dir, (m.url_midia or "").rsplit("/", 1)[1])
    await asyncio.to_thread(arquivo.unlink)
    assert await transcrever_audio(ctx(c), m.id) == "falhou"
    row = await recarregar(db, m.id)
    assert (
        row.conteudo is not None and "não está mais guardado" in guardado(row)["transcricao_erro"]
    )
    assert rota.call_count == 0


async def test_backend_none_does_nothing(
    db: AsyncSession, settings: Settings, contexto: ContextoFactory, servidor: respx.MockRouter
) -> None:
    rota = servidor.route().respond(200, json={"text": "x"})
    m = await audio(db, None, settings.media_dir)
    assert settings.transcricao_backend == "none"
    assert await transcrever_audio(ctx(contexto(settings)), m.id) == "transcrição desligada"
    assert rota.call_count == 0
    assert (await recarregar(db, m.id)).transcricao is None


def test_settings_mask_the_key_and_treat_blank_as_unset() -> None:
    settings = Settings(
        _env_file=None, transcricao_api_key=SecretStr(CHAVE), transcricao_backend="openai"
    )
    assert CHAVE not in repr(settings) and CHAVE not in str(settings.model_dump())
    # Child processes (gmm run starts the worker) get it in their environment.
    assert settings.as_env()["GMM_TRANSCRICAO_API_KEY"] == CHAVE
    vazio = Settings(_env_file=None, transcricao_api_key="", transcricao_modelo=" ")
    assert vazio.transcricao_api_key is None and vazio.transcricao_modelo is None
    assert vazio.transcricao_backend == "none" and vazio.transcricao_idioma == "pt"
