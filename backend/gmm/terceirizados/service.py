from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core.db import contains_pattern
from gmm.core.errors import Conflict, NotFound
from gmm.core.pagination import Page, decode_cursor, encode_cursor
from gmm.terceirizados import telefone
from gmm.terceirizados.models import Terceirizado
from gmm.terceirizados.schemas import TerceirizadoCreate, TerceirizadoOut, TerceirizadoUpdate


async def obter(session: AsyncSession, terceirizado_id: int) -> Terceirizado:
    terceirizado = await session.get(Terceirizado, terceirizado_id)
    if terceirizado is None:
        raise NotFound(f"terceirizado {terceirizado_id} não encontrado")
    return terceirizado


async def listar(
    session: AsyncSession, *, busca: str | None, ativo: bool | None, limit: int, cursor: str | None
) -> Page[TerceirizadoOut]:
    query = select(Terceirizado).order_by(Terceirizado.nome, Terceirizado.id).limit(limit + 1)
    if ativo is not None:
        query = query.where(Terceirizado.ativo == ativo)
    if busca:
        padrao = contains_pattern(busca)
        condicoes: list[ColumnElement[bool]] = [
            Terceirizado.nome.ilike(padrao),
            Terceirizado.empresa.ilike(padrao),
        ]
        if (por_telefone := telefone_contem(busca)) is not None:
            condicoes.append(por_telefone)
        query = query.where(or_(*condicoes))
    if cursor:
        nome, ultimo_id = decode_cursor(cursor, str, int)
        query = query.where(tuple_(Terceirizado.nome, Terceirizado.id) > (nome, ultimo_id))
    rows = list(await session.scalars(query))
    next_cursor = (
        encode_cursor(rows[limit - 1].nome, rows[limit - 1].id) if len(rows) > limit else None
    )
    return Page(
        items=[TerceirizadoOut.model_validate(t) for t in rows[:limit]], next_cursor=next_cursor
    )


# Fewer digits say nothing about a phone: "302" in a search is a room, not a number.
DIGITOS_MINIMOS_BUSCA = 4


def telefone_contem(busca: str) -> ColumnElement[bool] | None:
    """Contractors whose phone holds the digits typed, however they were written
    ("+55 (11) 98765-4321", "98765 4321", "4321"); None when there are too few.

    Both spellings of a mobile match: the stored one and the key with the 9th digit.
    """
    digitos = "".join(c for c in busca if c.isdigit())
    if len(digitos) < DIGITOS_MINIMOS_BUSCA:
        return None
    return or_(
        Terceirizado.telefone.contains(digitos, autoescape=True),
        Terceirizado.telefone_chave.contains(digitos, autoescape=True),
    )


async def _garantir_telefone_livre(
    session: AsyncSession, numero: str, exceto_id: int | None = None
) -> str:
    chave = telefone.chave(numero)
    query = select(Terceirizado.nome).where(Terceirizado.telefone_chave == chave)
    if exceto_id is not None:
        query = query.where(Terceirizado.id != exceto_id)
    dono = await session.scalar(query)
    if dono is not None:
        raise Conflict(f"o telefone {numero} já pertence ao terceirizado {dono}")
    return chave


async def _flush_telefone_unico(session: AsyncSession, numero: str) -> None:
    """Flush, turning a concurrent write of the same number into a 409 instead of a 500."""
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(f"o telefone {numero} já pertence a outro terceirizado") from exc


async def criar(session: AsyncSession, dados: TerceirizadoCreate) -> Terceirizado:
    chave = await _garantir_telefone_livre(session, dados.telefone)
    terceirizado = Terceirizado(**dados.model_dump(), telefone_chave=chave)
    session.add(terceirizado)
    await _flush_telefone_unico(session, dados.telefone)
    await session.refresh(terceirizado)
    return terceirizado


async def atualizar(
    session: AsyncSession, terceirizado_id: int, dados: TerceirizadoUpdate
) -> Terceirizado:
    terceirizado = await obter(session, terceirizado_id)
    campos = dados.model_dump(exclude_unset=True)
    if "telefone" in campos:
        terceirizado.telefone_chave = await _garantir_telefone_livre(
            session, campos["telefone"], exceto_id=terceirizado.id
        )
    for campo, valor in campos.items():
        setattr(terceirizado, campo, valor)
    await _flush_telefone_unico(session, terceirizado.telefone)
    return terceirizado


async def desativar(session: AsyncSession, terceirizado_id: int) -> Terceirizado:
    terceirizado = await obter(session, terceirizado_id)
    if not terceirizado.ativo:
        raise Conflict(f"o terceirizado {terceirizado.nome} já está inativo")
    terceirizado.ativo = False
    await session.flush()
    return terceirizado
