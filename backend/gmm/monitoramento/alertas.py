"""Incidents: the conditions measured, opened and closed once each, told by e-mail and on screen."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from redis.asyncio import Redis
from sqlalchemy import distinct, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.conversas.models import Direcao, Mensagem, StatusEnvio
from gmm.core import registro
from gmm.core.config import Settings
from gmm.core.db import after_commit, session_scope, utcnow
from gmm.core.eventos import publicar
from gmm.core.pagination import Page, decode_cursor, encode_cursor
from gmm.envio.breaker import CircuitBreaker
from gmm.monitoramento import email, medidas
from gmm.monitoramento.eventos import AlertaEvento
from gmm.monitoramento.models import Alerta, Severidade, TipoAlerta
from gmm.monitoramento.schemas import (
    AlertaOut,
)

log = logging.getLogger(__name__)

VIGIA_LEASE = "gmm:vigia:lease"


# -- alerts ------------------------------------------------------------------------------


async def abertos(session: AsyncSession) -> list[Alerta]:
    return list(
        await session.scalars(
            select(Alerta).where(Alerta.fechado_em.is_(None)).order_by(Alerta.aberto_em)
        )
    )


async def listar(
    session: AsyncSession, *, abertos_apenas: bool, limit: int, cursor: str | None
) -> Page[AlertaOut]:
    query = select(Alerta).order_by(Alerta.aberto_em.desc(), Alerta.id.desc()).limit(limit + 1)
    if abertos_apenas:
        query = query.where(Alerta.fechado_em.is_(None))
    if cursor:
        aberto_em, ultimo_id = decode_cursor(cursor, datetime, int)
        query = query.where(
            (Alerta.aberto_em < aberto_em)
            | ((Alerta.aberto_em == aberto_em) & (Alerta.id < ultimo_id))
        )
    rows = list(await session.scalars(query))
    proximo = None
    if len(rows) > limit:
        proximo = encode_cursor(rows[limit - 1].aberto_em, rows[limit - 1].id)
    return Page(items=[AlertaOut.model_validate(a) for a in rows[:limit]], next_cursor=proximo)


@dataclass(frozen=True)
class Condicao:
    """An alert's condition as measured now: on or off, with what the operator reads."""

    tipo: TipoAlerta
    ativa: bool
    severidade: Severidade
    mensagem: str
    dados: dict[str, Any]


async def _presos_em_enviado(session: AsyncSession, settings: Settings) -> int:
    """Chamados whose message of the last day is still at ✓ after the alert's delay
    (the window keeps the count on the status and date index)."""
    agora = utcnow()
    parado_desde = agora - timedelta(minutes=settings.alerta_sem_entrega_minutos)
    return int(
        await session.scalar(
            select(func.count(distinct(Mensagem.chamado_id))).where(
                Mensagem.direcao == Direcao.outbound,
                Mensagem.status_envio == StatusEnvio.enviado,
                Mensagem.criado_em > agora - timedelta(days=1),
                Mensagem.enviado_em < parado_desde,
            )
        )
        or 0
    )


