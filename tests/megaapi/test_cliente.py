"""MegaAPI client against a mocked gateway (respx): exact requests, answers, error classes."""

from __future__ import annotations

import base64
import json
import logging
import pickle
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
import respx

from gmm.megaapi.cliente import (
    MAX_INLINE_MEDIA_BYTES,
    QUOTE_MESSAGE_PATH,
    REASON_MAX_CHARS,
    DownloadedMedia,
    InstanceStatus,
    ListRow,
    ListSection,
    MediaKeys,
    MegaAPIClient,
    MegaAPICredentials,
    MegaAPIError,
    MegaAPIPermanentError,
    MegaAPITransientError,
    OnWhatsApp,
    QuotedMessage,
    mask_phone,
)

BASE = "https://apistart01.megaapi.com.br"
TOKEN = "tk-segredo-0123456789abcdef"
INSTANCE = "megastart-MABC123"
CREDS = MegaAPICredentials(base_url=BASE + "/", instance_key=INSTANCE, token=TOKEN)
TO = "5511987654321"
MESSAGE_ID = "3EB0ABCDEF0123456789"
SEND_OK = {
    "error": False,
    "message": "Mensagem enviada",
    "messageData": {"key": {"remoteJid": f"{TO}@s.whatsapp.net", "fromMe": True, "id": MESSAGE_ID}},
}
MEDIA_KEYS: MediaKeys = {
    "mediaKey": "bWVkaWFLZXk=",
    "directPath": "/v/t62.7118-24/123_456?ccb=11-4",
    "url": "https://mmg.whatsapp.net/v/t62.7118-24/123_456.enc",
    "mimetype": "audio/ogg; codecs=opus",
    "messageType": "audioMessage",
}
PDF = b"%PDF-1.4 conteudo"
QUOTED = QuotedMessage(
    remote_jid=f"{TO}@s.whatsapp.net", from_me=True, id="3EB0C431C26A1916E0A2", text="Chamado 42"
)

Call = Callable[[MegaAPIClient], Awaitable[Any]]


@pytest.fixture
def gateway() -> Iterator[respx.MockRouter]:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        yield router


@pytest.fixture
async def megaapi() -> AsyncIterator[MegaAPIClient]:
    client = MegaAPIClient(CREDS, timeout=7.0)
    yield client
    await client.aclose()


def _json(request: httpx.Request) -> Any:
    return json.loads(request.content)


