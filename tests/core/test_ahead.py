import threading

import pytest
from django.db import connection

from apps.core.ahead import read_ahead
from apps.corpus.models import Outlet


def _threads(name: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == name]


def test_items_come_in_order_from_another_thread():
    seen = []

    def produce():
        for i in range(50):
            seen.append(threading.current_thread().name)
            yield i

    assert list(read_ahead(produce(), ahead=3, name="ahead-order")) == list(range(50))
    assert set(seen) == {"ahead-order"}
    assert not _threads("ahead-order")


def test_the_producers_error_is_raised_at_the_item_it_stopped_at():
    def produce():
        yield 1
        raise ValueError("bad record")

    items = read_ahead(produce(), ahead=4, name="ahead-error")
    assert next(items) == 1
    with pytest.raises(ValueError, match="bad record"):
        next(items)
    assert not _threads("ahead-error")


def test_closing_early_ends_the_producer_in_its_own_thread():
    ended = []

    def produce():
        try:
            yield from range(10_000)
        finally:
            ended.append(threading.current_thread().name)

    items = read_ahead(produce(), ahead=2, name="ahead-close")
    assert next(items) == 0
    items.close()
    assert ended == ["ahead-close"]  # closed by the thread that ran it, before close() returned
    assert not _threads("ahead-close")


@pytest.mark.django_db
def test_a_shared_connection_sees_the_callers_uncommitted_rows_and_is_handed_back():
    Outlet.objects.create(name="Only in this test's transaction")

    def produce():
        yield list(Outlet.objects.values_list("name", flat=True))

    assert list(read_ahead(produce(), ahead=1, name="ahead-db", db=connection)) == [["Only in this test's transaction"]]
    assert not connection.allow_thread_sharing
    assert Outlet.objects.count() == 1  # the caller's connection still works, in the same transaction
