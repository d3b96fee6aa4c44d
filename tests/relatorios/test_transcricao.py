"""GET /api/chamados/{id}/transcricao.pdf: the PDF read back with pypdf."""

from __future__ import annotations

import io
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import cast

import httpx
import pytest
from PIL import Image as PILImage
from pypdf import PdfReader
from pypdf.generic import DictionaryObject
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import (
    Chamado,
    HistoricoChamado,
    OrigemHistorico,
    Prioridade,
    StatusChamado,
)
from gmm.conversas.conteudo import ConteudoMidia
from gmm.conversas.models import Direcao, Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.midia import armazenamento as midia
from gmm.relatorios import pdf
from tests import factories as f

INICIO = datetime(2025, 3, 10, 13, 0, tzinfo=UTC)  # 10:00 in São Paulo


def _url(chamado_id: int) -> str:
    return f"/api/chamados/{chamado_id}/transcricao.pdf"


def _foto(largura: int = 1600, altura: int = 1200) -> bytes:
    saida = io.BytesIO()
    PILImage.new("RGB", (largura, altura), (200, 120, 40)).save(saida, "JPEG")
    return saida.getvalue()


def _ler(response: httpx.Response) -> tuple[PdfReader, str]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    leitor = PdfReader(io.BytesIO(response.content))
    return leitor, "\n".join(pagina.extract_text() for pagina in leitor.pages)


def _mensagem(chamado: Chamado, minutos: int, **campos: object) -> Mensagem:
    valores: dict[str, object] = {
        "chamado_id": chamado.id,
        "terceirizado_id": chamado.terceirizado_id,
        "direcao": Direcao.inbound,
        "tipo": TipoMensagem.recebida,
        "destinatario": "5511987654321",
        "status_envio": StatusEnvio.entregue,
        "momento": INICIO + timedelta(minutes=minutos),
    }
    if campos.get("direcao") == Direcao.outbound:
        valores["tipo"] = TipoMensagem.resposta_manual
    return Mensagem(**(valores | campos))


