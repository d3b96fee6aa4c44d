"""Hostile input gets a 4xx with ``{"error", "detail"}`` and stores nothing.

Each case here once reached PostgreSQL or a parser and came back as a 500: NUL
bytes (PostgreSQL refuses them in text and jsonb), lone surrogates (no UTF-8 at
all), JSON nested past the parser's recursion, timestamps past what ``datetime``
holds, and cursors carrying values BIGINT cannot.
"""

from __future__ import annotations

import base64
import json
import logging
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import Message

from gmm.auth.models import Papel
from gmm.automacao.models import RegraAutomacao
from gmm.chamados.models import Chamado
from gmm.conversas.models import Mensagem
from gmm.core.config import Settings
from gmm.envio.models import AckPendente
from gmm.recebimento.leitura import instante
from gmm.recebimento.router import PROFUNDIDADE_MAXIMA, profundidade
from gmm.terceirizados.models import Terceirizado
from tests import factories as f
from tests.recebimento.test_webhook import ack, texto

TELEFONE = "5511987654321"
NUL = "a\x00b"
SURROGATE = "a\ud800b"


def webhook_url(settings: Settings, caminho: str = "/webhook/whatsapp") -> str:
    return f"{caminho}?token={settings.secret('webhook_token')}"


async def contagem(db: AsyncSession) -> tuple[int, ...]:
    """Rows in every table a refused request could have written to."""
    tabelas = (Mensagem, AckPendente, Terceirizado, Chamado, RegraAutomacao)
    return tuple([int(await db.scalar(select(func.count()).select_from(t)) or 0) for t in tabelas])


def assert_recusa(response: httpx.Response, *codigos: int) -> None:
    assert response.status_code in (codigos or (400, 422)), response.text
    corpo = response.json()
    assert set(corpo) == {"error", "detail"} and corpo["detail"], corpo


def _json(corpo: Any) -> bytes:
    # ensure_ascii writes a lone surrogate as the "\ud800" escape, the way a client would.
    return json.dumps(corpo).encode()


# -- webhook -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "corpo",
    [
        b"[" * 100_000,
        b"{" * 100_000,
        b'{"a":' * 5_000 + b"1" + b"}" * 5_000,
        b"[" * 5_000 + b"]" * 5_000,
        b'{"messageType": NaN}',
        b'{"messageType": "x", "n": Infinity}',
        b'{"messageTimestamp": 1' + b"0" * 5_000 + b"}",
    ],
    ids=["colchetes", "chaves", "objetos-5000", "listas-5000", "nan", "infinity", "int-enorme"],
)
async def test_webhook_json_hostil_400(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, corpo: bytes
) -> None:
    response = await client.post(
        webhook_url(settings), content=corpo, headers={"content-type": "application/json"}
    )
    assert_recusa(response, 400)
    assert await contagem(db) == (0, 0, 0, 0, 0)


def test_profundidade_ignora_colchetes_dentro_de_textos() -> None:
    assert profundidade(b'{"a": [1, {"b": "[[[[\\"{{{"}]}') == 3
    assert profundidade(b"[" * 100_000) == 100_000
    assert profundidade(b'"sem fim [[[') == 3  # invalid JSON: counted, never under
    # A real event with a long quoted chain still fits.
    assert profundidade(json.dumps(texto(TELEFONE, "[" * 500)).encode()) < PROFUNDIDADE_MAXIMA


def _com_mensagem(campo: str, valor: Any) -> dict[str, Any]:
    corpo = texto(TELEFONE, "oi")
    if campo == "texto":
        corpo["message"]["conversation"] = valor
    elif campo == "id":
        corpo["key"]["id"] = valor
    elif campo == "pushName":
        corpo["pushName"] = valor
    elif campo == "chave":
        corpo["message"][valor] = "x"
    elif campo == "midia":
        corpo["message"] = {"imageMessage": {"url": "https://x/y", "mimetype": valor}}
    return corpo


