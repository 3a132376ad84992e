"""JSONL: one JSON object per line (title, text, outlet, published, url, byline; the rest goes to metadata)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from .base import RawArticle, ReaderError
from .records import record_to_article


def read_jsonl(text: str, *, name: str, default_outlet: str | None = None) -> Iterator[RawArticle | ReaderError]:
    """Records in file order; a bad record is yielded as a ReaderError so the records after it still import."""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield ReaderError(f"malformed JSON ({err.msg}, column {err.colno})", name=name, line=number)
            continue
        if not isinstance(record, dict):
            yield ReaderError(f"expected a JSON object, got {type(record).__name__}", name=name, line=number)
            continue
        try:
            yield record_to_article(record, name=name, line=number, default_outlet=default_outlet)
        except ReaderError as err:
            yield err
