"""Webhook callbacks: receipts after each accepted send, and inbound events on request.

MegaAPI posts ``message.ack`` 2 (server), 3 (delivered) and 4 (read) to the
configured webhook some time after a send, and real receipts can come twice, out
of order or as an error (docs/megaapi-contrato.md). ``CallbackSettings`` says how the simulator
behaves. A send's receipts are planned the moment it is accepted, so a seed gives
the same plan however the deliveries interleave; a tracked background task then
posts them, never in the send's answer path. Every POST attempt is logged.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import re
import time
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, Literal

import httpx
from pydantic import BaseModel, ConfigDict, Field, model_validator

from gmm.megaapi_sim import payloads
from gmm.megaapi_sim.payloads import Inbound
from gmm.megaapi_sim.state import SentMessage, SimState

log = logging.getLogger(__name__)

# The product's webhook should answer in milliseconds; a stuck one must not pile
# up connections in a long simulator run.
WEBHOOK_TIMEOUT = httpx.Timeout(3.0, connect=1.0)
_SECRET_PARAM = re.compile(r"([?&][^=&#\s]*(?:token|secret|key)[^=&#\s]*=)[^&#\s]*", re.I)

DeliveryKind = Literal["ack", "inbound"]
Outcome = Literal["pending", "delivered", "refused", "failed"]


def mask_secrets(text: str) -> str:
    """``token=...`` (and any other *token*/*secret*/*key* parameter) shown as ``***``."""
    return _SECRET_PARAM.sub(r"\1***", text)


class CallbackSettings(BaseModel):
    """How receipts behave; also the body of ``POST /_sim/callbacks`` (omitted = default)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    acks: bool = Field(True, description="false: nenhum message.ack após os envios")
    server_delay_s: float = Field(0.2, ge=0, le=60, description="ack 2, contado do envio")
    delivered_delay_s: float = Field(0.5, ge=0, le=60, description="ack 3, contado do envio")
    read_delay_s: float = Field(1.0, ge=0, le=60, description="ack 4, contado do envio")
    read: bool = Field(True, description="false: para em entregue (3)")
    duplicate_fraction: float = Field(0.0, ge=0, le=1, description="parte dos acks enviada 2x")
    out_of_order_fraction: float = Field(
        0.0, ge=0, le=1, description="parte das mensagens com acks embaralhados (ex.: 4 antes de 3)"
    )
    error_fraction: float = Field(
        0.0, ge=0, le=1, description="parte das mensagens com status 0 no lugar de 3 (e sem 4)"
    )
    seed: int | None = Field(None, description="torna os sorteios reproduzíveis")
    retries: int = Field(2, ge=0, le=5, description="novas tentativas após 5xx ou falha de rede")
    retry_backoff_s: float = Field(
        0.2, ge=0, le=5, description="espera antes da 1ª nova tentativa; dobra a cada uma"
    )

    @model_validator(mode="after")
    def _delays_in_order(self) -> CallbackSettings:
        # Out-of-order receipts have their own knob; delays stay a timeline.
        if not self.server_delay_s <= self.delivered_delay_s <= self.read_delay_s:
            raise ValueError("os atrasos devem ser crescentes: server ≤ delivered ≤ read")
        return self


@dataclass
class Delivery:
    """One POST attempt to the webhook."""

    index: int
    kind: DeliveryKind
    message_id: str | None
    url: str  # secrets masked
    payload: dict[str, Any]
    time: float  # epoch seconds when the POST went out
    attempt: int
    duplicate: bool
    response_status: int | None = None
    error: str | None = None
    outcome: Outcome = "pending"

    def as_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "kind": self.kind,
            "message_id": self.message_id,
            "url": self.url,
            "payload": self.payload,
            "time": self.time,
            "attempt": self.attempt,
            "duplicate": self.duplicate,
            "response_status": self.response_status,
            "error": self.error,
            "outcome": self.outcome,
        }


@dataclass(frozen=True)
class PlannedAck:
    status: int
    at_s: float  # after the send
    copies: int


