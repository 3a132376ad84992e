"""Formatters: a dataset record → the cells or object a writer writes.

CSV cells are neutralised against spreadsheet formula injection (OWASP "CSV injection"): a text cell that starts
with ``= + - @ | %``, a tab or a carriage return gets a leading apostrophe, and that apostrophe is the only
change made to it (spreadsheets hide it and show the text as written). Text that is a plain number ("-3",
"+1.5") stays as it is: a number is not a formula. Only cells whose first character is a trigger are looked at
further, which keeps the export fast.
"""

from __future__ import annotations

import re

from .dataset import SpanRecord

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
