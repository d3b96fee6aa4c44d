"""The benchmarks keep running as the code changes (tiny sizes, no timing asserted)."""

from __future__ import annotations

from benchmarks import conversas, delivery, eventos, regras, webhooks


async def test_conversas_benchmark_runs_end_to_end() -> None:
    figures = await conversas.run(scale=0.002, requests=3, keep=False)
    assert set(figures) == {"pequeno", "grande"}
    for timings in figures.values():
        assert set(timings) == {
            "conversas",
            "mensagens",
            "metricas",
            "busca_rara",
            "busca_media",
            "busca_comum",
            "placar",
            "ranking",
        }
        assert all(t.median_ms > 0 and t.p99_ms >= t.median_ms for t in timings.values())


async def test_delivery_benchmark_runs_end_to_end() -> None:
    figures = await delivery.run(total=20, por_minuto=600, keep=False, falha_s=2.0)
    assert len(figures) == 2
    for resultado in figures.values():
        assert resultado.enviados == 20 and resultado.perdidos == 0
    com_falha = figures["simulador 100 % fora por 2 s"]
    assert com_falha.aberturas is not None and com_falha.aberturas >= 1


async def test_webhooks_benchmark_runs_end_to_end() -> None:
    r = await webhooks.run(duracao=0.5, taxas=(20, 40), rajada_eventos=40)
    assert r.healthz.ok > 0 and r.teto.ok > 0 and r.healthz.erros == r.teto.erros == 0
    assert [p.alvo for p in r.passos] == [20, 40]
    assert all(p.p99_ms >= p.mediana_ms > 0 for p in (r.healthz, r.teto, *r.passos))
    assert 0 < r.textos_gravados <= r.textos_aceitos
    # The burst on one chamado: nothing failed and every text was stored once.
    assert r.rajada.ok == 40 and r.rajada.erros == 0
    assert r.rajada_gravados == r.rajada_enviados == 20


async def test_hostile_rules_benchmark_runs_end_to_end() -> None:
    figures = await regras.run(mensagens=2)
    assert list(figures) == ["sem regras", "40 regras (a+)+$"]
    assert all(p99 >= median > 0 for median, p99 in figures.values())


async def test_event_streams_benchmark_runs_end_to_end() -> None:
    r = await eventos.run(fluxos=5, duracao=0.5, eventos=2, janela=0.5)
    assert r.abertos == 5 and r.healthz_erros == 0 and r.consultas_por_segundo >= 0
    assert r.healthz_p99_ms >= r.healthz_mediana_ms > 0
    # Every event reached every stream, through the process's one reader.
    assert r.entregues == 10 and r.leitores_redis == 1
