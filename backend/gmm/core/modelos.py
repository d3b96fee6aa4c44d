"""Texts written once with {variáveis} and filled for each chamado: the quick replies
and the follow-up ladder's messages. One reading of a variable for both."""

from __future__ import annotations

import re
from collections.abc import Mapping

VARIAVEL = re.compile(r"\{([a-z_]+)\}")


def conferir(texto: str, aceitas: Mapping[str, str]) -> str:
    """``texto`` when every variable in it is one of ``aceitas``; else ValueError
    (a 422 with the list of what is accepted)."""
    desconhecidas = sorted({v for v in VARIAVEL.findall(texto) if v not in aceitas})
    if desconhecidas:
        lista = ", ".join(f"{{{v}}}" for v in aceitas)
        raise ValueError(
            f"variável desconhecida: {', '.join('{' + v + '}' for v in desconhecidas)} "
            f"(aceitas: {lista})"
        )
    return texto


def descrever(aceitas: Mapping[str, str]) -> str:
    """The variables for a field's description: "`{chamado}` (o número do chamado), …"."""
    return ", ".join(f"`{{{v}}}` ({d})" for v, d in aceitas.items())


def preencher(modelo: str, valores: Mapping[str, str]) -> str:
    """The text with each known variable replaced; anything else is left as written."""
    return VARIAVEL.sub(lambda m: valores.get(m.group(1), m.group(0)), modelo)
