"""Import throughput against raw spaCy, across worker processes, and the memory it takes.

Default (in this process): raw ``nlp.pipe`` over the texts (parse only) against the whole ``import_sources``
path over the same texts as a JSONL file (read, normalise, hash, spaCy, quotes, speakers, database writes), in
``--runs`` alternating runs on texts new to the corpus each time. Each run's raw figure is the faster of the raw
runs just before and after its import, so its ratio is conservative; the median ratio is reported, and the ratio of
CPU seconds (raw / import) beside it. Peak RSS and the RSS after the imports are printed.

``--workers N`` (PostgreSQL): the batch is uploaded and run as deployed, by ``manage.py run_worker`` processes
(each one process, imports in child processes unless ``--in-process``), cut into chunk tasks of
``--chunk-size``; runs with 1 worker and with N workers alternate ``--runs`` times and the medians are compared.
Memory: the chunk processes' peak RSS, and each worker's RSS idle, at its peak and after the batch.

``--workers 1 --spacy-n-process 2``: one worker with ``SPACY_N_PROCESS=1`` against one with 2 (the batch's chunks
run in two processes of that worker).

``--n-process 2``: raw ``nlp.pipe`` words/s with ``n_process=1`` and ``n_process=2`` alternated ``--runs`` times.

    .venv/bin/python bench/import_bench.py [--copies 40]      # SQLite in a temp dir unless DATABASE_URL is set
    DATABASE_URL=postgres://... .venv/bin/python bench/import_bench.py --workers 2 --runs 3
    DATABASE_URL=postgres://... .venv/bin/python bench/import_bench.py --workers 1 --spacy-n-process 2 --runs 3
    .venv/bin/python bench/import_bench.py --n-process 2 --runs 3

Last line: one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from benchenv import REPO, django_setup  # bench/ is on sys.path when run as a script


def _texts(copies: int, tag: str) -> tuple[list[str], list[str]]:
    from apps.ingest.readers import read_articles

    seeds = sorted((REPO / "fixtures" / "seeds").glob("*.txt"))
    bodies = [a for s in seeds for a in read_articles(s.read_bytes(), name=s.name)]
    records, texts = [], []
    for n in range(copies):
        for a in bodies:
            text = f"{a.text}\nEdition {n}{tag}."
            texts.append(text)
            records.append(json.dumps({"title": f"{a.title} ({n})", "text": text, "outlet": a.outlet}))
    return records, texts


def _rss_mb(pid: int | str = "self", field: str = "VmRSS") -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def in_process(args) -> dict:
    from django.conf import settings

    from apps.ingest.models import ImportBatch
    from apps.ingest.services import SourceFile, import_sources, release_memory
    from apps.nlp.pipeline import get_nlp

    nlp = get_nlp()
    list(nlp.pipe(_texts(1, " warm-up")[1][:8]))
    rss_loaded = _rss_mb()

    def raw_run(texts) -> tuple[float, float]:
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in nlp.pipe(texts, batch_size=settings.SPACY_BATCH_SIZE, n_process=settings.SPACY_N_PROCESS):
            pass
        return time.perf_counter() - t0, time.process_time() - c0

    # Runs alternate raw and import over texts new to the corpus each time; a run's raw figure is the faster of the
    # raw runs just before and just after its import (conservative), and the medians over runs are reported.
    runs, words = [], 0
    raw_before = None
    for n in range(args.runs):
        records, texts = _texts(args.copies, f" {uuid.uuid4().hex[:6]}")
        words = sum(len(t.split()) for t in texts)
        raw_before = raw_before or raw_run(texts)
        source = SourceFile("bench.jsonl", "\n".join(records).encode())
        t0, c0 = time.perf_counter(), time.process_time()
        batch = import_sources(batch=ImportBatch.objects.create(), sources=[source])
        import_s, import_cpu = time.perf_counter() - t0, time.process_time() - c0
        assert batch.created == len(texts), (batch.created, batch.results, batch.error)
        del batch, source
        release_memory()
        raw_after = raw_run(texts)
        raw_s, raw_cpu = min(raw_before, raw_after)
        runs.append(
            {"raw_s": raw_s, "import_s": import_s, "ratio": raw_s / import_s, "cpu_ratio": raw_cpu / import_cpu}
        )
        print(
            f"run {n + 1}: {len(texts)} articles, {words} words; raw {raw_before[0]:.2f}s / {raw_after[0]:.2f}s, "
            f"import {import_s:.2f}s, ratio {raw_s / import_s:.3f} (CPU {raw_cpu:.1f}s / {import_cpu:.1f}s)",
            flush=True,
        )
        raw_before = raw_after
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    def med(key: str) -> float:
        return statistics.median(r[key] for r in runs)

    return {
        "raw_words_per_s": round(words / med("raw_s")),
        "import_words_per_s": round(words / med("import_s")),
        "ratio": round(med("ratio"), 3),
        "ratios": [round(r["ratio"], 3) for r in runs],
        "cpu_ratio": round(med("cpu_ratio"), 3),
        "peak_rss_mb": round(peak_mb, 1),
        "rss_model_loaded_mb": round(rss_loaded, 1),
        "rss_after_mb": round(_rss_mb(), 1),
        "spacy_batch_size": settings.SPACY_BATCH_SIZE,
        "load_avg": [round(x, 1) for x in os.getloadavg()],
    }


def n_process(args) -> dict:
    from django.conf import settings

    from apps.nlp.pipeline import get_nlp

    _, texts = _texts(args.copies, "")
    words = sum(len(t.split()) for t in texts)
    nlp = get_nlp()
    list(nlp.pipe(texts[:8]))
    rates: dict[int, list[float]] = {1: [], args.n_process: []}
    for run in range(args.runs):
        for n in rates:
            t0 = time.perf_counter()
            for _ in nlp.pipe(texts, batch_size=settings.SPACY_BATCH_SIZE, n_process=n):
                pass
            rates[n].append(words / (time.perf_counter() - t0))
            print(f"run {run + 1}: n_process={n}: {rates[n][-1]:,.0f} words/s", flush=True)
    one, many = statistics.median(rates[1]), statistics.median(rates[args.n_process])
    print(f"{len(texts)} texts, {words} words; load {os.getloadavg()[0]:.1f}")
    return {
        "n_process_1_words_per_s": round(one),
        f"n_process_{args.n_process}_words_per_s": round(many),
        "ratio": round(many / one, 2),
        "runs": {str(k): [round(r) for r in v] for k, v in rates.items()},
    }


def _start_workers(n: int, env: dict, sessions: bool) -> list[subprocess.Popen]:
    cmd = [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload"]
    # Each worker in its own session, as separate containers or services are: with the kernel's autogroup
    # scheduling (on here), processes of one session share one slice of a busy machine's CPU, however many.
    workers = [
        subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=sessions
        )
        for _ in range(n)
    ]
    time.sleep(6)  # Django set up and polling
    return workers


def _one_workers_run(n: int, args, env: dict) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.ingest.models import ImportBatch
    from apps.ingest.services import batch_create_from_uploads
    from apps.ingest.tasks import run_import_batch

    records, texts = _texts(args.copies, f" {uuid.uuid4().hex[:6]}")
    words = sum(len(t.split()) for t in texts)
    upload = SimpleUploadedFile("bench.jsonl", "\n".join(records).encode())
    batch = batch_create_from_uploads(user=None, uploads=[upload])
    workers = _start_workers(n, env, not args.one_session)
    try:
        idle = [_rss_mb(w.pid) for w in workers]
        t0 = time.perf_counter()
        run_import_batch.enqueue(batch.pk)
        while ImportBatch.objects.get(pk=batch.pk).status not in {"done", "failed"}:
            time.sleep(0.1)
        elapsed = time.perf_counter() - t0
        time.sleep(1)
        after = [_rss_mb(w.pid) for w in workers]
        peak = [_rss_mb(w.pid, "VmHWM") for w in workers]
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(30)
    batch = ImportBatch.objects.get(pk=batch.pk)
    assert (batch.status, batch.created) == ("done", len(texts)), (batch.status, batch.created, batch.error)
    chunks = list(batch.chunks.values_list("owner", "peak_rss_mb", "cpu_seconds"))
    cpu: dict[str, float] = {}  # a chunk process's CPU time so far, at its last chunk
    for owner, _, seconds in chunks:
        cpu[owner] = max(cpu.get(owner, 0.0), seconds or 0.0)
    return {
        "words": words,
        "words_per_s": words / elapsed,
        "seconds": elapsed,
        "chunks": len(chunks),
        "chunk_processes": len(cpu),
        "chunk_cpu_s": sum(cpu.values()),
        "cores_used": sum(cpu.values()) / elapsed,
        "chunk_peak_rss_mb": max(p or 0 for _, p, _ in chunks),
        "worker_idle_rss_mb": max(idle),
        "worker_peak_rss_mb": max(peak),
        "worker_after_rss_mb": max(after),
    }


def across_workers(args) -> dict:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("--workers needs PostgreSQL: set DATABASE_URL")
    media = tempfile.mkdtemp(prefix="readout-bench-media-")
    from django.conf import settings

    settings.MEDIA_ROOT = Path(media)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    env = {
        **os.environ,
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "MEDIA_ROOT": media,
        "IMPORT_CHUNK_SIZE": str(args.chunk_size),
        "IMPORT_CHILD_PROCESS": "0" if args.in_process else "1",
        "LOG_LEVEL": "WARNING",
    }
    # one worker with one import process, against args.workers workers with SPACY_N_PROCESS import processes each
    base, scaled = (1, 1), (args.workers, args.spacy_n_process)
    runs: dict[tuple[int, int], list[dict]] = {base: [], scaled: []}
    loads = []
    for run in range(args.runs):
        for n, processes in runs:
            loads.append(os.getloadavg()[0])
            result = _one_workers_run(n, args, {**env, "SPACY_N_PROCESS": str(processes)})
            runs[n, processes].append(result)
            print(
                f"run {run + 1}, {n} worker(s) x SPACY_N_PROCESS={processes}: {result['words_per_s']:,.0f} words/s ({result['seconds']:.1f} s, "
                f"{result['chunks']} chunks in {result['chunk_processes']} processes, {result['chunk_cpu_s']:.0f} CPU s, "
                f"{result['cores_used']:.2f} cores); chunk peak "
                f"{result['chunk_peak_rss_mb']} MB; worker idle/peak/after {result['worker_idle_rss_mb']:.0f}/"
                f"{result['worker_peak_rss_mb']:.0f}/{result['worker_after_rss_mb']:.0f} MB; load {loads[-1]:.1f}",
                flush=True,
            )
    one = statistics.median(r["words_per_s"] for r in runs[base])
    many = statistics.median(r["words_per_s"] for r in runs[scaled])
    label = f"{args.workers}_workers" + (f"_x_{args.spacy_n_process}_processes" if args.spacy_n_process > 1 else "")
    every = [r for rs in runs.values() for r in rs]

    def med(key):
        return round(statistics.median(r[key] for r in every), 1)

    return {
        "words": every[0]["words"],
        "one_worker_words_per_s": round(one),
        f"{label}_words_per_s": round(many),
        "ratio": round(many / one, 2),
        "child_processes": not args.in_process,
        "own_sessions": not args.one_session,
        "chunk_size": args.chunk_size,
        "one_worker_cores_used": round(statistics.median(r["cores_used"] for r in runs[base]), 2),
        f"{label}_cores_used": round(statistics.median(r["cores_used"] for r in runs[scaled]), 2),
        "words_per_cpu_s": round(statistics.median(r["words"] / r["chunk_cpu_s"] for r in every if r["chunk_cpu_s"])),
        "chunk_peak_rss_mb": med("chunk_peak_rss_mb"),
        "worker_idle_rss_mb": med("worker_idle_rss_mb"),
        "worker_peak_rss_mb": med("worker_peak_rss_mb"),
        "worker_after_rss_mb": med("worker_after_rss_mb"),
        "load_avg": [round(x, 1) for x in loads],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=40, help="copies of the seed articles (each made unique)")
    parser.add_argument("--workers", type=int, default=0, help="run through N worker processes (and 1, to compare)")
    parser.add_argument("--chunk-size", type=int, default=25, help="IMPORT_CHUNK_SIZE for --workers")
    parser.add_argument(
        "--spacy-n-process", type=int, default=1, help="--workers: SPACY_N_PROCESS of the workers compared with one"
    )
    parser.add_argument("--in-process", action="store_true", help="--workers: parse in the worker, no child")
    parser.add_argument("--one-session", action="store_true", help="--workers: all workers in this session")
    parser.add_argument("--n-process", type=int, default=0, help="raw nlp.pipe with n_process=1 against this")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    django_setup()
    if args.workers:
        result = across_workers(args)
    elif args.n_process:
        result = n_process(args)
    else:
        result = in_process(args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
