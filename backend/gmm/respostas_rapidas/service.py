"""Quick replies: each operator's own and the shared ones (kept by admins), filled
in for the chamado they go to."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel, Usuario
from gmm.chamados import service as chamados
from gmm.chamados.models import Chamado
from gmm.core import modelos
from gmm.core.config import Settings
from gmm.core.errors import Forbidden, NotFound
from gmm.prestador import links
from gmm.respostas_rapidas.models import RespostaRapida
from gmm.respostas_rapidas.schemas import (
    RespostaRapidaIn,
    RespostaRapidaOut,
    RespostaRapidaUpdate,
)


def _pode_alterar(usuario: Usuario, resposta: RespostaRapida) -> bool:
    if resposta.usuario_id is None:
        return usuario.papel == Papel.admin
    return resposta.usuario_id == usuario.id


def _out(usuario: Usuario, resposta: RespostaRapida) -> RespostaRapidaOut:
    return RespostaRapidaOut(
        id=resposta.id,
        titulo=resposta.titulo,
        texto=resposta.texto,
        compartilhada=resposta.usuario_id is None,
        editavel=_pode_alterar(usuario, resposta),
        atualizado_em=resposta.atualizado_em,
    )


async def listar(session: AsyncSession, usuario: Usuario) -> list[RespostaRapidaOut]:
    """The shared ones and the operator's own, by title (the picker filters them)."""
    linhas = await session.scalars(
        select(RespostaRapida)
        .where(or_(RespostaRapida.usuario_id.is_(None), RespostaRapida.usuario_id == usuario.id))
        .order_by(RespostaRapida.titulo, RespostaRapida.id)
    )
    return [_out(usuario, r) for r in linhas]


async def _obter(session: AsyncSession, usuario: Usuario, resposta_id: int) -> RespostaRapida:
    resposta = await session.get(RespostaRapida, resposta_id)
    # Another operator's own is as good as missing: its existence is theirs.
    if resposta is None or resposta.usuario_id not in (None, usuario.id):
        raise NotFound(f"resposta rápida {resposta_id} não encontrada")
    return resposta


async def criar(
    session: AsyncSession, usuario: Usuario, dados: RespostaRapidaIn
) -> RespostaRapidaOut:
    if dados.compartilhada and usuario.papel != Papel.admin:
        raise Forbidden("só administradores criam respostas rápidas compartilhadas")
    resposta = RespostaRapida(
        titulo=dados.titulo,
        texto=dados.texto,
        usuario_id=None if dados.compartilhada else usuario.id,
    )
    session.add(resposta)
    await session.flush()
    await session.refresh(resposta)
    return _out(usuario, resposta)


async def atualizar(
    session: AsyncSession, usuario: Usuario, resposta_id: int, dados: RespostaRapidaUpdate
) -> RespostaRapidaOut:
    resposta = await _obter(session, usuario, resposta_id)
    if not _pode_alterar(usuario, resposta):
        raise Forbidden("só administradores alteram respostas rápidas compartilhadas")
    for campo, valor in dados.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(resposta, campo, valor)
    await session.flush()
    await session.refresh(resposta)
    return _out(usuario, resposta)


async def excluir(session: AsyncSession, usuario: Usuario, resposta_id: int) -> None:
    resposta = await _obter(session, usuario, resposta_id)
    if not _pode_alterar(usuario, resposta):
        raise Forbidden("só administradores apagam respostas rápidas compartilhadas")
    await session.delete(resposta)
    await session.flush()


async def preencher(
    session: AsyncSession,
    settings: Settings,
    usuario: Usuario,
    resposta_id: int,
    chamado_id: int,
    base_url: str,
) -> str:
    """The text with its variables filled for the chamado. ``{link_prestador}`` makes
    a new link (not sent: the text is, once the operator sends it)."""
    resposta = await _obter(session, usuario, resposta_id)
    chamado = await chamados.obter(
        session, chamado_id, bloquear="{link_prestador}" in resposta.texto
    )
    valores = _valores(chamado, ZoneInfo(settings.timezone))
    if "{link_prestador}" in resposta.texto:
        _, url = await links.novo_link(
            session,
            settings,
            chamado,
            usuario_id=usuario.id,
            validade_horas=None,
            base_url=base_url,
        )
        valores["link_prestador"] = url
    return modelos.preencher(resposta.texto, valores)


def _valores(chamado: Chamado, fuso: ZoneInfo) -> dict[str, str]:
    prazo = chamado.prazo_combinado
    return {
        "terceirizado": chamado.terceirizado.nome,
        "chamado": chamado.numero_chamado,
        "titulo": chamado.titulo,
        "prazo": prazo.astimezone(fuso).strftime("%d/%m/%Y às %H:%M") if prazo else "a combinar",
    }
