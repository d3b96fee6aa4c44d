"""The SLA API: reading the policy, changing it as an admin, a chamado's deadlines,
pausing its ladder; bad input is a 422 that stores nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import time_machine
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.chamados.models import Chamado, HistoricoChamado, Prioridade, StatusChamado
from gmm.conversas.models import Direcao, StatusEnvio
from gmm.core.config import Settings
from gmm.sla.models import EtapaConfig, Expediente, Feriado, PoliticaSla
from tests import factories as f
from tests.mensagens import frase
from tests.sla.cobranca import TERCA, esperando, local, rodada


async def _admin(db: AsyncSession, settings: Settings) -> dict[str, str]:
    return f.headers(await f.usuario(db, papel=Papel.admin), settings)


async def test_the_policy_reads_with_its_defaults_and_needs_a_user(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    assert (await client.get("/api/sla")).status_code == 401
    resposta = await client.get("/api/sla", headers=f.headers(await f.usuario(db), settings))
    assert resposta.status_code == 200, resposta.text
    sla = resposta.json()
    assert sla["expediente"] == {
        "dias": [0, 1, 2, 3, 4],
        "inicio": "08:00:00",
        "fim": "18:00:00",
        "fuso": "America/Sao_Paulo",
        "uf": None,
        "email_supervisor": None,
    }
    assert [p["prioridade"] for p in sla["politicas"]] == ["baixa", "normal", "alta", "urgente"]
    normal = sla["politicas"][1]
    assert (normal["confirmar_min"], normal["iniciar_min"], normal["concluir_min"]) == (
        120,
        1200,
        3000,
    )
    etapas = {e["etapa"]: e for e in sla["etapas"]}
    assert list(etapas) == [
        "nao_entregue",
        "nao_lida",
        "sem_resposta",
        "prazo_1dia",
        "prazo_2h",
        "atrasado",
    ]
    assert not etapas["nao_entregue"]["envia_ao_terceirizado"]
    assert etapas["nao_lida"]["envia_ao_terceirizado"]


async def test_an_admin_changes_hours_deadlines_steps_and_dates_off(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _admin(db, settings)
    expediente = {
        "dias": [0, 1, 2, 3, 4, 5],
        "inicio": "07:30",
        "fim": "17:00",
        "fuso": "America/Sao_Paulo",
        "uf": "SP",
        "email_supervisor": "supervisor@example.com",
    }
    r = await client.put("/api/sla/expediente", json=expediente, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["expediente"]["dias"] == [0, 1, 2, 3, 4, 5]
    assert r.json()["expediente"]["inicio"] == "07:30:00"

    politica = {"confirmar_min": 15, "iniciar_min": 60, "concluir_min": 240}
    r = await client.put("/api/sla/politicas/urgente", json=politica, headers=h)
    assert r.status_code == 200, r.text
    assert {**politica, "prioridade": "urgente"} in r.json()["politicas"]

    etapa = {"ativa": False, "minutos": 90, "texto": "Oi {terceirizado}, viu o {chamado}?"}
    r = await client.put("/api/sla/etapas/nao_lida", json=etapa, headers=h)
    assert r.status_code == 200, r.text
    [nao_lida] = [e for e in r.json()["etapas"] if e["etapa"] == "nao_lida"]
    assert (nao_lida["ativa"], nao_lida["minutos"], nao_lida["texto"]) == (
        False,
        90,
        etapa["texto"],
    )

    feriado = {"data": "2026-01-25", "descricao": "Aniversário de São Paulo"}
    r = await client.post("/api/sla/feriados", json=feriado, headers=h)
    assert r.status_code == 201, r.text
    assert (await client.get("/api/sla", headers=h)).json()["feriados"] == [feriado]
    assert (await client.delete("/api/sla/feriados/2026-01-25", headers=h)).status_code == 204
    r = await client.delete("/api/sla/feriados/2026-01-25", headers=h)
    assert r.status_code == 404
    assert frase(r.json()["detail"]) == "não há feriado da empresa em 25/01/2026"


async def test_operators_cannot_change_the_policy(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    pedidos = [
        (
            "PUT",
            "/api/sla/politicas/normal",
            {"confirmar_min": 1, "iniciar_min": 2, "concluir_min": 3},
        ),
        ("PUT", "/api/sla/etapas/atrasado", {"ativa": False, "minutos": 0}),
        ("POST", "/api/sla/feriados", {"data": "2026-01-25", "descricao": "x"}),
    ]
    for metodo, url, corpo in pedidos:
        r = await client.request(metodo, url, json=corpo, headers=h)
        assert r.status_code == 403, (url, r.text)
    assert await db.scalar(select(func.count()).select_from(PoliticaSla)) == 0
    assert await db.scalar(select(func.count()).select_from(EtapaConfig)) == 0
    assert await db.scalar(select(func.count()).select_from(Feriado)) == 0


async def test_bad_input_is_a_clear_422_and_stores_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _admin(db, settings)
    base = {"dias": [0, 1], "inicio": "08:00", "fim": "18:00"}
    ruins = [
        ("PUT", "/api/sla/expediente", {**base, "inicio": "18:00", "fim": "08:00"}),
        ("PUT", "/api/sla/expediente", {**base, "dias": []}),
        ("PUT", "/api/sla/expediente", {**base, "dias": [7]}),
        ("PUT", "/api/sla/expediente", {**base, "fuso": "Marte/Olympus"}),
        ("PUT", "/api/sla/expediente", {**base, "uf": "ZZ"}),
        ("PUT", "/api/sla/expediente", {**base, "fuso": "America/Sao\u0000Paulo"}),
        (
            "PUT",
            "/api/sla/politicas/normal",
            {"confirmar_min": 600, "iniciar_min": 60, "concluir_min": 900},
        ),
        (
            "PUT",
            "/api/sla/politicas/normal",
            {"confirmar_min": 1, "iniciar_min": 2, "concluir_min": 10**12},
        ),
        (
            "PUT",
            "/api/sla/politicas/normal",
            {"confirmar_min": 1.5, "iniciar_min": 2, "concluir_min": 3},
        ),
        (
            "PUT",
            "/api/sla/politicas/imediata",
            {"confirmar_min": 1, "iniciar_min": 2, "concluir_min": 3},
        ),
        ("PUT", "/api/sla/etapas/nao_lida", {"ativa": True, "minutos": 60, "texto": "Oi {nome}"}),
        ("PUT", "/api/sla/etapas/nao_lida", {"ativa": True, "minutos": 60, "texto": None}),
        ("PUT", "/api/sla/etapas/nao_lida", {"ativa": 1, "minutos": 60, "texto": "Oi"}),
        ("PUT", "/api/sla/etapas/nao_lida", {"ativa": True, "minutos": -1, "texto": "Oi"}),
        ("POST", "/api/sla/feriados", {"data": "2026-02-30", "descricao": "x"}),
        ("POST", "/api/sla/feriados", {"data": "2026-02-03", "descricao": ""}),
        ("DELETE", "/api/sla/feriados/ontem", None),
    ]
    for metodo, url, corpo in ruins:
        r = await client.request(metodo, url, json=corpo, headers=h)
        assert r.status_code == 422, (url, corpo, r.text)
        assert r.json()["error"] in {"dados_invalidos", "etapa_sem_texto"}, r.text
    for modelo in (Expediente, PoliticaSla, EtapaConfig, Feriado):
        assert await db.scalar(select(func.count()).select_from(modelo)) == 0, modelo


async def test_a_chamados_deadlines_waiting_message_steps_and_pause(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    c, m = await esperando(db, StatusEnvio.entregue, TERCA, prioridade=Prioridade.urgente)
    c.prazo_combinado = None
    c.criado_em = TERCA
    await db.commit()
    # Two hours on: the nudge, and the reminder a business day before the deadline.
    assert await rodada(app, settings, TERCA + timedelta(hours=2)) == 2

    r = await client.get(f"/api/chamados/{c.id}/sla", headers=h)
    assert r.status_code == 200, r.text
    sla = r.json()
    # Urgente: 30 min to confirm, 2 h to start, a business day (10 h) to complete.
    assert datetime.fromisoformat(sla["prazos"]["confirmar"]) == TERCA + timedelta(minutes=30)
    assert datetime.fromisoformat(sla["prazos"]["iniciar"]) == TERCA + timedelta(hours=2)
    assert datetime.fromisoformat(sla["prazos"]["concluir"]) == local(2026, 3, 11, 10)
    assert sla["prazos"]["concluir_combinado"] is False
    assert sla["aguardando"] == {
        "mensagem_id": m.id,
        "status_envio": "entregue",
        "desde": sla["aguardando"]["desde"],
    }
    assert datetime.fromisoformat(sla["aguardando"]["desde"]) == TERCA
    assert [p["etapa"] for p in sla["passos"]] == ["prazo_1dia", "nao_lida"]
    assert sla["pausada"] is False and sla["reatribuir"] is False
    # Still ahead: two business hours before the deadline, then the deadline itself.
    proximos = [(p["etapa"], datetime.fromisoformat(p["previsto_para"])) for p in sla["proximos"]]
    assert proximos == [
        ("prazo_2h", local(2026, 3, 11, 8)),
        ("atrasado", local(2026, 3, 11, 10)),
    ]

    r = await client.put(
        f"/api/chamados/{c.id}/cobranca-automatica", json={"pausada": True}, headers=h
    )
    assert r.status_code == 200, r.text
    assert r.json()["pausada"] is True
    assert r.json()["proximos"] == []  # paused: nothing ahead
    await db.refresh(c)
    assert c.cobranca_pausada
    linhas = list(
        await db.scalars(
            select(HistoricoChamado.descricao).where(HistoricoChamado.chamado_id == c.id)
        )
    )
    assert "cobrança automática pausada" in linhas
    # Twice is once: no second history line.
    await client.put(f"/api/chamados/{c.id}/cobranca-automatica", json={"pausada": True}, headers=h)
    assert (
        await db.scalar(
            select(func.count())
            .select_from(HistoricoChamado)
            .where(HistoricoChamado.descricao == "cobrança automática pausada")
        )
        == 1
    )

    assert (await client.get("/api/chamados/999999/sla", headers=h)).status_code == 404
    r = await client.put(
        f"/api/chamados/{c.id}/cobranca-automatica", json={"pausada": "sim"}, headers=h
    )
    assert r.status_code == 422
    assert (await db.get(Chamado, c.id)) is not None


async def test_the_central_lists_the_deadline_and_filters_by_it_and_by_who_owes_an_answer(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    t = await f.terceirizado(db)
    vencido = await f.chamado(db, t, titulo="vencido", prazo=TERCA - timedelta(hours=1))
    hoje = await f.chamado(db, t, titulo="hoje", prazo=TERCA + timedelta(hours=3))
    await f.chamado(db, t, titulo="amanhã", prazo=TERCA + timedelta(days=1))
    pelo_sla = await f.chamado(db, t, titulo="pelo SLA")
    pelo_sla.prazo_sla = TERCA - timedelta(days=1)
    await f.chamado(
        db, t, titulo="fechado", prazo=TERCA - timedelta(days=2), status=StatusChamado.concluido
    )
    await f.mensagem(db, vencido, texto="Estou vendo")
    await f.mensagem(db, hoje, direcao=Direcao.outbound, texto="Pode vir hoje?")
    await db.commit()

    async def titulos(situacao: str) -> list[str]:
        with time_machine.travel(TERCA, tick=False):
            r = await client.get("/api/conversas", params={"situacao": situacao}, headers=h)
        assert r.status_code == 200, r.text
        return sorted(c["titulo"] for c in r.json()["items"])

    assert await titulos("atrasados") == ["pelo SLA", "vencido"]
    assert await titulos("vencendo_hoje") == ["hoje"]
    assert await titulos("sem_resposta") == ["hoje"]
    r = await client.get("/api/conversas", params={"situacao": "urgentes"}, headers=h)
    assert r.status_code == 422

    with time_machine.travel(TERCA, tick=False):
        todas = (await client.get("/api/conversas", headers=h)).json()["items"]
    por_titulo = {c["titulo"]: c for c in todas}
    assert datetime.fromisoformat(por_titulo["pelo SLA"]["prazo"]) == TERCA - timedelta(days=1)
    assert por_titulo["pelo SLA"]["atrasado"] is True
    assert datetime.fromisoformat(por_titulo["amanhã"]["prazo"]) == TERCA + timedelta(days=1)
    assert por_titulo["amanhã"]["atrasado"] is False
    assert por_titulo["fechado"]["atrasado"] is False


async def test_what_each_step_achieved(
    app: FastAPI, client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    respondeu, _ = await esperando(db, StatusEnvio.entregue, TERCA)
    await esperando(db, StatusEnvio.entregue, TERCA)  # this one stays silent
    assert await rodada(app, settings, TERCA + timedelta(hours=2)) == 2
    await f.mensagem(db, respondeu, texto="Vi sim, passo amanhã")

    r = await client.get("/api/sla/resultados", params={"dias": "7"}, headers=h)
    assert r.status_code == 200, r.text
    etapas = {e["etapa"]: (e["tomadas"], e["com_resposta"]) for e in r.json()["etapas"]}
    assert etapas["nao_lida"] == (2, 1)
    assert etapas["sem_resposta"] == (0, 0)
    assert len(etapas) == 6
    for dias in ("0", "366", "x"):
        r = await client.get("/api/sla/resultados", params={"dias": dias}, headers=h)
        assert r.status_code == 422, dias


async def test_the_next_step_of_a_read_message_is_the_buttons_two_business_hours_on(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    # Read at 17:00 on a Tuesday: one business hour that day, one the next morning.
    c, _ = await esperando(db, StatusEnvio.lido, local(2026, 3, 10, 17))
    sla = (await client.get(f"/api/chamados/{c.id}/sla", headers=h)).json()
    primeiro = sla["proximos"][0]
    assert primeiro["etapa"] == "sem_resposta"
    assert datetime.fromisoformat(primeiro["previsto_para"]) == local(2026, 3, 11, 9)
