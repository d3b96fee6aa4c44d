"""Helpers for enum columns stored as checked VARCHARs.

Native PostgreSQL enums need a migration for every new value; a VARCHAR with a
CHECK constraint keeps the same guarantee and evolves with a plain constraint swap.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum


def enum_column(enum: type[StrEnum], name: str) -> Enum:
    return Enum(
        enum,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in enum),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
