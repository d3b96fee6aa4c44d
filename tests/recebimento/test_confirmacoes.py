"""Receipts that arrive together share one transaction (gmm.recebimento.confirmacoes)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from gmm.core import metricas
from gmm.core.config import Settings
from gmm.core.embedded import free_port
from gmm.core.errors import ServiceUnavailable
from gmm.envio.models import AckPendente
from gmm.envio.ticks import Aplicado, Tick
from gmm.recebimento.confirmacoes import Confirmacoes
from tests import factories as f
from tests.recebimento.test_webhook import _url, ack


async def _enviadas(db: AsyncSession, n: int, prefixo: str) -> list[Mensagem]:
    c = await f.chamado(db, await f.terceirizado(db))
    linhas = []
    for i in range(n):
        m = await f.mensagem(db, c, direcao=Direcao.outbound, status=StatusEnvio.enviado)
        m.megaapi_id = f"{prefixo}{i}"
        linhas.append(m)
    await db.commit()
    return linhas


async def _estados(db: AsyncSession, enviadas: list[Mensagem]) -> set[StatusEnvio]:
    linhas = await db.scalars(
        select(Mensagem.status_envio).where(Mensagem.id.in_([m.id for m in enviadas]))
    )
    return set(linhas)


def _entregues(
    confirmacoes: Confirmacoes, enviadas: list[Mensagem]
) -> list[asyncio.Task[Aplicado]]:
    """A "delivered" receipt for each message, each from a request of its own."""
    return [
        asyncio.create_task(confirmacoes.aplicar(Tick(m.megaapi_id or "", StatusEnvio.entregue)))
        for m in enviadas
    ]


def _lotes() -> tuple[float, float]:
    """(batches, receipts) the histogram has counted so far."""
    (metrica,) = metricas.RECIBOS_POR_LOTE.collect()
    amostras = {s.name: s.value for s in metrica.samples}
    return amostras["gmm_recibos_por_lote_count"], amostras["gmm_recibos_por_lote_sum"]


async def test_receipts_that_arrive_together_are_applied_in_one_transaction(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
) -> None:
    enviadas = await _enviadas(db, 10, "LOTE")
    confirmacoes = Confirmacoes(sessionmaker, redis)
    antes = _lotes()
    aplicados = await asyncio.gather(
        *(confirmacoes.aplicar(Tick(m.megaapi_id or "", StatusEnvio.entregue)) for m in enviadas),
        confirmacoes.aplicar(Tick("NINGUEM", StatusEnvio.lido)),
    )
    depois = _lotes()
    # All eleven were queued before the first batch began: one transaction took them.
    assert (depois[0] - antes[0], depois[1] - antes[1]) == (1, 11)
    assert [a.movida is not None for a in aplicados] == [True] * 10 + [False]
    assert [a.movida.mensagem_id for a in aplicados[:10] if a.movida] == [m.id for m in enviadas]
    assert aplicados[10] == Aplicado(None, guardado=True)
    assert await _estados(db, enviadas) == {StatusEnvio.entregue}
    assert await db.scalar(select(func.count()).select_from(AckPendente)) == 1


async def test_two_receipts_for_one_message_in_a_batch_apply_in_their_order(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
) -> None:
    (m,) = await _enviadas(db, 1, "DUAS")
    confirmacoes = Confirmacoes(sessionmaker, redis)
    entregue, lido, entregue_tarde = await asyncio.gather(
        confirmacoes.aplicar(Tick("DUAS0", StatusEnvio.entregue)),
        confirmacoes.aplicar(Tick("DUAS0", StatusEnvio.lido)),
        confirmacoes.aplicar(Tick("DUAS0", StatusEnvio.entregue)),
    )
    assert entregue.movida is not None and entregue.movida.status_envio == StatusEnvio.entregue
    assert lido.movida is not None and lido.movida.status_envio == StatusEnvio.lido
    assert entregue_tarde == Aplicado(None, guardado=False)
    linha = await db.get(Mensagem, m.id, populate_existing=True)
    assert linha is not None and linha.status_envio == StatusEnvio.lido


async def test_a_receipt_the_database_refuses_fails_alone(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
) -> None:
    enviadas = await _enviadas(db, 3, "ISOLA")
    confirmacoes = Confirmacoes(sessionmaker, redis)
    # A NUL never gets past the webhook's validation; here it stands for any receipt
    # that makes the batch's statement fail.
    resultados = await asyncio.gather(
        *(confirmacoes.aplicar(Tick(m.megaapi_id or "", StatusEnvio.lido)) for m in enviadas),
        confirmacoes.aplicar(Tick("RUIM\x00", StatusEnvio.lido)),
        return_exceptions=True,
    )
    assert all(isinstance(r, Aplicado) and r.movida is not None for r in resultados[:3])
    assert isinstance(resultados[3], Exception)
    assert not isinstance(resultados[3], ServiceUnavailable)
    assert await _estados(db, enviadas) == {StatusEnvio.lido}


async def test_with_redis_out_the_whole_batch_is_a_503_and_nothing_moves(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    enviadas = await _enviadas(db, 4, "FORA")
    fora = Redis(port=free_port(), socket_connect_timeout=1)
    try:
        confirmacoes = Confirmacoes(sessionmaker, fora)
        resultados = await asyncio.gather(
            *(confirmacoes.aplicar(Tick(m.megaapi_id or "", StatusEnvio.lido)) for m in enviadas),
            return_exceptions=True,
        )
    finally:
        await fora.aclose()
    assert all(isinstance(r, ServiceUnavailable) for r in resultados)
    assert await _estados(db, enviadas) == {StatusEnvio.enviado}


async def test_a_request_that_gives_up_waiting_leaves_the_batch_whole(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
) -> None:
    enviadas = await _enviadas(db, 3, "DESISTE")
    confirmacoes = Confirmacoes(sessionmaker, redis)
    esperas = _entregues(confirmacoes, enviadas)
    await asyncio.sleep(0)  # all three queued
    esperas[0].cancel()
    with pytest.raises(asyncio.CancelledError):
        await esperas[0]
    for espera in esperas[1:]:
        assert (await espera).movida is not None
    await confirmacoes.fechar()
    # The one whose sender hung up was in the batch all the same.
    assert await _estados(db, enviadas) == {StatusEnvio.entregue}


async def test_simultaneous_receipts_over_http_each_get_their_own_answer(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    enviadas = await _enviadas(db, 20, "HTTP")
    respostas = await asyncio.gather(
        *(client.post(_url(settings), json=ack(m.megaapi_id or "", 3)) for m in enviadas),
        *(client.post(_url(settings), json=ack(f"DESCONHECIDA{i}", 3)) for i in range(5)),
    )
    assert [r.status_code for r in respostas] == [200] * 25
    resultados = [r.json()["resultado"] for r in respostas]
    assert resultados == ["ack_aplicado"] * 20 + ["ack_pendente"] * 5
    assert await _estados(db, enviadas) == {StatusEnvio.entregue}


async def test_a_drain_cancelled_before_it_starts_answers_503_to_everyone_queued(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
) -> None:
    enviadas = await _enviadas(db, 3, "CORTE")
    confirmacoes = Confirmacoes(sessionmaker, redis)
    esperas = _entregues(confirmacoes, enviadas)
    await asyncio.sleep(0)  # all three queued; the drain is created, not yet started
    drenagem = confirmacoes._tarefa
    assert drenagem is not None
    drenagem.cancel()
    async with asyncio.timeout(60):  # a waiter left hanging fails here
        resultados = await asyncio.gather(*esperas, return_exceptions=True)
    assert all(isinstance(r, ServiceUnavailable) for r in resultados), resultados


async def test_a_drain_cancelled_mid_batch_still_ends_the_batch_in_the_database(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession], redis: Redis
) -> None:
    enviadas = await _enviadas(db, 3, "MEIO")
    confirmacoes = Confirmacoes(sessionmaker, redis)
    esperas = _entregues(confirmacoes, enviadas)
    await asyncio.sleep(0)  # all three queued
    await asyncio.sleep(0)  # the drain took them to the database
    drenagem = confirmacoes._tarefa
    assert drenagem is not None and confirmacoes._lote is not None
    drenagem.cancel()
    async with asyncio.timeout(60):
        resultados = await asyncio.gather(*esperas, return_exceptions=True)
    await confirmacoes.fechar()
    # Cut mid-statement, the connection would be left in its transaction, holding the
    # locks (the next test's TRUNCATE would wait forever): the batch ended instead.
    assert all(isinstance(r, Aplicado) and r.movida is not None for r in resultados), resultados
    assert await _estados(db, enviadas) == {StatusEnvio.entregue}
