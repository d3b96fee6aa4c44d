"""Login with a per-address failure budget, and account creation."""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth import security
from gmm.auth.models import Papel, Usuario
from gmm.auth.schemas import UsuarioUpdate
from gmm.config import Settings
from gmm.errors import Conflict, NotFound, TooManyRequests, Unauthorized

CREDENCIAIS_INVALIDAS = "e-mail ou senha inválidos"


def _failures_key(endereco: str) -> str:
    return f"gmm:login:falhas:{endereco}"


async def autenticar(
    session: AsyncSession, redis: Redis, settings: Settings, email: str, senha: str, endereco: str
) -> Usuario:
    """The active user with these credentials; 401 without saying which part was wrong.

    Failures are counted per client address in Redis (shared by every API
    process); past the budget the address is refused with 429 until the window ends.
    """
    key = _failures_key(endereco)
    falhas = int(await redis.get(key) or 0)
    if falhas >= settings.login_max_failures:
        retry_after = max(int(await redis.ttl(key)), 1)
        raise TooManyRequests(
            "muitas tentativas de login falharam; tente novamente mais tarde", retry_after
        )
    usuario = await session.scalar(select(Usuario).where(Usuario.email == email.lower()))
    senha_ok = security.verificar_senha(senha, usuario.senha_hash if usuario else None)
    if usuario is None or not senha_ok or not usuario.ativo:
        async with redis.pipeline(transaction=True) as pipe:
            # SET NX starts the window on the first failure only; INCR keeps its TTL.
            pipe.set(key, 0, ex=settings.login_window_seconds, nx=True)
            pipe.incr(key)
            await pipe.execute()
        raise Unauthorized(CREDENCIAIS_INVALIDAS)
    await redis.delete(key)
    return usuario


async def criar_usuario(
    session: AsyncSession, *, nome: str, email: str, senha: str, papel: Papel
) -> Usuario:
    email = email.strip().lower()
    if await session.scalar(select(Usuario.id).where(Usuario.email == email)) is not None:
        raise Conflict(f"já existe um usuário com o e-mail {email}")
    usuario = Usuario(nome=nome, email=email, senha_hash=security.hash_senha(senha), papel=papel)
    session.add(usuario)
    await session.flush()
    return usuario


async def listar(session: AsyncSession) -> list[Usuario]:
    return list(await session.scalars(select(Usuario).order_by(Usuario.nome, Usuario.id)))


async def atualizar(
    session: AsyncSession, usuario_id: int, dados: UsuarioUpdate, quem: Usuario
) -> Usuario:
    """Edit an account. Nobody locks themselves out, and the last active admin stays."""
    campos = dados.model_dump(exclude_unset=True, exclude_none=True)
    if campos.get("papel", Papel.admin) != Papel.admin or campos.get("ativo") is False:
        # This edit may remove an admin: lock every admin row, always in id order
        # (two admins demoting each other wait in turn instead of deadlocking), so the
        # count below sees the other's committed change.
        await session.execute(
            select(Usuario.id)
            .where(Usuario.papel == Papel.admin)
            .order_by(Usuario.id)
            .with_for_update()
        )
    usuario = await session.get(Usuario, usuario_id, with_for_update=True, populate_existing=True)
    if usuario is None:
        raise NotFound(f"usuário {usuario_id} não encontrado")
    perde_admin = usuario.papel == Papel.admin and (
        campos.get("papel", Papel.admin) != Papel.admin or campos.get("ativo") is False
    )
    if perde_admin:
        if usuario.id == quem.id:
            raise Conflict("você não pode remover o próprio acesso de administrador")
        outros = await session.scalar(
            select(func.count()).where(
                Usuario.papel == Papel.admin, Usuario.ativo.is_(True), Usuario.id != usuario.id
            )
        )
        if not outros:
            raise Conflict("é preciso manter ao menos um administrador ativo")
    if "senha" in campos:
        usuario.senha_hash = security.hash_senha(campos.pop("senha"))
    for campo, valor in campos.items():
        setattr(usuario, campo, valor)
    await session.flush()
    return usuario
