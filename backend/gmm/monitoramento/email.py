"""Alert e-mails through GMM_SMTP_URL (aiosmtplib)."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

from gmm.core.config import Settings
from gmm.monitoramento.models import Alerta

log = logging.getLogger(__name__)

TIMEOUT_S = 15


def _mensagem(settings: Settings, assunto: str, corpo: str) -> EmailMessage:
    mensagem = EmailMessage()
    mensagem["From"] = settings.smtp_remetente
    mensagem["To"] = settings.alert_email or ""
    mensagem["Subject"] = assunto
    mensagem.set_content(corpo)
    return mensagem


def breaker_aberto(alerta: Alerta) -> tuple[str, str]:
    return (
        "[GMM] Envios pelo WhatsApp suspensos: MegaAPI falhando",
        f"Desde {alerta.aberto_em:%d/%m/%Y %H:%M} UTC o circuit breaker da MegaAPI está aberto: "
        "as mensagens aguardam na fila e serão enviadas quando a API estabilizar.\n\n"
        f"{alerta.mensagem}\n\nConfira o painel de monitoramento (/admin/whatsapp) e o "
        "estado da instância na MegaAPI.",
    )


def breaker_recuperado(alerta: Alerta) -> tuple[str, str]:
    fim = f"{alerta.fechado_em:%d/%m/%Y %H:%M}" if alerta.fechado_em else "agora"
    return (
        "[GMM] Envios pelo WhatsApp normalizados",
        f"A MegaAPI voltou a responder: o circuit breaker fechou ({fim} UTC) e a fila "
        "está sendo enviada.",
    )


async def enviar(settings: Settings, conteudo: tuple[str, str]) -> bool:
    """Send one alert e-mail; False (and a log line without the password) on failure."""
    if settings.smtp_url is None or not settings.alert_email:
        return False
    url = urlsplit(settings.secret("smtp_url"))
    seguro = url.scheme == "smtps"
    try:
        await aiosmtplib.send(
            _mensagem(settings, *conteudo),
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
        log.error(
            "e-mail de alerta não enviado (%s em %s): %s", type(exc).__name__, url.hostname, exc
        )
        return False
    return True
