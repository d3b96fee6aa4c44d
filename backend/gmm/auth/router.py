from __future__ import annotations

from fastapi import APIRouter, Request

from gmm.auth import security, service
from gmm.auth.schemas import LoginIn, TokenOut, UsuarioOut
from gmm.deps import CurrentUser, RedisDep, SessionDep, SettingsDep
from gmm.openapi_docs import errors

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/login", operation_id="login", responses=errors(401, 422, 429), response_model=TokenOut
)
async def login(
    body: LoginIn, request: Request, session: SessionDep, redis: RedisDep, settings: SettingsDep
) -> TokenOut:
    """Troca e-mail e senha por um token JWT (Bearer).

    Credenciais erradas respondem 401 sem dizer qual parte está errada; falhas
    repetidas do mesmo endereço respondem 429 com `Retry-After`.
    """
    endereco = request.client.host if request.client else "desconhecido"
    usuario = await service.autenticar(session, redis, settings, body.email, body.senha, endereco)
    token, expires_in = security.create_token(usuario.id, settings)
    return TokenOut(
        access_token=token, expires_in=expires_in, usuario=UsuarioOut.model_validate(usuario)
    )


@router.get("/me", operation_id="me", responses=errors(401), response_model=UsuarioOut)
async def me(usuario: CurrentUser) -> UsuarioOut:
    """O usuário dono do token."""
    return UsuarioOut.model_validate(usuario)
