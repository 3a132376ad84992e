"""A large batch is cut into chunks that several workers share; counts, resume and the duplicate check stay right."""

import json
import os
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.utils import timezone

import apps.ingest.services as services
from apps.corpus.models import Article
from apps.ingest import tasks
from apps.ingest.models import ImportBatch, ImportChunk
from apps.ingest.services import (
    SourceFile,
    batch_can_resume,
    batch_create_from_uploads,
    chunk_claim,
    import_batch,
    import_chunk,
    import_chunks,
    import_sources,
    stale_batches,
)

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _jsonl(*records) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()


def _records(n: int, start: int = 0) -> list[dict]:
    return [
        {"title": f"Story {i}", "text": f"Officials met on day {i} and talked about trade number {i}."}
        for i in range(start, start + n)
    ]


def _upload(records, name="stories.jsonl") -> ImportBatch:
    return batch_create_from_uploads(user=None, uploads=[SimpleUploadedFile(name, _jsonl(*records))])


def _planned(records, settings, size=2) -> ImportBatch:
    """A batch read and cut into chunks, none of them run yet (as a worker leaves it after reading)."""
    settings.IMPORT_CHUNK_SIZE = size
    batch = _upload(records)
    batch = import_batch(batch_id=batch.pk, enqueue_chunk=lambda chunk_id: None)
    assert batch.status == "running" and batch.chunks.count() == -(-len(records) // size)
    return ImportBatch.objects.get(pk=batch.pk)


def _worker():
    from django_tasks_db.management.commands.db_worker import Worker

    return Worker(
        queue_names=["default"],
        interval=0,
        batch=True,  # runs until the queue is empty
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


@pytest.mark.django_db(transaction=True)
def test_a_large_upload_is_cut_into_chunk_tasks_that_the_database_worker_runs(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_CHUNK_SIZE = 3
    import_sources(batch=ImportBatch.objects.create(), sources=[SourceFile("old.jsonl", _jsonl(*_records(1)))])
    records = [*_records(9), {"title": "Empty", "text": "  "}, _records(1)[0] | {"title": "Again"}]
    batch = _upload(records)

    tasks.run_import_batch.enqueue(batch.pk)
    _worker().run()

    batch.refresh_from_db()
    # 9 stories, one already in the corpus and one twice in the file (both skipped), one without text (failed):
    # 8 to parse, in chunks of 3
    assert (batch.status, batch.created, batch.skipped, batch.failed) == ("done", 8, 2, 1)
    assert (batch.processed, batch.total, batch.percent) == (8, 8, 100)
    chunks = list(batch.chunks.all())
    assert [(c.number, c.size, c.status, c.created) for c in chunks] == [
        (1, 3, "done", 3),
        (2, 3, "done", 3),
        (3, 2, "done", 2),
    ]
    assert all(c.items == [] for c in chunks)  # the texts are dropped once the batch is done
    assert all(c.peak_rss_mb for c in chunks)
    [result] = batch.results
    assert (result["articles"], result["created"], result["skipped"], result["failed"]) == (
        10,
        8,
        2,
        1,
    )  # the record without text is refused by the reader
    assert batch.articles.count() == 8 and Article.objects.count() == 9
    assert not default_storage.exists(batch.files[0]["path"])
    ran = DBTaskResult.objects.values_list("task_path", "status")
    assert sorted(ran) == [
        ("apps.ingest.tasks.run_import_batch", "SUCCESSFUL"),
        *[("apps.ingest.tasks.run_import_chunk", "SUCCESSFUL")] * 3,
    ]


def test_progress_counts_the_chunks_that_ran_and_the_page_shows_it(settings, client, admin_user):
    batch = _planned(_records(6), settings)
    assert (batch.total, batch.processed, batch.percent) == (6, 0, 0)
    assert list(batch.chunks.values_list("size", "status")) == [(2, "pending")] * 3

    import_chunk(chunk_id=chunk_claim(batch_id=batch.pk).pk)
    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.created, batch.percent) == ("running", 2, 2, 33)
    client.force_login(admin_user)
    page = client.get(f"/imports/{batch.pk}/").content.decode()
    assert "2 of 6 new articles processed" in page

    import_chunks(batch_id=batch.pk)  # the rest, here
    batch.refresh_from_db()
    assert (batch.status, batch.processed, batch.created, batch.skipped, batch.failed) == ("done", 6, 6, 0, 0)
    assert batch.results[0]["created"] == 6


def test_a_half_done_chunked_batch_left_by_a_dead_worker_resumes_without_duplicates(
    settings, monkeypatch, fail_on_call
):
    settings.SPACY_BATCH_SIZE = settings.IMPORT_WRITE_GROUP = (
        1  # one article per write, so the kill falls between two articles of a chunk
    )
    batch = _planned(_records(6), settings)
    import_chunk(chunk_id=chunk_claim(batch_id=batch.pk).pk)  # chunk 1 done

    # killed at the second article: nothing in the process runs on
    fail_on_call(services, "articles_create_from_analyses", 2, SystemExit(137))
    second = chunk_claim(batch_id=batch.pk)
    with pytest.raises(SystemExit):
        import_chunk(chunk_id=second.pk)
    monkeypatch.undo()  # the next run writes for real
    assert Article.objects.count() == 3  # chunk 1, and the first article of chunk 2
    assert ImportChunk.objects.get(pk=second.pk).status == "running"
    assert stale_batches() == []  # its heartbeat is recent: left to its worker

    old = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 1)
    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=old)
    ImportChunk.objects.filter(pk=second.pk).update(heartbeat_at=old)
    assert [b.pk for b in stale_batches()] == [batch.pk]

    batch = import_batch(batch_id=batch.pk, resume=True)
    assert (batch.status, batch.created, batch.skipped, batch.failed) == ("done", 6, 0, 0)
    assert (batch.processed, batch.total) == (6, 6)
    assert Article.objects.count() == 6 and batch.articles.count() == 6
    assert ImportChunk.objects.get(pk=second.pk).created == 2  # the article its first run wrote counts as its own


