"""Stored media files: generated names, never the sender's, and signed public links.

A contractor's (or an operator's) file name can carry path tricks or clash with
another; the stored name is a random hex id plus an extension chosen from the
file's MIME type, and reading accepts only names of that exact shape.

MegaAPI fetches files we send by URL without logging in, so those URLs carry an
expiry and an HMAC of name and expiry instead (``url_publica``/``assinatura_valida``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from pathlib import Path
from urllib.parse import urlencode

from gmm.core.config import Settings

EXTENSOES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "audio/ogg": ".ogg",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "audio/aac": ".aac",
    "audio/amr": ".amr",
    "audio/wav": ".wav",
    "audio/x-wav": ".wav",
    "video/mp4": ".mp4",
    "video/3gpp": ".3gp",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
}
TIPOS = {ext: mime for mime, ext in EXTENSOES.items()}
_NOME = re.compile(r"^[0-9a-f]{32}\.[a-z0-9]{2,5}$")
URL_PREFIXO = "/api/midias/"
PUBLICO_PREFIXO = "/midias-publicas/"


def extensao(mime_type: str) -> str:
    return EXTENSOES.get(mime_type.split(";", 1)[0].strip().lower(), ".bin")


def novo_nome(mime_type: str) -> str:
    """A fresh stored name: 32 random hex digits and the extension of ``mime_type``."""
    return secrets.token_hex(16) + extensao(mime_type)


def salvar(pasta: Path, mime_type: str, dados: bytes) -> str:
    """Write the file under a fresh name; answers the name."""
    pasta.mkdir(parents=True, exist_ok=True)
    nome = novo_nome(mime_type)
    (pasta / nome).write_bytes(dados)
    return nome


def caminho(pasta: Path, nome: str) -> Path | None:
    """The stored file called ``nome``, or None for any other name (or a missing file)."""
    if not _NOME.fullmatch(nome):
        return None
    arquivo = pasta / nome
    return arquivo if arquivo.is_file() else None


def tipo(nome: str) -> str:
    return TIPOS.get(Path(nome).suffix, "application/octet-stream")


def _assinatura(settings: Settings, nome: str, expira: int) -> str:
    # A key of its own, derived from the JWT secret: a media signature can never
    # be replayed as anything else signed with GMM_SECRET_KEY.
    chave = hashlib.sha256(b"gmm:midia-publica:" + settings.secret("secret_key").encode())
    return hmac.new(chave.digest(), f"{nome}\n{expira}".encode(), hashlib.sha256).hexdigest()


def url_publica(settings: Settings, nome: str, *, agora: float | None = None) -> str:
    """A link to the stored file ``nome`` that works without login until it expires."""
    assert settings.public_base_url, "GMM_PUBLIC_BASE_URL não configurada"
    expira = int(agora if agora is not None else time.time())
    expira += settings.midia_publica_validade_seconds
    query = urlencode({"exp": expira, "sig": _assinatura(settings, nome, expira)})
    return f"{settings.public_base_url}{PUBLICO_PREFIXO}{nome}?{query}"


def assinatura_valida(settings: Settings, nome: str, expira: int, sig: str) -> bool:
    """Whether ``sig`` is our signature of ``nome`` with expiry ``expira`` (not whether
    that moment has passed: the caller tells an expired link from a forged one)."""
    return hmac.compare_digest(sig.encode(), _assinatura(settings, nome, expira).encode())
