from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import Chamado, Prioridade, StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import utcnow
from tests import factories as f


async def _auth(db: AsyncSession, settings: Settings) -> dict[str, str]:
    return f.headers(await f.usuario(db), settings)


async def _mensagens(db: AsyncSession, chamado_id: int) -> list[Mensagem]:
    return list(
        await db.scalars(
            select(Mensagem).where(Mensagem.chamado_id == chamado_id).order_by(Mensagem.id)
        )
    )


async def test_create_opens_chamado_and_queues_criacao_message(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    user = await f.usuario(db)
    t = await f.terceirizado(db, nome="Carlos Pereira", telefone="5511987654321")
    prazo = (utcnow() + timedelta(days=2)).isoformat()
    response = await client.post(
        "/api/chamados",
        json={
            "terceirizado_id": t.id,
            "titulo": "Ar-condicionado não gela",
            "descricao": "Sala 302",
            "prioridade": "alta",
            "prazo_combinado": prazo,
        },
        headers=f.headers(user, settings),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    chamado, mensagem = body["chamado"], body["mensagem"]
    assert re.fullmatch(r"CH-\d{4}-0001", chamado["numero_chamado"])
    assert chamado["status"] == "aguardando"
    assert chamado["prioridade"] == "alta"
    assert chamado["criado_por"] == user.id
    assert chamado["terceirizado"]["nome"] == "Carlos Pereira"
    assert chamado["atrasado"] is False
    assert mensagem["tipo"] == "criacao"
    assert mensagem["direcao"] == "outbound"
    assert mensagem["status_envio"] == "pendente"
    assert mensagem["destinatario"] == "5511987654321"
    assert mensagem["prioridade"] == "alta"
    assert chamado["numero_chamado"] in mensagem["texto"]
    assert "Carlos" in mensagem["texto"]
    stored = await _mensagens(db, chamado["id"])
    # Handed to the queue once the request committed.
    assert [(m.tipo, m.status_envio) for m in stored] == [
        (TipoMensagem.criacao, StatusEnvio.enfileirado)
    ]


async def test_create_refuses_bad_input_and_stores_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    t = await f.terceirizado(db)
    inactive = await f.terceirizado(db, ativo=False)
    cases = [
        ({"terceirizado_id": t.id, "titulo": "ab"}, 422),
        ({"terceirizado_id": t.id, "titulo": "Título", "prioridade": "altíssima"}, 422),
        ({"terceirizado_id": t.id, "titulo": "Título", "prazo_combinado": "2030-01-01T10:00"}, 422),
        (
            {"terceirizado_id": t.id, "titulo": "Título", "prazo_combinado": "2001-01-01T10:00Z"},
            422,
        ),
        ({"titulo": "Sem terceirizado"}, 422),
        ({"terceirizado_id": 99999, "titulo": "Título"}, 404),
        ({"terceirizado_id": inactive.id, "titulo": "Título"}, 409),
    ]
    for body, code in cases:
        response = await client.post("/api/chamados", json=body, headers=h)
        assert response.status_code == code, (body, response.text)
        assert set(response.json()) == {"error", "detail"}
    assert await db.scalar(select(func.count()).select_from(Chamado)) == 0
    assert await db.scalar(select(func.count()).select_from(Mensagem)) == 0


async def test_numero_chamado_is_unique_under_concurrent_creation(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    t = await f.terceirizado(db)
    responses = await asyncio.gather(
        *(
            client.post(
                "/api/chamados", json={"terceirizado_id": t.id, "titulo": f"Chamado {i}"}, headers=h
            )
            for i in range(20)
        )
    )
    assert [r.status_code for r in responses] == [201] * 20
    numeros = sorted(r.json()["chamado"]["numero_chamado"] for r in responses)
    sufixos = [int(n.rsplit("-", 1)[1]) for n in numeros]
    assert sufixos == list(range(1, 21))


async def test_list_filters_and_cursor(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    t1, t2 = await f.terceirizado(db), await f.terceirizado(db)
    passado = utcnow() - timedelta(hours=1)
    futuro = utcnow() + timedelta(days=1)
    atrasado = await f.chamado(db, t1, titulo="Atrasado", prazo=passado)
    await f.chamado(db, t1, titulo="Em dia", prazo=futuro, prioridade=Prioridade.urgente)
    await f.chamado(
        db, t2, titulo="Concluído atrasado", prazo=passado, status=StatusChamado.concluido
    )
    await f.chamado(db, t2, titulo="Sem prazo", status=StatusChamado.em_andamento)

    async def titulos(**params: str | int) -> list[str]:
        response = await client.get("/api/chamados", params=params, headers=h)
        assert response.status_code == 200, response.text
        return [c["titulo"] for c in response.json()["items"]]

    assert await titulos() == ["Sem prazo", "Concluído atrasado", "Em dia", "Atrasado"]
    assert await titulos(atrasados="true") == ["Atrasado"]
    assert await titulos(atrasados="false") == ["Sem prazo", "Concluído atrasado", "Em dia"]
    assert await titulos(status="em_andamento") == ["Sem prazo"]
    assert await titulos(prioridade="urgente") == ["Em dia"]
    assert await titulos(terceirizado_id=t1.id) == ["Em dia", "Atrasado"]

    page1 = (await client.get("/api/chamados", params={"limit": 3}, headers=h)).json()
    page2 = (
        await client.get(
            "/api/chamados", params={"limit": 3, "cursor": page1["next_cursor"]}, headers=h
        )
    ).json()
    assert [c["titulo"] for c in page2["items"]] == ["Atrasado"]
    assert page2["next_cursor"] is None
    assert page2["items"][0]["atrasado"] is True and page2["items"][0]["id"] == atrasado.id
    assert (await client.get("/api/chamados", params={"status": "x"}, headers=h)).status_code == 422


async def test_cobrar_responder_finalizar_flow(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    c = await f.chamado(db, await f.terceirizado(db, telefone="5521998765432"))
    cobranca = await client.post(f"/api/chamados/{c.id}/cobrar", headers=h)
    assert cobranca.status_code == 201
    assert cobranca.json()["mensagem"]["tipo"] == "cobranca"
    resposta = await client.post(
        f"/api/chamados/{c.id}/responder", json={"mensagem": "  Pode vir às 14h?  "}, headers=h
    )
    assert resposta.status_code == 201
    assert resposta.json()["mensagem"]["texto"] == "Pode vir às 14h?"
    assert resposta.json()["mensagem"]["tipo"] == "resposta_manual"
    fim = await client.post(f"/api/chamados/{c.id}/finalizar", headers=h)
    assert fim.status_code == 200
    assert fim.json()["chamado"]["status"] == "concluido"
    assert fim.json()["chamado"]["finalizado_em"] is not None
    assert fim.json()["mensagem"]["tipo"] == "finalizacao"

    again = await client.post(f"/api/chamados/{c.id}/finalizar", headers=h)
    assert again.status_code == 409 and again.json()["error"] == "conflito"
    assert (await client.post(f"/api/chamados/{c.id}/cobrar", headers=h)).status_code == 409
    tipos = [m.tipo for m in await _mensagens(db, c.id)]
    assert tipos == [TipoMensagem.cobranca, TipoMensagem.resposta_manual, TipoMensagem.finalizacao]
    assert all(m.destinatario == "5521998765432" for m in await _mensagens(db, c.id))


async def test_concurrent_finalizar_sends_one_message(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    c = await f.chamado(db, await f.terceirizado(db))
    responses = await asyncio.gather(
        *(client.post(f"/api/chamados/{c.id}/finalizar", headers=h) for _ in range(5))
    )
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409, 409]
    assert len(await _mensagens(db, c.id)) == 1


async def test_responder_validates_body(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    c = await f.chamado(db, await f.terceirizado(db))
    for body in ({"mensagem": "   "}, {"mensagem": "x" * 4097}, {}, {"texto": "oi"}):
        response = await client.post(f"/api/chamados/{c.id}/responder", json=body, headers=h)
        assert response.status_code == 422, body
    assert await _mensagens(db, c.id) == []
    cancelado = await f.chamado(db, await f.terceirizado(db), status=StatusChamado.cancelado)
    response = await client.post(
        f"/api/chamados/{cancelado.id}/responder", json={"mensagem": "oi"}, headers=h
    )
    assert response.status_code == 409


async def test_patch_changes_fields_and_guards_transitions(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    c = await f.chamado(db, await f.terceirizado(db))
    response = await client.patch(
        f"/api/chamados/{c.id}",
        json={"status": "em_andamento", "prioridade": "urgente", "titulo": "Novo título"},
        headers=h,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["prioridade"], body["titulo"]) == (
        "em_andamento",
        "urgente",
        "Novo título",
    )
    assert body["atualizado_em"] >= body["criado_em"]
    bad = await client.patch(f"/api/chamados/{c.id}", json={"status": "concluido"}, headers=h)
    assert bad.status_code == 422
    cancel = await client.patch(f"/api/chamados/{c.id}", json={"status": "cancelado"}, headers=h)
    assert cancel.json()["finalizado_em"] is not None
    late = await client.patch(f"/api/chamados/{c.id}", json={"titulo": "Outro"}, headers=h)
    assert late.status_code == 409


async def test_info_statistics(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    c = await f.chamado(db, await f.terceirizado(db), prazo=utcnow() - timedelta(minutes=5))
    await f.mensagem(db, c, direcao=Direcao.outbound, tipo=TipoMensagem.criacao)
    await f.mensagem(db, c, direcao=Direcao.outbound, tipo=TipoMensagem.cobranca)
    await f.mensagem(
        db, c, direcao=Direcao.outbound, tipo=TipoMensagem.cobranca, status=StatusEnvio.falhou
    )
    await f.mensagem(db, c, direcao=Direcao.inbound, texto="Chego amanhã")
    response = await client.get(f"/api/chamados/{c.id}/info", headers=h)
    assert response.status_code == 200
    stats = response.json()["estatisticas"]
    assert stats["mensagens_enviadas"] == 3
    assert stats["mensagens_recebidas"] == 1
    assert stats["nao_lidas"] == 1
    assert stats["cobrancas"] == 2
    assert stats["falhas_envio"] == 1
    assert stats["atrasado"] is True
    assert stats["ultimo_contato_em"] is not None
    assert stats["tempo_primeira_resposta_s"] >= 0
    empty = await f.chamado(db, await f.terceirizado(db))
    stats = (await client.get(f"/api/chamados/{empty.id}/info", headers=h)).json()["estatisticas"]
    assert stats["ultimo_contato_em"] is None and stats["tempo_primeira_resposta_s"] is None


async def test_unknown_chamado_is_404_everywhere(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = await _auth(db, settings)
    for method, path, body in (
        ("GET", "/api/chamados/424242", None),
        ("PATCH", "/api/chamados/424242", {"titulo": "Qualquer"}),
        ("GET", "/api/chamados/424242/info", None),
        ("POST", "/api/chamados/424242/cobrar", None),
        ("POST", "/api/chamados/424242/responder", {"mensagem": "oi"}),
        ("POST", "/api/chamados/424242/finalizar", None),
    ):
        response = await client.request(method, path, json=body, headers=h)
        assert response.status_code == 404, path
        assert response.json()["error"] == "nao_encontrado"


async def test_every_chamado_endpoint_needs_a_token(client: httpx.AsyncClient) -> None:
    for method, path in (
        ("GET", "/api/chamados"),
        ("POST", "/api/chamados"),
        ("GET", "/api/chamados/1"),
        ("PATCH", "/api/chamados/1"),
        ("GET", "/api/chamados/1/info"),
        ("POST", "/api/chamados/1/cobrar"),
        ("POST", "/api/chamados/1/responder"),
        ("POST", "/api/chamados/1/finalizar"),
    ):
        assert (await client.request(method, path, json={})).status_code == 401, path