def test_a_chunk_stopped_by_the_database_fails_the_batch_once_the_others_are_done_and_a_resume_finishes_it(
    settings, fail_on_call
):
    settings.SPACY_BATCH_SIZE = settings.IMPORT_WRITE_GROUP = 1  # one article per write
    batch = _planned(_records(6), settings)
    fail_on_call(
        services, "articles_create_from_analyses", 3, OperationalError("server closed the connection unexpectedly")
    )
    import_chunks(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.error.startswith("OperationalError")
    assert list(batch.chunks.values_list("status", flat=True)) == ["done", "failed", "done"]
    assert (batch.created, batch.processed) == (4, 4)  # chunk 2 stopped at its first article: nothing of it written
    assert batch_can_resume(batch) and default_storage.exists(batch.files[0]["path"])

    batch = import_batch(batch_id=batch.pk, resume=True)
    assert (batch.status, batch.created, batch.skipped, batch.failed) == ("done", 6, 0, 0)
    assert Article.objects.count() == 6


def test_a_chunk_child_that_dies_leaves_its_chunk_failed_and_the_batch_resumable(settings, monkeypatch):
    settings.IMPORT_CHILD_PROCESS = True
    batch = _planned(_records(4), settings)
    first = batch.chunks.get(number=1)

    def dying_child(cmd, cwd, check):  # claims the chunk it was given, then is killed (out of memory)
        assert cmd[3:6] == ["chunk", str(batch.pk), str(first.pk)]
        chunk_claim(batch_id=batch.pk, prefer=first.pk, owner=cmd[6])
        return subprocess.CompletedProcess(cmd, -9)

    monkeypatch.setattr(tasks.subprocess, "run", dying_child)
    tasks.run_import_chunk.call(first.pk)
    first.refresh_from_db()
    assert first.status == "failed" and "exit code -9" in first.error
    assert batch.chunks.get(number=2).status == "pending"

    settings.IMPORT_CHILD_PROCESS = False
    result = tasks.run_import_chunk.call(batch.chunks.get(number=2).pk)
    assert result["status"] == "failed"  # the other chunk ran; the batch waits for a person to resume it
    batch.refresh_from_db()
    assert batch_can_resume(batch) and batch.created == 2

    assert tasks.run_import_batch.call(batch.pk, resume=True)["status"] == "done"
    assert Article.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_two_chunks_racing_on_the_same_text_make_one_article(settings, monkeypatch):
    """Two uploads at once carry the same story; both workers pass the "already in the corpus?" check before
    either writes. The unique content hash decides: one article, the other chunk counts it as skipped."""
    settings.IMPORT_CHUNK_SIZE = 1
    same = {"title": "Shared", "text": "Both agencies ran the same story about the summit on Friday."}
    one = import_batch(batch_id=_upload([same, *_records(1)]).pk, enqueue_chunk=lambda chunk_id: None)
    two = import_batch(batch_id=_upload([same, *_records(1, start=5)]).pk, enqueue_chunk=lambda chunk_id: None)
    chunks = [b.chunks.get(number=1).pk for b in (one, two)]

    both_checked = threading.Barrier(2, timeout=30)
    real = services._not_yet_imported

    def check_then_wait(batch, pending):
        todo = real(batch, pending)
        both_checked.wait()
        return todo

    monkeypatch.setattr(services, "_not_yet_imported", check_then_wait)
    outcome = {}

    def run(chunk_id):
        try:
            outcome[chunk_id] = import_chunk(chunk_id=chunk_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(pk,)) for pk in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert Article.objects.filter(title="Shared").count() == 1
    assert sorted((c.created, c.skipped, c.failed, c.status) for c in outcome.values()) == [
        (0, 1, 0, "done"),
        (1, 0, 0, "done"),
    ]


def _run_by_workers(batch: ImportBatch, settings, *, workers: int, spacy_n_process: int = 1) -> ImportBatch:
    """The batch run as deployed: ``workers`` `run_worker` processes on the test database, imports in child
    processes (the default), chunks of 2; returns the batch once done (or after two minutes)."""
    if connection.vendor != "postgresql":
        pytest.skip("two processes writing at once need PostgreSQL")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    cfg = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{cfg['USER']}@{cfg['HOST'] or '127.0.0.1'}:{cfg['PORT'] or 5432}/{cfg['NAME']}",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "IMPORT_CHUNK_SIZE": "2",
        "IMPORT_CHILD_PROCESS": "1",
        "SPACY_N_PROCESS": str(spacy_n_process),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "LOG_LEVEL": "WARNING",
    }
    cmd = [sys.executable, "manage.py", "run_worker", "--interval", "0.1", "--no-startup-delay", "--no-reload"]
    running = [subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL) for _ in range(workers)]
    try:
        tasks.run_import_batch.enqueue(batch.pk)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and ImportBatch.objects.get(pk=batch.pk).status != "done":
            time.sleep(0.3)
    finally:
        for w in running:
            w.terminate()
        for w in running:
            w.wait(20)
    batch.refresh_from_db()
    return batch


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_share_a_chunked_batch_in_child_processes(settings):
    settings.IMPORT_CHUNK_SIZE = 2
    batch = _run_by_workers(_upload(_records(8)), settings, workers=2)
    assert (batch.status, batch.created, batch.processed, batch.total) == ("done", 8, 8, 8)
    assert Article.objects.count() == 8
    owners = set(batch.chunks.values_list("owner", flat=True))
    assert all(owners) and all(pid != str(os.getpid()) for pid in (o.split(":")[1] for o in owners))


