"""Ready-made actions: the buttons an operator sends and what the contractor's tap does."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao.models import Aguardando, EstadoConversa
from gmm.chamados.models import Chamado, OrigemHistorico, StatusChamado
from gmm.conversas.models import Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import utcnow
from tests import factories as f
from tests.automacao.conftest import (
    automaticas,
    botao,
    enviar_webhook,
    eventos,
    historico,
    saidas,
    texto,
)
from tests.conteudo import guardado

TELEFONE = "5511987654321"
CHAVE = "5511987654321"  # the phone's canonical form (terceirizados.telefone_chave)


async def _preparar(
    db: AsyncSession, settings: Settings, status: StatusChamado = StatusChamado.aguardando
) -> tuple[dict[str, str], Chamado]:
    user = await f.usuario(db)
    t = await f.terceirizado(db, telefone=TELEFONE, nome="Carlos Souza")
    chamado = await f.chamado(db, t, titulo="Vazamento no 3º andar", status=status)
    chamado.terceirizado = t  # loaded, for the tests' own use
    return f.headers(user, settings), chamado


async def _enviada(db: AsyncSession, mensagem_id: int, megaapi_id: str) -> None:
    """What the worker does once MegaAPI accepted the message."""
    row = await db.get(Mensagem, mensagem_id, populate_existing=True)
    assert row is not None
    row.megaapi_id = megaapi_id
    row.status_envio = StatusEnvio.enviado
    await db.commit()


async def _chamado(db: AsyncSession, chamado_id: int) -> Chamado:
    row = await db.get(Chamado, chamado_id, populate_existing=True)
    assert row is not None
    return row


async def test_quote_goes_out_as_approve_and_reject_buttons_with_the_amount(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers, chamado = await _preparar(db, settings)
    r = await client.post(
        f"/api/chamados/{chamado.id}/acoes/orcamento",
        json={"valor": "1500.00", "observacao": "Inclui material"},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    assert r.json()["envio"] == "enfileirada"
    [mensagem] = await saidas(db, chamado.id)
    assert mensagem.tipo == TipoMensagem.botoes
    assert mensagem.tipo_conteudo == TipoConteudo.interactive
    assert "R$ 1.500,00" in (mensagem.texto or "") and "Inclui material" in (mensagem.texto or "")
    conteudo = guardado(mensagem)
    assert [(b["id"], b["titulo"]) for b in conteudo["botoes"]] == [
        ("orcamento:aprovar", "Aprovar"),
        ("orcamento:rejeitar", "Rejeitar"),
    ]
    assert conteudo["acao"] == {"tipo": "orcamento", "valor": "1500.00"}


async def test_bad_actions_are_refused_and_store_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers, chamado = await _preparar(db, settings)
    terceirizado = chamado.terceirizado
    base = f"/api/chamados/{chamado.id}/acoes"
    for valor in ("0", "-5", "abc", "1.234"):
        r = await client.post(f"{base}/orcamento", json={"valor": valor}, headers=headers)
        assert r.status_code == 422, (valor, r.text)
    passado = (utcnow() - timedelta(hours=1)).isoformat()
    r = await client.post(f"{base}/confirmar-visita", json={"data_hora": passado}, headers=headers)
    assert r.status_code == 422 and r.json()["error"] == "data_invalida"
    sem_fuso = "2030-01-01T10:00:00"
    r = await client.post(f"{base}/confirmar-visita", json={"data_hora": sem_fuso}, headers=headers)
    assert r.status_code == 422
    assert (await client.post(f"{base}/concluido")).status_code == 401
    assert (
        await client.post("/api/chamados/999/acoes/concluido", headers=headers)
    ).status_code == 404
    assert await saidas(db, chamado.id) == []

    cancelado = await f.chamado(db, terceirizado, status=StatusChamado.cancelado)
    r = await client.post(f"/api/chamados/{cancelado.id}/acoes/concluido", headers=headers)
    assert r.status_code == 409
    assert await saidas(db, cancelado.id) == []


async def test_approve_tap_records_the_quote_and_starts_the_work(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    headers, chamado = await _preparar(db, settings)
    r = await client.post(
        f"/api/chamados/{chamado.id}/acoes/orcamento", json={"valor": 1500}, headers=headers
    )
    await _enviada(db, r.json()["mensagem"]["id"], "3EB0QUOTE")

    # MegaAPI's reply buttons carry no id of ours: the tap comes with its own id and
    # quotes the message it answers.
    await enviar_webhook(
        client, settings, botao(TELEFONE, "1", "Aprovar", em_resposta_a="3EB0QUOTE")
    )

    atualizado = await _chamado(db, chamado.id)
    assert atualizado.status == StatusChamado.em_andamento
    assert atualizado.valor_orcamento == Decimal("1500.00")
    ultimo = (await historico(db, chamado.id))[-1]
    assert (ultimo.origem, ultimo.status_anterior, ultimo.status_novo) == (
        OrigemHistorico.terceirizado,
        StatusChamado.aguardando,
        StatusChamado.em_andamento,
    )
    assert "R$ 1.500,00 aprovado" in ultimo.descricao
    assert [t for t in await automaticas(db, chamado.id) if "aprovado" in t]
    avisos = await eventos(redis, "notificacao")
    assert avisos and avisos[-1]["chamado_id"] == chamado.id
    assert "aprovado" in avisos[-1]["texto"]
    mudancas = await eventos(redis, "chamado.atualizado")
    assert mudancas[-1] == {
        "chamado_id": chamado.id,
        "status": "em_andamento",
        "prioridade": "normal",
    }

    # The API shows the tap as an answer to that question, and the history.
    conversa = await client.get(f"/api/conversas/{chamado.id}/mensagens", headers=headers)
    resposta = [m for m in conversa.json()["items"] if m["direcao"] == "inbound"][-1]
    assert resposta["conteudo"]["resposta"]["opcao_id"] == "orcamento:aprovar"
    linhas = (await client.get(f"/api/chamados/{chamado.id}/historico", headers=headers)).json()
    assert [h["status_novo"] for h in linhas] == ["em_andamento"]
    assert linhas[0]["mensagem_id"] == resposta["id"]


async def test_a_tap_without_a_quote_is_matched_by_title_and_counts_once(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers, chamado = await _preparar(db, settings, StatusChamado.em_andamento)
    await client.post(f"/api/chamados/{chamado.id}/acoes/concluido", headers=headers)

    await enviar_webhook(client, settings, botao(TELEFONE, "id-do-gateway", "SIM"))
    assert (await _chamado(db, chamado.id)).status == StatusChamado.aguardando_confirmacao

    # Tapping "Ainda não" on the same, already answered question changes nothing.
    await enviar_webhook(client, settings, botao(TELEFONE, "id-2", "Ainda não"))
    assert (await _chamado(db, chamado.id)).status == StatusChamado.aguardando_confirmacao
    descricoes = [h.descricao for h in await historico(db, chamado.id)]
    assert "ignorado" in descricoes[-1]

    # The operator confirms.
    r = await client.post(f"/api/chamados/{chamado.id}/finalizar", headers=headers)
    assert r.status_code == 200 and r.json()["chamado"]["status"] == "concluido"


async def test_not_done_keeps_the_work_going(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers, chamado = await _preparar(db, settings, StatusChamado.aguardando_confirmacao)
    await client.post(f"/api/chamados/{chamado.id}/acoes/concluido", headers=headers)
    await enviar_webhook(client, settings, botao(TELEFONE, "x", "Ainda não"))
    assert (await _chamado(db, chamado.id)).status == StatusChamado.em_andamento


async def test_a_redelivered_tap_acts_once(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers, chamado = await _preparar(db, settings)
    await client.post(
        f"/api/chamados/{chamado.id}/acoes/orcamento", json={"valor": 80}, headers=headers
    )
    tap = botao(TELEFONE, "orcamento:aprovar", "Aprovar", msg_id="TAP-DUPLICADO")
    await enviar_webhook(client, settings, tap)
    segunda = await enviar_webhook(client, settings, tap)
    assert segunda.json()["resultado"] == "duplicada"
    assert len([t for t in await automaticas(db, chamado.id) if "aprovado" in t]) == 1
    assert len(await historico(db, chamado.id)) == 1


async def test_reject_asks_for_a_counter_offer_and_a_bare_amount_answers_it(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers, chamado = await _preparar(db, settings)
    await client.post(
        f"/api/chamados/{chamado.id}/acoes/orcamento", json={"valor": 2000}, headers=headers
    )
    await enviar_webhook(client, settings, botao(TELEFONE, "2", "Rejeitar"))
    atualizado = await _chamado(db, chamado.id)
    assert atualizado.status == StatusChamado.aguardando and atualizado.valor_orcamento is None
    estado = await db.get(EstadoConversa, CHAVE)
    assert estado is not None and estado.aguardando == Aguardando.valor_orcamento
    assert any("Qual valor você propõe" in t for t in await automaticas(db, chamado.id))

    await enviar_webhook(client, settings, texto(TELEFONE, "R$ 1.800,00"))
    assert (await _chamado(db, chamado.id)).valor_orcamento == Decimal("1800.00")
    assert "R$ 1.800,00 informado" in (await historico(db, chamado.id))[-1].descricao
    db.expire_all()
    assert await db.get(EstadoConversa, CHAVE) is None


async def test_visit_confirmed_or_rescheduled(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    headers, chamado = await _preparar(db, settings)
    terceirizado = chamado.terceirizado
    quando = (utcnow() + timedelta(days=2)).replace(microsecond=0)
    r = await client.post(
        f"/api/chamados/{chamado.id}/acoes/confirmar-visita",
        json={"data_hora": quando.isoformat()},
        headers=headers,
    )
    assert r.status_code == 201
    [pergunta] = await saidas(db, chamado.id)
    assert [b["titulo"] for b in guardado(pergunta)["botoes"]] == ["Confirmo", "Remarcar"]
    await enviar_webhook(client, settings, botao(TELEFONE, "a", "Confirmo"))
    atualizado = await _chamado(db, chamado.id)
    assert atualizado.visita_em == quando
    assert atualizado.status == StatusChamado.aguardando
    assert "confirmada" in (await historico(db, chamado.id))[-1].descricao

    outro = await f.chamado(db, terceirizado)
    await client.post(
        f"/api/chamados/{outro.id}/acoes/confirmar-visita",
        json={"data_hora": quando.isoformat()},
        headers=headers,
    )
    # The reply lands on the contractor's most recently active chamado: this one.
    await enviar_webhook(client, settings, botao(TELEFONE, "b", "Remarcar"))
    assert (await _chamado(db, outro.id)).visita_em is None
    estado = await db.get(EstadoConversa, CHAVE)
    assert estado is not None and estado.aguardando == Aguardando.nova_data_visita
    assert any("Qual dia e horário" in t for t in await automaticas(db, outro.id))


async def test_a_tap_on_an_operator_defined_button_is_recorded_without_moving_the_chamado(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, redis: Redis
) -> None:
    headers, chamado = await _preparar(db, settings)
    r = await client.post(
        f"/api/chamados/{chamado.id}/enviar-botoes",
        json={"texto": "Qual turno?", "botoes": [{"id": "manha", "titulo": "Manhã"}]},
        headers=headers,
    )
    assert r.status_code == 201, r.text
    await enviar_webhook(client, settings, botao(TELEFONE, "manha", "Manhã"))
    assert (await _chamado(db, chamado.id)).status == StatusChamado.aguardando
    assert (await historico(db, chamado.id))[-1].descricao == "o terceirizado respondeu “Manhã”"
    assert (await eventos(redis, "notificacao"))[-1]["texto"].endswith("“Manhã”")


async def test_an_unmatched_tap_is_kept_as_a_message_and_does_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    _, chamado = await _preparar(db, settings)
    await enviar_webhook(client, settings, botao(TELEFONE, "zzz", "Talvez"))
    assert await historico(db, chamado.id) == []
    total = await db.scalar(select(func.count()).select_from(Mensagem))
    assert total == 1
