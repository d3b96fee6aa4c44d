"""Property-based: whatever a client sends, the answer is never a 5xx, and a refusal
stores nothing. Hypothesis builds the hostile input (NUL, lone surrogates, huge
integers, non-finite numbers, deep nesting, arbitrary bytes) on top of valid shapes,
so the requests reach past the first validation into the services and the SQL."""

from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote_from_bytes

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.core.config import Settings
from tests import factories as f
from tests.recebimento.test_webhook import ack, texto
from tests.seguranca.test_entrada_hostil import LISTAS, TELEFONE, contagem, webhook_url

# Each example is a real request against PostgreSQL and Redis: enough to find the
# classes of input above, few enough for two shared cores. Derandomized: CI sees the
# same requests every run.
PROPRIEDADES = settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_hostis = st.sampled_from(["\x00", "\ud800", "\udfff", "\ud83d", "[", '"', "\\"])
# Pieces rather than st.text(alphabet=...): hypothesis would draw the few hostile
# characters too rarely for a bounded run to meet them.
textos = st.lists(st.one_of(_hostis, st.text(max_size=3)), max_size=8).map("".join)
numeros = st.one_of(
    st.integers(),
    st.integers(min_value=2**53, max_value=10**400),
    st.integers(max_value=-(2**63)),
    st.floats(),  # NaN and infinities included: json.dumps writes them as NaN/Infinity
    st.sampled_from([1_796_441_576_000, 10**20, 1e20, -1, 0]),
)
folhas = st.one_of(st.none(), st.booleans(), numeros, textos)
json_qualquer = st.recursive(
    folhas,
    lambda filhos: st.lists(filhos, max_size=4) | st.dictionaries(textos, filhos, max_size=4),
    max_leaves=12,
)


def _trocar(corpo: Any, caminho: list[str | int], valor: Any) -> Any:
    """``corpo`` with the value at ``caminho`` replaced (the path is cut where it ends)."""
    if not caminho or not isinstance(corpo, dict | list):
        return valor
    copia = dict(corpo) if isinstance(corpo, dict) else list(corpo)
    chave, *resto = caminho
    if isinstance(copia, dict):
        copia[chave] = _trocar(copia.get(chave), resto, valor)
    elif isinstance(chave, int) and chave < len(copia):
        copia[chave] = _trocar(copia[chave], resto, valor)
    return copia


_CAMINHOS: list[list[str | int]] = [
    ["messageType"],
    ["messageTimestamp"],
    ["pushName"],
    ["key"],
    ["key", "id"],
    ["key", "remoteJid"],
    ["key", "fromMe"],
    ["message"],
    ["message", "conversation"],
    ["message", "extendedTextMessage"],
    ["message", "imageMessage"],
    ["message", "imageMessage", "mediaKey"],
    ["message", "buttonsResponseMessage", "selectedButtonId"],
    ["message", "listResponseMessage"],
    ["update", "status"],
    ["key", "id", 0],
]


_TEXTOS: list[list[str | int]] = [
    ["pushName"],
    ["key", "id"],
    ["key", "remoteJid"],
    ["message", "conversation"],
    ["message", "imageMessage", "mediaKey"],
    ["message", "extendedTextMessage", "text"],
]


@st.composite
def eventos_hostis(draw: st.DrawFn) -> bytes:
    """A real event's shape with a few fields replaced, a random document, or nesting."""
    tipo = draw(st.sampled_from(["texto", "mensagem", "ack", "qualquer", "aninhado"]))
    if tipo == "texto":  # a valid event but for one text: what gets stored
        caminho = draw(st.sampled_from(_TEXTOS))
        corpo_texto = _trocar(texto(TELEFONE, "oi"), caminho, draw(textos))
        return json.dumps(corpo_texto).encode()
    if tipo == "aninhado":
        n = draw(st.integers(min_value=1, max_value=3_000))
        abre, fecha = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        return (abre * n + "1" + fecha * n).encode()
    if tipo == "qualquer":
        corpo: Any = draw(json_qualquer)
    else:
        corpo = texto(TELEFONE, "oi") if tipo == "mensagem" else ack("ABC", 3)
        for _ in range(draw(st.integers(min_value=1, max_value=3))):
            corpo = _trocar(corpo, draw(st.sampled_from(_CAMINHOS)), draw(json_qualquer))
    # ensure_ascii: a lone surrogate travels as the "\ud800" escape, as JSON allows.
    return json.dumps(corpo).encode()


def _assert_sem_5xx(response: httpx.Response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        corpo = response.json()
        assert set(corpo) == {"error", "detail"}, corpo


@PROPRIEDADES
@given(corpo=eventos_hostis())
async def test_webhook_nunca_5xx_e_recusa_nao_grava(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, corpo: bytes
) -> None:
    antes = await contagem(db)
    response = await client.post(
        webhook_url(settings), content=corpo, headers={"content-type": "application/json"}
    )
    _assert_sem_5xx(response)
    if response.status_code >= 400:
        assert await contagem(db) == antes


def _url(bruto: bytes) -> str:
    return quote_from_bytes(bruto, safe="")


# Arbitrary bytes, percent-encoded: NUL, invalid UTF-8 and the encoded surrogates
# (ED A0 80) a URL can carry, plus texts that decode cleanly.
# Plain st.binary() rarely lands on the few bytes that matter, so they are drawn as
# pieces of their own among random ones.
_pedacos = st.one_of(
    st.sampled_from([b"\x00", b"\xed\xa0\x80", b"\xff", b"%", b"_", b"\\", b"a", b"\xc3\xa9"]),
    st.binary(max_size=4),
)
bytes_de_url = st.one_of(
    st.lists(_pedacos, max_size=8).map(b"".join),
    textos.map(lambda t: t.encode("utf-8", "surrogatepass")),
)
valores_de_cursor = st.one_of(
    bytes_de_url.map(_url),
    st.lists(json_qualquer, max_size=3).map(
        lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode().rstrip("=")
    ),
)


# Every query parameter that reaches SQL as text or through a cursor, on its endpoint.
PARAMETROS_SQL = [
    *((lista, "cursor") for lista in LISTAS),
    ("/api/terceirizados", "busca"),
    ("/api/conversas", "busca"),
    ("/api/chamados", "status"),
    ("/api/chamados", "terceirizado_id"),
]


@pytest.mark.parametrize(("lista", "parametro"), PARAMETROS_SQL)
@PROPRIEDADES
@given(valor=valores_de_cursor)
async def test_parametros_que_chegam_ao_sql_nunca_5xx(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    lista: str,
    parametro: str,
    valor: str,
) -> None:
    usuario = await f.usuario(db, papel=Papel.admin)
    response = await client.get(
        f"{lista.format(chamado=1)}?{parametro}={valor}", headers=f.headers(usuario, settings)
    )
    _assert_sem_5xx(response)


@PROPRIEDADES
@given(
    recurso=st.sampled_from(
        ["/api/chamados/{}", "/api/terceirizados/{}", "/api/prestador/{}", "/api/midias/{}"]
    ),
    valor=bytes_de_url.filter(bool).map(_url),
)
async def test_parametros_de_caminho_nunca_5xx(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, recurso: str, valor: str
) -> None:
    usuario = await f.usuario(db, papel=Papel.admin)
    response = await client.get(recurso.format(valor), headers=f.headers(usuario, settings))
    _assert_sem_5xx(response)
