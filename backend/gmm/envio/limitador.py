"""Send-rate limiter for MegaAPI, shared by every worker process through Redis.

GCRA (the generic cell rate algorithm, a token bucket kept as one timestamp) in
one Lua script on the Redis server clock. With emission interval
``T = 60 / per_minute`` seconds and tolerance ``τ = (burst - 1)·T``, the stored
TAT (theoretical arrival time) moves forward by T on each allowed send, and a
send at time ``now`` is allowed when ``max(TAT, now) - now ≤ τ``.

What that guarantees, on the Redis clock at the moment each send was allowed
(t₁ ≤ t₂ ≤ … in the order they were allowed):

* any two allowed sends i < j satisfy ``t_j - t_i ≥ (j - i + 1 - burst)·T``;
  with burst 1 consecutive sends are at least T apart; with burst b up to b
  may go back to back, and once that credit is spent the next send waits T
  (time left unused earns credit back, up to b sends' worth);
* hence in any sliding window of length W (half-open, ``[a, a + W)``) at most
  ``burst + ⌈W/T⌉ - 1`` sends are allowed; for the 60 s window that is
  **per_minute + burst - 1**.

T is rounded up to a whole microsecond and all arithmetic is on integer
microseconds, so the bound holds exactly (it costs at most 1 µs per send).
If the Redis clock steps back the TAT stays ahead of it: the limiter gets
stricter for a while, never looser.

Every allowed send is also logged (score = Redis time) in a sorted set trimmed
to the last 60 s in the same script, so ``used_last_60s`` is exact and the set
never holds more than per_minute + burst - 1 entries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from redis.asyncio import Redis

from gmm.core.config import Settings

WINDOW_US = 60_000_000

# KEYS: tat, sent log. ARGV: interval_us, tolerance_us, window_us.
# Answers {allowed, retry_after_us}.
_ACQUIRE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1])) or now
if tat < now then
  tat = now
end
if tat - now > tolerance then
  return {0, tat - tolerance - now}
end
local next_tat = tat + interval
-- The key may vanish only once its TAT is in the past, where it means "now".
redis.call('SET', KEYS[1], next_tat, 'PX', math.floor((next_tat - now) / 1000) + 1000)
-- next_tat grows strictly, so it names each send uniquely even within one µs.
redis.call('ZADD', KEYS[2], now, next_tat)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
redis.call('PEXPIRE', KEYS[2], math.floor(window / 1000))
return {1, 0}
"""

# KEYS: sent log. ARGV: window_us. Sends in (now - window, now].
_USED = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
return redis.call('ZCOUNT', KEYS[1], now - tonumber(ARGV[1]) + 1, '+inf')
"""


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    retry_after: float  # seconds until a slot is free (0 when allowed)


class RateLimiter:
    """At most ``per_minute`` sends a minute across all processes, ``burst`` back to back.

    Exactly: in any sliding 60 s window at most ``per_minute + burst - 1`` sends
    are allowed, and once the burst is spent allowed sends are at least
    ``60 / per_minute`` s apart (see the module docstring for the derivation).
    """

    def __init__(
        self, redis: Redis, *, per_minute: float, burst: int = 1, name: str = "megaapi"
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute deve ser ao menos 1")
        if burst < 1:
            raise ValueError("burst deve ser ao menos 1")
        self.name = name
        self.per_minute = per_minute
        self.burst = burst
        # Rounded up so that the bound above holds with integer arithmetic.
        self._interval_us = math.ceil(WINDOW_US / per_minute)
        self._tolerance_us = (burst - 1) * self._interval_us
        self._tat_key = f"gmm:ratelimit:{name}:tat"
        self._sent_key = f"gmm:ratelimit:{name}:sent"
        self._acquire = redis.register_script(_ACQUIRE)
        self._used = redis.register_script(_USED)
        self._redis = redis

    @classmethod
    def do_produto(cls, redis: Redis, settings: Settings) -> RateLimiter:
        """The budget every worker shares: slots a margin under the configured limit."""
        return cls(
            redis,
            per_minute=settings.rate_limit_per_minute * (1 - settings.rate_limit_margin),
            burst=settings.rate_limit_burst,
        )

    @property
    def emission_interval(self) -> float:
        """T: seconds between sends once the burst is spent."""
        return self._interval_us / 1_000_000

    async def acquire(self) -> RateDecision:
        """Take a send slot if one is free now; otherwise say when the next one is."""
        allowed, retry_us = await self._acquire(
            keys=[self._tat_key, self._sent_key],
            args=[self._interval_us, self._tolerance_us, WINDOW_US],
        )
        return RateDecision(allowed=bool(allowed), retry_after=int(retry_us) / 1_000_000)

    async def used_last_60s(self) -> int:
        """How many sends were allowed in the last 60 s (Redis clock)."""
        return int(await self._used(keys=[self._sent_key], args=[WINDOW_US]))

    async def reset(self) -> None:
        """Forget the budget and the log (admin, tests)."""
        await self._redis.delete(self._tat_key, self._sent_key)
