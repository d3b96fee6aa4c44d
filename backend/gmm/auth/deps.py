"""Who is asking: the logged-in user every protected endpoint depends on."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from gmm.auth import service
from gmm.auth.models import Papel, Usuario
from gmm.core import logs
from gmm.core.deps import SessionDep, SettingsDep
from gmm.core.errors import Forbidden, Unauthorized

_bearer = HTTPBearer(auto_error=False, description="Token JWT de POST /api/auth/login")


async def get_current_user(
    session: SessionDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Usuario:
    if credentials is None:
        raise Unauthorized("token ausente: envie Authorization: Bearer <token>")
    usuario = await service.usuario_do_token(session, settings, credentials.credentials)
    # The request's own context: what it sends is recorded as this user's.
    logs.usuario_id.set(usuario.id)
    return usuario


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
