from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    EmailStr,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import SkipJsonSchema

from gmm.core.tipos import StrictBool
from gmm.terceirizados.telefone import normalizar

Telefone = Annotated[
    str,
    Field(
        max_length=32,
        description="Telefone brasileiro com DDD, com ou sem 55 e com ou sem o 9º dígito",
        examples=["(11) 98765-4321"],
    ),
    AfterValidator(normalizar),
]
Nome = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
TextoCurto = Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)]


class TerceirizadoCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nome: Nome
    telefone: Telefone
    empresa: TextoCurto | None = None
    email: EmailStr | None = None
    especialidade: TextoCurto | None = None


class TerceirizadoUpdate(BaseModel):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    # Optional but never null: the schema says so (SkipJsonSchema), the validator enforces it.
    nome: Nome | SkipJsonSchema[None] = None
    telefone: Telefone | SkipJsonSchema[None] = None
    empresa: TextoCurto | None = None
    email: EmailStr | None = None
    especialidade: TextoCurto | None = None
    ativo: StrictBool | SkipJsonSchema[None] = None

    @model_validator(mode="after")
    def _obrigatorios_nao_nulos(self) -> TerceirizadoUpdate:
        for campo in ("nome", "telefone", "ativo"):
            if campo in self.model_fields_set and getattr(self, campo) is None:
                raise ValueError(f"{campo} não pode ser nulo")
        return self


class TerceirizadoOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    nome: str
    empresa: str | None
    telefone: str
    email: str | None
    especialidade: str | None
    ativo: bool
    criado_em: datetime