# Each client call with the request docs/megaapi-contrato.md prescribes for it: method, path, body.
SENDS: list[tuple[str, Call, str, dict[str, Any]]] = [
    (
        "text",
        lambda c: c.send_text(TO, "Olá, chamado 42 aberto"),
        "text",
        {"to": TO, "text": "Olá, chamado 42 aberto"},
    ),
    (
        "quoted_text",
        lambda c: c.send_quoted_text(TO, "Pode ir amanhã?", QUOTED),
        "quoteMessage",
        {
            "to": TO,
            "text": "Pode ir amanhã?",
            "key": {
                "remoteJid": f"{TO}@s.whatsapp.net",
                "fromMe": True,
                "id": "3EB0C431C26A1916E0A2",
            },
            "message": {"conversation": "Chamado 42"},
        },
    ),
    (
        "quoted_media_without_caption",
        lambda c: c.send_quoted_text(
            TO, "Recebi a foto", QuotedMessage("5521998887777@c.us", False, "ABCD1234", "")
        ),
        "quoteMessage",
        {
            "to": TO,
            "text": "Recebi a foto",
            "key": {"remoteJid": "5521998887777@c.us", "fromMe": False, "id": "ABCD1234"},
            "message": {"conversation": ""},
        },
    ),
    (
        "media_url",
        lambda c: c.send_media_url(
            TO,
            url="https://gmm.example/f/laudo.pdf",
            file_name="laudo.pdf",
            media_type="document",
            mime_type="application/pdf",
            caption="Laudo",
        ),
        "mediaUrl",
        {
            "to": TO,
            "url": "https://gmm.example/f/laudo.pdf",
            "fileName": "laudo.pdf",
            "type": "document",
            "mimeType": "application/pdf",
            "caption": "Laudo",
        },
    ),
    (
        "media_url_sem_legenda",
        lambda c: c.send_media_url(
            TO,
            url="https://gmm.example/f/a.ogg",
            file_name="a.ogg",
            media_type="ptt",
            mime_type="audio/ogg",
        ),
        "mediaUrl",
        {
            "to": TO,
            "url": "https://gmm.example/f/a.ogg",
            "fileName": "a.ogg",
            "type": "ptt",
            "mimeType": "audio/ogg",
        },
    ),
    (
        "media_base64",
        lambda c: c.send_media_base64(
            TO,
            data=PDF,
            file_name="laudo.pdf",
            media_type="document",
            mime_type="application/pdf",
            caption="Laudo",
        ),
        "mediaBase64",
        {
            "to": TO,
            "base64": "data:application/pdf;base64," + base64.b64encode(PDF).decode(),
            "fileName": "laudo.pdf",
            "type": "document",
            "mimeType": "application/pdf",
            "caption": "Laudo",
        },
    ),
    (
        "list",
        lambda c: c.send_list(
            TO,
            button_text="Escolher",
            text="Qual o prazo?",
            title="Chamado 42",
            description="Responda pela lista",
            sections=[
                ListSection(
                    title="Prazo",
                    rows=[
                        ListRow("Hoje", "até 18h", "prazo-hoje"),
                        ("Amanhã", "até 12h", "prazo-amanha"),
                    ],
                ),
                ListSection(title="Outros", rows=[ListRow("Recusar", "", "recusar")]),
            ],
        ),
        "listMessage",
        {
            "to": TO,
            "buttonText": "Escolher",
            "text": "Qual o prazo?",
            "title": "Chamado 42",
            "description": "Responda pela lista",
            "sections": [
                {
                    "title": "Prazo",
                    "rows": [
                        {"title": "Hoje", "description": "até 18h", "rowId": "prazo-hoje"},
                        {"title": "Amanhã", "description": "até 12h", "rowId": "prazo-amanha"},
                    ],
                },
                {
                    "title": "Outros",
                    "rows": [{"title": "Recusar", "description": "", "rowId": "recusar"}],
                },
            ],
            "listType": 0,
        },
    ),
    (
        "buttons",
        lambda c: c.send_buttons(
            TO, text="Aceita o chamado?", footer_text="GMM", buttons=["Sim", "Não"]
        ),
        "templateMessage",
        {
            "to": TO,
            "text": "Aceita o chamado?",
            "footerText": "GMM",
            "buttons": [
                {"type": "replyButton", "title": "Sim"},
                {"type": "replyButton", "title": "Não"},
            ],
        },
    ),
]


def _assert_headers(request: httpx.Request) -> None:
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("call", "kind", "message_data"), [s[1:] for s in SENDS], ids=[s[0] for s in SENDS]
)
async def test_send_request_and_answer(
    gateway: respx.MockRouter,
    megaapi: MegaAPIClient,
    call: Call,
    kind: str,
    message_data: dict[str, Any],
) -> None:
    route = gateway.post(f"/rest/sendMessage/{INSTANCE}/{kind}").respond(200, json=SEND_OK)

    assert await call(megaapi) == MESSAGE_ID

    assert route.call_count == 1
    request = route.calls.last.request
    _assert_headers(request)
    assert _json(request) == {"messageData": message_data}


