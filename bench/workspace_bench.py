"""Server cost of the annotation workspace: a 10,000-word article with 2,000 spans (overlapping and nested),
1,000 entity suggestions and 60 quotes.

Measures, through the Django test client (the whole request: middleware, session, view, template):
- render: GET /annotate/<id>/ — median time and the number of SQL queries (also for the same article with 20
  spans, to show the count does not grow with spans);
- open: what the browser requests to show the article with its annotations: the page plus every part htmx loads
  on ``load`` (the quotes and entity panels used to be two such requests; they are drawn into the page now);
- create: POST /annotate/<id>/spans/ as HTMX (the span, its history, the re-rendered paragraph and row).

    .venv/bin/python bench/workspace_bench.py [--runs 15]      # SQLite in a temp dir unless DATABASE_URL is set

Last line: {"render_ms": ..., "render_queries": ..., "create_ms": ..., "create_queries": ...}
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time

from benchenv import django_setup, lazy_parts, make_text, timed_get  # bench/ is on sys.path when run as a script


def word_spans(text: str) -> list[tuple[int, int]]:
    import re

    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def build(n_spans: int, text: str, rng: random.Random, *, title: str):
    from apps.accounts.models import User
    from apps.annotations.models import Annotation, EntityMention, Theme
    from apps.assignments.models import Assignment
    from apps.corpus.models import Article
    from apps.corpus.text import content_hash
    from apps.quotes.models import Quote, Speaker

    analyst = User.objects.get(username="bench")
    article = Article.objects.create(
        title=title, text=text, content_hash=content_hash(text + title), n_words=len(text.split())
    )
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    words = word_spans(text)
    seen, spans = set(), []
    while len(spans) < n_spans:
        i = rng.randrange(len(words))
        j = min(len(words) - 1, i + rng.choice([0, 0, 1, 2, 3, 5, 8]))
        start, end = words[i][0], words[j][1]
        if (start, end) in seen:
            continue
        seen.add((start, end))
        spans.append(
            Annotation(
                article=article,
                annotator=analyst,
                start=start,
                end=end,
                text=text[start:end],
                note="note" if rng.random() < 0.1 else "",
            )
        )
    Annotation.objects.bulk_create(spans, batch_size=500)
    theme_ids = list(Theme.objects.values_list("id", flat=True))
    through = Annotation.themes.through
    links = []
    for span in Annotation.objects.filter(article=article).only("id"):
        for theme_id in rng.sample(theme_ids, rng.choice([1, 1, 2])):
            links.append(through(annotation_id=span.id, theme_id=theme_id))
    through.objects.bulk_create(links, batch_size=1000)
    picks = rng.sample(words, min(1000, len(words)))
    EntityMention.objects.bulk_create(
        [
            EntityMention(article=article, label=rng.choice(["PERSON", "GPE", "ORG"]), start=s, end=e, text=text[s:e])
            for s, e in picks
        ],
        batch_size=500,
        ignore_conflicts=True,
    )
    speaker = Speaker.objects.create(name="Xi Jinping")
    quotes = []
    for _ in range(60):
        i = rng.randrange(len(words) - 20)
        s, e = words[i][0], words[i + 12][1]
        quotes.append(Quote(article=article, speaker=speaker, start=s, end=e, text=text[s:e]))
    Quote.objects.bulk_create(quotes)
    return article


def open_article(client, url: str, *, runs: int) -> dict:
    """The page and every part of it htmx loads on ``load`` (as bench/peer_bench.py finds them): the median of
    their summed times, each part's median and the queries of all of them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = client.get(url).content.decode()
    steps = [("page", url, {})] + [(key, path, {"HTTP_HX_REQUEST": "true"}) for key, path in lazy_parts(page)]
    parts: dict[str, list[float]] = {key: [] for key, _, _ in steps}
    totals = []
    for k in range(runs + 1):
        total = 0.0
        for key, path, headers in steps:
            t = time.perf_counter()
            response = client.get(path, **headers)
            elapsed = (time.perf_counter() - t) * 1000
            assert response.status_code == 200, (path, response.status_code)
            if k:  # the first round is a warm-up
                parts[key].append(elapsed)
                total += elapsed
        if k:
            totals.append(total)
    with CaptureQueriesContext(connection) as ctx:
        for _, path, headers in steps:
            client.get(path, **headers)
    return {
        "open_ms": round(statistics.median(totals), 1),
        "open_queries": len(ctx.captured_queries),
        **{f"{key}_ms": round(statistics.median(v), 1) for key, v in parts.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=2_000)
    args = parser.parse_args()

    django_setup(test_environment=True)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from apps.accounts.services import roles_setup
    from apps.annotations.models import Annotation

    call_command("loaddata", "themes", verbosity=0)
    from apps.accounts.models import User

    user = User.objects.create_user(username="bench", password="x")
    user.groups.add(roles_setup()["Analyst"])

    rng = random.Random(7)
    text = make_text(args.words, rng)
    t0 = time.perf_counter()
    big = build(args.spans, text, rng, title="big")
    small = build(20, text, rng, title="small")
    print(
        f"built: {len(text.split())} words, {Annotation.objects.filter(article=big).count()} spans "
        f"in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )

    client = Client()
    client.force_login(user)

    def render(article) -> tuple[float, int, int]:
        ms, queries, response = timed_get(client, reverse("annotations:workspace", args=[article.pk]), runs=args.runs)
        return ms, queries, len(response.content)

    render_ms, render_queries, size = render(big)
    small_ms, small_queries, small_size = render(small)
    print(f"render 20 spans:    {small_ms:7.1f} ms, {small_queries} queries, {small_size / 1024:.0f} KiB")
    print(f"render {args.spans} spans: {render_ms:7.1f} ms, {render_queries} queries, {size / 1024:.0f} KiB")
    opened = {}
    for name, article in (("small", small), ("big", big)):
        opened[name] = open_article(client, reverse("annotations:workspace", args=[article.pk]), runs=args.runs)
        print(f"open ({name}): {json.dumps(opened[name])}")

    words = word_spans(text)
    existing = set(Annotation.objects.filter(article=big).values_list("start", "end"))
    free = [(s, e) for s, e in words if (s, e) not in existing]
    url = reverse("annotations:span_create", args=[big.pk])
    times, queries = [], []
    for k in range(args.runs + 1):
        start, end = free[k * 7]
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            response = client.post(url, {"start": start, "end": end, "theme": ["1", "2"]}, HTTP_HX_REQUEST="true")
            elapsed = (time.perf_counter() - t) * 1000
        assert response.status_code == 201, response.content[:200]
        if k:  # the first one is a warm-up
            times.append(elapsed)
            queries.append(len(ctx.captured_queries))
    create_ms = statistics.median(times)
    print(
        f"create one span:    {create_ms:7.1f} ms, {max(queries)} queries, "
        f"{len(response.content) / 1024:.1f} KiB answer"
    )
    print(
        f"targets: render < 150 ms ({'ok' if render_ms < 150 else 'MISSED'}), queries constant "
        f"({'ok' if render_queries == small_queries else 'MISSED'}), create < 30 ms "
        f"({'ok' if create_ms < 30 else 'MISSED'})"
    )
    print(
        json.dumps(
            {
                "render_ms": round(render_ms, 1),
                "render_queries": render_queries,
                "create_ms": round(create_ms, 1),
                "create_queries": max(queries),
                "open_ms": opened["big"]["open_ms"],
                "open_queries": opened["big"]["open_queries"],
                "open_small_ms": opened["small"]["open_ms"],
            }
        )
    )


if __name__ == "__main__":
    main()
