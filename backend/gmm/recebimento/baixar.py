"""The download job: an inbound file is fetched through MegaAPI and stored on disk."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from arq import Retry

from gmm.conversas.conteudo import ConteudoMidia, StatusMidia
from gmm.conversas.eventos import MensagemStatus
from gmm.conversas.models import Mensagem
from gmm.core.db import session_scope
from gmm.core.eventos import publicar_apos_commit
from gmm.envio import credenciais
from gmm.envio.contexto import Contexto, backoff
from gmm.envio.fila import (
    Fila,
)
from gmm.envio.job import SEM_CREDENCIAIS_ADIA_S
from gmm.megaapi.cliente import (
    MediaKeys,
    MegaAPIError,
)
from gmm.midia import armazenamento as midia_arquivos

log = logging.getLogger(__name__)
MIDIA_MAX_TENTATIVAS = 6


async def baixar_midia(ctx: dict[str, Any], mensagem_id: int) -> str:
    """Fetch an inbound file through downloadMediaMessage and store it (own retries)."""
    c: Contexto = ctx["gmm"]
    async with c.sessionmaker() as session:
        mensagem = await session.get(Mensagem, mensagem_id)
        if mensagem is None or not isinstance(mensagem.conteudo, ConteudoMidia):
            return "nada a fazer"
        if mensagem.url_midia:
            return "já baixada"
        midia = mensagem.conteudo.midia
        creds = await credenciais.carregar(session, c.settings)
    if creds is None:
        raise Retry(defer=SEM_CREDENCIAIS_ADIA_S)
    chaves: MediaKeys = {
        "mediaKey": midia.get("mediaKey", ""),
        "directPath": midia.get("directPath", ""),
        "url": midia.get("url", ""),
        "mimetype": midia.get("mimetype", ""),
        "messageType": midia["tipo"].removesuffix("Message"),
    }
    try:
        baixada = await c.client(creds).download_media(chaves)
    except MegaAPIError as exc:
        tentativa = int(ctx.get("job_try", 1))
        if exc.transient and tentativa < MIDIA_MAX_TENTATIVAS:
            raise Retry(defer=backoff(tentativa)) from exc
        await _midia_status(c, mensagem_id, "falhou", erro=exc.reason)
        return "falhou"
    nome = await asyncio.to_thread(
        midia_arquivos.salvar, c.settings.media_dir, baixada.mime_type, baixada.data
    )
    await _midia_status(c, mensagem_id, "pronta", url=midia_arquivos.URL_PREFIXO + nome)
    if baixada.mime_type.startswith("audio/") and c.settings.transcricao_backend != "none":
        await Fila(ctx["redis"]).transcrever(mensagem_id)
    return "baixada"


async def _midia_status(
    c: Contexto,
    mensagem_id: int,
    status: StatusMidia,
    *,
    url: str | None = None,
    erro: str | None = None,
) -> None:
    async with session_scope(c.sessionmaker) as session:
        mensagem = await session.get(Mensagem, mensagem_id, with_for_update=True)
        if mensagem is None or not isinstance(mensagem.conteudo, ConteudoMidia):
            return
        mensagem.conteudo = mensagem.conteudo.model_copy(update={"midia_status": status})
        if url is not None:
            mensagem.url_midia = url
        if erro is not None:
            mensagem.erro = f"não foi possível baixar o arquivo: {erro}"
        publicar_apos_commit(session, MensagemStatus.de(mensagem))
