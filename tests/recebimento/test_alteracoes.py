"""A contractor's reactions, edits and deletes: shown, kept, applied once, in order."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.automacao.models import AcaoRegra, RegraAutomacao, TipoPadrao
from gmm.chamados.models import Chamado, HistoricoChamado
from gmm.conversas.conteudo import Acao, ConteudoBotoes, Opcao
from gmm.conversas.models import AlteracaoMensagem, Mensagem, TipoConteudo
from gmm.core.config import Settings
from gmm.core.db import utcnow
from tests import factories as f
from tests.recebimento.roteamento import TELEFONE, evento, nossa, postar, recebidas


async def _mensagem(db: AsyncSession, mensagem_id: int) -> Mensagem:
    row = await db.get(Mensagem, mensagem_id, populate_existing=True)
    assert row is not None
    return row


async def _historico(db: AsyncSession, chamado_id: int) -> list[str]:
    return list(
        await db.scalars(
            select(HistoricoChamado.descricao)
            .where(HistoricoChamado.chamado_id == chamado_id)
            .order_by(HistoricoChamado.id)
        )
    )


async def test_a_reaction_shows_on_our_message_and_can_be_removed(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado = await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE))
    alvo = await nossa(db, chamado, "NOSSA-1")
    alvo_id, chamado_id = alvo.id, chamado.id
    reacao = evento(type="reaction", target_id="NOSSA-1", emoji="👍")
    assert await postar(client, settings, reacao) == "alteracao"
    assert await postar(client, settings, reacao) == "alteracao_duplicada"
    assert (await _mensagem(db, alvo_id)).reacao == "👍"
    h = f.headers(await f.usuario(db), settings)
    mensagens = await client.get(f"/api/conversas/{chamado_id}/mensagens", headers=h)
    assert mensagens.json()["items"][0]["reacao"] == "👍"
    await postar(client, settings, evento(type="reaction", target_id="NOSSA-1", emoji=""))
    assert (await _mensagem(db, alvo_id)).reacao is None
    # No message of its own: a reaction is not a message in the chat.
    assert await recebidas(db) == []


async def test_a_late_older_reaction_does_not_replace_a_newer_one(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado = await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE))
    alvo_id = (await nossa(db, chamado, "NOSSA-1")).id
    nova = evento(type="reaction", target_id="NOSSA-1", emoji="❤️")
    velha = evento(type="reaction", target_id="NOSSA-1", emoji="👍")
    velha["message"]["reactionMessage"]["senderTimestampMs"] -= 60_000
    await postar(client, settings, nova)
    await postar(client, settings, velha)
    assert (await _mensagem(db, alvo_id)).reacao == "❤️"
    # Both are kept.
    kept = await db.scalars(
        select(AlteracaoMensagem.valor).where(AlteracaoMensagem.mensagem_id == alvo_id)
    )
    assert sorted(v or "" for v in kept) == sorted(["❤️", "👍"])


async def test_nobody_reacts_to_or_edits_another_conversation(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado = await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE))
    alvo_id = (await nossa(db, chamado, "NOSSA-1")).id
    intruso = "5521988887777"
    await f.terceirizado(db, telefone=intruso)
    for corpo in (
        evento(type="reaction", target_id="NOSSA-1", emoji="👎", **{"from": intruso}),
        evento(type="reaction", target_id="NOSSA-1", emoji="👎", **{"from": "5531988887777"}),
        evento(type="reaction", target_id="NAO-EXISTE", emoji="👎"),
        # Our own message: only its author may edit or delete it.
        evento(type="edit", target_id="NOSSA-1", text="outro texto"),
        evento(type="delete", target_id="NOSSA-1"),
    ):
        assert await postar(client, settings, corpo) == "ignorado"
    alvo = await _mensagem(db, alvo_id)
    assert (alvo.reacao, alvo.texto, alvo.apagada_em) == (None, "Chego amanhã?", None)
    assert list(await db.scalars(select(AlteracaoMensagem))) == []


async def test_an_edit_shows_the_new_text_and_keeps_every_version(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado = await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE))
    chamado_id = chamado.id
    await postar(client, settings, evento(type="text", text="Chego às 14h", id="DELES-1"))
    [original] = await recebidas(db)
    await postar(client, settings, evento(type="edit", target_id="DELES-1", text="Chego às 15h"))
    wrapped = evento(
        type="edit", target_id="DELES-1", text="Chego às 16h", message_type="editedMessage"
    )
    await postar(client, settings, wrapped)
    editada = await _mensagem(db, original.id)
    assert (editada.texto, editada.texto_original) == ("Chego às 16h", "Chego às 14h")
    assert editada.editada_em is not None
    versoes = await db.scalars(
        select(AlteracaoMensagem.valor)
        .where(AlteracaoMensagem.mensagem_id == original.id)
        .order_by(AlteracaoMensagem.momento, AlteracaoMensagem.criado_em)
    )
    assert list(versoes) == ["Chego às 15h", "Chego às 16h"]
    historico = await _historico(db, chamado_id)
    assert historico[-1] == "o terceirizado editou uma mensagem: “Chego às 15h” → “Chego às 16h”"
    h = f.headers(await f.usuario(db), settings)
    [item] = (await client.get(f"/api/conversas/{chamado_id}/mensagens", headers=h)).json()["items"]
    assert item["texto"] == "Chego às 16h" and item["texto_original"] == "Chego às 14h"
    assert item["editada_em"] is not None


async def test_a_delete_keeps_the_text_for_operators_and_wins_over_later_edits(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado = await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE))
    chamado_id = chamado.id
    await postar(client, settings, evento(type="text", text="Valor: R$ 900", id="DELES-1"))
    [original] = await recebidas(db)
    await postar(client, settings, evento(type="delete", target_id="DELES-1"))
    await postar(client, settings, evento(type="edit", target_id="DELES-1", text="R$ 1.900"))
    apagada = await _mensagem(db, original.id)
    assert apagada.apagada_em is not None and apagada.texto == "Valor: R$ 900"
    assert "o terceirizado apagou uma mensagem: “Valor: R$ 900”" in await _historico(db, chamado_id)


async def test_a_thumbs_up_on_confirm_the_visit_confirms_it_through_a_rule(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado = await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE))
    chamado_id = chamado.id
    visita = utcnow() + timedelta(days=2)
    pergunta = await nossa(db, chamado, "VISITA-1", "Confirma a visita?")
    pergunta.tipo_conteudo = TipoConteudo.interactive
    pergunta.conteudo = ConteudoBotoes(
        botoes=[
            Opcao(id="visita:confirmar", titulo="Confirmo"),
            Opcao(id="visita:remarcar", titulo="Remarcar"),
        ],
        acao=Acao(tipo="visita", data_hora=visita.isoformat()),
    )
    db.add(
        RegraAutomacao(
            nome="👍 confirma a visita",
            tipo_padrao=TipoPadrao.reacao,
            padrao="👍 ✅",
            acao=AcaoRegra.tocar_opcao,
            parametro="visita:confirmar",
        )
    )
    await db.commit()
    pergunta_id = pergunta.id
    # A skin tone is still a thumbs up.
    await postar(client, settings, evento(type="reaction", target_id="VISITA-1", emoji="👍🏽"))
    confirmado = await db.get(Chamado, chamado_id, populate_existing=True)
    assert confirmado is not None and confirmado.visita_em == visita
    respondida = (await _mensagem(db, pergunta_id)).conteudo
    assert isinstance(respondida, ConteudoBotoes) and respondida.respondida is not None
    assert respondida.respondida.opcao_id == "visita:confirmar"
    assert respondida.respondida.reacao == "👍🏽"
    assert any("confirmada pelo terceirizado" in d for d in await _historico(db, chamado_id))


async def test_a_reaction_rule_does_not_fire_on_text_nor_on_other_emojis(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    chamado = await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE))
    chamado_id = chamado.id
    await nossa(db, chamado, "NOSSA-1")
    db.add(
        RegraAutomacao(
            nome="aviso", tipo_padrao=TipoPadrao.reacao, padrao="👎",
            acao=AcaoRegra.definir_prioridade, parametro="urgente",
        )
    )  # fmt: skip
    await db.commit()
    await postar(client, settings, evento(type="text", text="👎"))
    await postar(client, settings, evento(type="reaction", target_id="NOSSA-1", emoji="👍"))
    row = await db.get(Chamado, chamado_id, populate_existing=True)
    assert row is not None and row.prioridade.value == "normal"
    await postar(client, settings, evento(type="reaction", target_id="NOSSA-1", emoji="👎"))
    row = await db.get(Chamado, chamado_id, populate_existing=True)
    assert row is not None and row.prioridade.value == "urgente"


async def test_reaction_rules_are_validated(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    url = "/api/admin/automacao/regras"
    base = {"nome": "r", "tipo_padrao": "reacao", "padrao": "👍", "acao": "tocar_opcao"}
    ok = await client.post(url, json={**base, "parametro": "visita:confirmar"}, headers=h)
    assert ok.status_code == 201, ok.text
    for ruim in (
        {**base, "parametro": "nao:existe"},
        {**base, "padrao": "ok", "parametro": "visita:confirmar"},
        {**base, "tipo_padrao": "palavra_chave", "padrao": "ok", "parametro": "visita:confirmar"},
    ):
        r = await client.post(url, json=ruim, headers=h)
        assert r.status_code == 422, (ruim, r.text)
        assert r.json()["error"] == "regra_invalida"
    # A text never fires a reaction rule, even one that is only that emoji.
    testar = await client.post("/api/admin/automacao/testar", json={"texto": "👍"}, headers=h)
    assert testar.status_code == 200 and testar.json()["regras"] == []
