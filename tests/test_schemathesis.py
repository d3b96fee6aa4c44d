"""Contract tests: schemathesis drives every operation of ``openapi.yaml`` against the
running API (a real uvicorn server on the test PostgreSQL and Redis) and runs every
check it has: no 5xx, status codes, content types, headers and bodies as documented,
schema-valid input accepted and invalid input refused, and authentication enforced
(each protected operation that answered 2xx is sent again without and with a wrong
token, and must refuse both).

The run is bounded and deterministic: a few generated cases per operation on top of
the documented examples and the boundary ("coverage") cases, with derandomized
Hypothesis, so CI sees the same requests on every run.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import hypothesis
import pytest
import requests
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck
from hypothesis import strategies as st
from pydantic import SecretStr
from redis.asyncio import Redis
from schemathesis.specs.openapi.checks import (
    positive_data_acceptance,
)
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gmm.app.main import create_app
from gmm.app.models import metadata
from gmm.app.openapi_export import OPENAPI_PATH
from gmm.auth.models import Papel
from gmm.core.config import Settings
from gmm.core.embedded import start_simulator
from tests import factories
from tests.servidor import servir

# Fuzzed cases per operation, on top of the documented examples and the coverage
# phase's boundary cases: the whole run takes about 25 s on two cores.
MAX_EXAMPLES = 25

schema = (
    schemathesis.openapi.from_path(
        OPENAPI_PATH,
        # The test sends real credentials (an admin's token, the webhook's ?token=), so
        # schemathesis knows them as such and probes each 2xx without and with a wrong
        # one; random credentials of its own would only ever get 401s.
        config=schemathesis.Config.from_dict({"generation": {"with-security-parameters": False}}),
    )
    # A Server-Sent Events stream never ends: a request to it only returns when the
    # client gives up, and its body is an event stream, not a document to validate
    # (tests/eventos drive it).
    .exclude(path="/api/eventos")
    # Prometheus' text exposition: nothing in it has a JSON schema to check, and it
    # takes no input (tests/monitoramento/test_prometheus.py reads it).
    .exclude(path="/metrics")
)


# Text PostgreSQL cannot store (NUL) or that is no UTF-8 at all (a lone surrogate,
# which only a JSON body can carry, as "\ud800"). Schemathesis draws strings with its
# default alphabet, where these are rare, so a share of every generated body, query
# and path gets one spliced into a string: the API must refuse each with a 4xx.
_NUL = ("\x00", "a\x00b")
_SURROGATES = ("\ud800", "\udfff", "a\ud83db")


def _envenenar(valor: Any, veneno: str) -> Any:
    """``valor`` with ``veneno`` appended to its first string (depth first)."""
    if isinstance(valor, str):
        return valor + veneno
    if isinstance(valor, dict):
        for chave, item in valor.items():
            novo = _envenenar(item, veneno)
            if novo is not item:
                return {**valor, chave: novo}
    if isinstance(valor, list):
        for i, item in enumerate(valor):
            novo = _envenenar(item, veneno)
            if novo is not item:
                return [*valor[:i], novo, *valor[i + 1 :]]
    return valor


def _venenos(ctx: schemathesis.HookContext, valor: Any, *, json_apenas: bool) -> Any:
    venenos: tuple[str, ...] = _NUL
    if json_apenas and ctx.operation is not None:
        tipos = {corpo.media_type for corpo in ctx.operation.body}
        if tipos and all(t.endswith("json") for t in tipos):
            venenos = _NUL + _SURROGATES
    return st.one_of(st.just(valor), st.sampled_from(venenos).map(lambda v: _envenenar(valor, v)))


@schema.hook("flatmap_body")
def _corpo_envenenado(ctx: schemathesis.HookContext, body: Any) -> Any:
    return _venenos(ctx, body, json_apenas=True)


@schema.hook("flatmap_query")
def _query_envenenada(ctx: schemathesis.HookContext, query: Any) -> Any:
    return _venenos(ctx, query, json_apenas=False)


@schema.hook("flatmap_path_parameters")
def _caminho_envenenado(ctx: schemathesis.HookContext, path: Any) -> Any:
    return _venenos(ctx, path, json_apenas=False)


# Schema-valid input that a service refuses with 422 for a rule JSON Schema cannot state:
# a cursor that did not come from a previous page, a date that must be in the future,
# the first MegaAPI configuration without a token, a webhook event whose fields do not
# fit its messageType.
RECUSAS_DE_REGRA = {
    "cursor_invalido",
    "data_invalida",
    "prazo_invalido",
    "token_obrigatorio",
    "payload_invalido",
    "regra_invalida",
    "arquivo_invalido",
}
# Problems inside a 422 `dados_invalidos` that the schema does not describe yet, as
# (field, pydantic error type). Each one is a gap between the schema and the model,
# listed here so that any other 422 on schema-valid input still fails the run.
LACUNAS_CONHECIDAS = {
    # A Brazilian phone number (DDD + 8 or 9 digits, with or without 55): the schema
    # only says "string up to 32 characters".
    ("telefone", "value_error"),
    # email-validator refuses special-use domains (.test, .local, ...) that
    # `format: email` allows.
    ("email", "value_error"),
    # Texts stripped of surrounding whitespace before their minimum length counts
    # (StringConstraints(strip_whitespace=True)): "ab\r" is 3 characters to the schema.
    ("*", "string_too_short"),
    # WhatsApp's limits on interactive messages (gmm/envio/schemas.py): texts that
    # are blank once stripped, lengths, 1 to 3 buttons, 1 to 10 sections, unique ids.
    # The schema has them only in the descriptions.
    ("*", "texto_vazio"),
    ("*", "limite_whatsapp"),
    # A budget in cents at most: the schema has no multipleOf, and its string form
    # no pattern.
    ("valor", "decimal_max_places"),
    ("valor", "decimal_parsing"),
    # NUL and lone surrogates (spliced in above): the schema's strings cannot exclude
    # them, and PostgreSQL cannot store them (gmm.core.params.recusar_texto_invalido).
    ("*", "caractere_invalido"),
}


def _recusa_esperada(response: schemathesis.Response) -> bool:
    try:
        corpo = response.json()
    except ValueError:
        return False
    if not isinstance(corpo, dict):
        return False
    if corpo.get("error") in RECUSAS_DE_REGRA:
        return True
    problemas = corpo.get("detail") if corpo.get("error") == "dados_invalidos" else None
    if not isinstance(problemas, list):
        return False
    # A field typed `X | None` reports the refusal once per branch; "should be None" is
    # the other branch speaking, not another problem.
    problemas = [p for p in problemas if p.get("type") != "none_required"]
    return bool(problemas) and all(_lacuna_conhecida(p) for p in problemas)


def _lacuna_conhecida(problema: dict[str, Any]) -> bool:
    caminho = {str(parte) for parte in problema.get("loc", [])} | {"*"}
    return any((campo, problema.get("type")) in LACUNAS_CONHECIDAS for campo in caminho)


def aceita_dados_validos(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case[Any]
) -> bool | None:
    """``positive_data_acceptance``, except for the refusals above."""
    if response.status_code == 422 and _recusa_esperada(response):
        return None
    return positive_data_acceptance(ctx, response, case)


@dataclass(frozen=True)
class Api:
    url: str
    headers: dict[str, str]
    webhook_token: str
    session: requests.Session


@pytest.fixture(scope="module")
async def api(
    settings: Settings,
    engine: AsyncEngine,
    redis: Redis,
    sessionmaker: async_sessionmaker[AsyncSession],
    app: FastAPI,
) -> AsyncIterator[Api]:
    """A second app on the test database, served over HTTP in its own thread, with an
    admin's token and a few rows (so ids 1 exist and documented examples reach the
    services, not only the 404s)."""
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    async with engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await redis.flushdb()
    async with sessionmaker() as db:
        admin = await factories.usuario(db, papel=Papel.admin)
        terceirizado = await factories.terceirizado(db, telefone="5511987654321")
        chamado = await factories.chamado(db, terceirizado)
        await factories.mensagem(db, chamado)
        headers = factories.headers(admin, settings)
    # A real MegaAPI stand-in, so that validar-telefone answers from a gateway instead
    # of the 503 "MegaAPI não configurada".
    simulador, simulador_url = start_simulator("contrato-token", "contrato")
    servidor = settings.model_copy(
        update={
            "megaapi_base_url": simulador_url,
            "megaapi_instance_key": "contrato",
            "megaapi_token": SecretStr("contrato-token"),
        }
    )
    try:
        with servir(create_app(servidor)) as url, requests.Session() as http:
            yield Api(url, headers, settings.secret("webhook_token"), http)
    finally:
        simulador.terminate()
        simulador.wait(timeout=10)


@schema.parametrize()
@hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_segue_o_contrato(case: schemathesis.Case[Any], api: Api) -> None:
    security = {name for req in case.operation.definition.raw.get("security", []) for name in req}
    if "webhook_token" in security:
        # MegaAPI cannot send headers: the webhook's secret is the ?token= in its URL.
        credenciais: dict[str, Any] = {"params": {"token": api.webhook_token}}
    else:
        credenciais = {"headers": api.headers}
    case.call_and_validate(
        base_url=api.url,
        session=api.session,
        excluded_checks=[positive_data_acceptance],
        additional_checks=[aceita_dados_validos],
        **credenciais,
    )
