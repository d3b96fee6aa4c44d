"""What the simulator remembers: calls received, the active fault, the instance's settings.

All of it lives in one process's memory: the simulator is a test double, and a
restart starting from nothing is what tests want.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import secrets
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

log = logging.getLogger(__name__)

FaultMode = Literal["5xx", "timeout", "429", "401"]

# The simulated instance's own number: the "jid" of every webhook and the user of
# /rest/instance.
SIM_PHONE = "5511900000000"
SIM_JID = f"{SIM_PHONE}@s.whatsapp.net"
SIM_USER = {"id": f"{SIM_PHONE}:1@s.whatsapp.net", "name": "Simulador GMM"}

# Records keep bodies as received so tests can check them, except inline files
# this big, which would make /_sim/requests slow without telling anyone anything.
RECORD_BASE64_MAX_CHARS = 64 * 1024


@dataclass
class Fault:
    mode: FaultMode
    fraction: float
    status: int
    delay_s: float
    expires_at: float | None  # time.monotonic(); None = until cleared

    def expired(self, now: float) -> bool:
        return self.expires_at is not None and now >= self.expires_at

    def describe(self, now: float) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "fraction": self.fraction,
            "status": self.status,
            "delay_s": self.delay_s,
            "remaining_s": None if self.expires_at is None else max(self.expires_at - now, 0.0),
        }


@dataclass
class Record:
    index: int
    method: str
    path: str
    query: str
    json: Any
    time: float  # epoch seconds at arrival
    status: int | None = None
    outcome: str | None = None
    message_id: str | None = None
    # What makes two sends "the same message": the endpoint and its messageData.
    send_key: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "json": self.json,
            "time": self.time,
            "status": self.status,
            "outcome": self.outcome,
            "message_id": self.message_id,
        }


@dataclass
class Features:
    """Gateway operations that can be switched off (``PUT /_sim/features``), so the
    product's fallback for a gateway without them can be tested."""

    # The unpublished "quote message" send: off, its path answers like an unknown route.
    quote_message: bool = True


@dataclass(frozen=True)
class SentMessage:
    """A send the simulator accepted; what a later webhook callback (acks) needs."""

    instance_key: str
    kind: str  # text, quoteMessage, mediaUrl, mediaBase64, listMessage, templateMessage
    message_id: str
    remote_jid: str
    message_data: dict[str, Any]


SendHook = Callable[[SentMessage], Awaitable[None]]


@dataclass(frozen=True)
class IssuedMedia:
    """A file an inbound webhook announced; downloadMediaMessage hands it back by its keys."""

    direct_path: str
    mime_type: str
    content: bytes


def new_message_id() -> str:
    # Baileys ids sent from the web client look like this.
    return "3EB0" + secrets.token_hex(8).upper()


def _for_record(body: Any) -> Any:
    if not isinstance(body, dict) or not isinstance(body.get("messageData"), dict):
        return body
    message_data: dict[str, Any] = body["messageData"]
    inline = message_data.get("base64")
    if not isinstance(inline, str) or len(inline) <= RECORD_BASE64_MAX_CHARS:
        return body
    digest = hashlib.sha256(inline.encode()).hexdigest()
    summary = f"<{len(inline)} caracteres omitidos; sha256 {digest}>"
    return {**body, "messageData": {**message_data, "base64": summary}}


