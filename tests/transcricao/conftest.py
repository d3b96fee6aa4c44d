"""Voice notes stored the way baixar_midia leaves them, and the job's own context."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado
from gmm.conversas.conteudo import ConteudoMidia
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.core.eventos import STREAM
from gmm.envio.contexto import Contexto, criar_contexto
from gmm.midia import armazenamento as midia

CHAVE = "sk-teste-transcricao-0123456789abcdef"
URL = "http://transcricao.test"
ENDPOINT = f"{URL}/v1/audio/transcriptions"
OGG = b"OggS\x00\x02" + b"\x00" * 64  # the job only hands the bytes over


@pytest.fixture
def openai_settings(settings: Settings, tmp_path: Path) -> Settings:
    """The test settings with the HTTP backend on a respx-mocked server."""
    return settings.model_copy(
        update={
            "media_dir": tmp_path / "midia",
            "transcricao_backend": "openai",
            # With the /v1 a base URL often carries: it must not be doubled.
            "transcricao_url": f"{URL}/v1/",
            "transcricao_api_key": SecretStr(CHAVE),
        }
    )


ContextoFactory = Callable[[Settings], Contexto]


@pytest.fixture
async def contexto() -> AsyncIterator[ContextoFactory]:
    """What the worker's startup builds, for calling a job function directly."""
    abertos: list[Contexto] = []

    def criar(settings: Settings) -> Contexto:
        abertos.append(criar_contexto(settings))
        return abertos[-1]

    yield criar
    for c in abertos:
        await c.aclose()


def ctx(c: Contexto, job_try: int = 1, **extra: Any) -> dict[str, Any]:
    return {"gmm": c, "job_try": job_try, **extra}


AudioFactory = Callable[..., Awaitable[Mensagem]]


async def audio(
    db: AsyncSession,
    chamado: Chamado | None,
    media_dir: Path,
    dados: bytes = OGG,
    mime_type: str = "audio/ogg",
) -> Mensagem:
    """A contractor's voice note whose file is already downloaded and stored."""
    nome = midia.salvar(media_dir, mime_type, dados)
    row = Mensagem(
        chamado_id=chamado.id if chamado else None,
        direcao=Direcao.inbound,
        tipo=TipoMensagem.recebida,
        tipo_conteudo=TipoConteudo.audio,
        conteudo=ConteudoMidia(
            midia={"tipo": "audioMessage", "mimetype": mime_type, "ptt": True, "seconds": 3},
            midia_status="pronta",
        ),
        destinatario="5511987654321",
        url_midia=midia.URL_PREFIXO + nome,
        status_envio=StatusEnvio.entregue,
    )
    db.add(row)
    await db.commit()
    return row


async def recarregar(db: AsyncSession, mensagem_id: int) -> Mensagem:
    db.expire_all()
    row = await db.get(Mensagem, mensagem_id)
    assert row is not None
    return row


async def eventos(redis: Redis, tipo: str) -> list[dict[str, Any]]:
    entradas = await redis.xrange(STREAM)
    return [json.loads(campos["dados"]) for _, campos in entradas if campos["tipo"] == tipo]