@pytest.mark.parametrize("valor", [NUL, SURROGATE, "\udfff", "\x00"], ids=repr)
@pytest.mark.parametrize("campo", ["texto", "id", "pushName", "chave", "midia", "ack"])
async def test_webhook_nul_e_surrogate_422_sem_gravar(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, campo: str, valor: str
) -> None:
    await f.terceirizado(db, telefone=TELEFONE)
    corpo = ack(valor, 3) if campo == "ack" else _com_mensagem(campo, valor)
    response = await client.post(
        webhook_url(settings), content=_json(corpo), headers={"content-type": "application/json"}
    )
    assert_recusa(response, 422)
    assert response.json()["error"] == "dados_invalidos"
    assert await contagem(db) == (0, 0, 1, 0, 0)


@pytest.mark.parametrize(
    ("valor", "esperado"),
    [
        (1_796_441_576, datetime(2026, 12, 5, 3, 32, 56, tzinfo=UTC)),
        (1_796_441_576_000, datetime(2026, 12, 5, 3, 32, 56, tzinfo=UTC)),  # milliseconds
        ("1796441576", datetime(2026, 12, 5, 3, 32, 56, tzinfo=UTC)),
        (1e20, None),
        (10**20, None),
        (10**400, None),
        (-1, None),
        (0, None),
        (1_000_000_000, None),  # 2001: before WhatsApp
        (float("nan"), None),
        (True, None),
        ("amanhã", None),
        ({"low": 1, "high": 0}, None),
        (datetime(1, 1, 1, tzinfo=UTC), None),
    ],
)
def test_instante_so_acredita_em_datas_plausiveis(valor: Any, esperado: datetime | None) -> None:
    assert instante(valor) == esperado


@pytest.mark.parametrize("timestamp", [1_796_441_576_000, 1e20, 10**20, -5, "x", None])
async def test_webhook_timestamp_fora_da_faixa_e_ignorado_e_a_mensagem_fica(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, timestamp: Any
) -> None:
    """A timestamp is only a metric's input: a bad one is dropped, the message kept."""
    await f.terceirizado(db, telefone=TELEFONE)
    corpo = {**texto(TELEFONE, "oi"), "messageTimestamp": timestamp}
    response = await client.post(webhook_url(settings), json=corpo)
    assert response.status_code == 200, response.text
    assert response.json()["resultado"] == "registrada"
    assert (await contagem(db))[0] == 1


@pytest.mark.parametrize("timestamp", [10**20, -5, "0001-01-01T00:00:00+14:00"])
async def test_webhook_status_timestamp_fora_da_faixa_vale_a_chegada(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, timestamp: Any
) -> None:
    corpo = {"message_id": "ABC", "status": "delivered", "timestamp": timestamp}
    response = await client.post(webhook_url(settings, "/webhook/whatsapp/status"), json=corpo)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "corpo",
    [
        {"message_id": "ABC", "status": "delivered", "timestamp": 1e20},
        {"message_id": NUL, "status": "delivered"},
        {"message_id": SURROGATE, "status": "read"},
    ],
)
async def test_webhook_status_hostil_422(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, corpo: dict[str, Any]
) -> None:
    response = await client.post(
        webhook_url(settings, "/webhook/whatsapp/status"),
        content=_json(corpo),
        headers={"content-type": "application/json"},
    )
    assert_recusa(response, 422)
    assert await contagem(db) == (0, 0, 0, 0, 0)


# -- public --------------------------------------------------------------------------


@pytest.mark.parametrize("email", [NUL + "@x.com", SURROGATE + "@x.com"])
async def test_login_com_nul_422(client: httpx.AsyncClient, email: str) -> None:
    response = await client.post(
        "/api/auth/login",
        content=_json({"email": email, "senha": "qualquer"}),
        headers={"content-type": "application/json"},
    )
    assert_recusa(response, 422)
    assert "qualquer" not in response.text  # a refused password never comes back


