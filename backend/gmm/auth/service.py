"""Login with failure budgets counted before the password is checked, revocable
sessions, and accounts."""

from __future__ import annotations

from redis.asyncio import Redis
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth import security
from gmm.auth.models import Papel, Usuario
from gmm.auth.schemas import UsuarioUpdate
from gmm.core.config import Settings
from gmm.core.errors import Conflict, DomainError, NotFound, TooManyRequests, Unauthorized
from gmm.core.roteiros import roteiro

CREDENCIAIS_INVALIDAS = "e-mail ou senha inválidos"
SESSAO_INVALIDA = "token inválido ou expirado"

# KEYS: per account+address, per address, per account, "known address" marker.
# ARGV: their three limits, the window in seconds. Answers 0 when the attempt may
# go on (and counts it in all three), else the seconds until the blocking window ends.
# Counting before the password is checked, in one script, is what makes the budget
# hold under concurrency: forty simultaneous guesses cannot all read "4 failures".
_TENTATIVA = """
local conhecido = redis.call('EXISTS', KEYS[4]) == 1
for i = 1, 3 do
  if not (i == 3 and conhecido) then
    local n = tonumber(redis.call('GET', KEYS[i]) or '0')
    if n >= tonumber(ARGV[i]) then
      return math.max(redis.call('TTL', KEYS[i]), 1)
    end
  end
end
for i = 1, 3 do
  if redis.call('INCR', KEYS[i]) == 1 then
    redis.call('EXPIRE', KEYS[i], ARGV[4])
  end
end
return 0
"""

# The same KEYS; ARGV: how long the address stays known. The right password ends
# this address's failures on the account; the wider budgets only get this attempt
# back (never below zero: a window may have ended meanwhile), so logging into one's
# own account does not wipe a count of guesses at others.
_SUCESSO = """
redis.call('DEL', KEYS[1])
for i = 2, 3 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') > 0 then
    redis.call('DECR', KEYS[i])
  end
end
redis.call('SET', KEYS[4], '1', 'EX', ARGV[1])
return 0
"""


def _chaves(email: str, endereco: str) -> tuple[str, str, str, str]:
    return (
        f"gmm:login:falhas:conta-endereco:{email}|{endereco}",
        f"gmm:login:falhas:endereco:{endereco}",
        f"gmm:login:falhas:conta:{email}",
        f"gmm:login:conhecido:{email}|{endereco}",
    )


async def autenticar(
    session: AsyncSession, redis: Redis, settings: Settings, email: str, senha: str, endereco: str
) -> Usuario:
    """The active user with these credentials; 401 without saying which part was wrong.

    Every attempt is counted in Redis (shared by every API process) before the
    password is checked, and given back when it succeeds; past a budget the attempt
    is refused with 429 until that window ends. The budgets: per account and client
    address, per address, and per account; the last skips addresses the account
    logged in from recently (see Settings).
    """
    email = email.strip().lower()
    chaves = list(_chaves(email, endereco))
    espera = await roteiro(redis, _TENTATIVA)(
        keys=chaves,
        args=[
            settings.login_max_failures,
            settings.login_max_failures_endereco,
            settings.login_max_failures_conta,
            settings.login_window_seconds,
        ],
    )
    if int(espera):
        raise TooManyRequests(
            "muitas tentativas de login falharam; tente novamente mais tarde", int(espera)
        )
    usuario = await session.scalar(select(Usuario).where(Usuario.email == email))
    senha_ok = security.verificar_senha(senha, usuario.senha_hash if usuario else None)
    if usuario is None or not senha_ok or not usuario.ativo:
        raise Unauthorized(CREDENCIAIS_INVALIDAS)
    await roteiro(redis, _SUCESSO)(
        keys=chaves, args=[settings.login_endereco_conhecido_dias * 86400]
    )
    return usuario


# -- sessions --------------------------------------------------------------------------
# A session is a token signed for the user's current ``sessao_versao``. Bumping the
# version ends every session of that user at once, with no list of tokens to keep:
# the row is read on every request anyway (to see ``ativo``), so the check is free.


async def usuario_do_token(session: AsyncSession, settings: Settings, token: str) -> Usuario:
    """The active user whose current session ``token`` is; 401 for anything else."""
    usuario_id, versao = security.read_token(token, settings)
    usuario = await session.get(Usuario, usuario_id)
    # Deactivation, logout and a new password end access at once, not at expiry.
    if usuario is None or not usuario.ativo or usuario.sessao_versao != versao:
        raise Unauthorized(SESSAO_INVALIDA)
    return usuario


async def encerrar_sessoes(session: AsyncSession, usuario_id: int) -> None:
    """End every session of the user: their tokens stop working on the next request,
    and their open event streams close within seconds."""
    await session.execute(
        update(Usuario)
        .where(Usuario.id == usuario_id)
        .values(sessao_versao=Usuario.sessao_versao + 1)
        .execution_options(synchronize_session=False)
    )


# -- accounts --------------------------------------------------------------------------


class SenhaFraca(DomainError):
    status_code = 422
    error = "senha_fraca"


def _exigir_senha_forte(senha: str, email: str) -> None:
    problema = security.problema_da_senha(senha, email)
    if problema is not None:
        raise SenhaFraca(problema)


async def criar_usuario(
    session: AsyncSession, *, nome: str, email: str, senha: str, papel: Papel
) -> Usuario:
    email = email.strip().lower()
    _exigir_senha_forte(senha, email)
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
        _exigir_senha_forte(campos["senha"], usuario.email)
    if "senha" in campos or campos.get("ativo") is False:
        # A new password (changed or reset) or a deactivation ends every open session:
        # whoever held the old password or the account's tokens is out at once.
        usuario.sessao_versao += 1
    if "senha" in campos:
        usuario.senha_hash = security.hash_senha(campos.pop("senha"))
    for campo, valor in campos.items():
        setattr(usuario, campo, valor)
    await session.flush()
    return usuario
