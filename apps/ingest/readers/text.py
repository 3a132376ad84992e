"""Bytes -> normalised text: the one decoding step every reader goes through."""

from __future__ import annotations

import codecs
import unicodedata

from .base import DEFAULT_MAX_BYTES, ReaderError

# Formats people upload by mistake; naming them makes the error useful.
_MAGIC = {
    b"%PDF": "PDF",
    b"PK\x03\x04": "ZIP/Office document",
    b"\x89PNG": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF8": "GIF image",
    b"\x1f\x8b": "gzip archive",
}


def decode_text(data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Decode UTF-8 (BOM allowed) and normalise (NFC, ``\\n`` line ends, no trailing spaces).

    Raises ``ReaderError`` for oversize, empty, binary or non-UTF-8 input, naming the line of the first bad byte.
    """
    if len(data) > max_bytes:
        raise ReaderError(
            f"file is {len(data):,} bytes, more than the limit of {max_bytes:,}", name=name, code="too_large"
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ReaderError("UTF-16 text is not supported; save the file as UTF-8", name=name, code="encoding")
    kind = next((label for magic, label in _MAGIC.items() if data.startswith(magic)), None)
    if kind or b"\x00" in data:
        raise ReaderError(f"binary file ({kind or 'contains NUL bytes'}), not text", name=name, code="binary")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ReaderError(
            f"invalid UTF-8 (byte 0x{data[err.start]:02x}); save the file as UTF-8",
            name=name,
            line=line,
            code="encoding",
        ) from None
    text = normalise(text)
    if not text.strip():
        raise ReaderError("empty file", name=name, code="empty")
    return text


def normalise(text: str) -> str:
    """NFC, ``\n`` line ends, trailing whitespace stripped from every line (design 3).

    Same form as ``apps.corpus.text.normalize_text`` except that leading blank lines are kept, so line
    numbers in error messages still match the file; article texts are built from stripped lines anyway.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def clean(value: object) -> str:
    """A record field (JSONL, CSV, HTML) as normalised text without surrounding blank space."""
    return normalise(str(value)).strip() if value is not None else ""
