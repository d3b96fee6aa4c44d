"""The transcription job: a downloaded voice note becomes searchable text.

``baixar_midia`` queues it (job id ``transcricao:{id}``) once an audio file is
stored and a backend is configured. The job reloads the row, leaves alone one
already transcribed, runs the backend and stores ``mensagens.transcricao``. It
never touches the message's delivery state or its file: a transcription that
cannot be done is recorded under ``conteudo`` (``transcricao_status: falhou`` and
``transcricao_erro``) and the voice note stays playable as it was.
"""

from __future__ import annotations

import logging
import random
from typing import Any

from arq import Retry

from gmm.conversas.conteudo import ConteudoArquivo, ConteudoMidia
from gmm.conversas.eventos import MensagemStatus
from gmm.conversas.models import Mensagem
from gmm.core.config import Settings
from gmm.core.db import session_scope
from gmm.core.eventos import publicar_apos_commit
from gmm.envio.contexto import Contexto
from gmm.midia import armazenamento as midia
from gmm.transcricao import service

log = logging.getLogger(__name__)

# Transient failures (timeouts, 5xx, 429) a voice note survives before the
# failure is recorded.
TRANSCRICAO_MAX_TENTATIVAS = 5
# A server's Retry-After is honoured up to this.
MAX_RETRY_AFTER_S = 600.0
# Waiting for this worker's local model (busy with another voice note) is not a
# failure; this only bounds a job stuck behind a very long backlog.
ESPERAS_PELO_MODELO = 200
# arq cuts the job this long after the transcription's own limit, so a slow one
# ends as a recorded failure, not as a killed job.
FOLGA_DO_JOB_S = 5.0


def job_timeout_s(settings: Settings) -> float:
    """arq's timeout for one transcription job (on its own queue)."""
    return settings.transcricao_timeout_seconds + FOLGA_DO_JOB_S


def espera(tentativa: int) -> float:
    """Exponential backoff with jitter between transient failures: 5, 10, 20 ... ≤ 300 s."""
    teto = min(300.0, 5.0 * 2 ** max(tentativa - 1, 0))
    return random.uniform(teto / 2, teto)  # noqa: S311 - jitter, not security


async def transcrever_audio(ctx: dict[str, Any], mensagem_id: int) -> str:
    """Transcribe one stored voice note; answers what happened (for arq's log)."""
    c: Contexto = ctx["gmm"]
    transcritor = service.criar(c.settings, timeout=c.settings.transcricao_timeout_seconds)
    if transcritor is None:
        return "transcrição desligada"
    async with c.sessionmaker() as session:
        mensagem = await session.get(Mensagem, mensagem_id)
        if mensagem is None or not mensagem.url_midia:
            return "nada a fazer"
        if mensagem.transcricao is not None:
            return "já transcrita"
        nome = mensagem.url_midia.removeprefix(midia.URL_PREFIXO)
    arquivo = midia.caminho(c.settings.media_dir, nome)
    if arquivo is None:
        await _registrar(c, mensagem_id, erro="o arquivo do áudio não está mais guardado")
        return "falhou"

    tentativa = int(ctx.get("job_try", 1))
    try:
        texto = await transcritor.transcrever(arquivo)
    except service.ModeloOcupado as exc:
        if tentativa < ESPERAS_PELO_MODELO:
            raise Retry(defer=random.uniform(1.0, 4.0)) from exc  # noqa: S311
        await _registrar(c, mensagem_id, erro=exc.reason)
        return "falhou"
    except service.TranscricaoError as exc:
        if exc.transient and tentativa < TRANSCRICAO_MAX_TENTATIVAS:
            log.info("transcrição da mensagem %s: %s; nova tentativa", mensagem_id, exc.reason)
            pedido = min(exc.retry_after or 0.0, MAX_RETRY_AFTER_S)
            raise Retry(defer=max(espera(tentativa), pedido)) from exc
        motivo = exc.reason
        if exc.transient:
            motivo = f"{motivo} (após {tentativa} tentativas)"
        await _registrar(c, mensagem_id, erro=motivo)
        return "falhou"
    return "transcrita" if await _registrar(c, mensagem_id, texto=texto) else "já transcrita"


async def _registrar(
    c: Contexto, mensagem_id: int, *, texto: str | None = None, erro: str | None = None
) -> bool:
    """Store the text (or the failure) once; answers whether the row changed."""
    async with session_scope(c.sessionmaker) as session:
        mensagem = await session.get(Mensagem, mensagem_id, with_for_update=True)
        # Another run may have finished first: the first text stays.
        if mensagem is None or mensagem.transcricao is not None:
            return False
        if erro is None:
            mensagem.transcricao = texto or ""
            resultado = {"transcricao_status": "pronta", "transcricao_erro": None}
        else:
            resultado = {"transcricao_status": "falhou", "transcricao_erro": erro}
            log.warning("transcrição da mensagem %s falhou: %s", mensagem_id, erro)
        if isinstance(mensagem.conteudo, ConteudoMidia | ConteudoArquivo):
            mensagem.conteudo = mensagem.conteudo.model_copy(update=resultado)
        publicar_apos_commit(session, MensagemStatus.de(mensagem))
    return True
