"""Formatters: a dataset record → the cells or object a writer writes.

CSV cells are neutralised against spreadsheet formula injection (OWASP "CSV injection"): a text cell that starts
with ``= + - @ | %``, a tab or a carriage return gets a leading apostrophe, and that apostrophe is the only
change made to it (spreadsheets hide it and show the text as written). Text that is a plain number ("-3",
"+1.5") stays as it is: a number is not a formula. Only cells whose first character is a trigger are looked at
further, which keeps the export fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from django.db import connection

from apps.core.ahead import read_ahead

from .dataset import CHUNK_SIZE, QuoteIndex, SpanRecord, sentence_around
from .selectors import (
    GOLD,
    SpanFilters,
    article_contexts,
    gold_sources,
    latest_reviewers,
    span_layer,
    span_theme_rows,
)

CSV_COLUMNS = (
    "span_id",
    "article_id",
    "title",
    "outlet",
    "published",
    "url",
    "start",
    "end",
    "span_text",
    "theme",
    "theme_name",
    "annotator",
    "status",
    "reviewer",
    "quote_id",
    "speaker",
    "sentence",
    "note",
    "created_at",
    "updated_at",
    "layer",
)

_TRIGGERS = frozenset("=+-@|%\t\r")
_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(?:\.[0-9]+)?|[+-]?\.[0-9]+")


def csv_cell(value: str) -> str:
    """A text cell a spreadsheet will show as text, never run as a formula: at most a leading apostrophe."""
    if value and value[0] in _TRIGGERS and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


_CSV_SPECIAL = re.compile(r'[,"\r\n]')


def csv_field(value: str | None) -> str:
    """``value`` as ``csv.writer`` (the excel dialect: minimal quoting, quotes doubled) writes it as a cell of a
    row of several, None as empty."""
    if not value:
        return ""
    if _CSV_SPECIAL.search(value) is None:
        return value
    return '"' + value.replace('"', '""') + '"'


def csv_text(value: str | None) -> str:
    """``csv_field(csv_cell(value))`` in one call: a text cell, neutralised and quoted (the export's hot path)."""
    if not value:
        return ""
    if value[0] in _TRIGGERS and not _NUMBER.fullmatch(value):
        value = "'" + value
    if _CSV_SPECIAL.search(value) is None:
        return value
    return '"' + value.replace('"', '""') + '"'


def span_csv_row(r: SpanRecord) -> list:
    """Cells in CSV_COLUMNS order: numbers as numbers, dates in ISO 8601, None as empty."""
    c = csv_cell
    return [
        r.span_id,
        r.article_id,
        c(r.title),
        c(r.outlet),
        r.published.isoformat() if r.published else "",
        c(r.url),
        r.start,
        r.end,
        c(r.span_text),
        c(r.theme),
        c(r.theme_name),
        c(r.annotator),
        c(r.status),
        c(r.reviewer),
        "" if r.quote_id is None else r.quote_id,
        c(r.speaker),
        c(r.sentence),
        c(r.note),
        r.created_at.isoformat(),
        r.updated_at.isoformat(),
        r.layer,
    ]


def _iso(value) -> str:
    return value if isinstance(value, str) else value.isoformat()


def _chunks_with_context(filters: SpanFilters, gold: bool, chunk_size: int) -> Iterator[tuple[list, dict, dict]]:
    """The rows of ``span_theme_rows(filters)`` a chunk at a time, each with the contexts of its articles (but the
    one the previous chunk ended in, which the consumer holds already) and its spans' gold sources or reviewers:
    three queries per chunk."""
    rows = span_theme_rows(filters, dates_as_text=True, reviewers=False).iterator(chunk_size=chunk_size)
    last = None
    while chunk := list(islice(rows, chunk_size)):
        contexts = article_contexts(list(dict.fromkeys(r[1] for r in chunk if r[1] != last)))
        span_ids = {r[0] for r in chunk}
        yield chunk, contexts, gold_sources(span_ids) if gold else latest_reviewers(span_ids)
        last = chunk[-1][1]


def span_csv_lines(filters: SpanFilters, *, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """The CSV lines ``csv.writer`` writes for ``span_csv_row(record)`` of every record of ``span_records(filters)``,
    without the records: the export's hot path. Work is done once where it repeats: per article (its metadata
    cells, its quote index), per span (its sentence, quote, text, note, users and dates: a span with several themes
    has a row per theme, which differ only in the two theme cells) and per theme (through a small memo)."""
    t = csv_text
    themes: dict = {}
    names: dict = {}  # user names and statuses: a few values repeated on every row
    gold = span_layer(filters) == GOLD
    layer = GOLD if gold else "analysts"
    contexts: dict = {}
    current = last_span = None
    head = pre = post = ""
    quotes = text = None
    chunks = _chunks_with_context(filters, gold, chunk_size)
    if connection.vendor == "postgresql":
        # the next chunk and its context are read by a background thread on this connection while this one writes
        # lines: the server makes rows on the other core meanwhile (psycopg releases the GIL while it waits)
        chunks = read_ahead(chunks, ahead=1, name="export-ahead", db=connection)
    for chunk, new_contexts, users in chunks:
        contexts.update(new_contexts)  # each article's is popped when its first row is reached
        for (
            span_id,
            article_id,
            start,
            end,
            span_text,
            theme,
            theme_name,
            annotator,
            status,
            reviewer,
            note,
            ca,
            ua,
        ) in chunk:
            if article_id != current:
                current = article_id
                article = contexts.pop(article_id)
                text = article.text
                quotes = QuoteIndex(article.quotes)
                published = article.published.isoformat() if article.published else ""
                head = f"{article_id},{t(article.title)},{t(article.outlet)},{published},{t(article.url)}"
                last_span = None
            if span_id != last_span:
                last_span = span_id
                quote = quotes.containing(start, end)
                quote_cells = "," if quote is None else f"{quote[2]},{t(quote[3])}"
                # gold: the analysts behind the span, and the adjudicating supervisor (from the row)
                who, by = (users.get(span_id, ""), reviewer) if gold else (annotator, users.get(span_id, ""))
                try:
                    people = names[who, status, by]
                except KeyError:
                    people = names[who, status, by] = f"{t(who)},{t(status)},{t(by)}"
                pre = f"{span_id},{head},{start},{end},{t(span_text)},"
                post = (
                    f",{people},{quote_cells},{t(sentence_around(text, start, end))},{t(note)},"
                    f"{_iso(ca)},{_iso(ua)},{layer}\r\n"
                )
            try:
                cells = themes[theme, theme_name]
            except KeyError:
                cells = themes[theme, theme_name] = f"{t(theme)},{t(theme_name)}"
            yield pre + cells + post
