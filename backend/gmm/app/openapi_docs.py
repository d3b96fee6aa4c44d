"""What the published contract says beyond the routes: every error response with an
example, examples of request bodies, and MegaAPI's webhook payloads under the OpenAPI
3.1 ``webhooks`` key.

Routers declare their errors with :func:`errors`; :func:`documentar` post-processes the
schema FastAPI generates, and :func:`instalar` makes an app serve the result at
``/openapi.json`` and ``/docs`` (``openapi.yaml`` is the same document).
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import iter_route_contexts

from gmm.auth import deps
from gmm.eventos.router import EVENTOS
from gmm.megaapi.contrato import WEBHOOKS
from gmm.relatorios.service import MAXIMO_LINHAS
from gmm.relatorios.textos import inteiro

# -- error examples ----------------------------------------------------------------------

_ERRO_EXEMPLO: dict[int, dict[str, Any]] = {
    400: {"error": "erro_http", "detail": "There was an error parsing the body"},
    401: {"error": "nao_autenticado", "detail": "token ausente, inválido ou expirado"},
    403: {"error": "proibido", "detail": "apenas administradores"},
    404: {"error": "nao_encontrado", "detail": "chamado 42 não encontrado"},
    409: {"error": "conflito", "detail": "o chamado já está concluído"},
    410: {"error": "link_expirado", "detail": "este link expirou; peça um novo ao operador"},
    413: {"error": "corpo_grande", "detail": "corpo acima de 256 KB"},
    422: {
        "error": "dados_invalidos",
        "detail": [
            {
                "loc": ["body", "titulo"],
                "msg": "Deve ter pelo menos 3 caracteres",
                "type": "string_too_short",
            }
        ],
    },
    429: {"error": "muitas_tentativas", "detail": "muitas tentativas; tente em 60 s"},
    502: {"error": "megaapi_indisponivel", "detail": "a MegaAPI não respondeu; tente de novo"},
    503: {
        "error": "fila_cheia",
        "detail": "fila de envio cheia (500 mensagens); tente em alguns minutos",
    },
}
# Where one operation's error reads differently from the usual one.
_ERRO_EXEMPLO_POR_OPERACAO: dict[tuple[str, int], dict[str, Any]] = {
    ("webhook_whatsapp", 400): {"error": "json_invalido", "detail": "o corpo não é JSON válido"},
    ("webhook_whatsapp", 422): {
        "error": "payload_invalido",
        "detail": "evento da MegaAPI malformado: key.id: Field required",
    },
    ("webhook_whatsapp", 503): {
        "error": "indisponivel",
        "detail": "banco de dados indisponível; tente novamente",
    },
    ("webhook_whatsapp_status", 503): {
        "error": "indisponivel",
        "detail": "banco de dados indisponível; tente novamente",
    },
    ("login", 401): {"error": "nao_autenticado", "detail": "e-mail ou senha incorretos"},
    ("exportar_chamados", 422): {
        "error": "exportacao_grande",
        "detail": f"A exportação passa de {inteiro(MAXIMO_LINHAS)} chamados: "
        "filtre por status, terceirizado, prioridade ou atrasados",
    },
}
_CORPO_ILEGIVEL = "Corpo ilegível (não é JSON válido, ou multipart malformado)"


# -- request body examples ---------------------------------------------------------------

_TELEFONE = "(11) 98765-4321"
_CORPO_EXEMPLO: dict[str, Any] = {
    "login": {"email": "admin@example.com", "senha": "gmm-demo-2026"},
    "criar_usuario": {
        "nome": "Maria Souza",
        "email": "maria.souza@example.com",
        "senha": "uma-senha-bem-longa",
        "papel": "operador",
    },
    "atualizar_usuario": {"papel": "admin"},
    "criar_terceirizado": {
        "nome": "João da Silva",
        "telefone": _TELEFONE,
        "empresa": "Silva Elétrica",
        "email": "joao@silvaeletrica.com.br",
        "especialidade": "Elétrica",
    },
    "atualizar_terceirizado": {"especialidade": "Elétrica e hidráulica"},
    "criar_chamado": {
        "terceirizado_id": 1,
        "titulo": "Troca do disjuntor do quadro 2",
        "descricao": "O disjuntor do quadro 2 desarma quando o ar-condicionado liga.",
        "local": "Condomínio Jardins, bloco B",
        "prioridade": "alta",
        "prazo_combinado": "2030-01-15T17:00:00-03:00",
    },
    "atualizar_chamado": {"status": "em_andamento"},
    "responder_chamado": {"mensagem": "Pode sim, às 9h.", "citada_id": 42},
    "enviar_orcamento": {"valor": "1500.00", "observacao": "Material incluso"},
    "confirmar_visita": {"data_hora": "2030-01-16T09:00:00-03:00"},
    "criar_regra_automacao": {
        "nome": "Chegada ao local",
        "tipo_padrao": "palavra_chave",
        "padrao": "cheguei",
        "acao": "mudar_status",
        "parametro": "em_andamento",
        "ordem": 10,
        "ativa": True,
    },
    "testar_regras_automacao": {"texto": "Cheguei no local, já estou subindo"},
    "atualizar_regra_automacao": {"ativa": False},
    "atribuir_mensagem": {"chamado_id": 1},
    "mover_mensagem": {"chamado_id": 2, "com_seguintes": True},
    "enviar_lista_chamado": {
        "texto": "Qual o melhor horário para a visita?",
        "botao": "Ver horários",
        "titulo": "Agendamento",
        "descricao": "Escolha uma opção",
        "secoes": [
            {
                "titulo": "Manhã",
                "linhas": [
                    {"id": "manha_8", "titulo": "8h às 10h", "descricao": "Chegada até 10h"},
                    {"id": "manha_10", "titulo": "10h às 12h"},
                ],
            },
            {"titulo": "Tarde", "linhas": [{"id": "tarde_14", "titulo": "14h às 16h"}]},
        ],
    },
    "enviar_botoes_chamado": {
        "texto": "O material já chegou?",
        "rodape": "Toque em uma opção",
        "botoes": [
            {"id": "material_sim", "titulo": "Sim, chegou"},
            {"id": "material_nao", "titulo": "Ainda não"},
        ],
    },
    "validar_telefone_whatsapp": {"telefone": _TELEFONE},
    "salvar_config_whatsapp": {
        "base_url": "https://apistart01.megaapi.com.br",
        "instance_key": "megabusiness-ABC123",
        "token": "token-da-instancia-na-megaapi",
    },
    "webhook_whatsapp_status": {
        "message_id": "3EB0C431C26A1916E0A2",
        "status": "read",
        "timestamp": 1767268800,
    },
    "criar_link_prestador": {"validade_horas": 72},
    "criar_resposta_rapida": {
        "titulo": "Confirmar visita",
        "texto": "Olá, {terceirizado}! Confirma a visita do chamado {chamado} ({prazo})?",
        "compartilhada": False,
    },
    "atualizar_resposta_rapida": {"texto": "Bom dia, {terceirizado}! Tudo certo para {prazo}?"},
    "concluir_chamado_prestador": {"observacao": "Disjuntor trocado e quadro testado."},
    "salvar_expediente": {
        "dias": [0, 1, 2, 3, 4],
        "inicio": "08:00:00",
        "fim": "18:00:00",
        "fuso": "America/Sao_Paulo",
        "uf": "SP",
        "email_supervisor": "supervisor@example.com",
    },
    "salvar_politica_sla": {"confirmar_min": 60, "iniciar_min": 600, "concluir_min": 1200},
    "salvar_etapa_cobranca": {
        "ativa": True,
        "minutos": 120,
        "texto": "Olá, {terceirizado}! Conseguiu ver a mensagem do chamado {chamado}?",
    },
    "adicionar_feriado": {"data": "2026-01-25", "descricao": "Aniversário de São Paulo"},
    "pausar_cobranca_automatica": {"pausada": True},
}


_WEBHOOK_DESCRICAO = (
    "A MegaAPI envia cada evento por `POST` à URL configurada no painel dela: "
    "`https://<GMM_PUBLIC_BASE_URL>/webhook/whatsapp?token=<GMM_WEBHOOK_TOKEN>` "
    "(ela não assina nem manda cabeçalhos; o segredo vai na URL e é comparado em tempo "
    "constante). A resposta é imediata; downloads de mídia vão para a fila."
)


def _webhooks(schemas: dict[str, Any]) -> dict[str, Any]:
    webhooks: dict[str, Any] = {}
    for nome, model, resumo, exemplos in WEBHOOKS:
        gerado = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(gerado.pop("$defs", {}))
        schemas[model.__name__] = gerado
        webhooks[nome] = {
            "post": {
                "operationId": nome,
                "summary": resumo,
                "description": f"{inspect.cleandoc(model.__doc__ or '')}\n\n{_WEBHOOK_DESCRICAO}",
                "tags": ["webhooks"],
                "security": [{"webhook_token": []}],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{model.__name__}"},
                            "examples": {k: {"value": v} for k, v in exemplos.items()},
                        }
                    },
                },
                "responses": {
                    "200": {
                        "description": "Recebido (também para eventos conhecidos que não "
                        "tratamos e para repetições)",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/WebhookOut"}
                            }
                        },
                    },
                    "401": _erro(401, "Token ausente ou inválido"),
                    "422": _erro(422, "Evento malformado"),
                    "503": _erro(503, "Banco de dados indisponível; a MegaAPI deve repetir"),
                },
            }
        }
    return webhooks


def _erro(status: int, descricao: str) -> dict[str, Any]:
    return {
        "description": descricao,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/ErrorOut"},
                "example": _ERRO_EXEMPLO[status],
            }
        },
    }


def _webhook_exemplos() -> dict[str, Any]:
    return {
        f"{nome}_{chave}": {"summary": f"{resumo} ({chave})", "value": valor}
        for nome, _, resumo, exemplos in WEBHOOKS
        for chave, valor in exemplos.items()
    }


# -- the post-processing -----------------------------------------------------------------

_INT64_MAX = 2**63 - 1
_LIMITES = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _limites_inteiros(no: Any) -> None:
    """FastAPI writes body models' numeric bounds as floats: ``le=2**63 - 1`` becomes
    9.223372036854776e18, which is 2**63 and lets clients send an id the API refuses.
    Integer schemas get integer bounds back."""
    if isinstance(no, dict):
        if no.get("type") == "integer":
            for chave in _LIMITES:
                valor = no.get(chave)
                if isinstance(valor, float):
                    no[chave] = min(int(valor), _INT64_MAX)
        for valor in no.values():
            _limites_inteiros(valor)
    elif isinstance(no, list):
        for valor in no:
            _limites_inteiros(valor)


def _operacoes(schema: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (operacao["operationId"], operacao)
        for metodos in schema.get("paths", {}).values()
        for operacao in metodos.values()
    ]


def documentar(gerado: dict[str, Any]) -> dict[str, Any]:
    """The schema FastAPI generated, completed (a new dict; applying it twice is harmless)."""
    schema = copy.deepcopy(gerado)
    _limites_inteiros(schema)
    schemas = schema.setdefault("components", {}).setdefault("schemas", {})
    for operation_id, operacao in _operacoes(schema):
        respostas = operacao.setdefault("responses", {})
        corpo = operacao.get("requestBody", {}).get("content", {})
        if corpo and "400" not in respostas:
            # Starlette answers 400 before validation when the body cannot be parsed.
            respostas["400"] = {
                "description": _CORPO_ILEGIVEL,
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}
                },
            }
        for codigo, resposta in respostas.items():
            status = int(codigo)
            json = resposta.get("content", {}).get("application/json")
            if status >= 400 and json is not None:
                json["example"] = _ERRO_EXEMPLO_POR_OPERACAO.get(
                    (operation_id, status), _ERRO_EXEMPLO.get(status)
                )
        if "application/json" in corpo:
            if operation_id == "webhook_whatsapp":
                corpo["application/json"]["examples"] = _webhook_exemplos()
            elif operation_id in _CORPO_EXEMPLO:
                corpo["application/json"]["example"] = _CORPO_EXEMPLO[operation_id]
    schema["webhooks"] = _webhooks(schemas)
    _eventos(schemas)
    return schema


def _eventos(schemas: dict[str, Any]) -> None:
    """The payload of each event of GET /api/eventos, as a component (``x-evento`` is
    its SSE ``event:`` name), so clients type them from this document."""
    for modelo in EVENTOS:
        gerado = modelo.model_json_schema(ref_template="#/components/schemas/{model}")
        for nome, definicao in gerado.pop("$defs", {}).items():
            schemas.setdefault(nome, definicao)
        gerado["x-evento"] = modelo.nome
        schemas[modelo.__name__] = gerado


def _chamadas(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for dependencia in dependant.dependencies:
        if dependencia.call is not None:
            yield dependencia.call
        yield from _chamadas(dependencia)


def papeis(app: FastAPI) -> dict[str, str]:
    """Each operation's role, read from its dependencies (never written by hand, so
    it cannot drift): ``admin`` (AdminUser), ``operador`` (any signed-in user,
    operador or admin: CurrentUser) or ``publico`` (no user; the operation's own
    secret, a webhook token, a link or a signature, is in ``security``)."""
    usuario = {deps.get_current_user, deps.get_user_header_or_query}
    resultado: dict[str, str] = {}
    # Route contexts, not app.routes: they carry each included router's dependencies.
    for rota in iter_route_contexts(app.routes):
        operation_id = getattr(rota, "operation_id", None)
        if operation_id is None or not getattr(rota, "include_in_schema", False):
            continue
        chamadas = set(_chamadas(rota.dependant))
        if deps.get_admin_user in chamadas:
            papel = "admin"
        elif chamadas & usuario:
            papel = "operador"
        else:
            papel = "publico"
        resultado[operation_id] = papel
    return resultado


def instalar(app: FastAPI) -> None:
    """Make ``app`` serve the documented schema (``/openapi.json``, ``/docs``)."""
    if getattr(app.openapi, "documentado", False):
        return
    gerar = app.openapi

    documentado: dict[str, Any] = {}

    def openapi() -> dict[str, Any]:
        if not documentado:
            documentado.update(documentar(gerar()))
            por_operacao = papeis(app)
            for operation_id, operacao in _operacoes(documentado):
                operacao["x-papel"] = por_operacao[operation_id]
            app.openapi_schema = documentado
        return documentado

    openapi.documentado = True  # type: ignore[attr-defined]
    app.openapi = openapi  # type: ignore[method-assign]
