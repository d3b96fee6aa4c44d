"""The MegaAPI simulator: answers, refusals, faults, inspection, and the real client on it."""

from __future__ import annotations

import asyncio
import base64
import io
import re
import socket
import subprocess
import sys
import time
import wave
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from gmm.megaapi.cliente import (
    MAX_INLINE_MEDIA_BYTES,
    InstanceStatus,
    ListRow,
    ListSection,
    MediaKeys,
    MegaAPIClient,
    MegaAPICredentials,
    MegaAPIPermanentError,
    MegaAPITransientError,
    OnWhatsApp,
    QuotedMessage,
)
from gmm.megaapi_sim import SentMessage, SimState, create_sim_app
from gmm.megaapi_sim.media import pdf_one_page

TOKEN = "token-do-simulador"
INSTANCE = "gmm-teste"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TO = "5511987654321"
ID_FORMAT = re.compile(r"3EB0[0-9A-F]{16}")
MEDIA_KEYS: MediaKeys = {
    "mediaKey": "bWVkaWFLZXk=",
    "directPath": "/v/t62/123",
    "url": "https://mmg.whatsapp.net/v/t62/123.enc",
    "mimetype": "image/jpeg",
    "messageType": "imageMessage",
}

QUOTE_KEY = {"remoteJid": f"{TO}@s.whatsapp.net", "fromMe": True, "id": "3EB0C431C26A1916E0A2"}
VALID_SENDS: dict[str, dict[str, Any]] = {
    "text": {"to": TO, "text": "Olá"},
    "quoteMessage": {
        "to": TO,
        "text": "Pode ir amanhã?",
        "key": QUOTE_KEY,
        "message": {"conversation": "Chamado 42"},
    },
    "mediaUrl": {
        "to": TO,
        "url": "https://gmm.example/laudo.pdf",
        "fileName": "laudo.pdf",
        "type": "document",
        "mimeType": "application/pdf",
        "caption": "Laudo",
    },
    "mediaBase64": {
        "to": TO,
        "base64": "data:image/png;base64," + base64.b64encode(b"\x89PNG fake").decode(),
        "fileName": "foto.png",
        "type": "image",
        "mimeType": "image/png",
    },
    "listMessage": {
        "to": TO,
        "buttonText": "Escolher",
        "text": "Qual o prazo?",
        "title": "Chamado 42",
        "description": "",
        "sections": [
            {"title": "Prazo", "rows": [{"title": "Hoje", "description": "", "rowId": "h"}]}
        ],
        "listType": 0,
    },
    "templateMessage": {
        "to": TO,
        "text": "Aceita?",
        "footerText": "GMM",
        "buttons": [{"type": "replyButton", "title": "Sim"}],
    },
}