async def medir(session: AsyncSession, redis: Redis, settings: Settings) -> list[Condicao]:
    breaker = await CircuitBreaker.do_produto(redis, settings).snapshot()
    na_fila = await medidas.fila(redis)
    envios = await registro.envios_ultima_hora(redis)
    workers = await registro.workers(redis)
    webhooks = await medidas.webhooks(redis)
    conexao = await registro.conexao(redis)
    janela = timedelta(minutes=settings.alerta_webhook_minutos)
    # Sends from the window, but not the last minute: their receipts may be on the way.
    envios_recentes = await registro.enviados_entre(redis, settings.alerta_webhook_minutos, 1)
    sem_webhook = envios_recentes > 0 and (
        webhooks.last_received_at is None or utcnow() - webhooks.last_received_at > janela
    )
    presos = await _presos_em_enviado(session, settings)
    taxa = envios.taxa_falhas
    minutos = f"{settings.alerta_webhook_minutos:g}"
    return [
        Condicao(
            TipoAlerta.breaker_aberto,
            breaker.status != "CLOSED",
            Severidade.critico,
            "A MegaAPI está falhando: envios suspensos pelo circuit breaker; as mensagens "
            "serão enviadas quando a API estabilizar",
            {"status": breaker.status, "falhas": breaker.failure_count},
        ),
        Condicao(
            TipoAlerta.fila_alta,
            na_fila.total > settings.alerta_fila_aviso,
            Severidade.aviso,
            f"Fila de envio com {na_fila.total} mensagens (aviso acima de "
            f"{settings.alerta_fila_aviso})",
            {"fila": na_fila.total},
        ),
        Condicao(
            TipoAlerta.fila_cheia,
            na_fila.total >= settings.fila_maxima,
            Severidade.critico,
            f"Fila de envio cheia ({na_fila.total}): novos chamados e mensagens são recusados "
            "com 503 até ela baixar",
            {"fila": na_fila.total, "maximo": settings.fila_maxima},
        ),
        Condicao(
            TipoAlerta.taxa_falhas,
            envios.enviados + envios.falhas >= settings.alerta_taxa_min_envios
            and taxa > settings.alerta_taxa_falhas,
            Severidade.aviso,
            f"{taxa:.1%} dos envios falharam na última hora "
            f"(limite {settings.alerta_taxa_falhas:.0%})",
            {"taxa": round(taxa, 4), "falhas": envios.falhas, "por_motivo": envios.por_motivo},
        ),
        Condicao(
            TipoAlerta.webhooks_ausentes,
            sem_webhook,
            Severidade.aviso,
            f"Nenhum webhook da MegaAPI há mais de {minutos} min, embora mensagens tenham "
            "sido enviadas: confira a URL do webhook na MegaAPI",
            {"envios_recentes": envios_recentes},
        ),
        Condicao(
            TipoAlerta.whatsapp_desconectado,
            conexao.conectado is False,
            Severidade.critico,
            "WhatsApp desconectado: as mensagens ficam na fila até reconectar"
            + (f" (motivo informado: {conexao.motivo})" if conexao.motivo else ""),
            {"motivo": conexao.motivo, "desde": conexao.desde},
        ),
        Condicao(
            TipoAlerta.sem_entrega,
            presos >= settings.alerta_sem_entrega_chamados,
            Severidade.critico,
            f"{presos} chamados com mensagem enviada e não entregue (só ✓) há mais de "
            f"{settings.alerta_sem_entrega_minutos:g} min: confira o celular e a sessão "
            "do WhatsApp na MegaAPI",
            {"chamados": presos},
        ),
        Condicao(
            TipoAlerta.worker_ausente,
            workers.vivos == 0,
            Severidade.critico,
            "Nenhum worker de envio ativo: mensagens ficam na fila até um worker voltar",
            {"ultimo_batimento": workers.ultimo_batimento},
        ),
    ]


async def aplicar(session: AsyncSession, redis: Redis, condicoes: list[Condicao]) -> None:
    """Open the incidents whose condition started, close those whose condition ended."""
    abertos_por_tipo = {a.tipo: a for a in await abertos(session)}
    for condicao in condicoes:
        aberto = abertos_por_tipo.get(condicao.tipo)
        if condicao.ativa and aberto is None:
            alerta_id = await session.scalar(
                insert(Alerta)
                .values(
                    tipo=condicao.tipo,
                    severidade=condicao.severidade,
                    mensagem=condicao.mensagem,
                    dados=condicao.dados,
                )
                # Two watchers racing (a lease that ran out): the second is a no-op.
                .on_conflict_do_nothing(
                    index_elements=[Alerta.tipo], index_where=Alerta.fechado_em.is_(None)
                )
                .returning(Alerta.id)
            )
            if alerta_id is not None:
                log.warning("alerta aberto: %s", condicao.mensagem)
                _avisar(session, redis, alerta_id, condicao, aberto=True)
        elif not condicao.ativa and aberto is not None:
            await session.execute(
                update(Alerta)
                .where(Alerta.id == aberto.id)
                .values(fechado_em=utcnow(), motivo_fechamento="condição normalizada")
            )
            log.info("alerta fechado: %s", condicao.tipo.value)
            _avisar(session, redis, aberto.id, condicao, aberto=False)


