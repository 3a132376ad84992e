"""CSV export of 1,000,000 (span, theme) rows: rows per second and peak memory, through the view and the command.

Builds a corpus with ``--rows`` (span, theme) rows (2 themes per span, 25 spans and 3 quotes per article), then
measures, each in its own child process:

* view: the streaming download view (``/exports/download/?format=csv``) driven by Django's test client, the
  response consumed chunk by chunk as a WSGI server would; peak RSS of that process.
* command: ``manage.py export_spans --format csv -o FILE`` as a subprocess; its peak RSS read with
  ``getrusage(RUSAGE_CHILDREN)`` in the wrapper that waited for it.

Both peaks include the interpreter and Django; the view's also everything the URLconf imports (spaCy and
scikit-learn: ~165 MB before any export starts, reported as ``base_rss_mb``); the command skips the system checks
and never loads the URLconf. The target is 150 MB at any size.

    .venv/bin/python bench/export_bench.py [--rows 1000000]   # SQLite in a temp dir unless DATABASE_URL is set
    .venv/bin/python bench/export_bench.py --reuse           # measure again on DATABASE_URL's built corpus

Last line: {"rows": ..., "rows_per_s": ..., "peak_rss_mb": ...} (the slower rate and the larger peak of the two
paths), with each path's figures alongside.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SPANS_PER_ARTICLE = 25
THEMES_PER_SPAN = 2
SENTENCE = "Officials in capital {n} said that the partnership, trade and mutual trust keep growing. "
TARGET_MB = 150


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _peak_mb(who) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux: kilobytes


# -- data ---------------------------------------------------------------------------------------------------------


def _bulk(model, objs, batch: int = 5000) -> None:
    """bulk_create in batches from a generator: Django fills defaults of fields other apps add later."""
    pending = []
    for obj in objs:
        pending.append(obj)
        if len(pending) == batch:
            model.objects.bulk_create(pending)
            pending = []
    if pending:
        model.objects.bulk_create(pending)


def _copy_links(connection, through, rows) -> None:
    """The (span, theme) link table, the biggest: COPY on PostgreSQL, executemany elsewhere."""
    table = connection.ops.quote_name(through._meta.db_table)
    columns = "annotation_id, theme_id"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == 50_000:
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s)", batch)
                batch = []
        if batch:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES (%s, %s)", batch)


def build(rows: int) -> dict:
    import datetime as dt

    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from apps.accounts.services import user_create
    from apps.annotations.models import Annotation, Theme
    from apps.corpus.models import Article, Outlet
    from apps.quotes.models import Quote, Speaker

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    n_articles = max(1, rows // (SPANS_PER_ARTICLE * THEMES_PER_SPAN))
    n_spans = n_articles * SPANS_PER_ARTICLE
    user_create(username="bench-sup", password="bench-pass-123", role="Supervisor")
    annotators = [user_create(username=f"bench-{i}", password="bench-pass-123", role="Analyst").pk for i in range(5)]
    with transaction.atomic():
        outlets = [Outlet.objects.create(name=f"Outlet {i}").pk for i in range(10)]
        themes = [Theme.objects.create(name=f"Theme {i}", slug=f"theme-{i}", order=i).pk for i in range(12)]
        speakers = [Speaker.objects.create(name=f"Speaker {i}").pk for i in range(100)]
        sentences = [SENTENCE.format(n=n) for n in range(SPANS_PER_ARTICLE + 5)]
        offsets, pos = [], 0
        for s in sentences:
            offsets.append(pos)
            pos += len(s)
        body = "".join(sentences)
        _bulk(
            Article,
            (
                Article(
                    id=a,
                    outlet_id=outlets[a % 10],
                    title=f"Article {a}",
                    published=dt.date(2025, 1 + a % 12, 1 + a % 28),
                    url=f"https://example.org/{a}",
                    text=f"{body}Edition {a}.",
                    content_hash=f"{a:064x}",
                    n_words=300,
                )
                for a in range(1, n_articles + 1)
            ),
        )
        _bulk(
            Quote,
            (
                Quote(
                    article_id=a,
                    speaker_id=speakers[(a + first) % 100],
                    start=offsets[first],
                    end=offsets[first + 5] - 1,
                    text=body[offsets[first] : offsets[first + 5] - 1],
                    cue="said",
                )
                for a in range(1, n_articles + 1)
                for first in (0, 10, 20)
            ),
        )
        statuses = ["pending", "accepted", "rejected"]
        _bulk(
            Annotation,
            (
                Annotation(
                    id=sid,
                    article_id=1 + (sid - 1) // SPANS_PER_ARTICLE,
                    annotator_id=annotators[sid % 5],
                    start=offsets[(sid - 1) % SPANS_PER_ARTICLE] + 12,
                    end=offsets[(sid - 1) % SPANS_PER_ARTICLE] + 52,
                    text=sentences[(sid - 1) % SPANS_PER_ARTICLE][12:52],
                    status=statuses[sid % 3],
                )
                for sid in range(1, n_spans + 1)
            ),
        )
        _copy_links(
            connection,
            Annotation.themes.through,
            ((sid, themes[(sid + k) % 12]) for sid in range(1, n_spans + 1) for k in range(THEMES_PER_SPAN)),
        )
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Article, Annotation]):
                cursor.execute(sql)
    with connection.cursor() as cursor:
        # Planner statistics as a live database has them: autovacuum may be off (it is on this machine) or not have
        # run yet, and the planner then takes the 500,000 spans for 1,767 and picks plans for that.
        cursor.execute("ANALYZE")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # Measured processes start from a checkpointed database, not the build's ~300 MB write-ahead log.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return {
        "rows": n_spans * THEMES_PER_SPAN,
        "articles": n_articles,
        "build_s": round(time.perf_counter() - t0, 1),
        "vendor": connection.vendor,
    }


# -- measurements (each in a child process) -----------------------------------------------------------------------


def child_view(rows_expected: int) -> dict:
    _django()
    from django.test import Client

    from apps.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="bench-sup"))
    client.get("/exports/")  # the URLconf and every view it imports are loaded, as in any web worker
    base = _peak_mb(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    response = client.get("/exports/download/", {"format": "csv"})
    assert response.status_code == 200 and response.streaming, response.status_code
    size = lines = 0
    for chunk in response.streaming_content:  # what a WSGI server does: write each chunk out, keep nothing
        size += len(chunk)
        lines += chunk.count(b"\n")
    response.close()
    seconds = time.perf_counter() - t0
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "rows": lines - 1,
        "seconds": round(seconds, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "bytes": size,
        "peak_rss_mb": _peak_mb(resource.RUSAGE_SELF),
        "base_rss_mb": base,
    }


def child_command(rows_expected: int) -> dict:
    out = Path(tempfile.mkdtemp(prefix="readout-export-")) / "spans.csv"
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, str(REPO / "manage.py"), "export_spans", "--format", "csv", "-o", str(out), "--no-progress"],
        check=True,
        cwd=REPO,
        stderr=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - t0
    with out.open("rb") as fh:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    size = out.stat().st_size
    out.unlink()
    out.parent.rmdir()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "rows": lines - 1,
        "seconds": round(seconds, 2),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "bytes": size,
        "peak_rss_mb": _peak_mb(resource.RUSAGE_CHILDREN),
    }


def _child(kind: str, rows: int) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--rows", str(rows)],
        check=True,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(kind: str, rows: int) -> dict:
    figures = _child(kind, rows)
    figures["rows_per_s"] = round(figures["rows"] / figures["seconds"])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000, help="(span, theme) rows to export")
    parser.add_argument("--reuse", action="store_true", help="measure the corpus a previous run built (DATABASE_URL)")
    parser.add_argument("--child", choices=["build", "built", "view", "command"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "build":
        _django()
        print(json.dumps(build(args.rows)))
        return
    if args.child == "built":
        _django()
        print(json.dumps(built_corpus()))
        return
    if args.child:
        fn = child_view if args.child == "view" else child_command
        print(json.dumps(fn(args.rows)))
        return

    if args.reuse and "DATABASE_URL" not in os.environ:
        raise SystemExit("--reuse needs DATABASE_URL: the corpus of an earlier run")
    tmp = tempfile.mkdtemp(prefix="readout-export-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    try:
        run(args.rows, reuse=args.reuse)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def built_corpus() -> dict:
    """The figures ``build`` reported, read back from a corpus it built earlier (``--reuse``)."""
    from django.db import connection

    from apps.annotations.models import Annotation
    from apps.corpus.models import Article

    rows = Annotation.themes.through.objects.count()
    return {"rows": rows, "articles": Article.objects.count(), "build_s": 0, "vendor": connection.vendor}


def run(rows: int, *, reuse: bool = False) -> None:
    # The build runs in its own process too, which exits (closing SQLite and its write-ahead log) before the
    # measurements start: with the builder still attached, the first measured process paid for its leftovers.
    built = _child("built", rows) if reuse else _child("build", rows)
    vendor = built.get("vendor", "")
    print(f"built {built['rows']} rows ({built['articles']} articles) in {built['build_s']} s on {vendor}", flush=True)
    results = {}
    for kind in ("view", "command"):
        results[kind] = figures = measure(kind, built["rows"])
        assert figures["rows"] == built["rows"], (kind, figures, built)
        print(
            f"{kind}: {figures['rows']} rows in {figures['seconds']} s ({figures['cpu_s']} s CPU) = "
            f"{figures['rows_per_s']} rows/s, "
            f"{figures['bytes'] / 1e6:.0f} MB of CSV, peak RSS {figures['peak_rss_mb']} MB"
            + (f" ({figures['base_rss_mb']} MB before the export)" if "base_rss_mb" in figures else ""),
            flush=True,
        )
    print(
        json.dumps(
            {
                "rows": built["rows"],
                "rows_per_s": min(r["rows_per_s"] for r in results.values()),
                "peak_rss_mb": max(r["peak_rss_mb"] for r in results.values()),
                "view_rows_per_s": results["view"]["rows_per_s"],
                "view_peak_rss_mb": results["view"]["peak_rss_mb"],
                "view_base_rss_mb": results["view"]["base_rss_mb"],
                "command_rows_per_s": results["command"]["rows_per_s"],
                "command_peak_rss_mb": results["command"]["peak_rss_mb"],
                "view_cpu_s": results["view"]["cpu_s"],
                "command_cpu_s": results["command"]["cpu_s"],
                "target_peak_rss_mb": TARGET_MB,
                "database": vendor,
            }
        )
    )


if __name__ == "__main__":
    main()
