"""Tiny but valid files for downloadMediaMessage, built with the standard library."""

from __future__ import annotations

import base64
import io
import struct
import wave
import zlib


def png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1×1, 8-bit RGB
    pixel = b"\x00" + b"\x25\xd3\x66"  # filter byte, then one green pixel
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixel))
        + chunk(b"IEND", b"")
    )


def wav_silence(seconds: float = 0.25, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * int(seconds * rate))
    return buffer.getvalue()


def pdf_one_page(text: str = "Arquivo simulado") -> bytes:
    content = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def webp_1x1() -> bytes:
    # Encoding VP8L by hand is not worth it: this is the 1×1 lossless WebP that
    # browsers' feature checks (Modernizr's among them) decode, 34 bytes.
    return base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")


def sample_for(mimetype: str, message_type: str) -> tuple[str, bytes]:
    """A file of the asked family, with the MIME type it really has."""
    mime = mimetype.split(";", 1)[0].strip().lower()
    family = mime.split("/", 1)[0]
    # Callers spell the type as the webhook does ("imageMessage") or bare ("image").
    kind = message_type.removesuffix("Message")
    if mime == "image/webp" or (family != "image" and kind == "sticker"):
        return "image/webp", webp_1x1()
    if family == "image" or kind == "image":
        return "image/png", png_1x1()
    if family == "audio" or kind == "audio":
        return "audio/wav", wav_silence()
    if mime == "application/pdf" or kind == "document":
        return "application/pdf", pdf_one_page()
    # No tiny valid video can be made by hand; a text file is still a real file.
    return "text/plain", b"arquivo simulado pelo simulador da MegaAPI do GMM\n"
