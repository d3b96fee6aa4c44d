"""Who a WhatsApp event comes from: one contractor, whatever id it carries.

The number on the contractor is the authority for phone-form ids (either spelling,
with or without the 9th digit); an opaque ``@lid`` is known only once an event has
carried it beside the number, or an operator said whose it is. Every id an event
of a known contractor carries is stored, so the next event with only the ``@lid``
still finds them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

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


async def resolver(
    session: AsyncSession, telefones: Iterable[str], jids: Iterable[str]
) -> int | None:
    """The contractor these ids name: the number on a contractor first, then an id
    learned before (an @lid, or a second number an operator attributed), or None."""
    chaves, jids = _chaves(telefones), list(jids)
    if not chaves and not jids:
        return None
    por_telefone = select(Terceirizado.id.label("id"), literal(0).label("ordem")).where(
        Terceirizado.telefone_chave.in_(chaves)
    )
    por_lid = select(
        IdentidadeTerceirizado.terceirizado_id.label("id"), literal(1).label("ordem")
    ).where(IdentidadeTerceirizado.jid.in_(jids))
    consulta = union_all(por_telefone, por_lid).subquery()
    terceirizado_id: int | None = await session.scalar(
        select(consulta.c.id).order_by(consulta.c.ordem).limit(1)
    )
    return terceirizado_id


async def aprender(session: AsyncSession, terceirizado_id: int, jids: Iterable[str]) -> None:
    """Remember every id this contractor's event carried. An id seen before under
    another contractor (a number passed on, an @lid an operator attributed) now
    names this one: the latest evidence wins."""
    valores = [{"jid": jid, "terceirizado_id": terceirizado_id} for jid in dict.fromkeys(jids)]
    if not valores:
        return
    stmt = insert(IdentidadeTerceirizado).values(valores)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[IdentidadeTerceirizado.jid],
            set_={"terceirizado_id": stmt.excluded.terceirizado_id, "criado_em": func.now()},
            # Known already, under the same contractor: no write at all.
            where=IdentidadeTerceirizado.terceirizado_id != stmt.excluded.terceirizado_id,
        )
    )


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
