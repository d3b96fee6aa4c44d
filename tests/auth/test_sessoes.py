"""The process's one watcher of the sessions behind open event streams."""

from __future__ import annotations

import asyncio

from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gmm.auth.models import Usuario
from gmm.auth.sessoes import VigiaDeSessoes
from tests import factories as f


async def test_many_streams_of_one_user_share_one_read(
    db: AsyncSession, engine: AsyncEngine, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    usuario = await f.usuario(db)
    outro = await f.usuario(db)
    await db.commit()
    vigia = VigiaDeSessoes(sessionmaker)
    leituras: list[str] = []

    def contar(_c: object, _cu: object, sql: str, *_: object) -> None:
        if "FROM usuarios" in sql:
            leituras.append(sql)

    event.listen(engine.sync_engine, "before_cursor_execute", contar)
    try:
        respostas = await asyncio.gather(
            *(vigia.ativa(usuario.id, usuario.sessao_versao, 60) for _ in range(200)),
            *(vigia.ativa(outro.id, outro.sessao_versao, 60) for _ in range(100)),
        )
        # Again, within the validity: nothing read.
        assert await vigia.ativa(usuario.id, usuario.sessao_versao, 60)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", contar)
    assert all(respostas)
    assert len(leituras) == 2  # one per user, not one per stream


async def test_a_revoked_session_is_seen_once_the_read_is_old_enough(
    db: AsyncSession, sessionmaker: async_sessionmaker[AsyncSession]
) -> None:
    usuario = await f.usuario(db)
    await db.commit()
    versao = usuario.sessao_versao
    vigia = VigiaDeSessoes(sessionmaker)
    assert await vigia.ativa(usuario.id, versao, 60)
    # A token of an older version never stood.
    assert not await vigia.ativa(usuario.id, versao - 1, 60)
    await db.execute(
        update(Usuario).where(Usuario.id == usuario.id).values(sessao_versao=versao + 1)
    )
    await db.commit()
    # The read is fresh enough for 60 s; one that must be at most 0 s old sees the logout.
    assert await vigia.ativa(usuario.id, versao, 60)
    assert not await vigia.ativa(usuario.id, versao, 0)
    assert await vigia.ativa(usuario.id, versao + 1, 0)
    await db.execute(update(Usuario).where(Usuario.id == usuario.id).values(ativo=False))
    await db.commit()
    assert not await vigia.ativa(usuario.id, versao + 1, 0)
    # A user that does not exist has no session.
    assert not await vigia.ativa(usuario.id + 1000, 1, 0)
