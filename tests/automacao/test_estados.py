"""Conversation state: a bare amount after a quote request is the quote, until it expires."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao import textos
from gmm.automacao.models import Aguardando, EstadoConversa
from gmm.chamados.models import Chamado
from gmm.conversas.models import TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.terceirizados.models import Terceirizado
from tests import factories as f
from tests.automacao.conftest import automaticas, enviar_webhook, historico, saidas, texto

TELEFONE = "5511987654321"


@pytest.mark.parametrize(
    ("escrito", "valor"),
    [
        ("1500", "1500.00"),
        ("1.500", "1500.00"),
        ("1.500,00", "1500.00"),
        ("R$ 1.500,5", "1500.50"),
        ("r$1500", "1500.00"),
        ("1500.50", "1500.50"),
        ("1500 reais", "1500.00"),
        (" 12.345.678,90 ", "12345678.90"),
        ("0", None),
        ("mil e quinhentos", None),
        ("1500 mais o material", None),
        ("15/12", None),
        ("1,500.00", None),
        ("", None),
    ],
)
def test_bare_amounts_as_contractors_type_them(escrito: str, valor: str | None) -> None:
    lido = textos.ler_valor(escrito)
    assert lido == (Decimal(valor) if valor else None)


def test_amounts_are_written_the_brazilian_way() -> None:
    assert textos.reais(Decimal("1500")) == "R$ 1.500,00"
    assert textos.reais(Decimal("1234567.8")) == "R$ 1.234.567,80"
    assert textos.normalizar("  Orçamento   APROVADO ") == "orcamento aprovado"


async def _pedido(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> tuple[Chamado, dict[str, str]]:
    headers = f.headers(await f.usuario(db), settings)
    t = await f.terceirizado(db, telefone=TELEFONE, nome="Ana Lima")
    chamado = await f.chamado(db, t, titulo="Troca de disjuntor")
    r = await client.post(f"/api/chamados/{chamado.id}/acoes/solicitar-orcamento", headers=headers)
    assert r.status_code == 201, r.text
    return chamado, headers


async def _valor(db: AsyncSession, chamado: Chamado) -> Decimal | None:
    row = await db.get(Chamado, chamado.id, populate_existing=True)
    assert row is not None
    return row.valor_orcamento


async def test_request_asks_and_waits_for_the_amount(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado, _ = await _pedido(client, db, settings)
    [pergunta] = await saidas(db, chamado.id)
    assert "Qual o valor do orçamento" in (pergunta.texto or "") and "Ana" in (pergunta.texto or "")
    estado = await db.get(EstadoConversa, TELEFONE)
    assert estado is not None
    assert (estado.chamado_id, estado.aguardando) == (chamado.id, Aguardando.valor_orcamento)
    assert timedelta(hours=23) < estado.expira_em - utcnow() <= timedelta(hours=24)

    # A sentence is not the amount: it reaches the operator as any message does.
    await enviar_webhook(client, settings, texto(TELEFONE, "passo o valor amanhã"))
    assert await _valor(db, chamado) is None
    # The bare amount, from the number without the 9th digit, is.
    await enviar_webhook(client, settings, texto("551187654321", "2.350,00"))
    assert await _valor(db, chamado) == Decimal("2350.00")
    assert (await historico(db, chamado.id))[-1].descricao == (
        "orçamento de R$ 2.350,00 informado pelo terceirizado"
    )
    assert await automaticas(db, chamado.id) == [
        f"Recebemos seu orçamento de R$ 2.350,00 para o chamado {chamado.numero_chamado}. Obrigado!"
    ]
    # Answered: a later number is just a message.
    await enviar_webhook(client, settings, texto(TELEFONE, "3000"))
    assert await _valor(db, chamado) == Decimal("2350.00")


async def test_an_expired_wait_takes_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado, _ = await _pedido(client, db, settings)
    await db.execute(update(EstadoConversa).values(expira_em=utcnow() - timedelta(minutes=1)))
    await db.commit()
    antes = await automaticas(db, chamado.id)
    await enviar_webhook(client, settings, texto(TELEFONE, "1500"))
    assert await _valor(db, chamado) is None
    # Nothing answered either: the amount reached the operators as any message does.
    assert await automaticas(db, chamado.id) == antes


async def test_the_wait_belongs_to_its_chamado(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado, headers = await _pedido(client, db, settings)
    t = await db.get(Terceirizado, chamado.terceirizado_id)
    assert t is not None
    # A newer chamado of the same contractor is the more recent conversation...
    outro = await f.chamado(db, t)
    r = await client.post(
        f"/api/chamados/{outro.id}/responder", json={"mensagem": "Outro assunto"}, headers=headers
    )
    assert r.status_code == 201
    # ...but the bare amount is what the first one is waiting for: it goes there
    # (gmm.recebimento.roteamento, rule 4) and is its quote.
    await enviar_webhook(client, settings, texto(TELEFONE, "1500"))
    assert await _valor(db, chamado) == Decimal("1500") and await _valor(db, outro) is None
    assert [m.tipo for m in await saidas(db, outro.id)] == [TipoMensagem.resposta_manual]
