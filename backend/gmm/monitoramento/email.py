"""The alert e-mails: what the breaker's incidents say, to GMM_ALERT_EMAIL."""

from __future__ import annotations

from gmm.core import email
from gmm.core.config import Settings
from gmm.monitoramento.models import Alerta


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
    """Send one alert e-mail to GMM_ALERT_EMAIL."""
    return await email.enviar(settings, settings.alert_email, *conteudo)
