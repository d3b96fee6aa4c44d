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


def _chaves(telefones: Iterable[str]) -> list[str]:
    chaves: list[str] = []
    for telefone in telefones:
        try:
            chaves.append(chave(telefone))
        except TelefoneInvalido:
            continue
    return chaves


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
    chaves, jids = _chaves(telefones), list(jids)
    if not chaves and not jids:
        return None
    terceirizado_id: int | None = await session.scalar(_RESOLVIDO, {"chaves": chaves, "jids": jids})
    return terceirizado_id


@dataclass(frozen=True)
class Identificado:
    """The contractor an event came from, as the webhook's path needs them."""

    id: int
    telefone: str
    telefone_chave: str


# Run on every inbound message (gmm.core.db.Compilada). With the contractor, how
# many of the event's ids are stored under them already: all of them, every event
# after their first, and there is nothing to learn.
_IDENTIFICADO = Compilada.de(
    select(
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
)


async def resolver_e_aprender(
    session: AsyncSession, telefones: Iterable[str], jids: Iterable[str]
) -> Identificado | None:
    """``resolver`` and then ``aprender``, in one round trip when every id is known
    already under them."""
    chaves, jids = _chaves(telefones), list(dict.fromkeys(jids))
    if not chaves and not jids:
        return None
    linha = await _IDENTIFICADO.linha(session, chaves=chaves, jids=jids)
    if linha is None:
        return None
    if linha["conhecidos"] < len(jids):
        await aprender(session, linha["id"], jids)
    return Identificado(linha["id"], linha["telefone"], linha["telefone_chave"])


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
