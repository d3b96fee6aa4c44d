"""The Postman collection and environment for integrators, generated from ``openapi.yaml``.

One request per operation (folders by tag), its documented example as the body, the
admin's login saving the token in the environment, and one request per MegaAPI webhook
example so that a webhook can be replayed by hand. ``gmm postman`` writes the files; a
test regenerates them in memory and fails when they are stale.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import yaml

from gmm.app.openapi_export import OPENAPI_PATH, ROOT

POSTMAN_DIR = ROOT / "docs" / "postman"
COLLECTION_PATH = POSTMAN_DIR / "gmm.postman_collection.json"
ENVIRONMENT_PATH = POSTMAN_DIR / "gmm.postman_environment.json"

_SCHEMA_V21 = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/gmm/central-de-mensagens")
_METODOS = ("get", "post", "put", "patch", "delete")

# Environment variables: (key, value, secret, what it is).
_AMBIENTE: list[tuple[str, str, bool, str]] = [
    ("baseUrl", "http://127.0.0.1:8000", False, "Endereço da API, sem barra no fim"),
    ("email", "admin@example.com", False, "Usuário do login"),
    ("senha", "gmm-demo-2026", True, "Senha do login"),
    ("token", "", True, "Preenchido pelo script de teste de “Entrar com e-mail e senha”"),
    ("webhookToken", "", True, "GMM_WEBHOOK_TOKEN, para simular os webhooks da MegaAPI"),
    ("prestadorToken", "", True, "O token de um link do prestador (fim da URL /p/...)"),
]

# Values for path parameters, by name; ids point at the first row of each table.
_VALOR_PARAMETRO = {"token": "{{prestadorToken}}", "nome": "arquivo.jpg"}

_SALVA_TOKEN = [
    "// Guarda o token no ambiente: as outras requisições usam {{token}}.",
    'pm.test("login aceito", function () {',
    "    pm.response.to.have.status(200);",
    "});",
    "if (pm.response.code === 200) {",
    '    pm.environment.set("token", pm.response.json().access_token);',
    "}",
]


def _id(*partes: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(partes)))


def _url(path: str, query: list[dict[str, Any]], variaveis: list[dict[str, Any]]) -> dict[str, Any]:
    segmentos = [
        f":{s[1:-1]}" if s.startswith("{") and s.endswith("}") else s
        for s in path.strip("/").split("/")
    ]
    raw = "{{baseUrl}}/" + "/".join(segmentos)
    ativos = [f"{q['key']}={q['value']}" for q in query if not q.get("disabled")]
    if ativos:
        raw += "?" + "&".join(ativos)
    url: dict[str, Any] = {"raw": raw, "host": ["{{baseUrl}}"], "path": segmentos}
    if query:
        url["query"] = query
    if variaveis:
        url["variable"] = variaveis
    return url


def _exemplo_parametro(parametro: dict[str, Any]) -> str:
    if parametro["name"] in _VALOR_PARAMETRO:
        return _VALOR_PARAMETRO[parametro["name"]]
    esquema = parametro.get("schema", {})
    for chave in ("example", "default"):
        valor = parametro.get(chave, esquema.get(chave))
        if valor is not None:
            return str(valor).lower() if isinstance(valor, bool) else str(valor)
    if esquema.get("type") == "integer":
        return "1"
    return ""


def _parametros(operacao: dict[str, Any]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    query: list[dict[str, Any]] = []
    variaveis: list[dict[str, Any]] = []
    for parametro in operacao.get("parameters", []):
        item: dict[str, Any] = {
            "key": parametro["name"],
            "value": _exemplo_parametro(parametro),
        }
        descricao = parametro.get("description") or parametro.get("schema", {}).get("description")
        if descricao:
            item["description"] = descricao
        if parametro["in"] == "path":
            variaveis.append(item)
        elif parametro["in"] == "query":
            item["disabled"] = not parametro.get("required", False)
            query.append(item)
    return query, variaveis


def _corpo(operation_id: str, operacao: dict[str, Any]) -> dict[str, Any] | None:
    conteudo = operacao.get("requestBody", {}).get("content", {})
    if "application/json" in conteudo:
        json_body = conteudo["application/json"]
        if operation_id == "login":
            exemplo: Any = {"email": "{{email}}", "senha": "{{senha}}"}
        elif "example" in json_body:
            exemplo = json_body["example"]
        elif "examples" in json_body:
            exemplo = next(iter(json_body["examples"].values()))["value"]
        else:
            exemplo = {}
        return {
            "mode": "raw",
            "raw": json.dumps(exemplo, indent=2, ensure_ascii=False),
            "options": {"raw": {"language": "json"}},
        }
    if "multipart/form-data" in conteudo:
        esquema = conteudo["multipart/form-data"].get("schema", {})
        campos = []
        for nome, propriedade in esquema.get("properties", {}).items():
            arquivo = "contentMediaType" in propriedade or propriedade.get("format") == "binary"
            campo: dict[str, Any] = {"key": nome, "type": "file" if arquivo else "text"}
            if arquivo:
                campo["src"] = []
            else:
                campo["value"] = ""
            if propriedade.get("description"):
                campo["description"] = propriedade["description"]
            campos.append(campo)
        return {"mode": "formdata", "formdata": campos}
    return None


def _autenticacao(operacao: dict[str, Any], query: list[dict[str, Any]]) -> dict[str, Any]:
    esquemas = {nome for requisito in operacao.get("security", []) for nome in requisito}
    if esquemas & {"HTTPBearer", "MetricsToken"}:
        # The user's token works everywhere a bearer token does (also on /metrics).
        return {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]}
    if "webhook_token" in esquemas:
        query.insert(0, {"key": "token", "value": "{{webhookToken}}"})
    if "assinatura_midia" in esquemas:
        query.append({"key": "sig", "value": "", "description": "Assinatura do link"})
    return {"type": "noauth"}


def _requisicao(path: str, metodo: str, operacao: dict[str, Any]) -> dict[str, Any]:
    operation_id = operacao["operationId"]
    query, variaveis = _parametros(operacao)
    auth = _autenticacao(operacao, query)
    request: dict[str, Any] = {
        "method": metodo.upper(),
        "header": [],
        "auth": auth,
        "url": _url(path, query, variaveis),
        "description": operacao.get("description", ""),
    }
    corpo = _corpo(operation_id, operacao)
    if corpo is not None:
        if corpo["mode"] == "raw":
            request["header"].append({"key": "Content-Type", "value": "application/json"})
        request["body"] = corpo
    item: dict[str, Any] = {
        "id": _id("operacao", operation_id),
        "name": operacao.get("summary", operation_id),
        "request": request,
    }
    if operation_id == "login":
        item["event"] = [
            {"listen": "test", "script": {"type": "text/javascript", "exec": _SALVA_TOKEN}}
        ]
    return item


def _webhooks(schema: dict[str, Any]) -> dict[str, Any]:
    """Each MegaAPI example, ready to POST to our webhook as the gateway would."""
    itens = []
    for nome, webhook in schema.get("webhooks", {}).items():
        operacao = webhook["post"]
        exemplos = operacao["requestBody"]["content"]["application/json"].get("examples", {})
        for chave, exemplo in exemplos.items():
            query = [{"key": "token", "value": "{{webhookToken}}"}]
            itens.append(
                {
                    "id": _id("webhook", nome, chave),
                    "name": f"{operacao['summary']} ({chave})",
                    "request": {
                        "method": "POST",
                        "header": [{"key": "Content-Type", "value": "application/json"}],
                        "auth": {"type": "noauth"},
                        "url": _url("/webhook/whatsapp", query, []),
                        "description": operacao.get("description", ""),
                        "body": {
                            "mode": "raw",
                            "raw": json.dumps(exemplo["value"], indent=2, ensure_ascii=False),
                            "options": {"raw": {"language": "json"}},
                        },
                    },
                }
            )
    return {
        "id": _id("pasta", "webhooks-megaapi"),
        "name": "Webhooks da MegaAPI (simulação)",
        "description": "Os eventos que a MegaAPI envia, para repetir à mão contra "
        "/webhook/whatsapp. Defina webhookToken no ambiente.",
        "item": itens,
    }


def colecao(schema: dict[str, Any]) -> dict[str, Any]:
    pastas: dict[str, list[dict[str, Any]]] = {}
    for path, metodos in schema["paths"].items():
        for metodo in _METODOS:
            if metodo in metodos:
                operacao = metodos[metodo]
                tag = (operacao.get("tags") or ["geral"])[0]
                pastas.setdefault(tag, []).append(_requisicao(path, metodo, operacao))
    itens: list[dict[str, Any]] = [
        {"id": _id("pasta", tag), "name": tag, "item": requisicoes}
        for tag, requisicoes in pastas.items()
    ]
    itens.append(_webhooks(schema))
    info = schema["info"]
    return {
        "info": {
            "_postman_id": _id("colecao"),
            "name": info["title"],
            "description": info.get("description", "")
            + "\n\nGerada de openapi.yaml por `gmm postman`; comece por "
            "“Entrar com e-mail e senha”, que guarda o token no ambiente.",
            "version": info.get("version", ""),
            "schema": _SCHEMA_V21,
        },
        "auth": {"type": "bearer", "bearer": [{"key": "token", "value": "{{token}}"}]},
        "item": itens,
    }


def ambiente() -> dict[str, Any]:
    return {
        "id": _id("ambiente"),
        "name": "GMM Central de Mensagens (local)",
        "values": [
            {
                "key": chave,
                "value": valor,
                "type": "secret" if segredo else "default",
                "enabled": True,
                "description": descricao,
            }
            for chave, valor, segredo, descricao in _AMBIENTE
        ],
        "_postman_variable_scope": "environment",
    }


def _json(dados: dict[str, Any]) -> str:
    return json.dumps(dados, indent=2, ensure_ascii=False) + "\n"


def render(openapi_yaml: str | None = None) -> dict[Path, str]:
    """The files' contents, from ``openapi.yaml`` (or the YAML text given)."""
    texto = OPENAPI_PATH.read_text(encoding="utf-8") if openapi_yaml is None else openapi_yaml
    schema = yaml.safe_load(texto)
    return {COLLECTION_PATH: _json(colecao(schema)), ENVIRONMENT_PATH: _json(ambiente())}


def write() -> list[Path]:
    POSTMAN_DIR.mkdir(parents=True, exist_ok=True)
    arquivos = render()
    for caminho, conteudo in arquivos.items():
        caminho.write_text(conteudo, encoding="utf-8")
    return list(arquivos)