def _send(kind: str, message_data: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    return ("POST", f"/rest/sendMessage/{INSTANCE}/{kind}", {"messageData": message_data})


# One valid call per gateway endpoint: (method, path, JSON body or None).
ENDPOINTS: dict[str, tuple[str, str, dict[str, Any] | None]] = {
    **{kind: _send(kind, data) for kind, data in VALID_SENDS.items()},
    "isOnWhatsApp": (
        "GET",
        f"/rest/instance/isOnWhatsApp/{INSTANCE}?jid={TO}@s.whatsapp.net",
        None,
    ),
    "instance": ("GET", f"/rest/instance/{INSTANCE}", None),
    "downloadMediaMessage": (
        "POST",
        f"/rest/instance/downloadMediaMessage/{INSTANCE}",
        {"messageKeys": dict(MEDIA_KEYS)},
    ),
    "configWebhook": (
        "POST",
        f"/rest/webhook/{INSTANCE}/configWebhook",
        {
            "messageData": {
                "webhookUrl": "https://gmm.example/webhook?token=x",
                "webhookEnabled": True,
            }
        },
    ),
}


@pytest.fixture
def sim_app() -> FastAPI:
    return create_sim_app(token=TOKEN, instance_key=INSTANCE, not_on_whatsapp=["5511900001111"])


@pytest.fixture
def sim_state(sim_app: FastAPI) -> SimState:
    state: SimState = sim_app.state.sim
    return state


@pytest.fixture
async def sim(sim_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=sim_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://sim") as http:
        yield http


async def _call(
    sim: httpx.AsyncClient,
    endpoint: str,
    headers: dict[str, str] | None = None,
    path: str | None = None,
) -> httpx.Response:
    method, default_path, body = ENDPOINTS[endpoint]
    return await sim.request(
        method, path or default_path, json=body, headers=AUTH if headers is None else headers
    )


async def _records(sim: httpx.AsyncClient, since: int = 0) -> list[dict[str, Any]]:
    response = await sim.get("/_sim/requests", params={"since": since})
    assert response.status_code == 200
    records: list[dict[str, Any]] = response.json()
    return records


def _assert_gateway_error(response: httpx.Response, status: int, words: str = "") -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] is True
    assert isinstance(body["message"], str) and words in body["message"]


# -- answers ----------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(VALID_SENDS))
async def test_send_answer_shape(sim: httpx.AsyncClient, kind: str) -> None:
    response = await _call(sim, kind)

    assert response.status_code == 200
    body = response.json()
    assert body["error"] is False
    key = body["messageData"]["key"]
    assert key["remoteJid"] == f"{TO}@s.whatsapp.net"
    assert key["fromMe"] is True
    assert ID_FORMAT.fullmatch(key["id"])


async def test_send_ids_are_fresh_and_group_jids_kept(sim: httpx.AsyncClient) -> None:
    first = await sim.post(
        f"/rest/sendMessage/{INSTANCE}/text",
        json={"messageData": {"to": TO, "text": "um"}},
        headers=AUTH,
    )
    group = await sim.post(
        f"/rest/sendMessage/{INSTANCE}/text",
        json={"messageData": {"to": "120363025-1234@g.us", "text": "dois"}},
        headers=AUTH,
    )

    ids = {r.json()["messageData"]["key"]["id"] for r in (first, group)}
    assert len(ids) == 2
    assert group.json()["messageData"]["key"]["remoteJid"] == "120363025-1234@g.us"


async def test_is_on_whatsapp(sim: httpx.AsyncClient) -> None:
    async def ask(jid: str) -> dict[str, Any]:
        response = await sim.get(
            f"/rest/instance/isOnWhatsApp/{INSTANCE}", params={"jid": jid}, headers=AUTH
        )
        assert response.status_code == 200
        body: dict[str, Any] = response.json()
        return body

    assert await ask(f"{TO}@s.whatsapp.net") == {
        "error": False,
        "exists": True,
        "jid": f"{TO}@s.whatsapp.net",
    }
    assert (await ask("551133334444@s.whatsapp.net"))["exists"] is True  # landline, 8 digits
    assert (await ask("14155550100@s.whatsapp.net"))["exists"] is False  # not Brazilian
    assert await ask("5511900001111@s.whatsapp.net") == {
        "error": False,
        "exists": False,
        "jid": None,
    }


async def test_not_on_whatsapp_list_is_configurable(sim: httpx.AsyncClient) -> None:
    put = await sim.put("/_sim/not-on-whatsapp", json={"numbers": ["+55 (11) 98765-4321"]})
    assert put.json() == {"numbers": [TO]}

    response = await _call(sim, "isOnWhatsApp")
    assert response.json()["exists"] is False

    await sim.post("/_sim/reset")
    assert (await sim.get("/_sim/not-on-whatsapp")).json() == {"numbers": ["5511900001111"]}
    assert (await _call(sim, "isOnWhatsApp")).json()["exists"] is True


async def test_instance_status(sim: httpx.AsyncClient) -> None:
    response = await _call(sim, "instance")

    assert response.status_code == 200
    instance = response.json()["instance"]
    assert instance["key"] == INSTANCE
    assert instance["status"] == "connected"
    assert instance["user"]["id"].endswith("@s.whatsapp.net")


def _data_url(response: httpx.Response) -> tuple[str, bytes]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["error"] is False
    match = re.fullmatch(r"data:([^;]+);base64,(.+)", body["data"])
    assert match, body["data"][:60]
    return match[1], base64.b64decode(match[2], validate=True)


@pytest.mark.parametrize(
    ("mimetype", "message_type", "expected_mime"),
    [
        ("image/jpeg", "imageMessage", "image/png"),
        ("image/webp", "stickerMessage", "image/webp"),
        ("audio/ogg; codecs=opus", "audioMessage", "audio/wav"),
        ("application/pdf", "documentMessage", "application/pdf"),
        ("video/mp4", "videoMessage", "text/plain"),
        # Spelled without "Message", as the product's download job sends it.
        ("application/octet-stream", "sticker", "image/webp"),
        ("application/octet-stream", "document", "application/pdf"),
    ],
)
async def test_download_media_returns_a_valid_small_file(
    sim: httpx.AsyncClient, mimetype: str, message_type: str, expected_mime: str
) -> None:
    keys = {**MEDIA_KEYS, "mimetype": mimetype, "messageType": message_type}
    response = await sim.post(
        f"/rest/instance/downloadMediaMessage/{INSTANCE}",
        json={"messageKeys": keys},
        headers=AUTH,
    )

    mime, data = _data_url(response)
    assert mime == expected_mime
    assert 0 < len(data) < 10_000
    if mime == "image/png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")
    elif mime == "image/webp":
        # RIFF size field covers everything after it; VP8L chunk holds a 1×1 image.
        assert data[:4] == b"RIFF" and data[8:16] == b"WEBPVP8L"
        assert int.from_bytes(data[4:8], "little") == len(data) - 8
        size_bits = int.from_bytes(data[21:25], "little")
        assert (size_bits & 0x3FFF, (size_bits >> 14) & 0x3FFF) == (0, 0)
    elif mime == "audio/wav":
        with wave.open(io.BytesIO(data)) as audio:
            assert audio.getnframes() > 0
    elif mime == "application/pdf":
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    else:
        assert data.decode().strip()


def test_pdf_cross_reference_points_at_its_objects() -> None:
    pdf = pdf_one_page()
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[start:].startswith(b"xref\n")
    offsets = re.findall(rb"(\d{10}) 00000 n ", pdf)
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj" % number)


async def test_config_webhook_stores_the_url(sim: httpx.AsyncClient) -> None:
    assert (await sim.get("/_sim/webhook")).json() == {"webhook": None}

    response = await _call(sim, "configWebhook")

    assert response.status_code == 200
    assert response.json()["error"] is False
    stored = {"webhookUrl": "https://gmm.example/webhook?token=x", "webhookEnabled": True}
    assert (await sim.get("/_sim/webhook")).json() == {"webhook": stored}

    top_level = await sim.post(
        f"/rest/webhook/{INSTANCE}/configWebhook",
        json={"webhookUrl": "http://127.0.0.1:8000/w", "webhookEnabled": False},
        headers=AUTH,
    )
    assert top_level.status_code == 200
    assert (await sim.get("/_sim/webhook")).json()["webhook"]["webhookEnabled"] is False


