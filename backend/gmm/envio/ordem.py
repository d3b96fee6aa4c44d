"""Order per chamado: a chamado's messages reach MegaAPI in the order they were accepted.

Within a chamado, acceptance order is id order: every send takes the chamado's row
lock before it inserts (chamados/trava.py), so one chamado's ids are handed out in
commit order.

A message goes only when no earlier message of its chamado is still ``pendente`` or
``enfileirado`` (waiting for a rate slot, the breaker or a retry); the claim checks
it in the same UPDATE (``e_a_vez``), so no interleaving of workers sends out of
order. A job that finds an earlier message waits (arq ``Retry``) until that
message's own job is due, and whoever sends or fails a message wakes the next one of
its chamado at once. A message accepted behind an earlier one of its chamado is
queued asleep (``Fila.enfileirar(aguardar=True)``) and woken the same way, so that
workers spend their turns on messages that can go. A failed message holds nothing
back. Other chamados never wait for this one: each looks only at its own messages.
"""

from __future__ import annotations

import time

from redis.asyncio import Redis
from redis.exceptions import RedisError
from sqlalchemy import ColumnElement, Row, Select, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from gmm.chamados.models import Prioridade
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from gmm.envio.fila import QUEUE_NAME, job_id

EM_ANDAMENTO = (StatusEnvio.pendente, StatusEnvio.enfileirado)

# The earlier message is due or being sent right now: it wakes us when it is done,
# and this is the most a missed wake-up costs.
ESPERA_EM_CURSO_S = 1.0
# The earlier message has no job (the sweep is queueing it again): look again soon.
ESPERA_SEM_JOB_S = 5.0
# Wake a little after the earlier message's job is due, so that it goes first.
FOLGA_S = 0.5


def e_a_vez() -> ColumnElement[bool]:
    """For a claim's UPDATE of ``mensagens``: no earlier message of its chamado to go."""
    anterior = aliased(Mensagem)
    return ~exists().where(
        anterior.chamado_id == Mensagem.chamado_id,
        anterior.direcao == Direcao.outbound,
        anterior.id < Mensagem.id,
        anterior.status_envio.in_(EM_ANDAMENTO),
    )


def ha_anterior(mensagem_id: int) -> Select[tuple[bool]]:
    """Whether an earlier message of ``mensagem_id``'s chamado has yet to go."""
    atual = aliased(Mensagem)
    return select(
        exists().where(
            atual.id == mensagem_id,
            Mensagem.chamado_id == atual.chamado_id,
            Mensagem.direcao == Direcao.outbound,
            Mensagem.id < atual.id,
            Mensagem.status_envio.in_(EM_ANDAMENTO),
        )
    )


async def anterior(session: AsyncSession, mensagem: Mensagem) -> int | None:
    """The chamado's message just before ``mensagem`` that has yet to go, if any."""
    if mensagem.chamado_id is None:
        return None
    anterior_id: int | None = await session.scalar(
        select(Mensagem.id)
        .where(
            Mensagem.chamado_id == mensagem.chamado_id,
            Mensagem.direcao == Direcao.outbound,
            Mensagem.id < mensagem.id,
            Mensagem.status_envio.in_(EM_ANDAMENTO),
        )
        .order_by(Mensagem.id.desc())
        .limit(1)
    )
    return anterior_id


async def proxima(session: AsyncSession, mensagem_id: int) -> Row[int, Prioridade] | None:
    """The chamado's next message after ``mensagem_id`` that has yet to go (id, prioridade)."""
    chamado_id = select(Mensagem.chamado_id).where(Mensagem.id == mensagem_id).scalar_subquery()
    result = await session.execute(
        select(Mensagem.id, Mensagem.prioridade)
        .where(
            Mensagem.chamado_id == chamado_id,
            Mensagem.direcao == Direcao.outbound,
            Mensagem.id > mensagem_id,
            Mensagem.status_envio.in_(EM_ANDAMENTO),
        )
        .order_by(Mensagem.id)
        .limit(1)
    )
    return result.first()


async def espera(redis: Redis, anterior_id: int) -> float:
    """How long a message waits for ``anterior_id``: until that one's job is due (arq
    scores jobs by due time in ms), or a short while when it is due or running."""
    try:
        score = await redis.zscore(QUEUE_NAME, job_id(anterior_id))
    except RedisError:
        return ESPERA_SEM_JOB_S
    if score is None:
        return ESPERA_SEM_JOB_S
    restante = score / 1000 - time.time()
    return restante + FOLGA_S if restante > 0 else ESPERA_EM_CURSO_S
