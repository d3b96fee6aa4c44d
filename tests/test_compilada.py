"""Statements compiled once and run on the driver (gmm.core.db.Compilada): the same
transaction as the session, whatever ran in it before."""

from __future__ import annotations

import asyncpg
import pytest
from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.chamados.models import Chamado, Prioridade
from gmm.chamados.trava import travando
from gmm.conversas.models import Direcao, Mensagem, TipoMensagem
from gmm.core.db import Compilada
from tests import factories as f

_NOVA = Compilada.de(
    insert(Mensagem)
    .values(
        chamado_id=bindparam("chamado_id"),
        direcao=Direcao.inbound.value,
        tipo=TipoMensagem.recebida.value,
        texto=bindparam("texto"),
        destinatario="5511987654321",
    )
    .returning(Mensagem.id, Mensagem.prioridade, Mensagem.tentativas)
)
_TRAVAR = Compilada.de(travando(select(Chamado.id).where(Chamado.id == bindparam("chamado_id"))))


async def test_the_first_statement_of_a_session_is_inside_its_transaction(
    sessionmaker: async_sessionmaker[AsyncSession], db: AsyncSession
) -> None:
    # Nothing has run in the session yet: SQLAlchemy's adapter sends BEGIN with its
    # own first statement, so a driver statement first would be in autocommit.
    chamado = await f.chamado(db, await f.terceirizado(db))
    await db.commit()
    async with sessionmaker() as primeira:
        assert await _TRAVAR.valor(primeira, chamado_id=chamado.id) == chamado.id
        # The lock is held: another transaction cannot take it.
        async with sessionmaker() as outra:
            with pytest.raises(DBAPIError) as erro:
                await outra.execute(
                    select(Chamado.id).where(Chamado.id == chamado.id).with_for_update(nowait=True)
                )
            assert isinstance(erro.value.orig, asyncpg.LockNotAvailableError) or (
                "lock" in str(erro.value).lower()
            )
            await outra.rollback()
        linha = await _NOVA.linha(primeira, chamado_id=chamado.id, texto="desfeita")
        assert linha is not None
        await primeira.rollback()
    # Rolled back with the session: the message is gone.
    assert await db.scalar(select(func.count()).select_from(Mensagem)) == 0


async def test_writes_are_seen_by_the_orm_in_the_same_transaction_and_defaults_apply(
    db: AsyncSession,
) -> None:
    chamado = await f.chamado(db, await f.terceirizado(db))
    linha = await _NOVA.linha(db, chamado_id=chamado.id, texto="oi")
    assert linha is not None
    # The models' Python-side defaults, which SQLAlchemy computes per execution.
    assert linha["prioridade"] == Prioridade.normal.value and linha["tentativas"] == 0
    mensagem = await db.get(Mensagem, linha["id"])
    assert mensagem is not None and mensagem.texto == "oi"
    await db.commit()
    # A new transaction of the same session: its statements are in it too.
    outra = await _NOVA.linha(db, chamado_id=chamado.id, texto="de novo")
    await db.rollback()
    assert outra is not None and await db.get(Mensagem, outra["id"]) is None


async def test_a_missing_parameter_or_an_in_list_is_refused(db: AsyncSession) -> None:
    with pytest.raises(TypeError, match="texto"):
        await _NOVA.linha(db, chamado_id=1)
    with pytest.raises(ValueError, match="expandidos"):
        Compilada.de(select(Chamado.id).where(Chamado.id.in_([1, 2])))
    # A wrong type is the driver's error, before anything is written.
    with pytest.raises(asyncpg.DataError):
        await _NOVA.linha(db, chamado_id="um", texto="x")
