"""Writers: formatted records → bytes, as a stream of chunks the view and the command both consume.

dataset (``dataset.py``) → formatter (``formatters.py``) → writer (here). Each writer is a generator of
``bytes`` chunks of a few hundred rows (CSV: a few thousand), so a response or a file grows without the export
ever being in memory.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from itertools import islice

from django.db import transaction

from apps.nlp.docbin import DEFAULT_SPANS_KEY, DocBinResult, docbin_build

from .dataset import SpanRecord, training_texts
from .formatters import CSV_COLUMNS, span_csv_lines, span_csv_row
from .jsonl import jsonl_lines
from .selectors import SpanFilters

ROWS_PER_CHUNK = 500
CSV_ROWS_PER_CHUNK = 4000  # the fast CSV path: ~1.3 MB chunks, one encode and one write per chunk

Progress = Callable[[int], None] | None


def csv_chunks(records: Iterable[SpanRecord], *, progress: Progress = None, bom: bool = False) -> Iterator[bytes]:
    """UTF-8 CSV with a header row; formula-like cells neutralised (see formatters). ``bom`` starts the file
    with a UTF-8 byte order mark, which Excel needs to read UTF-8 (without it, "Xi’s" shows as "Xiâ€™s")."""
    if bom:
        yield codecs.BOM_UTF8
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # cells are neutralised by the formatter (a leading apostrophe, nothing else)
    writer.writerow(CSV_COLUMNS)
    pending = 0
    for record in records:
        writer.writerow(span_csv_row(record))
        pending += 1
        if pending == ROWS_PER_CHUNK:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            if progress:
                progress(pending)
            pending = 0
    yield buffer.getvalue().encode("utf-8")
    if progress and pending:
        progress(pending)


def span_csv_chunks(filters: SpanFilters, *, progress: Progress = None, bom: bool = False) -> Iterator[bytes]:
    """The bytes of ``csv_chunks(span_records(filters))`` (``tests/exports/test_export_identical.py`` holds them
    equal), built from ready lines (``span_csv_lines``) joined and encoded a few thousand rows at a time.

    The rows are read inside a transaction: in autocommit mode Django declares its server-side cursor WITH HOLD,
    and PostgreSQL then runs the whole query and stores every row (1,000,000 rows: ~180 MB on disk, seconds)
    before the first fetch returns; inside a transaction the cursor hands rows out as the query makes them."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(CSV_COLUMNS)
    yield (codecs.BOM_UTF8 if bom else b"") + buffer.getvalue().encode("utf-8")
    # closing(): a download stopped early stops reading (and its reader thread) before the transaction ends
    with transaction.atomic(savepoint=False), closing(span_csv_lines(filters)) as lines:
        while batch := list(islice(lines, CSV_ROWS_PER_CHUNK)):
            yield "".join(batch).encode("utf-8")
            if progress:
                progress(len(batch))


def jsonl_chunks(*, progress: Progress = None) -> Iterator[bytes]:
    lines: list[str] = []
    for line in jsonl_lines():
        lines.append(line)
        if len(lines) == ROWS_PER_CHUNK:
            yield "".join(lines).encode("utf-8")
            if progress:
                progress(len(lines))
            lines = []
    yield "".join(lines).encode("utf-8")
    if progress and lines:
        progress(len(lines))


def docbin_export(filters: SpanFilters, *, spans_key: str = DEFAULT_SPANS_KEY) -> DocBinResult:
    """Accepted spans as a spaCy DocBin (built in memory: a DocBin is one serialised blob)."""
    return docbin_build(training_texts(filters), spans_key=spans_key)
