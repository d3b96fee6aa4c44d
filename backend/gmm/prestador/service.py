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
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request, UploadFile
from jose import JWTError, jwt
from redis.asyncio import Redis
from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gmm.auth.security import ALGORITHM
from gmm.chamados import service as chamados
from gmm.chamados.models import Chamado, OrigemHistorico, StatusChamado
from gmm.config import Settings
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.db import utcnow
from gmm.errors import Conflict, DomainError, NotFound, TooManyRequests, Unauthorized
from gmm.prestador.models import TokenAcesso, UsoTokenAcesso
from gmm.prestador.schemas import (
    ArquivoPrestadorOut,
    LinkPrestadorOut,
    PrestadorChamadoOut,
    StatusLink,
)
from gmm.whatsapp import arquivos, midia
from gmm.whatsapp.service import ResultadoEnvio, WhatsAppService, evento_mensagem

log = logging.getLogger(__name__)

TIPO = "link_prestador"
AUDIENCIA = "gmm:link-prestador"
ORIGEM = "link_prestador"  # mensagens.conteudo["origem"] of what came through a link
# Photos and documents of the work; audio and video go over WhatsApp itself.
TIPOS_ACEITOS = (TipoConteudo.image, TipoConteudo.document)
MAXIMO_ARQUIVOS_NA_VISAO = 200


class LinkInvalido(Unauthorized):
    """Not a link we signed (garbage, tampered, a login token). ``token_id`` is set
    when the token names a link we know, so the attempt goes in its log."""

    def __init__(self, detail: str = "link inválido", token_id: int | None = None) -> None:
        super().__init__(detail)
        self.token_id = token_id


class LinkRecusado(DomainError):
    """A link we signed that no longer works."""

    status_code = 410

    def __init__(self, detail: str, token_id: int) -> None:
        super().__init__(detail)
        self.token_id = token_id


class LinkExpirado(LinkRecusado):
    error = "link_expirado"


class LinkRevogado(LinkRecusado):
    error = "link_revogado"


@dataclass(frozen=True)
class Cliente:
    """Who used a link, for the audit log (cut to the columns' sizes)."""

    ip: str | None
    user_agent: str | None

    @classmethod
    def de(cls, request: Request) -> Cliente:
        ip = request.client.host if request.client else None
        agente = request.headers.get("user-agent")
        return cls(ip=ip[:64] if ip else None, user_agent=agente[:300] if agente else None)


@dataclass(frozen=True)
class Acesso:
    link: TokenAcesso
    cliente: Cliente


# -- tokens ----------------------------------------------------------------------------


def criar_token(settings: Settings, jti: str, chamado_id: int, expira_em: datetime) -> str:
    claims = {
        "typ": TIPO,
        "aud": AUDIENCIA,
        "jti": jti,
        "chamado": chamado_id,
        "iat": int(utcnow().timestamp()),
        "exp": int(expira_em.timestamp()),
    }
    return jwt.encode(claims, settings.secret("secret_key"), algorithm=ALGORITHM)


def ler_token(token: str, settings: Settings) -> tuple[str, int]:
    """The link's jti and chamado id, if we signed it for this use (expiry is the
    row's to judge: an expired link is told apart from a forged one)."""
    try:
        claims = jwt.decode(
            token,
            settings.secret("secret_key"),
            algorithms=[ALGORITHM],
            audience=AUDIENCIA,
            options={"verify_exp": False, "require_aud": True, "require_jti": True},
        )
    except JWTError as exc:
        raise LinkInvalido() from exc
    jti, chamado_id = claims.get("jti"), claims.get("chamado")
    if claims.get("typ") != TIPO or not isinstance(jti, str) or type(chamado_id) is not int:
        raise LinkInvalido()
    return jti, chamado_id


def _jti_nao_verificado(token: str) -> str | None:
    """The jti a token claims without its signature holding, to log the attempt."""
    try:
        jti = jwt.get_unverified_claims(token).get("jti")
    except (JWTError, AttributeError):
        return None
    return jti if isinstance(jti, str) and 0 < len(jti) <= 64 else None


