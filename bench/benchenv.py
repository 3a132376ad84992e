"""What every benchmark starts with: Django on a throwaway database, and a timed GET through the test client."""

from __future__ import annotations

import html
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

WORDS = (
    "China Russia partnership strategic cooperation energy trade Beijing Moscow summit leaders world order "
    "multipolar sanctions Ukraine dialogue security development mutual trust people exchange Xi Putin said "
    "the of and to in on for with a that is will both sides"
).split()


def make_text(n_words: int, rng, *, paragraph_words: tuple[int, int] = (25, 55)) -> str:
    """A diplomatic-sounding text of ``n_words`` words in paragraphs of ``paragraph_words`` words."""
    paragraphs, words = [], 0
    while words < n_words:
        k = min(rng.randint(*paragraph_words), n_words - words)
        paragraphs.append(" ".join(rng.choice(WORDS) for _ in range(k)).capitalize() + ".")
        words += k
    return "\n".join(paragraphs)


def django_setup(*, migrate: bool = True, test_environment: bool = False) -> None:
    """Configure Django for a benchmark: SQLite in a temporary directory unless DATABASE_URL is set."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='readout-bench-')}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    if test_environment:  # lets the test client record templates and allows 'testserver'
        from django.test.utils import setup_test_environment

        setup_test_environment()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def timed_get(client, url: str, *, runs: int):
    """Median server time (ms) of ``runs`` warm GETs of ``url``, its query count, and the last response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return statistics.median(times), len(ctx.captured_queries), response


TAG = re.compile(r"<[a-z][^>]*\bhx-get=[^>]*>")
ATTR = re.compile(r'\b(id|hx-get|hx-trigger)="([^"]*)"')


def lazy_parts(page: str) -> list[tuple[str, str]]:
    """(key, url) of each element of ``page`` that htmx loads as soon as the page is there (a trigger ``load``),
    keyed by its id (``quotes-panel`` -> ``quotes_panel``)."""
    found = []
    for tag in TAG.findall(page):
        attrs = dict(ATTR.findall(tag))
        triggers = [t.split()[0] for t in attrs.get("hx-trigger", "").split(",") if t.strip()]
        if "load" in triggers:
            found.append((attrs.get("id", f"part{len(found)}").replace("-", "_"), html.unescape(attrs["hx-get"])))
    return found
