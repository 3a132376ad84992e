"""The fast CSV path (``span_csv_chunks``: cell tuples, batched writes) writes the very bytes of the record path
(``csv_chunks(span_records(...))``: one SpanRecord and one formatted row at a time), for every layer and filter."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import threading

import pytest
from django.db import connection, transaction

from apps.annotations.models import Annotation
from apps.exports import dataset
from apps.exports.formatters import csv_cell, csv_field, csv_text
from apps.exports.selectors import SpanFilters
from apps.exports.writers import csv_chunks, span_csv_chunks
from apps.quotes.models import Quote, Speaker
from apps.review.models import ReviewDecision
from tests.exports.conftest import span
from tests.factories import ArticleFactory, OutletFactory, ThemeFactory

pytestmark = pytest.mark.django_db

TEXT_C = (
    "=SUM(A1) opens the text. «Мы согласны», said the envoy — 中国 welcomes it!\n"
    '-3 is a number; "quoted, with commas" and a tab\there. @handle replied? +1 "Yes."\r\n'
    "%pct and |pipe end it. Last sentence without a stop"
)


@pytest.fixture
def varied(corpus, analyst, other_analyst, supervisor):
    """The conftest corpus plus formula cells, unicode, CSV quoting, nested quotes and spans with several themes."""
    outlet = OutletFactory(name='=Outlet, "quoted"')
    c = ArticleFactory(
        outlet=outlet, title="@title: 中国, «ру»", text=TEXT_C, published=None, url="+https://example.org/c"
    )
    d = ArticleFactory(outlet=outlet, title="-3", text="Short text. Another one.", published=dt.date(2024, 1, 2))
    formula = ThemeFactory(name="=Formula theme", slug="formula", order=3)
    unicode = ThemeFactory(name="Единство 中国", slug="unicode", order=3)
    envoy = Speaker.objects.create(name='=Envoy "the" envoy')
    outer_start = TEXT_C.index("«")
    outer_end = TEXT_C.index("!") + 1
    Quote.objects.create(article=c, speaker=envoy, start=outer_start, end=outer_end, text=TEXT_C[outer_start:outer_end])
    inner_end = TEXT_C.index("»") + 1
    Quote.objects.create(article=c, speaker=None, start=outer_start, end=inner_end, text=TEXT_C[outer_start:inner_end])
    sup_span = span(c, "=SUM(A1)", annotator=analyst, themes=[formula, unicode, corpus.trade], note='+note, "quoted"')
    span(c, "Мы согласны", annotator=other_analyst, themes=[unicode, corpus.parent], status="accepted")
    span(c, "said the envoy", annotator=analyst, themes=[formula], status="rejected", note="@x")
    span(c, "-3", annotator=analyst, themes=[corpus.trade], note="-3")
    span(c, "a tab\there", annotator=other_analyst, themes=[formula, corpus.unilateral], status="accepted")
    span(c, "%pct", annotator=analyst)
    span(c, "without a stop", annotator=analyst, themes=[unicode], note="|pipe\nsecond line")
    span(d, "Short text", annotator=other_analyst, themes=[formula], status="accepted", gold_by=supervisor)
    another = span(d, "Another", annotator=analyst, themes=[unicode, formula])
    # reviewers: the latest decision on a span names it, including the decision whose edit created the span
    edited = span(c, "envoy", annotator=supervisor, themes=[formula], status="pending")
    for n, (target, who, replacement) in enumerate(
        ((another, supervisor, None), (another, analyst, None), (sup_span, supervisor, edited), (edited, analyst, None))
    ):
        decision = ReviewDecision.objects.create(
            annotation=target, replacement=replacement, article=target.article, reviewer=who, decision="accept"
        )
        ReviewDecision.objects.filter(pk=decision.pk).update(created_at=dt.datetime(2024, 5, 1, n % 3, tzinfo=dt.UTC))
    # dates on a whole second (isoformat() leaves the microseconds out) and with a few microseconds
    Annotation.objects.filter(pk=another.pk).update(
        created_at=dt.datetime(2024, 2, 29, 23, 59, 59, tzinfo=dt.UTC),
        updated_at=dt.datetime(2024, 3, 1, 0, 0, 0, 5, tzinfo=dt.UTC),
    )
    return corpus


def _both(filters: SpanFilters, *, bom: bool = False) -> tuple[bytes, bytes]:
    fast = b"".join(span_csv_chunks(filters, bom=bom))
    old = b"".join(csv_chunks(dataset.span_records(filters), bom=bom))
    return fast, old


@pytest.mark.parametrize("bom", [False, True])
def test_everything_is_byte_identical(varied, bom):
    fast, old = _both(SpanFilters(), bom=bom)
    assert fast.count(b"\n") > 15
    assert b",2024-02-29T23:59:59+00:00,2024-03-01T00:00:00.000005+00:00," in fast
    assert b"'=SUM(A1)" in fast and b"'=Formula theme" in fast and "Единство 中国".encode() in fast
    assert fast == old


@pytest.mark.parametrize("status", ["accepted", "pending", "rejected"])
def test_each_layer_is_byte_identical(varied, status):
    fast, old = _both(SpanFilters(status=status))
    assert fast.count(b"\n") > 1
    assert fast == old


def test_filters_are_byte_identical(varied, analyst):
    for filters in (
        SpanFilters(theme_id=varied.unilateral.pk),
        SpanFilters(outlet_id=varied.xinhua.pk),
        SpanFilters(date_from=dt.date(2025, 5, 1), date_to=dt.date(2025, 5, 31)),
        SpanFilters(annotator_id=analyst.pk),
        SpanFilters(annotator_id=analyst.pk, status="accepted"),
        SpanFilters(speaker_id=varied.xi.pk),
        SpanFilters(batch_id=varied.batch.pk),
        SpanFilters(theme_id=varied.trade.pk, status="pending"),
    ):
        fast, old = _both(filters)
        assert fast == old, filters


def test_an_empty_export_is_the_header_alone(varied):
    fast, old = _both(SpanFilters(date_from=dt.date(2030, 1, 1)))
    assert fast == old and fast.count(b"\n") == 1


def test_small_chunks_change_nothing(varied, monkeypatch):
    whole, _ = _both(SpanFilters())
    monkeypatch.setattr(dataset, "CHUNK_SIZE", 2)
    monkeypatch.setattr("apps.exports.writers.CSV_ROWS_PER_CHUNK", 3)
    real = __import__("apps.exports.formatters", fromlist=["span_csv_lines"]).span_csv_lines
    monkeypatch.setattr("apps.exports.writers.span_csv_lines", lambda filters: real(filters, chunk_size=2))
    chunked, _ = _both(SpanFilters())
    assert chunked == whole


def test_a_download_stopped_early_stops_reading_and_leaves_the_connection_usable(varied, monkeypatch):
    """On PostgreSQL the next chunk is read by a background thread on the request's connection: a client that goes
    away mid-download must end that thread, its cursor and the transaction, and the connection must work after."""
    monkeypatch.setattr("apps.exports.writers.CSV_ROWS_PER_CHUNK", 1)
    real = __import__("apps.exports.formatters", fromlist=["span_csv_lines"]).span_csv_lines
    monkeypatch.setattr("apps.exports.writers.span_csv_lines", lambda filters: real(filters, chunk_size=2))
    with transaction.atomic():  # a request has none around it: the download's own ends in a rollback when closed
        download = span_csv_chunks(SpanFilters())
        header, first_row = next(download), next(download)
        assert header.startswith(b"span_id,") and first_row.count(b"\r\n") == 1
        download.close()
    assert not [t for t in threading.enumerate() if t.name == "export-ahead"]
    assert not connection.allow_thread_sharing
    assert Quote.objects.filter(article__title="-3").count() == 0  # the connection answers, in the test's transaction
    assert b"".join(span_csv_chunks(SpanFilters())).count(b"\r\n") > 10  # and a new download reads everything


@pytest.mark.parametrize(
    "value",
    [
        "",
        "plain",
        "a,b",
        'say "hi"',
        '"',
        "line\nbreak",
        "cr\rlf",
        "tab\tin",
        " lead",
        "trail ",
        "中国, «ру»",
        "''",
        ",",
    ],
)
def test_csv_field_writes_a_cell_as_csv_writer_does(value):
    buffer = io.StringIO()
    csv.writer(buffer).writerow(["x", value, "y"])
    assert f"x,{csv_field(value)},y\r\n" == buffer.getvalue()


def test_csv_field_matches_csv_writer_on_random_text():
    rng = random.Random(15)
    alphabet = "ab ,\"\r\n\t=+-@|%'«»中"
    for _ in range(2000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        buffer = io.StringIO()
        csv.writer(buffer).writerow([1, value, None])
        assert f"1,{csv_field(value)},\r\n" == buffer.getvalue(), repr(value)


def test_csv_text_is_csv_field_of_csv_cell_on_random_text():
    rng = random.Random(16)
    alphabet = "ab1 .,\"\r\n\t=+-@|%'«»中"
    for _ in range(3000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert csv_text(value) == csv_field(csv_cell(value)), repr(value)
    assert csv_text(None) == ""


def test_cells_led_by_a_tab_or_carriage_return_are_byte_identical(varied, analyst):
    """Tab and CR lead a cell (guarded) or sit inside a quoted one; no published date; a span without a theme."""
    e = ArticleFactory(title="\rTitle, led by CR", text="\tTabbed start. Next\nline here.", published=None)
    span(e, "\tTabbed", annotator=analyst, themes=[varied.trade], note="\r=cr note")
    span(e, "line here", annotator=analyst, note='a\r\nb, "q"')
    fast, old = _both(SpanFilters())
    assert fast == old
    assert b'"\'\tTabbed"' not in fast and b"'\tTabbed" in fast  # guarded; a tab alone needs no quotes
    assert b'"\'\r=cr note"' in fast
