"""Which chamado a contractor's message lands on: every rule, and their order."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.automacao.models import Aguardando, EstadoConversa
from gmm.chamados.models import HistoricoChamado, StatusChamado
from gmm.conversas.conteudo import ConteudoBotoes, ConteudoLista, Opcao
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.core.db import utcnow
from gmm.recebimento.models import RoteamentoTerceirizado
from gmm.recebimento.roteamento import PERGUNTA, Aberto, chamados_citados
from gmm.terceirizados.models import IdentidadeTerceirizado
from tests import factories as f
from tests.recebimento.roteamento import (
    TELEFONE,
    dois_abertos,
    evento,
    nossa,
    postar,
    recebidas,
)


async def _perguntas(db: AsyncSession) -> list[Mensagem]:
    db.expire_all()
    return list(
        await db.scalars(select(Mensagem).where(Mensagem.texto == PERGUNTA).order_by(Mensagem.id))
    )


async def test_a_reply_quoting_our_message_goes_to_that_chamado(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    _, a, b = await dois_abertos(db)
    # B is the more recent conversation; the quote still wins.
    citada = await nossa(db, a, "NOSSA-A", "Confirma a visita amanhã?")
    await f.mensagem(db, b, direcao=Direcao.outbound, texto="E o portão?")
    await postar(client, settings, evento(type="text", text="Confirmo", reply_to="NOSSA-A"))
    [recebida] = await recebidas(db)
    assert (recebida.chamado_id, recebida.citada_id) == (a.id, citada.id)
    assert await _perguntas(db) == []


async def test_a_reply_quoting_their_own_message_goes_where_that_one_is(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    _, _a, b = await dois_abertos(db)
    await postar(client, settings, evento(type="text", text="Sobre o CH", id="DELES-1"))
    [primeira] = await recebidas(db)
    assert primeira.chamado_id is None  # two open chamados, nothing said: held
    await db.execute(update(Mensagem).where(Mensagem.id == primeira.id).values(chamado_id=b.id))
    await db.commit()
    await postar(client, settings, evento(type="text", text="Esqueci: amanhã", reply_to="DELES-1"))
    segunda = (await recebidas(db))[-1]
    assert (segunda.chamado_id, segunda.citada_id) == (b.id, primeira.id)


async def test_a_quote_of_another_contractors_message_is_neither_followed_nor_linked(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    _, a, _ = await dois_abertos(db)
    outro = await f.terceirizado(db, telefone="5521988887777")
    alheio = await f.chamado(db, outro)
    await nossa(db, alheio, "DE-OUTRO")
    await postar(client, settings, evento(type="text", text="Oi", reply_to="DE-OUTRO"))
    [recebida] = await recebidas(db)
    assert (recebida.chamado_id, recebida.citada_id) == (None, None)
    assert a.id != alheio.id


async def test_a_tap_goes_to_the_chamado_of_the_question_it_answers(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    _, a, b = await dois_abertos(db)
    pergunta = await nossa(db, a, "BOTOES-A", "Confirma?")
    pergunta.tipo_conteudo = TipoConteudo.interactive
    pergunta.conteudo = ConteudoBotoes(botoes=[Opcao(id="sim", titulo="Sim")])
    await db.commit()
    await db.refresh(a)
    await f.mensagem(db, b, direcao=Direcao.outbound)
    await postar(
        client,
        settings,
        evento(type="button", button_id="sim", button_text="Sim", reply_to="BOTOES-A"),
    )
    assert (await recebidas(db))[0].chamado_id == a.id
    # Without the quoted id (older phones): the most recent question offering that option.
    await postar(client, settings, evento(type="button", button_id="sim", button_text="Sim"))
    assert (await recebidas(db))[1].chamado_id == a.id


async def test_a_text_naming_a_chamado_goes_there(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    _, a, b = await dois_abertos(db)
    await postar(client, settings, evento(type="text", text=f"Sobre o {b.numero_chamado}: ok"))
    curto = b.numero_chamado.rsplit("-", 1)[1]
    await postar(client, settings, evento(type="text", text=f"o {curto} fica pra sexta"))
    # Money, hours and dates are not chamado numbers; two numbers are no answer.
    await postar(client, settings, evento(type="text", text=f"R$ {curto},00 às {curto}h"))
    ambos = f"{a.numero_chamado} e {b.numero_chamado}"
    await postar(client, settings, evento(type="text", text=ambos))
    assert [m.chamado_id for m in await recebidas(db)] == [b.id, b.id, None, None]


def test_chamado_numbers_in_text() -> None:
    abertos = [
        Aberto(1, "CH-2026-0012", "x", None),
        Aberto(2, "CH-2025-0012", "y", None),
        Aberto(3, "CH-2026-0140", "z", None),
    ]
    assert chamados_citados("ch 2026 12 ok", abertos) == {1}
    assert chamados_citados("CH-2026-0140", abertos) == {3}
    assert chamados_citados("é o 0012", abertos) == {1, 2}  # ambiguous: both end so
    assert chamados_citados("é o 0140", abertos) == {3}
    for texto in ("1500", "0140,00", "R$0140", "0140h", "10/0140", "CH-2026-9999", "01400"):
        assert chamados_citados(texto, abertos) == set(), texto


async def test_an_awaited_reply_goes_to_the_chamado_waiting_for_it(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t, a, _ = await dois_abertos(db)
    db.add(
        EstadoConversa(
            telefone_chave=t.telefone_chave,
            chamado_id=a.id,
            aguardando=Aguardando.nova_data_visita,
            expira_em=utcnow().replace(year=utcnow().year + 1),
        )
    )
    await db.commit()
    await postar(client, settings, evento(type="text", text="Pode ser quinta"))
    assert (await recebidas(db))[0].chamado_id == a.id


async def test_one_open_chamado_takes_it_none_leaves_it_unassigned_but_known(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t = await f.terceirizado(db, telefone=TELEFONE)
    await f.chamado(db, t, status=StatusChamado.concluido)
    await postar(client, settings, evento(type="text", text="Oi"))
    aberto = await f.chamado(db, t)
    await postar(client, settings, evento(type="text", text="Oi de novo"))
    primeira, segunda = await recebidas(db)
    assert (primeira.chamado_id, primeira.terceirizado_id) == (None, t.id)
    assert (segunda.chamado_id, segunda.terceirizado_id) == (aberto.id, t.id)
    assert await _perguntas(db) == []  # nothing to choose from: no question


async def test_held_messages_ask_once_and_the_choice_files_them(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t, a, b = await dois_abertos(db)
    t_id, a_id, b_id, a_numero, b_numero = t.id, a.id, b.id, a.numero_chamado, b.numero_chamado
    b.local = "Condomínio Jardins, bloco B"
    await db.commit()
    await postar(client, settings, evento(type="text", text="Bom dia"))
    await postar(client, settings, evento(type="text", text="Chego às 10h"))
    assert [m.chamado_id for m in await recebidas(db)] == [None, None]
    [pergunta] = await _perguntas(db)  # asked once, not per message
    assert (pergunta.chamado_id, pergunta.terceirizado_id) == (None, t_id)
    assert pergunta.direcao == Direcao.outbound and pergunta.destinatario == TELEFONE
    assert isinstance(pergunta.conteudo, ConteudoLista)
    linhas = pergunta.conteudo.opcoes()
    assert {(o.id, o.titulo) for o in linhas} == {
        (f"rotear:{a_id}", a_numero),
        (f"rotear:{b_id}", b_numero),
    }
    assert any(o.descricao == "Portão da garagem · Condomínio Jardins, bloco B" for o in linhas)

    pergunta.megaapi_id = "PERGUNTA-1"
    await db.commit()
    await postar(
        client,
        settings,
        evento(
            type="list",
            row_id=f"rotear:{b_id}",
            title=b_numero,
            reply_to="PERGUNTA-1",
        ),
    )
    na_b = list(
        await db.scalars(
            select(Mensagem)
            .where(Mensagem.chamado_id == b_id)
            .order_by(Mensagem.id)
            .execution_options(populate_existing=True)
        )
    )
    assert [m.texto for m in na_b] == ["Bom dia", PERGUNTA, "Chego às 10h", b_numero]
    escolhida = await db.get(Mensagem, pergunta.id, populate_existing=True)
    assert escolhida is not None
    assert isinstance(escolhida.conteudo, ConteudoLista) and escolhida.conteudo.respondida
    historico = await db.scalars(
        select(HistoricoChamado.descricao).where(HistoricoChamado.chamado_id == b_id)
    )
    assert any("2 mensagens a classificar" in d for d in historico)
    # For a while after, what they write goes to the chamado they picked.
    await postar(client, settings, evento(type="text", text="Já estou a caminho"))
    assert (await recebidas(db))[-1].chamado_id == b_id
    # When that window closes, the next message is held again, and asked about again.
    await db.execute(
        update(RoteamentoTerceirizado).values(
            escolha_ate=func.now(), perguntado_em=func.now() - func.make_interval(0, 0, 0, 1)
        )
    )
    await db.commit()
    await postar(client, settings, evento(type="text", text="Outra coisa"))
    assert (await recebidas(db))[-1].chamado_id is None
    assert len(await _perguntas(db)) == 2


async def test_a_choice_of_a_chamado_not_theirs_or_closed_files_nothing(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    _, a, b = await dois_abertos(db)
    outro = await f.chamado(db, await f.terceirizado(db, telefone="5521988887777"))
    await postar(client, settings, evento(type="text", text="Bom dia"))
    for escolha in (outro.id, 10**20, "x"):
        await postar(client, settings, evento(type="list", row_id=f"rotear:{escolha}", title="CH"))
    assert all(m.chamado_id is None for m in await recebidas(db))
    assert {a.id, b.id}.isdisjoint({outro.id})


async def test_simultaneous_held_messages_ask_once(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    await dois_abertos(db)
    corpos = [evento(type="text", text=f"mensagem {i}") for i in range(8)]
    resultados = await asyncio.gather(*(postar(client, settings, c) for c in corpos))
    assert resultados == ["registrada"] * 8
    assert len(await recebidas(db)) == 8
    assert len(await _perguntas(db)) == 1


async def test_a_lid_with_its_phone_is_learned_and_then_enough_alone(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t = await f.terceirizado(db, telefone=TELEFONE)
    aberto = await f.chamado(db, t)
    # The number without the 9th digit, in the @lid's company.
    sem_nono = "551187654321"
    await postar(
        client,
        settings,
        evento(type="text", text="Oi", lid="998877665544332", phone_field="remoteJidAlt",
               **{"from": sem_nono}),
    )  # fmt: skip
    await postar(
        client,
        settings,
        evento(type="text", text="Só o lid", lid="998877665544332", phone_field=None),
    )
    await postar(client, settings, evento(type="text", text="Pelo c.us", jid_domain="c.us"))
    primeira, segunda, terceira = await recebidas(db)
    assert {m.chamado_id for m in (primeira, segunda, terceira)} == {aberto.id}
    assert {m.destinatario for m in (primeira, segunda, terceira)} == {TELEFONE}
    aprendidas = set(
        await db.scalars(
            select(IdentidadeTerceirizado.jid).where(IdentidadeTerceirizado.terceirizado_id == t.id)
        )
    )
    assert aprendidas == {
        "998877665544332@lid",
        f"{sem_nono}@s.whatsapp.net",
        f"{TELEFONE}@c.us",
    }


async def test_an_unknown_lid_lands_in_messages_without_a_chamado(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    await f.chamado(db, await f.terceirizado(db, telefone=TELEFONE))
    await postar(
        client,
        settings,
        evento(type="text", text="Quem sou?", lid="111222333444", phone_field=None),
    )
    [recebida] = await recebidas(db)
    assert (recebida.chamado_id, recebida.terceirizado_id) == (None, None)
    assert recebida.destinatario == "111222333444@lid"
    h = f.headers(await f.usuario(db), settings)
    pendentes = (await client.get("/api/mensagens/nao-atribuidas", headers=h)).json()
    assert pendentes["total"] == 1 and pendentes["items"][0]["terceirizado_id"] is None
    assert (await db.scalar(select(func.count()).select_from(IdentidadeTerceirizado))) == 0


async def test_order_quote_beats_number_beats_single_and_window(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t, a, b = await dois_abertos(db)
    await nossa(db, a, "NOSSA-A")
    db.add(
        RoteamentoTerceirizado(
            terceirizado_id=t.id,
            escolhido_chamado_id=b.id,
            escolha_ate=utcnow().replace(year=utcnow().year + 1),
        )
    )
    await db.commit()
    # Quoting A while naming B: the quote wins.
    await postar(
        client, settings, evento(type="text", text=f"{b.numero_chamado}", reply_to="NOSSA-A")
    )
    # Naming A while B is the chosen one: the number wins over the window.
    await postar(client, settings, evento(type="text", text=f"é o {a.numero_chamado}"))
    # Nothing said: the window.
    await postar(client, settings, evento(type="text", text="ok"))
    assert [m.chamado_id for m in await recebidas(db)] == [a.id, a.id, b.id]


async def test_outbound_question_is_not_listed_as_unassigned(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t, _, _ = await dois_abertos(db)
    await postar(client, settings, evento(type="text", text="Bom dia"))
    h = f.headers(await f.usuario(db), settings)
    todas = (await client.get("/api/mensagens/nao-atribuidas", headers=h)).json()
    assert [m["texto"] for m in todas["items"]] == ["Bom dia"] and todas["total"] == 1
    assert todas["items"][0]["terceirizado_id"] == t.id
    dele = await client.get(f"/api/mensagens/nao-atribuidas?terceirizado_id={t.id}", headers=h)
    assert dele.json()["total"] == 1
    outro = await client.get("/api/mensagens/nao-atribuidas?terceirizado_id=999", headers=h)
    assert outro.json()["total"] == 0
    assert (await _perguntas(db))[0].status_envio in (StatusEnvio.pendente, StatusEnvio.enfileirado)
    assert (await _perguntas(db))[0].tipo == TipoMensagem.automatica


async def test_an_operator_can_vouch_for_an_unknown_sender(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    t = await f.terceirizado(db, telefone=TELEFONE)
    chamado = await f.chamado(db, t)
    t_id, chamado_id = t.id, chamado.id
    so_lid = {"lid": "555666777888", "phone_field": None}
    await postar(client, settings, evento(type="text", text="Sou eu, o Carlos", **so_lid))
    [desconhecida] = await recebidas(db)
    h = f.headers(await f.usuario(db), settings)
    url = f"/api/mensagens/{desconhecida.id}/atribuir"
    r = await client.post(
        url, json={"chamado_id": chamado_id, "reconhecer_remetente": True}, headers=h
    )
    assert r.status_code == 200 and r.json()["terceirizado_id"] == t_id
    await postar(client, settings, evento(type="text", text="Chego às 9h", **so_lid))
    assert (await recebidas(db))[-1].chamado_id == chamado_id
    # Without the flag, assigning files the message and learns nothing.
    outro_lid = {"lid": "999000111222", "phone_field": None}
    await postar(client, settings, evento(type="text", text="Quem?", **outro_lid))
    segunda = (await recebidas(db))[-1]
    await client.post(
        f"/api/mensagens/{segunda.id}/atribuir", json={"chamado_id": chamado_id}, headers=h
    )
    await postar(client, settings, evento(type="text", text="De novo", **outro_lid))
    assert (await recebidas(db))[-1].chamado_id is None
