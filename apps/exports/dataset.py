"""Datasets: the records an export writes, built row by row in constant memory.

``span_records`` turns the (span, theme) rows of the selector into :class:`SpanRecord` s with the article's
metadata, the sentence around the span and the quote/speaker the span lies in. Rows come ordered by article,
so only the current article's text and quotes are held. ``training_texts`` does the same for the DocBin.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from apps.nlp.docbin import LabeledSpan, TrainingText

from .selectors import (
    GOLD,
    ArticleContext,
    SpanFilters,
    accepted_span_labels,
    article_context,
    article_contexts,
    article_entities,
    article_text,
    gold_span_annotators,
    span_layer,
    span_theme_rows,
)

CHUNK_SIZE = 5000  # rows per fetch of the server-side cursor (and per context / reviewer query)

# A sentence ends at . ! or ? (possibly followed by closing quotes or brackets) and whitespace, or at a newline.
# Cheap on purpose: no parser per row. Abbreviations ("U.S. officials") cut a sentence short; good enough context.
_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*\s+|\n")
# The greedy prefix runs to the span and backtracks to the nearest boundary: cost ~ the sentence, not the window.
_LAST_SENTENCE_END = re.compile(r"(?s).*(?:[.!?][\"'”’»)\]]*\s+|\n)")
_WINDOW = 1000  # characters searched each side of the span
_NEAR = 300  # most sentences are shorter: the backward search looks this far first


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence(s) holding text[start:end]: from the last boundary before ``start`` to the first at/after
    the span's last character."""
    lo = max(0, start - _WINDOW)
    # The match is the boundary that starts last before ``start``: when one starts within _NEAR characters, it is
    # the same as the whole window's, found without backtracking over the window's first 700 characters.
    near = max(lo, start - _NEAR)
    m = _LAST_SENTENCE_END.match(text, near, start)
    if m is None and near > lo:
        m = _LAST_SENTENCE_END.match(text, lo, start)
    left = m.end() if m else lo
    m = _SENTENCE_END.search(text, max(start, end - 1), min(len(text), end + _WINDOW))
    right = m.end() if m else min(len(text), end + _WINDOW)
    return text[left:right].strip()


class QuoteIndex:
    """The innermost live quote containing a span, for one article (quotes sorted by start)."""

    def __init__(self, quotes: tuple[tuple[int, int, int, str], ...]):
        self.quotes = quotes
        self.starts = [q[0] for q in quotes]
        self.max_end = []  # max_end[i]: the furthest end among quotes[: i + 1]; lets the scan stop early
        furthest = -1
        for q in quotes:
            furthest = max(furthest, q[1])
            self.max_end.append(furthest)

    def containing(self, start: int, end: int) -> tuple[int, int, int, str] | None:
        best = None
        i = bisect.bisect_right(self.starts, start) - 1
        while i >= 0 and self.max_end[i] >= end:
            q = self.quotes[i]
            if q[1] >= end and (best is None or q[1] - q[0] < best[1] - best[0]):
                best = q
            i -= 1
        return best


@dataclass(slots=True)
class SpanRecord:
    span_id: int
    article_id: int
    title: str
    outlet: str
    published: dt.date | None
    url: str
    start: int
    end: int
    span_text: str
    theme: str
    theme_name: str
    annotator: str
    status: str
    reviewer: str
    quote_id: int | None
    speaker: str
    sentence: str
    note: str
    created_at: dt.datetime
    updated_at: dt.datetime
    layer: str = "analysts"  # "gold": the adjudicated gold standard; "analysts": each analyst's own spans


def rows_with_articles(rows: Iterator[tuple], chunk_size: int, contexts: dict) -> Iterator[tuple]:
    """The rows, a chunk at a time, with the contexts of the chunk's articles loaded into ``contexts`` first (two
    queries per chunk instead of two per article). The consumer pops each context as it reaches its article, so
    only one chunk's articles are ever held."""
    current = None  # the article the previous chunk ended in: the consumer holds it already
    while chunk := list(islice(rows, chunk_size)):
        missing = list(dict.fromkeys(r[1] for r in chunk if r[1] not in contexts and r[1] != current))
        contexts.update(article_contexts(missing))
        current = chunk[-1][1]
        yield from chunk


def span_records(filters: SpanFilters, *, chunk_size: int = CHUNK_SIZE) -> Iterator[SpanRecord]:
    contexts: dict[int, ArticleContext] = {}
    article: ArticleContext | None = None
    quotes: QuoteIndex | None = None
    last_span = None  # (article, start, end) → (sentence, quote): a span with several themes repeats
    layer = span_layer(filters)
    sources: dict = {}
    for row in rows_with_articles(span_theme_rows(filters).iterator(chunk_size=chunk_size), chunk_size, contexts):
        (
            span_id,
            article_id,
            start,
            end,
            text,
            theme,
            theme_name,
            annotator,
            status,
            reviewer,
            note,
            created_at,
            updated_at,
        ) = row
        if article is None or article.id != article_id:
            article = contexts.pop(article_id, None) or article_context(article_id)
            quotes = QuoteIndex(article.quotes)
            if layer == GOLD:
                sources = gold_span_annotators(article_id)
        key = (article_id, start, end)
        if last_span is None or last_span[0] != key:
            last_span = (key, sentence_around(article.text, start, end), quotes.containing(start, end))
        _, sentence, quote = last_span
        yield SpanRecord(
            span_id,
            article_id,
            article.title,
            article.outlet,
            article.published,
            article.url,
            start,
            end,
            text,
            theme,
            theme_name,
            sources.get(span_id, "") if layer == GOLD else annotator,
            status,
            reviewer or "",
            quote[2] if quote else None,
            quote[3] if quote else "",
            sentence,
            note,
            created_at,
            updated_at,
            layer,
        )


def training_texts(filters: SpanFilters, *, chunk_size: int = CHUNK_SIZE) -> Iterator[TrainingText]:
    """One text per article with gold spans (themes as labels) and its entities (not rejected)."""
    current: int | None = None
    spans: list[LabeledSpan] = []

    def finish(article_id: int) -> TrainingText:
        ents = tuple(LabeledSpan(s, e, label) for s, e, label in article_entities(article_id))
        return TrainingText(article_text(article_id), tuple(spans), ents, {"article_id": article_id})

    for article_id, start, end, label in accepted_span_labels(filters).iterator(chunk_size=chunk_size):
        if article_id != current:
            if current is not None:
                yield finish(current)
            current, spans = article_id, []
        spans.append(LabeledSpan(start, end, label))
    if current is not None:
        yield finish(current)
