"""An idle `run_worker` takes an upload's import task at once: the enqueue sends a NOTIFY it listens for."""

import threading
import time

import pytest
from django.db import connection

from apps.ingest.tasks import run_import_batch
from config.management.commands.run_worker import TaskListener
from config.tasks import ping

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def db_tasks(settings):
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _waited(listener: TaskListener, enqueue, timeout: float) -> float:
    """Seconds ``listener.wait(timeout)`` took while ``enqueue`` runs in another thread 0.2 s into the wait."""

    def later():
        time.sleep(0.2)
        try:
            enqueue()
        finally:
            connection.close()

    thread = threading.Thread(target=later)
    started = time.monotonic()
    thread.start()
    listener.wait(timeout)
    waited = time.monotonic() - started
    thread.join()
    return waited


def test_an_enqueued_import_task_ends_the_idle_wait_at_once_and_other_tasks_keep_the_interval(db_tasks):
    listener = TaskListener()
    try:
        listener.wait(0)  # connected and listening
        assert _waited(listener, lambda: run_import_batch.enqueue(123456), timeout=20) < 10
        assert _waited(listener, lambda: ping.enqueue(1), timeout=1.5) >= 1.4
    finally:
        listener.close()


def test_a_worker_that_cannot_listen_sleeps_its_interval(db_tasks, monkeypatch):
    slept = []
    listener = TaskListener(sleep=slept.append)
    monkeypatch.setattr(connection, "get_new_connection", lambda params: 1 / 0)
    listener.wait(0.5)
    assert len(slept) == 1 and 0.4 < slept[0] <= 0.5
