"""Operators create, list and revoke the links they send to contractors."""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados import service as chamados
from gmm.chamados.models import Chamado
from gmm.conversas.models import TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.core.errors import Conflict, NotFound
from gmm.envio.service import ResultadoEnvio, WhatsAppService
from gmm.prestador.acesso import criar_token
from gmm.prestador.models import TokenAcesso, UsoTokenAcesso
from gmm.prestador.schemas import (
    LinkPrestadorOut,
    StatusLink,
)

log = logging.getLogger(__name__)

TIPO = "link_prestador"
AUDIENCIA = "gmm:link-prestador"
# Photos and documents of the work; audio and video go over WhatsApp itself.
TIPOS_ACEITOS = (TipoConteudo.image, TipoConteudo.document)
MAXIMO_ARQUIVOS_NA_VISAO = 200

log = logging.getLogger(__name__)


# -- operators -------------------------------------------------------------------------


def status_do_link(link: TokenAcesso, agora: datetime) -> StatusLink:
    if link.revogado_em is not None:
        return StatusLink.revogado
    if link.expira_em <= agora:
        return StatusLink.expirado
    return StatusLink.ativo


def _texto_link(chamado: Chamado, url: str, expira_em: datetime, fuso: ZoneInfo) -> str:
    primeiro_nome = chamado.terceirizado.nome.split()[0]
    validade = expira_em.astimezone(fuso).strftime("%d/%m/%Y às %H:%M")
    return (
        f"Olá, {primeiro_nome}! Neste link você vê o chamado *{chamado.numero_chamado}* "
        f"({chamado.titulo}), envia fotos e documentos do serviço e marca quando terminar:\n"
        f"{url}\n"
        f"O link vale até {validade}. Não o repasse a ninguém."
    )


async def criar_link(
    session: AsyncSession,
    whatsapp: WhatsAppService,
    settings: Settings,
    chamado_id: int,
    *,
    usuario_id: int,
    validade_horas: int | None,
    base_url: str,
) -> tuple[Chamado, TokenAcesso, str, ResultadoEnvio]:
    """A new link to the chamado, sent to its contractor over WhatsApp."""
    chamado = await chamados.obter(session, chamado_id, bloquear=True)
    link, url = await novo_link(
        session,
        settings,
        chamado,
        usuario_id=usuario_id,
        validade_horas=validade_horas,
        base_url=base_url,
    )
    texto = _texto_link(chamado, url, link.expira_em, ZoneInfo(settings.timezone))
    envio = await whatsapp.enviar_mensagem(chamado, TipoMensagem.link_prestador, texto)
    return chamado, link, url, envio


async def novo_link(
    session: AsyncSession,
    settings: Settings,
    chamado: Chamado,
    *,
    usuario_id: int,
    validade_horas: int | None,
    base_url: str,
) -> tuple[TokenAcesso, str]:
    """A new link to ``chamado`` (locked by the caller) and its URL; nothing is sent."""
    if chamado.status in chamados.FINALIZADOS:
        raise Conflict(
            f"o chamado {chamado.numero_chamado} está {chamado.status.value}: "
            "não há o que o prestador fazer pelo link"
        )
    horas = validade_horas or settings.link_prestador_validade_horas
    # Whole seconds: the token's exp and the row's expira_em are the same moment.
    expira_em = datetime.fromtimestamp(int((utcnow() + timedelta(hours=horas)).timestamp()), UTC)
    link = TokenAcesso(
        jti=secrets.token_urlsafe(16),
        chamado_id=chamado.id,
        criado_por=usuario_id,
        expira_em=expira_em,
    )
    session.add(link)
    await session.flush()
    await session.refresh(link)
    url = f"{base_url.rstrip('/')}/p/{criar_token(settings, link.jti, chamado.id, expira_em)}"
    return link, url


def _contagens() -> tuple[Any, Any]:
    def contar(recusado: bool) -> Any:
        acao = UsoTokenAcesso.acao == "recusado"
        return (
            select(func.coalesce(func.sum(UsoTokenAcesso.vezes), 0))
            .where(UsoTokenAcesso.token_id == TokenAcesso.id, acao if recusado else ~acao)
            .correlate(TokenAcesso)
            .scalar_subquery()
        )

    return contar(False), contar(True)


def _link_out(link: TokenAcesso, usos: int, recusas: int, agora: datetime) -> LinkPrestadorOut:
    return LinkPrestadorOut(
        id=link.id,
        chamado_id=link.chamado_id,
        criado_por=link.criado_por,
        criado_em=link.criado_em,
        expira_em=link.expira_em,
        revogado_em=link.revogado_em,
        ultimo_uso_em=link.ultimo_uso_em,
        status=status_do_link(link, agora),
        usos=usos,
        recusas=recusas,
    )


def link_novo(link: TokenAcesso) -> LinkPrestadorOut:
    return _link_out(link, 0, 0, utcnow())


async def listar_links(session: AsyncSession, chamado_id: int) -> list[LinkPrestadorOut]:
    await chamados.obter(session, chamado_id)
    usos, recusas = _contagens()
    rows = await session.execute(
        select(TokenAcesso, usos, recusas)
        .where(TokenAcesso.chamado_id == chamado_id)
        .order_by(TokenAcesso.id.desc())
    )
    agora = utcnow()
    return [_link_out(link, u, r, agora) for link, u, r in rows]


async def revogar(session: AsyncSession, link_id: int) -> LinkPrestadorOut:
    link = await session.get(TokenAcesso, link_id, with_for_update=True)
    if link is None:
        raise NotFound(f"link {link_id} não encontrado")
    if link.revogado_em is not None:
        raise Conflict(f"o link {link_id} já foi revogado")
    link.revogado_em = utcnow()
    await session.flush()
    usos, recusas = _contagens()
    contagem = (await session.execute(select(usos, recusas).where(TokenAcesso.id == link.id))).one()
    return _link_out(link, contagem[0], contagem[1], utcnow())
