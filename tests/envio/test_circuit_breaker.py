"""The shared circuit breaker against a real Redis, including two OS processes."""

from __future__ import annotations

import asyncio
import json
import sys

import pytest
from redis.asyncio import Redis

from gmm.envio.breaker import BreakerDecision, CircuitBreaker

# Short enough to keep the file quick, long enough that a test's own Redis
# round trips never reach it by accident.
RESET_S = 0.3
LONG_RESET_S = 30.0


async def _fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        decision = await breaker.acquire()
        assert decision.allowed and not decision.probe
        await breaker.record_failure(decision)


async def _wait_for_probe_window(breaker: CircuitBreaker) -> None:
    """Sleep exactly what the breaker says is left of the open period."""
    decision = await breaker.acquire()
    assert not decision.allowed
    await asyncio.sleep(decision.retry_after)


async def _open_probe(breaker: CircuitBreaker) -> BreakerDecision:
    await _fail(breaker, breaker.failure_threshold)
    await _wait_for_probe_window(breaker)
    probe = await breaker.acquire()
    assert probe.allowed and probe.probe and probe.retry_after == 0
    return probe


async def test_opens_after_exactly_n_consecutive_failures(redis_client: Redis) -> None:
    breaker = CircuitBreaker(redis_client, failure_threshold=3, reset_seconds=LONG_RESET_S)

    await _fail(breaker, 2)
    snap = await breaker.snapshot()
    assert (snap.status, snap.failure_count, snap.opened_at) == ("CLOSED", 2, None)

    # A success in between breaks the run: two more failures do not open it.
    ok = await breaker.acquire()
    await breaker.record_success(ok)
    assert (await breaker.snapshot()).failure_count == 0
    await _fail(breaker, 2)
    assert (await breaker.snapshot()).status == "CLOSED"

    await _fail(breaker, 1)
    snap = await breaker.snapshot()
    assert snap.status == "OPEN"
    assert snap.failure_count == 3
    assert snap.threshold == 3
    assert snap.opened_at is not None and snap.opened_at.utcoffset() is not None

    rejected = await breaker.acquire()
    assert not rejected.allowed and not rejected.probe
    assert 0 < rejected.retry_after <= LONG_RESET_S


async def test_opened_at_is_the_redis_clock(redis_client: Redis) -> None:
    breaker = CircuitBreaker(redis_client, failure_threshold=1, reset_seconds=LONG_RESET_S)
    before_s, before_us = await redis_client.time()
    await _fail(breaker, 1)
    after_s, after_us = await redis_client.time()

    opened_at = (await breaker.snapshot()).opened_at
    assert opened_at is not None
    assert before_s + before_us / 1e6 <= opened_at.timestamp() <= after_s + after_us / 1e6


async def test_retry_after_shrinks_with_time(redis_client: Redis) -> None:
    breaker = CircuitBreaker(redis_client, failure_threshold=1, reset_seconds=LONG_RESET_S)
    await _fail(breaker, 1)

    first = await breaker.acquire()
    await asyncio.sleep(0.05)
    second = await breaker.acquire()
    assert not first.allowed and not second.allowed
    # The second decision was taken at least 50 ms of server time later.
    assert first.retry_after - second.retry_after >= 0.05 - 1e-6
    assert second.retry_after > 0


async def test_one_probe_among_concurrent_callers(redis_client: Redis) -> None:
    breaker = CircuitBreaker(redis_client, failure_threshold=2, reset_seconds=RESET_S)
    await _fail(breaker, 2)
    await _wait_for_probe_window(breaker)

    decisions = await asyncio.gather(*(breaker.acquire() for _ in range(50)))

    allowed = [d for d in decisions if d.allowed]
    assert len(allowed) == 1 and allowed[0].probe
    for d in decisions:
        if not d.allowed:
            assert not d.probe
            # Told to come back soon, not after a whole reset period.
            assert 0 < d.retry_after <= RESET_S
    assert (await breaker.snapshot()).status == "HALF_OPEN"


# One process of the two-process test: waits for "go" on stdin, hammers acquire()
# until the breaker has been HALF_OPEN for a while, prints what it was given.
_HAMMER = """
import asyncio, json, sys
from redis.asyncio import Redis
from gmm.envio.breaker import CircuitBreaker

async def main(url, reset):
    redis = Redis.from_url(url)
    breaker = CircuitBreaker(redis, failure_threshold=1, reset_seconds=reset)
    await redis.ping()
    print("ready", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    loop = asyncio.get_running_loop()
    give_up = loop.time() + 20
    half_open_since = None
    result = {"calls": 0, "allowed": 0, "probes": 0, "calls_half_open": 0}
    while loop.time() < give_up:
        half_open = (await breaker.snapshot()).status == "HALF_OPEN"
        if half_open and half_open_since is None:
            half_open_since = loop.time()
        decisions = await asyncio.gather(*(breaker.acquire() for _ in range(5)))
        result["calls"] += len(decisions)
        result["allowed"] += sum(d.allowed for d in decisions)
        result["probes"] += sum(d.probe for d in decisions)
        if half_open:
            result["calls_half_open"] += len(decisions)
        if half_open_since is not None and loop.time() - half_open_since > 0.3:
            break
    print(json.dumps(result), flush=True)
    await redis.aclose()

asyncio.run(main(sys.argv[1], float(sys.argv[2])))
"""


