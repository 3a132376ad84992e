"""Load test: N analysts at once against gunicorn + PostgreSQL, then every acknowledged write checked in the database.

The script builds its own PostgreSQL database (dropped and re-created: ``readout_deploy_load`` by default), seeds
it (themes, N analysts, two assigned articles of ~700 words each), collects static files, and starts gunicorn
with the production settings (``DEBUG=0``, ``config/gunicorn.conf.py``) on 127.0.0.1 only, behind which this
script plays the TLS proxy (``X-Forwarded-Proto: https`` from the trusted 127.0.0.1). Then each simulated user:

1. logs in through the real login page (CSRF token, password check) — not timed with the rest;
2. loops until the time is up (at most ``--max-loops`` rounds): opens one of its workspaces
   (``GET /annotate/<id>/``), creates a span (``POST /annotate/<id>/spans/``), edits its note and theme
   (``POST /annotate/span/<pk>/``), and deletes every third span it made (``POST /annotate/span/<pk>/delete/``),
   pausing ``--think-ms`` (± 50 %) between requests as a person does (``--think-ms 0`` is a stress test).

Every write the server acknowledged (201 / 200) is remembered; at the end the database must hold each of them
as the last acknowledged state: the span exists, is live or deleted as acknowledged, and has the last
acknowledged note. ``lost_writes`` counts those that don't (and duplicate live spans). Any other status, a
timeout or a connection error is an ``error``.

    .venv/bin/python bench/load_bench.py [--users 50] [--seconds 60] [--think-ms 1000]
        [--pg postgres://postgres@127.0.0.1:5432] [--db readout_deploy_load]

Last line: {"users", "requests", "rps", "p50_ms", "p95_ms", "errors", "lost_writes"}
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from benchenv import make_text  # bench/ is on sys.path when run as a script

REPO = Path(__file__).resolve().parents[1]
HOST = "readout.load"
PASSWORD = "load-bench-pass-0"
# --- the server --------------------------------------------------------------------------------------------------


def server_env(args, tmp: Path, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_ALLOW_ASYNC")}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=f"{args.pg.rstrip('/')}/{args.db}",
        STATIC_ROOT=str(tmp / "static"),
        MEDIA_ROOT=str(tmp / "media"),
        TRUSTED_PROXIES="127.0.0.1",
        TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_ACCESSLOG="",
        LOG_LEVEL="WARNING",
        LOGIN_IP_MAX_FAILURES="1000",
    )
    env.pop("REDIS_URL", None)
    if args.redis_url:  # as docker-compose runs it: shared cache and cached sessions in Redis
        env["REDIS_URL"] = args.redis_url
    return env


def manage(env: dict, *command: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *command], cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


SEED = r"""
import json, random, sys
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from apps.accounts.models import User
from apps.accounts.services import roles_setup
from apps.annotations.models import Theme
from apps.corpus.models import Article
from apps.corpus.text import content_hash
from apps.assignments.models import Assignment
users, texts, password = json.loads(sys.stdin.read())
call_command("loaddata", "themes", verbosity=0)
analyst = roles_setup()["Analyst"]
hashed = make_password(password)  # hashed once: seeding 50 users stays fast
out = {"themes": list(Theme.objects.filter(active=True).values_list("id", flat=True)), "users": {}}
for n in range(users):
    user = User.objects.create(username=f"load{n:03d}", password=hashed)
    user.groups.add(analyst)
    ids = []
    for k, text in enumerate(texts):
        title = f"Load article {n}-{k}"
        article = Article.objects.create(title=title, text=text, content_hash=content_hash(title + text),
                                         n_words=len(text.split()))
        Assignment.objects.create(article=article, analyst=user, state="in_progress")
        ids.append(article.id)
    out["users"][user.username] = ids
