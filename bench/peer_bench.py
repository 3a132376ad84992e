"""Readout's side of the Label Studio comparison (issue 15), on the same corpus and under the same rules.

Per run: a fresh PostgreSQL database (``readout_perf_bench``, dropped and re-created), migrations, gunicorn with the
production settings (``DEBUG=0``, ``PLAIN_HTTP=1``, ``config/gunicorn.conf.py``) on 127.0.0.1, one task worker
(``run_worker``), and every request on a fresh TCP connection (``Connection: close``), as the Label Studio harness
in ``../shared/peers/`` does. The corpus is ``peer_bench_common.corpus`` (seed 42, ~707 words and 40 spans per
article); as there, articles 0-199 are a warm-up import (so the timed import goes into a live corpus) and
articles 200-1199 the timed one. Steps, each as the peer harness measures it:

* ``import``: the 1,000 pre-annotated articles as one JSONL upload through the upload page (supervisor), then
  waiting until the batch is done (its row polled every 10 ms); wall time from the POST to done.
* ``open``: one article with its annotations: the workspace page (which draws its quotes and entity panels) plus
  every part of it that htmx still loads on ``load`` (found in the page; none today), each on a fresh connection;
  median of ``--get-reps`` of them together, and each part's median.
* ``save``/``annotate``: for 200 articles, the 39-span annotation the peer harness saves (the pre-annotation
  minus its last span, one label changed) in one POST to the bulk endpoint (admin user); median latency and wall.
* ``export_csv``: the full span CSV (``/exports/download/?format=csv``), median of ``--export-reps``.
* ``peak_rss``: the sampled peak RSS of gunicorn's process tree (master + workers) over the run.

Labels become themes for the ``save`` step (one theme per label, as Label Studio stores one label per span).
Figures are medians across ``--runs`` runs; ``uptime`` load is printed with them. Ratios are Label Studio's time
over Readout's (> 1: Readout faster; for RSS, Label Studio's MiB over Readout's). With ``--label-studio VENV``
the Label Studio harness (``run_label_studio_bench.sh``, one run) is run before each Readout run, interleaved;
without it the ratios use the published Label Studio 1.23.2 figures of the peers README, labelled as such.

    .venv/bin/python bench/peer_bench.py [--runs 3] [--label-studio /tmp/peers/ls-venv] [--out result.json]

Last line: one JSON object (steps' medians, ratios, machine, load).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
PEERS = Path(os.environ.get("PEERS_DIR", REPO.parent / "shared" / "peers"))
sys.path.insert(0, str(PEERS))
import peer_bench_common as pc  # noqa: E402
from benchenv import lazy_parts  # noqa: E402  (bench/ is on sys.path when run as a script)

# Label Studio 1.23.2, medians of 3 runs on a 2-core machine (../shared/peers/README.md).
PUBLISHED_LS = {
    "import_s": 2.84,
    "open_ms": 34.0,
    "save_ms": 47.0,
    "annotate_s": 10.6,
    "export_csv_s": 2.34,
    "peak_rss_mib": 430.0,
}
GOALS = {  # issue 15: how many times faster (or smaller) than Label Studio
    "import_s": 5.0,
    "open_ms": 2.0,
    "save_ms": 2.0,
    "annotate_s": 2.0,
    "export_csv_s": 10.0,
    "peak_rss_mib": 1.0,
}
PASSWORDS = {"supervisor": "supervisor-demo-pass", "admin": "admin-demo-pass"}

SEED_THEMES = r"""
import json
from apps.annotations.services import themes_for_labels
from peer_bench_common import ALL_LABELS
print(json.dumps({label: theme.pk for label, theme in themes_for_labels(labels=ALL_LABELS).items()}))
"""


class DbCpu:
    """CPU seconds of the bench database's backends, including those that exit on the way (the import's writer
    connections close when their batch is done): every backend is sampled every 20 ms and counted up to its last
    sample."""

    def __init__(self, dsn: str):
        import threading

        import psycopg

        self.conn = psycopg.connect(dsn, autocommit=True)  # one connection, kept: no backend started per sample
        self.own = self.conn.info.backend_pid
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.sample()
        self.first = dict(self.last)  # what backends alive now had spent before: not ours
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def sample(self) -> None:
        with self.lock:
            rows = self.conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
            for (pid,) in rows.fetchall():
                if pid != self.own:
                    self.last[pid] = max(self.last.get(pid, 0.0), pc._cpu_s(pid))

    def run(self) -> None:
        while not self.stopped.wait(0.02):
            self.sample()

    def total(self) -> float:
        self.sample()
        with self.lock:
            return sum(cpu - self.first.get(pid, 0.0) for pid, cpu in self.last.items())

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=2)
        self.conn.close()


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


class Readout:
    def __init__(self, args, tmp: Path):
        self.args = args
        self.port = args.port
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_ALLOW_ASYNC")}
        self.env.update(
            DEBUG="0",
            PLAIN_HTTP="1",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=f"{args.pg.rstrip('/')}/{args.db}",
            STATIC_ROOT=str(tmp / "static"),
            MEDIA_ROOT=str(tmp / "media"),
            GUNICORN_BIND=f"127.0.0.1:{self.port}",
            GUNICORN_WORKERS=str(args.workers),
            GUNICORN_ACCESSLOG="",
            LOG_LEVEL="WARNING",
            LOGIN_IP_MAX_FAILURES="1000",
            PYTHONPATH=str(PEERS),
            IMPORT_CHILD_PROCESS="1" if args.child_process else "0",
        )
        self.env.pop("REDIS_URL", None)
        self.procs: list[subprocess.Popen] = []

    # --- setup ----------------------------------------------------------------------------------------------------
    def manage(self, *command: str, stdin: str | None = None) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise SystemExit(f"manage.py {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def prepare(self) -> dict:
        import psycopg

        with psycopg.connect(f"{self.args.pg.rstrip('/')}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.args.db}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{self.args.db}"')
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("collectstatic", "--noinput", "-v", "0")
        self.manage("seed_demo")
        out = self.manage("shell", "-v", "0", "-c", SEED_THEMES)
        return json.loads(out.strip().splitlines()[-1])

    def start(self) -> None:
        import socket

        with socket.socket() as probe:  # another server on the port would answer the health check in our place
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise SystemExit(f"port {self.port} is in use: pass another --port")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.web = subprocess.Popen(
            [str(gunicorn), "-c", "config/gunicorn.conf.py", "config.wsgi:application"],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.worker = subprocess.Popen(
            # as docker-compose starts it (its default 1 s poll interval): an idle worker is woken by the upload's
            # NOTIFY, not by a poll interval shortened for the benchmark
            [sys.executable, "manage.py", "run_worker"],
            cwd=REPO,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self.procs = [self.web, self.worker]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.web.poll() is not None:
                raise SystemExit("gunicorn exited")
            try:
                if requests.get(self.url + "/healthz", timeout=2, headers={"Connection": "close"}).ok:
                    return
            except requests.RequestException:
                time.sleep(0.2)
        raise SystemExit("gunicorn did not start")

    def stop(self) -> None:
        for proc in self.procs:  # only the processes this script started, by their own process group
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs = []


class Client:
    """A logged-in user; every request on a fresh TCP connection, as the Label Studio harness does."""

    def __init__(self, url: str, username: str):
        self.url = url
        self.s = requests.Session()
        self.s.headers["Connection"] = "close"
        page = self.req("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        r = self.req(
            "POST",
            "/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": username, "password": PASSWORDS[username]},
            allow_redirects=False,
        )
        if r.status_code != 302:
            raise SystemExit(f"login {username}: {r.status_code}")
        self.csrf = self.s.cookies.get("csrftoken")

    def req(self, method: str, path: str, *, expect=(200, 201, 302), **kw) -> requests.Response:
        headers = kw.pop("headers", {})
        if method == "POST":
            headers = {"X-CSRFToken": self.s.cookies.get("csrftoken", ""), "Referer": self.url + "/", **headers}
        r = self.s.request(method, self.url + path, headers=headers, timeout=600, **kw)
        self.s.close()  # a fresh connection for the next request
        if r.status_code not in expect:
            raise RuntimeError(f"{method} {path} -> {r.status_code}: {r.text[:300]}")
        return r


def upload(client: Client, docs: list[dict], name: str, dsn: str) -> dict:
    """POST the JSONL through the upload page and wait for the batch; seconds from the POST to done."""
    import psycopg

    body = "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs).encode()
    t0 = time.perf_counter()
    r = client.req(
        "POST",
        "/imports/",
        data={"fmt": "auto", "default_outlet": "Synthetic"},
        files={"files": (name, body, "application/x-ndjson")},
        allow_redirects=False,
    )
    batch_id = int(re.search(r"/imports/(\d+)/", r.headers["Location"]).group(1))
    posted = time.perf_counter() - t0
    with psycopg.connect(dsn, autocommit=True) as conn:
        while True:
            status, created, failed = conn.execute(
                "SELECT status, created, failed FROM ingest_importbatch WHERE id = %s", [batch_id]
            ).fetchone()
            if status in ("done", "failed"):
                break
            time.sleep(0.01)
        wall = time.perf_counter() - t0
        ids = [
            row[0]
            for row in conn.execute(
                "SELECT article_id FROM ingest_importbatch_articles WHERE importbatch_id = %s ORDER BY article_id",
                [batch_id],
            )
        ]
    if status != "done" or created != len(docs):
        raise RuntimeError(f"import {name}: status {status}, created {created} of {len(docs)}, failed {failed}")
    return {"wall_s": wall, "post_s": posted, "bytes": len(body), "article_ids": ids}


def annotation_spans(doc: dict, theme_ids: dict[str, int]) -> list[dict]:
    """What the Label Studio harness saves: the pre-annotation minus its last span, one label changed."""
    spans = [dict(s) for s in doc["spans"][:-1]]
    if spans:
        i = len(spans) // 2
        label = spans[i]["label"]
        if label in pc.ENTITY_LABELS:
            spans[i]["label"] = pc.ENTITY_LABELS[(pc.ENTITY_LABELS.index(label) + 1) % len(pc.ENTITY_LABELS)]
    return [{"start": s["start"], "end": s["end"], "themes": [theme_ids[s["label"]]]} for s in spans]


def run_readout(args, docs_warm, docs, tmp: Path) -> dict:
    server = Readout(args, tmp)
    theme_ids = server.prepare()
    server.start()
    sampler = pc.RssSampler(server.web.pid).start()
    dsn = server.env["DATABASE_URL"]
    res: dict = {"load_at_start": load()}

    db_cpu = DbCpu(dsn)

    def cpu() -> dict:
        """CPU seconds so far of the web tree, the worker and the PostgreSQL backends of the bench database: less
        sensitive to the machine's load than wall times."""
        return {
            "web": pc.proc_snapshot(server.web.pid)["cpu_s_tree"],
            "worker": pc.proc_snapshot(server.worker.pid)["cpu_s_tree"],
            "db": round(db_cpu.total(), 2),
        }

    def spent(before: dict) -> dict:
        after = cpu()
        return {f"cpu_s_{k}": round(after[k] - before[k], 2) for k in after}

    try:
        sup = Client(server.url, "supervisor")
        admin = Client(server.url, "admin")
        if args.spacy_only:
            res["spacy_import"] = spacy_import(args, sup, docs, dsn, server)
            res["peak_rss_mib"] = round(sampler.take_peak() / 1024, 1)
            return res
        if docs_warm:
            upload(sup, docs_warm, "warmup.jsonl", dsn)
        c0 = cpu()
        imp = upload(sup, docs, "corpus-1000.jsonl", dsn)
        ids = imp.pop("article_ids")
        res["import"] = {**{k: round(v, 3) for k, v in imp.items()}, "articles": len(ids), **spent(c0), "load": load()}
        if args.import_only:
            return res

        article = ids[0]
        page = admin.req("GET", f"/annotate/{article}/").text
        # what the browser requests to show the article with its annotations: the page and every part it still
        # loads by itself at once (hx-trigger "load"); panels in tabs load when their tab is first shown
        steps = [("page", f"/annotate/{article}/", {})] + [
            (key, path, {"HX-Request": "true"}) for key, path in lazy_parts(page)
        ]
        opens, parts = [], {key: [] for key, _, _ in steps}
        if args.steps == "open":  # warm the worker as the full run's import does, then only the open step
            for _ in range(3):
                admin.req("GET", f"/annotate/{article}/")
        c0 = cpu()
        for _ in range(args.get_reps):
            total = 0.0
            for key, path, headers in steps:
                t, _ = pc.timed(admin.req, "GET", path, headers=headers)
                parts[key].append(t)
                total += t
            opens.append(total)
        res["open"] = {
            **pc.summary_ms(opens),
            **{f"{k}_median_ms": round(statistics.median(v) * 1000, 2) for k, v in parts.items()},
            **spent(c0),
            "load": load(),
        }

        if args.steps == "open":
            res["peak_rss_mib"] = round(sampler.take_peak() / 1024, 1)
            return res
        n = min(args.annotate, len(ids))
        bodies = [(i, json.dumps(annotation_spans(d, theme_ids))) for i, d in zip(ids[:n], docs[:n])]
        lat = []
        c0 = cpu()
        t0 = time.perf_counter()
        for article_id, spans in bodies:
            t, r = pc.timed(admin.req, "POST", f"/annotate/{article_id}/spans/bulk/", data={"spans": spans})
            if len(r.json()["created"]) != args.spans - 1:
                raise RuntimeError(f"save on {article_id}: {r.text[:200]}")
            lat.append(t)
        res["annotate"] = {
            "n": n,
            "spans_per_annotation": args.spans - 1,
            "wall_s": round(time.perf_counter() - t0, 3),
            **pc.summary_ms(lat),
            **spent(c0),
            "load": load(),
        }

        lat, rows, size = [], 0, 0
        c0 = cpu()
        for _ in range(args.export_reps):
            t, r = pc.timed(sup.req, "GET", "/exports/download/?format=csv")
            lat.append(t)
            rows, size = r.content.count(b"\n") - 1, len(r.content)
        res["export_csv"] = {
            "rows_approx": rows,
            "mb": round(size / 1e6, 2),
            **pc.summary_ms(lat),
            **spent(c0),
            "load": load(),
        }
        res["peak_rss_mib"] = round(sampler.take_peak() / 1024, 1)
        res["worker_rss_mib_after"] = round(pc.proc_snapshot(server.worker.pid)["rss_kb_tree"] / 1024, 1)
    finally:
        db_cpu.stop()
        sampler.stop()
        server.stop()
    return res


