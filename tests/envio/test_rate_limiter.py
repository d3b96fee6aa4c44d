"""The shared GCRA limiter against a real Redis, including two OS processes.

Allowed sends are checked on the times the limiter's own script read from the
Redis clock when it allowed them (its 60 s log), so the assertions are exact
bounds of the algorithm, not wall-clock guesses. The bound checked everywhere:
allowed sends i < j (in order) satisfy ``t_j - t_i ≥ (j - i + 1 - burst)·T``,
which is the same as "at most burst + ⌈W/T⌉ - 1 sends in any window [a, a + W)",
and for W = 60 s that is per_minute + burst - 1.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import sys

import pytest
from redis.asyncio import Redis

from gmm.envio.limitador import RateLimiter

PER_MINUTE = 600
T_US = 100_000  # 60 s / 600


async def _allowed_times(redis: Redis, name: str = "megaapi") -> list[int]:
    """Redis time (µs) of every send allowed in the last 60 s, oldest first."""
    log = await redis.zrange(f"gmm:ratelimit:{name}:sent", 0, -1, withscores=True)
    return sorted(int(score) for _, score in log)


def _assert_within_rate(times: list[int], *, burst: int, interval_us: int) -> None:
    for i in range(len(times)):
        for j in range(i + 1, len(times)):
            least = (j - i + 1 - burst) * interval_us
            assert times[j] - times[i] >= least, (i, j, times[j] - times[i], least)


def _most_in_window(times: list[int], window_us: int) -> int:
    """The most sends in any window [a, a + window) (it suffices to start at a send)."""
    most, j = 0, 0
    for i, start in enumerate(times):
        j = max(j, i)
        while j < len(times) and times[j] < start + window_us:
            j += 1
        most = max(most, j - i)
    return most


def _bound(window_us: int, *, burst: int, interval_us: int) -> int:
    return burst + math.ceil(window_us / interval_us) - 1


async def _hammer(limiter: RateLimiter, seconds: float) -> int:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    allowed = 0
    while loop.time() < deadline:
        decision = await limiter.acquire()
        if decision.allowed:
            assert decision.retry_after == 0
            allowed += 1
        else:
            assert 0 < decision.retry_after <= limiter.emission_interval
    return allowed


async def test_tight_loop_never_exceeds_the_rate(redis_client: Redis) -> None:
    limiter = RateLimiter(redis_client, per_minute=PER_MINUTE)

    allowed = await _hammer(limiter, 2.0)

    times = await _allowed_times(redis_client)
    assert len(times) == allowed  # every allowed send is in the log
    _assert_within_rate(times, burst=1, interval_us=T_US)
    for window_us in (T_US, 500_000, 1_000_000, 60_000_000):
        bound = _bound(window_us, burst=1, interval_us=T_US)
        assert _most_in_window(times, window_us) <= bound
    # Not stricter than asked either: a 2 s loop gets ~20; half is a loose floor.
    assert allowed >= 10


async def test_spacing_after_burst_is_at_least_the_interval(redis_client: Redis) -> None:
    limiter = RateLimiter(redis_client, per_minute=PER_MINUTE)
    await _hammer(limiter, 0.4)

    times = await _allowed_times(redis_client)
    assert len(times) >= 3
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # Integer microseconds on one clock: no tolerance is needed.
    assert min(gaps) >= T_US


async def test_retry_after_is_accurate(redis_client: Redis) -> None:
    limiter = RateLimiter(redis_client, per_minute=PER_MINUTE)
    assert (await limiter.acquire()).allowed

    for _ in range(5):
        rejected = await limiter.acquire()
        assert not rejected.allowed
        assert 0 < rejected.retry_after <= 0.1
        await asyncio.sleep(rejected.retry_after)
        assert (await limiter.acquire()).allowed

    _assert_within_rate(await _allowed_times(redis_client), burst=1, interval_us=T_US)


async def test_burst_goes_back_to_back_then_spaced(redis_client: Redis) -> None:
    limiter = RateLimiter(redis_client, per_minute=PER_MINUTE, burst=3)

    first = [await limiter.acquire() for _ in range(3)]
    assert all(d.allowed and d.retry_after == 0 for d in first)
    fourth = await limiter.acquire()
    assert not fourth.allowed and 0 < fourth.retry_after <= 0.1

    allowed = 3 + await _hammer(limiter, 0.5)

    times = await _allowed_times(redis_client)
    assert len(times) == allowed
    # Send k (from 0) is at least (k - 2)·T after the first. Consecutive gaps may
    # dip below T: a send that went out late leaves credit the next one uses,
    # which is what a burst allowance means; the pairwise bound is the guarantee.
    _assert_within_rate(times, burst=3, interval_us=T_US)
    assert times[3] - times[0] >= T_US  # burst spent: the 4th waits T from the first
    assert _most_in_window(times, 500_000) <= _bound(500_000, burst=3, interval_us=T_US)


async def test_used_last_60s(redis_client: Redis) -> None:
    limiter = RateLimiter(redis_client, per_minute=PER_MINUTE, burst=5)
    assert await limiter.used_last_60s() == 0

    decisions = [await limiter.acquire() for _ in range(7)]
    # The burst is always there; the last two are refused unless 0.1 s went by.
    assert all(d.allowed for d in decisions[:5])
    used = sum(d.allowed for d in decisions)
    assert await limiter.used_last_60s() == used  # refusals are not sends

    # Sends older than 60 s stop counting, and the next send drops them from the log.
    sent_key = "gmm:ratelimit:megaapi:sent"
    now_s, now_us = await redis_client.time()
    old = now_s * 1_000_000 + now_us - 61_000_000
    await redis_client.zadd(sent_key, {"old-1": old, "old-2": old + 1})
    assert await limiter.used_last_60s() == used
    decision = await limiter.acquire()
    while not decision.allowed:
        await asyncio.sleep(decision.retry_after)
        decision = await limiter.acquire()
    assert await limiter.used_last_60s() == used + 1
    assert await redis_client.zcard(sent_key) == used + 1

    await limiter.reset()
    assert await limiter.used_last_60s() == 0
    assert (await limiter.acquire()).allowed


async def test_limiters_are_namespaced(redis_client: Redis) -> None:
    megaapi = RateLimiter(redis_client, per_minute=1)
    other = RateLimiter(redis_client, per_minute=1, name="outro")
    assert (await megaapi.acquire()).allowed
    minute = await megaapi.acquire()
    assert not minute.allowed and 50 < minute.retry_after <= 60

    assert (await other.acquire()).allowed
    assert await megaapi.used_last_60s() == 1
    keys = await redis_client.keys("*")
    assert all(k.startswith(("gmm:ratelimit:megaapi:", "gmm:ratelimit:outro:")) for k in keys)


async def test_works_with_a_bytes_client(redis_url: str, redis_client: Redis) -> None:
    raw = Redis.from_url(redis_url)  # decode_responses off, as arq's pool has it
    try:
        limiter = RateLimiter(raw, per_minute=PER_MINUTE)
        assert (await limiter.acquire()).allowed
        assert not (await limiter.acquire()).allowed
        assert await limiter.used_last_60s() == 1
    finally:
        await raw.aclose()


def test_rejects_nonsense_settings() -> None:
    redis = Redis()  # never connects: the checks come first
    with pytest.raises(ValueError):
        RateLimiter(redis, per_minute=0)
    with pytest.raises(ValueError):
        RateLimiter(redis, per_minute=60, burst=0)
    # An interval that is not a whole microsecond is rounded up, never down.
    assert RateLimiter(redis, per_minute=7).emission_interval == 8.571429


# One process of the two-process test: waits for "go" on stdin, then four
# coroutines hammer acquire() for the given seconds; prints how many it got.
_HAMMER = """
import asyncio, json, sys
from redis.asyncio import Redis
from gmm.envio.limitador import RateLimiter

