"""Circuit breaker in front of MegaAPI, shared by every worker process through Redis.

CLOSED lets every call through and counts consecutive transient failures; at
``failure_threshold`` it opens. OPEN rejects at once (nothing reaches MegaAPI)
until ``reset_seconds`` after ``opened_at``. Then exactly one caller, across all
processes, gets the probe: a lease key with an expiry, so a probe whose worker
died frees itself. While the probe is out the others are rejected with a short
``retry_after`` (HALF_OPEN). The probe's success closes the breaker; its failure
reopens it with a fresh ``opened_at``.

Every decision runs in one Lua script on the Redis server clock, so processes
with skewed clocks agree and no decision is ever taken from process memory.

Stale reports. Each decision carries the breaker's *epoch*, bumped on every
transition (open, reopen, close, reset). A report counts only in the epoch its
call started in: a call that was in flight when the breaker opened cannot close
it, nor push ``opened_at`` forward, nor count against a breaker that has since
closed again. While open only the probe that holds the lease decides; a probe
whose lease expired and was handed to another caller is ignored.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from redis.asyncio import Redis

from gmm.core.config import Settings

log = logging.getLogger(__name__)

BreakerStatus = Literal["CLOSED", "OPEN", "HALF_OPEN"]
_STATUSES: dict[str, BreakerStatus] = {"CLOSED": "CLOSED", "OPEN": "OPEN", "HALF_OPEN": "HALF_OPEN"}

# While the probe is out the others are told to come back soon: the probe's
# answer usually takes one HTTP call, far less than the lease.
HALF_OPEN_RETRY_S = 1.0
MIN_PROBE_LEASE_S = 30.0

# KEYS: state hash, probe lease. ARGV: reset_us, lease_ms, busy_retry_us.
# Answers {allowed, probe, retry_after_us, epoch, lease}.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local state = redis.call('HMGET', KEYS[1], 'status', 'opened_at', 'epoch')
local epoch = tonumber(state[3]) or 0
if state[1] ~= 'OPEN' then
  return {1, 0, 0, epoch, 0}
end
local wait = tonumber(state[2]) + tonumber(ARGV[1]) - now
if wait > 0 then
  return {0, 0, wait, epoch, 0}
end
if redis.call('EXISTS', KEYS[2]) == 1 then
  -- PTTL rounds down and a key lives through its last millisecond: + 1 ms
  -- makes "retry after" mean the lease is surely gone by then.
  local left = (redis.call('PTTL', KEYS[2]) + 1) * 1000
  return {0, 0, math.max(1000, math.min(left, tonumber(ARGV[3]))), epoch, 0}
end
local lease = redis.call('HINCRBY', KEYS[1], 'probe_seq', 1)
redis.call('SET', KEYS[2], lease, 'PX', ARGV[2])
return {1, 1, 0, epoch, lease}
"""

# KEYS: state hash, probe lease. ARGV: success (1/0), probe (1/0), epoch, lease,
# threshold. Answers what happened, for the log.
_RECORD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local state = redis.call('HMGET', KEYS[1], 'status', 'epoch')
local epoch = tonumber(state[2]) or 0
if tonumber(ARGV[3]) ~= epoch then
  return 'stale'
end
local success = ARGV[1] == '1'
local probe = ARGV[2] == '1'
if state[1] ~= 'OPEN' then
  if probe then
    return 'ignored'
  end
  if success then
    redis.call('HSET', KEYS[1], 'failures', 0)
    return 'success'
  end
  local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
  if failures < tonumber(ARGV[5]) then
    return 'counted'
  end
  redis.call('HSET', KEYS[1], 'status', 'OPEN', 'opened_at', now, 'epoch', epoch + 1)
  redis.call('DEL', KEYS[2])
  return 'opened'
end
if not probe then
  return 'ignored'
end
local holder = redis.call('GET', KEYS[2])
if holder and holder ~= ARGV[4] then
  return 'superseded'
end
redis.call('DEL', KEYS[2])
if success then
  redis.call('HSET', KEYS[1], 'status', 'CLOSED', 'failures', 0, 'epoch', epoch + 1)
  redis.call('HDEL', KEYS[1], 'opened_at')
  return 'closed'
end
redis.call('HINCRBY', KEYS[1], 'failures', 1)
redis.call('HSET', KEYS[1], 'opened_at', now, 'epoch', epoch + 1)
return 'reopened'
"""

# KEYS: state hash. ARGV: reset_us. Answers {status, failures, opened_at_us or -1}.
_SNAPSHOT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local state = redis.call('HMGET', KEYS[1], 'status', 'failures', 'opened_at')
local failures = tonumber(state[2]) or 0
if state[1] ~= 'OPEN' then
  return {'CLOSED', failures, -1}
end
local opened = tonumber(state[3])
if now - opened < tonumber(ARGV[1]) then
  return {'OPEN', failures, opened}
end
return {'HALF_OPEN', failures, opened}
"""

# The epoch moves on (instead of starting over) so decisions taken before a
# reset stay stale after it.
_RESET = """
redis.call('HINCRBY', KEYS[1], 'epoch', 1)
redis.call('HSET', KEYS[1], 'status', 'CLOSED', 'failures', 0)
redis.call('HDEL', KEYS[1], 'opened_at')
redis.call('DEL', KEYS[2])
return 1
"""