async def test_the_transcript_has_the_chamado_every_message_and_the_history(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, config: Settings
) -> None:
    operador = await f.usuario(db)
    h = f.headers(operador, settings)
    t = await f.terceirizado(
        db, nome="João da Conceição", empresa="Elétrica Ação", telefone="5511987654321"
    )
    chamado = await f.chamado(
        db,
        t,
        titulo="Troca do disjuntor do quadro",
        prioridade=Prioridade.alta,
        status=StatusChamado.concluido,
        prazo=datetime(2025, 3, 12, 20, 0, tzinfo=UTC),
    )
    chamado.local = "Condomínio Jardins, bloco B"
    chamado.criado_em = INICIO
    chamado.finalizado_em = datetime(2025, 3, 11, 21, 15, tzinfo=UTC)
    chamado.valor_orcamento = Decimal("1500.00")
    nome_foto = midia.salvar(config.media_dir, "image/jpeg", _foto())

    abertura = _mensagem(
        chamado,
        0,
        direcao=Direcao.outbound,
        tipo=TipoMensagem.criacao,
        texto="Olá, João! Novo chamado: troca do disjuntor.",
        status_envio=StatusEnvio.lido,
    )
    resposta = _mensagem(
        chamado, 5, texto="Começo amanhã às 8h, não dá hoje. Ação rápida é garantida!"
    )
    editada = _mensagem(
        chamado,
        6,
        texto="Chego às 9h",
        texto_original="Chego às 7h",
        editada_em=INICIO + timedelta(minutes=7),
    )
    apagada = _mensagem(
        chamado, 8, texto="Mensagem por engano", apagada_em=INICIO + timedelta(minutes=9)
    )
    foto = _mensagem(
        chamado,
        20,
        tipo_conteudo=TipoConteudo.image,
        texto="Foto do quadro queimado",
        caption="Foto do quadro queimado",
        url_midia=midia.URL_PREFIXO + nome_foto,
        conteudo=ConteudoMidia(midia_status="pronta", midia={"tipo": "imageMessage"}),
    )
    sem_arquivo = _mensagem(
        chamado,
        21,
        tipo_conteudo=TipoConteudo.document,
        caption=None,
        texto=None,
        conteudo=ConteudoMidia(
            midia_status="falhou", nome_arquivo="orçamento.pdf", midia={"tipo": "documentMessage"}
        ),
    )
    db.add_all([abertura, resposta, editada, apagada, foto, sem_arquivo])
    await db.flush()
    abertura.reacao = "👍"
    # Stored after the others, yet written before the photo: the conversation's order.
    citando = _mensagem(
        chamado,
        10,
        direcao=Direcao.outbound,
        texto="Combinado, até amanhã às 8h.",
        citada_id=resposta.id,
        status_envio=StatusEnvio.entregue,
    )
    falhou = _mensagem(
        chamado,
        30,
        direcao=Direcao.outbound,
        texto="Pode mandar a nota?",
        status_envio=StatusEnvio.falhou,
        erro="número sem WhatsApp",
    )
    db.add_all([citando, falhou])
    db.add_all(
        [
            HistoricoChamado(
                chamado_id=chamado.id,
                origem=OrigemHistorico.operador,
                descricao="chamado aberto",
                status_novo=StatusChamado.aguardando,
                usuario_id=operador.id,
                criado_em=INICIO,
            ),
            HistoricoChamado(
                chamado_id=chamado.id,
                origem=OrigemHistorico.automacao,
                descricao="regra Chegada ao local",
                status_anterior=StatusChamado.aguardando,
                status_novo=StatusChamado.em_andamento,
                criado_em=INICIO + timedelta(hours=20),
            ),
        ]
    )
    await db.commit()

    response = await client.get(_url(chamado.id), headers=h)
    leitor, texto = _ler(response)
    disposicao = response.headers["content-disposition"]
    assert disposicao.startswith(f'attachment; filename="transcricao-{chamado.numero_chamado}.pdf"')
    assert leitor.metadata is not None
    assert leitor.metadata.title == f"Transcrição do chamado {chamado.numero_chamado}"

    # The chamado's data.
    for trecho in [
        f"Transcrição do chamado {chamado.numero_chamado}",
        "Troca do disjuntor do quadro",
        "Condomínio Jardins, bloco B",
        "Concluído",
        "Alta",
        "João da Conceição (Elétrica Ação)",
        "(11) 98765-4321",
        "10/03/2025 10:00",  # criado em
        "12/03/2025 17:00",  # prazo
        "11/03/2025 18:15",  # finalizado em
        "R$ 1.500,00",
    ]:
        assert trecho in texto, trecho
    # Every message, accents and all, in the conversation's order.
    ordem = [
        "Olá, João! Novo chamado",
        "Começo amanhã às 8h, não dá hoje. Ação rápida é garantida!",
        "Chego às 9h",
        "Mensagem por engano",
        "Combinado, até amanhã às 8h.",
        "Foto do quadro queimado",
        "orçamento.pdf",
        "Pode mandar a nota?",
    ]
    posicoes = [texto.index(trecho) for trecho in ordem]
    assert posicoes == sorted(posicoes)
    # Ticks and arrows where the font has them (DejaVu Sans), words alone without.
    simbolos = pdf.fonte().simbolos
    tiques, citacao, seta = ("✓✓ ", "↪", "→") if simbolos else ("", "»", "->")
    assert f"10/03/2025 10:00 · Operador (abertura do chamado) · {tiques}lida" in texto
    assert "10/03/2025 10:05 · João da Conceição" in texto
    assert f"10/03/2025 10:10 · Operador · {tiques}entregue" in texto
    assert f"{citacao} em resposta a: Começo amanhã às 8h" in texto
    assert "editada em 10/03/2025 10:07; original: Chego às 7h" in texto
    assert "apagada pelo terceirizado em 10/03/2025 10:09" in texto
    # DejaVu Sans has no emoji: the reaction is spelled out.
    assert "Reação do terceirizado: [thumbs up sign]" in texto
    assert "[Documento: orçamento.pdf]" in texto
    assert "Falha no envio: número sem WhatsApp" in texto
    # The history, with who did it.
    assert f"10/03/2025 10:00 · Operador ({operador.nome}) · chamado aberto (Aguardando)" in texto
    assert (
        f"11/03/2025 06:00 · Automação · regra Chegada ao local (Aguardando {seta} Em andamento)"
        in (texto)
    )
    assert texto.index("Histórico do chamado") > texto.index("Pode mandar a nota?")
    # The footer on every page.
    total = len(leitor.pages)
    for numero, pagina in enumerate(leitor.pages, start=1):
        rodape = pagina.extract_text()
        assert f"Página {numero} de {total}" in rodape
        assert "Transcrição gerada em " in rodape
    # The stored photo, as a thumbnail: one image, shrunk.
    imagens = [imagem for pagina in leitor.pages for imagem in pagina.images]
    assert len(imagens) == 1
    assert imagens[0].image is not None
    assert max(imagens[0].image.size) <= pdf.PIXELS_MINIATURA


