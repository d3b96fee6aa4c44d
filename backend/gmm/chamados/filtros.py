"""What a list of chamados is filtered by: the query parameters and their SQL, in one place.

``GET /api/chamados`` and its export (gmm.relatorios) take the same ``FiltrosQuery``,
so a spreadsheet always holds exactly the chamados the screen lists.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query
from sqlalchemy import ColumnElement, and_, func

from gmm.chamados.models import ABERTOS, PRAZO_EFETIVO, Chamado, Prioridade, StatusChamado

# Open and past its deadline, by the database's clock: what `atrasados` filters by and
# what an export's "Atrasado" column says (one clock for both).
ATRASADO: ColumnElement[bool] = and_(
    Chamado.status.in_(ABERTOS),
    PRAZO_EFETIVO.is_not(None),
    func.now() > PRAZO_EFETIVO,
)


@dataclass(frozen=True)
class FiltrosChamados:
    """None: no filter on that field."""

    status: StatusChamado | None = None
    terceirizado_id: int | None = None
    prioridade: Prioridade | None = None
    atrasados: bool | None = None

    def condicoes(self) -> list[ColumnElement[bool]]:
        """The WHERE clauses (over ``Chamado``) these filters make."""
        condicoes: list[ColumnElement[bool]] = []
        if self.status is not None:
            condicoes.append(Chamado.status == self.status)
        if self.terceirizado_id is not None:
            condicoes.append(Chamado.terceirizado_id == self.terceirizado_id)
        if self.prioridade is not None:
            condicoes.append(Chamado.prioridade == self.prioridade)
        if self.atrasados is True:
            condicoes.append(ATRASADO)
        elif self.atrasados is False:
            condicoes.append(~ATRASADO)
        return condicoes


def filtros_da_query(
    status_: Annotated[StatusChamado | None, Query(alias="status")] = None,
    terceirizado_id: Annotated[int | None, Query(ge=1, le=2**63 - 1)] = None,
    prioridade: Prioridade | None = None,
    atrasados: Annotated[
        bool | None, Query(description="true: só atrasados; false: só em dia")
    ] = None,
) -> FiltrosChamados:
    return FiltrosChamados(
        status=status_, terceirizado_id=terceirizado_id, prioridade=prioridade, atrasados=atrasados
    )


FiltrosQuery = Annotated[FiltrosChamados, Depends(filtros_da_query)]