async def test_prestador_concluir_e_arquivos_com_nul_422(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    from tests.prestador.conftest import criar_link

    usuario = await f.usuario(db)
    chamado = await f.chamado(db, await f.terceirizado(db))
    token, _ = await criar_link(client, chamado.id, f.headers(usuario, settings))
    antes = await contagem(db)

    concluir = await client.post(
        f"/api/prestador/{token}/concluir",
        content=_json({"observacao": "pronto" + NUL}),
        headers={"content-type": "application/json"},
    )
    assert_recusa(concluir, 422)
    legenda = await client.post(
        f"/api/prestador/{token}/arquivos",
        files={"arquivo": ("foto.png", b"\x89PNG\r\n\x1a\n", "image/png")},
        data={"caption": "antes" + NUL},
    )
    assert_recusa(legenda, 422)
    # httpx would percent-encode a NUL in a file name: the multipart is written by hand.
    fronteira = "fronteira"
    multipart = (
        f"--{fronteira}\r\n"
        'Content-Disposition: form-data; name="arquivo"; filename="fo\x00to.png"\r\n'
        f"Content-Type: image/png\r\n\r\nPNG\r\n--{fronteira}--\r\n"
    ).encode()
    nome = await client.post(
        f"/api/prestador/{token}/arquivos",
        content=multipart,
        headers={"content-type": f"multipart/form-data; boundary={fronteira}"},
    )
    assert_recusa(nome, 422)
    caminho = await client.get(f"/api/prestador/{token}%00")
    assert_recusa(caminho, 404, 422)
    assert await contagem(db) == antes
    assert (await db.get(Chamado, chamado.id, populate_existing=True)).status == chamado.status  # type: ignore[union-attr]


# -- logged in -----------------------------------------------------------------------

LISTAS = {
    "/api/terceirizados": ("texto", "id"),
    "/api/chamados": ("data", "id"),
    "/api/conversas": ("data", "id"),
    "/api/conversas/{chamado}/mensagens": ("id",),
    "/api/mensagens/nao-atribuidas": ("id",),
    "/api/monitoramento/alertas": ("data", "id"),
}
_VALIDOS = {"texto": "Ana", "data": "2026-01-01T00:00:00+00:00", "id": 1}


def cursor(*valores: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(valores)).encode()).decode().rstrip("=")


def cursores_hostis(campos: tuple[str, ...]) -> list[str]:
    """Each field in turn replaced by what BIGINT, timestamptz or text cannot hold."""
    comuns: list[Any] = [NUL, SURROGATE, True, None, [], {}]
    ruins: dict[str, list[Any]] = {
        "id": [*comuns, 2**63, -(2**63) - 1, 10**30, 1.5, 1e20, "1"],
        "texto": [*comuns, 1, 1.5],
        "data": [
            *comuns,
            *(1, "2026-01-01T00:00:00", "0001-01-01T00:00:00+14:00"),
            *("9999-12-31T23:00:00-14:00", "2026-01-01T00:00:00+00:00\x00"),
        ],
    }
    casos = []
    for i, campo in enumerate(campos):
        for ruim in ruins[campo]:
            valores = [_VALIDOS[c] for c in campos]
            valores[i] = ruim
            casos.append(cursor(*valores))
    casos.append(cursor(*[_VALIDOS[c] for c in campos], 1))  # one value too many
    casos.append(base64.urlsafe_b64encode(b"[NaN]").decode())
    casos.append("%00")
    return casos


async def _admin(db: AsyncSession, settings: Settings) -> tuple[dict[str, str], int]:
    usuario = await f.usuario(db, papel=Papel.admin)
    chamado = await f.chamado(db, await f.terceirizado(db))
    return f.headers(usuario, settings), chamado.id


@pytest.mark.parametrize("lista", list(LISTAS))
async def test_cursor_hostil_422_cursor_invalido(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, lista: str
) -> None:
    headers, chamado_id = await _admin(db, settings)
    url = lista.format(chamado=chamado_id)
    for valor in cursores_hostis(LISTAS[lista]):
        response = await client.get(url, params={"cursor": valor}, headers=headers)
        assert_recusa(response, 422)
        assert response.json()["error"] in ("cursor_invalido", "dados_invalidos"), valor


