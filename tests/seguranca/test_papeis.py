"""Every operation states its role in the spec, read from its dependencies; everything
under /api/admin/ is for administrators, and operators get 403 there."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.core.config import Settings
from tests import factories as f

# The monitoring panel (and the breaker strip in the Central) is every operator's
# screen: its reads live under /api/monitoramento/, not /api/admin/.
DO_OPERADOR = {"metricas_whatsapp", "listar_alertas"}
# No user: each has its own secret (the contractor's link) or none (login).
PUBLICAS_EM_API = {
    "login",
    "ver_chamado_prestador",
    "enviar_arquivo_prestador",
    "concluir_chamado_prestador",
}


def _operacoes(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (caminho, metodo, operacao)
        for caminho, metodos in app.openapi()["paths"].items()
        for metodo, operacao in metodos.items()
    ]


def test_every_operation_states_its_role(app: FastAPI) -> None:
    for caminho, _, operacao in _operacoes(app):
        papel = operacao["x-papel"]
        assert papel in {"admin", "operador", "publico"}, caminho
        if caminho.startswith("/api/admin/"):
            assert papel == "admin", (caminho, papel)
        if operacao["operationId"] in DO_OPERADOR:
            assert papel == "operador" and caminho.startswith("/api/monitoramento/"), caminho
        if caminho.startswith("/api/") and papel == "publico":
            assert operacao["operationId"] in PUBLICAS_EM_API, caminho
        if papel == "admin":
            assert "403" in operacao["responses"], caminho


async def test_operators_get_403_under_admin_and_read_the_monitoring(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    operador = f.headers(await f.usuario(db, papel=Papel.operador), settings)
    admin = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    leituras = [
        (caminho, operacao)
        for caminho, metodo, operacao in _operacoes(app)
        if caminho.startswith(("/api/admin/", "/api/monitoramento/"))
        and metodo == "get"
        and "{" not in caminho
    ]
    assert len(leituras) >= 5
    for caminho, operacao in leituras:
        do_operador = await client.get(caminho, headers=operador)
        esperado = 200 if operacao["operationId"] in DO_OPERADOR else 403
        assert do_operador.status_code == esperado, (caminho, do_operador.text)
        assert (await client.get(caminho, headers=admin)).status_code == 200, caminho