print(json.dumps(out))
"""


def prepare(args, env: dict) -> dict:
    import psycopg

    with psycopg.connect(f"{args.pg.rstrip('/')}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.db}"')
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "collectstatic", "--noinput", "-v", "0")
    rng = random.Random(7)
    texts = [make_text(args.words, rng, paragraph_words=(60, 160)) for _ in range(args.articles)]
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", SEED],
        cwd=REPO,
        env=env,
        input=json.dumps([args.users, texts, PASSWORD]),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    seeded = json.loads(done.stdout.strip().splitlines()[-1])
    seeded["texts"] = texts
    return seeded


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen(
        [str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(proc.stderr.read())
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


# --- CPU spent by the server side (load-independent: what a request costs, whoever else uses the machine) ---------

TICK = os.sysconf("SC_CLK_TCK")


def _proc_cpu(pid: int) -> float:
    """User + system CPU seconds of one process (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def server_cpu(server: subprocess.Popen, args) -> dict[str, float]:
    """CPU seconds so far of gunicorn (master and workers) and of the PostgreSQL backends serving its database."""
    gunicorn = [server.pid]
    for child in Path(f"/proc/{server.pid}/task").glob("*/children"):
        gunicorn += [int(p) for p in child.read_text().split()]
    import psycopg

    with psycopg.connect(f"{args.pg.rstrip('/')}/postgres", autocommit=True) as admin:
        backends = [r[0] for r in admin.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [args.db])]
    return {
        "gunicorn": sum(_proc_cpu(p) for p in gunicorn),
        "postgres": {pid: _proc_cpu(pid) for pid in backends},
    }


def cpu_between(before: dict, after: dict) -> tuple[float, float]:
    """(gunicorn CPU s, PostgreSQL CPU s) spent between two server_cpu readings (backends may be new)."""
    pg = sum(cpu - before["postgres"].get(pid, 0.0) for pid, cpu in after["postgres"].items())
    return after["gunicorn"] - before["gunicorn"], pg


# --- the users -----------------------------------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.by_kind: dict[str, list[float]] = {}
        self.login_times: list[float] = []
        self.errors: list[str] = []

    def error(self, what: str) -> None:
        with self.lock:
            self.errors.append(what)


