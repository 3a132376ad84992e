"""Formatters: a dataset record → the cells or object a writer writes.

CSV cells are neutralised against spreadsheet formula injection with defusedcsv's rule (pinned 3.0.0): a text
cell starting with ``= + - @ | %`` gets a leading ``'`` (and ``|`` escaped), while numbers such as ``-3`` stay
numbers. defusedcsv does not cover tab and carriage return, which spreadsheets also treat as formula starters
(OWASP), so :func:`csv_cell` adds those. The rule is applied only to text cells whose first character is a
trigger; calling the library's writer on every cell cost a third of the export's time.
"""

from __future__ import annotations

from defusedcsv.csv import _escape as defused_escape

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
_EXTRA_TRIGGERS = frozenset("\t\r")  # not covered by defusedcsv


def csv_cell(value: str) -> str:
    """A text cell a spreadsheet will show as text, never run as a formula."""
    if value and value[0] in _TRIGGERS:
        return "'" + value if value[0] in _EXTRA_TRIGGERS else defused_escape(value)
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
