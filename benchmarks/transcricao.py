"""How long the local model takes per second of voice note, short and long side by side.

Speaks the same Portuguese sentence (espeak-ng) into a short clip and into one
eight times as long, transcribes each with the bundled Whisper base (the optional
extra `gmm[transcricao]`), and prints the processing time per second of audio of
each and their ratio. What it is for: sizing GMM_TRANSCRICAO_TIMEOUT_SECONDS (the
longest voice note transcribed is about the timeout divided by the figure) and
seeing that a long note costs in proportion, not worse.

    .venv/bin/python -m benchmarks.transcricao [--repeticoes 8]
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import tempfile
import time
import wave
from pathlib import Path

from gmm.transcricao.service import TranscritorLocal

FRASE = (
    "Bom dia, aqui é o Carlos da refrigeração. Cheguei na sala trezentos e dois "
    "e o compressor do ar condicionado está fazendo barulho."
)


def _falar(texto: str, destino: Path) -> float:
    """A WAV of ``texto`` spoken in Brazilian Portuguese; answers its length in seconds."""
    subprocess.run(
        ["espeak-ng", "-v", "pt-br", "-s", "150", "-w", str(destino), texto],  # noqa: S607
        check=True,
    )
    with wave.open(str(destino)) as audio:
        return float(audio.getnframes() / audio.getframerate())


async def _medir(transcritor: TranscritorLocal, arquivo: Path) -> tuple[float, str]:
    inicio = time.perf_counter()
    texto = await transcritor.transcrever(arquivo)
    return time.perf_counter() - inicio, texto


async def main(repeticoes: int) -> None:
    if shutil.which("espeak-ng") is None:
        raise SystemExit("instale espeak-ng (apt-get install espeak-ng)")
    transcritor = TranscritorLocal(None, idioma="pt", timeout=3600)
    with tempfile.TemporaryDirectory() as pasta:
        curto, longo = Path(pasta, "curto.wav"), Path(pasta, "longo.wav")
        duracao_curto = _falar(FRASE, curto)
        duracao_longo = _falar(" ".join([FRASE] * repeticoes), longo)
        # The first run loads the model (once per worker process): not counted.
        carga, _ = await _medir(transcritor, curto)
        tempo_curto, texto = await _medir(transcritor, curto)
        tempo_longo, _ = await _medir(transcritor, longo)
    por_segundo_curto = tempo_curto / duracao_curto
    por_segundo_longo = tempo_longo / duracao_longo
    print(f"carga do modelo + primeiro áudio: {carga:.1f} s")
    print(f"texto do áudio curto: {texto!r}")
    print("| áudio | duração | transcrição | s por s de áudio |")
    print("|---|---|---|---|")
    print(f"| curto | {duracao_curto:.1f} s | {tempo_curto:.1f} s | {por_segundo_curto:.2f} |")
    print(f"| longo | {duracao_longo:.1f} s | {tempo_longo:.1f} s | {por_segundo_longo:.2f} |")
    print(f"razão longo/curto (por segundo de áudio): {por_segundo_longo / por_segundo_curto:.2f}")
    print(
        f"com o padrão de 600 s, transcreve áudios de até ~{600 / por_segundo_longo / 60:.0f} min"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeticoes", type=int, default=8)
    asyncio.run(main(parser.parse_args().repeticoes))
