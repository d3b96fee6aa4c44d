"""Who a WhatsApp event comes from: one contractor, whatever id it carries.

The number on the contractor is the authority for phone-form ids (either spelling,
with or without the 9th digit); an opaque ``@lid`` is known only once an event has
carried it beside the number, or an operator said whose it is. Every id an event
of a known contractor carries is stored, so the next event with only the ``@lid``
still finds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    ScalarSelect,
    String,
    any_,
    bindparam,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core.db import Compilada
from gmm.terceirizados.models import IdentidadeTerceirizado, Terceirizado
from gmm.terceirizados.telefone import TelefoneInvalido, chave


def chaves(telefones: Iterable[str]) -> list[str]:
    """The numbers' keys (either spelling of the 9th digit), the invalid ones left out."""
    validas: list[str] = []
    for telefone in telefones:
        try:
            validas.append(chave(telefone))
        except TelefoneInvalido:
            continue
    return validas


def _resolvido() -> ScalarSelect[int]:
    """The contractor of the ids in the arrays ``chaves`` (numbers) and ``jids``."""
    por_telefone = select(Terceirizado.id.label("id"), literal(0).label("ordem")).where(
        Terceirizado.telefone_chave == any_(bindparam("chaves", type_=ARRAY(String)))
    )
    por_lid = select(
        IdentidadeTerceirizado.terceirizado_id.label("id"), literal(1).label("ordem")
    ).where(IdentidadeTerceirizado.jid == any_(bindparam("jids", type_=ARRAY(String))))
    consulta = union_all(por_telefone, por_lid).subquery()
    return select(consulta.c.id).order_by(consulta.c.ordem).limit(1).scalar_subquery()


_RESOLVIDO = select(_resolvido())


async def resolver(
    session: AsyncSession, telefones: Iterable[str], jids: Iterable[str]
) -> int | None:
    """The contractor these ids name: the number on a contractor first, then an id
    learned before (an @lid, or a second number an operator attributed), or None."""
    numeros, ids = chaves(telefones), list(jids)
    if not numeros and not ids:
        return None
    terceirizado_id: int | None = await session.scalar(_RESOLVIDO, {"chaves": numeros, "jids": ids})
    return terceirizado_id


@dataclass(frozen=True)
class Identificado:
    """The contractor an event came from, as the webhook's path needs them."""

    id: int
    telefone: str
    telefone_chave: str


# The contractor of the ids in the arrays ``chaves`` and ``jids`` and how many of the
# ``jids`` are stored under them already: all of them, every event after their
# first, and there is nothing to learn. Run on every inbound message, inside the
# statement that also locks their routing row (gmm.recebimento.roteamento).
IDENTIFICADO = select(
    Terceirizado.id,
    Terceirizado.telefone,
    Terceirizado.telefone_chave,
    select(func.count())
    .where(
        IdentidadeTerceirizado.jid == any_(bindparam("jids", type_=ARRAY(String))),
        IdentidadeTerceirizado.terceirizado_id == Terceirizado.id,
    )
    .scalar_subquery()
    .label("conhecidos"),
).where(Terceirizado.id == _resolvido())


# An id seen before under another contractor (a number passed on, an @lid an
# operator attributed) now names this one: the latest evidence wins. Known already,
# under the same contractor: no write at all.
_APRENDER = Compilada.de(
    insert(IdentidadeTerceirizado)
    .from_select(
        ["jid", "terceirizado_id"],
        select(
            func.unnest(bindparam("jids", type_=ARRAY(String))),
            bindparam("terceirizado_id", type_=BigInteger),
        ),
    )
    .on_conflict_do_update(
        index_elements=[IdentidadeTerceirizado.jid],
        set_={
            "terceirizado_id": bindparam("terceirizado_id", type_=BigInteger),
            "criado_em": func.now(),
        },
        where=IdentidadeTerceirizado.terceirizado_id
        != bindparam("terceirizado_id", type_=BigInteger),
    )
)


async def aprender(session: AsyncSession, terceirizado_id: int, jids: Iterable[str]) -> None:
    """Remember every id this contractor's event carried."""
    if unicos := list(dict.fromkeys(jids)):
        await _APRENDER.executar(session, jids=unicos, terceirizado_id=terceirizado_id)


def jid_do_remetente(endereco: str) -> str:
    """The jid a stored message's sender (``mensagens.destinatario``) stands for."""
    return endereco if "@" in endereco else f"{endereco}@s.whatsapp.net"


async def do_terceirizado(session: AsyncSession, terceirizado_id: int) -> list[str]:
    """The ids learned for a contractor, oldest first."""
    return list(
        await session.scalars(
            select(IdentidadeTerceirizado.jid)
            .where(IdentidadeTerceirizado.terceirizado_id == terceirizado_id)
            .order_by(IdentidadeTerceirizado.criado_em, IdentidadeTerceirizado.jid)
        )
    )
