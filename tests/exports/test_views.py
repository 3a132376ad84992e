import csv
import html
import io

import pytest
from django.urls import reverse

from apps.exports.formatters import CSV_COLUMNS
from tests.exports.conftest import span
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


def _pairs(rows) -> set[tuple[int, str]]:
    return {(int(r["span_id"]), r["theme"]) for r in rows}


def test_anonymous_goes_to_login_and_analyst_gets_403(client, client_for, analyst, corpus):
    for name in ("exports:page", "exports:download"):
        assert client.get(reverse(name)).status_code == 302
    client = client_for(analyst)
    assert client.get(reverse("exports:page")).status_code == 403
    response = client.get(reverse("exports:download"), {"format": "csv"})
    assert response.status_code == 403
    assert b"unilateralism" not in response.content


def test_admin_can_export(client_for, admin_user, corpus):
    client = client_for(admin_user)
    assert client.get(reverse("exports:page")).status_code == 200
    rows = _csv(client.get(reverse("exports:download")))
    assert len(rows) == 5


def test_csv_has_one_row_per_live_span_and_theme_with_context(client_for, supervisor, corpus):
    response = client_for(supervisor).get(reverse("exports:download"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="readout-spans-')
    rows = _csv(response)
    assert list(rows[0].keys()) == list(CSV_COLUMNS)
    c = corpus
    # deleted spans have no row; a span with two themes has two; a span without a theme has one, theme empty
    assert _pairs(rows) == {
        (c.in_quote.pk, "unilateralism"),
        (c.in_quote.pk, "order"),
        (c.trade_span.pk, "economy"),
        (c.rejected.pk, "unilateralism"),
        (c.untagged.pk, ""),
    }
    first = rows[0]
    assert first["span_id"] == str(c.in_quote.pk) and first["theme"] == "order"  # by article, span, theme order
    assert first["title"] == "Xi in Moscow" and first["outlet"] == "Xinhua"
    assert first["published"] == "2025-05-08" and first["url"] == "https://example.org/a"
    assert first["span_text"] == "unilateralism and bullying"
    assert int(first["end"]) - int(first["start"]) == len("unilateralism and bullying")
    assert first["annotator"] == "ana" and first["status"] == "accepted"
    assert first["quote_id"] == str(c.quote.pk) and first["speaker"] == "Xi Jinping"
    assert first["sentence"] == '"We oppose unilateralism and bullying," Xi said.'
    assert first["note"] == "'=core frame"  # neutralised
    assert first["created_at"].startswith(c.in_quote.created_at.date().isoformat())
    assert first["reviewer"] == "sue"
    trade = next(r for r in rows if r["theme"] == "economy")
    assert trade["quote_id"] == "" and trade["speaker"] == "" and trade["reviewer"] == ""
    assert trade["sentence"] == "Trade grew fast!"


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"theme": "unilateralism"}, {("in_quote", "unilateralism"), ("rejected", "unilateralism")}),
        ({"outlet": "OUTLET_TASS"}, {("rejected", "unilateralism")}),
        ({"outlet": "TASS"}, {("rejected", "unilateralism")}),
        ({"date_from": "2025-05-09"}, {("rejected", "unilateralism")}),
        (
            {"date_to": "2025-05-08"},
            {("in_quote", "unilateralism"), ("in_quote", "order"), ("trade_span", "economy"), ("untagged", "")},
        ),
        ({"status": "pending"}, {("trade_span", "economy"), ("untagged", "")}),
        ({"annotator": "bob"}, {("trade_span", "economy"), ("rejected", "unilateralism")}),
        ({"speaker": "SPEAKER_XI"}, {("in_quote", "unilateralism"), ("in_quote", "order")}),
        ({"speaker": "xi jinping"}, {("in_quote", "unilateralism"), ("in_quote", "order")}),
        (
            {"batch": "BATCH"},
            {("in_quote", "unilateralism"), ("in_quote", "order"), ("trade_span", "economy"), ("untagged", "")},
        ),
        ({"theme": "unilateralism", "outlet": "Xinhua", "status": "accepted"}, {("gold", "unilateralism")}),
    ],
)
def test_each_filter_narrows_the_rows(client_for, supervisor, corpus, params, expected):
    swap = {"OUTLET_TASS": str(corpus.tass.pk), "SPEAKER_XI": str(corpus.xi.pk), "BATCH": str(corpus.batch.pk)}
    params = {k: swap.get(v, v) for k, v in params.items()}
    rows = _csv(client_for(supervisor).get(reverse("exports:download"), params))
    assert _pairs(rows) == {(getattr(corpus, name).pk, theme) for name, theme in expected}


