"""Password hashing (argon2) and JWT access tokens (python-jose)."""

from __future__ import annotations

from datetime import timedelta
from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from jose import JWTError, jwt

from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.core.errors import Unauthorized

_hasher = PasswordHasher()
ALGORITHM = "HS256"
# Verified when the e-mail is unknown, so a miss costs as long as a wrong password
# and response times do not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("gmm-dummy-password")


# The 20,000 most common passwords, most common first: Django's
# django/contrib/auth/common-passwords.txt.gz (Django 5.2.19 from PyPI, decompressed
# as is), Royce Williams' list drawn from public password leaks. Lower-case.
_SENHAS_COMUNS = "senhas_comuns.txt"
SENHA_MINIMO = 10


@cache
def _senhas_comuns() -> frozenset[str]:
    texto = files("gmm.auth").joinpath(_SENHAS_COMUNS).read_text(encoding="utf-8")
    return frozenset(linha.strip() for linha in texto.splitlines() if linha.strip())


def problema_da_senha(senha: str, email: str) -> str | None:
    """Why ``senha`` is too easy to guess for the account ``email``, in the user's
    words; None when it will do. Length alone let "aaaaaaaaaa" through."""
    if len(senha) < SENHA_MINIMO:
        return f"a senha precisa ter ao menos {SENHA_MINIMO} caracteres"
    normal = senha.strip().lower()
    email = email.strip().lower()
    if normal in (email, email.partition("@")[0]):
        return "a senha não pode ser o seu e-mail"
    if normal in _senhas_comuns():
        return "essa senha está entre as mais usadas e é fácil de adivinhar; escolha outra"
    return None


def hash_senha(senha: str) -> str:
    return _hasher.hash(senha)


def verificar_senha(senha: str, senha_hash: str | None) -> bool:
    try:
        return _hasher.verify(senha_hash or _DUMMY_HASH, senha) and senha_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def create_token(usuario_id: int, settings: Settings, versao: int = 0) -> tuple[str, int]:
    """A login token for the user's current session version (``Usuario.sessao_versao``)."""
    expires_in = settings.jwt_expire_minutes * 60
    now = utcnow()
    claims = {
        "sub": str(usuario_id),
        "sv": versao,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=expires_in)).timestamp()),
    }
    return jwt.encode(claims, settings.secret("secret_key"), algorithm=ALGORITHM), expires_in


def read_token(token: str, settings: Settings) -> tuple[int, int]:
    """The user id and session version a login token was signed with.

    Only the signature and expiry are judged here; whether that session still
    stands is ``auth.service.usuario_do_token``'s to say."""
    try:
        claims = jwt.decode(token, settings.secret("secret_key"), algorithms=[ALGORITHM])
        versao = claims["sv"]
        if type(versao) is not int:
            raise TypeError("sv")
        return int(claims["sub"]), versao
    except (JWTError, KeyError, ValueError, TypeError) as exc:
        raise Unauthorized("token inválido ou expirado") from exc
