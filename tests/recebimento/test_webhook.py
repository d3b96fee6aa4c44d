"""MegaAPI webhooks: inbound messages, receipts and connection events, exactly once."""

from __future__ import annotations

import itertools
import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.app.main import create_app
from gmm.chamados.models import StatusChamado
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo
from gmm.core.config import Settings
from gmm.core.eventos import STREAM
from gmm.core.registro import CONEXAO_CHAVE
from gmm.envio import job
from gmm.envio.contexto import criar_contexto
from gmm.envio.fila import QUEUE_NAME
from tests import factories as f
from tests.conteudo import guardado
from tests.recebimento.roteamento import recebidas

_ids = itertools.count(1)


def _url(settings: Settings, path: str = "/webhook/whatsapp") -> str:
    return f"{path}?token={settings.secret('webhook_token')}"


def texto(
    telefone: str, corpo: str, *, msg_id: str | None = None, extended: bool = False
) -> dict[str, Any]:
    message = {"extendedTextMessage": {"text": corpo}} if extended else {"conversation": corpo}
    return {
        "instance_key": "inst",
        "jid": "5511000000000@s.whatsapp.net",
        "messageType": "extendedTextMessage" if extended else "conversation",
        "key": {
            "remoteJid": f"{telefone}@s.whatsapp.net",
            "fromMe": False,
            "id": msg_id or f"IN{next(_ids):06d}",
        },
        "messageTimestamp": 1_795_000_000,
        "pushName": "Carlos",
        "message": message,
    }


def ack(megaapi_id: str, status: int) -> dict[str, Any]:
    return {
        "instance_key": "inst",
        "messageType": "message.ack",
        "key": {"remoteJid": "5511987654321@s.whatsapp.net", "fromMe": True, "id": megaapi_id},
        "update": {"status": status},
    }


async def _count(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Mensagem)) or 0)


