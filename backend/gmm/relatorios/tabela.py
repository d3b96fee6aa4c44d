"""Tables for spreadsheets: CSV for Excel pt-BR and XLSX, from the same typed rows.

Any export that is a table (the chamados today, the contractors' scorecard next)
describes its columns with ``Coluna`` and hands rows of ``Celula`` to ``csv_stream``
or ``xlsx_bytes``; both apply the same rules:

- text that a spreadsheet would run as a formula is neutralised (``neutralizar``);
- dates and times are written in the given time zone, ``dd/mm/aaaa hh:mm`` in CSV
  and as real date cells in XLSX;
- numbers use the decimal comma in CSV (what Excel pt-BR reads as a number),
  booleans read "Sim"/"Não", None is an empty cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from decimal import Decimal
from enum import StrEnum

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# What a cell may hold. Only ``str`` is someone's text (and so neutralised).
Celula = str | int | float | Decimal | bool | datetime | date | None


class FormatoPlanilha(StrEnum):
    csv = "csv"
    xlsx = "xlsx"

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES[self]


_MEDIA_TYPES = {
    FormatoPlanilha.csv: "text/csv; charset=utf-8",
    FormatoPlanilha.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Coluna:
    titulo: str
    # XLSX column width, in characters of the default font.
    largura: float = 14


# OWASP's list (CSV Injection): a cell starting with one of these is a formula to
# Excel, LibreOffice or Google Sheets, whatever the file's extension.
_INICIO_DE_FORMULA = ("=", "+", "-", "@", "\t", "\r")

FORMATO_DATA_HORA = "%d/%m/%Y %H:%M"
FORMATO_DATA = "%d/%m/%Y"
# The same two, as Excel number formats.
_EXCEL_DATA_HORA = "dd/mm/yyyy hh:mm"
_EXCEL_DATA = "dd/mm/yyyy"
_EXCEL_DECIMAL = "#,##0.00"

# Rows encoded per chunk of the CSV stream: big enough to keep the per-chunk cost
# small, small enough that nothing but one chunk is ever held as text.
_LINHAS_POR_PEDACO = 500
BOM = "\ufeff"


def neutralizar(texto: str) -> str:
    """``texto`` as inert text: prefixed with ``'`` when it would start a formula.

    Both writers call it on every text cell, so a contractor named
    ``=HYPERLINK("http://x")`` reaches the spreadsheet as that text, never as a link.
    """
    return "'" + texto if texto.startswith(_INICIO_DE_FORMULA) else texto


def _local(momento: datetime, fuso: tzinfo) -> datetime:
    # Naive datetimes are taken as already local.
    return momento.astimezone(fuso) if momento.tzinfo is not None else momento


def _decimal_br(valor: Decimal | float) -> str:
    # Decimal: its exact digits ("1500.00"); float: its shortest repr.
    return (format(valor, "f") if isinstance(valor, Decimal) else repr(valor)).replace(".", ",")


def texto_csv(valor: Celula, fuso: tzinfo) -> str:
    """How a cell reads in the CSV (and in any other plain-text rendering)."""
    if valor is None:
        return ""
    if isinstance(valor, bool):
        return "Sim" if valor else "Não"
    if isinstance(valor, datetime):
        return _local(valor, fuso).strftime(FORMATO_DATA_HORA)
    if isinstance(valor, date):
        return valor.strftime(FORMATO_DATA)
    if isinstance(valor, Decimal | float):
        return _decimal_br(valor)
    if isinstance(valor, int):
        return str(valor)
    return neutralizar(valor)


def csv_stream(
    colunas: Sequence[Coluna], linhas: Iterable[Sequence[Celula]], *, fuso: tzinfo
) -> Iterator[bytes]:
    """The CSV, in UTF-8 chunks, for Excel pt-BR: a BOM first (so Excel reads UTF-8),
    ``;`` between fields, CRLF between rows, quotes where the csv module needs them.

    A generator: rows are encoded as the response is sent, ``_LINHAS_POR_PEDACO`` at
    a time, so the file is never held whole in memory.
    """
    buffer = io.StringIO()
    escritor = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write(BOM)
    escritor.writerow([neutralizar(c.titulo) for c in colunas])
    for n, linha in enumerate(linhas, start=1):
        escritor.writerow([texto_csv(valor, fuso) for valor in linha])
        if n % _LINHAS_POR_PEDACO == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


# Excel's rules for a sheet name.
_NOME_DE_ABA_PROIBIDO = re.compile(r"[\[\]:*?/\\]")


def _nome_de_aba(titulo: str) -> str:
    return _NOME_DE_ABA_PROIBIDO.sub(" ", titulo).strip("' ")[:31] or "Planilha"


def _celula_xlsx(aba: WriteOnlyWorksheet, valor: Celula, fuso: tzinfo) -> Cell | Celula:
    if valor is None:
        return None
    if isinstance(valor, bool):
        return "Sim" if valor else "Não"
    if isinstance(valor, datetime):
        # Excel has no time zones: the local wall-clock time, shown as such.
        local = _local(valor, fuso).replace(tzinfo=None)
        celula = WriteOnlyCell(aba, value=local)
        celula.number_format = _EXCEL_DATA_HORA
        return celula
    if isinstance(valor, date):
        celula = WriteOnlyCell(aba, value=datetime.combine(valor, time()))
        celula.number_format = _EXCEL_DATA
        return celula
    if isinstance(valor, Decimal | float):
        # A float holds a Numeric(12, 2) exactly enough; Excel has nothing finer anyway.
        celula = WriteOnlyCell(aba, value=float(valor))
        celula.number_format = _EXCEL_DECIMAL
        return celula
    if isinstance(valor, int):
        return valor
    # XML cannot carry most control characters: openpyxl would refuse the whole file.
    return neutralizar(ILLEGAL_CHARACTERS_RE.sub("", valor))


def xlsx_bytes(
    titulo: str,
    colunas: Sequence[Coluna],
    linhas: Iterable[Sequence[Celula]],
    *,
    fuso: tzinfo,
) -> bytes:
    """A workbook with one sheet called ``titulo``: bold header row frozen at the top
    with a filter on it, the columns' widths, dates as date cells in ``fuso``.

    Built in openpyxl's write-only mode (rows go to a temporary file, not to memory);
    blocking work, so an endpoint runs it in a thread.
    """
    livro = Workbook(write_only=True)
    aba = livro.create_sheet(_nome_de_aba(titulo))
    for i, coluna in enumerate(colunas, start=1):
        aba.column_dimensions[get_column_letter(i)].width = coluna.largura
    aba.freeze_panes = "A2"
    negrito = Font(bold=True)
    cabecalho = []
    for coluna in colunas:
        celula = WriteOnlyCell(aba, value=neutralizar(coluna.titulo))
        celula.font = negrito
        celula.alignment = Alignment(vertical="center")
        cabecalho.append(celula)
    aba.append(cabecalho)
    total = 0
    for linha in linhas:
        aba.append([_celula_xlsx(aba, valor, fuso) for valor in linha])
        total += 1
    ultima = get_column_letter(max(len(colunas), 1))
    aba.auto_filter.ref = f"A1:{ultima}{total + 1}"
    saida = io.BytesIO()
    livro.save(saida)
    return saida.getvalue()
