"""The simulator's webhook callbacks: acks after sends, inbound events, how they are delivered.

A small ASGI app stands in for the product's webhook; the simulator reaches it
through an injected httpx client on an ASGI transport (no sockets), except where
the real client and a real server are the point.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import json
import re
import socket
import subprocess
import sys
import time
import wave
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from starlette.types import Receive, Scope, Send

from gmm.conversas.models import StatusEnvio, TipoConteudo
from gmm.megaapi_sim import CallbackSettings, create_sim_app
from gmm.megaapi_sim.media import pdf_one_page, png_1x1, wav_silence, webp_1x1
from gmm.recebimento import leitura as product_webhook

TOKEN = "token-do-simulador"
INSTANCE = "gmm-teste"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
TO = "5511987654321"
GROUP = "120363041234567890@g.us"
CONTRACTOR = "5521998887777"
# The simulated instance's own number, as /rest/instance reports it.
INSTANCE_JID = "5511900000000@s.whatsapp.net"
SECRET = "segredo-do-webhook"
WEBHOOK = f"http://gmm.test/webhook/whatsapp?token={SECRET}"
ID_FORMAT = re.compile(r"3EB0[0-9A-F]{16}")
# Most tests are about what is posted, not when: no waiting between acks.
ZERO = {"server_delay_s": 0, "delivered_delay_s": 0, "read_delay_s": 0, "retry_backoff_s": 0}
NOW = CallbackSettings.model_validate(ZERO)
DELAYS = {"server_delay_s", "delivered_delay_s", "read_delay_s"}


@dataclass
class Hit:
    at: float  # time.monotonic() on arrival
    path: str
    query: str
    body: Any


@dataclass
class Receiver:
    """The product's webhook, reduced to a recorder that answers from a script."""

    hits: list[Hit] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)  # next statuses to answer, then 200

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        raw, more = b"", True
        while more:
            message = await receive()
            raw += message.get("body", b"")
            more = message.get("more_body", False)
        self.hits.append(
            Hit(time.monotonic(), scope["path"], scope["query_string"].decode(), json.loads(raw))
        )
        status = self.answers.pop(0) if self.answers else 200
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"ok": true}'})

    def statuses(self, message_id: str) -> list[int]:
        return [
            h.body["update"]["status"]
            for h in self.hits
            if h.body.get("messageType") == "message.ack" and h.body["key"]["id"] == message_id
        ]


@asynccontextmanager
async def running(
    receiver: Receiver,
    *,
    webhook_url: str | None = WEBHOOK,
    settings: CallbackSettings | None = NOW,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """A simulator whose callbacks reach ``receiver``; shut down (lifespan) on exit."""
    hooks = httpx.AsyncClient(transport=httpx.ASGITransport(app=receiver))
    app = create_sim_app(
        token=TOKEN,
        instance_key=INSTANCE,
        webhook_url=webhook_url,
        callback_settings=settings,
        webhook_http=hooks,
    )
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim") as sim,
        ):
            yield app, sim
    finally:
        await hooks.aclose()


@pytest.fixture
def receiver() -> Receiver:
    return Receiver()


@pytest.fixture
async def sim(receiver: Receiver) -> AsyncIterator[httpx.AsyncClient]:
    async with running(receiver) as (_, client):
        yield client


async def send(sim: httpx.AsyncClient, to: str = TO, text: str = "Chamado 42 aberto") -> str:
    response = await sim.post(
        f"/rest/sendMessage/{INSTANCE}/text",
        json={"messageData": {"to": to, "text": text}},
        headers=AUTH,
    )
    assert response.status_code == 200, response.text
    message_id: str = response.json()["messageData"]["key"]["id"]
    return message_id


