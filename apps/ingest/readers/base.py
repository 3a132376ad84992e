from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import PurePath


@dataclass(slots=True)
class RawArticle:
    title: str
    text: str  # body only, normalised (NFC, "\n" line ends, no trailing spaces)
    outlet: str = ""
    byline: str = ""
    published: dt.date | None = None
    url: str = ""
    dateline: str = ""
    # Everything kept out of the body: captions, summary bullets, promos, credits, subheadings, republished_by...
    metadata: dict = field(default_factory=dict)
    source_line: int | None = None  # 1-based line (or record number) where the article starts in its file
    # Pre-annotations a JSONL/CSV record brings (spans, entities, quotes, annotator, nlp) as given, plus the text as
    # given under "source_text" (offsets count in it); apps.ingest.preannotated reads them. None: plain article.
    annotations: dict | None = None


class ReaderError(ValueError):
    """Input that cannot be read. ``str(err)`` names the file and, where known, the line or record."""

    def __init__(self, message: str, *, name: str = "", line: int | None = None, code: str = "invalid"):
        self.name, self.line, self.code, self.message = name, line, code, message
        where = name + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {message}" if where else message)


DEFAULT_MAX_BYTES = 50 * 1024 * 1024
FORMATS = ("txt", "jsonl", "csv", "html")
_EXTENSIONS = {
    ".txt": "txt",
    ".text": "txt",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
}


def read_articles(
    data: bytes,
    *,
    name: str,
    fmt: str = "auto",
    default_outlet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[RawArticle | ReaderError]:
    """Articles of one file, in file order.

    Size, encoding and format are checked at once (``ReaderError`` raised by this call); records are parsed as the
    iterator is consumed, and a bad record is *yielded* as a ``ReaderError`` in its place, so that the caller
    reports it and the good records before and after it still import.
    ``max_bytes`` is the caller's limit (``settings.IMPORT_MAX_BYTES``).
    """
    if fmt != "auto" and fmt not in FORMATS:
        expected = ", ".join(FORMATS)
        raise ReaderError(f"unknown format {fmt!r} (expected one of {expected} or auto)", name=name, code="format")
    # Imported here: the reader modules import ReaderError and RawArticle from this module.
    from .csvfile import read_csv
    from .html import read_html
    from .jsonl import read_jsonl
    from .plaintext import read_plaintext
    from .text import decode_text

    text = decode_text(data, name=name, max_bytes=max_bytes)
    fmt = detect_format(name, text) if fmt == "auto" else fmt
    if fmt == "txt":
        return read_plaintext(text, name=name, default_outlet=default_outlet)
    if fmt == "jsonl":
        return read_jsonl(text, name=name, default_outlet=default_outlet)
    if fmt == "csv":
        return read_csv(text, name=name, default_outlet=default_outlet, max_bytes=max_bytes)
    return iter(read_html(text, name=name, default_outlet=default_outlet))


def detect_format(name: str, text: str) -> str:
    """By extension; otherwise by the look of the first non-blank line."""
    suffix = PurePath(name).suffix.lower()
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    head = text.lstrip()[:2000].lower()
    first = head.split("\n", 1)[0]
    if head.startswith(("<!doctype html", "<html")) or "<body" in head or "<p>" in head:
        return "html"
    if first.startswith("{"):
        return "jsonl"
    if first.startswith("["):
        raise ReaderError(
            "a JSON array is not supported; write one JSON object per line (JSONL)", name=name, code="format"
        )
    from .records import ALIASES  # here for the same reason as the readers above

    columns = [c.strip().strip('"').lower() for c in first.replace(";", ",").replace("\t", ",").split(",")]
    if len(columns) > 1 and any(ALIASES.get(c) == "text" for c in columns):
        return "csv"
    return "txt"
