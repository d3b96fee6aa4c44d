from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from gmm.auth import security, service
from gmm.auth.deps import AdminUser, CurrentUser
from gmm.auth.schemas import LoginIn, TokenOut, UsuarioCreate, UsuarioOut, UsuarioUpdate
from gmm.core.deps import RedisDep, SessionDep, SettingsDep
from gmm.core.params import IdPath
from gmm.core.respostas import errors

router = APIRouter(prefix="/api/auth", tags=["auth"])


@router.post(
    "/login",
    operation_id="login",
    summary="Entrar com e-mail e senha",
    responses=errors(401, 422, 429),
    response_model=TokenOut,
)
async def login(
    body: LoginIn, request: Request, session: SessionDep, redis: RedisDep, settings: SettingsDep
) -> TokenOut:
    """Troca e-mail e senha por um token JWT (Bearer).

    Credenciais erradas respondem 401 sem dizer qual parte está errada. Tentativas
    demais numa janela (`GMM_LOGIN_WINDOW_SECONDS`) respondem 429 com `Retry-After`:
    por conta e endereço (`GMM_LOGIN_MAX_FAILURES`), por endereço e por conta; o limite
    por conta não vale para um endereço de onde a conta já entrou. O token vale até
    expirar (`expires_in`) ou até a sessão ser encerrada: `POST /api/auth/logout`, nova
    senha ou conta desativada.
    """
    endereco = request.client.host if request.client else "desconhecido"
    usuario = await service.autenticar(session, redis, settings, body.email, body.senha, endereco)
    token, expires_in = security.create_token(usuario.id, settings, usuario.sessao_versao)
    return TokenOut(
        access_token=token, expires_in=expires_in, usuario=UsuarioOut.model_validate(usuario)
    )


@router.post(
    "/logout",
    operation_id="logout",
    summary="Sair (encerrar as sessões)",
    status_code=status.HTTP_204_NO_CONTENT,
    response_class=Response,
    responses=errors(401),
)
async def logout(session: SessionDep, usuario: CurrentUser) -> Response:
    """Encerra todas as sessões do usuário: este token e os de outros aparelhos ou
    abas deixam de valer na hora, e os fluxos de eventos abertos se fecham em segundos.
    Para voltar, `POST /api/auth/login`."""
    await service.encerrar_sessoes(session, usuario.id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get(
    "/me",
    operation_id="me",
    summary="Usuário do token",
    responses=errors(401),
    response_model=UsuarioOut,
)
async def me(usuario: CurrentUser) -> UsuarioOut:
    """O usuário dono do token."""
    return UsuarioOut.model_validate(usuario)


usuarios_router = APIRouter(prefix="/api/admin/usuarios", tags=["usuarios"])


@usuarios_router.get(
    "", operation_id="listar_usuarios", summary="Listar usuários", responses=errors(401, 403)
)
async def listar(session: SessionDep, _: AdminUser) -> list[UsuarioOut]:
    """Operadores e administradores, por nome."""
    return [UsuarioOut.model_validate(u) for u in await service.listar(session)]


@usuarios_router.post(
    "",
    operation_id="criar_usuario",
    summary="Criar usuário",
    status_code=status.HTTP_201_CREATED,
    responses=errors(401, 403, 409, 422),
)
async def criar(body: UsuarioCreate, session: SessionDep, _: AdminUser) -> UsuarioOut:
    """Nova conta. E-mail repetido (sem distinguir maiúsculas) responde 409."""
    usuario = await service.criar_usuario(
        session, nome=body.nome, email=body.email, senha=body.senha, papel=body.papel
    )
    return UsuarioOut.model_validate(usuario)


@usuarios_router.patch(
    "/{usuario_id}",
    operation_id="atualizar_usuario",
    summary="Alterar usuário",
    responses=errors(401, 403, 404, 409, 422),
)
async def atualizar(
    usuario_id: IdPath, body: UsuarioUpdate, session: SessionDep, admin: AdminUser
) -> UsuarioOut:
    """Altera nome, papel, senha ou desativa (`ativo: false`: o acesso cai na hora).
    Ninguém remove o próprio acesso de administrador, e sempre resta um administrador
    ativo (409)."""
    return UsuarioOut.model_validate(await service.atualizar(session, usuario_id, body, admin))