async def configure(sim: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await sim.post("/_sim/callbacks", json={**ZERO, **fields})
    assert response.status_code == 200, response.text
    described: dict[str, Any] = response.json()
    return described


async def describe(sim: httpx.AsyncClient) -> dict[str, Any]:
    response = await sim.get("/_sim/callbacks")
    assert response.status_code == 200
    described: dict[str, Any] = response.json()
    return described


async def settle(sim: httpx.AsyncClient, timeout_s: float = 30.0) -> None:
    """Until no send has acks still to come."""
    deadline = time.monotonic() + timeout_s
    while (await describe(sim))["pending"]:
        assert time.monotonic() < deadline, "acks ainda pendentes"
        await asyncio.sleep(0.005)


async def wait_hits(receiver: Receiver, count: int, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while len(receiver.hits) < count:
        assert time.monotonic() < deadline, f"{len(receiver.hits)} de {count} POSTs chegaram"
        await asyncio.sleep(0.005)


async def delivery_log(sim: httpx.AsyncClient, since: int = 0) -> list[dict[str, Any]]:
    response = await sim.get("/_sim/callbacks/log", params={"since": since})
    assert response.status_code == 200
    entries: list[dict[str, Any]] = response.json()
    return entries


def ack(remote_jid: str, message_id: str, status: int) -> dict[str, Any]:
    return {
        "instance_key": INSTANCE,
        "jid": INSTANCE_JID,
        "messageType": "message.ack",
        "key": {"remoteJid": remote_jid, "fromMe": True, "id": message_id},
        "update": {"status": status},
    }


def ack_tasks() -> set[asyncio.Task[Any]]:
    return {
        t
        for t in asyncio.all_tasks()
        if getattr(t.get_coro(), "__qualname__", None) == "Callbacks._post_acks"
    }


# -- acks ---------------------------------------------------------------------------


async def test_each_send_is_followed_by_acks_2_3_4(
    sim: httpx.AsyncClient, receiver: Receiver
) -> None:
    to_contractor = await send(sim)
    to_group = await send(sim, to=GROUP)
    await settle(sim)

    for message_id, jid in [(to_contractor, f"{TO}@s.whatsapp.net"), (to_group, GROUP)]:
        bodies = [h.body for h in receiver.hits if h.body["key"]["id"] == message_id]
        assert bodies == [ack(jid, message_id, status) for status in (2, 3, 4)]
    assert len(receiver.hits) == 6
    assert {(h.path, h.query) for h in receiver.hits} == {("/webhook/whatsapp", f"token={SECRET}")}
    log = await delivery_log(sim)
    assert [(e["kind"], e["attempt"], e["duplicate"]) for e in log] == [("ack", 1, False)] * 6
    assert {(e["response_status"], e["outcome"], e["error"]) for e in log} == {
        (200, "delivered", None)
    }
    assert [e["index"] for e in log] == list(range(6))
    assert [e["payload"] for e in log] == [h.body for h in receiver.hits]
    assert await delivery_log(sim, since=4) == log[4:]


async def test_a_quoted_send_gets_acks_like_a_text(
    sim: httpx.AsyncClient, receiver: Receiver
) -> None:
    quoted_id = await send(sim)
    response = await sim.post(
        f"/rest/sendMessage/{INSTANCE}/quoteMessage",
        json={
            "messageData": {
                "to": TO,
                "text": "Pode ir amanhã?",
                "key": {"remoteJid": f"{TO}@s.whatsapp.net", "fromMe": True, "id": quoted_id},
                "message": {"conversation": "Chamado 42 aberto"},
            }
        },
        headers=AUTH,
    )
    assert response.status_code == 200, response.text
    reply_id = response.json()["messageData"]["key"]["id"]
    await settle(sim)

    assert reply_id != quoted_id
    assert receiver.statuses(reply_id) == [2, 3, 4]


async def test_config_webhook_turns_callbacks_on_and_off(receiver: Receiver) -> None:
    async with running(receiver, webhook_url=None) as (_, sim):
        await send(sim)
        await settle(sim)
        assert receiver.hits == []

        async def config_webhook(enabled: bool) -> None:
            response = await sim.post(
                f"/rest/webhook/{INSTANCE}/configWebhook",
                json={"messageData": {"webhookUrl": WEBHOOK, "webhookEnabled": enabled}},
                headers=AUTH,
            )
            assert response.status_code == 200

        await config_webhook(True)
        message_id = await send(sim)
        await settle(sim)
        assert receiver.statuses(message_id) == [2, 3, 4]

        await config_webhook(False)
        await send(sim)
        await settle(sim)
        assert len(receiver.hits) == 3


async def test_without_a_webhook_sends_succeed_and_nothing_is_posted(receiver: Receiver) -> None:
    async with running(receiver, webhook_url=None) as (_, sim):
        ids = [await send(sim), await send(sim, to=GROUP)]
        media = await sim.post(
            f"/rest/sendMessage/{INSTANCE}/mediaUrl",
            json={
                "messageData": {
                    "to": TO,
                    "url": "https://gmm.example/laudo.pdf",
                    "fileName": "laudo.pdf",
                    "type": "document",
                    "mimeType": "application/pdf",
                }
            },
            headers=AUTH,
        )
        described = await describe(sim)
        inbound = await sim.post(
            "/_sim/inbound", json={"type": "text", "from": CONTRACTOR, "text": "oi"}
        )
        await asyncio.sleep(0.05)  # time enough for zero-delay acks, had any been planned

        assert all(ID_FORMAT.fullmatch(i) for i in ids)
        assert media.status_code == 200
        assert (described["pending"], described["webhook_url"]) == (0, None)
        assert inbound.status_code == 409
        assert "webhook" in inbound.json()["detail"]
        assert receiver.hits == []
        assert await delivery_log(sim) == []


async def test_acks_can_be_switched_off(sim: httpx.AsyncClient, receiver: Receiver) -> None:
    await configure(sim, acks=False)

    await send(sim)
    assert (await describe(sim))["pending"] == 0
    reply = await sim.post("/_sim/inbound", json={"type": "text", "from": CONTRACTOR, "text": "a"})

    assert reply.json()["status"] == 200
    assert [h.body["messageType"] for h in receiver.hits] == ["conversation"]


async def test_read_off_stops_at_delivered(sim: httpx.AsyncClient, receiver: Receiver) -> None:
    await configure(sim, read=False)

    message_id = await send(sim)
    await settle(sim)

    assert receiver.statuses(message_id) == [2, 3]
    assert len(receiver.hits) == 2


async def test_acks_wait_their_delays_and_never_the_send_answer(
    sim: httpx.AsyncClient, receiver: Receiver
) -> None:
    delays = {"server_delay_s": 0.05, "delivered_delay_s": 0.15, "read_delay_s": 0.3}
    await configure(sim, **delays)

    started = time.monotonic()
    message_id = await send(sim)

    # The answer is out and no ack has left yet: they follow it, never delay it.
    assert receiver.hits == []
    assert (await describe(sim))["pending"] == 1
    await wait_hits(receiver, 3)
    assert receiver.statuses(message_id) == [2, 3, 4]
    arrivals = [h.at - started for h in receiver.hits]
    # Lower bounds only (a busy machine may be late, never early); the 2 ms cover
    # asyncio running timers up to one clock resolution ahead.
    for arrival, delay in zip(arrivals, delays.values(), strict=True):
        assert arrival >= delay - 0.002, (arrivals, delays)
    assert arrivals == sorted(arrivals)


async def test_duplicate_fraction(sim: httpx.AsyncClient, receiver: Receiver) -> None:
    everything = await _patterns(sim, receiver, duplicate_fraction=1)
    log = await delivery_log(sim)
    nothing = await _patterns(sim, receiver, duplicate_fraction=0)
    some = await _patterns(sim, receiver, duplicate_fraction=0.3, seed=11)
    same_seed = await _patterns(sim, receiver, duplicate_fraction=0.3, seed=11)

    assert everything == [[2, 2, 3, 3, 4, 4]] * 12
    assert [e["duplicate"] for e in log[:6]] == [False, True] * 3
    assert nothing == [[2, 3, 4]] * 12
    assert some == same_seed
    copies = sum(len(statuses) - 3 for statuses in some)
    assert 0 < copies < 36
    # A copy comes right after its original; the order of statuses is untouched.
    assert all(sorted(set(s)) == [2, 3, 4] and s == sorted(s) for s in some)


async def test_out_of_order_fraction(sim: httpx.AsyncClient, receiver: Receiver) -> None:
    everything = await _patterns(sim, receiver, out_of_order_fraction=1)
    unread = await _patterns(sim, receiver, out_of_order_fraction=1, read=False)
    some = await _patterns(sim, receiver, out_of_order_fraction=0.5, seed=5)
    same_seed = await _patterns(sim, receiver, out_of_order_fraction=0.5, seed=5)
    other_seed = await _patterns(sim, receiver, out_of_order_fraction=0.5, seed=6)

    assert all(sorted(s) == [2, 3, 4] and s != [2, 3, 4] for s in everything)
    assert len({tuple(s) for s in everything}) > 1  # not always the same swap
    assert unread == [[3, 2]] * 12
    assert some == same_seed != other_seed
    assert [2, 3, 4] in some
    assert any(s != [2, 3, 4] and sorted(s) == [2, 3, 4] for s in some)


async def test_error_fraction_sends_status_0_instead_of_delivery(
    sim: httpx.AsyncClient, receiver: Receiver
) -> None:
    everything = await _patterns(sim, receiver, error_fraction=1)
    some = await _patterns(sim, receiver, error_fraction=0.5, seed=3)
    same_seed = await _patterns(sim, receiver, error_fraction=0.5, seed=3)

    assert everything == [[2, 0]] * 12
    assert some == same_seed
    assert {tuple(s) for s in some} == {(2, 3, 4), (2, 0)}


async def _patterns(sim: httpx.AsyncClient, receiver: Receiver, **settings: Any) -> list[list[int]]:
    """The statuses each of 12 sends received, after a reset and with ``settings``."""
    assert (await sim.post("/_sim/reset")).status_code == 204
    receiver.hits.clear()
    await configure(sim, **settings)
    ids = [await send(sim) for _ in range(12)]
    await settle(sim)
    return [receiver.statuses(i) for i in ids]


# -- delivery: retries, errors, the log ----------------------------------------------


async def test_5xx_is_retried_with_a_growing_backoff(
    sim: httpx.AsyncClient, receiver: Receiver
) -> None:
    await configure(sim, retries=2, retry_backoff_s=0.02)
    receiver.answers = [503, 502]

    message_id = await send(sim)
    await settle(sim)

    assert receiver.statuses(message_id) == [2, 2, 2, 3, 4]
    log = await delivery_log(sim)
    assert [(e["attempt"], e["response_status"], e["outcome"]) for e in log] == [
        (1, 503, "failed"),
        (2, 502, "failed"),
        (3, 200, "delivered"),
        (1, 200, "delivered"),
        (1, 200, "delivered"),
    ]
    gaps = [b.at - a.at for a, b in zip(receiver.hits, receiver.hits[1:3], strict=False)]
    assert gaps[0] >= 0.02 - 0.002 and gaps[1] >= 0.04 - 0.002, gaps


async def test_gives_up_after_the_retries_and_goes_on(
    sim: httpx.AsyncClient, receiver: Receiver
) -> None:
    await configure(sim, retries=2)
    receiver.answers = [500, 500, 500]

    message_id = await send(sim)
    await settle(sim)

    assert receiver.statuses(message_id) == [2, 2, 2, 3, 4]
    log = await delivery_log(sim)
    assert [(e["attempt"], e["outcome"]) for e in log[:3]] == [(1, "failed")] * 1 + [
        (2, "failed"),
        (3, "failed"),
    ]


async def test_4xx_is_not_retried(sim: httpx.AsyncClient, receiver: Receiver) -> None:
    receiver.answers = [401]

    message_id = await send(sim)
    await settle(sim)

    assert receiver.statuses(message_id) == [2, 3, 4]
    first = (await delivery_log(sim))[0]
    assert (first["attempt"], first["response_status"], first["outcome"]) == (1, 401, "refused")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


async def test_network_errors_are_retried_and_logged_with_the_real_client() -> None:
    # Nothing listens on the port: the simulator's own httpx client meets a refusal.
    url = f"http://127.0.0.1:{_free_port()}/webhook/whatsapp?token={SECRET}"
    app = create_sim_app(
        token=TOKEN,
        instance_key=INSTANCE,
        webhook_url=url,
        callback_settings=NOW.model_copy(update={"retries": 1, "read": False}),
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://sim") as sim,
    ):
        await send(sim)
        await settle(sim)
        log = await delivery_log(sim)

    assert [(e["attempt"], e["outcome"], e["response_status"]) for e in log] == [
        (1, "failed", None),
        (2, "failed", None),
    ] * 2
    assert all(e["error"].startswith("ConnectError") for e in log)
    assert SECRET not in json.dumps(log)


async def test_the_token_is_masked_in_the_log_and_the_settings(receiver: Receiver) -> None:
    url = f"http://gmm.test/webhook/whatsapp?canal=sim&token={SECRET}"
    async with running(receiver, webhook_url=url) as (_, sim):
        await send(sim)
        await sim.post("/_sim/inbound", json={"type": "text", "from": CONTRACTOR, "text": "oi"})
        await settle(sim)
        log = await delivery_log(sim)
        described = await describe(sim)

    masked = "http://gmm.test/webhook/whatsapp?canal=sim&token=***"
    assert {e["url"] for e in log} == {masked}
    assert len(log) == 4
    assert described["webhook_url"] == masked
    assert SECRET not in json.dumps(log) + json.dumps(described)
    # The receiver itself gets the real token, or it could not check it.
    assert {h.query for h in receiver.hits} == {f"canal=sim&token={SECRET}"}


# -- settings, reset, shutdown ---------------------------------------------------------


async def test_settings_are_shown_replaced_and_validated(sim: httpx.AsyncClient) -> None:
    assert (await describe(sim))["settings"] == NOW.model_dump()

    replaced = await sim.post("/_sim/callbacks", json={"duplicate_fraction": 0.5, "seed": 1})

    assert replaced.status_code == 200
    expected = CallbackSettings(duplicate_fraction=0.5, seed=1).model_dump()
    assert replaced.json()["settings"] == expected
    assert expected["server_delay_s"] == 0.2  # omitted fields take the defaults
    assert (await describe(sim))["settings"] == expected
    for bad in (
        {"server_delay_s": 0.5, "delivered_delay_s": 0.2},
        {"duplicate_fraction": 1.5},
        {"read_delay_s": -1},
        {"retries": 9},
        {"unknown": True},
    ):
        response = await sim.post("/_sim/callbacks", json=bad)
        assert response.status_code == 422, bad
    assert (await describe(sim))["settings"] == expected


async def test_reset_cancels_pending_acks_and_restores_startup_settings(
    receiver: Receiver,
) -> None:
    slow = CallbackSettings(server_delay_s=0.1, delivered_delay_s=0.15, read_delay_s=0.2)
    async with running(receiver, settings=slow) as (_, sim):
        await configure(sim, duplicate_fraction=1, **slow.model_dump(include=DELAYS))
        before = ack_tasks()
        await send(sim)
        await send(sim)
        planned = ack_tasks() - before
        assert (await describe(sim))["pending"] == 2

        assert (await sim.post("/_sim/reset")).status_code == 204

        described = await describe(sim)
        assert (described["pending"], described["settings"]) == (0, slow.model_dump())
        assert described["webhook_url"] == WEBHOOK.replace(SECRET, "***")
        await asyncio.sleep(0.3)
        assert len(planned) == 2 and all(t.cancelled() for t in planned)
        assert receiver.hits == []
        assert await delivery_log(sim) == []

        # Still working after the reset, with the startup settings.
        message_id = await send(sim)
        await wait_hits(receiver, 3)
        assert receiver.statuses(message_id) == [2, 3, 4]


async def test_shutdown_cancels_pending_acks(receiver: Receiver) -> None:
    late = CallbackSettings(server_delay_s=30, delivered_delay_s=30, read_delay_s=30)
    async with running(receiver, settings=late) as (app, sim):
        before = ack_tasks()
        await send(sim)
        planned = ack_tasks() - before
        assert len(planned) == 1

    assert all(t.cancelled() for t in planned)
    assert app.state.callbacks.pending == 0
    assert receiver.hits == []


def test_a_webhook_url_must_be_http() -> None:
    with pytest.raises(ValueError, match=r"http\(s\): ftp://x/\?token=\*\*\*"):
        create_sim_app(token=TOKEN, instance_key=INSTANCE, webhook_url="ftp://x/?token=abc")


# -- inbound events ----------------------------------------------------------------------

CONTEXT = "<messageContextInfo>"


def _message(message_type: str, message: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """An inbound message event with the volatile values as ``_stable`` writes them."""
    payload = {
        "instance_key": INSTANCE,
        "jid": INSTANCE_JID,
        "messageType": message_type,
        "key": {"remoteJid": f"{CONTRACTOR}@s.whatsapp.net", "fromMe": False, "id": "<id>"},
        "messageTimestamp": "<timestamp>",
        "pushName": "Zé da Obra",
        "broadcast": False,
        "message": message,
    }
    payload["key"] |= changes.pop("key", {})
    return payload | changes


def _media(mimetype: str, content: bytes, **fields: Any) -> dict[str, Any]:
    return {
        "url": "<url>",
        "mimetype": mimetype,
        "fileSha256": base64.b64encode(hashlib.sha256(content).digest()).decode(),
        "fileLength": str(len(content)),
        "mediaKey": "<mediaKey>",
        "fileEncSha256": "<fileEncSha256>",
        "directPath": "<directPath>",
        "mediaKeyTimestamp": "<mediaKeyTimestamp>",
        **fields,
    }


FROM = {"from": CONTRACTOR, "push_name": "Zé da Obra"}
TEXT_PLACEHOLDER = b"arquivo simulado pelo simulador da MegaAPI do GMM\n"

INBOUND_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "text": (
        {"type": "text", **FROM, "text": "Chego às 14h"},
        _message("conversation", {"conversation": "Chego às 14h", "messageContextInfo": CONTEXT}),
    ),
    "extended-text": (
        {"type": "text", **FROM, "text": "Chego às 14h", "extended": True},
        _message(
            "extendedTextMessage",
            {"extendedTextMessage": {"text": "Chego às 14h"}, "messageContextInfo": CONTEXT},
        ),
    ),
    "button": (
        {"type": "button", **FROM, "button_id": "aceito", "button_text": "Aceito"},
        _message(
            "messageContextInfo",
            {
                "messageContextInfo": CONTEXT,
                "buttonsResponseMessage": {
                    "selectedButtonId": "aceito",
                    "selectedDisplayText": "Aceito",
                    "type": 1,
                },
            },
        ),
    ),
    "button-typed": (
        {
            "type": "button",
            **FROM,
            "button_id": "aceito",
            "button_text": "Aceito",
            "message_type": "buttonsResponseMessage",
        },
        _message(
            "buttonsResponseMessage",
            {
                "buttonsResponseMessage": {
                    "selectedButtonId": "aceito",
                    "selectedDisplayText": "Aceito",
                    "type": 1,
                },
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "template-button": (
        {
            "type": "button",
            **FROM,
            "button_id": "recuso",
            "button_text": "Recuso",
            "message_type": "templateButtonReplyMessage",
        },
        _message(
            "templateButtonReplyMessage",
            {
                "templateButtonReplyMessage": {
                    "selectedId": "recuso",
                    "selectedDisplayText": "Recuso",
                    "selectedIndex": 0,
                },
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "list": (
        {"type": "list", **FROM, "row_id": "hoje", "title": "Hoje"},
        _message(
            "messageContextInfo",
            {
                "messageContextInfo": CONTEXT,
                "listResponseMessage": {
                    "title": "Hoje",
                    "listType": 1,
                    "singleSelectReply": {"selectedRowId": "hoje"},
                },
            },
        ),
    ),
    "list-typed": (
        {
            "type": "list",
            **FROM,
            "row_id": "amanha",
            "title": "Amanhã",
            "description": "até 18h",
            "message_type": "listResponseMessage",
        },
        _message(
            "listResponseMessage",
            {
                "listResponseMessage": {
                    "title": "Amanhã",
                    "listType": 1,
                    "singleSelectReply": {"selectedRowId": "amanha"},
                    "description": "até 18h",
                },
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "image": (
        {"type": "media", **FROM, "media": "image", "caption": "Foto do vazamento"},
        _message(
            "imageMessage",
            {
                "imageMessage": _media(
                    "image/png", png_1x1(), height=1, width=1, caption="Foto do vazamento"
                ),
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "voice-note": (
        {"type": "media", **FROM, "media": "audio", "ptt": True},
        _message(
            "audioMessage",
            {
                "audioMessage": _media("audio/wav", wav_silence(), seconds=1, ptt=True),
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "video": (
        {"type": "media", **FROM, "media": "video", "caption": "Vídeo"},
        _message(
            "videoMessage",
            {
                "videoMessage": _media(
                    "video/mp4", TEXT_PLACEHOLDER, height=1, width=1, seconds=1, caption="Vídeo"
                ),
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "document": (
        {"type": "media", **FROM, "media": "document", "file_name": "orcamento.pdf"},
        _message(
            "documentMessage",
            {
                "documentMessage": _media(
                    "application/pdf",
                    pdf_one_page(),
                    fileName="orcamento.pdf",
                    title="orcamento.pdf",
                    pageCount=1,
                ),
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "document-with-caption": (
        {
            "type": "media",
            **FROM,
            "media": "document",
            "caption": "Segue o orçamento",
            "document_with_caption": True,
        },
        _message(
            "documentWithCaptionMessage",
            {
                "documentWithCaptionMessage": {
                    "message": {
                        "documentMessage": _media(
                            "application/pdf",
                            pdf_one_page(),
                            fileName="documento.pdf",
                            title="documento.pdf",
                            pageCount=1,
                            caption="Segue o orçamento",
                        )
                    }
                },
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "sticker": (
        {"type": "media", **FROM, "media": "sticker"},
        _message(
            "stickerMessage",
            {
                "stickerMessage": _media(
                    "image/webp", webp_1x1(), height=1, width=1, isAnimated=False
                ),
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "echo": (
        {"type": "echo", "from": CONTRACTOR, "text": "Bom dia"},
        _message(
            "conversation",
            {"conversation": "Bom dia", "messageContextInfo": CONTEXT},
            key={"fromMe": True},
            pushName="Simulador GMM",
        ),
    ),
    "without-push-name": (
        {"type": "text", "from": CONTRACTOR, "push_name": None, "text": "oi"},
        {
            k: v
            for k, v in _message(
                "conversation", {"conversation": "oi", "messageContextInfo": CONTEXT}
            ).items()
            if k != "pushName"
        },
    ),
    "connection": (
        {"type": "connection", "state": "close", "reason": "logged out"},
        {
            "instance_key": INSTANCE,
            "jid": INSTANCE_JID,
            "messageType": "connection_update",
            "connection_state": "close",
            "closeReason": "logged out",
        },
    ),
}

_VOLATILE_MEDIA = ("url", "mediaKey", "fileEncSha256", "directPath", "mediaKeyTimestamp")


def _media_part(payload: dict[str, Any]) -> dict[str, Any] | None:
    message = payload.get("message", {})
    message = message.get("documentWithCaptionMessage", {}).get("message", message)
    for key in ("imageMessage", "audioMessage", "videoMessage", "documentMessage"):
        if key in message:
            part: dict[str, Any] = message[key]
            return part
    sticker: dict[str, Any] | None = message.get("stickerMessage")
    return sticker


def _stable(payload: dict[str, Any], answered_id: str | None) -> dict[str, Any]:
    """The payload with its fresh ids, times and keys checked, then replaced by placeholders."""
    copy: dict[str, Any] = json.loads(json.dumps(payload))
    if "key" not in copy:
        assert answered_id is None
        return copy
    assert answered_id is not None and ID_FORMAT.fullmatch(answered_id)
    assert copy["key"]["id"] == answered_id
    copy["key"]["id"] = "<id>"
    assert isinstance(copy["messageTimestamp"], int)
    assert abs(copy["messageTimestamp"] - time.time()) < 5
    copy["messageTimestamp"] = "<timestamp>"
    context = copy["message"]["messageContextInfo"]
    assert context["deviceListMetadataVersion"] == 2
    assert set(context["deviceListMetadata"]) == {
        "senderKeyHash",
        "senderTimestamp",
        "recipientKeyHash",
        "recipientTimestamp",
    }
    copy["message"]["messageContextInfo"] = CONTEXT
    media = _media_part(copy)
    if media is not None:
        assert media["directPath"].startswith("/v/t62.")
        assert media["url"] == f"https://mmg.whatsapp.net{media['directPath']}&mms3=true"
        assert len(base64.b64decode(media["mediaKey"], validate=True)) == 32
        assert media["mediaKeyTimestamp"] == str(payload["messageTimestamp"])
        media |= {name: f"<{name}>" for name in _VOLATILE_MEDIA}
    return copy


@pytest.mark.parametrize("case", list(INBOUND_CASES))
async def test_inbound_events_have_megaapis_shape(
    sim: httpx.AsyncClient, receiver: Receiver, case: str
) -> None:
    request, expected = INBOUND_CASES[case]

    response = await sim.post("/_sim/inbound", json=request)

    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["status"], answer["error"]) == (200, None)
    assert [h.body for h in receiver.hits] == [answer["payload"]]
    assert receiver.hits[0].query == f"token={SECRET}"
    assert _stable(answer["payload"], answer["id"]) == expected
    # MegaAPI names the event after the first key of "message".
    if expected.get("messageType") == "messageContextInfo":
        assert next(iter(answer["payload"]["message"])) == "messageContextInfo"
    log = await delivery_log(sim)
    assert [(e["kind"], e["message_id"], e["outcome"]) for e in log] == [
        ("inbound", answer["id"], "delivered")
    ]


async def test_inbound_ids_are_fresh_unless_given(sim: httpx.AsyncClient) -> None:
    text = {"type": "text", "from": CONTRACTOR, "text": "oi"}
    first = (await sim.post("/_sim/inbound", json=text)).json()["id"]
    second = (await sim.post("/_sim/inbound", json=text)).json()["id"]
    again = (await sim.post("/_sim/inbound", json={**text, "id": first})).json()

    assert first != second
    # Repeating an id is how a test makes MegaAPI deliver one message twice.
    assert again["id"] == again["payload"]["key"]["id"] == first


@pytest.mark.parametrize(
    "request_body",
    [
        {"type": "sms", "from": CONTRACTOR, "text": "oi"},
        {"type": "text", "from": "+55 21 99888-7777", "text": "oi"},
        {"type": "text", "text": "oi"},
        {"type": "text", "from": CONTRACTOR, "text": ""},
        {"type": "media", "from": CONTRACTOR, "media": "audio", "caption": "x"},
        {"type": "media", "from": CONTRACTOR, "media": "image", "file_name": "a.png"},
        {"type": "media", "from": CONTRACTOR, "media": "video", "ptt": True},
        {"type": "media", "from": CONTRACTOR, "media": "image", "document_with_caption": True},
        {"type": "media", "from": CONTRACTOR, "media": "gif"},
        {"type": "connection", "state": "exploded"},
        {"type": "button", "from": CONTRACTOR, "button_id": "a"},
    ],
)
async def test_invalid_inbound_is_422_and_posts_nothing(
    sim: httpx.AsyncClient, receiver: Receiver, request_body: dict[str, Any]
) -> None:
    response = await sim.post("/_sim/inbound", json=request_body)

    assert response.status_code == 422
    assert receiver.hits == []


async def test_inbound_answers_with_the_webhooks_status(
    sim: httpx.AsyncClient, receiver: Receiver
) -> None:
    text = {"type": "text", "from": CONTRACTOR, "text": "oi"}
    receiver.answers = [401]
    refused = (await sim.post("/_sim/inbound", json=text)).json()
    receiver.answers = [503]
    retried = (await sim.post("/_sim/inbound", json=text)).json()

    assert refused["status"] == 401
    assert retried["status"] == 200
    log = await delivery_log(sim)
    assert [(e["attempt"], e["response_status"]) for e in log] == [(1, 401), (1, 503), (2, 200)]


@pytest.mark.parametrize(
    ("media", "magic"),
    [
        ("image", b"\x89PNG\r\n\x1a\n"),
        ("audio", b"RIFF"),
        ("document", b"%PDF-"),
        ("sticker", b"RIFF"),
        ("video", b"arquivo simulado"),
    ],
)
async def test_inbound_media_keys_download_the_announced_file(
    sim: httpx.AsyncClient, media: str, magic: bytes
) -> None:
    request = {"type": "media", "from": CONTRACTOR, "media": media}
    payload = (await sim.post("/_sim/inbound", json=request)).json()["payload"]
    announced = _media_part(payload)
    assert announced is not None

    # The product's download job sends the type bare ("image"); the webhook's name works too.
    for message_type in (media, payload["messageType"]):
        keys = {k: announced[k] for k in ("mediaKey", "directPath", "url", "mimetype")}
        response = await sim.post(
            f"/rest/instance/downloadMediaMessage/{INSTANCE}",
            json={"messageKeys": {**keys, "messageType": message_type}},
            headers=AUTH,
        )
        assert response.status_code == 200, response.text
        match = re.fullmatch(r"data:([^;]+);base64,(.+)", response.json()["data"])
        assert match
        mime, data = match[1], base64.b64decode(match[2])
        assert data.startswith(magic)
        assert len(data) == int(announced["fileLength"])
        assert base64.b64encode(hashlib.sha256(data).digest()).decode() == announced["fileSha256"]
        # No tiny video can be made by hand: the file is text and says so.
        assert mime == ("text/plain" if media == "video" else announced["mimetype"])
    if media == "audio":
        with wave.open(io.BytesIO(data)) as audio:
            assert audio.getnframes() / audio.getframerate() <= announced["seconds"]


async def test_a_media_key_with_another_files_path_is_refused(sim: httpx.AsyncClient) -> None:
    image = {"type": "media", "from": CONTRACTOR, "media": "image"}
    first = _media_part((await sim.post("/_sim/inbound", json=image)).json()["payload"])
    second = _media_part((await sim.post("/_sim/inbound", json=image)).json()["payload"])
    assert first is not None and second is not None

    response = await sim.post(
        f"/rest/instance/downloadMediaMessage/{INSTANCE}",
        json={
            "messageKeys": {
                "mediaKey": first["mediaKey"],
                "directPath": second["directPath"],
                "url": first["url"],
                "mimetype": first["mimetype"],
                "messageType": "imageMessage",
            }
        },
        headers=AUTH,
    )

    assert response.status_code == 400
    assert "directPath" in response.json()["message"]


async def test_the_product_reads_every_inbound_and_ack_shape(
    sim: httpx.AsyncClient, receiver: Receiver
) -> None:
    # The webhook receiver's parser, fed what the simulator posts: both read
    # docs/megaapi-contrato.md the same way, or the full loop would break only at run time.
    for request, _ in INBOUND_CASES.values():
        await sim.post("/_sim/inbound", json=request)
    message_id = await send(sim)
    await settle(sim)
    await configure(sim, error_fraction=1)
    failed_id = await send(sim)
    await settle(sim)

    events = [product_webhook.ler(h.body) for h in receiver.hits]

    received = [e for e in events if isinstance(e, product_webhook.Recebida)]
    assert {e.telefone for e in received} == {CONTRACTOR}
    assert [e.tipo_conteudo for e in received] == [
        TipoConteudo.text,
        TipoConteudo.text,
        *[TipoConteudo.interactive] * 5,
        TipoConteudo.image,
        TipoConteudo.audio,
        TipoConteudo.video,
        TipoConteudo.document,
        TipoConteudo.document,
        TipoConteudo.image,
        TipoConteudo.text,
    ]
    assert [e.texto for e in received[:7]] == [
        "Chego às 14h",
        "Chego às 14h",
        "Aceito",
        "Aceito",
        "Recuso",
        "Hoje",
        "Amanhã",
    ]
    assert received[11].caption == "Segue o orçamento"
    assert all("mediaKey" in e.conteudo.armazenar()["midia"] for e in received[7:13])
    ignored = [e for e in events if isinstance(e, product_webhook.Ignorado)]
    assert [e.motivo for e in ignored] == ["eco de mensagem nossa"]
    connection = [e for e in events if isinstance(e, product_webhook.Conexao)]
    assert connection == [product_webhook.Conexao("close", "logged out")]
    acks = [(e.megaapi_id, e.status) for e in events if isinstance(e, product_webhook.Ack)]
    assert acks == [
        (message_id, StatusEnvio.enviado),
        (message_id, StatusEnvio.entregue),
        (message_id, StatusEnvio.lido),
        (failed_id, StatusEnvio.enviado),
        (failed_id, StatusEnvio.falhou),
    ]


# -- replies, reactions, edits, deletes, identities --------------------------------------
# Kept apart from INBOUND_CASES: these shapes are the product's next step, and the
# test above feeds INBOUND_CASES to the product's current parser.

QUOTED_ID = "3EB0C431C26A1916E0A2"
CHAT = f"{CONTRACTOR}@s.whatsapp.net"
LID = "123456789012345"
LID_JID = f"{LID}@lid"


def _reply_context(quoted_text: str = "") -> dict[str, Any]:
    return {
        "stanzaId": QUOTED_ID,
        "participant": INSTANCE_JID,
        "quotedMessage": {"conversation": quoted_text},
    }


def _protocol(remote_jid: str, protocol_type: int, **fields: Any) -> dict[str, Any]:
    return {
        "key": {"remoteJid": remote_jid, "fromMe": False, "id": QUOTED_ID},
        "type": protocol_type,
        **fields,
    }


def _from_lid(message: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return _message("conversation", message, key={"remoteJid": LID_JID, **changes})


HI = {"conversation": "oi", "messageContextInfo": CONTEXT}

REPLY_CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "text-reply": (
        {
            "type": "text",
            **FROM,
            "text": "Pode sim",
            "reply_to": QUOTED_ID,
            "quoted_text": "Posso ir amanhã às 9h?",
        },
        _message(
            "extendedTextMessage",
            {
                "extendedTextMessage": {
                    "text": "Pode sim",
                    "contextInfo": _reply_context("Posso ir amanhã às 9h?"),
                },
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "text-reply-without-quoted-text": (
        {"type": "text", **FROM, "text": "Pode sim", "reply_to": QUOTED_ID},
        _message(
            "extendedTextMessage",
            {
                "extendedTextMessage": {"text": "Pode sim", "contextInfo": _reply_context()},
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "image-reply": (
        {"type": "media", **FROM, "media": "image", "caption": "Assim?", "reply_to": QUOTED_ID},
        _message(
            "imageMessage",
            {
                "imageMessage": _media(
                    "image/png",
                    png_1x1(),
                    height=1,
                    width=1,
                    caption="Assim?",
                    contextInfo=_reply_context(),
                ),
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "document-with-caption-reply": (
        {
            "type": "media",
            **FROM,
            "media": "document",
            "caption": "O laudo",
            "document_with_caption": True,
            "reply_to": QUOTED_ID,
            "quoted_text": "Manda o laudo?",
        },
        _message(
            "documentWithCaptionMessage",
            {
                "documentWithCaptionMessage": {
                    "message": {
                        "documentMessage": _media(
                            "application/pdf",
                            pdf_one_page(),
                            fileName="documento.pdf",
                            title="documento.pdf",
                            pageCount=1,
                            caption="O laudo",
                            contextInfo=_reply_context("Manda o laudo?"),
                        )
                    }
                },
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "reaction": (
        {"type": "reaction", **FROM, "target_id": QUOTED_ID, "emoji": "👍"},
        _message(
            "reactionMessage",
            {
                "reactionMessage": {
                    "key": {"remoteJid": CHAT, "fromMe": True, "id": QUOTED_ID},
                    "text": "👍",
                    "senderTimestampMs": "<ms>",
                },
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "reaction-removed-from-their-message": (
        {"type": "reaction", **FROM, "target_id": QUOTED_ID, "emoji": "", "target_from_me": False},
        _message(
            "reactionMessage",
            {
                "reactionMessage": {
                    "key": {"remoteJid": CHAT, "fromMe": False, "id": QUOTED_ID},
                    "text": "",
                    "senderTimestampMs": "<ms>",
                },
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "edit": (
        {"type": "edit", **FROM, "target_id": QUOTED_ID, "text": "Chego às 15h"},
        _message(
            "protocolMessage",
            {
                "protocolMessage": _protocol(
                    CHAT, 14, editedMessage={"conversation": "Chego às 15h"}, timestampMs="<ms>"
                ),
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "edit-wrapped": (
        {
            "type": "edit",
            **FROM,
            "target_id": QUOTED_ID,
            "text": "Chego às 15h",
            "message_type": "editedMessage",
        },
        _message(
            "editedMessage",
            {
                "editedMessage": {
                    "message": {
                        "protocolMessage": _protocol(
                            CHAT,
                            14,
                            editedMessage={"conversation": "Chego às 15h"},
                            timestampMs="<ms>",
                        )
                    }
                },
                "messageContextInfo": CONTEXT,
            },
        ),
    ),
    "delete": (
        {"type": "delete", **FROM, "target_id": QUOTED_ID},
        _message(
            "protocolMessage",
            {"protocolMessage": _protocol(CHAT, 0), "messageContextInfo": CONTEXT},
        ),
    ),
    "c-us": (
        {"type": "text", **FROM, "text": "oi", "jid_domain": "c.us"},
        _message("conversation", HI, key={"remoteJid": f"{CONTRACTOR}@c.us"}),
    ),
    "lid-with-sender-pn": (
        {"type": "text", **FROM, "text": "oi", "lid": LID},
        _from_lid(HI, senderPn=CHAT),
    ),
    "lid-with-remote-jid-alt": (
        {"type": "text", **FROM, "text": "oi", "lid": LID, "phone_field": "remoteJidAlt"},
        _from_lid(HI, remoteJidAlt=CHAT),
    ),
    "lid-with-participant-pn": (
        {"type": "text", **FROM, "text": "oi", "lid": LID, "phone_field": "participantPn"},
        _from_lid(HI) | {"participantPn": CHAT},
    ),
    "lid-without-phone": (
        {"type": "text", **FROM, "text": "oi", "lid": LID, "phone_field": None},
        _from_lid(HI),
    ),
    "lid-ignores-jid-domain": (
        {"type": "text", **FROM, "text": "oi", "lid": LID, "jid_domain": "c.us"},
        _from_lid(HI, senderPn=CHAT),
    ),
    "reaction-from-lid": (
        {"type": "reaction", **FROM, "target_id": QUOTED_ID, "emoji": "❤️", "lid": LID},
        _message(
            "reactionMessage",
            {
                "reactionMessage": {
                    "key": {"remoteJid": LID_JID, "fromMe": True, "id": QUOTED_ID},
                    "text": "❤️",
                    "senderTimestampMs": "<ms>",
                },
                "messageContextInfo": CONTEXT,
            },
            key={"remoteJid": LID_JID, "senderPn": CHAT},
        ),
    ),
    "delete-from-lid": (
        {
            "type": "delete",
            **FROM,
            "target_id": QUOTED_ID,
            "lid": LID,
            "phone_field": "participantPn",
        },
        _message(
            "protocolMessage",
            {"protocolMessage": _protocol(LID_JID, 0), "messageContextInfo": CONTEXT},
            key={"remoteJid": LID_JID},
            participantPn=CHAT,
        ),
    ),
    "button-from-c-us": (
        {
            "type": "button",
            **FROM,
            "button_id": "aceito",
            "button_text": "Aceito",
            "jid_domain": "c.us",
        },
        _message(
            "messageContextInfo",
            {
                "messageContextInfo": CONTEXT,
                "buttonsResponseMessage": {
                    "selectedButtonId": "aceito",
                    "selectedDisplayText": "Aceito",
                    "type": 1,
                },
            },
            key={"remoteJid": f"{CONTRACTOR}@c.us"},
        ),
    ),
}


def _stable_ms(payload: dict[str, Any], answered_id: str | None) -> dict[str, Any]:
    """``_stable``, with the millisecond times (reactions, edits) checked and replaced too."""
    copy: dict[str, Any] = json.loads(json.dumps(payload))
    message = copy.get("message", {})
    message = message.get("editedMessage", {}).get("message", message)
    for part, name in (
        ("reactionMessage", "senderTimestampMs"),
        ("protocolMessage", "timestampMs"),
    ):
        if name in message.get(part, {}):
            ms = message[part][name]
            assert isinstance(ms, int)
            assert ms // 1000 == payload["messageTimestamp"]
            message[part][name] = "<ms>"
    return _stable(copy, answered_id)


@pytest.mark.parametrize("case", list(REPLY_CASES))
async def test_replies_reactions_edits_deletes_and_identities_have_baileys_shape(
    sim: httpx.AsyncClient, receiver: Receiver, case: str
) -> None:
    request, expected = REPLY_CASES[case]

    response = await sim.post("/_sim/inbound", json=request)

    assert response.status_code == 200, response.text
    answer = response.json()
    assert (answer["status"], answer["error"]) == (200, None)
    assert [h.body for h in receiver.hits] == [answer["payload"]]
    # Each event is a message of its own, with its own id, not the target's.
    assert answer["id"] != QUOTED_ID
    assert _stable_ms(answer["payload"], answer["id"]) == expected
    # MegaAPI names the event after the first key of "message".
    assert next(iter(answer["payload"]["message"])) == expected["messageType"]


async def test_a_media_reply_still_downloads_its_file(sim: httpx.AsyncClient) -> None:
    request = {"type": "media", "from": CONTRACTOR, "media": "image", "reply_to": QUOTED_ID}
    announced = _media_part((await sim.post("/_sim/inbound", json=request)).json()["payload"])
    assert announced is not None

    response = await sim.post(
        f"/rest/instance/downloadMediaMessage/{INSTANCE}",
        json={
            "messageKeys": {
                **{k: announced[k] for k in ("mediaKey", "directPath", "url", "mimetype")},
                "messageType": "image",
            }
        },
        headers=AUTH,
    )

    assert response.status_code == 200
    assert base64.b64decode(response.json()["data"].partition(",")[2]).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "request_body",
    [
        {"type": "text", "from": CONTRACTOR, "text": "oi", "quoted_text": "sem reply_to"},
        {"type": "text", "from": CONTRACTOR, "text": "oi", "reply_to": ""},
        {"type": "media", "from": CONTRACTOR, "media": "image", "quoted_text": "x"},
        {"type": "text", "from": CONTRACTOR, "text": "oi", "jid_domain": "lid"},
        {"type": "text", "from": CONTRACTOR, "text": "oi", "lid": "1234"},
        {"type": "text", "from": CONTRACTOR, "text": "oi", "lid": "1" * 21},
        {"type": "text", "from": CONTRACTOR, "text": "oi", "lid": "12345abc"},
        {"type": "text", "from": CONTRACTOR, "text": "oi", "lid": LID, "phone_field": "pn"},
        {"type": "reaction", "from": CONTRACTOR, "emoji": "👍"},
        {"type": "reaction", "from": CONTRACTOR, "target_id": QUOTED_ID},
        {"type": "reaction", "from": CONTRACTOR, "target_id": QUOTED_ID, "emoji": "x" * 17},
        {"type": "reaction", "from": CONTRACTOR, "target_id": "", "emoji": "👍"},
        {"type": "edit", "from": CONTRACTOR, "target_id": QUOTED_ID, "text": ""},
        {"type": "edit", "from": CONTRACTOR, "text": "novo"},
        {
            "type": "edit",
            "from": CONTRACTOR,
            "target_id": QUOTED_ID,
            "text": "novo",
            "message_type": "conversation",
        },
        {"type": "delete", "from": CONTRACTOR},
        {"type": "delete", "from": CONTRACTOR, "target_id": QUOTED_ID, "text": "x"},
    ],
)
async def test_invalid_replies_and_identities_are_422_and_post_nothing(
    sim: httpx.AsyncClient, receiver: Receiver, request_body: dict[str, Any]
) -> None:
    response = await sim.post("/_sim/inbound", json=request_body)

    assert response.status_code == 422
    assert receiver.hits == []


async def test_reactions_edits_and_deletes_keep_a_given_id(sim: httpx.AsyncClient) -> None:
    # Repeating an event's id is how a test makes MegaAPI deliver it twice.
    for kind, fields in (
        ("reaction", {"emoji": "👍"}),
        ("edit", {"text": "novo"}),
        ("delete", {}),
    ):
        body = {"type": kind, "from": CONTRACTOR, "target_id": QUOTED_ID, "id": "EVT1", **fields}
        answer = (await sim.post("/_sim/inbound", json=body)).json()
        assert answer["id"] == answer["payload"]["key"]["id"] == "EVT1"


# -- the real thing: serve() over TCP ------------------------------------------------------


async def test_serve_posts_callbacks_to_its_webhook_url(receiver: Receiver) -> None:
    receiver_port, sim_port = _free_port(), _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            receiver, host="127.0.0.1", port=receiver_port, log_level="warning", lifespan="off"
        )
    )
    serving = asyncio.create_task(server.serve())
    webhook = f"http://127.0.0.1:{receiver_port}/webhook/whatsapp?token={SECRET}"
    code = (
        "from gmm.megaapi_sim import serve; "
        f"serve(port={sim_port}, token={TOKEN!r}, instance_key={INSTANCE!r}, "
        f"webhook_url={webhook!r})"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{sim_port}", timeout=5) as sim:
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, "o simulador saiu antes de atender"
                try:
                    described = await describe(sim)
                    break
                except httpx.ConnectError:
                    assert time.monotonic() < deadline, "o simulador não abriu a porta"
                    await asyncio.sleep(0.05)
            assert described["webhook_url"] == webhook.replace(SECRET, "***")
            await configure(sim)

            message_id = await send(sim)
            await wait_hits(receiver, 3)
            reply = await sim.post(
                "/_sim/inbound", json={"type": "text", "from": CONTRACTOR, "text": "Feito"}
            )

        assert receiver.statuses(message_id) == [2, 3, 4]
        assert reply.json()["status"] == 200
        assert receiver.hits[-1].body["message"]["conversation"] == "Feito"
        assert {h.query for h in receiver.hits} == {f"token={SECRET}"}
    finally:
        process.terminate()
        process.wait(10)
        server.should_exit = True
        await serving


async def test_the_product_reads_every_reply_reaction_edit_delete_and_identity(
    sim: httpx.AsyncClient, receiver: Receiver
) -> None:
    # The same agreement as above for the newer shapes: what the simulator posts is
    # what the webhook's parser understands, field by field.
    for request, _ in REPLY_CASES.values():
        await sim.post("/_sim/inbound", json=request)
    assert len(receiver.hits) == len(REPLY_CASES)
    events = dict(
        zip(REPLY_CASES, (product_webhook.ler(h.body) for h in receiver.hits), strict=True)
    )

    for caso in ("text-reply", "text-reply-without-quoted-text", "image-reply"):
        recebida = events[caso]
        assert isinstance(recebida, product_webhook.Recebida), caso
        assert recebida.citada == QUOTED_ID and recebida.telefone == CONTRACTOR
    documento = events["document-with-caption-reply"]
    assert isinstance(documento, product_webhook.Recebida) and documento.citada == QUOTED_ID
    reacao = events["reaction"]
    assert isinstance(reacao, product_webhook.Reacao)
    assert (reacao.alvo_id, reacao.emoji) == (QUOTED_ID, "👍") and reacao.quando is not None
    removida = events["reaction-removed-from-their-message"]
    assert isinstance(removida, product_webhook.Reacao) and removida.emoji == ""
    for caso in ("edit", "edit-wrapped"):
        edicao = events[caso]
        assert isinstance(edicao, product_webhook.Edicao), caso
        assert edicao.alvo_id == QUOTED_ID and edicao.texto
    apagada = events["delete"]
    assert isinstance(apagada, product_webhook.Apagada) and apagada.alvo_id == QUOTED_ID
    c_us = events["c-us"]
    assert isinstance(c_us, product_webhook.Recebida)
    assert c_us.remetente.jids == (f"{CONTRACTOR}@c.us",)
    for caso in ("lid-with-sender-pn", "lid-with-remote-jid-alt", "lid-with-participant-pn"):
        com_telefone = events[caso]
        assert isinstance(com_telefone, product_webhook.Recebida), caso
        assert com_telefone.remetente.lids == (LID_JID,), caso
        assert com_telefone.remetente.telefones == (CONTRACTOR,), caso
    sem_telefone = events["lid-without-phone"]
    assert isinstance(sem_telefone, product_webhook.Recebida)
    assert sem_telefone.remetente.telefones == () and sem_telefone.telefone == LID_JID
    for caso in ("reaction-from-lid", "delete-from-lid"):
        evento = events[caso]
        assert isinstance(evento, product_webhook.Reacao | product_webhook.Apagada), caso
        assert LID_JID in evento.remetente.jids, caso
    botao = events["button-from-c-us"]
    assert isinstance(botao, product_webhook.Recebida)
    assert botao.tipo_conteudo == TipoConteudo.interactive
