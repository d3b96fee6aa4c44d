"""Who a WhatsApp event comes from: one contractor, whatever id it carries.

The number on the contractor is the authority for phone-form ids (either spelling,
with or without the 9th digit); an opaque ``@lid`` is known only once an event has
carried it beside the number, or an operator said whose it is. Every id an event
of a known contractor carries is stored, so the next event with only the ``@lid``
still finds them.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ScalarSelect, func, literal, select, union_all
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


def _resolvido(chaves: list[str], jids: list[str]) -> ScalarSelect[int]:
    por_telefone = select(Terceirizado.id.label("id"), literal(0).label("ordem")).where(
        Terceirizado.telefone_chave.in_(chaves)
    )
    por_lid = select(
        IdentidadeTerceirizado.terceirizado_id.label("id"), literal(1).label("ordem")
    ).where(IdentidadeTerceirizado.jid.in_(jids))
    consulta = union_all(por_telefone, por_lid).subquery()
    return select(consulta.c.id).order_by(consulta.c.ordem).limit(1).scalar_subquery()


async def resolver(
    session: AsyncSession, telefones: Iterable[str], jids: Iterable[str]
) -> int | None:
    """The contractor these ids name: the number on a contractor first, then an id
    learned before (an @lid, or a second number an operator attributed), or None."""
    chaves, jids = _chaves(telefones), list(jids)
    if not chaves and not jids:
        return None
    terceirizado_id: int | None = await session.scalar(select(_resolvido(chaves, jids)))
    return terceirizado_id


async def resolver_e_aprender(
    session: AsyncSession, telefones: Iterable[str], jids: Iterable[str]
) -> Terceirizado | None:
    """``resolver`` and then ``aprender``, the contractor loaded, in one round trip
    when every id is known already under them (every event after a contractor's
    first): the same query counts the ids stored for them."""
    chaves, jids = _chaves(telefones), list(dict.fromkeys(jids))
    if not chaves and not jids:
        return None
    conhecidos = (
        select(func.count())
        .where(
            IdentidadeTerceirizado.jid.in_(jids),
            IdentidadeTerceirizado.terceirizado_id == Terceirizado.id,
        )
        .scalar_subquery()
    )
    linha = (
        await session.execute(
            select(Terceirizado, conhecidos).where(Terceirizado.id == _resolvido(chaves, jids))
        )
    ).first()
    if linha is None:
        return None
    terceirizado: Terceirizado = linha[0]
    if linha[1] < len(jids):
        await aprender(session, terceirizado.id, jids)
    return terceirizado


async def aprender(session: AsyncSession, terceirizado_id: int, jids: Iterable[str]) -> None:
    """Remember every id this contractor's event carried. An id seen before under
    another contractor (a number passed on, an @lid an operator attributed) now
    names this one: the latest evidence wins."""
    valores = [{"jid": jid, "terceirizado_id": terceirizado_id} for jid in dict.fromkeys(jids)]
    if not valores:
        return
    # The contractor as a parameter rather than ``excluded`` (every row has the same
    # one): building ``excluded`` copies the table's every column, per call.
    await session.execute(
        insert(IdentidadeTerceirizado)
        .values(valores)
        .on_conflict_do_update(
            index_elements=[IdentidadeTerceirizado.jid],
            set_={"terceirizado_id": terceirizado_id, "criado_em": func.now()},
            # Known already, under the same contractor: no write at all.
            where=IdentidadeTerceirizado.terceirizado_id != terceirizado_id,
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
