"""The contractor's link: one chamado, without an account, for a limited time.

The link carries a JWT (HS256, GMM_SECRET_KEY) naming a ``tokens_acesso`` row by
its ``jti``. The signature refuses a forged or garbled link before anything else;
the row is what makes the link revocable and auditable. The token itself is never
stored (only the WhatsApp message that carries it holds it).

A login token and a link token are signed with the same key, so each is marked
for its use: a link token has ``typ`` and ``aud`` (a login token has neither, and
``read_token`` refuses any token with an audience), and no ``sub``.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import UploadFile
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados import service as chamados
from gmm.chamados.eventos import Notificacao
from gmm.chamados.models import Chamado, OrigemHistorico, StatusChamado
from gmm.conversas.conteudo import ORIGEM_LINK, ConteudoArquivoPrestador, ConteudoTexto
from gmm.conversas.eventos import MensagemNova
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.core.errors import Conflict
from gmm.core.eventos import publicar_apos_commit
from gmm.midia import armazenamento as midia
from gmm.midia import arquivos
from gmm.prestador.acesso import Acesso
from gmm.prestador.auditoria import registrar_uso
from gmm.prestador.models import TokenAcesso
from gmm.prestador.schemas import (
    ArquivoPrestadorOut,
    PrestadorChamadoOut,
)

log = logging.getLogger(__name__)

TIPO = "link_prestador"
AUDIENCIA = "gmm:link-prestador"
# Photos and documents of the work; audio and video go over WhatsApp itself.
TIPOS_ACEITOS = (TipoConteudo.image, TipoConteudo.document)
MAXIMO_ARQUIVOS_NA_VISAO = 200


# -- the contractor --------------------------------------------------------------------


def _arquivo_out(mensagem: Mensagem) -> ArquivoPrestadorOut:
    conteudo = mensagem.conteudo
    arquivo = conteudo if isinstance(conteudo, ConteudoArquivoPrestador) else None
    return ArquivoPrestadorOut(
        id=mensagem.id,
        nome_arquivo=arquivo.nome_arquivo if arquivo else "arquivo",
        tipo_conteudo=mensagem.tipo_conteudo,
        mime_type=arquivo.mime_type if arquivo else "application/octet-stream",
        tamanho=arquivo.tamanho if arquivo else None,
        caption=mensagem.caption,
        criado_em=mensagem.criado_em,
    )


async def ver(session: AsyncSession, acesso: Acesso) -> PrestadorChamadoOut:
    """The chamado as its contractor sees it; logged as a use of the link."""
    chamado = await chamados.obter(session, acesso.link.chamado_id)
    await registrar_uso(session, acesso, "ver")
    return await visao(session, chamado, acesso.link)


async def visao(session: AsyncSession, chamado: Chamado, link: TokenAcesso) -> PrestadorChamadoOut:
    """What the contractor sees: the work, the files sent by link, nothing internal."""
    enviados = await session.scalars(
        select(Mensagem)
        .where(
            Mensagem.chamado_id == chamado.id,
            Mensagem.direcao == Direcao.inbound,
            Mensagem.tipo_conteudo.in_(TIPOS_ACEITOS),
            Mensagem.conteudo["tipo"].astext == "arquivo_prestador",
        )
        .order_by(Mensagem.id)
        .limit(MAXIMO_ARQUIVOS_NA_VISAO)
    )
    aberto = chamado.status not in chamados.FINALIZADOS
    return PrestadorChamadoOut(
        numero_chamado=chamado.numero_chamado,
        titulo=chamado.titulo,
        descricao=chamado.descricao,
        status=chamado.status,
        prazo_combinado=chamado.prazo_combinado,
        atrasado=chamado.atrasado,
        prestador=chamado.terceirizado.nome,
        link_expira_em=link.expira_em,
        pode_enviar=aberto,
        pode_concluir=aberto and chamado.status != StatusChamado.aguardando_confirmacao,
        arquivos=[_arquivo_out(m) for m in enviados],
    )


async def _chamado_aberto(session: AsyncSession, acesso: Acesso) -> Chamado:
    chamado = await chamados.obter(session, acesso.link.chamado_id, bloquear=True)
    if chamado.status in chamados.FINALIZADOS:
        raise Conflict(
            f"o chamado {chamado.numero_chamado} está {chamado.status.value}: "
            "não recebe mais arquivos nem conclusão pelo link"
        )
    return chamado


def _recebida(chamado: Chamado, tipo_conteudo: TipoConteudo, **campos: Any) -> Mensagem:
    """An inbound message from the contractor that came through the link, not WhatsApp."""
    return Mensagem(
        chamado_id=chamado.id,
        direcao=Direcao.inbound,
        tipo=TipoMensagem.recebida,
        tipo_conteudo=tipo_conteudo,
        destinatario=chamado.terceirizado.telefone,
        status_envio=StatusEnvio.entregue,
        **campos,
    )


async def _guardar(session: AsyncSession, chamado: Chamado, mensagem: Mensagem) -> Mensagem:
    session.add(mensagem)
    chamado.ultima_atividade_em = utcnow()
    await session.flush()
    await session.refresh(mensagem)
    # The operators' chat shows it at once, like a WhatsApp message.
    publicar_apos_commit(session, MensagemNova.de(mensagem))
    return mensagem


async def enviar_arquivo(
    session: AsyncSession,
    settings: Settings,
    acesso: Acesso,
    upload: UploadFile,
    caption: str | None,
) -> ArquivoPrestadorOut:
    """A photo or document of the work, stored as a message received on the chamado."""
    chamado = await _chamado_aberto(session, acesso)
    recebido = await arquivos.receber_upload(upload, settings, inline=False)
    try:
        if recebido.tipo_conteudo not in TIPOS_ACEITOS:
            raise arquivos.ArquivoInvalido(
                "por aqui só vão fotos (JPEG/PNG) e documentos (PDF, DOC, DOCX, XLS, XLSX, "
                "PPT, PPTX, TXT); áudio e vídeo, mande pelo WhatsApp"
            )
        mensagem = _recebida(
            chamado,
            recebido.tipo_conteudo,
            url_midia=midia.URL_PREFIXO + recebido.nome,
            caption=caption or None,
            conteudo=ConteudoArquivoPrestador(
                link_id=acesso.link.id,
                nome_arquivo=recebido.nome_original,
                mime_type=recebido.mime_type,
                tamanho=recebido.tamanho,
            ),
        )
        await _guardar(session, chamado, mensagem)
        await registrar_uso(session, acesso, "enviar_arquivo", recebido.nome_original)
    except BaseException:
        # Refused or rolled back: the file stays only if its message does.
        (settings.media_dir / recebido.nome).unlink(missing_ok=True)
        raise
    return _arquivo_out(mensagem)


async def concluir(session: AsyncSession, acesso: Acesso, observacao: str | None) -> Chamado:
    """The contractor says the work is done: the chamado waits for an operator's
    confirmation (``finalizar``)."""
    chamado = await _chamado_aberto(session, acesso)
    if chamado.status == StatusChamado.aguardando_confirmacao:
        raise chamados.TransicaoInvalida(
            f"o chamado {chamado.numero_chamado} já foi marcado como concluído e aguarda "
            "a confirmação da central"
        )
    mensagem = None
    if observacao:
        mensagem = await _guardar(
            session,
            chamado,
            _recebida(
                chamado,
                TipoConteudo.text,
                texto=observacao,
                conteudo=ConteudoTexto(origem=ORIGEM_LINK),
            ),
        )
    await chamados.transicionar(
        session,
        chamado,
        StatusChamado.aguardando_confirmacao,
        origem=OrigemHistorico.prestador,
        descricao="o prestador marcou o serviço como concluído pelo link",
        mensagem_id=mensagem.id if mensagem else None,
    )
    chamado.ultima_atividade_em = utcnow()
    await session.flush()
    aviso = (
        f"O prestador marcou o chamado {chamado.numero_chamado} como concluído pelo link: "
        "confira e finalize."
    )
    publicar_apos_commit(session, Notificacao.de(chamado, aviso))
    await registrar_uso(session, acesso, "concluir", observacao)
    return chamado
