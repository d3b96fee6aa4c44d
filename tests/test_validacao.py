"""Every validation problem the API answers is in Portuguese and starts with a capital."""

from __future__ import annotations

import re
import typing

import httpx
import pytest
from pydantic_core import core_schema
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.core.config import Settings
from gmm.core.validacao import _FRASES, mensagem
from tests import factories as f

# Words of pydantic's English messages that must never reach an operator.
_INGLES = re.compile(r"\b(should|Input|Field|required|valid|characters|Value error)\b")


def test_every_pydantic_error_type_has_a_portuguese_sentence() -> None:
    tipos = set(typing.get_args(core_schema.ErrorType))
    # value_error carries our own validators' words (or the e-mail validator's).
    assert tipos - {"value_error"} == set(_FRASES)


@pytest.mark.parametrize(
    ("erro", "esperado"),
    [
        ({"type": "missing", "msg": "Field required"}, "Campo obrigatório"),
        (
            {"type": "string_too_short", "msg": "x", "ctx": {"min_length": 3}},
            "Deve ter pelo menos 3 caracteres",
        ),
        (
            {"type": "string_too_long", "msg": "x", "ctx": {"max_length": 1}},
            "Deve ter no máximo 1 caractere",
        ),
        (
            {"type": "literal_error", "msg": "x", "ctx": {"expected": "'a', 'b' or 'c'"}},
            "Valor não aceito: use 'a', 'b' ou 'c'",
        ),
        ({"type": "value_error", "msg": "Value error, DDD 00 não existe"}, "DDD 00 não existe"),
        (
            {"type": "value_error", "msg": "value is not a valid email address: no @"},
            "E-mail inválido: confira o endereço (por exemplo nome@empresa.com.br)",
        ),
        # Ours (PydanticCustomError), already Portuguese: only the capital letter.
        ({"type": "id_repetido", "msg": "ids de botão repetidos: a"}, "Ids de botão repetidos: a"),
    ],
)
def test_messages_read_in_portuguese(erro: dict[str, typing.Any], esperado: str) -> None:
    assert mensagem(erro) == esperado


async def test_api_answers_validation_problems_in_portuguese(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    admin = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    response = await client.post(
        "/api/terceirizados",
        json={"nome": "", "telefone": "(00) 91234-5678", "email": "sem-arroba", "cor": 1},
        headers=admin,
    )
    assert response.status_code == 422, response.text
    problemas = response.json()["detail"]
    assert problemas, response.text
    for problema in problemas:
        assert problema["msg"][:1].isupper(), problema
        assert not _INGLES.search(problema["msg"]), problema
    por_campo = {tuple(p["loc"]): p["msg"] for p in problemas}
    assert por_campo[("body", "email")].startswith("E-mail inválido")
    assert por_campo[("body", "cor")] == "Campo não permitido aqui"


async def test_a_rule_pattern_re2_refuses_is_explained_in_portuguese(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    admin = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    response = await client.post(
        "/api/admin/automacao/regras",
        json={
            "nome": "Parêntese aberto",
            "tipo_padrao": "regex",
            "padrao": "(abc",
            "acao": "notificar",
        },
        headers=admin,
    )
    assert response.status_code == 422, response.text
    assert "falta fechar um parêntese em “(abc”" in response.json()["detail"]
    assert "missing" not in response.json()["detail"]


async def test_starlettes_own_answers_read_in_portuguese(client: httpx.AsyncClient) -> None:
    desconhecido = await client.get("/api/caminho-que-nao-existe")
    assert desconhecido.status_code == 404
    assert desconhecido.json() == {"error": "nao_encontrado", "detail": "Recurso não encontrado"}
    metodo = await client.delete("/api/auth/login")
    assert metodo.status_code == 405
    assert metodo.json()["detail"] == "Método não permitido neste endereço"
