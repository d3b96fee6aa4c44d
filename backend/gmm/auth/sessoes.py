"""Whether the sessions behind a process's open event streams still stand.

A stream outlives the request that checked its token, so it asks again every few
seconds (a logout, a new password or a deactivation ends it). Asked by each stream
on its own, a thousand open streams were two hundred queries a second, nearly all
about the same few operators. Here one read per user answers every stream of that
user for a while, and streams asking while it runs wait for it instead of reading
again.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.auth.models import Usuario


@dataclass(frozen=True)
class _Leitura:
    lida_em: float  # monotonic
    ativo: bool
    versao: int | None  # None: no such user


class VigiaDeSessoes:
    """One per API process (``app.state.sessoes``), keyed by the verified user's id:
    it holds each user's own state, and each stream compares it with the session
    version its token carried."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._lidas: dict[int, _Leitura] = {}
        self._em_curso: dict[int, asyncio.Task[_Leitura]] = {}

    async def ativa(self, usuario_id: int, versao: int, validade: float) -> bool:
        """Whether the session (user, version) still stands, by a read at most
        ``validade`` seconds old. Raises what the database raises when it is down."""
        leitura = self._lidas.get(usuario_id)
        if leitura is None or time.monotonic() - leitura.lida_em >= validade:
            tarefa = self._em_curso.get(usuario_id)
            if tarefa is None:
                tarefa = asyncio.create_task(self._ler(usuario_id))
                self._em_curso[usuario_id] = tarefa
                tarefa.add_done_callback(lambda _: self._em_curso.pop(usuario_id, None))
            # Shielded: a stream that ends meanwhile does not cancel the others' read.
            leitura = await asyncio.shield(tarefa)
        return leitura.ativo and leitura.versao == versao

    async def _ler(self, usuario_id: int) -> _Leitura:
        async with self._sessionmaker() as session:
            linha = (
                await session.execute(
                    select(Usuario.ativo, Usuario.sessao_versao).where(Usuario.id == usuario_id)
                )
            ).one_or_none()
        leitura = _Leitura(time.monotonic(), *(linha or (False, None)))
        self._lidas[usuario_id] = leitura
        return leitura