async def test_token_is_required_and_nothing_is_stored_without_it(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    body = texto("5511987654321", "oi")
    assert (await client.post("/webhook/whatsapp", json=body)).status_code == 401
    wrong = await client.post("/webhook/whatsapp?token=errado", json=body)
    assert wrong.status_code == 401 and wrong.json()["error"] == "nao_autenticado"
    status = await client.post(
        "/webhook/whatsapp/status?token=x", json={"message_id": "a", "status": "read"}
    )
    assert status.status_code == 401
    assert await _count(db) == 0


async def test_text_lands_on_the_contractors_latest_open_chamado_once(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t = await f.terceirizado(db, telefone="5511987654321")
    await f.chamado(db, t, titulo="Antigo", status=StatusChamado.concluido)
    aberto = await f.chamado(db, t, titulo="Aberto")
    # WhatsApp reports this older account without the 9th digit.
    body = texto("551187654321", "Chego às 14h", msg_id="ABC1")
    first = await client.post(_url(settings), json=body)
    again = await client.post(_url(settings), json=body)
    assert first.json() == {"ok": True, "resultado": "registrada"}
    assert again.json() == {"ok": True, "resultado": "duplicada"}
    extended = await client.post(
        _url(settings), json=texto("5511987654321", "E leva a escada", extended=True)
    )
    assert extended.json()["resultado"] == "registrada"
    rows = await recebidas(db)
    assert [(r.chamado_id, r.texto, r.tipo_conteudo) for r in rows] == [
        (aberto.id, "Chego às 14h", TipoConteudo.text),
        (aberto.id, "E leva a escada", TipoConteudo.text),
    ]
    # Kept under the contractor's own number, whichever spelling WhatsApp reported.
    assert rows[0].megaapi_id == "ABC1" and rows[0].destinatario == "5511987654321"
    assert {r.terceirizado_id for r in rows} == {t.id}
    h = f.headers(await f.usuario(db), settings)
    conversas = (await client.get("/api/conversas", headers=h)).json()["items"]
    primeira = next(c for c in conversas if c["id"] == aberto.id)
    assert primeira["nao_lidas"] == 2
    assert primeira["ultima_mensagem"]["texto"] == "E leva a escada"
    assert conversas[0]["id"] == aberto.id  # most recent activity first


async def test_own_echoes_groups_and_unknown_events_are_acknowledged_and_ignored(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    echo = texto("5511987654321", "nossa mensagem")
    echo["key"]["fromMe"] = True
    group = texto("5511987654321", "grupo")
    group["key"]["remoteJid"] = "123-456@g.us"
    for body in (echo, group, {"messageType": "presence.update", "data": {"x": 1}}):
        response = await client.post(_url(settings), json=body)
        assert response.status_code == 200 and response.json()["resultado"] == "ignorado"
    assert await _count(db) == 0


async def test_unknown_numbers_and_contractors_without_open_chamado_are_kept_visible(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    t = await f.terceirizado(db, telefone="5521998765432")
    await f.chamado(db, t, status=StatusChamado.concluido)
    await client.post(_url(settings), json=texto("5531911112222", "Quem fala?"))
    await client.post(_url(settings), json=texto("5521998765432", "Terminei ontem"))
    await client.post(_url(settings), json=texto("14155552671", "hello"))
    rows = await recebidas(db)
    assert len(rows) == 3 and all(r.chamado_id is None for r in rows)

    h = f.headers(await f.usuario(db), settings)
    listed = (await client.get("/api/mensagens/nao-atribuidas", headers=h)).json()
    assert [m["texto"] for m in listed["items"]] == ["hello", "Terminei ontem", "Quem fala?"]
    # The total counts every one waiting, not just the page (the central asks for 1).
    um = (await client.get("/api/mensagens/nao-atribuidas?limit=1", headers=h)).json()
    assert [m["texto"] for m in um["items"]] == ["hello"] and um["next_cursor"]
    assert listed["total"] == um["total"] == 3
    novo = await f.chamado(db, t, titulo="Reaberto")
    atribuida = await client.post(
        f"/api/mensagens/{rows[1].id}/atribuir", json={"chamado_id": novo.id}, headers=h
    )
    assert atribuida.status_code == 200 and atribuida.json()["chamado_id"] == novo.id
    # Other operators' screens hear of it where it now belongs.
    entradas = await redis.xrange(STREAM)
    ultimo = json.loads(entradas[-1][1]["dados"])
    assert entradas[-1][1]["tipo"] == "mensagem.nova"
    assert (ultimo["mensagem_id"], ultimo["chamado_id"]) == (rows[1].id, novo.id)
    again = await client.post(
        f"/api/mensagens/{rows[1].id}/atribuir", json={"chamado_id": novo.id}, headers=h
    )
    assert again.status_code == 409
    depois = (await client.get("/api/mensagens/nao-atribuidas?limit=1", headers=h)).json()
    assert depois["total"] == 2
    missing = await client.post(
        f"/api/mensagens/{rows[0].id}/atribuir", json={"chamado_id": 99999}, headers=h
    )
    assert missing.status_code == 404
    assert (await client.get("/api/mensagens/nao-atribuidas")).status_code == 401


async def test_button_and_list_replies_keep_id_and_title(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    c = await f.chamado(db, await f.terceirizado(db, telefone="5511987654321"))
    botao = texto("5511987654321", "")
    botao["messageType"] = "buttonsResponseMessage"
    botao["message"] = {
        "buttonsResponseMessage": {"selectedButtonId": "aprovar", "selectedDisplayText": "Aprovar"}
    }
    lista = texto("5511987654321", "")
    lista["messageType"] = "messageContextInfo"
    lista["message"] = {
        "listResponseMessage": {"title": "Amanhã 9h", "singleSelectReply": {"selectedRowId": "m1"}}
    }
    for body in (botao, lista):
        assert (await client.post(_url(settings), json=body)).json()["resultado"] == "registrada"
    rows = await recebidas(db)
    assert [(r.chamado_id, r.tipo_conteudo, r.texto) for r in rows] == [
        (c.id, TipoConteudo.interactive, "Aprovar"),
        (c.id, TipoConteudo.interactive, "Amanhã 9h"),
    ]
    assert rows[0].conteudo is not None and guardado(rows[0])["resposta"] == {
        "tipo": "botao",
        "id": "aprovar",
        "titulo": "Aprovar",
    }
    assert rows[1].conteudo is not None and guardado(rows[1])["resposta"]["id"] == "m1"


def _midia(
    telefone: str, tipo: str, campos: dict[str, Any], *, com_legenda: bool = False
) -> dict[str, Any]:
    body = texto(telefone, "")
    body["messageType"] = tipo
    midia = {
        "url": "https://mmg.whatsapp.net/x.enc",
        "mediaKey": "a2V5",
        "directPath": "/v/t62/x.enc",
        "fileLength": "1234",
        **campos,
    }
    body["message"] = (
        {"documentWithCaptionMessage": {"message": {tipo: midia}}} if com_legenda else {tipo: midia}
    )
    return body


async def test_media_is_recorded_at_once_downloaded_by_a_job_and_served_to_users_only(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    app: FastAPI,
    worker: Any,
    tmp_path: Any,
) -> None:
    c = await f.chamado(db, await f.terceirizado(db, telefone="5511987654321"))
    foto = _midia("5511987654321", "imageMessage", {"mimetype": "image/png", "caption": "Antes"})
    doc = _midia(
        "5511987654321",
        "documentMessage",
        {"mimetype": "application/pdf", "fileName": "../../etc/passwd.pdf", "caption": "Nota"},
        com_legenda=True,
    )
    for body in (foto, doc):
        assert (await client.post(_url(settings), json=body)).json()["resultado"] == "registrada"
    rows = await recebidas(db)
    assert [(r.tipo_conteudo, r.caption, r.url_midia) for r in rows] == [
        (TipoConteudo.image, "Antes", None),
        (TipoConteudo.document, "Nota", None),
    ]
    assert await app.state.arq.zcard(QUEUE_NAME) == 2
    media_dir = tmp_path / "midia"
    await worker(entrega_settings.model_copy(update={"media_dir": media_dir}))

    async def prontas() -> bool:
        return all(r.url_midia for r in await recebidas(db))

    from tests.envio.test_entrega import _esperar

    await _esperar(prontas)
    rows = await recebidas(db)
    assert all(r.conteudo and guardado(r)["midia_status"] == "pronta" for r in rows)
    assert all(r.chamado_id == c.id for r in rows)
    arquivos = sorted(p.name for p in media_dir.iterdir())
    assert len(arquivos) == 2 and not any("passwd" in nome for nome in arquivos)

    user = await f.usuario(db)
    token = f.headers(user, settings)["Authorization"].split()[1]
    original = app.state.settings
    app.state.settings = settings.model_copy(update={"media_dir": media_dir})
    try:
        png_url = rows[0].url_midia
        assert png_url is not None and png_url.endswith(".png")
        assert (await client.get(png_url)).status_code == 401
        png = await client.get(png_url, params={"access_token": token})
        assert png.status_code == 200
        assert png.headers["content-type"] == "image/png"
        assert png.content.startswith(b"\x89PNG")
        pdf = await client.get(rows[1].url_midia or "", headers=f.headers(user, settings))
        assert pdf.headers["content-type"] == "application/pdf"
        for bad in ("../secrets.json", "x.png", "%2e%2e%2fsecrets.json"):
            response = await client.get(f"/api/midias/{bad}", headers=f.headers(user, settings))
            assert response.status_code == 404, bad
    finally:
        app.state.settings = original


async def test_receipts_only_move_forward_in_any_order(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    c = await f.chamado(db, await f.terceirizado(db))
    m = await f.mensagem(db, c, direcao=Direcao.outbound, status=StatusEnvio.enviado)
    m.megaapi_id = "OUT1"
    await db.commit()
    results = [
        (await client.post(_url(settings), json=ack("OUT1", status))).json()["resultado"]
        for status in (4, 3, 2, 4, 0)
    ]
    assert results == [
        "ack_aplicado",
        "ack_sem_efeito",
        "ack_sem_efeito",
        "ack_sem_efeito",
        "ack_sem_efeito",
    ]
    row = await db.get(Mensagem, m.id, populate_existing=True)
    assert row is not None and row.status_envio == StatusEnvio.lido
    # Read implies delivered, even though "delivered" came late and did nothing.
    assert row.lido_em is not None and row.entregue_em is not None and row.erro is None


async def test_error_receipt_fails_an_undelivered_message(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    c = await f.chamado(db, await f.terceirizado(db))
    m = await f.mensagem(db, c, direcao=Direcao.outbound, status=StatusEnvio.enviado)
    m.megaapi_id = "OUT2"
    await db.commit()
    assert (await client.post(_url(settings), json=ack("OUT2", 0))).json()[
        "resultado"
    ] == "ack_aplicado"
    assert (await client.post(_url(settings), json=ack("OUT2", 3))).json()[
        "resultado"
    ] == "ack_sem_efeito"
    row = await db.get(Mensagem, m.id, populate_existing=True)
    assert row is not None and row.status_envio == StatusEnvio.falhou and row.erro


async def test_receipt_before_the_send_answer_is_applied_when_the_id_appears(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    c = await f.chamado(db, await f.terceirizado(db))
    m = await f.mensagem(db, c, direcao=Direcao.outbound, status=StatusEnvio.enfileirado)
    early = [
        (await client.post(_url(settings), json=ack("LATE1", s))).json()["resultado"]
        for s in (3, 2, 3)
    ]
    assert early == ["ack_pendente", "ack_pendente", "ack_pendente"]
    contexto = criar_contexto(settings)
    try:
        # What the worker does once MegaAPI answered the send with this id.
        await job._enviado(contexto, m.id, "LATE1")
    finally:
        await contexto.aclose()
    row = await db.get(Mensagem, m.id, populate_existing=True)
    assert row is not None and row.megaapi_id == "LATE1"
    assert row.status_envio == StatusEnvio.entregue and row.entregue_em is not None
    assert (await client.post(_url(settings), json=ack("LATE1", 4))).json()[
        "resultado"
    ] == "ack_aplicado"


async def test_simple_status_webhook_of_the_original_design(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    c = await f.chamado(db, await f.terceirizado(db))
    m = await f.mensagem(db, c, direcao=Direcao.outbound, status=StatusEnvio.enviado)
    m.megaapi_id = "OUT3"
    await db.commit()
    url = _url(settings, "/webhook/whatsapp/status")
    delivered = await client.post(
        url, json={"message_id": "OUT3", "status": "delivered", "timestamp": 1_795_000_000}
    )
    assert delivered.json()["resultado"] == "ack_aplicado"
    assert (
        await client.post(url, json={"message_id": "OUT3", "status": "sent"})
    ).status_code == 422
    assert (
        await client.post(url, json={"message_id": "OUT3", "status": "read"})
    ).status_code == 200
    row = await db.get(Mensagem, m.id, populate_existing=True)
    assert row is not None and row.status_envio == StatusEnvio.lido
    assert row.entregue_em is not None and row.entregue_em.timestamp() == 1_795_000_000
    # Each tick reached the operators' screens, as the MegaAPI receipts do.
    ticks = [json.loads(e[1]["dados"]) for e in await redis.xrange(STREAM)]
    assert [(t["mensagem_id"], t["status_envio"]) for t in ticks] == [
        (m.id, "entregue"),
        (m.id, "lido"),
    ]


async def test_connection_update_is_recorded(
    client: httpx.AsyncClient, settings: Settings, redis: Redis
) -> None:
    body = {"messageType": "connection_update", "connection_state": "close", "closeReason": 428}
    response = await client.post(_url(settings), json=body)
    assert response.json()["resultado"] == "conexao"
    estado: dict[str, str] = await redis.hgetall(CONEXAO_CHAVE)  # type: ignore[misc]
    assert estado["estado"] == "close" and estado["motivo"] == "428" and int(estado["desde"]) > 0


@pytest.mark.parametrize(
    ("content", "status"),
    [
        (b"{not json", 400),
        (b"[1, 2]", 422),
        (b'{"messageType": 5}', 422),
        (b'{"messageType": "message.ack", "key": {"id": "x"}}', 422),
        (
            b'{"messageType": "conversation", "key": {"remoteJid": "5", "id": 7}, "message": {}}',
            422,
        ),
        (b'{"messageType": "conversation", "key": {"remoteJid": "', 400),
        (b'{"pad": "' + b"x" * 300_000 + b'"}', 413),
    ],
)
async def test_malformed_bodies_get_4xx_and_store_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, content: bytes, status: int
) -> None:
    response = await client.post(
        _url(settings), content=content, headers={"content-type": "application/json"}
    )
    assert response.status_code == status, response.text
    assert await _count(db) == 0


async def test_database_outage_answers_503_so_megaapi_retries(settings: Settings) -> None:
    down = create_app(
        settings.model_copy(
            update={"database_url": "postgresql+asyncpg://postgres@127.0.0.1:1/gmm"}
        )
    )
    async with down.router.lifespan_context(down):
        transport = httpx.ASGITransport(app=down)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            response = await http.post(_url(settings), json=texto("5511987654321", "oi"))
    assert response.status_code == 503
    assert response.json()["error"] == "indisponivel" and response.headers["Retry-After"]


async def _eventos(redis: Redis) -> list[tuple[str, dict[str, Any]]]:
    import json

    entradas = await redis.xrange("gmm:eventos")
    return [(campos["tipo"], json.loads(campos["dados"])) for _, campos in entradas]


async def test_every_change_is_published_for_the_screens(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    t = await f.terceirizado(db, telefone="5511987654321")
    c = await f.chamado(db, t)
    chamado_id = c.id
    h = f.headers(await f.usuario(db), settings)
    resposta = await client.post(
        f"/api/chamados/{chamado_id}/responder", json={"mensagem": "Pode vir?"}, headers=h
    )
    saida_id = resposta.json()["mensagem"]["id"]
    await client.post(_url(settings), json=texto("5511987654321", "Posso", msg_id="EV1"))
    m = await db.get(Mensagem, saida_id)
    assert m is not None
    m.megaapi_id = "EVOUT"
    m.status_envio = StatusEnvio.enviado
    await db.commit()
    await client.post(_url(settings), json=ack("EVOUT", 3))
    await client.post(f"/api/chamados/{chamado_id}/finalizar", headers=h)
    await client.post(
        _url(settings), json={"messageType": "connection_update", "connection_state": "open"}
    )
    eventos = await _eventos(redis)
    tipos = [tipo for tipo, _ in eventos]
    assert tipos == [
        "mensagem.nova",  # the operator's reply
        "mensagem.nova",  # the contractor's answer
        "mensagem.status",  # delivered
        "chamado.atualizado",  # finalizado
        "mensagem.nova",  # and the finalizacao message it sends
        "conexao",
    ]
    assert eventos[1][1]["direcao"] == "inbound" and eventos[1][1]["chamado_id"] == chamado_id
    assert eventos[2][1] == {
        "mensagem_id": saida_id,
        "chamado_id": chamado_id,
        "direcao": "outbound",
        "status_envio": "entregue",
        "erro": None,
    }
    assert eventos[3][1]["status"] == "concluido"