@dataclass
class SimState:
    token: str
    instance_key: str
    latency_s: float = 0.0
    initial_not_on_whatsapp: frozenset[str] = frozenset()
    records: list[Record] = field(default_factory=list)
    fault: Fault | None = None
    rng: random.Random = field(default_factory=random.Random)
    # The webhook given at startup (create_sim_app's webhook_url), which reset() restores.
    initial_webhook: dict[str, Any] | None = None
    # The one in force: the startup one or what configWebhook stored since.
    webhook: dict[str, Any] | None = None
    not_on_whatsapp: set[str] = field(default_factory=set)
    # Files announced by /_sim/inbound, by mediaKey.
    inbound_media: dict[str, IssuedMedia] = field(default_factory=dict)
    # Called after each accepted send, once the answer has gone out.
    send_hooks: list[SendHook] = field(default_factory=list)
    features: Features = field(default_factory=Features)

    def __post_init__(self) -> None:
        self.not_on_whatsapp = set(self.initial_not_on_whatsapp)
        self.webhook = self.initial_webhook

    def reset(self) -> None:
        """Back to how the app started: no records, no fault, the startup webhook (if any),
        every feature on."""
        self.records.clear()
        self.fault = None
        self.features = Features()
        self.webhook = self.initial_webhook
        self.not_on_whatsapp = set(self.initial_not_on_whatsapp)
        self.inbound_media.clear()

    def webhook_url(self) -> str | None:
        """Where callbacks go now: None when no webhook is set or it is disabled."""
        if self.webhook is None or not self.webhook.get("webhookEnabled"):
            return None
        url: str = self.webhook["webhookUrl"]
        return url

    def set_not_on_whatsapp(self, numbers: Iterable[str]) -> None:
        self.not_on_whatsapp = {"".join(c for c in n if c.isdigit()) for n in numbers}

    def record(self, method: str, path: str, query: str, body: Any) -> Record:
        entry = Record(
            index=len(self.records),
            method=method,
            path=path,
            query=query,
            json=_for_record(body),
            time=time.time(),
        )
        self.records.append(entry)
        return entry

    # -- faults --------------------------------------------------------------

    def set_fault(
        self,
        mode: FaultMode,
        *,
        fraction: float,
        duration_s: float | None,
        status: int | None,
        delay_s: float,
        seed: int | None,
    ) -> Fault:
        default_status = {"5xx": 503, "timeout": 504, "429": 429, "401": 401}[mode]
        self.fault = Fault(
            mode=mode,
            fraction=fraction,
            status=status if mode == "5xx" and status is not None else default_status,
            delay_s=delay_s,
            expires_at=None if duration_s is None else time.monotonic() + duration_s,
        )
        if seed is not None:
            self.rng = random.Random(seed)  # noqa: S311 - reproducible tests, not security
        return self.fault

    def active_fault(self) -> Fault | None:
        if self.fault is not None and self.fault.expired(time.monotonic()):
            self.fault = None
        return self.fault

    def fault_for_call(self) -> Fault | None:
        """The fault this call suffers, if any (drawn once per call)."""
        fault = self.active_fault()
        if fault is None:
            return None
        if fault.fraction >= 1.0:
            return fault
        return fault if self.rng.random() < fault.fraction else None

    # -- hooks ---------------------------------------------------------------

    async def run_send_hooks(self, sent: SentMessage) -> None:
        for hook in self.send_hooks:
            try:
                await hook(sent)
            except Exception:
                # A failed callback must not take the simulator down with it.
                log.exception("gancho pós-envio falhou para %s", sent.message_id)

    # -- inspection ----------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        sends = [r for r in self.records if r.send_key is not None]
        ok_keys = Counter(r.send_key for r in sends if r.status == 200)
        received_keys = Counter(r.send_key for r in sends)
        return {
            "total": len(self.records),
            "by_outcome": dict(Counter(r.outcome or "pending" for r in self.records)),
            "by_status": dict(Counter(str(r.status) for r in self.records)),
            "sends": len(sends),
            "sends_ok": sum(ok_keys.values()),
            # Extra copies of one message (same endpoint, same `to` and content)
            # that the gateway accepted: what WhatsApp users would see twice.
            "duplicates": sum(n - 1 for n in ok_keys.values()),
            # Including refused attempts, so retries after faults show up here.
            "duplicates_received": sum(n - 1 for n in received_keys.values()),
        }


def send_key(kind: str, message_data: dict[str, Any]) -> str:
    canonical = json.dumps(message_data, sort_keys=True, ensure_ascii=False)
    return kind + ":" + hashlib.sha256(canonical.encode()).hexdigest()
