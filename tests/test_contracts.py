"""Generated artefacts stay in step with the code; deployment files stay valid."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
import yaml
from fastapi import FastAPI
from fastapi.routing import APIRoute

from gmm.app.openapi_export import OPENAPI_PATH, ROOT, render
from gmm.app.openapi_export import schema as documentado


def test_openapi_yaml_is_current(app: FastAPI) -> None:
    assert OPENAPI_PATH.read_text(encoding="utf-8") == render(app), (
        "openapi.yaml está desatualizado: rode `.venv/bin/gmm openapi`"
    )


def test_operation_ids_are_stable_and_every_api_route_needs_a_token(app: FastAPI) -> None:
    schema = app.openapi()
    public = {
        "/healthz",
        "/readyz",
        "/api/auth/login",
        # The contractor's link: the signed token in the path is the credential.
        "/api/prestador/{token}",
        "/api/prestador/{token}/arquivos",
        "/api/prestador/{token}/concluir",
    }
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            assert "_api_" not in operation["operationId"], (method, path)
            if path not in public:
                assert operation.get("security"), f"{method.upper()} {path} sem autenticação"
                assert "401" in operation["responses"], (method, path)


def _compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, check=False)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def test_docker_compose_config_is_accepted() -> None:
    command = _compose_command()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("docker compose ausente no CI (make system-deps o instala)")
        pytest.skip("docker compose não instalado")
    result = subprocess.run(
        [*command, "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_operation_has_an_explicit_pt_br_summary_and_a_description(app: FastAPI) -> None:
    # Without `summary=`, FastAPI makes one from the function's name ("Listar").
    sem_resumo = [
        f"{sorted(route.methods or ())} {route.path}"
        for route in app.routes
        if isinstance(route, APIRoute) and route.include_in_schema and not route.summary
    ]
    assert not sem_resumo, f"rotas sem summary=: {sem_resumo}"
    for path, methods in documentado(app)["paths"].items():
        for method, operation in methods.items():
            assert operation.get("description"), f"{method.upper()} {path} sem docstring"


def test_bodies_and_errors_have_examples(app: FastAPI) -> None:
    for path, methods in documentado(app)["paths"].items():
        for method, operation in methods.items():
            json_body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if json_body is not None:
                assert "example" in json_body or "examples" in json_body, (method, path)
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if int(status) >= 400 and content is not None:
                    assert content.get("example"), (method, path, status)


def test_megaapi_webhooks_are_documented(app: FastAPI) -> None:
    webhooks = documentado(app)["webhooks"]
    assert set(webhooks) == {
        "megaapiMensagemTexto",
        "megaapiMensagemMidia",
        "megaapiRespostaInterativa",
        "megaapiReacao",
        "megaapiProtocolo",
        "megaapiConfirmacao",
        "megaapiConexao",
    }
    for webhook in webhooks.values():
        body = webhook["post"]["requestBody"]["content"]["application/json"]
        assert body["schema"]["$ref"].split("/")[-1] in documentado(app)["components"]["schemas"]
        assert body["examples"]


def test_compose_shares_media_and_metrics_between_api_and_workers() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    servicos = compose["services"]
    assert {"postgres", "redis", "migrate", "api", "worker", "spa"} <= set(servicos)
    for nome in ("api", "worker"):
        servico = servicos[nome]
        assert servico["environment"]["PROMETHEUS_MULTIPROC_DIR"] == "/metricas", nome
        assert {"media:/data", "metricas:/metricas"} <= set(servico["volumes"]), nome
        assert servico["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # Replicas sit behind nginx: a published API port would stop `--scale api=N`.
    assert "ports" not in servicos["api"]


def test_nginx_streams_events_unbuffered_and_proxies_the_api() -> None:
    conf = (ROOT / "frontend" / "nginx.conf").read_text(encoding="utf-8")
    eventos = conf.split("location = /api/eventos", 1)[1].split("}", 1)[0]
    assert "proxy_buffering off;" in eventos
    for prefixo in ("api", "webhook", "midias-publicas", "metrics"):
        assert prefixo in conf