async def main(url, per_minute, seconds):
    redis = Redis.from_url(url)
    limiter = RateLimiter(redis, per_minute=per_minute)
    await redis.ping()
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    counts = {"allowed": 0, "calls": 0}

    async def hammer():
        while loop.time() < deadline:
            decision = await limiter.acquire()
            counts["calls"] += 1
            if decision.allowed:
                counts["allowed"] += 1
            else:
                # Come back well before the slot frees: the worst case for the limiter.
                await asyncio.sleep(min(decision.retry_after, 0.002))

    await asyncio.gather(*(hammer() for _ in range(4)))
    print(json.dumps(counts), flush=True)
    await redis.aclose()

asyncio.run(main(sys.argv[1], int(sys.argv[2]), float(sys.argv[3])))
"""


async def _spawn(*args: str) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        _HAMMER,
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 30)
    assert line.strip() == b"ready", line
    return process


async def test_two_processes_together_never_exceed_the_rate(
    redis_client: Redis, redis_url: str
) -> None:
    processes = [await _spawn(redis_url, str(PER_MINUTE), "3.0") for _ in range(2)]
    try:
        for process in processes:
            assert process.stdin is not None
            process.stdin.write(b"go\n")
            await process.stdin.drain()
        outputs = [await asyncio.wait_for(p.communicate(), 30) for p in processes]
    finally:
        for process in processes:
            if process.returncode is None:
                process.kill()
                await process.wait()

    assert all(p.returncode == 0 for p in processes)
    results = [json.loads(stdout) for stdout, _ in outputs]
    assert all(r["allowed"] > 0 for r in results)  # both really shared the budget
    times = await _allowed_times(redis_client)
    assert len(times) == sum(r["allowed"] for r in results)
    _assert_within_rate(times, burst=1, interval_us=T_US)
    for window_us in (500_000, 1_000_000, 2_000_000, 60_000_000):
        bound = _bound(window_us, burst=1, interval_us=T_US)
        assert _most_in_window(times, window_us) <= bound
