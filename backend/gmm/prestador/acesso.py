"""Who opens a contractor's link: the signed token, checked against its row (expired, revoked)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request
from jose import JWTError, jwt
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.security import ALGORITHM
from gmm.conversas.models import TipoConteudo
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.core.errors import DomainError, Unauthorized
from gmm.prestador.models import TokenAcesso

log = logging.getLogger(__name__)

TIPO = "link_prestador"
AUDIENCIA = "gmm:link-prestador"
# Photos and documents of the work; audio and video go over WhatsApp itself.
TIPOS_ACEITOS = (TipoConteudo.image, TipoConteudo.document)
MAXIMO_ARQUIVOS_NA_VISAO = 200

log = logging.getLogger(__name__)


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