@pytest.mark.parametrize("lista", ["/api/terceirizados", "/api/conversas"])
@pytest.mark.parametrize("busca", ["\x00", NUL, "%00"])
async def test_busca_com_nul_422(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, lista: str, busca: str
) -> None:
    headers, _ = await _admin(db, settings)
    response = await client.get(lista, params={"busca": busca}, headers=headers)
    if busca == "%00":  # the literal text "%00" is a fine thing to search for
        assert response.status_code == 200, response.text
    else:
        assert_recusa(response, 422)
        assert response.json()["detail"][0]["loc"] == ["query", "busca"]


async def test_nul_nos_corpos_422_sem_gravar(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers, chamado_id = await _admin(db, settings)
    terceirizado_id = (await f.terceirizado(db)).id
    antes = await contagem(db)
    pedidos = [
        (f"/api/chamados/{chamado_id}/responder", {"mensagem": "chego já" + NUL}),
        (f"/api/chamados/{chamado_id}/responder", {"mensagem": "chego já" + SURROGATE}),
        ("/api/terceirizados", {"nome": "Zé" + NUL, "telefone": "11987654000"}),
        ("/api/terceirizados", {"nome": "Zé", "telefone": "11987654000", "empresa": NUL}),
        ("/api/chamados", {"terceirizado_id": terceirizado_id, "titulo": "Pia" + NUL}),
        ("/api/chamados", {"terceirizado_id": terceirizado_id, "titulo": "Pia", NUL: 1}),
        (
            "/api/admin/automacao/regras",
            {"nome": "r", "tipo_padrao": "palavra_chave", "padrao": "ok" + NUL},
        ),
        (
            "/api/admin/automacao/regras",
            {"nome": "r", "tipo_padrao": "palavra_chave", "padrao": "ok", "acao": "responder"}
            | {"parametro": SURROGATE},
        ),
    ]
    for url, corpo in pedidos:
        response = await client.post(
            url, content=_json(corpo), headers={**headers, "content-type": "application/json"}
        )
        assert_recusa(response, 422)
        [problema] = response.json()["detail"]
        assert problema["type"] == "caractere_invalido", problema
    assert await contagem(db) == antes


async def test_id_no_caminho_fora_do_bigint_nao_e_500(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers, _ = await _admin(db, settings)
    for chamado_id in (str(2**63), "1.5", "%00", "-1"):
        response = await client.get(f"/api/chamados/{chamado_id}", headers=headers)
        assert_recusa(response, 404, 422)


# -- a client that hangs up mid-body -------------------------------------------------


@pytest.mark.parametrize("caminho", ["/webhook/whatsapp", "/api/auth/login"])
async def test_cliente_que_desconecta_no_meio_do_corpo_nao_e_erro(
    app: Any, clean: None, settings: Settings, caplog: pytest.LogCaptureFixture, caminho: str
) -> None:
    """Starlette raises ClientDisconnect into the endpoint; nobody is left to answer,
    and it is no bug either: an INFO line at most, never an ERROR traceback."""
    mensagens: list[Message] = [
        {"type": "http.request", "body": b'{"messageType": "conv', "more_body": True},
        {"type": "http.disconnect"},
    ]
    enviadas: list[Message] = []

    async def receber() -> Message:
        return mensagens.pop(0) if mensagens else {"type": "http.disconnect"}

    async def enviar(mensagem: Message) -> None:
        enviadas.append(mensagem)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": caminho,
        "raw_path": caminho.encode(),
        "query_string": f"token={settings.secret('webhook_token')}".encode(),
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"host", b"test")],
        "client": ("127.0.0.1", 5000),
        "server": ("test", 80),
        "app": app,
    }
    with caplog.at_level(logging.INFO):
        await app(scope, receber, enviar)
    # Nothing, or a 4xx nobody reads; never a 500.
    inicios = [m for m in enviadas if m["type"] == "http.response.start"]
    assert all(m["status"] < 500 for m in inicios), inicios
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
