import csv
import io

import pytest
from django.core.management import CommandError, call_command

from apps.exports.formatters import CSV_COLUMNS

pytestmark = pytest.mark.django_db


def _run(**options) -> str:
    err = io.StringIO()
    call_command("export_spans", no_progress=True, stderr=err, **options)
    return err.getvalue()


def test_export_spans_writes_the_same_csv_as_the_page(client_for, supervisor, corpus, tmp_path):
    out = tmp_path / "spans.csv"
    summary = _run(format="csv", output=str(out), theme="unilateralism", outlet="Xinhua")
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [(int(r["span_id"]), r["theme"], r["speaker"]) for r in rows] == [
        (corpus.in_quote.pk, "unilateralism", "Xi Jinping")
    ]
    assert "1 rows" in summary
    page = client_for(supervisor).get("/exports/download/", {"theme": "unilateralism", "outlet": "Xinhua"})
    assert b"".join(page.streaming_content) == out.read_bytes()


def test_export_spans_with_no_rows_writes_the_header(corpus, tmp_path):
    out = tmp_path / "none.csv"
    _run(output=str(out), status="rejected", annotator="ana")
    assert out.read_bytes() == (",".join(CSV_COLUMNS) + "\r\n").encode()


@pytest.mark.parametrize(
    "options,message",
    [
        ({"theme": "nonexistent"}, "No theme 'nonexistent'."),
        ({"outlet": "Reuters"}, "No outlet 'Reuters'."),
        ({"date_to": "yesterday"}, "Date to 'yesterday' is not a date"),
        ({"format": "parquet"}, "Unknown format 'parquet'"),
        ({"format": "jsonl", "status": "accepted"}, "filters do not apply"),
    ],
)
def test_export_spans_names_a_bad_value(corpus, tmp_path, options, message):
    out = tmp_path / "x"
    with pytest.raises(CommandError, match=message):
        _run(output=str(out), **options)
    assert not out.exists()