def spacy_import(args, client: Client, docs: list[dict], dsn: str, server: Readout) -> dict:
    """Import plain articles (the corpus texts without their spans: spaCy runs) and follow the worker's memory:
    its idle RSS, the peak of its process tree during the import, and its RSS once the batch is done."""
    plain = [{"title": d["title"], "text": d["text"]} for d in docs[: args.spacy_articles]]
    time.sleep(1)
    idle = pc.proc_snapshot(server.worker.pid)["rss_kb_tree"]
    sampler = pc.RssSampler(server.worker.pid, interval=0.1).start()
    try:
        imp = upload(client, plain, "plain.jsonl", dsn)
    finally:
        peak = sampler.take_peak()
        sampler.stop()
    time.sleep(2)
    after = pc.proc_snapshot(server.worker.pid)["rss_kb_tree"]
    words = sum(len(d["text"].split()) for d in plain)
    return {
        "articles": len(plain),
        "words": words,
        "wall_s": round(imp["wall_s"], 2),
        "words_per_s": round(words / imp["wall_s"]),
        "child_process": bool(args.child_process),
        "worker_rss_idle_mib": round(idle / 1024, 1),
        "worker_peak_rss_mib": round(peak / 1024, 1),
        "worker_rss_after_mib": round(after / 1024, 1),
        "load": load(),
    }


