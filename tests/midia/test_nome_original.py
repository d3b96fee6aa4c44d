"""A file is opened in the browser and, saved, keeps the name it was sent with."""

from __future__ import annotations

from urllib.parse import quote

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.conversas.conteudo import ConteudoMidia
from gmm.conversas.models import Mensagem
from gmm.core.config import Settings
from gmm.megaapi_sim.media import pdf_one_page
from gmm.midia import armazenamento as midia
from gmm.recebimento import leitura
from tests import factories as f
from tests.recebimento.test_webhook import _midia, _url


def _disposicao(resposta: httpx.Response) -> str:
    assert resposta.status_code == 200, resposta.text
    return resposta.headers["content-disposition"]


async def test_a_file_an_operator_sent_downloads_under_its_own_name(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    chamado = await f.chamado(db, await f.terceirizado(db))
    enviada = await client.post(
        f"/api/chamados/{chamado.id}/enviar-midia",
        files={"arquivo": ("Orçamento março.pdf", pdf_one_page(), "application/pdf")},
        headers=h,
    )
    assert enviada.status_code == 201, enviada.text
    url = enviada.json()["mensagem"]["url_midia"]

    disposicao = _disposicao(await client.get(url, headers=h))
    # Opened in the browser, saved as "Orçamento março.pdf" (RFC 6266, UTF-8).
    assert disposicao.startswith("inline;")
    assert f"filename*=utf-8''{quote('Orçamento março.pdf')}" in disposicao


async def test_a_contractors_document_keeps_the_name_whatsapp_gave_it(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    terceirizado = await f.terceirizado(db)
    await f.chamado(db, terceirizado)
    corpo = _midia(
        terceirizado.telefone,
        "documentMessage",
        {"mimetype": "application/pdf", "fileName": "nota-fiscal-1234.pdf", "caption": "NF"},
    )
    resposta = await client.post(_url(settings), json=corpo)
    assert resposta.json()["resultado"] == "registrada"
    linha = await db.scalar(select(Mensagem).where(Mensagem.megaapi_id == corpo["key"]["id"]))
    assert linha is not None and isinstance(linha.conteudo, ConteudoMidia)
    assert linha.conteudo.nome_arquivo == "nota-fiscal-1234.pdf"
    # As the download job leaves it: the file stored under a generated name.
    nome = midia.salvar(settings.media_dir, "application/pdf", pdf_one_page())
    linha.url_midia = midia.URL_PREFIXO + nome
    await db.commit()

    h = f.headers(await f.usuario(db), settings)
    disposicao = _disposicao(await client.get(linha.url_midia, headers=h))
    assert disposicao == 'inline; filename="nota-fiscal-1234.pdf"'


def test_a_document_name_is_made_safe_and_keeps_an_unknown_extension() -> None:
    def nome(campos: dict[str, str]) -> str | None:
        recebida = leitura.ler(_midia("5511987654321", "documentMessage", campos))
        assert isinstance(recebida, leitura.Recebida)
        assert isinstance(recebida.conteudo, ConteudoMidia)
        return recebida.conteudo.nome_arquivo

    assert nome({"mimetype": "application/pdf", "fileName": "../../etc/NF 12.pdf"}) == "NF 12.pdf"
    assert nome({"mimetype": "application/zip", "fileName": "Fotos.ZIP"}) == "Fotos.zip"
    assert nome({"mimetype": "application/pdf"}) is None


async def test_a_file_no_message_names_is_served_under_its_stored_name(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings
) -> None:
    nome = midia.salvar(settings.media_dir, "application/pdf", pdf_one_page())
    h = f.headers(await f.usuario(db), settings)
    assert _disposicao(await client.get(midia.URL_PREFIXO + nome, headers=h)) == (
        f'inline; filename="{nome}"'
    )
