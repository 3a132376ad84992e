from __future__ import annotations

import datetime as dt
import re
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
    # What the reader could not read but did not drop the article for ("date 'Spring 2025' not read; left empty").
    warnings: list[str] = field(default_factory=list)
    # Pre-annotations a JSONL/CSV record brings (spans, entities, quotes, annotator, nlp) as given, plus the text as
    # given under "source_text" (offsets count in it); apps.ingest.preannotated reads them. None: plain article.
    annotations: dict | None = None


class ReaderError(ValueError):
    """Input that cannot be read. ``str(err)`` names the file and, where known, the line or record."""

    def __init__(self, message: str, *, name: str = "", line: int | None = None, code: str = "invalid"):
        self.name, self.line, self.code, self.message = name, line, code, message
        where = name + (f", line {line}" if line is not None else "")
        super().__init__(f"{where}: {message}" if where else message)


# How a plain-text file is cut into articles.
SPLITS = {
    "auto": "Detect headlines (bylines, dates, compilations)",
    "headline": "Every headline line starts an article",
    "blank2": "Two or more blank lines between articles",
    "dashes": "A line of --- between articles",
    "formfeed": "A form feed (page break) between articles",
}


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """The choices a person makes for a file: the plain-text split, headlines that end with a period, the outlet
    taken from the file name (``{outlet}_*.txt``), and the encoding (``auto`` detects it)."""

    split: str = "auto"
    period_headlines: bool = False
    outlet_pattern: str = ""
    encoding: str = "auto"


DEFAULT_OPTIONS = ReadOptions()


class FileRead:
    """The articles of one file (iterate it) and what was learnt about the file: its encoding and the outlet
    its name gives."""

    def __init__(self, articles: Iterator[RawArticle | ReaderError], *, encoding: str, outlet: str = ""):
        self.articles, self.encoding, self.outlet = articles, encoding, outlet

    def __iter__(self) -> Iterator[RawArticle | ReaderError]:
        return iter(self.articles)


def outlet_from_name(name: str, pattern: str) -> str:
    """The outlet a file name gives under ``pattern``: ``{outlet}`` marks the outlet, ``*`` any text, ``?`` one
    character ("{outlet}_*.txt" reads "Global Times_2025-05.txt" as "Global Times"); "" when it does not match."""
    if "{outlet}" not in pattern:
        return ""
    regex = ""
    for part in re.split(r"(\{outlet\}|\*|\?)", pattern):
        regex += {"{outlet}": "(?P<outlet>.+?)", "*": ".*", "?": "."}.get(part, re.escape(part))
    m = re.fullmatch(regex, PurePath(name).name, re.IGNORECASE)
    return m["outlet"].replace("_", " ").strip(" -") if m else ""


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
    options: ReadOptions = DEFAULT_OPTIONS,
) -> FileRead:
    """Articles of one file, in file order (a ``FileRead``: iterate it; it also tells the encoding found).

    Size, encoding and format are checked at once (``ReaderError`` raised by this call); records are parsed as the
    iterator is consumed, and a bad record is *yielded* as a ``ReaderError`` in its place, so that the caller
    reports it and the good records before and after it still import.
    ``max_bytes`` is the caller's limit (``settings.IMPORT_MAX_BYTES``). ``options`` choose the plain-text
    split, the encoding and an outlet read from the file name (which then replaces ``default_outlet``).
    """
    if fmt != "auto" and fmt not in FORMATS:
        expected = ", ".join(FORMATS)
        raise ReaderError(f"unknown format {fmt!r} (expected one of {expected} or auto)", name=name, code="format")
    # Imported here: the reader modules import ReaderError and RawArticle from this module.
    from .csvfile import read_csv
    from .html import read_html
    from .jsonl import read_jsonl
    from .plaintext import read_plaintext
    from .text import decode_bytes

    if options.split not in SPLITS:
        raise ReaderError(f"unknown split {options.split!r} (expected one of {', '.join(SPLITS)})", name=name)
    text, encoding = decode_bytes(data, name=name, max_bytes=max_bytes, encoding=options.encoding)
    named = outlet_from_name(name, options.outlet_pattern) if options.outlet_pattern else ""
    default_outlet = named or default_outlet
    fmt = detect_format(name, text) if fmt == "auto" else fmt
    if fmt == "txt":
        articles = read_plaintext(text, name=name, default_outlet=default_outlet, options=options)
    elif fmt == "jsonl":
        articles = read_jsonl(text, name=name, default_outlet=default_outlet)
    elif fmt == "csv":
        articles = read_csv(text, name=name, default_outlet=default_outlet, max_bytes=max_bytes)
    else:
        articles = iter(read_html(text, name=name, default_outlet=default_outlet))
    return FileRead(articles, encoding=encoding, outlet=named)


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
