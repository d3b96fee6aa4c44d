"""The requests of the webhook benchmark, shared by it and its load generator.

Event ``k`` of a scenario is always the same request, so each step of a run (and each
process of the load generator) takes a range of ``k`` of its own: no inbound text is
sent twice, so none takes the cheaper duplicate path.
"""

from __future__ import annotations

import json
from collections.abc import Callable

CONTRATADOS = 1000  # contractors, each with one open chamado
ENVIADAS = 2 * CONTRATADOS  # our sent messages, the receipts' targets

Corpo = tuple[str, bytes | None]


def telefone(i: int) -> str:
    return f"551197{i:07d}"


def texto(i: int, megaapi_id: str | None = None, carimbo: int = 1_795_000_000) -> dict[str, object]:
    return {
        "messageType": "conversation",
        "key": {"remoteJid": f"{telefone(i % CONTRATADOS)}@s.whatsapp.net", "fromMe": False,
                "id": megaapi_id or f"BENCHIN{i:08d}"},
        "messageTimestamp": carimbo,
        "message": {"conversation": f"Resposta {i}"},
    }  # fmt: skip


def ack(i: int, status: int = 3) -> dict[str, object]:
    return {
        "messageType": "message.ack",
        "key": {"remoteJid": f"{telefone(i % CONTRATADOS)}@s.whatsapp.net", "fromMe": True,
                "id": f"BENCHOUT{i:08d}"},
        "update": {"status": status},
    }  # fmt: skip


def rajada_corpo(i: int) -> dict[str, object]:
    """Event ``i`` of the burst, all for contractor 0: texts (in WhatsApp's order) and
    receipts for its chamado's sent messages, alternating."""
    if i % 2:
        return ack(0 if i % 4 == 1 else CONTRATADOS, 3 + i % 4 // 2)
    return texto(0, f"BURST{i:08d}", 1_795_000_000 + i)


def _json(corpo: dict[str, object]) -> bytes:
    return json.dumps(corpo).encode()


def mistura(token: str) -> Callable[[int], Corpo]:
    """Half inbound texts from the 1,000 contractors, half receipts (delivered, then
    read) for our sent messages."""
    url = f"/webhook/whatsapp?token={token}"

    def corpo(k: int) -> Corpo:
        i = k // 2
        if k % 2 == 0:
            return url, _json(texto(i))
        return url, _json(ack(i % ENVIADAS, 3 + (i // ENVIADAS) % 2))

    return corpo


def rajada(token: str) -> Callable[[int], Corpo]:
    url = f"/webhook/whatsapp?token={token}"
    return lambda k: (url, _json(rajada_corpo(k)))


def healthz(_token: str) -> Callable[[int], Corpo]:
    return lambda _k: ("/healthz", None)


CENARIOS: dict[str, Callable[[str], Callable[[int], Corpo]]] = {
    "mistura": mistura,
    "rajada": rajada,
    "healthz": healthz,
}
