"""Quick replies: shared ones kept by admins, each operator's own, filled per chamado."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.auth.models import Papel
from gmm.chamados.models import StatusChamado
from gmm.core.config import Settings
from gmm.prestador.models import TokenAcesso
from gmm.respostas_rapidas.models import RespostaRapida
from tests import factories as f

URL = "/api/respostas-rapidas"


async def _criar(client: httpx.AsyncClient, h: dict[str, str], **campos: object) -> httpx.Response:
    return await client.post(
        URL, json={"titulo": "Pedir fotos", "texto": "Fotos?", **campos}, headers=h
    )


async def test_each_operator_sees_the_shared_ones_and_their_own(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    admin = f.headers(await f.usuario(db, papel=Papel.admin), settings)
    ana = f.headers(await f.usuario(db), settings)
    beto = f.headers(await f.usuario(db), settings)
    compartilhada = await _criar(client, admin, titulo="Bom dia", compartilhada=True)
    assert compartilhada.status_code == 201, compartilhada.text
    assert (await _criar(client, ana, titulo="Da Ana")).status_code == 201
    assert (await _criar(client, beto, titulo="Do Beto")).status_code == 201

    vistas = (await client.get(URL, headers=ana)).json()
    assert [(r["titulo"], r["compartilhada"], r["editavel"]) for r in vistas] == [
        ("Bom dia", True, False),
        ("Da Ana", False, True),
    ]
    # Another operator's own is as good as missing to Ana.
    do_beto = (await client.get(URL, headers=beto)).json()[-1]["id"]
    assert (await client.delete(f"{URL}/{do_beto}", headers=ana)).status_code == 404
    # The shared ones are the admins' to change.
    id_compartilhada = compartilhada.json()["id"]
    mudar = await client.patch(f"{URL}/{id_compartilhada}", json={"texto": "Oi"}, headers=ana)
    assert mudar.status_code == 403
    assert (await _criar(client, ana, compartilhada=True)).status_code == 403
    mudou = await client.patch(f"{URL}/{id_compartilhada}", json={"texto": "Oi"}, headers=admin)
    assert mudou.status_code == 200 and mudou.json()["texto"] == "Oi"
    assert (await client.delete(f"{URL}/{id_compartilhada}", headers=admin)).status_code == 204
    assert [r["titulo"] for r in (await client.get(URL, headers=ana)).json()] == ["Da Ana"]


async def test_unknown_variables_and_bad_texts_are_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    for campos in (
        {"texto": "Olá {cliente}"},
        {"titulo": ""},
        {"texto": "x" * 4097},
        {"cor": "azul"},
    ):
        resposta = await _criar(client, h, **campos)
        assert resposta.status_code == 422, (campos, resposta.text)
    desconhecida = (await _criar(client, h, texto="Olá {cliente}")).json()["detail"][0]["msg"]
    assert desconhecida.startswith("Variável desconhecida: {cliente}")
    assert await db.scalar(select(func.count()).select_from(RespostaRapida)) == 0
    assert (await client.get(URL)).status_code == 401


async def test_filled_for_a_chamado_with_a_new_link_when_asked(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    t = await f.terceirizado(db)
    prazo = datetime(2026, 12, 10, 17, 30, tzinfo=UTC)
    c = await f.chamado(db, t, titulo="Troca de disjuntor", prazo=prazo)
    texto = "Olá, {terceirizado}! Chamado {chamado} ({titulo}), até {prazo}. Link: {link_prestador}"
    criada = (await _criar(client, h, texto=texto)).json()

    resposta = await client.post(f"{URL}/{criada['id']}/preencher?chamado_id={c.id}", headers=h)
    assert resposta.status_code == 200, resposta.text
    preenchido = resposta.json()["texto"]
    inicio = f"Olá, {t.nome}! Chamado {c.numero_chamado} (Troca de disjuntor), até 10/12/2026"
    assert preenchido.startswith(inicio)
    assert "14:30" in preenchido  # America/Sao_Paulo
    assert "/p/" in preenchido and "{" not in preenchido
    # The link is made (so it works) but nothing is sent: the operator sends the text.
    assert await db.scalar(select(func.count()).select_from(TokenAcesso)) == 1

    c.status = StatusChamado.concluido
    await db.commit()
    fechado = await client.post(f"{URL}/{criada['id']}/preencher?chamado_id={c.id}", headers=h)
    assert fechado.status_code == 409
    sem_chamado = await client.post(f"{URL}/{criada['id']}/preencher?chamado_id=999999", headers=h)
    assert sem_chamado.status_code == 404