async def _spawn(code: str, *args: str) -> asyncio.subprocess.Process:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        code,
        *args,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 30)
    assert line.strip() == b"ready", line
    return process


async def test_one_probe_across_two_processes(redis_client: Redis, redis_url: str) -> None:
    processes = [await _spawn(_HAMMER, redis_url, str(RESET_S)) for _ in range(2)]
    try:
        # Opened only once both are running, so each of them sees every state.
        breaker = CircuitBreaker(redis_client, failure_threshold=1, reset_seconds=RESET_S)
        await _fail(breaker, 1)
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

    results = [json.loads(stdout) for stdout, _ in outputs]
    assert all(p.returncode == 0 for p in processes)
    # Both competed while the probe was up for grabs or out...
    assert all(r["calls_half_open"] > 0 for r in results)
    # ...and, over hundreds of calls, exactly one call in total went through.
    assert sum(r["probes"] for r in results) == 1
    assert sum(r["allowed"] for r in results) == 1
    assert (await breaker.snapshot()).status == "HALF_OPEN"


async def test_probe_success_closes(redis_client: Redis) -> None:
    breaker = CircuitBreaker(redis_client, failure_threshold=2, reset_seconds=RESET_S)
    probe = await _open_probe(breaker)

    await breaker.record_success(probe)

    snap = await breaker.snapshot()
    assert (snap.status, snap.failure_count, snap.opened_at) == ("CLOSED", 0, None)
    after = await breaker.acquire()
    assert after.allowed and not after.probe
    # Closed again means counting from zero: one failure short does not reopen.
    await _fail(breaker, 1)
    assert (await breaker.snapshot()).status == "CLOSED"


async def test_probe_failure_reopens_with_fresh_opened_at(redis_client: Redis) -> None:
    breaker = CircuitBreaker(redis_client, failure_threshold=2, reset_seconds=RESET_S)
    await _fail(breaker, 2)
    first_opened_at = (await breaker.snapshot()).opened_at
    assert first_opened_at is not None
    await _wait_for_probe_window(breaker)
    probe = await breaker.acquire()
    assert probe.probe

    await breaker.record_failure(probe)

    snap = await breaker.snapshot()
    assert snap.status == "OPEN"
    assert snap.failure_count == 3
    assert snap.opened_at is not None
    assert (snap.opened_at - first_opened_at).total_seconds() >= RESET_S
    rejected = await breaker.acquire()
    assert not rejected.allowed
    # A whole new wait, not the short half-open one.
    assert rejected.retry_after > RESET_S / 2


async def test_expired_probe_lease_lets_a_new_probe_through(redis_client: Redis) -> None:
    breaker = CircuitBreaker(
        redis_client, failure_threshold=1, reset_seconds=RESET_S, probe_lease_seconds=0.2
    )
    lost_probe = await _open_probe(breaker)

    # Its worker "died": nobody reports, the others wait for the lease to run out.
    waiting = await breaker.acquire()
    assert not waiting.allowed and 0 < waiting.retry_after <= 0.2 + 0.001
    await asyncio.sleep(waiting.retry_after)
    new_probe = await breaker.acquire()
    assert new_probe.allowed and new_probe.probe
    assert new_probe.lease != lost_probe.lease

    # The lost probe turning up late must not decide over the current one.
    await breaker.record_success(lost_probe)
    assert (await breaker.snapshot()).status == "HALF_OPEN"
    await breaker.record_success(new_probe)
    assert (await breaker.snapshot()).status == "CLOSED"


async def test_late_report_of_expired_probe_still_decides_when_no_other_probe(
    redis_client: Redis,
) -> None:
    breaker = CircuitBreaker(
        redis_client, failure_threshold=1, reset_seconds=RESET_S, probe_lease_seconds=0.1
    )
    slow_probe = await _open_probe(breaker)
    await asyncio.sleep(0.15)

    # Slower than its lease, but still the only evidence about the gateway.
    await breaker.record_success(slow_probe)
    assert (await breaker.snapshot()).status == "CLOSED"


