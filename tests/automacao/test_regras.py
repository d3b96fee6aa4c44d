"""Automation rules: admin CRUD, matching, and each action on a contractor's text."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.automacao import service
from gmm.automacao.models import AcaoRegra, RegraAutomacao, TipoPadrao
from gmm.automacao.schemas import RegraIn
from gmm.chamados.models import Chamado, OrigemHistorico, Prioridade, StatusChamado
from gmm.core.config import Settings
from tests import factories as f
from tests.automacao.conftest import automaticas, enviar_webhook, eventos, historico, texto

TELEFONE = "5511987654321"
URL = "/api/admin/automacao/regras"


def _regra(**campos: Any) -> dict[str, Any]:
    return {
        "nome": "Pedido de orçamento",
        "tipo_padrao": "palavra_chave",
        "padrao": "orçamento",
        "acao": "responder",
        "parametro": "Já vamos te passar o orçamento.",
        **campos,
    }


async def _admin(db: AsyncSession, settings: Settings) -> dict[str, str]:
    return f.headers(await f.usuario(db, papel=Papel.admin), settings)


async def _contagem(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(RegraAutomacao)) or 0)


async def test_admin_creates_lists_edits_switches_off_and_deletes_rules(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers = await _admin(db, settings)
    segunda = await client.post(URL, json=_regra(nome="B", ordem=20), headers=headers)
    primeira = await client.post(URL, json=_regra(nome="A", ordem=10), headers=headers)
    assert segunda.status_code == 201 and primeira.status_code == 201
    regra_id = primeira.json()["id"]
    assert [r["nome"] for r in (await client.get(URL, headers=headers)).json()] == ["A", "B"]

    r = await client.patch(f"{URL}/{regra_id}", json={"ativa": False}, headers=headers)
    assert r.status_code == 200 and r.json()["ativa"] is False
    assert r.json()["padrao"] == "orçamento"
    assert (await client.get(f"{URL}/{regra_id}", headers=headers)).json()["ativa"] is False

    assert (await client.delete(f"{URL}/{regra_id}", headers=headers)).status_code == 204
    assert (await client.get(f"{URL}/{regra_id}", headers=headers)).status_code == 404
    assert (await client.delete(f"{URL}/{regra_id}", headers=headers)).status_code == 404


async def test_only_admins_manage_rules(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    operador = f.headers(await f.usuario(db), settings)
    assert (await client.get(URL, headers=operador)).status_code == 403
    assert (await client.post(URL, json=_regra(), headers=operador)).status_code == 403
    assert (await client.get(URL)).status_code == 401
    assert await _contagem(db) == 0


@pytest.mark.parametrize(
    ("campos", "trecho"),
    [
        ({"tipo_padrao": "regex", "padrao": "(abc"}, "Expressão regular inválida"),
        ({"acao": "responder", "parametro": ""}, "texto da resposta"),
        ({"acao": "mudar_status", "parametro": "feito"}, "mudar_status precisa de um status"),
        ({"acao": "definir_prioridade", "parametro": "altissima"}, "prioridade"),
    ],
)
async def test_invalid_rules_are_refused_with_the_reason(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    campos: dict[str, Any],
    trecho: str,
) -> None:
    headers = await _admin(db, settings)
    r = await client.post(URL, json=_regra(**campos), headers=headers)
    assert r.status_code == 422
    assert r.json()["error"] == "regra_invalida" and trecho in r.json()["detail"]
    assert await _contagem(db) == 0


async def test_malformed_rules_and_edits_are_refused(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers = await _admin(db, settings)
    for body in (
        _regra(padrao=""),
        _regra(acao="apagar_tudo"),
        _regra(ordem=-1),
        _regra(padrao="x" * 301),
        {**_regra(), "extra": 1},
    ):
        assert (await client.post(URL, json=body, headers=headers)).status_code == 422
    assert await _contagem(db) == 0
    criada = (await client.post(URL, json=_regra(), headers=headers)).json()
    # An edit that would leave the rule broken is refused and changes nothing.
    r = await client.patch(f"{URL}/{criada['id']}", json={"acao": "mudar_status"}, headers=headers)
    assert r.status_code == 422
    assert (await client.get(f"{URL}/{criada['id']}", headers=headers)).json()["acao"] == (
        "responder"
    )


def _em_memoria(tipo: TipoPadrao, padrao: str) -> RegraIn:
    return RegraIn(nome="r", tipo_padrao=tipo, padrao=padrao, acao=AcaoRegra.notificar)


@pytest.mark.parametrize(
    ("tipo", "padrao", "texto_recebido", "esperado"),
    [
        (TipoPadrao.palavra_chave, "orçamento", "Segue o ORCAMENTO amanhã", True),
        (TipoPadrao.palavra_chave, "orcamento", "orçamento?", True),
        (TipoPadrao.palavra_chave, "não consigo", "Nao  consigo ir hoje", True),
        (TipoPadrao.palavra_chave, "ok", "tokens", False),
        (TipoPadrao.palavra_chave, "ok", "ok!", True),
        (TipoPadrao.palavra_chave, "vazamento", "vaza", False),
        (TipoPadrao.regex, r"urgen(te|cia)", "É uma URGÊNCIA", True),
        (TipoPadrao.regex, r"^\d+$", "1500 reais", False),
        (TipoPadrao.regex, r"concl[uú]", "Serviço CONCLUÍDO", True),
    ],
)
def test_matching_ignores_accents_and_case_and_respects_words(
    tipo: TipoPadrao, padrao: str, texto_recebido: str, esperado: bool
) -> None:
    assert service.dispara(_em_memoria(tipo, padrao), texto_recebido) is esperado


def test_a_pathological_regex_gives_up_instead_of_stalling() -> None:
    regra = _em_memoria(TipoPadrao.regex, r"(x+x+)+y")
    assert service.dispara(regra, "x" * 3000) is False


async def test_testar_lists_the_rules_that_would_fire(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers = await _admin(db, settings)
    await client.post(URL, json=_regra(nome="orc"), headers=headers)
    await client.post(URL, json=_regra(nome="off", ativa=False), headers=headers)
    await client.post(URL, json=_regra(nome="outra", padrao="visita"), headers=headers)
    r = await client.post(
        "/api/admin/automacao/testar", json={"texto": "quero o Orçamento"}, headers=headers
    )
    assert [x["nome"] for x in r.json()["regras"]] == ["orc"]


async def _cenario(
    db: AsyncSession, client: httpx.AsyncClient, settings: Settings, *regras: dict[str, Any]
) -> Chamado:
    headers = await _admin(db, settings)
    for regra in regras:
        assert (await client.post(URL, json=regra, headers=headers)).status_code == 201
    t = await f.terceirizado(db, telefone=TELEFONE)
    return await f.chamado(db, t)


async def _recarregar(db: AsyncSession, chamado: Chamado) -> Chamado:
    row = await db.get(Chamado, chamado.id, populate_existing=True)
    assert row is not None
    return row


async def test_reply_rule_answers_once_even_when_two_reply_rules_match(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado = await _cenario(
        db,
        client,
        settings,
        _regra(nome="segunda", ordem=2, parametro="Resposta 2"),
        _regra(nome="primeira", ordem=1, parametro="Resposta 1"),
    )
    await enviar_webhook(client, settings, texto(TELEFONE, "Qual o orçamento?"))
    assert await automaticas(db, chamado.id) == ["Resposta 1"]


async def test_status_rule_moves_the_chamado_and_records_it(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    chamado = await _cenario(
        db,
        client,
        settings,
        _regra(
            nome="Chegou", padrao=r"cheguei|estou no local", tipo_padrao="regex",
            acao="mudar_status", parametro="em_andamento",
        ),
    )  # fmt: skip
    await enviar_webhook(client, settings, texto(TELEFONE, "Bom dia, ESTOU NO LOCAL"))
    assert (await _recarregar(db, chamado)).status == StatusChamado.em_andamento
    [registro] = await historico(db, chamado.id)
    assert registro.origem == OrigemHistorico.automacao and "Chegou" in registro.descricao
    assert (await eventos(redis, "chamado.atualizado"))[-1]["status"] == "em_andamento"

    # Already em_andamento: the same rule firing again records nothing more.
    await enviar_webhook(client, settings, texto(TELEFONE, "cheguei"))
    assert len(await historico(db, chamado.id)) == 1


async def test_priority_and_notify_rules(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    chamado = await _cenario(
        db,
        client,
        settings,
        _regra(nome="Urgente", padrao="urgente", acao="definir_prioridade", parametro="urgente"),
        _regra(nome="Avisar", padrao="urgente", acao="notificar", parametro=""),
    )
    await enviar_webhook(client, settings, texto(TELEFONE, "É URGENTE, água por todo lado"))
    assert (await _recarregar(db, chamado)).prioridade == Prioridade.urgente
    assert "prioridade urgente" in (await historico(db, chamado.id))[-1].descricao
    [aviso] = await eventos(redis, "notificacao")
    assert aviso["chamado_id"] == chamado.id
    assert aviso["texto"] == "regra “Avisar”: É URGENTE, água por todo lado"
    assert await automaticas(db, chamado.id) == []


async def test_rules_that_must_not_fire(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    chamado = await _cenario(
        db,
        client,
        settings,
        _regra(nome="desligada", padrao="oi", ativa=False),
        _regra(nome="ok", padrao="ok", parametro="Recebido"),
    )
    # Inactive rule, a keyword inside another word, a message from an unknown number
    # (no chamado), a redelivered webhook.
    await enviar_webhook(client, settings, texto(TELEFONE, "oi, seguem os tokens"))
    await enviar_webhook(client, settings, texto("5521999990000", "ok"))
    primeira = texto(TELEFONE, "ok", msg_id="REPETIDA")
    await enviar_webhook(client, settings, primeira)
    await enviar_webhook(client, settings, primeira)
    assert await automaticas(db, chamado.id) == ["Recebido"]
    assert await eventos(redis, "notificacao") == []
