"""The CSV export reads articles a chunk of rows at a time: a constant number of queries whatever the corpus size."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.exports import dataset, formatters
from apps.exports.selectors import SpanFilters
from apps.exports.writers import span_csv_chunks
from apps.quotes.models import Quote
from tests.factories import AnnotationFactory, ArticleFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def _corpus(n_articles: int, analyst, theme, first: int = 0):
    for n in range(first, first + n_articles):
        article = ArticleFactory(text=f'Story {n}. "We agree," the minister said. More text follows here.')
        start = article.text.index("We agree")
        Quote.objects.create(
            article=article, start=start - 1, end=start + 10, text=article.text[start - 1 : start + 10]
        )
        for a, b in ((0, 5), (start, start + 8)):
            span = AnnotationFactory(article=article, annotator=analyst, start=a, end=b)
            span.themes.set([theme])


def _export(**kw) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as ctx:
        data = b"".join(span_csv_chunks(SpanFilters(), **kw))
    return data, len(ctx.captured_queries)


def test_csv_export_queries_do_not_grow_with_the_number_of_articles(analyst):
    theme = ThemeFactory()
    _corpus(3, analyst, theme)
    _, few = _export()
    _corpus(30, analyst, theme, first=3)
    data, many = _export()
    assert data.count(b"\n") == 1 + 33 * 2
    assert many == few <= 6


def test_rows_across_chunk_boundaries_keep_their_article_and_quote(analyst, monkeypatch):
    theme = ThemeFactory()
    _corpus(7, analyst, theme)
    whole = b"".join(span_csv_chunks(SpanFilters()))
    monkeypatch.setattr(dataset, "CHUNK_SIZE", 3)  # chunks end inside articles (2 rows each)
    real = formatters.span_csv_lines
    monkeypatch.setattr("apps.exports.writers.span_csv_lines", lambda filters: real(filters, chunk_size=3))
    chunked, queries = _export()
    assert chunked == whole
    rows = list(csv.DictReader(io.StringIO(whole.decode())))
    assert sum(1 for r in rows if r["quote_id"]) == 7  # the span inside each article's quote found its quote
    assert queries > 6  # the small chunks did load in several rounds