# -- refusals ----------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({}, "token ausente"),
        ({"Authorization": "Bearer token-errado"}, "token inválido"),
        ({"Authorization": TOKEN}, "token ausente"),
        ({"Authorization": f"Basic {TOKEN}"}, "token ausente"),
    ],
    ids=["sem-header", "token-errado", "sem-esquema", "basic"],
)
async def test_auth_is_required(
    sim: httpx.AsyncClient, endpoint: str, headers: dict[str, str], words: str
) -> None:
    response = await _call(sim, endpoint, headers=headers)

    _assert_gateway_error(response, 401, words)
    assert (await _records(sim))[-1]["outcome"] == "unauthorized"


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
async def test_unknown_instance_is_404(sim: httpx.AsyncClient, endpoint: str) -> None:
    _, path, _ = ENDPOINTS[endpoint]

    response = await _call(sim, endpoint, path=path.replace(INSTANCE, "outra-instancia"))

    _assert_gateway_error(response, 404, "instância outra-instancia não encontrada")


def _without(data: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != key}


@pytest.mark.parametrize(
    ("kind", "body", "words"),
    [
        ("text", {}, "messageData é obrigatório"),
        ("text", {"to": TO, "text": "oi"}, "messageData é obrigatório"),  # not wrapped
        ("text", {"messageData": {"text": "oi"}}, "messageData.to é obrigatório"),
        ("text", {"messageData": {"to": TO}}, "messageData.text é obrigatório"),
        ("text", {"messageData": {"to": TO, "text": "  "}}, "messageData.text é obrigatório"),
        ("text", {"messageData": {"to": TO, "text": 5}}, "messageData.text é obrigatório"),
        ("text", {"messageData": {"to": "abc", "text": "oi"}}, "messageData.to inválido"),
        (
            "quoteMessage",
            {"messageData": _without(VALID_SENDS["quoteMessage"], "key")},
            "messageData.key é obrigatório",
        ),
        (
            "quoteMessage",
            {"messageData": {**VALID_SENDS["quoteMessage"], "key": "3EB0C431C26A1916E0A2"}},
            "messageData.key é obrigatório",
        ),
        (
            "quoteMessage",
            {"messageData": {**VALID_SENDS["quoteMessage"], "key": _without(QUOTE_KEY, "id")}},
            "messageData.key.id é obrigatório",
        ),
        (
            "quoteMessage",
            {
                "messageData": {
                    **VALID_SENDS["quoteMessage"],
                    "key": _without(QUOTE_KEY, "remoteJid"),
                }
            },
            "messageData.key.remoteJid é obrigatório",
        ),
        (
            "quoteMessage",
            {"messageData": {**VALID_SENDS["quoteMessage"], "key": {**QUOTE_KEY, "fromMe": "1"}}},
            "messageData.key.fromMe deve ser true ou false",
        ),
        (
            "quoteMessage",
            {"messageData": {**VALID_SENDS["quoteMessage"], "key": _without(QUOTE_KEY, "fromMe")}},
            "messageData.key.fromMe deve ser true ou false",
        ),
        (
            "quoteMessage",
            {"messageData": _without(VALID_SENDS["quoteMessage"], "message")},
            "messageData.message é obrigatório",
        ),
        (
            "quoteMessage",
            {"messageData": {**VALID_SENDS["quoteMessage"], "message": "Chamado 42"}},
            "messageData.message é obrigatório",
        ),
        (
            "quoteMessage",
            {"messageData": _without(VALID_SENDS["quoteMessage"], "text")},
            "messageData.text é obrigatório",
        ),
        (
            "quoteMessage",
            {"messageData": {**VALID_SENDS["quoteMessage"], "text": "x" * 4097}},
            "messageData.text passa de 4096 caracteres (4097)",
        ),
        (
            "quoteMessage",
            {"messageData": {**VALID_SENDS["quoteMessage"], "to": "abc"}},
            "messageData.to inválido",
        ),
        (
            "mediaUrl",
            {"messageData": _without(VALID_SENDS["mediaUrl"], "url")},
            ".url é obrigatório",
        ),
        (
            "mediaUrl",
            {"messageData": {**VALID_SENDS["mediaUrl"], "url": "file:///etc/passwd"}},
            "http(s)",
        ),
        (
            "mediaUrl",
            {"messageData": {**VALID_SENDS["mediaUrl"], "type": "gif"}},
            "messageData.type inválido",
        ),
        (
            "mediaUrl",
            {"messageData": _without(VALID_SENDS["mediaUrl"], "mimeType")},
            ".mimeType é obrigatório",
        ),
        (
            "mediaBase64",
            {"messageData": {**VALID_SENDS["mediaBase64"], "base64": "data:image/png;base64,@@@"}},
            "não é base64 válido",
        ),
        (
            "mediaBase64",
            {"messageData": _without(VALID_SENDS["mediaBase64"], "base64")},
            ".base64 é obrigatório",
        ),
        (
            "listMessage",
            {"messageData": {**VALID_SENDS["listMessage"], "sections": []}},
            "sections deve ser uma lista",
        ),
        (
            "listMessage",
            {
                "messageData": {
                    **VALID_SENDS["listMessage"],
                    "sections": [{"title": "S", "rows": [{"title": "x"}]}],
                }
            },
            "sections[0].rows[0].rowId é obrigatório",
        ),
        (
            "templateMessage",
            {
                "messageData": {
                    **VALID_SENDS["templateMessage"],
                    "buttons": [{"type": "urlButton", "title": "Site"}],
                }
            },
            "buttons[0].payload é obrigatório",
        ),
        (
            "templateMessage",
            {
                "messageData": {
                    **VALID_SENDS["templateMessage"],
                    "buttons": [{"type": "x", "title": "A"}],
                }
            },
            "buttons[0].type inválido",
        ),
    ],
)
async def test_invalid_send_body_is_400(
    sim: httpx.AsyncClient, kind: str, body: dict[str, Any], words: str
) -> None:
    response = await sim.post(f"/rest/sendMessage/{INSTANCE}/{kind}", json=body, headers=AUTH)

    _assert_gateway_error(response, 400, words)
    record = (await _records(sim))[-1]
    assert record["outcome"] == "bad_request"
    assert record["message_id"] is None


