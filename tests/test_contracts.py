"""Generated artefacts stay in step with the code; deployment files stay valid."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from fastapi import FastAPI

from gmm.openapi_export import OPENAPI_PATH, ROOT, render


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