@pytest.mark.django_db(transaction=True)
def test_one_worker_runs_a_chunked_batch_in_spacy_n_process_processes(settings):
    """SPACY_N_PROCESS=2: the worker's batch process takes chunks and starts a second process that takes chunks too;
    every article is written once, and the batch is done when both have stopped."""
    settings.IMPORT_CHUNK_SIZE = 2
    # long enough to parse that the second process (which starts in a second or two) finds chunks left to take
    batch = _upload([{**r, "text": " ".join([r["text"]] * 25)} for r in _records(40)])
    batch = _run_by_workers(batch, settings, workers=1, spacy_n_process=2)
    assert (batch.status, batch.created, batch.processed, batch.total) == ("done", 40, 40, 40)
    assert Article.objects.count() == 40
    processes = {owner.split(":")[1] for owner in batch.chunks.values_list("owner", flat=True)}
    assert len(processes) == 2 and str(os.getpid()) not in processes  # two child processes of the one worker


def test_spacy_runs_one_process_for_a_small_run_whatever_spacy_n_process_says(settings, monkeypatch):
    from apps.nlp import pipeline

    seen = []

    class FakeNLP:
        def pipe(self, texts, batch_size, n_process):
            seen.append(n_process)
            return iter([])

    monkeypatch.setattr(pipeline, "get_nlp", lambda: FakeNLP())
    settings.SPACY_N_PROCESS, settings.SPACY_N_PROCESS_MIN_TEXTS = 2, 100
    list(pipeline.analyze_texts(["a"] * 99))
    list(pipeline.analyze_texts(["a"] * 100))
    assert seen == [1, 2]


def test_a_batch_child_that_dies_while_running_chunks_leaves_them_failed(settings, monkeypatch):
    """The batch task's child reads the batch, then takes chunks itself; killed there, its chunk fails at once."""
    settings.IMPORT_CHILD_PROCESS = True
    settings.IMPORT_CHUNK_SIZE = 2
    batch = _upload(_records(4))
    dead_pid = subprocess.Popen(["true"])  # noqa: S607 - a process id that no longer exists
    dead_pid.wait()

    def dying_child(cmd, cwd, check):
        assert cmd[3:] == [str(batch.pk), "0"]
        import_batch(batch_id=batch.pk, enqueue_chunk=lambda chunk_id: None)
        chunk_claim(batch_id=batch.pk, owner=f"{tasks.socket.gethostname()}:{dead_pid.pid}:x")
        return subprocess.CompletedProcess(cmd, -9)

    monkeypatch.setattr(tasks.subprocess, "run", dying_child)
    tasks.run_import_batch.call(batch.pk)
    assert list(batch.chunks.values_list("status", flat=True)) == ["failed", "pending"]
    assert "exit code -9" in batch.chunks.get(number=1).error