class User:
    """One analyst: a keep-alive connection, cookies, and the writes the server acknowledged."""

    def __init__(self, name, articles, texts, themes, port, stats, args, seed):
        self.name, self.articles, self.texts, self.themes = name, articles, texts, themes
        self.port, self.stats, self.args = port, stats, args
        self.rng = random.Random(seed)
        self.cookies: dict[str, str] = {}
        self.conn = None
        self.acked: dict[int, dict] = {}  # span id -> last acknowledged state
        self.used: set[tuple[int, int, int]] = set()
        self.logged_in = False

    def request(self, method, path, data=None, *, htmx=False, timed=True, kind="other", timeout=None):
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{HOST}"
            headers["X-CSRFToken"] = self.cookies.get("csrftoken", "")
        if htmx:
            headers["HX-Request"] = "true"
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout or self.args.timeout)
                t0 = time.perf_counter()
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                elapsed = (time.perf_counter() - t0) * 1000
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # the server closed a kept-alive connection before reading this request: reconnect once (only for
                # a GET; a POST might have been processed, so it is an error, as in a browser)
                self.conn.close()
                self.conn = None
                if attempt == 2 or method != "GET":
                    raise
            except BaseException:
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                raise
        for header in response.headers.get_all("Set-Cookie") or []:
            key, _, rest = header.partition("=")
            self.cookies[key] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        if timed:
            with self.stats.lock:
                self.stats.times.append(elapsed)
                self.stats.by_kind.setdefault(kind, []).append(elapsed)
        response.text = text
        response.elapsed_ms = elapsed
        return response

    def think(self):
        if self.args.think_ms:
            time.sleep(self.args.think_ms / 1000 * self.rng.uniform(0.5, 1.5))

    def login(self, slots: threading.Semaphore) -> bool:
        """Log in through the login page; at most a few users at once, as people arrive (not timed)."""
        with slots:
            try:
                page = self.request("GET", "/accounts/login/", timed=False, timeout=120)
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
                t0 = time.perf_counter()
                response = self.request(
                    "POST",
                    "/accounts/login/",
                    {
                        "csrfmiddlewaretoken": token.group(1) if token else "",
                        "username": self.name,
                        "password": PASSWORD,
                    },
                    timed=False,
                    timeout=120,
                )
            except (OSError, http.client.HTTPException) as exc:
                self.stats.error(f"login {self.name}: {type(exc).__name__}")
                return False
        with self.stats.lock:
            self.stats.login_times.append((time.perf_counter() - t0) * 1000)
        if response.status != 302:
            self.stats.error(f"login {self.name}: {response.status}")
            return False
        self.logged_in = True
        return True

    def free_range(self, k: int) -> tuple[int, int]:
        text = self.texts[k]
        while True:
            words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
            i = self.rng.randrange(len(words) - 4)
            j = i + self.rng.choice([0, 1, 2, 3])
            span = (k, words[i][0], words[j][1])
            if span not in self.used:
                self.used.add(span)
                return span[1], span[2]

    def expect(self, response, statuses, what) -> bool:
        if response.status not in statuses:
            self.stats.error(f"{what}: {response.status} {response.text[:120]!r}")
            return False
        return True

    def round(self, loop: int) -> None:
        k = loop % len(self.articles)
        article = self.articles[k]
        page = self.request("GET", f"/annotate/{article}/", kind="workspace")
        if not self.expect(page, (200,), "workspace"):
            return
        self.think()
        start, end = self.free_range(k)
        theme = self.rng.choice(self.themes)
        created = self.request(
            "POST",
            f"/annotate/{article}/spans/",
            {"start": start, "end": end, "theme": theme},
            htmx=True,
            kind="create",
        )
        if not self.expect(created, (201,), "create"):
            return
        span_id = int(created.getheader("X-Span-Id"))
        self.acked[span_id] = {"article": article, "start": start, "end": end, "note": "", "deleted": False}
        self.think()
        note = f"{self.name} round {loop}"
        edited = self.request(
            "POST",
            f"/annotate/span/{span_id}/",
            {
                "version": 1,
                "note": note,
                "themes_present": "1",
                "theme": [theme, self.rng.choice(self.themes)],
            },
            htmx=True,
            kind="edit",
        )
        if not self.expect(edited, (200,), "edit"):
            return
        self.acked[span_id]["note"] = note
        if loop % 3 == 2:
            self.think()
            version = re.search(r'name="version" value="(\d+)"', edited.text)
            deleted = self.request(
                "POST",
                f"/annotate/span/{span_id}/delete/",
                {"version": version.group(1) if version else 2},
                htmx=True,
                kind="delete",
            )
            if self.expect(deleted, (200,), "delete"):
                self.acked[span_id]["deleted"] = True
        self.think()

    def run(self, start_event: threading.Event, stop_at: list[float]) -> None:
        try:
            start_event.wait()
            if not self.logged_in:
                return
            loop = 0
            while time.monotonic() < stop_at[0] and loop < self.args.max_loops:
                try:
                    self.round(loop)
                except (OSError, http.client.HTTPException) as exc:
                    self.stats.error(f"{type(exc).__name__}: {exc}")
                    self.conn = None
                loop += 1
        finally:
            if self.conn is not None:
                self.conn.close()