def _rows(n: int, prefix: str = "r") -> list[dict[str, Any]]:
    return [{"title": f"Linha {i}", "description": "", "rowId": f"{prefix}{i}"} for i in range(n)]


def _list(**changes: Any) -> dict[str, Any]:
    return {"messageData": {**VALID_SENDS["listMessage"], **changes}}


def _buttons(**changes: Any) -> dict[str, Any]:
    return {"messageData": {**VALID_SENDS["templateMessage"], **changes}}


def _reply(title: str) -> dict[str, str]:
    return {"type": "replyButton", "title": title}


# WhatsApp's limits (docs/megaapi-contrato.md), refused like the gateway would: a bug in the
# product's own validation shows up as a failed send in integration tests.
@pytest.mark.parametrize(
    ("kind", "body", "words"),
    [
        ("templateMessage", _buttons(buttons=[_reply(f"B{i}") for i in range(4)]), "no máximo 3"),
        ("templateMessage", _buttons(buttons=[_reply("x" * 21)]), ".title passa de 20"),
        ("templateMessage", _buttons(text="x" * 1025), ".text passa de 1024"),
        ("templateMessage", _buttons(footerText="x" * 61), ".footerText passa de 60"),
        ("listMessage", _list(buttonText="x" * 21), ".buttonText passa de 20"),
        ("listMessage", _list(text="x" * 1025), ".text passa de 1024"),
        ("listMessage", _list(title="x" * 61), ".title passa de 60"),
        ("listMessage", _list(description="x" * 61), ".description passa de 60"),
        (
            "listMessage",
            _list(sections=[{"title": f"S{i}", "rows": _rows(1, f"s{i}-")} for i in range(11)]),
            "no máximo 10 seções",
        ),
        (
            "listMessage",
            _list(
                sections=[{"title": "A", "rows": _rows(6, "a")}, {"title": "B", "rows": _rows(5)}]
            ),
            "no máximo 10 linhas no total (11)",
        ),
        (
            "listMessage",
            _list(sections=[{"title": "x" * 25, "rows": _rows(1)}]),
            "sections[0].title passa de 24",
        ),
        (
            "listMessage",
            _list(sections=[{"title": "S", "rows": [{"title": "x" * 25, "rowId": "a"}]}]),
            "rows[0].title passa de 24",
        ),
        (
            "listMessage",
            _list(
                sections=[
                    {"title": "S", "rows": [{"title": "a", "description": "x" * 73, "rowId": "a"}]}
                ]
            ),
            "rows[0].description passa de 72",
        ),
        (
            "listMessage",
            _list(sections=[{"title": "A", "rows": _rows(1)}, {"title": "B", "rows": _rows(1)}]),
            "sections[1].rows[0].rowId repetido: r0",
        ),
        ("listMessage", _list(sections=[{"title": "S", "rows": []}]), "ao menos uma linha"),
    ],
)
async def test_whatsapp_limits_are_400(
    sim: httpx.AsyncClient, kind: str, body: dict[str, Any], words: str
) -> None:
    response = await sim.post(f"/rest/sendMessage/{INSTANCE}/{kind}", json=body, headers=AUTH)

    _assert_gateway_error(response, 400, words)
    assert (await _records(sim))[-1]["outcome"] == "bad_request"


async def test_messages_right_at_the_limits_are_accepted(sim: httpx.AsyncClient) -> None:
    buttons = _buttons(
        text="x" * 1024, footerText="y" * 60, buttons=[_reply(f"{i}" * 20) for i in range(3)]
    )
    lista = _list(
        buttonText="b" * 20,
        text="t" * 1024,
        title="h" * 60,
        description="d" * 60,
        sections=[
            {
                "title": "s" * 24,
                "rows": [{"title": "r" * 24, "description": "d" * 72, "rowId": "um"}],
            },
            *({"title": f"S{i}", "rows": _rows(1, f"s{i}-")} for i in range(9)),
        ],
    )
    quote = {"messageData": {**VALID_SENDS["quoteMessage"], "text": "q" * 4096}}
    for kind, body in (
        ("templateMessage", buttons),
        ("listMessage", lista),
        ("quoteMessage", quote),
    ):
        response = await sim.post(f"/rest/sendMessage/{INSTANCE}/{kind}", json=body, headers=AUTH)
        assert response.status_code == 200, response.text


async def test_body_without_json_content_type_is_ignored_like_the_gateway(
    sim: httpx.AsyncClient,
) -> None:
    response = await sim.post(
        f"/rest/sendMessage/{INSTANCE}/text",
        content=b'{"messageData": {"to": "5511987654321", "text": "oi"}}',
        headers={**AUTH, "Content-Type": "text/plain"},
    )

    _assert_gateway_error(response, 400, "messageData é obrigatório")


async def test_unreadable_json_is_400(sim: httpx.AsyncClient) -> None:
    response = await sim.post(
        f"/rest/sendMessage/{INSTANCE}/text",
        content=b'{"messageData": ',
        headers={**AUTH, "Content-Type": "application/json"},
    )

    _assert_gateway_error(response, 400, "não é JSON válido")


