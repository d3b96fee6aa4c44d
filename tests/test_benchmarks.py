"""The benchmarks keep running as the code changes (tiny sizes, no timing asserted)."""

from __future__ import annotations

from benchmarks import conversas


async def test_conversas_benchmark_runs_end_to_end() -> None:
    figures = await conversas.run(scale=0.002, requests=3, keep=False)
    assert set(figures) == {"pequeno", "grande"}
    for timings in figures.values():
        assert set(timings) == {"conversas", "mensagens"}
        assert all(t.median_ms > 0 and t.p99_ms >= t.median_ms for t in timings.values())
