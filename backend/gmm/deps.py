"""Annotated dependencies: endpoints read like their signature."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth import service
from gmm.auth.models import Papel, Usuario
from gmm.config import Settings
from gmm.db import session_scope
from gmm.errors import Forbidden, Unauthorized
from gmm.whatsapp.fila import Fila
from gmm.whatsapp.service import WhatsAppService


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    async with session_scope(request.app.state.sessionmaker) as session:
        yield session


def get_redis(request: Request) -> Redis:
    redis: Redis = request.app.state.redis
    return redis


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": the transaction commits before the response leaves, so a
# client that got 201 can read its write in the next request, and a failed commit
# is an error response, not a lie.
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]
RedisDep = Annotated[Redis, Depends(get_redis)]

_bearer = HTTPBearer(auto_error=False, description="Token JWT de POST /api/auth/login")


async def get_current_user(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Usuario:
    if credentials is None:
        raise Unauthorized("token ausente: envie Authorization: Bearer <token>")
    return await service.usuario_do_token(session, settings, credentials.credentials)


CurrentUser = Annotated[Usuario, Depends(get_current_user)]


async def get_user_header_or_query(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    access_token: Annotated[
        str | None,
        Query(
            max_length=2000,
            description="O mesmo token, para o que o navegador busca sem cabeçalhos "
            "(<img>, <audio>, EventSource)",
        ),
    ] = None,
) -> Usuario:
    if credentials is None and access_token:
        credentials = HTTPAuthorizationCredentials(scheme="Bearer", credentials=access_token)
    return await get_current_user(session, settings, credentials)


# For resources the browser loads by URL: media files and the event stream.
CurrentUserOrQuery = Annotated[Usuario, Depends(get_user_header_or_query)]


async def get_admin_user(usuario: CurrentUser) -> Usuario:
    if usuario.papel != Papel.admin:
        raise Forbidden("apenas administradores")
    return usuario


AdminUser = Annotated[Usuario, Depends(get_admin_user)]


def get_whatsapp(request: Request, session: SessionDep, settings: SettingsDep) -> WhatsAppService:
    return WhatsAppService(session, Fila(request.app.state.arq), settings)


WhatsAppDep = Annotated[WhatsAppService, Depends(get_whatsapp)]
