"""The Postman collection is generated from openapi.yaml and stays in step with it."""

from __future__ import annotations

import json

import yaml

from gmm.app.openapi_export import OPENAPI_PATH
from gmm.app.postman_export import COLLECTION_PATH, ENVIRONMENT_PATH, render


def _requisicoes(colecao: dict[str, object]) -> list[dict[str, object]]:
    itens = []
    for pasta in colecao["item"]:  # type: ignore[attr-defined]
        itens.extend(pasta["item"])
    return itens


def test_postman_files_are_current() -> None:
    for caminho, conteudo in render().items():
        assert caminho.is_file(), f"{caminho} ausente: rode `.venv/bin/gmm postman`"
        assert caminho.read_text(encoding="utf-8") == conteudo, (
            f"{caminho.name} está desatualizado em relação a openapi.yaml: "
            "rode `.venv/bin/gmm postman`"
        )


def test_every_operation_has_a_request_and_login_saves_the_token() -> None:
    schema = yaml.safe_load(OPENAPI_PATH.read_text(encoding="utf-8"))
    colecao = json.loads(render()[COLLECTION_PATH])
    nomes = {item["name"] for item in _requisicoes(colecao)}
    for methods in schema["paths"].values():
        for operation in methods.values():
            assert operation["summary"] in nomes, operation["operationId"]

    login = next(i for i in _requisicoes(colecao) if i["name"] == "Entrar com e-mail e senha")
    script = "\n".join(login["event"][0]["script"]["exec"])  # type: ignore[index]
    assert 'pm.environment.set("token"' in script
    assert colecao["auth"]["bearer"][0]["value"] == "{{token}}"


def test_environment_has_the_base_url_and_the_token() -> None:
    ambiente = json.loads(render()[ENVIRONMENT_PATH])
    chaves = {v["key"]: v for v in ambiente["values"]}
    assert chaves["baseUrl"]["value"].startswith("http")
    assert chaves["token"]["type"] == "secret"
    assert "webhookToken" in chaves
