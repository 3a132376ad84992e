"""``db_worker`` that survives database trouble: reconnect with backoff instead of exiting.

django-tasks-db's worker calls ``close_old_connections()`` around each poll, so a connection that died while idle
is usually replaced, but any ``OperationalError`` / ``InterfaceError`` that is not "database is locked" (the
database restarting, a connection killed between the check and the query, a failover, a network blip) propagates
out of ``Worker.run`` and the process exits. This command runs the same worker (same options) and, on such an
error, closes the broken connections, waits (exponential backoff with jitter, capped) and polls again. A task
that was running when its connection died is recorded by the worker as failed if it can be, and the worker goes
on with the next one. Ctrl-C / SIGTERM still stop it as before.

With ``WORKER_HEARTBEAT_FILE`` set (docker-compose does), the file's mtime is refreshed at every poll, every
retry and every 10 s while a task runs: the container health check is "touched in the last 60 s".

On PostgreSQL an idle worker does not just sleep its ``--interval``: it listens on ``settings.TASKS_NOTIFY_CHANNEL``
and polls as soon as a notification comes (``apps.ingest`` sends one with each import task it enqueues, in the
transaction of the task's row, so it arrives when the row can be seen): an upload is taken in milliseconds instead
of up to a second later. The interval stays the upper bound (a lost notification costs one interval, as before).
"""

from __future__ import annotations

import logging
import os
import random
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("django_tasks_db")

BACKOFF_FIRST_S = 0.5
BACKOFF_MAX_S = 30.0


HEARTBEAT_EVERY_S = 10.0


class TaskListener:
    """Waits up to ``seconds`` for a NOTIFY on ``settings.TASKS_NOTIFY_CHANNEL`` (PostgreSQL, on a connection of its own); elsewhere,
    or when that connection cannot be had, it sleeps. Any trouble closes the connection: the next wait opens a new
    one."""

    def __init__(self, sleep=time.sleep):
        self._sleep = sleep
        self._conn = None

    def wait(self, seconds: float) -> None:
        if connection.vendor != "postgresql":
            self._sleep(seconds)
            return
        started = time.monotonic()
        try:
            if self._conn is None:
                self._conn = connection.get_new_connection(connection.get_connection_params())
                self._conn.autocommit = True
                self._conn.execute(f"LISTEN {connection.ops.quote_name(settings.TASKS_NOTIFY_CHANNEL)}")
            for _ in self._conn.notifies(timeout=seconds, stop_after=1):
                pass
        except Exception:  # noqa: BLE001 - no listening today: the plain interval, as without it
            self.close()
            self._sleep(max(0.0, seconds - (time.monotonic() - started)))

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail too
                pass
            self._conn = None


class _ListeningTime:
    """``time`` as db_worker's loop sees it: ``sleep`` (its idle wait between polls) waits on the listener."""

    def __init__(self, listener: TaskListener):
        self.listener = listener

    def sleep(self, seconds: float) -> None:
        self.listener.wait(seconds)

    def __getattr__(self, name):
        return getattr(time, name)


class ResilientWorker(db_worker.Worker):
    def __init__(self, *args, sleep=time.sleep, heartbeat_file: str | None = None, **kwargs):
        self._heartbeat = Path(heartbeat_file or os.environ.get("WORKER_HEARTBEAT_FILE", "") or os.devnull)
        self._last_beat = 0.0
        super().__init__(*args, **kwargs)
        self._sleep = sleep
        self.reconnects = 0

    # The base loop reads ``self.running`` once per poll: a cheap place for the heartbeat.
    @property
    def running(self) -> bool:
        self.beat()
        return self._running

    @running.setter
    def running(self, value: bool) -> None:
        self._running = value

    def beat(self, force: bool = False) -> None:
        now = time.monotonic()
        if str(self._heartbeat) == os.devnull or (not force and now - self._last_beat < 1.0):
            return
        self._last_beat = now
        try:
            self._heartbeat.touch()
        except OSError:
            pass

    def run_task(self, db_task_result) -> None:
        done = threading.Event()

        def keep_beating():
            while not done.wait(HEARTBEAT_EVERY_S):
                self.beat(force=True)

        beater = threading.Thread(target=keep_beating, name="worker-heartbeat", daemon=True)
        beater.start()
        try:
            super().run_task(db_task_result)
        finally:
            done.set()

    def run(self) -> None:
        failures, last_failure = 0, 0.0
        while self.running:
            try:
                return super().run()
            except (OperationalError, InterfaceError) as exc:
                if time.monotonic() - last_failure > 2 * BACKOFF_MAX_S:
                    failures = 0  # a new outage, not the same one going on
                failures += 1
                last_failure = time.monotonic()
                self.reconnects += 1
                for conn in connections.all(initialized_only=True):
                    try:
                        conn.close()
                    except Exception:  # noqa: BLE001 - the connection is broken, closing it may fail too
                        conn.connection = None
                delay = min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** (failures - 1)) * (0.5 + random.random() / 2)  # noqa: S311
                logger.warning(
                    "Database unavailable (%s: %s); retrying in %.1f s (attempt %d).",
                    type(exc).__name__,
                    str(exc).strip().splitlines()[0] if str(exc).strip() else "",
                    delay,
                    failures,
                )
                self._sleep(delay)
                # the worker's own startup delay is not needed again
                self.startup_delay = False
        return None


class Command(db_worker.Command):
    help = "Run the database task worker; reconnects with backoff when the database goes away instead of exiting."

    def handle(self, *args, **options):
        original, original_time = db_worker.Worker, db_worker.time
        listener = TaskListener()
        db_worker.Worker, db_worker.time = ResilientWorker, _ListeningTime(listener)
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker, db_worker.time = original, original_time
            listener.close()
