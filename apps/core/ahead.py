"""Producing ahead in a background thread, so a producer that waits (spaCy's parse, a database fetch) overlaps the
consumer's work instead of adding to it."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

from django.db import connections

T = TypeVar("T")

logger = logging.getLogger(__name__)
_DONE = object()


def read_ahead(items: Iterable[T], *, ahead: int, name: str = "read-ahead", db=None) -> Iterator[T]:
    """The items of ``items`` in order, produced by a background thread up to ``ahead`` items in advance.

    It pays where the producer spends its time outside the GIL (spaCy's matrix work, waiting for a database
    server): the consumer's Python work runs meanwhile. An exception in the producer is raised here, at the item
    it stopped at; closing this generator early stops the thread (within a tenth of a second after its current
    item) and waits for it, so the producer is never used by two threads at once.

    ``db``: a Django connection of the calling thread that the producer's queries use too (the same session and
    transaction: rows the caller wrote and has not committed are seen), shared as Django's live server shares one
    (``inc_thread_sharing``). psycopg serialises the two threads' statements on it; the caller should leave the
    connection to the producer while it runs."""
    results: queue.Queue = queue.Queue(maxsize=max(ahead, 1))
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                results.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        iterator = None
        try:
            if db is not None:
                connections[db.alias] = db
            iterator = iter(items)
            for item in iterator:
                if not put(item):
                    return
            put(_DONE)
        except BaseException as err:  # handed to the consumer, raised there
            put(err)
        finally:
            try:
                if close := getattr(iterator, "close", None):
                    close()  # a generator stopped early ends here, in the thread that ran it (a cursor closes now)
            except Exception:
                logger.exception("%s: closing the producer failed", name)
            if db is not None:
                del connections[db.alias]  # never closed here: the connection is the caller's

    if db is not None:
        db = connections[db.alias]  # the calling thread's wrapper itself, not the ``django.db.connection`` proxy
        db.inc_thread_sharing()
    worker = threading.Thread(target=produce, name=name, daemon=True)
    worker.start()
    try:
        while True:
            item = results.get()
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()
        if db is not None:
            db.dec_thread_sharing()
