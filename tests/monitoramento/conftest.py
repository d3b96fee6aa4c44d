"""The delivery fixtures (simulator process, in-process workers) for monitoring tests."""

from tests.whatsapp.conftest import (  # noqa: F401 - fixtures
    entrega_settings,
    simulador,
    simulador_processo,
    worker,
)