async def test_other_400s(sim: httpx.AsyncClient) -> None:
    no_jid = await sim.get(f"/rest/instance/isOnWhatsApp/{INSTANCE}", headers=AUTH)
    _assert_gateway_error(no_jid, 400, "jid é obrigatório")
    bad_jid = await sim.get(
        f"/rest/instance/isOnWhatsApp/{INSTANCE}",
        params={"jid": "abc@s.whatsapp.net"},
        headers=AUTH,
    )
    _assert_gateway_error(bad_jid, 400, "jid inválido")
    no_keys = await sim.post(
        f"/rest/instance/downloadMediaMessage/{INSTANCE}", json={}, headers=AUTH
    )
    _assert_gateway_error(no_keys, 400, "messageKeys é obrigatório")
    partial_keys = await sim.post(
        f"/rest/instance/downloadMediaMessage/{INSTANCE}",
        json={"messageKeys": _without(dict(MEDIA_KEYS), "mediaKey")},
        headers=AUTH,
    )
    _assert_gateway_error(partial_keys, 400, "messageKeys.mediaKey é obrigatório")
    bad_webhook = await sim.post(
        f"/rest/webhook/{INSTANCE}/configWebhook",
        json={"messageData": {"webhookUrl": "ftp://x"}},
        headers=AUTH,
    )
    _assert_gateway_error(bad_webhook, 400, "http(s)")


async def test_unknown_send_kind_and_unknown_path_are_404_and_recorded(
    sim: httpx.AsyncClient,
) -> None:
    kind = await sim.post(
        f"/rest/sendMessage/{INSTANCE}/sticker", json={"messageData": {"to": TO}}, headers=AUTH
    )
    _assert_gateway_error(kind, 404, "tipo de envio desconhecido: sticker")

    wrong_method = await sim.post(f"/rest/instance/{INSTANCE}", headers=AUTH)
    _assert_gateway_error(wrong_method, 404, "rota não encontrada: POST")

    records = await _records(sim)
    assert [(r["path"], r["status"]) for r in records] == [
        (f"/rest/sendMessage/{INSTANCE}/sticker", 404),
        (f"/rest/instance/{INSTANCE}", 404),
    ]


async def test_quote_message_can_be_switched_off_like_a_route_the_gateway_lacks(
    sim: httpx.AsyncClient,
) -> None:
    assert (await sim.get("/_sim/features")).json() == {"quote_message": True}

    switched = await sim.put("/_sim/features", json={"quote_message": False})
    assert switched.status_code == 200
    assert switched.json() == {"quote_message": False}
    assert (await sim.get("/_sim/features")).json() == {"quote_message": False}
    refused = await _call(sim, "quoteMessage")
    # Neither the token nor the instance matter to a path the gateway does not have.
    no_token = await _call(sim, "quoteMessage", headers={})
    text = await _call(sim, "text")

    path = f"/rest/sendMessage/{INSTANCE}/quoteMessage"
    for response in (refused, no_token):
        assert response.status_code == 404
        assert response.json() == {"error": True, "message": f"Cannot POST {path}"}
    assert text.status_code == 200
    records = await _records(sim)
    assert [(r["path"], r["status"], r["outcome"]) for r in records] == [
        (path, 404, "not_found"),
        (path, 404, "not_found"),
        (f"/rest/sendMessage/{INSTANCE}/text", 200, "ok"),
    ]
    assert records[0]["json"] == {"messageData": VALID_SENDS["quoteMessage"]}
    assert records[0]["message_id"] is None

    # Omitted features are on again (PUT replaces), and so does a reset.
    assert (await sim.put("/_sim/features", json={})).json() == {"quote_message": True}
    assert (await _call(sim, "quoteMessage")).status_code == 200
    await sim.put("/_sim/features", json={"quote_message": False})
    assert (await sim.post("/_sim/reset")).status_code == 204
    assert (await sim.get("/_sim/features")).json() == {"quote_message": True}
    assert (await _call(sim, "quoteMessage")).status_code == 200


@pytest.mark.parametrize(
    "body", [{"quote_message": "talvez"}, {"quote_message": None}, {"sticker": False}]
)
async def test_invalid_features_are_422(sim: httpx.AsyncClient, body: dict[str, Any]) -> None:
    response = await sim.put("/_sim/features", json=body)

    assert response.status_code == 422
    assert (await sim.get("/_sim/features")).json() == {"quote_message": True}


async def test_media_base64_over_16_mb_is_413_and_the_record_stays_small(
    sim: httpx.AsyncClient,
) -> None:
    big = base64.b64encode(b"\0" * (MAX_INLINE_MEDIA_BYTES + 1)).decode()
    message_data = {**VALID_SENDS["mediaBase64"], "base64": f"data:video/mp4;base64,{big}"}

    response = await sim.post(
        f"/rest/sendMessage/{INSTANCE}/mediaBase64",
        json={"messageData": message_data},
        headers=AUTH,
    )

    _assert_gateway_error(response, 413, "16 MB")
    record = (await _records(sim))[-1]
    assert record["outcome"] == "too_large"
    assert "caracteres omitidos" in record["json"]["messageData"]["base64"]


async def test_media_base64_of_exactly_16_mb_is_accepted_even_raw(sim: httpx.AsyncClient) -> None:
    raw = base64.b64encode(b"\0" * MAX_INLINE_MEDIA_BYTES).decode()
    message_data = {**VALID_SENDS["mediaBase64"], "base64": raw}

    response = await sim.post(
        f"/rest/sendMessage/{INSTANCE}/mediaBase64",
        json={"messageData": message_data},
        headers=AUTH,
    )

    assert response.status_code == 200


# -- faults ------------------------------------------------------------------------


