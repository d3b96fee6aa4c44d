"""Files uploaded to be sent over WhatsApp: checked by content, stored under our name.

The type comes from the file's bytes (magic numbers, read with ``filetype``),
never from its name or the Content-Type the client declared: an executable or a
web page renamed ``.jpg`` is refused. Only what WhatsApp delivers is accepted,
each kind within its size limit (docs/megaapi-contrato.md), and the upload is copied in chunks
with a hard cap, so an oversize file is refused as soon as it passes the limit.

The stored name is generated (32 hex digits + the extension of the detected
type); the client's name is only kept, cleaned, as the name the contractor sees.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import filetype
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from gmm.conversas.models import TipoConteudo
from gmm.core.config import Settings
from gmm.core.errors import DomainError
from gmm.midia import armazenamento as midia

MB = 1024 * 1024
LIMITE_INLINE = 16 * MB

# Detected MIME type → (kind of WhatsApp message, size limit). Nothing else goes.
ACEITOS: dict[str, tuple[TipoConteudo, int]] = {
    "image/jpeg": (TipoConteudo.image, 5 * MB),
    "image/png": (TipoConteudo.image, 5 * MB),
    "audio/aac": (TipoConteudo.audio, 16 * MB),
    "audio/amr": (TipoConteudo.audio, 16 * MB),
    "audio/mpeg": (TipoConteudo.audio, 16 * MB),
    "audio/mp4": (TipoConteudo.audio, 16 * MB),
    "audio/ogg": (TipoConteudo.audio, 16 * MB),
    "video/mp4": (TipoConteudo.video, 16 * MB),
    "video/3gpp": (TipoConteudo.video, 16 * MB),
    "application/pdf": (TipoConteudo.document, 100 * MB),
    "application/msword": (TipoConteudo.document, 100 * MB),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        TipoConteudo.document,
        100 * MB,
    ),
    "application/vnd.ms-excel": (TipoConteudo.document, 100 * MB),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        TipoConteudo.document,
        100 * MB,
    ),
    "application/vnd.ms-powerpoint": (TipoConteudo.document, 100 * MB),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": (
        TipoConteudo.document,
        100 * MB,
    ),
    "text/plain": (TipoConteudo.document, 100 * MB),
}
ACEITOS_DESCRICAO = (
    "imagem JPEG/PNG, áudio AAC/AMR/MP3/M4A/OGG, vídeo MP4/3GP, "
    "documento PDF/DOC/DOCX/XLS/XLSX/PPT/PPTX/TXT"
)
_NOME_DO_TIPO = {
    TipoConteudo.image: "imagem",
    TipoConteudo.audio: "áudio",
    TipoConteudo.video: "vídeo",
    TipoConteudo.document: "documento",
}

# filetype looks at the first 8 KB (OOXML parts are searched within 6000 bytes).
CABECA = 8192
PEDACO = 1024 * 1024
NOME_MAXIMO = 120
# Plain text may hold tabs, line breaks and form feeds; other control bytes mean binary.
_CONTROLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MARCACAO = re.compile(rb"^\s*<")


class ArquivoInvalido(DomainError):
    status_code = 422
    error = "arquivo_invalido"


@dataclass(frozen=True)
class ArquivoRecebido:
    nome: str  # stored name (32 hex + ext) under settings.media_dir
    tipo_conteudo: TipoConteudo
    mime_type: str
    tamanho: int
    nome_original: str  # sanitized display name


def _mb(limite: int) -> str:
    return f"{limite // MB} MB"


def _e_3gp(cabeca: bytes) -> bool:
    # filetype 1.2's 3GP matcher looks for "ftyp3gp" at offset 0, where the box
    # size goes, so it never matches a real file (and the MP4 matcher then takes
    # it through the compatible brand "isom"): the major brand decides here.
    return len(cabeca) >= 12 and cabeca[4:8] == b"ftyp" and cabeca[8:11] in (b"3gp", b"3g2")


def _texto(cabeca: bytes) -> bool:
    """Plain UTF-8 text so far (a multi-byte character may be cut at the end)."""
    if cabeca.startswith(codecs.BOM_UTF8):
        cabeca = cabeca[len(codecs.BOM_UTF8) :]
    try:
        texto = codecs.getincrementaldecoder("utf-8")("strict").decode(cabeca, final=False)
    except UnicodeDecodeError:
        return False
    return not _CONTROLE.search(texto)


def detectar(cabeca: bytes, nome_original: str | None = None) -> str:
    """The MIME type of a file from its first bytes; refuses what WhatsApp must not get."""
    if not cabeca:
        raise ArquivoInvalido("arquivo vazio")
    if _e_3gp(cabeca):
        return "video/3gpp"
    tipo = filetype.match(cabeca)
    extensao_real = ""
    if tipo is not None:
        mime, extensao_real = str(tipo.mime), f".{tipo.extension}"
    elif _texto(cabeca):
        if _MARCACAO.match(cabeca.removeprefix(codecs.BOM_UTF8)):
            raise ArquivoInvalido(
                "tipo de arquivo não aceito: HTML/XML não é enviado (texto só como .txt simples)"
            )
        mime = "text/plain"
    else:
        mime = ""
    if mime not in ACEITOS:
        encontrado = f"o conteúdo é {mime}" if mime else "conteúdo não reconhecido"
        extensao = Path(nome_original or "").suffix.lower()
        if extensao and extensao != extensao_real:
            encontrado = f"o nome diz {extensao}, mas {encontrado}"
        raise ArquivoInvalido(
            f"tipo de arquivo não aceito ({encontrado}); aceitos: {ACEITOS_DESCRICAO}"
        )
    return mime


def limite(mime_type: str, *, inline: bool) -> int:
    tipo_conteudo, maximo = ACEITOS[mime_type]
    if inline and tipo_conteudo == TipoConteudo.document:
        return min(maximo, LIMITE_INLINE)
    return maximo


def _regra_tamanho(mime_type: str, *, inline: bool) -> str:
    tipo_conteudo, maximo = ACEITOS[mime_type]
    teto = limite(mime_type, inline=inline)
    regra = f"{_NOME_DO_TIPO[tipo_conteudo]} com no máximo {_mb(teto)}"
    if teto < maximo:
        regra += " quando enviado inline (sem GMM_PUBLIC_BASE_URL configurada)"
    return regra


def nome_exibicao(original: str | None, mime_type: str) -> str:
    """The client's file name made safe to show: no folders, control or direction
    characters, and the extension of the detected type (the content decides)."""
    nome = unicodedata.normalize("NFC", original or "").replace("\\", "/").rsplit("/", 1)[-1]
    nome = "".join(ch for ch in nome if ch.isprintable())
    base = nome.rsplit(".", 1)[0] if "." in nome.lstrip(".") else nome
    base = " ".join(base.split()).strip(" .")[:NOME_MAXIMO].strip(" .") or "arquivo"
    return base + midia.extensao(mime_type)


def _copiar(
    origem: IO[bytes],
    pasta: Path,
    nome_original: str | None,
    inline: bool,
    declarado: int | None = None,
) -> ArquivoRecebido:
    origem.seek(0)
    cabeca = b""
    while len(cabeca) < CABECA:
        pedaco = origem.read(CABECA - len(cabeca))
        if not pedaco:
            break
        cabeca += pedaco
    mime = detectar(cabeca, nome_original)
    teto = limite(mime, inline=inline)
    if declarado is not None and declarado > teto:
        # The parser already counted it: no need to copy it to find out.
        raise ArquivoInvalido(_regra_tamanho(mime, inline=inline))
    texto = codecs.getincrementaldecoder("utf-8")("strict") if mime == "text/plain" else None

    pasta.mkdir(parents=True, exist_ok=True)
    nome = midia.novo_nome(mime)
    # A dot name never matches midia.caminho: a half-written file is never served.
    parcial = pasta / f".{nome}.parte"
    tamanho = 0
    try:
        with parcial.open("xb") as destino:
            pedaco = cabeca
            while pedaco:
                tamanho += len(pedaco)
                if tamanho > teto:
                    raise ArquivoInvalido(_regra_tamanho(mime, inline=inline))
                if texto is not None:
                    _checar_texto(texto, pedaco)
                destino.write(pedaco)
                pedaco = origem.read(PEDACO)
        if texto is not None:
            _checar_texto(texto, b"", final=True)
        os.replace(parcial, pasta / nome)
    except BaseException:
        parcial.unlink(missing_ok=True)
        raise
    return ArquivoRecebido(
        nome=nome,
        tipo_conteudo=ACEITOS[mime][0],
        mime_type=mime,
        tamanho=tamanho,
        nome_original=nome_exibicao(nome_original, mime),
    )


def _checar_texto(
    decoder: codecs.IncrementalDecoder, pedaco: bytes, *, final: bool = False
) -> None:
    try:
        parte = decoder.decode(pedaco, final=final)
    except UnicodeDecodeError as exc:
        raise ArquivoInvalido("texto precisa ser UTF-8 válido") from exc
    if _CONTROLE.search(parte):
        raise ArquivoInvalido("texto não pode conter bytes nulos nem caracteres de controle")


async def receber_upload(
    upload: UploadFile, settings: Settings, *, inline: bool
) -> ArquivoRecebido:
    """Check an uploaded file and store it in ``settings.media_dir``.

    ``inline``: the file will travel base64 inside the MegaAPI call (no public URL),
    so documents are held to 16 MB. Raises ``ArquivoInvalido`` (422) naming the rule
    broken; nothing is left on disk then.
    """
    return await run_in_threadpool(
        _copiar, upload.file, settings.media_dir, upload.filename, inline, upload.size
    )