class Callbacks:
    """Posts MegaAPI's webhook events for one simulator; ``on_send`` is its send hook."""

    def __init__(
        self,
        sim: SimState,
        settings: CallbackSettings | None = None,
        *,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self._sim = sim
        self._initial = settings or CallbackSettings()
        # An injected client (tests route it to an in-process app) belongs to the caller.
        self._http = http
        self._owns_http = http is None
        self._tasks: set[asyncio.Task[None]] = set()
        self.log: list[Delivery] = []
        self.configure(self._initial)

    # -- settings ------------------------------------------------------------

    @property
    def settings(self) -> CallbackSettings:
        return self._settings

    def configure(self, settings: CallbackSettings) -> None:
        self._settings = settings
        self._rng = random.Random(settings.seed)  # noqa: S311 - reproducible tests, not security

    @property
    def pending(self) -> int:
        """Messages whose receipts are still to be posted."""
        return sum(not task.done() for task in self._tasks)

    def describe(self) -> dict[str, Any]:
        url = self._sim.webhook_url()
        return {
            "settings": self._settings.model_dump(),
            "webhook_url": None if url is None else mask_secrets(url),
            "pending": self.pending,
        }

    def reset(self) -> None:
        """Startup settings, empty log, and no receipt of an earlier send still to come."""
        self._cancel_all()
        self.log.clear()
        self.configure(self._initial)

    async def aclose(self) -> None:
        tasks = self._cancel_all()
        await asyncio.gather(*tasks, return_exceptions=True)
        if self._owns_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    # -- receipts ------------------------------------------------------------

    async def on_send(self, sent: SentMessage) -> None:
        if not self._settings.acks or self._sim.webhook_url() is None:
            return
        plan = self.plan()
        start = asyncio.get_running_loop().time()
        self._spawn(self._post_acks(sent, plan, start))

    def plan(self) -> list[PlannedAck]:
        """The receipts of one send: which statuses, when, and how many copies of each."""
        s, rng = self._settings, self._rng
        # A fixed number of draws per send, in send order: one seed, one plan.
        shuffled = rng.random() < s.out_of_order_fraction
        failed = rng.random() < s.error_fraction
        statuses = [2, 0] if failed else [2, 3, 4] if s.read else [2, 3]
        times = [s.server_delay_s, s.delivered_delay_s, s.read_delay_s][: len(statuses)]
        if shuffled:
            # Any order but the right one, so "out of order" always shows.
            orders = [list(p) for p in itertools.permutations(statuses) if list(p) != statuses]
            statuses = rng.choice(orders)
        return [
            PlannedAck(status, at_s, 2 if rng.random() < s.duplicate_fraction else 1)
            for status, at_s in zip(statuses, times, strict=True)
        ]

    async def _post_acks(self, sent: SentMessage, plan: list[PlannedAck], start: float) -> None:
        loop = asyncio.get_running_loop()
        for planned in plan:
            wait = start + planned.at_s - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            # Read at each receipt: MegaAPI posts wherever the webhook points by then.
            url = self._sim.webhook_url()
            if url is None:
                return
            payload = payloads.ack(
                sent.instance_key, sent.remote_jid, sent.message_id, planned.status
            )
            for copy in range(planned.copies):
                await self.post(
                    url, payload, kind="ack", message_id=sent.message_id, duplicate=copy > 0
                )

    # -- inbound -------------------------------------------------------------

    async def send_inbound(self, event: Inbound) -> Delivery | None:
        """Post an inbound event now; None when no webhook is configured."""
        url = self._sim.webhook_url()
        if url is None:
            return None
        return await self.post(url, event.payload, kind="inbound", message_id=event.message_id)

    # -- the one door every POST goes through ------------------------------------

    async def post(
        self,
        url: str,
        payload: dict[str, Any],
        *,
        kind: DeliveryKind,
        message_id: str | None,
        duplicate: bool = False,
    ) -> Delivery:
        """POST with retries as MegaAPI would: 5xx and network errors again, 4xx never."""
        settings = self._settings
        attempts = settings.retries + 1
        for attempt in range(1, attempts + 1):
            delivery = Delivery(
                index=len(self.log),
                kind=kind,
                message_id=message_id,
                url=mask_secrets(url),
                payload=payload,
                time=time.time(),
                attempt=attempt,
                duplicate=duplicate,
            )
            self.log.append(delivery)
            try:
                response = await self._client().post(url, json=payload)
            except (httpx.HTTPError, httpx.InvalidURL) as exc:
                detail = str(exc) or "sem detalhes"
                delivery.error = mask_secrets(f"{type(exc).__name__}: {detail}")
            else:
                delivery.response_status = response.status_code
            status = delivery.response_status
            if status is not None and status < 500:
                delivery.outcome = "delivered" if status < 400 else "refused"
                return delivery
            delivery.outcome = "failed"
            if attempt < attempts:
                await asyncio.sleep(settings.retry_backoff_s * 2 ** (attempt - 1))
        return delivery

    def _client(self) -> httpx.AsyncClient:
        # Made on first use, inside the running loop, and shared by every delivery.
        if self._http is None:
            self._http = httpx.AsyncClient(
                timeout=WEBHOOK_TIMEOUT, headers={"User-Agent": "megaapi-sim (GMM)"}
            )
        return self._http

    # -- task tracking ---------------------------------------------------------

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (error := task.exception()) is not None:
            log.error("entrega de callbacks falhou", exc_info=error)

    def _cancel_all(self) -> list[asyncio.Task[None]]:
        tasks = list(self._tasks)
        for task in tasks:
            task.cancel()
        # Forgotten at once: a reset answers with nothing pending.
        self._tasks.clear()
        return tasks