async def _fault(sim: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await sim.post("/_sim/faults", json=body)
    assert response.status_code == 200, response.text
    fault: dict[str, Any] = response.json()["fault"]
    return fault


@pytest.mark.parametrize(
    ("fault", "status", "outcome"),
    [
        ({"mode": "5xx"}, 503, "fault_5xx"),
        ({"mode": "5xx", "status": 500}, 500, "fault_5xx"),
        ({"mode": "5xx", "status": 502}, 502, "fault_5xx"),
        ({"mode": "429"}, 429, "fault_429"),
        ({"mode": "401"}, 401, "fault_401"),
    ],
)
@pytest.mark.parametrize("endpoint", ["text", "listMessage", "instance", "isOnWhatsApp"])
async def test_fault_modes(
    sim: httpx.AsyncClient, endpoint: str, fault: dict[str, Any], status: int, outcome: str
) -> None:
    await _fault(sim, **fault)

    response = await _call(sim, endpoint)

    _assert_gateway_error(response, status, "simulad")
    if status == 429:
        assert response.headers["Retry-After"] == "1"
    record = (await _records(sim))[-1]
    assert (record["status"], record["outcome"], record["message_id"]) == (status, outcome, None)


async def test_timeout_fault_holds_the_answer(sim: httpx.AsyncClient) -> None:
    fault = await _fault(sim, mode="timeout", delay_s=0.3)
    assert fault["delay_s"] == 0.3

    started = time.monotonic()
    response = await _call(sim, "text")

    assert time.monotonic() - started >= 0.3
    _assert_gateway_error(response, 504, "tempo esgotado")
    assert (await _records(sim))[-1]["outcome"] == "fault_timeout"


async def test_timeout_fault_defaults_to_longer_than_any_client(sim: httpx.AsyncClient) -> None:
    assert (await _fault(sim, mode="timeout"))["delay_s"] == 30


async def test_faults_spare_the_control_endpoints_and_clear(sim: httpx.AsyncClient) -> None:
    await _fault(sim, mode="5xx")

    assert (await sim.get("/_sim/stats")).status_code == 200
    assert (await sim.get("/_sim/faults")).json()["fault"]["mode"] == "5xx"
    assert (await _call(sim, "text")).status_code == 503

    assert (await sim.delete("/_sim/faults")).json() == {"fault": None}
    assert (await sim.get("/_sim/faults")).json() == {"fault": None}
    assert (await _call(sim, "text")).status_code == 200


async def test_a_new_fault_replaces_the_old_one(sim: httpx.AsyncClient) -> None:
    await _fault(sim, mode="5xx")
    await _fault(sim, mode="429")

    assert (await _call(sim, "text")).status_code == 429


async def _statuses(sim: httpx.AsyncClient, n: int) -> list[int]:
    return [(await _call(sim, "text")).status_code for _ in range(n)]


async def test_fault_fraction_is_reproducible_with_a_seed(sim: httpx.AsyncClient) -> None:
    await _fault(sim, mode="5xx", fraction=0.5, seed=1234)
    first = await _statuses(sim, 40)
    await _fault(sim, mode="5xx", fraction=0.5, seed=1234)
    second = await _statuses(sim, 40)
    await _fault(sim, mode="5xx", fraction=0.5, seed=99)
    other_seed = await _statuses(sim, 40)

    assert first == second
    assert first != other_seed
    assert set(first) == {200, 503}
    assert 8 <= first.count(503) <= 32


@pytest.mark.parametrize(("fraction", "expected"), [(0.0, {200}), (1.0, {503})])
async def test_fault_fraction_extremes(
    sim: httpx.AsyncClient, fraction: float, expected: set[int]
) -> None:
    await _fault(sim, mode="5xx", fraction=fraction)

    assert set(await _statuses(sim, 10)) == expected


async def test_fault_expires_after_its_duration(sim: httpx.AsyncClient) -> None:
    fault = await _fault(sim, mode="5xx", duration_s=0.3)
    assert 0 < fault["remaining_s"] <= 0.3

    assert (await _call(sim, "text")).status_code == 503
    await asyncio.sleep(0.35)

    assert (await _call(sim, "text")).status_code == 200
    assert (await sim.get("/_sim/faults")).json() == {"fault": None}


async def test_fault_without_duration_lasts_until_cleared(sim: httpx.AsyncClient) -> None:
    fault = await _fault(sim, mode="5xx")
    assert fault["remaining_s"] is None

    await asyncio.sleep(0.1)
    assert (await _call(sim, "text")).status_code == 503


@pytest.mark.parametrize(
    "body",
    [
        {"mode": "500"},
        {"mode": "5xx", "fraction": 1.5},
        {"mode": "5xx", "fraction": -0.1},
        {"mode": "5xx", "status": 404},
        {"mode": "429", "status": 503},
        {"mode": "timeout", "delay_s": 0},
        {"mode": "5xx", "duration_s": 0},
        {"mode": "5xx", "colour": "red"},
    ],
)
async def test_invalid_fault_is_422(sim: httpx.AsyncClient, body: dict[str, Any]) -> None:
    response = await sim.post("/_sim/faults", json=body)

    assert response.status_code == 422
    assert (await sim.get("/_sim/faults")).json() == {"fault": None}


# -- inspection ---------------------------------------------------------------------


async def test_requests_are_recorded_in_order_and_paged(sim: httpx.AsyncClient) -> None:
    before = time.time()
    sent = await _call(sim, "text")
    await _call(sim, "instance")
    await _call(sim, "text", headers={})

    records = await _records(sim)

    assert [r["index"] for r in records] == [0, 1, 2]
    first = records[0]
    assert first["method"] == "POST"
    assert first["path"] == f"/rest/sendMessage/{INSTANCE}/text"
    assert first["json"] == {"messageData": VALID_SENDS["text"]}
    assert before <= first["time"] <= records[1]["time"] <= records[2]["time"] <= time.time()
    assert first["status"] == 200
    assert first["outcome"] == "ok"
    assert first["message_id"] == sent.json()["messageData"]["key"]["id"]
    assert (records[1]["method"], records[1]["json"], records[1]["message_id"]) == (
        "GET",
        None,
        None,
    )
    assert (records[2]["status"], records[2]["outcome"]) == (401, "unauthorized")
    assert await _records(sim, since=2) == records[2:]
    assert await _records(sim, since=10) == []


async def test_query_string_is_recorded_apart_from_the_path(sim: httpx.AsyncClient) -> None:
    await _call(sim, "isOnWhatsApp")

    record = (await _records(sim))[-1]
    assert record["path"] == f"/rest/instance/isOnWhatsApp/{INSTANCE}"
    assert parse_qs(record["query"]) == {"jid": [f"{TO}@s.whatsapp.net"]}


async def test_stats_count_outcomes_and_duplicates(sim: httpx.AsyncClient) -> None:
    async def text(to: str, body: str) -> None:
        await sim.post(
            f"/rest/sendMessage/{INSTANCE}/text",
            json={"messageData": {"to": to, "text": body}},
            headers=AUTH,
        )

    await text(TO, "a")
    await text(TO, "a")  # duplicate
    await text(TO, "a")  # duplicate
    await text(TO, "b")
    await text("5511912345678", "a")  # same text, another number: not a duplicate
    await _fault(sim, mode="5xx")
    await text(TO, "c")  # refused...
    await sim.delete("/_sim/faults")
    await text(TO, "c")  # ...then accepted: received twice, sent once
    await _call(sim, "instance", headers={})

    stats = (await sim.get("/_sim/stats")).json()

    assert stats == {
        "total": 8,
        "by_outcome": {"ok": 6, "fault_5xx": 1, "unauthorized": 1},
        "by_status": {"200": 6, "503": 1, "401": 1},
        "sends": 7,
        "sends_ok": 6,
        "duplicates": 2,
        "duplicates_received": 3,
    }


async def test_reset_forgets_records_faults_and_webhook(sim: httpx.AsyncClient) -> None:
    await _call(sim, "configWebhook")
    await _call(sim, "text")
    await _fault(sim, mode="5xx")

    response = await sim.post("/_sim/reset")

    assert response.status_code == 204
    assert await _records(sim) == []
    assert (await sim.get("/_sim/faults")).json() == {"fault": None}
    assert (await sim.get("/_sim/webhook")).json() == {"webhook": None}
    assert (await sim.get("/_sim/stats")).json()["total"] == 0
    assert (await _call(sim, "text")).status_code == 200
    assert [r["index"] for r in await _records(sim)] == [0]


async def test_latency_is_applied_to_gateway_calls_only() -> None:
    # A latency no test waits out: a gateway call is still held when a control call,
    # made after it, has already answered. Order, not timing.
    app = create_sim_app(token=TOKEN, instance_key=INSTANCE, latency_s=3600)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://sim"
    ) as sim:
        gateway = asyncio.create_task(_call(sim, "text"))
        # The gateway call has been received (it is recorded) ...
        while not (await sim.get("/_sim/stats")).json()["sends"]:  # noqa: ASYNC110 - its HTTP state
            await asyncio.sleep(0.01)
        # ... and is held, while control calls made since answer at once.
        controle = await sim.get("/_sim/stats")
        assert controle.status_code == 200 and controle.json()["sends_ok"] == 0
        assert not gateway.done()
        gateway.cancel()
        with pytest.raises(asyncio.CancelledError):
            await gateway


