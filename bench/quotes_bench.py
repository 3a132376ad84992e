"""Server cost of the quotes panel, the speaker page and corpus-wide speaker resolution.

Through the Django test client (middleware, session, view, template), median of ``--runs``:
- panel: GET /quotes/article/<id>/panel/ for an article with 5 and with ``--quotes`` quotes (time, SQL queries:
  the count must not grow with quotes);
- write: POST quote_create as HTMX (the quote, its history, the re-rendered panel);
- speaker page: a speaker with ``--speaker-quotes`` quotes over 500 articles, as a supervisor and as an analyst
  who sees a tenth of the articles;
- resolve: ``speakers_resolve`` of one article's 6 speakers against a corpus of ``--aliases`` aliases
  (the name-token containment lookup scans aliases with LIKE).

    .venv/bin/python bench/quotes_bench.py [--runs 15]      # SQLite in a temp dir unless DATABASE_URL is set

Last line: {"panel_ms": ..., "panel_queries": ..., "create_ms": ..., "speaker_page_ms": ..., "resolve_ms": ...}
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

from benchenv import django_setup, timed_get  # bench/ is on sys.path when run as a script

SENTENCE = "Officials said that the partnership, trade and mutual trust between both sides keep growing. "


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quotes", type=int, default=300)
    parser.add_argument("--speaker-quotes", type=int, default=5_000)
    parser.add_argument("--aliases", type=int, default=20_000)
    args = parser.parse_args()

    django_setup(test_environment=True)
    from django.test import Client
    from django.urls import reverse

    from apps.accounts.models import User
    from apps.accounts.services import roles_setup
    from apps.assignments.models import Assignment
    from apps.corpus.models import Article
    from apps.corpus.text import content_hash
    from apps.nlp.types import SpeakerInfo
    from apps.quotes.models import Quote, Speaker, SpeakerAlias
    from apps.quotes.services import alias_key, speakers_resolve

    roles = roles_setup()
    analyst = User.objects.create_user(username="bench")
    analyst.groups.add(roles["Analyst"])
    supervisor = User.objects.create_user(username="boss")
    supervisor.groups.add(roles["Supervisor"])

    def article(n: int, sentences: int) -> Article:
        text = "\n".join(f"{n}: {SENTENCE * 3}" for _ in range(sentences))
        return Article.objects.create(
            title=f"A{n}", text=text, content_hash=content_hash(text), n_words=len(text.split())
        )

    t0 = time.perf_counter()
    xi = Speaker.objects.create(name="Xi Jinping")
    SpeakerAlias.objects.create(speaker=xi, alias="Xi Jinping", alias_key="xi jinping")

    def with_quotes(a: Article, k: int) -> Article:
        step = len(a.text) // (k + 1)
        Quote.objects.bulk_create(
            Quote(
                article=a,
                speaker=xi,
                start=i * step,
                end=i * step + 40,
                text=a.text[i * step : i * step + 40],
                kind="indirect",
                cue="said",
                confidence=0.8,
            )
            for i in range(k)
        )
        Assignment.objects.create(article=a, analyst=analyst)
        return a

    big = with_quotes(article(0, args.quotes), args.quotes)
    small = with_quotes(article(1, 5), 5)
    per = max(1, args.speaker_quotes // 500)
    for n in range(500):
        a = article(1000 + n, per)
        step = len(a.text) // (per + 1)
        Quote.objects.bulk_create(
            Quote(article=a, speaker=xi, start=i * step, end=i * step + 40, text=a.text[i * step : i * step + 40])
            for i in range(per)
        )
        if n % 10 == 0:
            Assignment.objects.create(article=a, analyst=analyst)
    speakers = Speaker.objects.bulk_create(
        Speaker(name=f"Person{i} Surname{i % 997}") for i in range(args.aliases // 2)
    )
    SpeakerAlias.objects.bulk_create(
        [SpeakerAlias(speaker=s, alias=s.name, alias_key=alias_key(s.name)) for s in speakers]
        + [SpeakerAlias(speaker=s, alias=s.name.split()[1], alias_key=alias_key(s.name.split()[1])) for s in speakers],
        batch_size=1000,
        ignore_conflicts=True,
    )
    print(
        f"built: {Quote.objects.count()} quotes, {SpeakerAlias.objects.count()} aliases "
        f"in {time.perf_counter() - t0:.1f} s",
        file=sys.stderr,
    )

    def timed(client, url) -> tuple[float, int]:
        ms, queries, _ = timed_get(client, url, runs=args.runs)
        return ms, queries

    client = Client()
    client.force_login(analyst)
    panel_ms, panel_q = timed(client, reverse("quotes:panel", args=[big.pk]))
    small_ms, small_q = timed(client, reverse("quotes:panel", args=[small.pk]))
    print(f"panel, 5 quotes:            {small_ms:7.1f} ms, {small_q} queries")
    print(f"panel, {args.quotes} quotes:          {panel_ms:7.1f} ms, {panel_q} queries")

    times = []
    for k in range(args.runs + 1):
        start = 3 + k * 2
        t = time.perf_counter()
        response = client.post(
            reverse("quotes:quote_create", args=[small.pk]), {"start": start, "end": start + 30}, HTTP_HX_REQUEST="true"
        )
        if k:
            times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, response.content[:200]
    create_ms = statistics.median(times)
    print(f"create a quote (HTMX):      {create_ms:7.1f} ms")

    page_analyst_ms, page_analyst_q = timed(client, reverse("quotes:speaker_detail", args=[xi.pk]))
    boss = Client()
    boss.force_login(supervisor)
    page_ms, page_q = timed(boss, reverse("quotes:speaker_detail", args=[xi.pk]))
    n_quotes = Quote.objects.filter(speaker=xi).count()
    print(f"speaker page, supervisor:   {page_ms:7.1f} ms, {page_q} queries ({n_quotes} quotes)")
    print(f"speaker page, analyst:      {page_analyst_ms:7.1f} ms, {page_analyst_q} queries")
    list_ms, list_q = timed(boss, reverse("quotes:speaker_list"))
    print(f"speaker list (page 1):      {list_ms:7.1f} ms, {list_q} queries ({Speaker.objects.count()} speakers)")

    infos = [
        SpeakerInfo(name="Xi", kind="person"),
        SpeakerInfo(name="Vladimir Putin", kind="person", role="President"),
        SpeakerInfo(name="Surname17", kind="person"),
        SpeakerInfo(name="Person5 Surname5", kind="person"),
        SpeakerInfo(name="Foreign Ministry", kind="organisation"),
        SpeakerInfo(name="Beijing", kind="place"),
    ]
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        speakers_resolve(infos=infos)
        times.append((time.perf_counter() - t) * 1000)
    resolve_ms = statistics.median(times)
    print(f"resolve 6 speakers:         {resolve_ms:7.1f} ms against {SpeakerAlias.objects.count()} aliases")
    print(
        json.dumps(
            {
                "panel_ms": round(panel_ms, 1),
                "panel_queries": panel_q,
                "panel_queries_5": small_q,
                "create_ms": round(create_ms, 1),
                "speaker_page_ms": round(page_ms, 1),
                "speaker_page_queries": page_q,
                "resolve_ms": round(resolve_ms, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
