"""CSV with a header row; columns as in JSONL (case-insensitive; body/content, date and source accepted)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .base import RawArticle, ReaderError
from .records import ALIASES, record_to_article


def _delimiter(header: str) -> str:
    # The header names plain words, so the most frequent candidate there is the delimiter.
    return max(",;\t", key=header.count)


def read_csv(
    text: str, *, name: str, default_outlet: str | None = None, max_bytes: int
) -> Iterator[RawArticle | ReaderError]:
    """Rows in file order; a bad row is yielded as a ReaderError so the rows after it still import."""
    # A whole article sits in one cell; the default limit (128 KiB) is too small. Raising it is process-wide.
    csv.field_size_limit(max(csv.field_size_limit(), max_bytes))
    stream = io.StringIO(text)
    reader = csv.reader(stream, delimiter=_delimiter(text.split("\n", 1)[0]), strict=True)
    try:
        header = [column.strip() for column in next(reader)]
        if not any(ALIASES.get(column.lower()) == "text" for column in header):
            raise ReaderError(
                "no text column in the header (expected 'text', 'body' or 'content')",
                name=name,
                line=1,
                code="missing_field",
            )
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                if len(row) > len(header):
                    yield ReaderError(f"row has {len(row)} fields, the header has {len(header)}", name=name, line=start)
                else:
                    try:
                        yield record_to_article(
                            dict(zip(header, row)), name=name, line=start, default_outlet=default_outlet
                        )
                    except ReaderError as err:
                        yield err
            start = reader.line_num + 1
    except csv.Error as err:
        raise ReaderError(f"malformed CSV ({err})", name=name, line=reader.line_num) from None