async def test_send_hooks_run_after_accepted_sends_only(
    sim: httpx.AsyncClient, sim_state: SimState
) -> None:
    seen: list[SentMessage] = []

    async def hook(sent: SentMessage) -> None:
        seen.append(sent)

    async def broken_hook(sent: SentMessage) -> None:
        raise RuntimeError("callback caiu")

    sim_state.send_hooks.extend([broken_hook, hook])

    ok = await _call(sim, "templateMessage")
    await _call(sim, "text", headers={})
    await _call(sim, "instance")

    assert ok.status_code == 200
    assert seen == [
        SentMessage(
            instance_key=INSTANCE,
            kind="templateMessage",
            message_id=ok.json()["messageData"]["key"]["id"],
            remote_jid=f"{TO}@s.whatsapp.net",
            message_data=VALID_SENDS["templateMessage"],
        )
    ]


# -- the real client against the simulator -------------------------------------------


@pytest.fixture
async def client_on_sim(sim_app: FastAPI) -> AsyncIterator[MegaAPIClient]:
    base_url = "http://megaapi-sim"
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=sim_app), base_url=base_url)
    creds = MegaAPICredentials(base_url=base_url, instance_key=INSTANCE, token=TOKEN)
    yield MegaAPIClient(creds, http=http)
    await http.aclose()


