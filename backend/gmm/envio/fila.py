"""The queues: arq jobs in Redis, one per message (job id = message id).

Sends, downloads and the sweep share one queue, whose jobs all end in seconds;
transcriptions have their own, because a local model can take minutes over a long
voice note and arq hands a dead worker's jobs over only after the longest timeout
of the functions its worker runs.
"""

from __future__ import annotations

from datetime import timedelta

from arq.connections import ArqRedis
from arq.constants import in_progress_key_prefix

from gmm.core import logs
from gmm.core.db import utcnow
from gmm.core.roteiros import roteiro

QUEUE_NAME = "gmm:fila:envios"
FILA_TRANSCRICOES = "gmm:fila:transcricoes"
ENVIAR = "enviar_mensagem"
BAIXAR_MIDIA = "baixar_midia"
TRANSCREVER = "transcrever_audio"
# Urgent messages are queued with a score this far in the past, so every worker
# picks them before the normal ones that are already due.
ADIANTAMENTO_URGENTE = timedelta(minutes=5)
# A message queued behind an earlier one of its chamado is woken when that one is
# done; it also looks for itself this often, so that a lost wake-up (a race with the
# job's own retry, Redis failing at that moment) costs seconds, not a stuck chat.
AGUARDAR = timedelta(seconds=15)


# Only a job that waits in the queue is moved: arq reschedules a running job that
# retries by adding to its score, which would push a moved one further away.
_ACORDAR = """
if redis.call('EXISTS', KEYS[2]) == 0 then
  redis.call('ZADD', KEYS[1], 'XX', ARGV[2], ARGV[1])
end
"""


def job_id(mensagem_id: int) -> str:
    return f"mensagem:{mensagem_id}"


class Fila:
    def __init__(self, arq: ArqRedis) -> None:
        self.arq = arq
        self._acordar = roteiro(arq, _ACORDAR)

    async def enfileirar(
        self, mensagem_id: int, *, urgente: bool = False, aguardar: bool = False
    ) -> bool:
        """Queue the send job; False when that message already has a job (a no-op).

        ``aguardar``: an earlier message of its chamado has yet to go, which wakes this
        one when done (``acordar``); until then it sleeps, for at most AGUARDAR."""
        quando = utcnow() - ADIANTAMENTO_URGENTE if urgente else None
        if aguardar:
            quando = utcnow() + AGUARDAR
        job = await self.arq.enqueue_job(
            ENVIAR,
            mensagem_id,
            # The request that accepted the message, so its logs can be followed into the job.
            request_id=logs.request_id.get(),
            _job_id=job_id(mensagem_id),
            _queue_name=QUEUE_NAME,
            _defer_until=quando,
        )
        return job is not None

    async def acordar(self, mensagem_id: int, *, urgente: bool = False) -> None:
        """Make the message's send job due now (it waited for the previous message of
        its chamado, see ordem.py); queue one if it has none."""
        if await self.enfileirar(mensagem_id, urgente=urgente):
            return
        quando = utcnow() - ADIANTAMENTO_URGENTE if urgente else utcnow()
        await self._acordar(
            keys=[QUEUE_NAME, in_progress_key_prefix + job_id(mensagem_id)],
            args=[job_id(mensagem_id), int(quando.timestamp() * 1000)],
        )

    async def baixar_midia(self, mensagem_id: int) -> bool:
        """Queue the download of an inbound message's file (one job per message)."""
        job = await self.arq.enqueue_job(
            BAIXAR_MIDIA, mensagem_id, _job_id=f"midia:{mensagem_id}", _queue_name=QUEUE_NAME
        )
        return job is not None

    async def transcrever(self, mensagem_id: int) -> bool:
        """Queue the transcription of a stored voice note (one job per message)."""
        job = await self.arq.enqueue_job(
            TRANSCREVER,
            mensagem_id,
            _job_id=f"transcricao:{mensagem_id}",
            _queue_name=FILA_TRANSCRICOES,
        )
        return job is not None

    async def tamanho(self) -> int:
        """Jobs in the send queue, ready or deferred."""
        return int(await self.arq.zcard(QUEUE_NAME))
