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
PEDIR_NOVO_PRAZO = (
    "Certo. Até quando você consegue concluir o chamado {numero}? "
    "Responda com a data (ex.: 15/12, ou 15/12 às 14h)."
)
NOVO_PRAZO_RECEBIDO = "Anotado: novo prazo do chamado {numero} em {prazo}. Obrigado!"
APROVADO = "Combinado! Orçamento de {valor} aprovado: pode iniciar o serviço do chamado {numero}."


_DATA = re.compile(
    r"(?<!\d)(?P<dia>\d{1,2})/(?P<mes>\d{1,2})(?:/(?P<ano>\d{4}|\d{2}))?(?!\d)"
    r"(?:\s*(?:as|a|,)?\s*(?P<hora>\d{1,2})(?:\s*(?:h|:)\s*(?P<minuto>\d{2})?|\s*h))?"
)
# A date without an hour is due at the end of that day's work.
HORA_PADRAO = 18


def ler_data(texto: str, fuso: ZoneInfo, agora: datetime) -> datetime | None:
    """A date a contractor typed ("15/12", "15/12/2026", "15/12 às 14h", "15/12 14:30"),
    in the future, as an aware datetime; None when there is none or it makes no sense.
    Without a year it is the next such date."""
    achado = _DATA.search(normalizar(texto))
    if achado is None:
        return None
    hoje = agora.astimezone(fuso)
    try:
        ano = int(achado["ano"]) if achado["ano"] else hoje.year
        if ano < 100:
            ano += 2000
        hora = int(achado["hora"]) if achado["hora"] else HORA_PADRAO
        minuto = int(achado["minuto"]) if achado["minuto"] else 0
        momento = datetime(ano, int(achado["mes"]), int(achado["dia"]), hora, minuto, tzinfo=fuso)
        if not achado["ano"] and momento <= hoje:
            momento = momento.replace(year=ano + 1)
    except ValueError:
        return None
    return momento if momento > hoje else None
