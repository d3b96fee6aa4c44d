"""Search over what messages say: Portuguese stems, no accents, the snippet marked."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.conversas import service
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from tests import factories as f

URL = "/api/mensagens/busca"


async def test_finds_words_in_any_form_and_marks_them_in_the_snippet(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    t = await f.terceirizado(db)
    c = await f.chamado(db, t, titulo="Quadro elétrico")
    antiga = await f.mensagem(db, c, texto="Segue o orçamento do disjuntor, aprovado ontem.")
    await f.mensagem(db, c, texto="Chego às 9h amanhã.")
    nova = await f.mensagem(db, c, texto="Mandei dois ORCAMENTOS novos para o quadro")
    # A voice note is found by what was said in it.
    audio = Mensagem(
        chamado_id=c.id,
        direcao=Direcao.inbound,
        tipo=TipoMensagem.recebida,
        tipo_conteudo=TipoConteudo.audio,
        transcricao="o orçamento ficou em mil e quinhentos",
        destinatario=t.telefone,
        status_envio=StatusEnvio.entregue,
    )
    db.add(audio)
    await db.commit()

    resposta = await client.get(URL, params={"q": "orçamento"}, headers=h)
    assert resposta.status_code == 200, resposta.text
    achadas = resposta.json()["items"]
    assert [a["mensagem_id"] for a in achadas] == [audio.id, nova.id, antiga.id]
    primeira = achadas[1]
    assert primeira["chamado_id"] == c.id and primeira["numero_chamado"] == c.numero_chamado
    assert primeira["prestador"] == t.nome and primeira["titulo"] == "Quadro elétrico"
    realce = [p["texto"] for p in primeira["trecho"] if p["destaque"]]
    assert realce == ["ORCAMENTOS"]
    assert "".join(p["texto"] for p in primeira["trecho"]).startswith("Mandei dois ORCAMENTOS")

    # Pages by cursor, newest first; an exact phrase and a word left out.
    pagina = (await client.get(URL, params={"q": "orcamento", "limit": 2}, headers=h)).json()
    assert len(pagina["items"]) == 2 and pagina["next_cursor"]
    resto = await client.get(
        URL, params={"q": "orcamento", "limit": 2, "cursor": pagina["next_cursor"]}, headers=h
    )
    assert [a["mensagem_id"] for a in resto.json()["items"]] == [antiga.id]
    frase = (await client.get(URL, params={"q": '"do disjuntor"'}, headers=h)).json()["items"]
    assert [a["mensagem_id"] for a in frase] == [antiga.id]
    sem = (await client.get(URL, params={"q": "orçamento -quadro"}, headers=h)).json()["items"]
    assert {a["mensagem_id"] for a in sem} == {audio.id, antiga.id}


async def test_matches_older_than_the_newest_window_are_found_in_order_across_pages(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A window of 3 messages: the search looks there first, then at the older ones.
    monkeypatch.setattr(service, "JANELA_BUSCA", 3)
    h = f.headers(await f.usuario(db), settings)
    c = await f.chamado(db, await f.terceirizado(db))
    ids = []
    for n in range(12):
        # The word is frequent long ago and absent lately, the walk back's worst case.
        texto = f"Disjuntor trocado no quadro {n}" if n < 6 or n == 8 else f"Bom dia {n}"
        ids.append((await f.mensagem(db, c, texto=texto)).id)
    esperadas = [ids[8], *reversed(ids[:6])]

    vistas: list[int] = []
    cursor = None
    for _ in range(10):
        params = {"q": "disjuntores", "limit": "2", **({"cursor": cursor} if cursor else {})}
        resposta = await client.get(URL, params=params, headers=h)
        assert resposta.status_code == 200, resposta.text
        pagina = resposta.json()
        vistas += [a["mensagem_id"] for a in pagina["items"]]
        cursor = pagina["next_cursor"]
        if not cursor:
            break
    assert vistas == esperadas
    todas = (await client.get(URL, params={"q": "disjuntor", "limit": "50"}, headers=h)).json()
    assert [a["mensagem_id"] for a in todas["items"]] == esperadas
    assert todas["next_cursor"] is None


async def test_search_needs_a_user_and_a_real_query(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    assert (await client.get(URL, params={"q": "oi"})).status_code == 401
    h = f.headers(await f.usuario(db), settings)
    for params in ({}, {"q": "a"}, {"q": "x" * 201}, {"q": "ok", "cursor": "nao-e-cursor"}):
        assert (await client.get(URL, params=params, headers=h)).status_code == 422, params
    # Words the search ignores (or only punctuation) find nothing, without an error.
    for q in ("de", "!!", "- -", '""'):
        resposta = await client.get(URL, params={"q": q}, headers=h)
        assert resposta.status_code == 200, (q, resposta.text)
        assert resposta.json()["items"] == []
