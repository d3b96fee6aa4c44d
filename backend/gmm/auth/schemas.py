from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