def check_writes(env: dict, users: list[User]) -> tuple[int, int]:
    """(lost writes, acknowledged writes): every acknowledged state must be what the database holds."""
    expected = {str(i): s for u in users for i, s in u.acked.items()}
    script = r"""
import json, sys
from django.db.models import Count
from apps.annotations.models import Annotation
expected = json.loads(sys.stdin.read())
rows = {str(a.id): a for a in Annotation.objects.filter(id__in=[int(i) for i in expected])}
lost = 0
for i, want in expected.items():
    a = rows.get(i)
    if a is None or (a.deleted_at is not None) != want["deleted"] or a.note != want["note"] \
            or (a.article_id, a.start, a.end) != (want["article"], want["start"], want["end"]):
        lost += 1
dupes = (Annotation.objects.filter(deleted_at__isnull=True).values("article", "annotator", "start", "end")
         .annotate(n=Count("id")).filter(n__gt=1).count())
print(json.dumps({"lost": lost + dupes}))
"""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=REPO,
        env=env,
        input=json.dumps(expected),
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(done.stderr)
    acked_writes = sum(2 + (1 if s["deleted"] else 0) for s in expected.values())
    return json.loads(done.stdout.strip().splitlines()[-1])["lost"], acked_writes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think-ms", type=float, default=1000)
    parser.add_argument("--max-loops", type=int, default=10_000)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--login-concurrency", type=int, default=4)
    parser.add_argument("--words", type=int, default=700)
    parser.add_argument("--articles", type=int, default=2, help="articles assigned to each user")
    parser.add_argument("--pg", default=os.environ.get("LOAD_BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--db", default="readout_deploy_load")
    parser.add_argument("--redis-url", default="", help="e.g. redis://127.0.0.1:6379/14 (as in docker-compose)")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="readout-load-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = server_env(args, tmp, port)
    t0 = time.perf_counter()
    seeded = prepare(args, env)
    print(f"seeded {args.users} users x {args.articles} articles in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    server = start_gunicorn(env, port)
    stats = Stats()
    try:
        users = [
            User(name, ids, seeded["texts"], seeded["themes"], port, stats, args, n)
            for n, (name, ids) in enumerate(sorted(seeded["users"].items()))
        ]
        # log everyone in first (password hashing is deliberately slow), then start the clock together
        slots = threading.Semaphore(args.login_concurrency)
        logins = [threading.Thread(target=u.login, args=(slots,)) for u in users]
        for t in logins:
            t.start()
        for t in logins:
            t.join()
        start_event, stop_at = threading.Event(), [0.0]
        threads = [threading.Thread(target=u.run, args=(start_event, stop_at), daemon=True) for u in users]
        for t in threads:
            t.start()
        cpu_before = server_cpu(server, args)
        begin = time.monotonic()
        stop_at[0] = begin + args.seconds
        start_event.set()
        for t in threads:
            t.join(args.seconds + args.timeout + 30)
        wall = time.monotonic() - begin
        web_cpu, pg_cpu = cpu_between(cpu_before, server_cpu(server, args))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(30)
    lost, acked = check_writes(env, users)
    times = sorted(stats.times)

    def pct(p):
        return round(times[min(len(times) - 1, int(p * len(times)))], 1) if times else None

    print(
        f"{acked} acknowledged writes checked; logins p50 {statistics.median(stats.login_times or [0]):.0f} ms; "
        f"think {args.think_ms:.0f} ms; redis {'yes' if args.redis_url else 'no'}; gunicorn {os.environ.get('GUNICORN_WORKERS', 'default')} workers; "
        f"load average {os.getloadavg()[0]:.1f}",
        file=sys.stderr,
    )
    for kind, values in sorted(stats.by_kind.items()):
        values.sort()
        print(
            f"  {kind:10} n={len(values):5}  p50 {statistics.median(values):7.1f} ms  "
            f"p95 {values[int(0.95 * (len(values) - 1))]:7.1f} ms",
            file=sys.stderr,
        )
    for error in stats.errors[:10]:
        print("error:", error, file=sys.stderr)
    print(
        json.dumps(
            {
                "users": args.users,
                "requests": len(times),
                "rps": round(len(times) / wall, 1),
                "p50_ms": round(statistics.median(times), 1) if times else None,
                "p95_ms": pct(0.95),
                "errors": len(stats.errors),
                "lost_writes": lost,
                # what a request costs on the server side (gunicorn + PostgreSQL CPU), whatever else loads the
                # machine; 2 cores give at most 2000 / this many requests per second
                "cpu_ms_per_request": round(1000 * (web_cpu + pg_cpu) / len(times), 1) if times else None,
                "web_cpu_ms_per_request": round(1000 * web_cpu / len(times), 1) if times else None,
                "load_average": round(os.getloadavg()[0], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
