"""The worker's minute round of the follow-up ladder."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core.db import utcnow
from gmm.envio.contexto import Contexto
from gmm.envio.fila import Fila
from gmm.envio.service import WhatsAppService
from gmm.sla import motor


async def cobrar_automaticamente(ctx: dict[str, Any]) -> int:
    """Take every step of the ladder due now; answers how many were taken."""
    c: Contexto = ctx["gmm"]
    fila = Fila(ctx["redis"])

    def whatsapp(session: AsyncSession) -> WhatsAppService:
        return WhatsAppService(session, fila, c.settings)

    return await motor.avaliar(c.sessionmaker, whatsapp, utcnow())
