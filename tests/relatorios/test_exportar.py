"""GET /api/chamados/exportar: the list's chamados, as CSV or XLSX, read back cell by cell."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado, Prioridade, StatusChamado
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.relatorios import service
from tests import factories as f

URL = "/api/chamados/exportar"
CABECALHO = [
    "Número",
    "Título",
    "Local",
    "Status",
    "Prioridade",
    "Terceirizado",
    "Empresa",
    "Telefone",
    "Criado em",
    "Prazo",
    "Atrasado",
    "Finalizado em",
    "Valor do orçamento",
]
SP = ZoneInfo("America/Sao_Paulo")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _auth(db: AsyncSession, settings: Settings) -> dict[str, str]:
    return f.headers(await f.usuario(db), settings)


async def _ajustar(db: AsyncSession, chamado: Chamado, **campos: object) -> Chamado:
    for campo, valor in campos.items():
        setattr(chamado, campo, valor)
    await db.commit()
    return chamado


class Cenario:
    """Three chamados of two contractors, each date chosen to cross a day in São Paulo."""

    def __init__(self, joao: Chamado, maria_aberto: Chamado, maria_concluido: Chamado) -> None:
        self.joao = joao
        self.maria_aberto = maria_aberto
        self.maria_concluido = maria_concluido


async def _cenario(db: AsyncSession) -> Cenario:
    joao = await f.terceirizado(
        db, nome="João da Conceição", empresa="Elétrica Ação", telefone="5511987654321"
    )
    maria = await f.terceirizado(
        db, nome="Maria Sá", empresa="Hidráulica Sá", telefone="552133334444"
    )
    # Late: the agreed deadline has passed and it is still open.
    c1 = await f.chamado(
        db,
        joao,
        titulo="Troca do disjuntor",
        prioridade=Prioridade.alta,
        status=StatusChamado.em_andamento,
    )
    await _ajustar(
        db,
        c1,
        local="Bloco B, apto 12",
        criado_em=datetime(2025, 3, 10, 2, 30, tzinfo=UTC),  # 09/03 23:30 in São Paulo
        prazo_combinado=datetime(2025, 3, 12, 20, 0, tzinfo=UTC),
        valor_orcamento=Decimal("1500.00"),
    )
    # On time: no agreed deadline, the SLA's is in the future.
    c2 = await f.chamado(db, maria, titulo="Vazamento na cozinha")
    await _ajustar(
        db,
        c2,
        criado_em=datetime(2025, 3, 11, 13, 5, tzinfo=UTC),
        prazo_sla=utcnow().replace(microsecond=0) + timedelta(days=30),
    )
    # Finished: late deadline, yet not "atrasado".
    c3 = await f.chamado(db, maria, titulo="Pintura da fachada", status=StatusChamado.concluido)
    await _ajustar(
        db,
        c3,
        criado_em=datetime(2025, 1, 5, 12, 0, tzinfo=UTC),
        prazo_combinado=datetime(2025, 1, 6, 12, 0, tzinfo=UTC),
        finalizado_em=datetime(2025, 1, 7, 18, 45, tzinfo=UTC),
        valor_orcamento=Decimal("12345.60"),
    )
    return Cenario(c1, c2, c3)


def _local(momento: datetime) -> str:
    return momento.astimezone(SP).strftime("%d/%m/%Y %H:%M")


def _esperado(c: Cenario) -> list[list[str]]:
    assert c.maria_aberto.prazo_sla is not None
    return [
        # Newest first, as GET /api/chamados lists them.
        [
            c.maria_aberto.numero_chamado,
            "Vazamento na cozinha",
            "",
            "Aguardando",
            "Normal",
            "Maria Sá",
            "Hidráulica Sá",
            "(21) 3333-4444",
            "11/03/2025 10:05",
            _local(c.maria_aberto.prazo_sla),
            "Não",
            "",
            "",
        ],
        [
            c.joao.numero_chamado,
            "Troca do disjuntor",
            "Bloco B, apto 12",
            "Em andamento",
            "Alta",
            "João da Conceição",
            "Elétrica Ação",
            "(11) 98765-4321",
            "09/03/2025 23:30",
            "12/03/2025 17:00",
            "Sim",
            "",
            "1500,00",
        ],
        [
            c.maria_concluido.numero_chamado,
            "Pintura da fachada",
            "",
            "Concluído",
            "Normal",
            "Maria Sá",
            "Hidráulica Sá",
            "(21) 3333-4444",
            "05/01/2025 09:00",
            "06/01/2025 09:00",
            "Não",
            "07/01/2025 15:45",
            "12345,60",
        ],
    ]


def _ler_csv(response: httpx.Response) -> list[list[str]]:
    assert response.content.startswith(b"\xef\xbb\xbf")
    texto = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(texto, newline=""), delimiter=";"))


async def test_csv_has_every_chamado_with_pt_br_columns_and_local_dates(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, config: Settings
) -> None:
    h = await _auth(db, settings)
    cenario = await _cenario(db)
    response = await client.get(URL, params={"formato": "csv"}, headers=h)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    disposicao = response.headers["content-disposition"]
    assert disposicao.startswith('attachment; filename="chamados-')
    assert '.csv"' in disposicao and "filename*=UTF-8''chamados-" in disposicao
    assert response.headers["cache-control"] == "private, no-store"
    assert _ler_csv(response) == [CABECALHO, *_esperado(cenario)]


async def test_csv_is_the_default_format(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, config: Settings
) -> None:
    h = await _auth(db, settings)
    response = await client.get(URL, headers=h)
    assert response.status_code == 200, response.text
    assert _ler_csv(response) == [CABECALHO]


@pytest.mark.parametrize(
    ("params", "quais"),
    [
        ({"status": "concluido"}, ["maria_concluido"]),
        ({"prioridade": "alta"}, ["joao"]),
        ({"atrasados": "true"}, ["joao"]),
        ({"atrasados": "false"}, ["maria_aberto", "maria_concluido"]),
        ({"status": "aguardando", "atrasados": "false"}, ["maria_aberto"]),
        ({"terceirizado": "maria"}, ["maria_aberto", "maria_concluido"]),
    ],
)
async def test_the_same_filters_as_the_list(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    config: Settings,
    params: dict[str, str],
    quais: list[str],
) -> None:
    h = await _auth(db, settings)
    cenario = await _cenario(db)
    if params.pop("terceirizado", None):
        params["terceirizado_id"] = str(cenario.maria_aberto.terceirizado_id)
    numeros = [getattr(cenario, q).numero_chamado for q in quais]
    exportado = _ler_csv(await client.get(URL, params=params, headers=h))
    assert [linha[0] for linha in exportado[1:]] == numeros
    listado = (await client.get("/api/chamados", params=params, headers=h)).json()["items"]
    assert [c["numero_chamado"] for c in listado] == numeros


async def test_xlsx_has_the_same_cells_typed(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, config: Settings
) -> None:
    h = await _auth(db, settings)
    cenario = await _cenario(db)
    response = await client.get(URL, params={"formato": "xlsx"}, headers=h)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == XLSX
    assert '.xlsx"' in response.headers["content-disposition"]
    livro = load_workbook(io.BytesIO(response.content))
    assert livro.sheetnames == ["Chamados"]
    aba = livro["Chamados"]
    assert [c.value for c in aba[1]] == CABECALHO
    assert all(c.font.b for c in aba[1])
    assert aba.freeze_panes == "A2"
    assert aba.max_row == 4
    assert all((aba.column_dimensions[letra].width or 0) >= 10 for letra in "ABCDEFGHIJKLM")
    linhas = [[c.value for c in linha] for linha in aba.iter_rows(min_row=2)]
    prazo_sla = cenario.maria_aberto.prazo_sla
    assert prazo_sla is not None
    assert linhas == [
        [
            cenario.maria_aberto.numero_chamado,
            "Vazamento na cozinha",
            None,
            "Aguardando",
            "Normal",
            "Maria Sá",
            "Hidráulica Sá",
            "(21) 3333-4444",
            datetime(2025, 3, 11, 10, 5),
            prazo_sla.astimezone(SP).replace(tzinfo=None),
            "Não",
            None,
            None,
        ],
        [
            cenario.joao.numero_chamado,
            "Troca do disjuntor",
            "Bloco B, apto 12",
            "Em andamento",
            "Alta",
            "João da Conceição",
            "Elétrica Ação",
            "(11) 98765-4321",
            datetime(2025, 3, 9, 23, 30),
            datetime(2025, 3, 12, 17, 0),
            "Sim",
            None,
            1500,
        ],
        [
            cenario.maria_concluido.numero_chamado,
            "Pintura da fachada",
            None,
            "Concluído",
            "Normal",
            "Maria Sá",
            "Hidráulica Sá",
            "(21) 3333-4444",
            datetime(2025, 1, 5, 9, 0),
            datetime(2025, 1, 6, 9, 0),
            "Não",
            datetime(2025, 1, 7, 15, 45),
            12345.6,
        ],
    ]
    for (celula,) in aba.iter_rows(min_row=2, min_col=9, max_col=9):
        assert isinstance(celula, Cell) and celula.is_date
        assert celula.number_format == "dd/mm/yyyy hh:mm"
    assert aba.cell(row=3, column=13).number_format == "#,##0.00"


@pytest.mark.parametrize("formato", ["csv", "xlsx"])
async def test_past_the_cap_asks_to_narrow_the_filters(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    config: Settings,
    monkeypatch: pytest.MonkeyPatch,
    formato: str,
) -> None:
    monkeypatch.setattr(service, "MAXIMO_LINHAS", 2)
    h = await _auth(db, settings)
    await _cenario(db)
    response = await client.get(URL, params={"formato": formato}, headers=h)
    assert response.status_code == 422, response.text
    corpo = response.json()
    assert corpo["error"] == "exportacao_grande"
    assert "2 chamados" in corpo["detail"] and "filtre" in corpo["detail"]
    # Narrowed to the cap, it goes through.
    response = await client.get(URL, params={"formato": formato, "status": "aguardando"}, headers=h)
    assert response.status_code == 200, response.text


async def test_text_that_would_be_a_formula_is_inert_in_both_formats(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, config: Settings
) -> None:
    h = await _auth(db, settings)
    hostil = await f.terceirizado(db, nome='=HYPERLINK("http://x")', empresa="@SUM(A1:A9)")
    chamado = await f.chamado(db, hostil, titulo="+cmd|' /C calc'!A0")
    await _ajustar(db, chamado, local="-2+3")

    linha = _ler_csv(await client.get(URL, headers=h))[1]
    titulo, local, nome, empresa = linha[1], linha[2], linha[5], linha[6]
    assert nome == '\'=HYPERLINK("http://x")'
    assert empresa == "'@SUM(A1:A9)"
    assert titulo == "'+cmd|' /C calc'!A0"
    assert local == "'-2+3"

    response = await client.get(URL, params={"formato": "xlsx"}, headers=h)
    aba = load_workbook(io.BytesIO(response.content))["Chamados"]
    for coluna, esperado in [
        (2, "'+cmd|' /C calc'!A0"),
        (3, "'-2+3"),
        (6, '\'=HYPERLINK("http://x")'),
        (7, "'@SUM(A1:A9)"),
    ]:
        celula = aba.cell(row=2, column=coluna)
        assert celula.data_type == "s", coluna  # text, not a formula ("f")
        assert celula.value == esperado


@pytest.mark.parametrize(
    "params",
    [
        {"formato": "pdf"},
        {"formato": ""},
        {"status": "\x00"},
        {"status": "aberto"},
        {"terceirizado_id": "0"},
        {"terceirizado_id": "abc"},
        {"terceirizado_id": str(2**63)},
        {"prioridade": "máxima"},
        {"atrasados": "talvez"},
        {"formato": "csv\x00"},
    ],
)
async def test_hostile_parameters_are_422(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    config: Settings,
    params: dict[str, str],
) -> None:
    h = await _auth(db, settings)
    response = await client.get(URL, params=params, headers=h)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "dados_invalidos"


async def test_needs_a_token(client: httpx.AsyncClient, db: AsyncSession) -> None:
    for params in ({}, {"formato": "xlsx"}):
        response = await client.get(URL, params=params)
        assert response.status_code == 401
        assert response.json()["error"] == "nao_autenticado"
    response = await client.get(URL, headers={"Authorization": "Bearer nao-e-um-token"})
    assert response.status_code == 401


@pytest.mark.parametrize("metodo", ["POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_other_methods_are_405_not_a_chamado_id(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, metodo: str
) -> None:
    h = await _auth(db, settings)
    response = await client.request(metodo, URL, headers=h, json={})
    assert response.status_code == 405, response.text
    assert response.headers["allow"] == "GET"
    assert response.json()["error"] == "metodo_nao_permitido"
