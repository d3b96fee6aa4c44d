"""The one door to sending, for endpoints."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from gmm.core.deps import SessionDep, SettingsDep
from gmm.envio.fila import Fila
from gmm.envio.service import WhatsAppService


async def get_whatsapp(
    request: Request, session: SessionDep, settings: SettingsDep
) -> WhatsAppService:
    return WhatsAppService(session, Fila(request.app.state.arq), settings)


WhatsAppDep = Annotated[WhatsAppService, Depends(get_whatsapp)]
