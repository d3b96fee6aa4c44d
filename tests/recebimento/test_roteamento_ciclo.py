"""Routing and quoting through the whole loop: API → worker → simulator → webhooks → API."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.conversas.models import Direcao, Mensagem
from gmm.core.config import Settings
from gmm.envio.job import com_citacao
from gmm.recebimento.roteamento import PERGUNTA
from tests import factories as f
from tests.entrega import Simulador, WorkerFactory
from tests.envio.test_entrega import _esperar

TELEFONE = "5511987654321"


async def _inbound(simulador: Simulador, **evento: Any) -> dict[str, Any]:
    resposta = await simulador.http.post("/_sim/inbound", json={"from": TELEFONE, **evento})
    corpo: dict[str, Any] = resposta.json()
    assert corpo["status"] == 200, corpo
    return corpo


async def _enviada(db: AsyncSession, mensagem_id: int) -> str:
    """The MegaAPI id of one of our messages, once the worker has sent it."""

    async def tem_id() -> bool:
        row = await db.get(Mensagem, mensagem_id, populate_existing=True)
        return row is not None and row.megaapi_id is not None

    await _esperar(tem_id)
    row = await db.get(Mensagem, mensagem_id)
    assert row is not None and row.megaapi_id is not None
    return row.megaapi_id


async def _chamado(api: httpx.AsyncClient, terceirizado_id: int, titulo: str, local: str) -> Any:
    criado = await api.post(
        "/api/chamados",
        json={"terceirizado_id": terceirizado_id, "titulo": titulo, "local": local},
    )
    assert criado.status_code == 201, criado.text
    return criado.json()


async def test_two_open_chamados_a_held_reply_the_list_and_the_choice(
    db: AsyncSession,
    settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    api_ao_vivo: str,
) -> None:
    await simulador.apontar_webhook(api_ao_vivo, settings)
    user = await f.usuario(db)
    t = await f.terceirizado(db, telefone=TELEFONE)
    async with httpx.AsyncClient(base_url=api_ao_vivo, headers=f.headers(user, settings)) as api:
        a = await _chamado(api, t.id, "Vazamento", "Bloco A")
        b = await _chamado(api, t.id, "Portão emperrado", "Condomínio Jardins")
        await worker()

        # A plain reply about neither: held, and the contractor gets the list.
        await _inbound(simulador, type="text", text="Bom dia, chego às 10h")

        async def lista_enviada() -> bool:
            envios = await simulador.envios()
            return any(e["path"].endswith("/listMessage") for e in envios)

        await _esperar(lista_enviada)
        [lista] = [e for e in await simulador.envios() if e["path"].endswith("/listMessage")]
        dados = lista["json"]["messageData"]
        assert dados["text"] == PERGUNTA and dados["to"] == TELEFONE
        linhas = {r["rowId"]: r for r in dados["sections"][0]["rows"]}
        escolha = linhas[f"rotear:{b['chamado']['id']}"]
        assert escolha["title"] == b["chamado"]["numero_chamado"]
        assert escolha["description"] == "Portão emperrado · Condomínio Jardins"
        pendentes = (await api.get("/api/mensagens/nao-atribuidas")).json()
        assert [m["texto"] for m in pendentes["items"]] == ["Bom dia, chego às 10h"]

        # The contractor picks a row of that list (WhatsApp quotes the list message).
        await _inbound(
            simulador,
            type="list",
            row_id=escolha["rowId"],
            title=escolha["title"],
            reply_to=lista["message_id"],
        )
        chat = (await api.get(f"/api/conversas/{b['chamado']['id']}/mensagens")).json()
        textos = [m["texto"] for m in chat["items"]]
        assert "Bom dia, chego às 10h" in textos and PERGUNTA in textos
        assert textos[-1] == b["chamado"]["numero_chamado"]
        assert (await api.get("/api/mensagens/nao-atribuidas")).json()["total"] == 0

        # The next reply follows the choice; one quoting A's message goes to A.
        await _inbound(simulador, type="text", text="Já estou aqui")
        aviso_a = await _enviada(db, a["mensagem"]["id"])
        await _inbound(simulador, type="text", text="E aquele vazamento?", reply_to=aviso_a)
    inbound = list(
        await db.scalars(
            select(Mensagem).where(Mensagem.direcao == Direcao.inbound).order_by(Mensagem.id)
        )
    )
    assert [(m.texto, m.chamado_id) for m in inbound[-2:]] == [
        ("Já estou aqui", b["chamado"]["id"]),
        ("E aquele vazamento?", a["chamado"]["id"]),
    ]


async def test_a_quoted_reply_goes_as_a_quote_or_as_text_when_the_gateway_refuses(
    db: AsyncSession,
    settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    api_ao_vivo: str,
) -> None:
    await simulador.apontar_webhook(api_ao_vivo, settings)
    user = await f.usuario(db)
    t = await f.terceirizado(db, telefone=TELEFONE)
    async with httpx.AsyncClient(base_url=api_ao_vivo, headers=f.headers(user, settings)) as api:
        a = await _chamado(api, t.id, "Vazamento", "Bloco A")
        chamado_id = a["chamado"]["id"]
        await worker()
        recebida = await _inbound(simulador, type="text", text="Posso ir amanhã às 9h?")
        chat = (await api.get(f"/api/conversas/{chamado_id}/mensagens")).json()["items"]
        dele = next(m for m in chat if m["megaapi_id"] == recebida["id"])

        async def responder(texto: str) -> int:
            r = await api.post(
                f"/api/chamados/{chamado_id}/responder",
                json={"mensagem": texto, "citada_id": dele["id"]},
            )
            assert r.status_code == 201, r.text
            mensagem_id: int = r.json()["mensagem"]["id"]
            await _enviada(db, mensagem_id)
            return mensagem_id

        await responder("Pode sim")
        citacao = [e for e in await simulador.envios() if e["path"].endswith("/quoteMessage")]
        assert len(citacao) == 1
        dados = citacao[0]["json"]["messageData"]
        assert dados["text"] == "Pode sim" and dados["to"] == TELEFONE
        assert dados["key"] == {
            "remoteJid": f"{TELEFONE}@s.whatsapp.net",
            "fromMe": False,
            "id": recebida["id"],
        }
        assert dados["message"] == {"conversation": "Posso ir amanhã às 9h?"}

        # A gateway without the quote operation: the reply still goes, as text.
        desligar = await simulador.http.put("/_sim/features", json={"quote_message": False})
        assert desligar.status_code == 200
        await responder("Combinado")
        textos = [
            e["json"]["messageData"]["text"]
            for e in await simulador.envios()
            if e["path"].endswith("/text") and e["status"] == 200
        ]
        assert textos[-1] == com_citacao("Combinado", "Posso ir amanhã às 9h?")
        assert textos[-1] == "> Posso ir amanhã às 9h?\n\nCombinado"