async def test_a_photo_missing_or_unreadable_prints_a_note_not_an_error(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, config: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    chamado = await f.chamado(db, await f.terceirizado(db))
    estragada = midia.salvar(config.media_dir, "image/jpeg", b"\xff\xd8\xff nao e um jpeg")
    db.add_all(
        [
            _mensagem(
                chamado,
                0,
                tipo_conteudo=TipoConteudo.image,
                url_midia=midia.URL_PREFIXO + "0" * 32 + ".jpg",
            ),
            _mensagem(
                chamado,
                1,
                tipo_conteudo=TipoConteudo.image,
                url_midia=midia.URL_PREFIXO + estragada,
            ),
            # Never stored under gmm.midia's names: not read from disk at all.
            _mensagem(chamado, 2, tipo_conteudo=TipoConteudo.image, url_midia="../../etc/passwd"),
        ]
    )
    await db.commit()
    leitor, texto = _ler(await client.get(_url(chamado.id), headers=h))
    assert texto.count("[foto não guardada]") == 2
    assert texto.count("[foto ilegível]") == 1
    assert not [imagem for pagina in leitor.pages for imagem in pagina.images]


async def test_a_long_conversation_builds_page_after_page(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, config: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    chamado = await f.chamado(db, await f.terceirizado(db, nome="Zé Conserta"))
    linhas = [
        {
            "chamado_id": chamado.id,
            "direcao": Direcao.outbound if n % 2 else Direcao.inbound,
            "tipo": TipoMensagem.resposta_manual if n % 2 else TipoMensagem.recebida,
            "texto": f"Mensagem {n:04d}: manutenção preventiva, sem pressão." * (1 + n % 5),
            "destinatario": "5511987654321",
            "status_envio": StatusEnvio.lido,
            "momento": INICIO + timedelta(minutes=n),
        }
        for n in range(2_000)
    ]
    await db.execute(insert(Mensagem), linhas)
    await db.commit()
    leitor, texto = _ler(await client.get(_url(chamado.id), headers=h))
    assert "Conversa (2000 mensagens)" in texto
    assert len(leitor.pages) > 50
    assert "Mensagem 0000" in leitor.pages[0].extract_text()
    assert "Mensagem 1999" in texto
    assert f"Página {len(leitor.pages)} de {len(leitor.pages)}" in leitor.pages[-1].extract_text()


async def test_an_empty_chamado_still_prints(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, config: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    chamado = await f.chamado(db, await f.terceirizado(db))
    _, texto = _ler(await client.get(_url(chamado.id), headers=h))
    assert "Conversa (0 mensagens)" in texto
    assert "Nenhuma mensagem." in texto
    assert "Nenhum registro." in texto
    assert "a combinar" in texto  # no deadline


async def test_unknown_chamado_bad_id_and_no_token(
    client: httpx.AsyncClient, db: AsyncSession, settings: Settings, config: Settings
) -> None:
    h = f.headers(await f.usuario(db), settings)
    chamado = await f.chamado(db, await f.terceirizado(db))
    response = await client.get(_url(chamado.id + 1), headers=h)
    assert response.status_code == 404
    assert response.json()["error"] == "nao_encontrado"
    for invalido in ("0", "abc", str(2**63), "%00"):
        response = await client.get(f"/api/chamados/{invalido}/transcricao.pdf", headers=h)
        assert response.status_code == 422, invalido
    response = await client.get(_url(chamado.id))
    assert response.status_code == 401
    assert response.json()["error"] == "nao_autenticado"


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("ação <b>&</b>", "ação &lt;b&gt;&amp;&lt;/b&gt;"),
        ("linha 1\nlinha 2", "linha 1<br/>linha 2"),
        ("ok 👍🏽", "ok [thumbs up sign][emoji modifier fitzpatrick type-4]"),
        ("coração ❤️", "coração ❤"),
        ("sem\x0bcontrole", "semcontrole"),
    ],
)
def test_text_becomes_safe_markup_for_the_font(texto: str, esperado: str) -> None:
    assert pdf._marcacao(texto, pdf.fonte().tem) == esperado


@pytest.fixture
def fontes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[..., None]]:
    """Draw with only the given DejaVu files (copied from the machine's) in the font folder."""
    original = pdf.PASTA_DEJAVU

    def usar(*arquivos: str) -> None:
        pasta = tmp_path / "fontes"
        pasta.mkdir()
        for arquivo in arquivos:
            if not (original / arquivo).is_file():
                pytest.skip(f"{arquivo} não instalada (fonts-dejavu-core)")
            shutil.copy(original / arquivo, pasta / arquivo)
        monkeypatch.setattr(pdf, "PASTA_DEJAVU", pasta)
        pdf.fonte.cache_clear()

    yield usar
    pdf.fonte.cache_clear()