async def test_snapshot_in_each_state(redis_client: Redis) -> None:
    breaker = CircuitBreaker(redis_client, failure_threshold=2, reset_seconds=RESET_S)
    fresh = await breaker.snapshot()
    assert (fresh.status, fresh.failure_count, fresh.threshold, fresh.opened_at) == (
        "CLOSED",
        0,
        2,
        None,
    )

    await _fail(breaker, 2)
    opened = await breaker.snapshot()
    assert (opened.status, opened.failure_count) == ("OPEN", 2)
    assert opened.opened_at is not None

    await _wait_for_probe_window(breaker)
    due = await breaker.snapshot()
    assert (due.status, due.failure_count, due.opened_at) == ("HALF_OPEN", 2, opened.opened_at)
    probe = await breaker.acquire()
    probing = await breaker.snapshot()
    assert (probing.status, probing.opened_at) == ("HALF_OPEN", opened.opened_at)

    await breaker.record_success(probe)
    closed = await breaker.snapshot()
    assert (closed.status, closed.failure_count, closed.opened_at) == ("CLOSED", 0, None)


async def test_late_non_probe_reports_do_not_change_an_open_breaker(
    redis_client: Redis,
) -> None:
    breaker = CircuitBreaker(redis_client, failure_threshold=2, reset_seconds=RESET_S)
    # Three calls go out together; two fail and open the breaker.
    first, second, in_flight = [await breaker.acquire() for _ in range(3)]
    await breaker.record_failure(first)
    await breaker.record_failure(second)
    opened = await breaker.snapshot()
    assert opened.status == "OPEN"

    # The third answers late: neither outcome may move the open breaker.
    await breaker.record_failure(in_flight)
    assert await breaker.snapshot() == opened
    await breaker.record_success(in_flight)
    assert await breaker.snapshot() == opened

    # Nor while the probe is out.
    await _wait_for_probe_window(breaker)
    probe = await breaker.acquire()
    assert probe.probe
    await breaker.record_success(in_flight)
    assert (await breaker.snapshot()).status == "HALF_OPEN"
    assert not (await breaker.acquire()).allowed

    # Nor does it count against the breaker the probe closed.
    await breaker.record_success(probe)
    await breaker.record_failure(in_flight)
    assert (await breaker.snapshot()).failure_count == 0


async def test_rejected_decision_cannot_be_reported(redis_client: Redis) -> None:
    breaker = CircuitBreaker(redis_client, failure_threshold=1, reset_seconds=LONG_RESET_S)
    await _fail(breaker, 1)
    rejected = await breaker.acquire()
    with pytest.raises(ValueError):
        await breaker.record_failure(rejected)
    with pytest.raises(ValueError):
        await breaker.record_success(rejected)


async def test_reset_closes_and_makes_earlier_decisions_stale(redis_client: Redis) -> None:
    breaker = CircuitBreaker(redis_client, failure_threshold=2, reset_seconds=RESET_S)
    before = await breaker.acquire()
    probe = await _open_probe(breaker)

    await breaker.reset()

    snap = await breaker.snapshot()
    assert (snap.status, snap.failure_count, snap.opened_at) == ("CLOSED", 0, None)
    # Reports from before the reset count for nothing.
    await breaker.record_failure(before)
    await breaker.record_failure(probe)
    assert (await breaker.snapshot()).failure_count == 0


async def test_breakers_are_namespaced(redis_client: Redis) -> None:
    megaapi = CircuitBreaker(redis_client, failure_threshold=1, reset_seconds=LONG_RESET_S)
    other = CircuitBreaker(
        redis_client, failure_threshold=1, reset_seconds=LONG_RESET_S, name="outro"
    )
    await _fail(megaapi, 1)

    assert (await megaapi.snapshot()).status == "OPEN"
    assert (await other.snapshot()).status == "CLOSED"
    assert (await other.acquire()).allowed
    keys = await redis_client.keys("*")
    assert keys and all(k.startswith("gmm:breaker:megaapi:") for k in keys)


async def test_works_with_a_bytes_client(redis_url: str, redis_client: Redis) -> None:
    raw = Redis.from_url(redis_url)  # decode_responses off, as arq's pool has it
    try:
        breaker = CircuitBreaker(raw, failure_threshold=1, reset_seconds=RESET_S)
        probe = await _open_probe(breaker)
        assert (await breaker.snapshot()).status == "HALF_OPEN"
        await breaker.record_success(probe)
        assert (await breaker.snapshot()).status == "CLOSED"
    finally:
        await raw.aclose()


def test_rejects_nonsense_settings() -> None:
    redis = Redis()  # never connects: the checks come first
    with pytest.raises(ValueError):
        CircuitBreaker(redis, failure_threshold=0, reset_seconds=1)
    with pytest.raises(ValueError):
        CircuitBreaker(redis, failure_threshold=1, reset_seconds=0)
    with pytest.raises(ValueError):
        CircuitBreaker(redis, failure_threshold=1, reset_seconds=1, probe_lease_seconds=0)
    default = CircuitBreaker(redis, failure_threshold=1, reset_seconds=5)
    assert default.probe_lease_seconds == 30
    assert CircuitBreaker(redis, failure_threshold=1, reset_seconds=90).probe_lease_seconds == 90
