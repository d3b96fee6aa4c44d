"""Operators send files: typed by content, held to WhatsApp limits, sent by signed URL or inline."""

from __future__ import annotations

import base64
import io
import struct
import time
import zipfile
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi import FastAPI, UploadFile
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.chamados.models import StatusChamado
from gmm.conversas.conteudo import ConteudoArquivo
from gmm.conversas.models import Mensagem, StatusEnvio, TipoConteudo, TipoMensagem
from gmm.core.config import Settings
from gmm.envio.fila import QUEUE_NAME, job_id
from gmm.megaapi_sim.media import pdf_one_page, png_1x1
from gmm.midia import armazenamento as midia
from gmm.midia import arquivos
from gmm.midia.arquivos import ArquivoInvalido, receber_upload
from tests import factories as f
from tests.conteudo import guardado
from tests.entrega import Simulador, WorkerFactory
from tests.envio.test_entrega import _esperar, _status
from tests.mensagens import frase

MB = 1024 * 1024
PUBLICA = "https://gmm.example.com"
OOXML = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}


# -- real small files, built here -------------------------------------------------------


def jpeg() -> bytes:
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    return b"\xff\xd8" + app0 + b"\xff\xd9"


def office(tipo: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        z.writestr(OOXML[tipo], "<documento/>")
    return buffer.getvalue()


def zip_simples() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("leia.txt", "oi")
    return buffer.getvalue()


def ole(assinatura: bytes) -> bytes:
    """A Compound File (Office 97-2003) with the first bytes Word/Excel/PowerPoint write."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + assinatura + bytes(3000)


def isobmff(marca: bytes, *compativeis: bytes) -> bytes:
    caixa = b"ftyp" + marca + bytes(4) + b"".join(compativeis)
    return struct.pack(">I", len(caixa) + 4) + caixa + b"\x00\x00\x00\x08free"


ELF = b"\x7fELF\x02\x01\x01\x00" + bytes(120)
EXE = b"MZ\x90\x00\x03" + bytes(120)
HTML = b"<!DOCTYPE html>\n<html><script>alert(document.cookie)</script></html>"

ACEITOS: list[tuple[str, bytes, str, TipoConteudo]] = [
    ("foto.png", png_1x1(), "image/png", TipoConteudo.image),
    ("foto.jpg", jpeg(), "image/jpeg", TipoConteudo.image),
    ("laudo.pdf", pdf_one_page(), "application/pdf", TipoConteudo.document),
    ("relatorio.docx", office("docx"), midia.TIPOS[".docx"], TipoConteudo.document),
    ("planilha.xlsx", office("xlsx"), midia.TIPOS[".xlsx"], TipoConteudo.document),
    ("slides.pptx", office("pptx"), midia.TIPOS[".pptx"], TipoConteudo.document),
    ("antigo.doc", ole(b"\xec\xa5\xc1\x00"), "application/msword", TipoConteudo.document),
    (
        "antiga.xls",
        ole(b"\x09\x08\x10\x00\x00\x06\x05\x00"),
        "application/vnd.ms-excel",
        TipoConteudo.document,
    ),
    (
        "antigo.ppt",
        ole(b"\xa0\x46\x1d\xf0"),
        "application/vnd.ms-powerpoint",
        TipoConteudo.document,
    ),
    ("notas.txt", "Relatório: troca concluída ✓\r\n".encode(), "text/plain", TipoConteudo.document),
    ("audio.mp3", b"ID3\x03\x00\x00\x00\x00\x00\x00" + bytes(64), "audio/mpeg", TipoConteudo.audio),
    ("audio.ogg", b"OggS\x00\x02" + bytes(64), "audio/ogg", TipoConteudo.audio),
    ("audio.m4a", isobmff(b"M4A ", b"M4A ", b"isom"), "audio/mp4", TipoConteudo.audio),
    ("audio.amr", b"#!AMR\n" + bytes(64), "audio/amr", TipoConteudo.audio),
    ("audio.aac", b"\xff\xf1\x50\x80" + bytes(64), "audio/aac", TipoConteudo.audio),
    ("video.mp4", isobmff(b"isom", b"isom", b"mp41"), "video/mp4", TipoConteudo.video),
    ("video.3gp", isobmff(b"3gp4", b"isom", b"3gp4"), "video/3gpp", TipoConteudo.video),
]


def _upload(dados: bytes | io.RawIOBase, nome: str | None) -> UploadFile:
    arquivo = io.BytesIO(dados) if isinstance(dados, bytes) else dados
    return UploadFile(file=arquivo, filename=nome)  # type: ignore[arg-type]


def _guardados(pasta: Path) -> list[str]:
    return sorted(p.name for p in pasta.iterdir()) if pasta.exists() else []


# -- the shared module: receber_upload ---------------------------------------------------


@pytest.mark.parametrize(("nome", "dados", "mime", "tipo"), ACEITOS, ids=[a[0] for a in ACEITOS])
async def test_accepted_types_are_told_by_their_bytes(
    settings: Settings, tmp_path: Path, nome: str, dados: bytes, mime: str, tipo: TipoConteudo
) -> None:
    pasta = tmp_path / "midia"
    config = settings.model_copy(update={"media_dir": pasta})

    recebido = await receber_upload(_upload(dados, nome), config, inline=True)

    assert (recebido.mime_type, recebido.tipo_conteudo) == (mime, tipo)
    assert recebido.tamanho == len(dados) and recebido.nome_original == nome
    assert midia.caminho(pasta, recebido.nome) is not None
    assert recebido.nome == f"{recebido.nome[:32]}{midia.extensao(mime)}"
    assert (pasta / recebido.nome).read_bytes() == dados
    assert _guardados(pasta) == [recebido.nome]


@pytest.mark.parametrize(
    ("nome", "dados", "regra"),
    [
        ("foto.jpg", ELF, "o nome diz .jpg, mas o conteúdo é application/x-executable"),
        ("nota.pdf", EXE, "o nome diz .pdf, mas o conteúdo é application/x-msdownload"),
        ("relatorio.docx", zip_simples(), "o conteúdo é application/zip"),
        ("nota.pdf", HTML, "HTML/XML não é enviado"),
        ("nota.txt", b"  <svg onload=alert(1)>", "HTML/XML não é enviado"),
        ("foto.png", b"GIF89a" + bytes(40), "o conteúdo é image/gif"),
        ("video.mov", isobmff(b"qt  ", b"qt  "), "o conteúdo é video/quicktime"),
        ("dados.pdf", bytes(range(256)) * 4, "conteúdo não reconhecido"),
        ("vazio.pdf", b"", "arquivo vazio"),
        ("texto.txt", b"linha 1\n" + b"\xff\xfe ruim", "conteúdo não reconhecido"),
        ("texto.txt", b"x" * 9000 + b"\xc3\x28", "texto precisa ser UTF-8 válido"),
        ("texto.txt", b"x" * 9000 + b"\x00", "bytes nulos"),
    ],
)
async def test_forbidden_or_disguised_files_are_refused_and_nothing_stays(
    settings: Settings, tmp_path: Path, nome: str, dados: bytes, regra: str
) -> None:
    pasta = tmp_path / "midia"
    config = settings.model_copy(update={"media_dir": pasta})

    with pytest.raises(ArquivoInvalido) as erro:
        await receber_upload(_upload(dados, nome), config, inline=True)

    assert erro.value.status_code == 422 and erro.value.error == "arquivo_invalido"
    assert regra in erro.value.detail
    assert _guardados(pasta) == []


@pytest.mark.parametrize(
    ("original", "exibido"),
    [
        ("../../etc/passwd", "passwd.pdf"),
        ("..\\..\\windows\\system32\\laudo.PDF", "laudo.pdf"),
        ("/abs/path/nota fiscal.pdf", "nota fiscal.pdf"),
        ("nul\x00byte.pdf", "nulbyte.pdf"),
        ("fatura\u202efdp.exe", "faturafdp.pdf"),  # right-to-left override spoofing
        ("...", "arquivo.pdf"),
        (".bashrc", "bashrc.pdf"),
        ("foto.jpg", "foto.pdf"),  # the content decides the extension
        (None, "arquivo.pdf"),
        ("a" * 300 + ".pdf", "a" * 120 + ".pdf"),
    ],
)
async def test_client_file_names_never_reach_the_disk_and_are_shown_clean(
    settings: Settings, tmp_path: Path, original: str | None, exibido: str
) -> None:
    pasta = tmp_path / "midia"
    config = settings.model_copy(update={"media_dir": pasta})

    recebido = await receber_upload(_upload(pdf_one_page(), original), config, inline=True)

    assert recebido.nome_original == exibido
    assert _guardados(pasta) == [recebido.nome] and recebido.nome.endswith(".pdf")
    assert len(recebido.nome) == 36
    assert not (tmp_path / "etc").exists()


class Infinito(io.RawIOBase):
    """An endless upload that counts what was read from it."""

    def __init__(self, cabeca: bytes) -> None:
        self.cabeca, self.lido = cabeca, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        assert n > 0, "the upload must be read in chunks"
        parte = (self.cabeca if self.lido == 0 else b"\x00" * n)[:n]
        self.lido += len(parte)
        return parte

    def seek(self, offset: int, whence: int = 0) -> int:
        return 0


@pytest.mark.parametrize(
    ("cabeca", "inline", "limite", "regra"),
    [
        (png_1x1(), True, 5 * MB, "imagem com no máximo 5 MB"),
        (jpeg(), False, 5 * MB, "imagem com no máximo 5 MB"),
        (b"OggS\x00\x02" + bytes(64), False, 16 * MB, "áudio com no máximo 16 MB"),
        (isobmff(b"isom", b"isom"), False, 16 * MB, "vídeo com no máximo 16 MB"),
        (pdf_one_page(), True, 16 * MB, "documento com no máximo 16 MB quando enviado inline"),
    ],
)
async def test_oversize_is_refused_in_chunks_without_reading_it_all(
    settings: Settings, tmp_path: Path, cabeca: bytes, inline: bool, limite: int, regra: str
) -> None:
    pasta = tmp_path / "midia"
    config = settings.model_copy(update={"media_dir": pasta})
    fonte = Infinito(cabeca)

    with pytest.raises(ArquivoInvalido, match=regra):
        await receber_upload(_upload(fonte, "grande"), config, inline=inline)

    # Stopped right past the limit: at most one chunk more was read.
    assert limite < fonte.lido <= limite + arquivos.PEDACO
    assert _guardados(pasta) == []


async def test_limits_are_inclusive_and_documents_by_url_go_to_100_mb(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pasta = tmp_path / "midia"
    config = settings.model_copy(update={"media_dir": pasta})
    png = png_1x1()
    no_limite = png + bytes(5 * MB - len(png))
    assert (
        await receber_upload(_upload(no_limite, "f.png"), config, inline=True)
    ).tamanho == 5 * MB
    grande = pdf_one_page() + bytes(16 * MB)
    with pytest.raises(ArquivoInvalido, match="16 MB quando enviado inline"):
        await receber_upload(_upload(grande, "g.pdf"), config, inline=True)
    assert (await receber_upload(_upload(grande, "g.pdf"), config, inline=False)).tamanho > 16 * MB
    # The size the multipart parser counted is trusted to refuse early, never to accept.
    declarado = UploadFile(file=io.BytesIO(png), filename="f.png", size=5 * MB + 1)
    with pytest.raises(ArquivoInvalido, match="imagem com no máximo 5 MB"):
        await receber_upload(declarado, config, inline=True)
    # 100 MB is the same rule with another number: shrunk here to keep the test small.
    pdf = "application/pdf"
    monkeypatch.setitem(arquivos.ACEITOS, pdf, (TipoConteudo.document, 20 * MB))
    assert arquivos.limite(pdf, inline=False) == 20 * MB
    assert arquivos.limite(pdf, inline=True) == 16 * MB
    with pytest.raises(ArquivoInvalido, match=r"documento com no máximo 20 MB$"):
        await receber_upload(_upload(Infinito(pdf_one_page()), "x"), config, inline=False)


# -- the endpoint ---------------------------------------------------------------------------


Configurar = Callable[..., Settings]


@pytest.fixture
async def configurar(app: FastAPI, settings: Settings, tmp_path: Path) -> AsyncIterator[Configurar]:
    """The API's settings for one test: media under tmp_path, plus any changes."""
    original = app.state.settings

    def aplicar(base: Settings | None = None, **mudancas: Any) -> Settings:
        novo = (base or settings).model_copy(update={"media_dir": tmp_path / "midia", **mudancas})
        app.state.settings = novo
        return novo

    aplicar()
    yield aplicar
    app.state.settings = original


async def _contar(db: AsyncSession) -> int:
    return int(await db.scalar(select(func.count()).select_from(Mensagem)) or 0)


async def _preparar(
    db: AsyncSession, settings: Settings, status: StatusChamado = StatusChamado.aguardando
) -> tuple[dict[str, str], int]:
    h = f.headers(await f.usuario(db), settings)
    c = await f.chamado(db, await f.terceirizado(db, telefone="5511987654321"), status=status)
    return h, c.id


async def _enviar(
    client: httpx.AsyncClient,
    chamado_id: int,
    h: dict[str, str] | None,
    nome: str,
    dados: bytes,
    content_type: str = "application/octet-stream",
    **form: str,
) -> httpx.Response:
    return await client.post(
        f"/api/chamados/{chamado_id}/enviar-midia",
        files={"arquivo": (nome, dados, content_type)},
        data=form,
        headers=h,
    )


async def test_inline_file_is_stored_pendente_with_its_path_and_queued(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    app: FastAPI,
    configurar: Configurar,
    tmp_path: Path,
) -> None:
    config = configurar()
    h, chamado_id = await _preparar(db, settings)

    # The client's Content-Type says PDF; the bytes say PNG, and they win.
    response = await _enviar(
        client, chamado_id, h, "foto.pdf", png_1x1(), "application/pdf", caption=" Antes "
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["envio"] == "enfileirada"
    mensagem = body["mensagem"]
    assert (mensagem["tipo"], mensagem["tipo_conteudo"]) == ("midia", "image")
    assert mensagem["status_envio"] == "pendente" and mensagem["caption"] == "Antes"
    row = await db.get(Mensagem, mensagem["id"])
    assert row is not None and row.conteudo is not None
    nome = guardado(row)["arquivo"]
    assert row.tipo == TipoMensagem.midia and row.texto == "Antes"
    assert row.status_envio in (StatusEnvio.pendente, StatusEnvio.enfileirado)
    assert guardado(row) == {
        "tipo": "arquivo",
        "nome_arquivo": "foto.png",
        "mime_type": "image/png",
        "arquivo": nome,
        "tamanho": len(png_1x1()),
        "caption": "Antes",
    }
    assert row.url_midia == f"/api/midias/{nome}" == mensagem["url_midia"]
    assert (config.media_dir / nome).read_bytes() == png_1x1()
    assert await app.state.arq.zscore(QUEUE_NAME, job_id(row.id)) is not None
    # The operator's screen can show what was sent, like a contractor's file.
    shown = await client.get(row.url_midia, headers=h)
    assert shown.status_code == 200 and shown.content == png_1x1()


async def test_with_public_base_url_the_file_goes_by_signed_url(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    configurar: Configurar,
) -> None:
    config = configurar(public_base_url=PUBLICA)
    h, chamado_id = await _preparar(db, settings)

    response = await _enviar(client, chamado_id, h, "laudo.pdf", pdf_one_page())

    assert response.status_code == 201, response.text
    row = await db.get(Mensagem, response.json()["mensagem"]["id"])
    assert row is not None and isinstance(row.conteudo, ConteudoArquivo)
    assert row.conteudo.caption is None
    # The worker signs the link when it sends (a resend gets a fresh one).
    url = urlsplit(midia.url_publica(config, row.conteudo.arquivo))
    assert f"{url.scheme}://{url.netloc}" == PUBLICA
    assert url.path == f"/midias-publicas/{row.conteudo.arquivo}"
    assert row.tipo_conteudo == TipoConteudo.document
    # MegaAPI fetches it without logging in, and gets the bytes with their type.
    publica = await client.get(f"{url.path}?{url.query}")
    assert publica.status_code == 200
    assert publica.content == pdf_one_page()
    assert publica.headers["content-type"] == "application/pdf"
    assert publica.headers["x-content-type-options"] == "nosniff"
    assert (config.media_dir / row.conteudo.arquivo).is_file()


async def test_signed_url_refuses_tampering_expiry_and_unknown_files(
    client: httpx.AsyncClient, configurar: Configurar, tmp_path: Path
) -> None:
    config = configurar(public_base_url=PUBLICA)
    pasta = config.media_dir
    nome = midia.salvar(pasta, "image/png", png_1x1())
    outro = midia.salvar(pasta, "image/png", png_1x1())

    def caminho(url: str) -> str:
        partes = urlsplit(url)
        return f"{partes.path}?{partes.query}"

    valida = caminho(midia.url_publica(config, nome))
    assert (await client.get(valida)).status_code == 200
    sig = valida.rsplit("sig=", 1)[1]
    exp = int(valida.split("exp=", 1)[1].split("&", 1)[0])
    trocada = valida.replace(f"sig={sig}", f"sig={sig[:-1]}{'0' if sig[-1] != '0' else '1'}")
    adiada = valida.replace(f"exp={exp}", f"exp={exp + 3600}")
    de_outro = valida.replace(nome, outro)
    vencida = caminho(midia.url_publica(config, nome, agora=time.time() - 8 * 24 * 3600))
    outra_chave = config.model_copy(update={"secret_key": SecretStr("outra-chave-" + "y" * 32)})
    forjada = caminho(midia.url_publica(outra_chave, nome))

    for url, status, error in (
        (trocada, 403, "proibido"),
        (forjada, 403, "proibido"),
        (adiada, 403, "proibido"),
        (de_outro, 403, "proibido"),
        (vencida, 403, "proibido"),
        (f"/midias-publicas/{nome}?exp={exp}", 401, "assinatura_ausente"),
        (f"/midias-publicas/{nome}?sig={sig}", 422, "dados_invalidos"),
    ):
        response = await client.get(url)
        assert response.status_code == status, (url, response.text)
        assert response.json()["error"] == error
        assert png_1x1() not in response.content
    assert "expirado" in (await client.get(vencida)).json()["detail"]
    # A valid signature for a name that is not a stored file (or a path) is still a 404.
    for nome_falso in ("0" * 32 + ".png", "..%2Fsecrets.json"):
        url = caminho(midia.url_publica(config, nome_falso))
        assert (await client.get(url)).status_code == 404, nome_falso


async def test_endpoint_refuses_disguised_and_oversize_files_storing_nothing(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    app: FastAPI,
    configurar: Configurar,
) -> None:
    config = configurar()
    h, chamado_id = await _preparar(db, settings)
    png = png_1x1()
    casos = [
        (
            "foto.jpg",
            ELF,
            "image/jpeg",
            "o nome diz .jpg, mas o conteúdo é application/x-executable",
        ),
        ("nota.pdf", HTML, "application/pdf", "HTML/XML não é enviado"),
        ("nota.pdf", EXE, "application/pdf", "application/x-msdownload"),
        ("pacote.pdf", zip_simples(), "application/pdf", "application/zip"),
        ("vazio.pdf", b"", "application/pdf", "arquivo vazio"),
        (
            "grande.png",
            png + bytes(5 * MB + 1 - len(png)),
            "image/png",
            "imagem com no máximo 5 MB",
        ),
    ]
    for nome, dados, content_type, regra in casos:
        response = await _enviar(client, chamado_id, h, nome, dados, content_type)
        assert response.status_code == 422, (nome, response.text)
        assert response.json()["error"] == "arquivo_invalido"
        assert regra in frase(response.json()["detail"]), response.json()
    legenda = await _enviar(client, chamado_id, h, "a.png", png, caption="x" * 1025)
    assert legenda.status_code == 422
    [problema] = legenda.json()["detail"]
    assert problema["loc"] == ["body", "caption"]
    assert problema["msg"].startswith("Legenda com no máximo 1024 caracteres")
    assert await _contar(db) == 0
    assert await app.state.arq.zcard(QUEUE_NAME) == 0
    assert _guardados(config.media_dir) == []


async def test_path_tricks_in_the_name_are_shown_clean_and_stored_under_our_name(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    configurar: Configurar,
    tmp_path: Path,
) -> None:
    config = configurar()
    h, chamado_id = await _preparar(db, settings)

    response = await _enviar(client, chamado_id, h, "../../etc/passwd", pdf_one_page())

    assert response.status_code == 201, response.text
    row = await db.get(Mensagem, response.json()["mensagem"]["id"])
    assert row is not None and row.conteudo is not None
    assert guardado(row)["nome_arquivo"] == "passwd.pdf"
    assert _guardados(config.media_dir) == [guardado(row)["arquivo"]]
    assert not (tmp_path / "etc").exists()


@pytest.mark.parametrize("status", [StatusChamado.cancelado, StatusChamado.concluido])
async def test_finished_chamado_is_409_and_the_file_is_not_kept(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    configurar: Configurar,
    status: StatusChamado,
) -> None:
    config = configurar()
    h, chamado_id = await _preparar(db, settings, status)

    response = await _enviar(client, chamado_id, h, "foto.png", png_1x1())

    assert response.status_code == 409 and status.value in response.json()["detail"]
    assert await _contar(db) == 0
    assert _guardados(config.media_dir) == []


async def test_token_required_unknown_chamado_404_and_full_queue_keeps_no_file(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    app: FastAPI,
    configurar: Configurar,
) -> None:
    h, chamado_id = await _preparar(db, settings)
    anonimo = await _enviar(client, chamado_id, None, "foto.png", png_1x1())
    assert anonimo.status_code == 401 and anonimo.json()["error"] == "nao_autenticado"
    assert (await _enviar(client, 999999, h, "foto.png", png_1x1())).status_code == 404

    config = configurar(fila_maxima=1)
    primeira = await _enviar(client, chamado_id, h, "foto.png", png_1x1())
    assert primeira.status_code == 201
    cheia = await _enviar(client, chamado_id, h, "laudo.pdf", pdf_one_page())
    assert cheia.status_code == 503 and cheia.json()["error"] == "fila_cheia"
    assert await _contar(db) == 1
    url_midia: str = primeira.json()["mensagem"]["url_midia"]
    assert _guardados(config.media_dir) == [url_midia.removeprefix("/api/midias/")]


async def test_files_reach_the_simulator_by_url_or_inline(
    client: httpx.AsyncClient,
    db: AsyncSession,
    settings: Settings,
    entrega_settings: Settings,
    simulador: Simulador,
    worker: WorkerFactory,
    configurar: Configurar,
) -> None:
    h, chamado_id = await _preparar(db, settings)
    # Whether a file goes by URL is the worker's decision at send time.
    config = configurar(public_base_url=PUBLICA)
    por_url = await _enviar(client, chamado_id, h, "laudo.pdf", pdf_one_page(), caption="Laudo")
    ids = [por_url.json()["mensagem"]["id"]]
    pasta = {"media_dir": config.media_dir}
    com_url = await worker(
        entrega_settings.model_copy(update={**pasta, "public_base_url": PUBLICA})
    )
    await _esperar(_status(db, ids[0], StatusEnvio.enviado, StatusEnvio.falhou))
    await worker.parar(com_url)

    configurar()
    inline = await _enviar(client, chamado_id, h, "foto.png", png_1x1())
    ids.append(inline.json()["mensagem"]["id"])
    await worker(entrega_settings.model_copy(update=pasta))
    await _esperar(_status(db, ids[1], StatusEnvio.enviado, StatusEnvio.falhou))

    rows = [await db.get(Mensagem, i) for i in ids]
    assert [(r.status_envio, r.erro) for r in rows if r] == [(StatusEnvio.enviado, None)] * 2
    envios = {
        r["path"].rsplit("/", 1)[-1]: r["json"]["messageData"] for r in await simulador.envios()
    }
    assert set(envios) == {"mediaUrl", "mediaBase64"}
    url = envios["mediaUrl"]
    assert rows[0] is not None and rows[0].conteudo is not None
    assert url["url"].startswith(f"{PUBLICA}/midias-publicas/") and "sig=" in url["url"]
    assert (url["type"], url["mimeType"], url["fileName"], url["caption"]) == (
        "document",
        "application/pdf",
        "laudo.pdf",
        "Laudo",
    )
    inline_dados = envios["mediaBase64"]
    assert (inline_dados["type"], inline_dados["fileName"]) == ("image", "foto.png")
    prefixo, codificado = inline_dados["base64"].split(",", 1)
    assert prefixo == "data:image/png;base64"
    assert base64.b64decode(codificado) == png_1x1()
