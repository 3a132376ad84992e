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


def decode_text(data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str = "auto") -> str:
    """Decode and normalise (NFC, ``\\n`` line ends, no trailing spaces); see :func:`decode_bytes`."""
    return decode_bytes(data, name=name, max_bytes=max_bytes, encoding=encoding)[0]


# Western single-byte code pages decode most text identically; charset-normalizer then names the first of them
# (cp1250). Windows-1252 is by far the most common of the family, so it is preferred whenever it fits.
_PREFERRED_LEGACY = ("cp1252", "latin_1")


def decode_bytes(
    data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES, encoding: str = "auto"
) -> tuple[str, str]:
    """(normalised text, encoding used). UTF-8 (BOM allowed) first; text that is not UTF-8 is decoded in the
    legacy encoding charset-normalizer finds (Windows-1252, Latin-1, Windows-1251, KOI8-R, GB18030, Shift-JIS...)
    unless the caller names one (``encoding``).

    Raises ``ReaderError`` for oversize, empty or binary input, an unknown encoding name, or bytes that no
    encoding explains (naming the line of the first byte that is not UTF-8).
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
    if encoding and encoding != "auto":
        text, used = _decode_as(data, encoding, name=name)
    else:
        text, used = _decode_detected(data, name=name)
    # A form feed (page break) separates articles in some exports: it keeps a line of its own, since
    # normalising would otherwise strip it as trailing space.
    text = normalise(text.replace("\f", "\n\f\n"))
    if not text.strip(" \n\f"):
        raise ReaderError("empty file", name=name, code="empty")
    return text, used


def _decode_as(data: bytes, encoding: str, *, name: str) -> tuple[str, str]:
    try:
        used = codecs.lookup(encoding).name
    except LookupError:
        raise ReaderError(f"unknown encoding {encoding!r}", name=name, code="encoding") from None
    try:
        return data.decode(used), used
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        raise ReaderError(
            f"not {used} (byte 0x{data[err.start]:02x}); choose another encoding or auto",
            name=name,
            line=line,
            code="encoding",
        ) from None


def _decode_detected(data: bytes, *, name: str) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        first_bad = err.start
    from charset_normalizer import from_bytes  # only for the rare file that is not UTF-8

    best = from_bytes(data).best()
    if best is not None:
        candidates = [c for c in _PREFERRED_LEGACY if c in best.could_be_from_charset] + [best.encoding]
        for candidate in candidates:
            try:
                return data.decode(candidate), codecs.lookup(candidate).name
            except UnicodeDecodeError:
                continue
    line = data.count(b"\n", 0, first_bad) + 1
    raise ReaderError(
        f"invalid UTF-8 (byte 0x{data[first_bad]:02x}) and no other encoding fits; save the file as UTF-8",
        name=name,
        line=line,
        code="encoding",
    )


def normalise(text: str) -> str:
    """NFC, ``\n`` line ends, trailing whitespace stripped from every line (design 3).

    Same form as ``apps.corpus.text.normalize_text`` except that leading blank lines are kept, so line
    numbers in error messages still match the file; article texts are built from stripped lines anyway.
    """
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line if line == "\f" else line.rstrip() for line in text.split("\n"))


def clean(value: object) -> str:
    """A record field (JSONL, CSV, HTML) as normalised text without surrounding blank space."""
    return normalise(str(value)).strip() if value is not None else ""
