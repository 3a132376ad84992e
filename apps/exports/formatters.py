"""Formatters: a dataset record → the cells or object a writer writes.

CSV cells are neutralised against spreadsheet formula injection: defusedcsv prefixes ``'`` to cells starting
with ``= + - @ | %`` (numbers such as ``-3`` stay numbers); it does not cover tab and carriage return, which
spreadsheets also treat as formula starters (OWASP), so :func:`csv_cell` adds those.
"""

from __future__ import annotations

import datetime as dt

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
)

_EXTRA_FORMULA_STARTS = ("\t", "\r")


def csv_cell(value):
    """A cell value for defusedcsv: dates as ISO 8601, None as empty, tab/CR-led text neutralised."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_EXTRA_FORMULA_STARTS):
        return "'" + value
    return value


def span_csv_row(record: SpanRecord) -> list:
    return [csv_cell(getattr(record, name)) for name in CSV_COLUMNS]