async def autenticar(session: AsyncSession, settings: Settings, token: str) -> TokenAcesso:
    """The link row for ``token``: 401 when we did not sign it, 410 when it expired or
    was revoked."""
    try:
        jti, chamado_id = ler_token(token, settings)
    except LinkInvalido:
        jti_alegado = _jti_nao_verificado(token)
        if jti_alegado is not None:
            token_id = await session.scalar(
                select(TokenAcesso.id).where(TokenAcesso.jti == jti_alegado)
            )
            if token_id is not None:
                raise LinkInvalido("link inválido (adulterado)", token_id) from None
        raise
    link = await session.scalar(select(TokenAcesso).where(TokenAcesso.jti == jti))
    if link is None or link.chamado_id != chamado_id:
        raise LinkInvalido()
    if link.revogado_em is not None:
        raise LinkRevogado("link revogado: peça um novo link à central", link.id)
    if link.expira_em <= utcnow():
        raise LinkExpirado("link expirado: peça um novo link à central", link.id)
    return link


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
    texto = _texto_link(chamado, url, expira_em, ZoneInfo(settings.timezone))
    envio = await whatsapp.enviar_mensagem(chamado, TipoMensagem.link_prestador, texto)
    return chamado, link, url, envio


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


# -- the contractor --------------------------------------------------------------------


def _arquivo_out(mensagem: Mensagem) -> ArquivoPrestadorOut:
    conteudo = mensagem.conteudo or {}
    return ArquivoPrestadorOut(
        id=mensagem.id,
        nome_arquivo=str(conteudo.get("nome_arquivo") or "arquivo"),
        tipo_conteudo=mensagem.tipo_conteudo,
        mime_type=str(conteudo.get("mime_type") or "application/octet-stream"),
        tamanho=conteudo.get("tamanho"),
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
            Mensagem.conteudo["origem"].astext == ORIGEM,
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


async def _guardar(
    session: AsyncSession, whatsapp: WhatsAppService, chamado: Chamado, mensagem: Mensagem
) -> Mensagem:
    session.add(mensagem)
    chamado.ultima_atividade_em = utcnow()
    await session.flush()
    await session.refresh(mensagem)
    # The operators' chat shows it at once, like a WhatsApp message.
    whatsapp.notificar("mensagem.nova", evento_mensagem(mensagem))
    return mensagem


async def enviar_arquivo(
    session: AsyncSession,
    whatsapp: WhatsAppService,
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
            conteudo={
                "origem": ORIGEM,
                "link_id": acesso.link.id,
                "nome_arquivo": recebido.nome_original,
                "mime_type": recebido.mime_type,
                "tamanho": recebido.tamanho,
                "midia_status": "pronta",
            },
        )
        await _guardar(session, whatsapp, chamado, mensagem)
        await registrar_uso(session, acesso, "enviar_arquivo", recebido.nome_original)
    except BaseException:
        # Refused or rolled back: the file stays only if its message does.
        (settings.media_dir / recebido.nome).unlink(missing_ok=True)
        raise
    return _arquivo_out(mensagem)


async def concluir(
    session: AsyncSession, whatsapp: WhatsAppService, acesso: Acesso, observacao: str | None
) -> Chamado:
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
            whatsapp,
            chamado,
            _recebida(chamado, TipoConteudo.text, texto=observacao, conteudo={"origem": ORIGEM}),
        )
    await chamados.transicionar(
        session,
        whatsapp,
        chamado,
        StatusChamado.aguardando_confirmacao,
        origem=OrigemHistorico.prestador,
        descricao="o prestador marcou o serviço como concluído pelo link",
        mensagem_id=mensagem.id if mensagem else None,
    )
    chamado.ultima_atividade_em = utcnow()
    await session.flush()
    whatsapp.avisar_operadores(
        chamado,
        f"O prestador marcou o chamado {chamado.numero_chamado} como concluído pelo link: "
        "confira e finalize.",
    )
    await registrar_uso(session, acesso, "concluir", observacao)
    return chamado
