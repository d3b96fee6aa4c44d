"""The publisher: never in the caller's way, and a stream that stays small."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import AsyncIterator

import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.chamados.models import StatusChamado
from gmm.core import eventos as service
from gmm.core.db import session_scope
from gmm.core.eventos import STREAM, perdeu_eventos, publicar, publicar_apos_commit
from tests.eventos.exemplos import alerta, chamado, nova, status


async def test_publicar_appends_the_event_and_answers_its_id(redis: Redis, clean: None) -> None:
    primeiro = await publicar(redis, nova(42))
    segundo = await publicar(redis, chamado(7, StatusChamado.concluido))
    entradas = await redis.xrange(STREAM)
    assert [i for i, _ in entradas] == [primeiro, segundo]
    assert entradas[0][1]["tipo"] == "mensagem.nova"
    assert json.loads(entradas[0][1]["dados"]) == {
        "chamado_id": 7,
        "mensagem_id": 42,
        "direcao": "inbound",
        "status_envio": "entregue",
        "erro": None,
    }
    assert entradas[1][1]["tipo"] == "chamado.atualizado"


async def test_a_transactions_events_go_out_together_in_order_after_the_commit(
    redis: Redis, clean: None, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    with pytest.raises(RuntimeError):
        async with session_scope(sessionmaker) as session:
            publicar_apos_commit(session, nova(1))
            raise RuntimeError("rollback")
    async with session_scope(sessionmaker) as session:
        for mensagem_id in (2, 3, 4):
            publicar_apos_commit(session, nova(mensagem_id))
        publicar_apos_commit(session, chamado(7, StatusChamado.concluido))
        assert await redis.xrange(STREAM) == []  # not before the commit
    entradas = await redis.xrange(STREAM)
    assert [(e["tipo"], json.loads(e["dados"]).get("mensagem_id")) for _, e in entradas] == [
        ("mensagem.nova", 2),
        ("mensagem.nova", 3),
        ("mensagem.nova", 4),
        ("chamado.atualizado", None),
    ]


async def test_publicar_through_arqs_pool_answers_a_text_id(app: FastAPI, clean: None) -> None:
    # arq's pool does not decode replies; the id must still be text.
    evento_id = await publicar(app.state.arq, nova(1))
    assert re.fullmatch(r"\d+-\d+", evento_id)
    entradas = await app.state.redis.xrange(STREAM)
    assert [i for i, _ in entradas] == [evento_id]


async def test_publicar_with_redis_down_answers_empty_without_raising(
    caplog: pytest.LogCaptureFixture,
) -> None:
    fora = Redis.from_url("redis://127.0.0.1:1/0", decode_responses=True, socket_connect_timeout=1)
    try:
        with caplog.at_level(logging.WARNING, logger="gmm.core.eventos"):
            assert await publicar(fora, status(1)) == ""
    finally:
        await fora.aclose()
    assert "evento mensagem.status não publicado" in caplog.text


@pytest.fixture
async def redis_mudo() -> AsyncIterator[str]:
    """A server that accepts connections and never answers: a hung Redis."""
    conexoes: list[asyncio.StreamWriter] = []

    async def aceitar(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conexoes.append(writer)

    servidor = await asyncio.start_server(aceitar, "127.0.0.1", 0)
    porta = servidor.sockets[0].getsockname()[1]
    try:
        yield f"redis://127.0.0.1:{porta}/0"
    finally:
        for writer in conexoes:
            writer.close()
        servidor.close()
        await servidor.wait_closed()


async def test_publicar_with_a_hung_redis_gives_up_in_time(
    redis_mudo: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "PUBLICAR_TIMEOUT", 0.3)
    mudo = Redis.from_url(redis_mudo, decode_responses=True)
    try:
        async with asyncio.timeout(3):
            assert await publicar(mudo, alerta(1)) == ""
    finally:
        await mudo.aclose()


async def test_stream_is_capped(redis: Redis, clean: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "LIMITE", 300)
    for n in range(1500):
        assert await publicar(redis, status(n))
    tamanho = await redis.xlen(STREAM)
    # Approximate trimming frees whole nodes (100 entries by default).
    assert 300 <= tamanho <= 400
    ultimo = await redis.xrevrange(STREAM, count=1)
    assert json.loads(ultimo[0][1]["dados"])["mensagem_id"] == 1499


async def test_entries_older_than_the_window_are_trimmed(redis: Redis, clean: None) -> None:
    segundos, micro = await redis.time()
    agora_ms = segundos * 1000 + micro // 1000
    velho_ms = agora_ms - service.JANELA_MS - 60_000
    for n in range(250):
        await redis.xadd(STREAM, {"tipo": "alerta", "dados": "{}"}, id=f"{velho_ms}-{n}")
    novo = await publicar(redis, alerta(1))
    restantes = [i for i, _ in await redis.xrange(STREAM)]
    assert restantes[-1] == novo
    # Whole nodes of old entries went; at most one partly old node may stay.
    assert len(restantes) - 1 < 100


_FIM = "1700000000009-0"


@pytest.mark.parametrize(
    ("ultimo_id", "info", "perdeu"),
    [
        # No stream: fine for the id of the empty stream, a loss for any real id.
        ("0-0", None, False),
        ("1700000000000-0", None, True),
        # Redis 7 counts what was ever added: nothing trimmed, nothing lost.
        ("0-0", {"length": 3, "entries-added": 3, "first-entry": ("1700000000001-0", {})}, False),
        # Trimmed: whoever is behind the first entry left may have lost some.
        (
            "1700000000000-9",
            {"length": 3, "entries-added": 5, "first-entry": ("1700000000001-0", {})},
            True,
        ),
        (
            "1700000000001-0",
            {"length": 3, "entries-added": 5, "first-entry": ("1700000000001-0", {})},
            False,
        ),
        # Redis 6.2 has no count: compared with the first entry left, conservatively.
        ("1700000000001-0", {"length": 3, "first-entry": ("1700000000001-0", {})}, False),
        ("1700000000000-9", {"length": 3, "first-entry": ("1700000000001-0", {})}, True),
        ("0-0", {"length": 3, "first-entry": ("1700000000001-0", {})}, True),
        # An empty stream whose entries were all trimmed.
        ("1700000000000-0", {"length": 0, "first-entry": None, "last-generated-id": _FIM}, True),
        (_FIM, {"length": 0, "first-entry": None, "last-generated-id": _FIM}, False),
    ],
)
def test_perdeu_eventos(ultimo_id: str, info: dict[str, object] | None, perdeu: bool) -> None:
    assert perdeu_eventos(ultimo_id, info) is perdeu