async def test_quoted_send_goes_to_the_one_quote_path(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    path = QUOTE_MESSAGE_PATH.format(instance_key=INSTANCE)
    route = gateway.post(path).respond(200, json=SEND_OK)

    assert await megaapi.send_quoted_text(TO, "Pode ir amanhã?", QUOTED) == MESSAGE_ID
    assert route.call_count == 1


@pytest.mark.parametrize(
    ("status", "error"), [(404, MegaAPIPermanentError), (503, MegaAPITransientError)]
)
async def test_quoted_send_refusal_classifies_like_any_send(
    gateway: respx.MockRouter, megaapi: MegaAPIClient, status: int, error: type[MegaAPIError]
) -> None:
    # A gateway without the operation answers 404 the way Express does for any
    # unknown route; the product's fallback to a plain text keys on the permanent error.
    gateway.post(f"/rest/sendMessage/{INSTANCE}/quoteMessage").respond(
        status, json={"error": True, "message": f"Cannot POST /rest/sendMessage/{INSTANCE}/x"}
    )

    with pytest.raises(error) as info:
        await megaapi.send_quoted_text(TO, "Pode ir amanhã?", QUOTED)

    assert info.value.status_code == status
    assert "Cannot POST" in info.value.reason


async def test_is_on_whatsapp(gateway: respx.MockRouter, megaapi: MegaAPIClient) -> None:
    route = gateway.get(f"/rest/instance/isOnWhatsApp/{INSTANCE}").respond(
        200, json={"exists": True, "jid": f"{TO}@s.whatsapp.net"}
    )

    answer = await megaapi.is_on_whatsapp(TO)

    assert answer == OnWhatsApp(exists=True, jid=f"{TO}@s.whatsapp.net")
    request = route.calls.last.request
    _assert_headers(request)
    assert request.url.params["jid"] == f"{TO}@s.whatsapp.net"
    assert request.content == b""


async def test_is_on_whatsapp_strips_formatting_and_reads_absent_number(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    route = gateway.get(f"/rest/instance/isOnWhatsApp/{INSTANCE}").respond(
        200, json={"exists": False}
    )

    assert await megaapi.is_on_whatsapp("+55 (11) 98765-4321") == OnWhatsApp(False, None)
    assert route.calls.last.request.url.params["jid"] == f"{TO}@s.whatsapp.net"


async def test_is_on_whatsapp_without_digits_is_refused_locally(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    route = gateway.get(f"/rest/instance/isOnWhatsApp/{INSTANCE}")

    with pytest.raises(MegaAPIPermanentError, match="sem dígitos"):
        await megaapi.is_on_whatsapp("sem número")
    assert not route.called


async def test_instance_status(gateway: respx.MockRouter, megaapi: MegaAPIClient) -> None:
    body = {
        "error": False,
        "instance": {
            "key": INSTANCE,
            "status": "connected",
            "user": {"id": "55119@s.whatsapp.net"},
        },
    }
    route = gateway.get(f"/rest/instance/{INSTANCE}").respond(200, json=body)

    assert await megaapi.instance_status() == InstanceStatus(INSTANCE, "connected", body)
    _assert_headers(route.calls.last.request)


async def test_instance_status_without_instance_object(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    gateway.get(f"/rest/instance/{INSTANCE}").respond(200, json={"error": False})

    assert await megaapi.instance_status() == InstanceStatus(None, None, {"error": False})


async def test_download_media(gateway: respx.MockRouter, megaapi: MegaAPIClient) -> None:
    audio = b"OggS\x00\x02fake-opus"
    data_url = "data:audio/ogg; codecs=opus;base64," + base64.b64encode(audio).decode()
    route = gateway.post(f"/rest/instance/downloadMediaMessage/{INSTANCE}").respond(
        200, json={"error": False, "data": data_url}
    )

    media = await megaapi.download_media(MEDIA_KEYS)

    assert media == DownloadedMedia(mime_type="audio/ogg; codecs=opus", data=audio)
    request = route.calls.last.request
    _assert_headers(request)
    assert _json(request) == {"messageKeys": dict(MEDIA_KEYS)}


async def test_download_media_tolerates_wrapped_base64(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    content = bytes(range(256)) * 4
    encoded = base64.encodebytes(content).decode()  # line-wrapped every 76 characters
    gateway.post(f"/rest/instance/downloadMediaMessage/{INSTANCE}").respond(
        200, json={"error": False, "data": f"data:image/jpeg;base64,{encoded}"}
    )

    media = await megaapi.download_media(MEDIA_KEYS)

    assert media.mime_type == "image/jpeg"
    assert media.data == content


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (base64.b64encode(b"x").decode(), "data:<tipo>;base64"),
        ("data:image/png,naoebase64", "data:<tipo>;base64"),
        ("data:image/png;base64,@@@não-é-base64@@@", "base64 inválido"),
        ("data:image/png;base64,abc", "base64 inválido"),  # wrong padding
        (None, "sem o campo data"),
        (12345, "sem o campo data"),
    ],
)
async def test_download_media_malformed_answer_is_permanent(
    gateway: respx.MockRouter, megaapi: MegaAPIClient, data: Any, reason: str
) -> None:
    body = {"error": False} if data is None else {"error": False, "data": data}
    gateway.post(f"/rest/instance/downloadMediaMessage/{INSTANCE}").respond(200, json=body)

    with pytest.raises(MegaAPIPermanentError, match=reason.replace("+", r"\+")) as info:
        await megaapi.download_media(MEDIA_KEYS)
    assert info.value.transient is False


async def test_media_base64_over_16_mb_is_refused_before_any_call(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    route = gateway.post(f"/rest/sendMessage/{INSTANCE}/mediaBase64")

    with pytest.raises(MegaAPIPermanentError, match="16 MB") as info:
        await megaapi.send_media_base64(
            TO,
            data=b"\0" * (MAX_INLINE_MEDIA_BYTES + 1),
            file_name="video.mp4",
            media_type="video",
            mime_type="video/mp4",
        )
    assert not route.called
    assert info.value.status_code is None


async def test_media_base64_at_exactly_16_mb_goes_out(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    route = gateway.post(f"/rest/sendMessage/{INSTANCE}/mediaBase64").respond(200, json=SEND_OK)

    await megaapi.send_media_base64(
        TO,
        data=b"\0" * MAX_INLINE_MEDIA_BYTES,
        file_name="video.mp4",
        media_type="video",
        mime_type="video/mp4",
    )
    assert route.call_count == 1


async def test_timeouts_are_set_on_every_request(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    route = gateway.post(f"/rest/sendMessage/{INSTANCE}/text").respond(200, json=SEND_OK)

    await megaapi.send_text(TO, "oi")

    timeout = route.calls.last.request.extensions["timeout"]
    assert timeout == {"connect": 5.0, "read": 7.0, "write": 7.0, "pool": 7.0}


# -- error classes ---------------------------------------------------------------

# Every call must classify the same way, so the status tests run through all of them.
ALL_CALLS: list[tuple[str, str, str, Call]] = [
    (name, "POST", f"/rest/sendMessage/{INSTANCE}/{kind}", call) for name, call, kind, _ in SENDS
] + [
    (
        "is_on_whatsapp",
        "GET",
        f"/rest/instance/isOnWhatsApp/{INSTANCE}",
        lambda c: c.is_on_whatsapp(TO),
    ),
    ("instance_status", "GET", f"/rest/instance/{INSTANCE}", lambda c: c.instance_status()),
    (
        "download_media",
        "POST",
        f"/rest/instance/downloadMediaMessage/{INSTANCE}",
        lambda c: c.download_media(MEDIA_KEYS),
    ),
]
CALL_IDS = [c[0] for c in ALL_CALLS]
CALL_PARAMS = [c[1:] for c in ALL_CALLS]


@pytest.mark.parametrize(("method", "path", "call"), CALL_PARAMS, ids=CALL_IDS)
@pytest.mark.parametrize(
    ("status", "words"),
    [
        (401, "recusou o token"),
        (404, "não encontrad"),
        (413, "grande demais"),
        (400, "recusou o pedido"),
        (403, "recusou o pedido"),
        (422, "recusou o pedido"),
    ],
)
async def test_4xx_is_permanent_and_keeps_gateway_message(
    gateway: respx.MockRouter,
    megaapi: MegaAPIClient,
    method: str,
    path: str,
    call: Call,
    status: int,
    words: str,
) -> None:
    gateway.route(method=method, path=path).respond(
        status, json={"error": True, "message": "Motivo do gateway"}
    )

    with pytest.raises(MegaAPIPermanentError) as info:
        await call(megaapi)

    error = info.value
    assert error.status_code == status
    assert error.transient is False
    assert words in error.reason
    assert f"HTTP {status}" in error.reason
    assert error.reason.endswith(": Motivo do gateway")
    assert str(error) == error.reason


@pytest.mark.parametrize(("method", "path", "call"), CALL_PARAMS, ids=CALL_IDS)
@pytest.mark.parametrize("status", [500, 502, 503, 408, 429])
async def test_5xx_408_429_are_transient(
    gateway: respx.MockRouter,
    megaapi: MegaAPIClient,
    method: str,
    path: str,
    call: Call,
    status: int,
) -> None:
    gateway.route(method=method, path=path).respond(
        status, json={"error": True, "message": "tente depois"}
    )

    with pytest.raises(MegaAPITransientError) as info:
        await call(megaapi)

    assert info.value.status_code == status
    assert info.value.transient is True
    assert f"HTTP {status}" in info.value.reason
    assert "tente depois" in info.value.reason


async def test_proxy_html_error_page_is_left_out_of_the_reason(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    gateway.post(f"/rest/sendMessage/{INSTANCE}/text").respond(
        502, text="<html><body><h1>502 Bad Gateway</h1></body></html>"
    )

    with pytest.raises(MegaAPITransientError) as info:
        await megaapi.send_text(TO, "oi")
    assert info.value.reason == "a MegaAPI está com falha (HTTP 502)"


async def test_plain_text_error_body_is_kept(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    gateway.post(f"/rest/sendMessage/{INSTANCE}/text").respond(400, text="to is required")

    with pytest.raises(MegaAPIPermanentError) as info:
        await megaapi.send_text(TO, "oi")
    assert info.value.reason == "a MegaAPI recusou o pedido (HTTP 400): to is required"


async def test_redirect_is_permanent(gateway: respx.MockRouter, megaapi: MegaAPIClient) -> None:
    gateway.post(f"/rest/sendMessage/{INSTANCE}/text").respond(
        302, headers={"Location": "https://login.megaapi.com.br/"}
    )

    with pytest.raises(MegaAPIPermanentError, match="HTTP 302") as info:
        await megaapi.send_text(TO, "oi")
    assert info.value.status_code == 302


@pytest.mark.parametrize(
    ("exc", "phase"),
    [
        (httpx.ConnectTimeout("timed out"), "ao conectar"),
        (httpx.ReadTimeout("timed out"), "esperando a resposta"),
        (httpx.WriteTimeout("timed out"), "enviando o pedido"),
        (httpx.PoolTimeout("timed out"), "conexão livre"),
    ],
)
@pytest.mark.parametrize(("method", "path", "call"), CALL_PARAMS, ids=CALL_IDS)
async def test_timeouts_are_transient(
    gateway: respx.MockRouter,
    megaapi: MegaAPIClient,
    method: str,
    path: str,
    call: Call,
    exc: Exception,
    phase: str,
) -> None:
    gateway.route(method=method, path=path).mock(side_effect=exc)

    with pytest.raises(MegaAPITransientError) as info:
        await call(megaapi)

    assert "não respondeu a tempo" in info.value.reason
    assert phase in info.value.reason
    assert info.value.status_code is None
    assert isinstance(info.value.__cause__, httpx.TimeoutException)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ReadError("connection reset by peer"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ],
    ids=["connect", "read", "protocol"],
)
async def test_connection_failures_are_transient(
    gateway: respx.MockRouter, megaapi: MegaAPIClient, exc: Exception
) -> None:
    gateway.post(f"/rest/sendMessage/{INSTANCE}/text").mock(side_effect=exc)

    with pytest.raises(MegaAPITransientError, match="falha de conexão com a MegaAPI") as info:
        await megaapi.send_text(TO, "oi")
    assert str(exc) in info.value.reason


async def test_unusable_base_url_is_permanent() -> None:
    client = MegaAPIClient(
        MegaAPICredentials(base_url="ftp://megaapi.example", instance_key=INSTANCE, token=TOKEN)
    )
    try:
        with pytest.raises(MegaAPIPermanentError, match="pedido à MegaAPI impossível"):
            await client.send_text(TO, "oi")
    finally:
        await client.aclose()


@pytest.mark.parametrize(("method", "path", "call"), CALL_PARAMS, ids=CALL_IDS)
async def test_200_with_error_true_is_permanent_with_the_message(
    gateway: respx.MockRouter, megaapi: MegaAPIClient, method: str, path: str, call: Call
) -> None:
    gateway.route(method=method, path=path).respond(
        200, json={"error": True, "message": "Número não está no WhatsApp"}
    )

    with pytest.raises(MegaAPIPermanentError) as info:
        await call(megaapi)

    assert info.value.status_code == 200
    assert "recusou o pedido" in info.value.reason
    assert info.value.reason.endswith(": Número não está no WhatsApp")


async def test_long_gateway_message_is_truncated(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    gateway.post(f"/rest/sendMessage/{INSTANCE}/text").respond(
        400, json={"error": True, "message": "x" * 5000}
    )

    with pytest.raises(MegaAPIPermanentError) as info:
        await megaapi.send_text(TO, "oi")
    assert len(info.value.reason) < REASON_MAX_CHARS + 60
    assert info.value.reason.endswith("x…")


async def test_structured_gateway_message_is_kept_as_json(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    gateway.post(f"/rest/sendMessage/{INSTANCE}/text").respond(
        400, json={"error": True, "message": {"to": "required"}}
    )

    with pytest.raises(MegaAPIPermanentError) as info:
        await megaapi.send_text(TO, "oi")
    assert info.value.reason.endswith(': {"to": "required"}')


SEND_CALLS = [(f"/rest/sendMessage/{INSTANCE}/{kind}", call) for _, call, kind, _ in SENDS]
SEND_IDS = [s[0] for s in SENDS]


@pytest.mark.parametrize(("path", "call"), SEND_CALLS, ids=SEND_IDS)
@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (httpx.Response(200, text="OK"), "não é JSON"),
        (httpx.Response(200, content=b""), "não é JSON"),
        (httpx.Response(200, json=[MESSAGE_ID]), "formato inesperado"),
        (httpx.Response(200, json={"error": False}), "sem messageData.key.id"),
        (httpx.Response(200, json={"messageData": {}}), "sem messageData.key.id"),
        (httpx.Response(200, json={"messageData": {"key": {}}}), "sem messageData.key.id"),
        (httpx.Response(200, json={"messageData": {"key": {"id": ""}}}), "sem messageData.key.id"),
        (httpx.Response(200, json={"messageData": {"key": {"id": 42}}}), "sem messageData.key.id"),
        (httpx.Response(200, json={"messageData": "3EB0"}), "sem messageData.key.id"),
    ],
    ids=[
        "texto",
        "vazio",
        "lista",
        "sem-messageData",
        "sem-key",
        "sem-id",
        "id-vazio",
        "id-numero",
        "messageData-texto",
    ],
)
async def test_malformed_send_answer_is_permanent(
    gateway: respx.MockRouter,
    megaapi: MegaAPIClient,
    path: str,
    call: Call,
    answer: httpx.Response,
    reason: str,
) -> None:
    gateway.post(path).mock(return_value=answer)

    with pytest.raises(MegaAPIPermanentError, match=reason) as info:
        await call(megaapi)
    assert info.value.transient is False


@pytest.mark.parametrize("answer", [{"jid": "x"}, {"exists": "sim"}, {"exists": None}])
async def test_is_on_whatsapp_without_exists_is_permanent(
    gateway: respx.MockRouter, megaapi: MegaAPIClient, answer: dict[str, Any]
) -> None:
    gateway.get(f"/rest/instance/isOnWhatsApp/{INSTANCE}").respond(200, json=answer)

    with pytest.raises(MegaAPIPermanentError, match="exists"):
        await megaapi.is_on_whatsapp(TO)


# -- the token stays secret ------------------------------------------------------


def test_token_not_in_credentials_repr() -> None:
    assert TOKEN not in repr(CREDS)
    assert INSTANCE in repr(CREDS)


async def test_token_not_in_client_repr(megaapi: MegaAPIClient) -> None:
    assert TOKEN not in repr(megaapi)


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(401, json={"error": True, "message": f"token {TOKEN} inválido"}),
        httpx.Response(200, json={"error": True, "message": f"Bearer {TOKEN} expirou"}),
        httpx.Response(503, text=f"upstream rejected Bearer {TOKEN}"),
    ],
    ids=["401", "200-error", "503-texto"],
)
async def test_token_echoed_by_gateway_is_scrubbed(
    gateway: respx.MockRouter, megaapi: MegaAPIClient, answer: httpx.Response
) -> None:
    gateway.post(f"/rest/sendMessage/{INSTANCE}/text").mock(return_value=answer)

    with pytest.raises(MegaAPIError) as info:
        await megaapi.send_text(TO, "oi")

    error = info.value
    assert TOKEN not in str(error)
    assert TOKEN not in repr(error)
    assert TOKEN not in error.reason
    assert "***" in error.reason


async def test_logs_mask_the_phone_and_never_show_the_token(
    gateway: respx.MockRouter, megaapi: MegaAPIClient, caplog: pytest.LogCaptureFixture
) -> None:
    gateway.post(f"/rest/sendMessage/{INSTANCE}/text").respond(200, json=SEND_OK)
    gateway.get(f"/rest/instance/isOnWhatsApp/{INSTANCE}").respond(
        200, json={"exists": True, "jid": f"{TO}@s.whatsapp.net"}
    )

    with caplog.at_level(logging.DEBUG, logger="gmm.megaapi.cliente"):
        await megaapi.send_text(TO, "texto que não deve ir ao log")
        await megaapi.is_on_whatsapp(TO)

    ours = "\n".join(r.getMessage() for r in caplog.records if r.name == "gmm.megaapi.cliente")
    assert "*********4321" in ours
    assert MESSAGE_ID in ours
    assert TO not in ours
    assert TOKEN not in ours
    assert "texto que não deve ir ao log" not in ours


def test_mask_phone() -> None:
    assert mask_phone("5511987654321") == "*********4321"
    assert mask_phone("120363025@g.us") == "*****3025@g.us"
    assert mask_phone("123") == "123"
    assert mask_phone(None) == "-"


@pytest.mark.parametrize("cls", [MegaAPITransientError, MegaAPIPermanentError])
def test_errors_survive_pickling(cls: type[MegaAPIError]) -> None:
    # arq stores a failed job's exception pickled.
    error = pickle.loads(pickle.dumps(cls("a MegaAPI está com falha (HTTP 503)", 503)))  # noqa: S301

    assert type(error) is cls
    assert error.reason == "a MegaAPI está com falha (HTTP 503)"
    assert error.status_code == 503
    assert error.transient is (cls is MegaAPITransientError)


# -- the HTTP client's lifetime ------------------------------------------------------


async def test_aclose_closes_only_a_client_it_created() -> None:
    own = MegaAPIClient(CREDS)
    await own.aclose()
    assert own._http.is_closed

    given = httpx.AsyncClient()
    borrowed = MegaAPIClient(CREDS, http=given)
    await borrowed.aclose()
    assert not given.is_closed
    await given.aclose()


async def test_given_client_gets_auth_headers_and_timeouts(gateway: respx.MockRouter) -> None:
    route = gateway.post(f"/rest/sendMessage/{INSTANCE}/text").respond(200, json=SEND_OK)
    async with httpx.AsyncClient(headers={"Authorization": "Bearer outro"}) as given:
        client = MegaAPIClient(CREDS, timeout=3.0, http=given)
        await client.send_text(TO, "oi")

    request = route.calls.last.request
    _assert_headers(request)
    assert request.extensions["timeout"]["read"] == 3.0


async def test_one_pooled_client_serves_every_call(
    gateway: respx.MockRouter, megaapi: MegaAPIClient
) -> None:
    gateway.post(f"/rest/sendMessage/{INSTANCE}/text").respond(200, json=SEND_OK)
    http_before = megaapi._http

    for _ in range(3):
        await megaapi.send_text(TO, "oi")

    assert megaapi._http is http_before
    assert not http_before.is_closed