@pytest.mark.parametrize(
    "params,message",
    [
        ({"theme": "nonexistent"}, "No theme 'nonexistent'."),
        ({"outlet": "999999"}, "No outlet '999999'."),
        ({"date_from": "2025-13-01"}, "Date from '2025-13-01' is not a date (use YYYY-MM-DD)."),
        ({"date_from": "2025-06-01", "date_to": "2025-05-01"}, "'Published from' is after 'Published to'."),
        ({"status": "approved"}, "No review state 'approved'"),
        ({"annotator": "nobody"}, "No user 'nobody'."),
        ({"speaker": "424242"}, "No speaker #424242."),
        ({"speaker": "Putin"}, "No speaker or alias 'Putin'."),
        ({"batch": "77"}, "No import batch '77'."),
        ({"format": "xlsx"}, "Unknown format 'xlsx'"),
        ({"format": "jsonl", "theme": "order"}, "filters do not apply"),
        ({"format": "docbin", "status": "pending"}, "accepted spans only"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_it(client_for, supervisor, corpus, params, message):
    client = client_for(supervisor)
    response = client.get(reverse("exports:download"), params)
    # never a bare text page: the export page itself, with its navigation, the filters and the message inline
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = html.unescape(response.content.decode())
    assert message in body and 'role="alert"' in body and 'href="/exports/"' in body and "<form" in body
    page = client.get(reverse("exports:page"), params)
    assert page.status_code == 400 and message in html.unescape(page.content.decode())
    # the HTMX refresh swaps the form's body: the message sits where the count would be
    partial = client.get(reverse("exports:page"), params, HTTP_HX_REQUEST="true")
    text = html.unescape(partial.content.decode())
    assert partial.status_code == 200 and message in text and 'data-testid="export-error"' in text
    assert 'id="export-body"' in text and "preview-count" not in text


def test_an_export_with_no_rows_is_refused_on_the_page(client_for, supervisor, corpus):
    response = client_for(supervisor).get(reverse("exports:download"), {"theme": "economy", "outlet": "TASS"})
    assert response.status_code == 400
    assert "No span matches these filters: there is nothing to export." in response.content.decode()


def test_filters_that_do_not_apply_to_a_format_are_disabled_with_the_reason(client_for, supervisor, corpus):
    client = client_for(supervisor)
    jsonl = client.get(reverse("exports:page"), {"format": "jsonl"}, HTTP_HX_REQUEST="true").content.decode()
    assert jsonl.count(" disabled") == 8 and "filters do not apply" in jsonl
    assert "record" in jsonl and "will be exported" in jsonl
    docbin = client.get(reverse("exports:page"), {"format": "docbin"}, HTTP_HX_REQUEST="true").content.decode()
    assert docbin.count(" disabled") == 1 and 'id="why-status"' in docbin
    assert "A DocBin holds accepted spans only: the gold standard." in docbin
    csv_page = client.get(reverse("exports:page"), {"format": "csv"}, HTTP_HX_REQUEST="true").content.decode()
    assert " disabled" not in csv_page


def test_the_count_is_right_for_each_format(client_for, supervisor, corpus):
    from apps.exports.jsonl import jsonl_record_count
    from apps.exports.selectors import SpanFilters, accepted_span_labels, span_theme_count

    client = client_for(supervisor)

    def count(**params):
        body = client.get(reverse("exports:page"), params, HTTP_HX_REQUEST="true").content.decode()
        return int(body.split('data-testid="preview-count">', 1)[1].split("<", 1)[0])

    assert count(format="csv") == span_theme_count(SpanFilters()) == count(format="excel")
    assert count(format="jsonl") == jsonl_record_count()
    assert count(format="docbin") == accepted_span_labels(SpanFilters()).count()
    rows = _csv(client.get(reverse("exports:download"), {"format": "csv", "theme": "order"}))
    assert count(format="csv", theme="order") == len(rows)


def test_excel_writes_utf8_with_a_bom_and_the_same_rows(client_for, supervisor, corpus):
    client = client_for(supervisor)
    excel = client.get(reverse("exports:download"), {"format": "excel"})
    plain = client.get(reverse("exports:download"), {"format": "csv"})
    excel_bytes, plain_bytes = b"".join(excel.streaming_content), b"".join(plain.streaming_content)
    assert excel_bytes.startswith(b"\xef\xbb\xbf") and not plain_bytes.startswith(b"\xef\xbb\xbf")
    assert excel_bytes[3:] == plain_bytes
    assert "-excel.csv" in excel["Content-Disposition"]


def test_the_speaker_filter_accepts_an_alias_and_suggests_names(client_for, supervisor, corpus):
    from apps.quotes.models import SpeakerAlias

    SpeakerAlias.objects.get_or_create(speaker=corpus.xi, alias="President Xi", alias_key="president xi")
    client = client_for(supervisor)
    by_alias = _csv(client.get(reverse("exports:download"), {"speaker": "president XI"}))
    by_id = _csv(client.get(reverse("exports:download"), {"speaker": str(corpus.xi.pk)}))
    assert by_alias and _pairs(by_alias) == _pairs(by_id)
    options = client.get(reverse("exports:speakers"), {"speaker": "presid"}).content.decode()
    assert f'<option value="{corpus.xi.name}">' in options and "President Xi" in options


def test_export_page_shows_filters_and_preview_count(client_for, supervisor, corpus):
    client = client_for(supervisor)
    page = client.get(reverse("exports:page"))
    body = page.content.decode()
    assert page.status_code == 200
    assert 'value="unilateralism"' in body and f'value="{corpus.tass.pk}"' in body
    assert 'data-testid="preview-count">5<' in body
    assert 'href="/exports/"' in body  # the nav link for supervisors
    partial = client.get(reverse("exports:page"), {"theme": "unilateralism"}, HTTP_HX_REQUEST="true")
    text = partial.content.decode()
    assert partial.status_code == 200 and "<form" not in text
    assert 'data-testid="preview-count">2<' in text
    docbin = client.get(reverse("exports:page"), {"format": "docbin"}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-testid="preview-count">2<' in docbin and "DocBin" in docbin


def test_analysts_see_no_export_link(client_for, analyst, corpus):
    body = client_for(analyst).get(reverse("reading:article_list")).content.decode()
    assert 'href="/exports/"' not in body


def test_every_formula_starter_is_neutralised_in_cells(client_for, supervisor, corpus):
    # = + - @ | % tab and CR get a leading apostrophe and nothing else changes. Numbers such as -3 stay numbers.
    notes = ['=HYPERLINK("http://x")', "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "%0A", "|x"]
    kept = ["plain", "-3", "+1.5", "a=b"]
    # spans are unique per (article, start, end, annotator): one annotator per note
    for n, note in enumerate(notes + kept):
        span(corpus.b, "talks", annotator=UserFactory(username=f"n{n}"), themes=[corpus.trade], note=note)
    rows = _csv(client_for(supervisor).get(reverse("exports:download"), {"theme": "economy", "outlet": "TASS"}))
    got = sorted(r["note"] for r in rows)
    assert got == sorted(["'" + note for note in notes] + kept)


def test_the_download_asks_whether_a_row_exists_instead_of_counting_them(client_for, supervisor, corpus):
    """Before streaming, the download only needs to know that something matches: one EXISTS (LIMIT 1), no COUNT."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(supervisor)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("exports:download"), {"format": "csv"})
        rows = _csv(response)
    assert rows
    sql = [q["sql"].upper() for q in queries.captured_queries]
    assert not any("COUNT(" in q for q in sql)
    assert any("LIMIT 1" in q and "ANNOTATIONS_ANNOTATION" in q for q in sql)
