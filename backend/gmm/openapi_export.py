"""``openapi.yaml`` is generated from the app; a test fails when it is stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI

ROOT = Path(__file__).resolve().parents[2]
OPENAPI_PATH = ROOT / "openapi.yaml"


def render(app: FastAPI) -> str:
    schema: dict[str, Any] = app.openapi()
    return yaml.safe_dump(schema, sort_keys=False, allow_unicode=True, width=100)


def write(app: FastAPI) -> Path:
    OPENAPI_PATH.write_text(render(app), encoding="utf-8")
    return OPENAPI_PATH
