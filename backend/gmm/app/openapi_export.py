"""``openapi.yaml`` is generated from the app; a test fails when it is stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from fastapi import FastAPI

from gmm.app.openapi_docs import instalar

ROOT = Path(__file__).resolve().parents[3]
OPENAPI_PATH = ROOT / "openapi.yaml"


def schema(app: FastAPI) -> dict[str, Any]:
    """The documented schema: routes plus error and body examples and MegaAPI's webhooks."""
    instalar(app)
    return app.openapi()


class _Dumper(yaml.SafeDumper):
    # Examples shared between a path and `webhooks` are written out in full, not as
    # YAML anchors that code generators and readers would have to resolve.
    def ignore_aliases(self, data: Any) -> bool:
        return True


def render(app: FastAPI) -> str:
    return yaml.dump(schema(app), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def write(app: FastAPI) -> Path:
    OPENAPI_PATH.write_text(render(app), encoding="utf-8")
    return OPENAPI_PATH
