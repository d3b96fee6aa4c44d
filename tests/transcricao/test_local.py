"""The local backend (faster-whisper, bundled model) on a real Portuguese voice note.

The clip is spoken by espeak-ng and encoded as WhatsApp sends voice notes (ogg/opus)
with PyAV, which faster-whisper brings. Skipped only without the optional extra
(`pip install -e '.[transcricao]'`) or without espeak-ng.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from arq import Retry
from sqlalchemy.ext.asyncio import AsyncSession

from gmm.core.config import Settings
from gmm.megaapi_sim.media import wav_silence
from gmm.transcricao import service
from gmm.transcricao.tasks import transcrever_audio
from tests.conteudo import guardado
from tests.transcricao.conftest import OGG, ContextoFactory, audio, ctx, recarregar

FRASE = "Bom dia, o ar condicionado da sala de reunião está quebrado. Preciso de um técnico amanhã."


def _simples(texto: str) -> str:
    sem_acentos = unicodedata.normalize("NFKD", texto).encode("ascii", "ignore").decode()
    return " ".join(sem_acentos.lower().replace(",", " ").replace(".", " ").split())


@pytest.fixture(scope="session")
def nota_de_voz(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    av = pytest.importorskip("av")
    pytest.importorskip("faster_whisper")
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        pytest.skip("espeak-ng não está instalado (apt-get install espeak-ng)")
    pasta = tmp_path_factory.mktemp("nota")
    wav, ogg = pasta / "nota.wav", pasta / "nota.ogg"
    subprocess.run(
        [espeak, "-v", "pt-br", "-s", "120", "-w", str(wav), FRASE],
        check=True,
        capture_output=True,
    )
    with av.open(str(wav)) as entrada, av.open(str(ogg), "w", format="ogg") as saida:
        fluxo = saida.add_stream("libopus", rate=48000)
        fluxo.layout = "mono"
        for quadro in entrada.decode(audio=0):
            quadro.pts = None
            for pacote in fluxo.encode(quadro):
                saida.mux(pacote)
        for pacote in fluxo.encode(None):
            saida.mux(pacote)
    return ogg.read_bytes()


@pytest.fixture
def local_settings(settings: Settings, tmp_path: Path) -> Settings:
    # A shared 2-core machine may be slow: room enough.
    return settings.model_copy(
        update={
            "media_dir": tmp_path / "midia",
            "transcricao_backend": "local",
            "transcricao_timeout_seconds": 120.0,
        }
    )


async def test_a_portuguese_voice_note_is_transcribed_offline_by_the_bundled_model(
    db: AsyncSession,
    local_settings: Settings,
    contexto: ContextoFactory,
    nota_de_voz: bytes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Offline: nothing may come from the Hugging Face Hub.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    c = contexto(local_settings)
    m = await audio(db, None, local_settings.media_dir, nota_de_voz)
    assert await transcrever_audio(ctx(c), m.id) == "transcrita"
    row = await recarregar(db, m.id)
    assert row.conteudo is not None and guardado(row)["transcricao_status"] == "pronta"
    texto = _simples(row.transcricao or "")
    # espeak-ng's robotic voice gets some words wrong; these come through.
    assert "bom dia" in texto, row.transcricao
    assert "quebrado" in texto or "tecnico" in texto, row.transcricao

    # The model is loaded once per process and reused by the next voice note.
    modelo = service._MODELOS[""]
    outra = await audio(db, None, local_settings.media_dir, nota_de_voz)
    assert await transcrever_audio(ctx(c), outra.id) == "transcrita"
    assert service._MODELOS[""] is modelo and len(service._MODELOS) == 1


async def test_silence_gives_empty_text_and_garbage_a_plain_failure(
    db: AsyncSession,
    local_settings: Settings,
    contexto: ContextoFactory,
) -> None:
    pytest.importorskip("faster_whisper")
    c = contexto(local_settings)
    # The simulator's voice notes are silence: no words may be made up for them.
    silencio = await audio(db, None, local_settings.media_dir, wav_silence(2.0), "audio/wav")
    assert await transcrever_audio(ctx(c), silencio.id) == "transcrita"
    row = await recarregar(db, silencio.id)
    assert row.transcricao == "" and row.conteudo is not None
    assert guardado(row)["transcricao_status"] == "pronta"

    lixo = await audio(db, None, local_settings.media_dir, OGG)
    assert await transcrever_audio(ctx(c), lixo.id) == "falhou"
    row = await recarregar(db, lixo.id)
    assert row.transcricao is None and row.conteudo is not None
    assert guardado(row)["transcricao_erro"].startswith("não foi possível transcrever o áudio")


async def test_a_busy_model_defers_the_job_instead_of_failing_it(
    db: AsyncSession, local_settings: Settings, contexto: ContextoFactory
) -> None:
    m = await audio(db, None, local_settings.media_dir)
    assert service._EM_USO.acquire(timeout=60)
    try:
        with pytest.raises(Retry) as retry:
            await transcrever_audio(ctx(contexto(local_settings), job_try=3), m.id)
    finally:
        service._EM_USO.release()
    assert retry.value.defer_score is not None and retry.value.defer_score > 0
    row = await recarregar(db, m.id)
    assert row.transcricao is None and "transcricao_status" not in (row.conteudo or {})