def _avisar(
    session: AsyncSession, redis: Redis, alerta_id: int, condicao: Condicao, *, aberto: bool
) -> None:
    evento = AlertaEvento(
        id=alerta_id,
        tipo=condicao.tipo,
        severidade=condicao.severidade,
        mensagem=condicao.mensagem,
        aberto=aberto,
    )

    async def avisar() -> None:
        # The panel's cached figures first, so a refetch on the event is fresh.
        await redis.delete(registro.PAINEL)
        await publicar(redis, evento)

    after_commit(session, avisar)


async def _devidos(session: AsyncSession, settings: Settings) -> list[tuple[int, str]]:
    """Breaker incidents owed an e-mail: (id, "aberto" | "recuperado")."""
    limite = utcnow() - timedelta(minutes=settings.alerta_breaker_email_minutos)
    longos = await session.scalars(
        select(Alerta.id).where(
            Alerta.tipo == TipoAlerta.breaker_aberto,
            Alerta.fechado_em.is_(None),
            Alerta.email_enviado_em.is_(None),
            Alerta.aberto_em <= limite,
        )
    )
    recuperados = await session.scalars(
        select(Alerta.id).where(
            Alerta.tipo == TipoAlerta.breaker_aberto,
            Alerta.fechado_em.is_not(None),
            Alerta.email_enviado_em.is_not(None),
            Alerta.email_recuperacao_em.is_(None),
        )
    )
    return [(i, "aberto") for i in longos] + [(i, "recuperado") for i in recuperados]


async def emails_pendentes(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings
) -> None:
    """Mail a breaker incident once it lasts, and its recovery once it closes. Each
    e-mail is marked sent only after the server took it: a dead SMTP is retried
    next round, a sent one never repeats."""
    if settings.smtp_url is None or not settings.alert_email:
        return
    async with session_scope(sessionmaker) as session:
        devidos = await _devidos(session, settings)
    for alerta_id, qual in devidos:
        async with session_scope(sessionmaker) as session:
            alerta = await session.get(Alerta, alerta_id, with_for_update=True)
            if alerta is None:
                continue
            if qual == "aberto" and alerta.email_enviado_em is None:
                conteudo = email.breaker_aberto(alerta)
            elif qual == "recuperado" and alerta.email_recuperacao_em is None:
                conteudo = email.breaker_recuperado(alerta)
            else:
                continue  # another round got there first
            if await email.enviar(settings, conteudo):
                setattr(
                    alerta,
                    "email_enviado_em" if qual == "aberto" else "email_recuperacao_em",
                    utcnow(),
                )


async def vigiar(
    sessionmaker: async_sessionmaker[AsyncSession], redis: Redis, settings: Settings
) -> None:
    """One round of the watcher: measure, open/close incidents, send due e-mails."""
    async with session_scope(sessionmaker) as session:
        await aplicar(session, redis, await medir(session, redis, settings))
    await emails_pendentes(sessionmaker, settings)


def lease_ms(settings: Settings) -> int:
    # Held a little less than one interval: a replica that died frees it in time.
    return max(int(settings.vigia_intervalo_seconds * 900), 1000)


async def assumir_vigia(redis: Redis, settings: Settings, dono: str) -> bool:
    """Whether this process runs this round (one API replica at a time does)."""
    return bool(await redis.set(VIGIA_LEASE, dono, nx=True, px=lease_ms(settings)))