@dataclass(frozen=True)
class BreakerDecision:
    """The answer to ``acquire()``; hand it back unchanged to ``record_*``.

    ``epoch`` and ``lease`` are the breaker's bookkeeping (which state the call
    started in, which probe lease it holds); callers need not read them.
    """

    allowed: bool
    probe: bool  # True when this caller holds the single half-open probe lease
    retry_after: float  # seconds to wait when not allowed (0 when allowed)
    epoch: int = 0
    lease: int = 0


@dataclass(frozen=True)
class BreakerSnapshot:
    """The breaker as the metrics see it.

    HALF_OPEN means the wait is over: a probe is out or the next caller gets it.
    ``failure_count`` is the run of consecutive failures (it keeps counting the
    probes that failed while open); ``opened_at`` is None when closed.
    """

    status: BreakerStatus
    failure_count: int
    threshold: int
    opened_at: datetime | None  # UTC, aware


def _micros(seconds: float) -> int:
    return math.ceil(seconds * 1_000_000)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class CircuitBreaker:
    def __init__(
        self,
        redis: Redis,
        *,
        failure_threshold: int,
        reset_seconds: float,
        name: str = "megaapi",
        probe_lease_seconds: float | None = None,
    ) -> None:
        if failure_threshold < 1:
            raise ValueError("failure_threshold deve ser ao menos 1")
        if reset_seconds <= 0:
            raise ValueError("reset_seconds deve ser positivo")
        lease = (
            max(reset_seconds, MIN_PROBE_LEASE_S)
            if probe_lease_seconds is None
            else probe_lease_seconds
        )
        if lease <= 0:
            raise ValueError("probe_lease_seconds deve ser positivo")
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_seconds = reset_seconds
        self.probe_lease_seconds = lease
        self._keys = [f"gmm:breaker:{name}:state", f"gmm:breaker:{name}:probe"]
        self._reset_us = _micros(reset_seconds)
        self._lease_ms = math.ceil(lease * 1000)
        self._busy_retry_us = _micros(min(HALF_OPEN_RETRY_S, reset_seconds))
        self._acquire = redis.register_script(_ACQUIRE)
        self._record = redis.register_script(_RECORD)
        self._snapshot = redis.register_script(_SNAPSHOT)
        self._reset = redis.register_script(_RESET)

    @classmethod
    def do_produto(cls, redis: Redis, settings: Settings) -> CircuitBreaker:
        """The breaker every worker and API process shares for MegaAPI."""
        return cls(
            redis,
            failure_threshold=settings.breaker_failure_threshold,
            reset_seconds=settings.breaker_reset_seconds,
        )

    async def acquire(self) -> BreakerDecision:
        """May a call to MegaAPI go out now? Never blocks; a rejection says how long to wait."""
        allowed, probe, retry_us, epoch, lease = await self._acquire(
            keys=self._keys, args=[self._reset_us, self._lease_ms, self._busy_retry_us]
        )
        return BreakerDecision(
            allowed=bool(allowed),
            probe=bool(probe),
            retry_after=int(retry_us) / 1_000_000,
            epoch=int(epoch),
            lease=int(lease),
        )

    async def record_success(self, decision: BreakerDecision) -> None:
        """The allowed call reached MegaAPI and got an answer."""
        await self._report(decision, success=True)

    async def record_failure(self, decision: BreakerDecision) -> None:
        """The allowed call failed transiently (5xx, 408, 429, timeout); not for 4xx."""
        await self._report(decision, success=False)

    async def _report(self, decision: BreakerDecision, *, success: bool) -> None:
        if not decision.allowed:
            # Nothing was called, so there is nothing to learn about the gateway.
            raise ValueError("só se registra o resultado de uma chamada permitida")
        outcome = _text(
            await self._record(
                keys=self._keys,
                args=[
                    int(success),
                    int(decision.probe),
                    decision.epoch,
                    decision.lease,
                    self.failure_threshold,
                ],
            )
        )
        if outcome == "opened":
            log.warning(
                "circuit breaker %s aberto após %d falha(s) seguida(s); nova tentativa em %g s",
                self.name,
                self.failure_threshold,
                self.reset_seconds,
            )
        elif outcome == "reopened":
            log.warning("circuit breaker %s: a sonda falhou, aberto de novo", self.name)
        elif outcome == "closed":
            log.info("circuit breaker %s fechado: a sonda teve sucesso", self.name)

    async def snapshot(self) -> BreakerSnapshot:
        status, failures, opened_us = await self._snapshot(
            keys=self._keys[:1], args=[self._reset_us]
        )
        opened = int(opened_us)
        opened_at = None
        if opened >= 0:
            seconds, micros = divmod(opened, 1_000_000)
            opened_at = datetime.fromtimestamp(seconds, UTC).replace(microsecond=micros)
        return BreakerSnapshot(
            status=_STATUSES[_text(status)],
            failure_count=int(failures),
            threshold=self.failure_threshold,
            opened_at=opened_at,
        )

    async def reset(self) -> None:
        """Close the breaker and forget failures and probes (admin, tests)."""
        await self._reset(keys=self._keys)
