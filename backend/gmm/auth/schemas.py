from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from gmm.auth.models import Papel


class LoginIn(BaseModel):
    # Not EmailStr: any stored address must be able to log in, and a malformed one
    # simply fails like a wrong password.
    email: str = Field(min_length=3, max_length=254)
    senha: str = Field(min_length=1, max_length=256)


class UsuarioOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    nome: str
    email: str
    papel: Papel
    ativo: bool
    criado_em: datetime


class TokenOut(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - a scheme name
    expires_in: int = Field(description="Segundos até o token expirar")
    usuario: UsuarioOut


Nome = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=120)]
# Long enough to resist guessing, short enough for argon2 to hash quickly. The rest
# of the policy (not the e-mail, not a common password) is the service's: it needs
# the account's e-mail and answers 422 `senha_fraca`.
Senha = Annotated[
    str,
    Field(
        min_length=10,
        max_length=256,
        description="De 10 a 256 caracteres; não pode ser o e-mail (nem a parte antes do @) "
        "nem uma das 20 mil senhas mais comuns (422 `senha_fraca`)",
    ),
]


class UsuarioCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nome: Nome
    email: EmailStr
    senha: Senha
    papel: Papel = Papel.operador


class UsuarioUpdate(BaseModel):
    """Only the fields sent change; `senha` sets a new password."""

    model_config = ConfigDict(extra="forbid")

    nome: Nome | None = None
    papel: Papel | None = None
    ativo: bool | None = None
    senha: Senha | None = None
