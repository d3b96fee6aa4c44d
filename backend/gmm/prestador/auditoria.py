"""Every use and refusal of a link, kept for the operators; the write budget per link."""

from __future__ import annotations

import logging

from redis.asyncio import Redis
from sqlalchemy import func, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.conversas.models import TipoConteudo
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.core.errors import TooManyRequests
from gmm.prestador.acesso import Acesso, Cliente
from gmm.prestador.models import TokenAcesso, UsoTokenAcesso

log = logging.getLogger(__name__)

TIPO = "link_prestador"
AUDIENCIA = "gmm:link-prestador"
# Photos and documents of the work; audio and video go over WhatsApp itself.
TIPOS_ACEITOS = (TipoConteudo.image, TipoConteudo.document)
MAXIMO_ARQUIVOS_NA_VISAO = 200

log = logging.getLogger(__name__)


# -- audit and limits ------------------------------------------------------------------


async def registrar_uso(
    session: AsyncSession, acesso: Acesso, acao: str, detalhe: str | None = None
) -> None:
    """An accepted use, in the request's transaction (it commits with what it did).

    A view by a client already seen on this link adds to its row (one atomic
    statement: simultaneous reloads neither race nor duplicate it)."""
    if acao == "ver":
        cliente = acesso.cliente
        await session.execute(
            insert(UsoTokenAcesso)
            .values(
                token_id=acesso.link.id,
                acao=acao,
                detalhe=detalhe,
                ip=cliente.ip,
                user_agent=cliente.user_agent,
            )
            .on_conflict_do_update(
                index_elements=["token_id", "ip", "user_agent"],
                index_where=text("acao = 'ver'"),
                set_={"vezes": UsoTokenAcesso.vezes + 1, "ultimo_em": func.now()},
            )
        )
    else:
        session.add(_uso(acesso.link.id, acao, detalhe, acesso.cliente))
    await session.execute(
        update(TokenAcesso).where(TokenAcesso.id == acesso.link.id).values(ultimo_uso_em=utcnow())
    )
    await session.flush()


async def registrar_recusa(
    sessionmaker: async_sessionmaker[AsyncSession],
    token_id: int,
    detalhe: str,
    cliente: Cliente,
) -> None:
    """A refused attempt, in a transaction of its own: the request's rolls back."""
    try:
        async with sessionmaker() as session, session.begin():
            session.add(_uso(token_id, "recusado", detalhe, cliente))
    except Exception:
        # The refusal still answers; a lost audit row must not turn it into a 500.
        log.exception("não foi possível registrar a tentativa recusada do link %s", token_id)


def _uso(token_id: int, acao: str, detalhe: str | None, cliente: Cliente) -> UsoTokenAcesso:
    return UsoTokenAcesso(
        token_id=token_id,
        acao=acao,
        detalhe=detalhe[:300] if detalhe else None,
        ip=cliente.ip,
        user_agent=cliente.user_agent,
    )


def _chave_escritas(link: TokenAcesso) -> str:
    return f"gmm:prestador:escritas:{link.jti}"


async def contar_escrita(redis: Redis, settings: Settings, link: TokenAcesso) -> None:
    """One more write through this link; past the hourly budget, 429.

    A fixed one-hour window per link, in Redis so every API process shares it."""
    chave = _chave_escritas(link)
    async with redis.pipeline(transaction=True) as pipe:
        # SET NX starts the window on the first write only; INCR keeps its TTL.
        pipe.set(chave, 0, ex=3600, nx=True)
        pipe.incr(chave)
        _, escritas = await pipe.execute()
    if int(escritas) > settings.link_prestador_escritas_por_hora:
        espera = max(int(await redis.ttl(chave)), 1)
        raise TooManyRequests(
            f"muitos envios por este link; tente de novo em {max(espera // 60, 1)} min", espera
        )
