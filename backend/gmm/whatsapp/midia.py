"""Files received from contractors: stored under generated names, never theirs.

A contractor's file name can carry path tricks or clash with another; the stored
name is a random hex id plus an extension chosen from the MIME type we got from
MegaAPI, and reading accepts only names of that exact shape.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

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


def extensao(mime_type: str) -> str:
    return EXTENSOES.get(mime_type.split(";", 1)[0].strip().lower(), ".bin")


def salvar(pasta: Path, mime_type: str, dados: bytes) -> str:
    """Write the file under a fresh name; answers the name."""
    pasta.mkdir(parents=True, exist_ok=True)
    nome = secrets.token_hex(16) + extensao(mime_type)
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
