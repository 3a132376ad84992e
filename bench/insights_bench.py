"""Server time of the insights pages on PostgreSQL at scale (a benchmark, not a timed test).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/readout_insights_bench \\
        .venv/bin/python bench/insights_bench.py --articles 100000 --spans 1000000 --quotes 300000

Creates the database if needed, empties it, generates the corpus in SQL (5 outlets over 3 years, ~300-word
articles drawn from a diplomatic vocabulary, spans with 1-2 themes, 200 speakers with a skewed share of quotes,
double annotation of 1 % of the articles), runs ANALYZE, rebuilds the insights summary tables unless they are current
(timed; ``--live`` marks them stale instead, so every page computes from the spans), then prints one JSON line: the median of 5 warm GETs of
each page (server time through the test client, ms), the query counts, and the sizes used.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import django_setup, timed_get

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/readout_insights_bench"
WORDS = [
    "china",
    "russia",
    "cooperation",
    "partnership",
    "strategic",
    "multipolar",
    "world",
    "order",
    "united",
    "nations",
    "security",
    "council",
    "sanctions",
    "tariffs",
    "trade",
    "energy",
    "taiwan",
    "ukraine",
    "war",
    "history",
    "victory",
    "memory",
    "bullying",
    "unilateralism",
    "president",
    "minister",
    "talks",
    "visit",
    "summit",
    "brics",
    "shanghai",
    "governance",
    "reform",
    "people",
    "exchange",
    "culture",
    "friendship",
    "trust",
    "development",
    "economy",
    "growth",
    "investment",
    "market",
    "global",
    "south",
    "sovereignty",
    "peace",
]


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    assert name.startswith("readout_insights"), "this benchmark only touches readout_insights* databases"
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def generate(*, articles: int, spans: int, quotes: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from tests.factories import UserFactory

    call_command("flush", interactive=False, verbosity=0)
    call_command("loaddata", "themes", verbosity=0)
    analysts = [UserFactory(username=f"analyst{i}", role="Analyst").pk for i in range(10)]
    supervisor = UserFactory(username="sue", role="Supervisor").pk
    timings = {}
    t = time.perf_counter()
    with connection.cursor() as c:
        c.execute("INSERT INTO corpus_outlet (name) SELECT unnest(ARRAY['Xinhua','Reuters','TASS','AP','CGTN'])")
        c.execute("SELECT array_agg(id ORDER BY id) FROM corpus_outlet")
        outlets = c.fetchone()[0]
        c.execute("SELECT array_agg(id ORDER BY id) FROM annotations_theme")
        themes = c.fetchone()[0]
        # ~300 words per article, a deterministic pseudo-random walk through the vocabulary
        c.execute(
            """
            INSERT INTO corpus_article (outlet_id, title, byline, published, url, dateline, text, content_hash,
                                        n_words, metadata, created_at, decisions_shared)
            SELECT (%(outlets)s::bigint[])[1 + i %% 5], 'Article ' || i, '', DATE '2023-01-01' + (i %% 1095), '', '',
                   array_to_string(ARRAY(SELECT (%(words)s::text[])[1 + ((i * 31 + j * j * 7 + j * 13) %% %(nw)s)]
                                         FROM generate_series(1, 300) j), ' '),
                   md5(i::text), 300, '{}'::jsonb, now(), false
            FROM generate_series(1, %(n)s) i
            """,
            {"outlets": outlets, "words": WORDS, "nw": len(WORDS), "n": articles},
        )
        timings["articles_s"] = round(time.perf_counter() - t, 1)
        c.execute("SELECT min(id) FROM corpus_article")
        first = c.fetchone()[0]
        per_article = max(1, -(-spans // articles))
        # spans: per_article per article at distinct starts, two annotators alternating, 70 % accepted
        c.execute(
            """
            INSERT INTO annotations_annotation (article_id, annotator_id, start, "end", text, note, status, version,
                                                created_at, updated_at)
            SELECT a.id, (%(analysts)s::bigint[])[1 + (k %% 2) + 2 * (a.id %% 5)], (k * 40) %% 1500,
                   (k * 40) %% 1500 + 30, substr(a.text, (k * 40) %% 1500 + 1, 30),
                   CASE WHEN k = 0 THEN 'frames a multipolar order' ELSE '' END,
                   CASE WHEN (a.id + k) %% 10 < 7 THEN 'accepted' WHEN (a.id + k) %% 10 < 9 THEN 'pending'
                        ELSE 'rejected' END, 1, now(), now()
            FROM corpus_article a CROSS JOIN generate_series(0, %(per)s - 1) k
            WHERE a.id < %(first)s + ceil(%(spans)s::float / %(per)s)
            """,
            {"analysts": analysts, "per": per_article, "first": first, "spans": spans},
        )
        c.execute(
            """
            INSERT INTO annotations_annotation_themes (annotation_id, theme_id)
            SELECT id, (%(themes)s::bigint[])[1 + (id %% 12)] FROM annotations_annotation
            UNION ALL
            SELECT id, (%(themes)s::bigint[])[1 + ((id / 7) %% 12)] FROM annotations_annotation
            WHERE id %% 3 = 0 AND (id / 7) %% 12 <> id %% 12
            """,
            {"themes": themes},
        )
        # the gold layer (what the pages count by default): one gold span per accepted passage, its themes and source
        c.execute(
            """
            INSERT INTO review_goldspan (article_id, start, "end", text, origin, created_by_id, version, created_at,
                                         updated_at)
            SELECT DISTINCT ON (article_id, start, "end") article_id, start, "end", text, 'agreed', %(sue)s, 1, now(),
                   now()
            FROM annotations_annotation WHERE status = 'accepted' ORDER BY article_id, start, "end", id
            """,
            {"sue": supervisor},
        )
        c.execute(
            """
            INSERT INTO review_goldspan_sources (goldspan_id, annotation_id)
            SELECT g.id, a.id FROM review_goldspan g JOIN annotations_annotation a
              ON a.article_id = g.article_id AND a.start = g.start AND a."end" = g."end" AND a.status = 'accepted'
            """
        )
        c.execute(
            """
            INSERT INTO review_goldspan_themes (goldspan_id, theme_id)
            SELECT DISTINCT s.goldspan_id, t.theme_id FROM review_goldspan_sources s
            JOIN annotations_annotation_themes t ON t.annotation_id = s.annotation_id
            """
        )
        timings["spans_s"] = round(time.perf_counter() - t, 1)
        # the annotators' assignments: submitted on 30 %, double annotation finished on 1 %
        c.execute(
            """
            INSERT INTO review_assignment (article_id, analyst_id, state, created_at, updated_at, version)
            SELECT DISTINCT ON (article_id, annotator_id) article_id, annotator_id,
                   CASE WHEN article_id % 100 = 0 THEN 'submitted' WHEN article_id % 10 < 3 THEN 'approved'
                        ELSE 'in_progress' END, now(), now() - (article_id % 1000) * interval '1 minute', 1
            FROM annotations_annotation ORDER BY article_id, annotator_id
            """
        )
        c.execute(
            """
            INSERT INTO quotes_speaker (name, kind, role, version, created_at, updated_at, roles)
            SELECT 'Speaker ' || s, 'person', '', 1, now(), now(), '[]'::jsonb FROM generate_series(1, 200) s
            """
        )
        c.execute("SELECT array_agg(id ORDER BY id) FROM quotes_speaker")
        speakers = c.fetchone()[0]
        per_quote = max(1, -(-quotes // articles))
        # skewed voices: speaker index ~ 200 * u^3; quotes at offsets overlapping spans
        c.execute(
            """
            INSERT INTO quotes_quote (article_id, speaker_id, start, "end", text, kind, cue, speaker_mention,
                                      confidence, confirmed, version, created_at, updated_at)
            SELECT a.id, (%(speakers)s::bigint[])[1 + floor(199 * power(((a.id * 7 + q * 13) %% 1000) / 1000.0, 3))::int],
                   q * 200 + 10, q * 200 + 90, substr(a.text, q * 200 + 11, 80),
                   (ARRAY['direct','indirect','indirect','mixed'])[1 + (a.id + q) %% 4], 'said', '', 0.9, false, 1,
                   now(), now()
            FROM corpus_article a CROSS JOIN generate_series(0, %(per)s - 1) q
            WHERE a.id < %(first)s + ceil(%(quotes)s::float / %(per)s)
            """,
            {"speakers": speakers, "per": per_quote, "first": first, "quotes": quotes},
        )
        timings["quotes_s"] = round(time.perf_counter() - t, 1)
        c.execute("ANALYZE")
        for table in (
            "corpus_article",
            "annotations_annotation",
            "review_goldspan",
            "quotes_quote",
            "review_assignment",
        ):
            c.execute(f"SELECT count(*) FROM {table}")
            timings[table] = c.fetchone()[0]
    timings["generate_s"] = round(time.perf_counter() - t, 1)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--spans", type=int, default=200_000)
    parser.add_argument("--quotes", type=int, default=60_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the data of the previous run")
    parser.add_argument("--live", action="store_true", help="don't build the summary tables (pages compute live)")
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    ensure_database(os.environ["DATABASE_URL"])
    django_setup(migrate=True, test_environment=True)
    from django.test import Client

    from apps.accounts.models import User

    sizes = {} if args.reuse else generate(articles=args.articles, spans=args.spans, quotes=args.quotes)
    from apps.insights.models import SummaryState
    from apps.insights.summaries import current, summaries_refresh

    if args.live:
        SummaryState.objects.all().delete()
    elif not current():  # with --reuse, summaries still current from the last run are kept
        sizes["summaries"] = summaries_refresh()  # what the refresh task does after a batch of writes
    client = Client()
    client.force_login(User.objects.get(username="sue"))
    pages = {
        "search": "/insights/search/?q=multipolar+%22united+nations%22",
        "themes": "/insights/themes/?date_from=2025-01-01&date_to=2025-12-31",
        "compare": "/insights/themes/compare/?date_from=2025-01-01&date_to=2025-12-31&level=paragraph",
        "speakers": "/insights/speakers/?date_from=2025-01-01&date_to=2025-12-31",
        "statement": "/insights/statements/?date_from=2025-12-01&date_to=2025-12-31",
        "reliability": "/insights/reliability/",
    }
    result, queries = {}, {}
    for name, url in pages.items():
        ms, n_queries, _ = timed_get(client, url, runs=args.runs)
        result[f"{name}_ms"] = round(ms, 1)
        queries[name] = n_queries
    print(json.dumps({**result, "queries": queries, "sizes": sizes, "urls": pages}))


if __name__ == "__main__":
    main()