def run_label_studio(args, k: int) -> dict | None:
    """One run of the peer harness (fresh data folder and server), its JSON back."""
    out = Path(tempfile.mkdtemp(prefix="ls-run-")) / "ls.json"
    env = {**os.environ, "LS_VENV": args.label_studio, "RUNS": "1", "RESULTS": str(out)}
    done = subprocess.run(["bash", str(PEERS / "run_label_studio_bench.sh")], env=env, capture_output=True, text=True)
    if done.returncode or not out.exists():
        print(f"label studio run {k} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}", file=sys.stderr)
        return None
    run = json.loads(out.read_text())["runs"][0]
    ph = run["phases"]
    rss = max((m.get("sampled_peak_rss_kb_since_last") or 0) for m in run["memory"].values())
    return {
        "import_s": ph["import_1000"]["wall_s"],
        "open_ms": ph["get_task"]["median_ms"],
        "save_ms": ph["annotate"]["median_ms"],
        "annotate_s": ph["annotate"]["wall_s"],
        "export_csv_s": ph["export"]["csv_all"]["median_ms"] / 1000,
        "peak_rss_mib": rss / 1024,
    }


def headline(run: dict) -> dict:
    return {
        "import_s": run["import"]["wall_s"],
        "open_ms": run["open"]["median_ms"],
        "save_ms": run["annotate"]["median_ms"],
        "annotate_s": run["annotate"]["wall_s"],
        "export_csv_s": run["export_csv"]["median_ms"] / 1000,
        "peak_rss_mib": run["peak_rss_mib"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432"))
    ap.add_argument("--db", default="readout_perf_bench")
    ap.add_argument("--port", type=int, default=8093)
    ap.add_argument("--workers", type=int, default=1, help="gunicorn workers (one process, as Label Studio serves)")
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--spans", type=int, default=40)
    ap.add_argument("--annotate", type=int, default=200)
    ap.add_argument("--get-reps", type=int, default=20)
    ap.add_argument("--export-reps", type=int, default=3)
    ap.add_argument(
        "--steps", choices=["all", "open"], default="all", help="open: only the open step (after a small import)"
    )
    ap.add_argument("--label-studio", default="", help="a Label Studio venv: run its harness interleaved")
    ap.add_argument("--out", default="")
    ap.add_argument(
        "--spacy-only",
        action="store_true",
        help="only: import --spacy-articles plain articles (spaCy runs), worker RSS",
    )
    ap.add_argument("--spacy-articles", type=int, default=200)
    ap.add_argument("--import-only", action="store_true", help="only the warm-up and the timed import")
    ap.add_argument("--child-process", action="store_true", help="IMPORT_CHILD_PROCESS=1 for the worker")
    args = ap.parse_args()
    # stopped with SIGTERM or SIGINT (even when started in the background): stop our servers on the way out
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    pc.assert_loopback(f"http://127.0.0.1:{args.port}")

    docs_warm = pc.corpus(args.warmup, start=0, n_spans=args.spans)
    docs = pc.corpus(args.n, start=args.warmup, n_spans=args.spans)
    runs, ls_runs = [], []
    for k in range(1, args.runs + 1):
        if args.label_studio:
            ls = run_label_studio(args, k)
            if ls:
                ls_runs.append(ls)
        with tempfile.TemporaryDirectory(prefix="readout-peer-") as tmp:
            run = run_readout(args, docs_warm, docs, Path(tmp))
        runs.append(run)
        if args.spacy_only or args.import_only or args.steps == "open":
            print(json.dumps(run.get("open", run) if args.steps == "open" else run))
            continue
        print(f"run {k}: {json.dumps(headline(run))} (load {load()})", file=sys.stderr)
    if args.import_only:
        walls = sorted(r["import"]["wall_s"] for r in runs)
        print(json.dumps({"import_wall_s": walls, "median_s": statistics.median(walls), "load": load()}))
    if args.spacy_only or args.import_only:
        return 0
    if args.steps == "open":
        parts = {k: statistics.median(r["open"][k] for r in runs) for k in runs[0]["open"] if "median_ms" in k}
        print(json.dumps({"runs": len(runs), "open_medians_ms": parts, "load_at_end": load()}))
        return 0

    heads = [headline(r) for r in runs]
    readout = {key: round(statistics.median(h[key] for h in heads), 4) for key in heads[0]}
    if ls_runs:
        peer = {key: round(statistics.median(r[key] for r in ls_runs), 4) for key in ls_runs[0]}
        peer_source = f"Label Studio, {len(ls_runs)} run(s) interleaved with these"
    else:
        peer, peer_source = PUBLISHED_LS, "published figures (Label Studio 1.23.2, peers README), not run here"
    ratios = {key: round(peer[key] / readout[key], 2) if readout[key] else None for key in readout}
    result = {
        "date_utc": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": pc.machine_info(),
        "load_at_end": load(),
        "runs": len(runs),
        "readout_medians": readout,
        "peer": peer,
        "peer_source": peer_source,
        "ratios_peer_over_readout": ratios,
        "goals_met": {key: ratios[key] is not None and ratios[key] >= GOALS[key] for key in ratios},
        "open_parts_ms": {
            k: statistics.median(r["open"][k] for r in runs) for k in runs[0]["open"] if "median_ms" in k
        },
        "details": runs,
    }
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "details"}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