async def _conversa_curta(db: AsyncSession) -> Chamado:
    chamado = await f.chamado(db, await f.terceirizado(db, nome="Zé da Ação"))
    pergunta = _mensagem(chamado, 0, texto="Começo amanhã às 8h, é possível? 👍")
    db.add(pergunta)
    await db.flush()
    db.add(
        _mensagem(
            chamado,
            1,
            direcao=Direcao.outbound,
            texto="Sim, pode começar.",
            citada_id=pergunta.id,
            status_envio=StatusEnvio.lido,
        )
    )
    db.add(
        HistoricoChamado(
            chamado_id=chamado.id,
            origem=OrigemHistorico.terceirizado,
            descricao="botão Iniciar",
            status_anterior=StatusChamado.aguardando,
            status_novo=StatusChamado.em_andamento,
        )
    )
    await db.commit()
    return chamado


def _fontes_usadas(leitor: PdfReader) -> set[str]:
    fontes = set()
    for pagina in leitor.pages:
        recursos = cast(DictionaryObject, pagina["/Resources"].get_object())
        for fonte in cast(DictionaryObject, recursos["/Font"].get_object()).values():
            fontes.add(str(cast(DictionaryObject, fonte.get_object())["/BaseFont"]))
    return fontes


async def test_debian_core_dejavu_alone_embeds_the_font_with_the_ticks(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    config: Settings,
    fontes: Callable[..., None],
) -> None:
    # fonts-dejavu-core: regular and bold, no oblique face (that one is in -extra).
    fontes("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
    h = f.headers(await f.usuario(db), settings)
    chamado = await _conversa_curta(db)
    leitor, texto = _ler(await client.get(_url(chamado.id), headers=h))
    usadas = _fontes_usadas(leitor)
    # Embedded subsets of the two faces, and nothing else.
    assert {nome.split("+", 1)[-1] for nome in usadas} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert "Começo amanhã às 8h, é possível? [thumbs up sign]" in texto
    assert "Operador · ✓✓ lida" in texto
    assert "↪ em resposta a: Começo amanhã" in texto
    assert "(Aguardando → Em andamento)" in texto


async def test_without_dejavu_helvetica_prints_the_accents_and_words_for_the_symbols(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    config: Settings,
    fontes: Callable[..., None],
) -> None:
    fontes()
    h = f.headers(await f.usuario(db), settings)
    chamado = await _conversa_curta(db)
    leitor, texto = _ler(await client.get(_url(chamado.id), headers=h))
    assert _fontes_usadas(leitor) <= {"/Helvetica", "/Helvetica-Bold", "/Helvetica-Oblique"}
    assert "Começo amanhã às 8h, é possível? [thumbs up sign]" in texto
    assert "Zé da Ação" in texto
    assert "Operador · lida" in texto
    assert "» em resposta a: Começo amanhã" in texto
    assert "(Aguardando -> Em andamento)" in texto
    assert "✓" not in texto and "↪" not in texto
