"""The table writer on its own: formula neutralisation, CSV for Excel pt-BR, XLSX."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from gmm.relatorios.tabela import Celula, Coluna, csv_stream, neutralizar, xlsx_bytes

SP = ZoneInfo("America/Sao_Paulo")
COLUNAS = [Coluna("Nome", 30), Coluna("Quando", 18), Coluna("Valor"), Coluna("Ok"), Coluna("Dia")]


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+5511987654321", "'+5511987654321"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("João = ótimo", "João = ótimo"),
        ("", ""),
    ],
)
def test_neutralizar_prefixes_only_what_would_start_a_formula(texto: str, esperado: str) -> None:
    assert neutralizar(texto) == esperado


def _csv(linhas: list[list[Celula]], colunas: list[Coluna] = COLUNAS) -> bytes:
    return b"".join(csv_stream(colunas, linhas, fuso=SP))


def test_csv_is_utf8_with_bom_semicolons_and_pt_br_values() -> None:
    dados = _csv(
        [
            [
                'Texto; com "aspas"\ne quebra',
                datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
                Decimal("1500.50"),
                True,
                date(2025, 1, 2),
            ],
            ["Ação", None, 2.5, False, None],
        ]
    )
    assert dados.startswith(b"\xef\xbb\xbfNome;Quando;Valor;Ok;Dia\r\n")
    linhas = list(csv.reader(io.StringIO(dados.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert linhas == [
        ["Nome", "Quando", "Valor", "Ok", "Dia"],
        ['Texto; com "aspas"\ne quebra', "01/03/2025 09:00", "1500,50", "Sim", "02/01/2025"],
        ["Ação", "", "2,5", "Não", ""],
    ]


def test_csv_streams_in_chunks_and_never_holds_the_whole_file() -> None:
    pedacos = list(csv_stream([Coluna("N")], ([str(n)] for n in range(1_200)), fuso=SP))
    assert len(pedacos) == 3  # 500 + 500 + 200 rows
    texto = b"".join(pedacos).decode("utf-8-sig")
    assert texto.splitlines() == ["N", *map(str, range(1_200))]


def test_xlsx_has_a_bold_frozen_header_widths_and_typed_cells() -> None:
    dados = xlsx_bytes(
        "Chamados: [março]",
        COLUNAS,
        [
            [
                "=1+1",
                datetime(2025, 3, 1, 12, 0, tzinfo=UTC),
                Decimal("1500.50"),
                True,
                date(2025, 1, 2),
            ],
            ["Ação\x01\x02", None, None, False, None],
        ],
        fuso=SP,
    )
    livro = load_workbook(io.BytesIO(dados))
    assert livro.sheetnames == ["Chamados   março"]
    aba = livro.active
    assert aba is not None
    assert [c.value for c in aba[1]] == ["Nome", "Quando", "Valor", "Ok", "Dia"]
    assert all(c.font.b for c in aba[1])
    assert aba.freeze_panes == "A2"
    assert aba.auto_filter.ref == "A1:E3"
    assert aba.column_dimensions["A"].width == 30
    assert aba.column_dimensions["C"].width == 14
    nome, quando, valor, ok, dia = aba[2]
    assert (nome.value, nome.data_type) == ("'=1+1", "s")
    # Excel has no time zones: the wall-clock time in São Paulo.
    assert quando.value == datetime(2025, 3, 1, 9, 0)
    assert quando.number_format == "dd/mm/yyyy hh:mm"
    assert valor.value == 1500.5
    assert valor.number_format == "#,##0.00"
    assert ok.value == "Sim"
    assert dia.value == datetime(2025, 1, 2)
    assert dia.number_format == "dd/mm/yyyy"
    # Control characters XML cannot carry are dropped, not a broken file.
    assert [c.value for c in aba[3]] == ["Ação", None, None, "Não", None]
