"""Texts of the ready-made actions and the normalisation every match goes through."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from gmm.chamados.models import Chamado

_ESPACOS = re.compile(r"\s+")


def normalizar(texto: str) -> str:
    """Accent-, case- and spacing-insensitive form: "  Orçamento  OK" → "orcamento ok"."""
    decomposto = unicodedata.normalize("NFKD", texto)
    sem_acentos = "".join(c for c in decomposto if not unicodedata.combining(c))
    return _ESPACOS.sub(" ", sem_acentos.casefold()).strip()


def reais(valor: Decimal) -> str:
    """1500 → "R$ 1.500,00"."""
    inteiro = f"{valor:,.2f}"
    return "R$ " + inteiro.replace(",", "_").replace(".", ",").replace("_", ".")


# A bare amount as contractors type it: "1500", "1.500", "1.500,00", "R$ 1500,5",
# "1500.50", "1500 reais". A dot followed by exactly three digits groups thousands;
# followed by one or two digits it is the decimal point.
_VALOR = re.compile(
    r"^(?:r\$)?\s*(?P<inteiro>\d{1,3}(?:\.\d{3})+|\d+)(?:[,.](?P<centavos>\d{1,2}))?"
    r"\s*(?:reais|conto)?$"
)


def ler_valor(texto: str) -> Decimal | None:
    """The amount in a reply that is only an amount, else None (a sentence is not an amount)."""
    achado = _VALOR.fullmatch(normalizar(texto))
    if achado is None:
        return None
    inteiro = achado["inteiro"].replace(".", "")
    centavos = (achado["centavos"] or "0").ljust(2, "0")
    try:
        valor = Decimal(f"{inteiro}.{centavos}")
    except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
        return None
    if valor <= 0 or valor >= Decimal("10000000000"):
        return None
    return valor


def data_hora(momento: datetime, fuso: ZoneInfo) -> str:
    return momento.astimezone(fuso).strftime("%d/%m/%Y às %H:%M")


def _cabecalho(chamado: Chamado) -> str:
    return f"*{chamado.numero_chamado}* – {chamado.titulo}"


def solicitar_orcamento(chamado: Chamado) -> str:
    nome = chamado.terceirizado.nome.split()[0]
    return (
        f"Olá, {nome}! Qual o valor do orçamento para o chamado {_cabecalho(chamado)}? "
        "Responda só com o valor (ex.: 1500,00)."
    )


def orcamento(chamado: Chamado, valor: Decimal, observacao: str | None) -> str:
    texto = f"Orçamento do chamado {_cabecalho(chamado)}: {reais(valor)}."
    if observacao:
        texto += f"\n{observacao}"
    return texto + "\nPodemos seguir com esse valor?"


def confirmar_visita(chamado: Chamado, momento: datetime, fuso: ZoneInfo) -> str:
    return (
        f"Visita do chamado {_cabecalho(chamado)} marcada para {data_hora(momento, fuso)}. "
        "Você confirma?"
    )


def concluido(chamado: Chamado) -> str:
    return f"O serviço do chamado {_cabecalho(chamado)} foi concluído?"


RODAPE = "GMM · responda tocando em um botão"

ORCAMENTO_RECEBIDO = "Recebemos seu orçamento de {valor} para o chamado {numero}. Obrigado!"
PEDIR_CONTRAPROPOSTA = (
    "Entendido. Qual valor você propõe para o chamado {numero}? Responda só com o valor."
)
PEDIR_NOVA_DATA = (
    "Sem problema. Qual dia e horário ficam bons para a visita do chamado {numero}? "
    "(ex.: 15/12 às 14h)"
)
APROVADO = "Combinado! Orçamento de {valor} aprovado: pode iniciar o serviço do chamado {numero}."
