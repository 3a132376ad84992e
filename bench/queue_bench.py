"""Review queues at scale: server time and query count of the supervisor dashboard and a filtered queue page.

Builds 100,000 articles, ~100,000 assignments (a quarter double-annotated) with their events, and 1,000,000
spans with themes (COPY on PostgreSQL, executemany on SQLite), then requests the pages through Django's test
client as a supervisor, capturing queries. Figures are medians of several warm requests.

    createdb -h 127.0.0.1 -U postgres readout_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/readout_bench .venv/bin/python bench/queue_bench.py
    .venv/bin/python bench/queue_bench.py --articles 20000 --spans 200000     # SQLite in a temp dir

The database is flushed first (use a dedicated one); ``--reuse`` keeps data from an earlier run of the same size.
Last line: {"dashboard_ms": ..., "dashboard_queries": ..., "queue_ms": ..., "queue_queries": ..., ...}
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

WORDS = (
    "China Russia leaders talks partnership cooperation Moscow Beijing multipolar world order sanctions "
    "energy trade security Ukraine Taiwan United Nations BRICS summit president minister said stressed "
    "called mutual trust strategic dialogue development economic cultural exchange governance reform"
).split()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--spans", type=int, default=1_000_000)
    parser.add_argument("--analysts", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep the data if the sizes already match")
    args = parser.parse_args()

    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp(prefix='readout-queue-bench-')}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from apps.annotations.models import Annotation
    from apps.corpus.models import Article

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    have = (Article.objects.count(), Annotation.objects.count())
    if not (args.reuse and have == (args.articles, args.spans)):
        t0 = time.perf_counter()
        call_command("flush", interactive=False, verbosity=0)
        build(args, connection)
        print(
            f"built {args.articles:,} articles and {args.spans:,} spans on {vendor} in {time.perf_counter() - t0:.1f} s"
        )
        # what autovacuum does on a live database: statistics, and visibility maps for index-only scans
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
    results = measure(args)
    print(json.dumps(results))


# --- data -------------------------------------------------------------------------------------------------------------


def insert(connection, table: str, columns: list[str], rows) -> int:
    """COPY on PostgreSQL, chunked executemany elsewhere. ``rows`` is any iterable of tuples."""
    n = 0
    table = connection.ops.quote_name(table)
    columns = [connection.ops.quote_name(c) for c in columns]
    if connection.vendor == "postgresql":
        raw = connection.connection
        with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                n += 1
        return n
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    chunk: list = []
    with connection.cursor() as cur:
        for row in rows:
            chunk.append(row)
            if len(chunk) >= 20_000:
                cur.executemany(sql, chunk)
                n += len(chunk)
                chunk = []
        if chunk:
            cur.executemany(sql, chunk)
            n += len(chunk)
    return n


def plan_assignments(rng, n_articles, analysts, S, now) -> list[tuple]:
    """6 in 7 articles assigned, a quarter of those to two analysts: (id, article, analyst, state, updated)."""
    states = [S.APPROVED] * 8 + [S.SUBMITTED] * 4 + [S.IN_PROGRESS] * 3 + [S.ASSIGNED] * 3 + [S.CHANGES_REQUESTED] * 2
    assignments: list[tuple] = []
    for article_id in range(1, n_articles + 1):
        if article_id % 7 == 0:
            continue  # the open pool (1 in 7 articles)
        first = rng.randrange(len(analysts))
        who = [analysts[first]]
        if article_id % 4 == 0:
            who.append(analysts[(first + 1 + rng.randrange(len(analysts) - 1)) % len(analysts)])
        for analyst in who:
            updated = now - timedelta(minutes=rng.randrange(60 * 24 * 60))
            assignments.append((len(assignments) + 1, article_id, analyst, rng.choice(states), updated))
    return assignments


def build(args, connection) -> None:
    from django.core.management.color import no_style
    from django.db import transaction

    from apps.accounts.models import User
    from apps.accounts.services import roles_setup
    from apps.annotations.models import Annotation, Theme
    from apps.assignments.models import Assignment, AssignmentEvent
    from apps.corpus.models import Article, Outlet

    rng = random.Random(7)
    groups = roles_setup()
    call_command_quiet("loaddata", "themes")
    theme_ids = list(Theme.objects.values_list("id", flat=True))
    supervisor = User.objects.create_user("bench-supervisor", password="x")
    supervisor.groups.add(groups["Supervisor"])
    analysts = []
    for i in range(args.analysts):
        user = User.objects.create_user(f"bench-analyst-{i:02d}", password="x", first_name=f"Analyst {i:02d}")
        user.groups.add(groups["Analyst"])
        analysts.append(user.pk)
    outlets = [
        Outlet.objects.create(name=name).pk
        for name in (
            "Xinhua",
            "TASS",
            "RIA Novosti",
            "China Daily",
            "Global Times",
            "RT",
            "CGTN",
            "Reuters",
            "Associated Press",
            "People's Daily",
        )
    ]
    now = datetime.now(UTC)
    start_day = date(2024, 1, 1)

    # articles: a few hundred words each; ids 1..N
    texts: list[str] = []

    def article_rows():
        for i in range(1, args.articles + 1):
            words = [WORDS[(i * 7 + k * 13) % len(WORDS)] for k in range(70 + i % 30)]
            text = f"Article {i}. " + " ".join(words) + "."
            texts.append(text)
            yield (
                i,
                outlets[i % len(outlets)],
                f"Bench article {i}: " + " ".join(words[:8]),
                "",
                start_day + timedelta(days=i % 700),
                "",
                "",
                text,
                hashlib.sha256(text.encode()).hexdigest(),
                len(words) + 2,
                "{}",
                now - timedelta(minutes=args.articles - i),
            )

    S = Assignment.State
    assignments = plan_assignments(rng, args.articles, analysts, S, now)

    def assignment_rows():
        for aid, article, analyst, state, updated in assignments:
            due = start_day + timedelta(days=400 + aid % 400) if aid % 3 else None
            yield (aid, article, analyst, state, supervisor.pk, due, updated - timedelta(days=3), updated, 2)

    def event_rows():
        eid = 0
        for aid, _article, analyst, state, updated in assignments:
            eid += 1
            yield (eid, aid, supervisor.pk, "", S.ASSIGNED, "", updated - timedelta(days=3))
            if state != S.ASSIGNED:
                eid += 1
                actor = analyst if state in (S.SUBMITTED, S.IN_PROGRESS) else supervisor.pk
                yield (eid, aid, actor, S.SUBMITTED if state != S.IN_PROGRESS else S.ASSIGNED, state, "", updated)

    # spans: spread over assignments, non-overlapping per annotator within the article text
    per_assignment = max(1, args.spans // max(1, len(assignments)))
    extra = args.spans - per_assignment * len(assignments)
    span_keys: list[tuple] = []

    def span_rows():
        sid = 0
        for index, (_aid, article_id, analyst, _state, updated) in enumerate(assignments):
            text = texts[article_id - 1]
            n = per_assignment + (1 if index < extra else 0)
            width = max(2, len(text) // (n + 1))
            for k in range(n):
                s = k * width + rng.randrange(3)
                e = min(len(text), s + max(1, width - 4 - rng.randrange(3)))
                if s >= e:
                    s, e = k, k + 1
                sid += 1
                span_keys.append(sid)
                yield (sid, article_id, analyst, s, e, text[s:e], "", "pending", 1, updated, updated, None, None)
            if sid >= args.spans:
                return

    def theme_rows():
        tid = 0
        for sid in span_keys:
            tid += 1
            yield (tid, sid, theme_ids[sid % len(theme_ids)])

    with transaction.atomic():
        insert(
            connection,
            Article._meta.db_table,
            [
                "id",
                "outlet_id",
                "title",
                "byline",
                "published",
                "url",
                "dateline",
                "text",
                "content_hash",
                "n_words",
                "metadata",
                "created_at",
            ],
            article_rows(),
        )
        insert(
            connection,
            Assignment._meta.db_table,
            [
                "id",
                "article_id",
                "analyst_id",
                "state",
                "assigned_by_id",
                "due_date",
                "created_at",
                "updated_at",
                "version",
            ],
            assignment_rows(),
        )
        insert(
            connection,
            AssignmentEvent._meta.db_table,
            ["id", "assignment_id", "actor_id", "from_state", "to_state", "comment", "created_at"],
            event_rows(),
        )
        insert(
            connection,
            Annotation._meta.db_table,
            [
                "id",
                "article_id",
                "annotator_id",
                "start",
                "end",
                "text",
                "note",
                "status",
                "version",
                "created_at",
                "updated_at",
                "deleted_at",
                "deleted_by_id",
            ],
            span_rows(),
        )
        Through = Annotation.themes.through
        insert(connection, Through._meta.db_table, ["id", "annotation_id", "theme_id"], theme_rows())
        reset = connection.ops.sequence_reset_sql(
            no_style(), [Article, Assignment, AssignmentEvent, Annotation, Through]
        )
        with connection.cursor() as cur:
            for sql in reset:
                cur.execute(sql)


def call_command_quiet(*args):
    from django.core.management import call_command

    call_command(*args, verbosity=0)


# --- measurements ----------------------------------------------------------------------------------------------------


def timed(client, url, params=None, headers=None, repeat=7) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, params or {}, headers=headers or {})  # warm caches and connections
    times, queries, status = [], 0, 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.get(url, params or {}, headers=headers or {})
            times.append((time.perf_counter() - t0) * 1000)
        queries, status = len(ctx), response.status_code
    if status != 200:
        raise SystemExit(f"{url} answered {status}")
    return round(statistics.median(times), 1), queries, status


def measure(args) -> dict:
    from django.test import Client
    from django.urls import reverse

    from apps.accounts.models import User
    from apps.assignments.models import Assignment
    from apps.corpus.models import Outlet

    supervisor = User.objects.get(username="bench-supervisor")
    client = Client()
    client.force_login(supervisor)
    outlet = Outlet.objects.get(name="Xinhua")
    analyst = User.objects.filter(username__startswith="bench-analyst").order_by("username").first()
    results: dict = {}
    dash = reverse("review:dashboard")
    results["dashboard_ms"], results["dashboard_queries"], _ = timed(client, dash, repeat=args.repeat)
    params = {"state": "submitted", "outlet": outlet.pk, "from": "2024-03-01", "to": "2025-06-30", "sort": "due"}
    hx = {"HX-Request": "true", "HX-Target": "queue-list"}
    results["queue_ms"], results["queue_queries"], _ = timed(client, dash, params, hx, repeat=args.repeat)
    page3 = {**params, "analyst": analyst.pk, "sort": "-age", "page": 3}
    results["queue_analyst_page3_ms"], results["queue_analyst_page3_queries"], _ = timed(
        client, dash, page3, hx, repeat=args.repeat
    )
    from django.core.cache import cache

    from apps.review.selectors import pooled_agreement_recent

    t0 = time.perf_counter()
    pooled_agreement_recent()
    results["agreement_cold_ms"] = round((time.perf_counter() - t0) * 1000, 1)  # the computation, uncached
    cache.clear()
    results["agreement_ms"], results["agreement_queries"], _ = timed(
        client, reverse("review:agreement"), headers={"HX-Request": "true"}, repeat=3
    )
    double = (
        Assignment.objects.filter(article_id__in=Assignment.objects.values("article_id").filter(article_id__lte=100))
        .values_list("article_id", flat=True)
        .order_by("article_id")
    )
    article_id = next(a for a in double if Assignment.objects.filter(article_id=a).count() == 2)
    results["review_page_ms"], results["review_page_queries"], _ = timed(
        client, reverse("review:article", args=[article_id]), repeat=args.repeat
    )
    analyst_client = Client()
    analyst_client.force_login(analyst)
    results["my_queue_ms"], results["my_queue_queries"], _ = timed(
        analyst_client, reverse("review:queue"), repeat=args.repeat
    )
    for key, value in results.items():
        print(f"{key:32} {value}")
    return results


if __name__ == "__main__":
    main()
