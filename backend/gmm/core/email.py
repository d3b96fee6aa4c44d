"""E-mail through GMM_SMTP_URL (aiosmtplib): the one way the product sends one."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

from gmm.core.config import Settings

log = logging.getLogger(__name__)

TIMEOUT_S = 15


async def enviar(settings: Settings, para: str | None, assunto: str, corpo: str) -> bool:
    """Send one e-mail; False (and a log line without the password) when there is no
    SMTP server or recipient, or the server fails."""
    if settings.smtp_url is None or not para:
        return False
    mensagem = EmailMessage()
    mensagem["From"] = settings.smtp_remetente
    mensagem["To"] = para
    mensagem["Subject"] = assunto
    mensagem.set_content(corpo)
    url = urlsplit(settings.secret("smtp_url"))
    seguro = url.scheme == "smtps"
    try:
        await aiosmtplib.send(
            mensagem,
            hostname=url.hostname or "localhost",
            port=url.port or (465 if seguro else 25),
            username=unquote(url.username) if url.username else None,
            password=unquote(url.password) if url.password else None,
            use_tls=seguro,
            # Upgrade to TLS when the server offers it; plain only on a local relay.
            start_tls=None if not seguro else False,
            timeout=TIMEOUT_S,
        )
    except (aiosmtplib.SMTPException, OSError) as exc:
        log.error("e-mail não enviado (%s em %s): %s", type(exc).__name__, url.hostname, exc)
        return False
    return True