async def test_client_and_simulator_agree_on_every_call(
    client_on_sim: MegaAPIClient, sim: httpx.AsyncClient
) -> None:
    c = client_on_sim
    ids = [
        await c.send_text(TO, "Chamado 42 aberto"),
        await c.send_media_url(
            TO,
            url="https://gmm.example/laudo.pdf",
            file_name="laudo.pdf",
            media_type="document",
            mime_type="application/pdf",
            caption="Laudo",
        ),
        await c.send_media_base64(
            TO, data=b"\x89PNG foto", file_name="f.png", media_type="image", mime_type="image/png"
        ),
        await c.send_list(
            TO,
            button_text="Escolher",
            text="Qual o prazo?",
            title="Chamado 42",
            description="Responda",
            sections=[ListSection("Prazo", [ListRow("Hoje", "até 18h", "hoje")])],
        ),
        await c.send_buttons(TO, text="Aceita?", footer_text="GMM", buttons=["Sim", "Não"]),
        await c.send_quoted_text(
            TO, "Pode ir amanhã?", QuotedMessage(f"{TO}@s.whatsapp.net", True, "3EB0C4", "Oi")
        ),
    ]
    on_whatsapp = await c.is_on_whatsapp(TO)
    absent = await c.is_on_whatsapp("5511900001111")
    status = await c.instance_status()
    media = await c.download_media(MEDIA_KEYS)

    assert all(ID_FORMAT.fullmatch(i) for i in ids)
    assert on_whatsapp == OnWhatsApp(True, f"{TO}@s.whatsapp.net")
    assert absent == OnWhatsApp(False, None)
    assert (status.key, status.status) == (INSTANCE, "connected")
    assert isinstance(status, InstanceStatus)
    assert media.mime_type == "image/png"
    assert media.data.startswith(b"\x89PNG")
    records = await _records(sim)
    assert [r["status"] for r in records] == [200] * 10
    assert [r["message_id"] for r in records[:6]] == ids
    assert records[2]["json"]["messageData"]["base64"].startswith("data:image/png;base64,")


@pytest.mark.parametrize(
    ("fault", "error", "status"),
    [
        ({"mode": "5xx"}, MegaAPITransientError, 503),
        ({"mode": "5xx", "status": 500}, MegaAPITransientError, 500),
        ({"mode": "429"}, MegaAPITransientError, 429),
        ({"mode": "timeout", "delay_s": 0.05}, MegaAPITransientError, 504),
        ({"mode": "401"}, MegaAPIPermanentError, 401),
    ],
)
async def test_client_classifies_simulated_faults(
    client_on_sim: MegaAPIClient,
    sim: httpx.AsyncClient,
    fault: dict[str, Any],
    error: type[Exception],
    status: int,
) -> None:
    await _fault(sim, **fault)

    with pytest.raises(error) as info:
        await client_on_sim.send_text(TO, "oi")

    assert getattr(info.value, "status_code", None) == status
    assert "simulad" in str(info.value)


async def test_client_classifies_simulator_refusals(
    sim_app: FastAPI, client_on_sim: MegaAPIClient
) -> None:
    with pytest.raises(MegaAPIPermanentError, match=r"HTTP 400\): messageData.text é obrigatório"):
        await client_on_sim.send_text(TO, "")

    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=sim_app))
    try:
        wrong_token = MegaAPIClient(
            MegaAPICredentials("http://megaapi-sim", INSTANCE, "token-errado"), http=http
        )
        with pytest.raises(MegaAPIPermanentError, match="token inválido") as info:
            await wrong_token.instance_status()
        assert info.value.status_code == 401
        assert "token-errado" not in str(info.value)

        wrong_instance = MegaAPIClient(
            MegaAPICredentials("http://megaapi-sim", "outra", TOKEN), http=http
        )
        with pytest.raises(MegaAPIPermanentError, match="HTTP 404") as info:
            await wrong_instance.send_text(TO, "oi")
        assert info.value.status_code == 404
    finally:
        await http.aclose()


async def test_client_sees_a_switched_off_quote_message_as_permanent_404(
    client_on_sim: MegaAPIClient, sim: httpx.AsyncClient
) -> None:
    await sim.put("/_sim/features", json={"quote_message": False})
    quoted = QuotedMessage(f"{TO}@s.whatsapp.net", True, "3EB0C4", "Chamado 42")

    with pytest.raises(MegaAPIPermanentError, match=r"HTTP 404.*Cannot POST") as info:
        await client_on_sim.send_quoted_text(TO, "Pode ir amanhã?", quoted)

    assert info.value.status_code == 404
    # The fallback a product makes of it still goes through.
    assert ID_FORMAT.fullmatch(await client_on_sim.send_text(TO, "> Chamado 42\nPode ir amanhã?"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def test_client_timeout_against_the_simulator_over_tcp(sim_app: FastAPI) -> None:
    # ASGITransport has no timeouts; a real socket shows the client giving up.
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            sim_app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=2
        )
    )
    serving = asyncio.create_task(server.serve())
    creds = MegaAPICredentials(f"http://127.0.0.1:{port}", INSTANCE, TOKEN)
    client = MegaAPIClient(creds, timeout=0.3)
    try:
        for _ in range(500):
            if server.started:
                break
            await asyncio.sleep(0.01)
        assert server.started, "o simulador não subiu"
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as control:
            await control.post("/_sim/faults", json={"mode": "timeout", "delay_s": 1.0})
            with pytest.raises(MegaAPITransientError, match="não respondeu a tempo"):
                await client.send_text(TO, "oi")
            await control.delete("/_sim/faults")
        assert ID_FORMAT.fullmatch(await client.send_text(TO, "oi de novo"))
    finally:
        await client.aclose()
        server.should_exit = True
        await serving


async def test_serve_runs_the_simulator_as_a_process() -> None:
    port = _free_port()
    code = (
        "from gmm.megaapi_sim import serve; "
        f"serve(port={port}, token={TOKEN!r}, instance_key={INSTANCE!r})"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=2) as http:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, "o simulador saiu antes de atender"
                try:
                    stats = await http.get("/_sim/stats")
                    break
                except httpx.ConnectError:
                    assert time.monotonic() < deadline, "o simulador não abriu a porta"
                    await asyncio.sleep(0.1)
            assert stats.json()["total"] == 0
            sent = await http.post(
                f"/rest/sendMessage/{INSTANCE}/text",
                json={"messageData": {"to": TO, "text": "oi"}},
                headers=AUTH,
            )
            assert sent.status_code == 200
    finally:
        process.terminate()
        process.wait(10)
