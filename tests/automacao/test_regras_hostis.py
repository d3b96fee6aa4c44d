"""Hostile automation rules: RE2 only, a budget per message, and never on the event loop.

40 rules like ``(a+)+$`` against ``'a' * 30000 + 'b'`` once blocked the whole API
for about 2.4 s per inbound message (each within its own 50 ms timeout). The
latency figures are in benchmarks/regras.py; here the API's responsiveness is shown
causally, never by the clock.
"""

from __future__ import annotations

import asyncio
import logging
import threading

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.automacao import service
from gmm.automacao.models import AcaoRegra, RegraAutomacao, TipoPadrao
from gmm.conversas.models import Direcao, Mensagem
from gmm.core.config import Settings
from tests import factories as f
from tests.recebimento.test_webhook import texto

HOSTIL = r"(a+)+$"
TEXTO_HOSTIL = "a" * 30_000 + "b"
# Generous: only a hang (the loop blocked) would ever reach it.
ESPERA_S = 60


async def _regras_hostis(db: AsyncSession, quantas: int = 40) -> None:
    for i in range(quantas):
        db.add(
            RegraAutomacao(
                nome=f"hostil {i}", tipo_padrao=TipoPadrao.regex, padrao=HOSTIL,
                acao=AcaoRegra.notificar, parametro="", ordem=i, ativa=True,
            )
        )  # fmt: skip
    await db.commit()


@pytest.mark.parametrize(
    ("padrao", "motivo"),
    [(r"(a)\1", "retrovisores"), (r"(?<!x)pago", "lookbehind"), (r"(?=ok)ok", "lookahead")],
)
async def test_patterns_re2_cannot_run_in_linear_time_are_refused(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, padrao: str, motivo: str
) -> None:
    h = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    resposta = await client.post(
        "/api/admin/automacao/regras",
        json={"nome": "x", "tipo_padrao": "regex", "padrao": padrao, "acao": "notificar"},
        headers=h,
    )
    assert resposta.status_code == 422, resposta.text
    corpo = resposta.json()
    assert corpo["error"] == "regra_invalida"
    assert "tempo linear" in corpo["detail"] and motivo in corpo["detail"]
    assert await db.scalar(select(func.count()).select_from(RegraAutomacao)) == 0


async def test_a_message_gets_one_budget_for_all_its_rules(
    db: AsyncSession, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await _regras_hostis(db, 3)
    db.add(
        RegraAutomacao(
            nome="casa", tipo_padrao=TipoPadrao.palavra_chave, padrao="pago",
            acao=AcaoRegra.notificar, parametro="", ordem=99, ativa=True,
        )
    )  # fmt: skip
    await db.commit()
    assert [r.nome for r in await service.que_disparam(db, "foi pago")] == ["casa"]

    monkeypatch.setattr(service, "ORCAMENTO_REGRAS_S", 0)
    with caplog.at_level(logging.WARNING, logger=service.__name__):
        assert await service.que_disparam(db, "foi pago") == []
    assert "4 não avaliadas" in caplog.text


async def test_the_api_answers_while_40_hostile_rules_run(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    telefone = "5511976543210"
    await f.chamado(db, await f.terceirizado(db, telefone=telefone))
    await _regras_hostis(db)
    comecou, liberada = threading.Event(), threading.Event()
    avaliadas: list[int] = []
    avaliar = service._avaliar

    def avaliar_quando_liberada(regras: list[tuple[TipoPadrao, str, str]], txt: str) -> list[int]:
        # Holds the evaluation until the test has been answered meanwhile: were it run
        # on the event loop, nothing else could be answered and this would never return.
        comecou.set()
        assert liberada.wait(ESPERA_S), "a API não respondeu enquanto as regras rodavam"
        avaliadas.append(len(regras))
        return avaliar(regras, txt)

    monkeypatch.setattr(service, "_avaliar", avaliar_quando_liberada)
    webhook = asyncio.create_task(
        client.post(
            f"/webhook/whatsapp?token={settings.secret('webhook_token')}",
            json=texto(telefone, TEXTO_HOSTIL),
        )
    )
    assert await asyncio.to_thread(comecou.wait, ESPERA_S)

    saude = await asyncio.gather(*(client.get("/healthz") for _ in range(5)))

    assert all(r.status_code == 200 for r in saude)
    assert not webhook.done()  # the rules were still running: nothing waited on them
    liberada.set()
    resposta = await webhook
    assert resposta.status_code == 200, resposta.text
    assert avaliadas == [40]
    recebidas = await db.scalar(
        select(func.count()).select_from(Mensagem).where(Mensagem.direcao == Direcao.inbound)
    )
    assert recebidas == 1
