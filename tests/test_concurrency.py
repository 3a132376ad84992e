"""Two users doing the same thing at the same moment (PostgreSQL: real row locks and unique indexes)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from apps.assignments.models import Assignment, AssignmentEvent
from apps.assignments.services import assignments_bulk_create
from apps.core.versions import VersionConflict
from apps.quotes import services as quote_services
from apps.quotes.models import Quote, Speaker
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks")


def _at_once(*calls):
    """Run the calls in threads released together; returns each call's result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test inspects
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def test_two_supervisors_bulk_assigning_the_same_pairs_get_each_pair_once():
    articles = [ArticleFactory().pk for _ in range(30)]
    analysts = [UserFactory(role="Analyst"), UserFactory(role="Analyst")]
    boss = UserFactory(role="Supervisor")

    def assign():
        return assignments_bulk_create(article_ids=articles, analysts=analysts, assigned_by=boss)

    results = _at_once(assign, assign)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(results) == 60
    assert Assignment.objects.count() == 60 and AssignmentEvent.objects.count() == 60


def test_two_analysts_adding_the_same_quote_leave_one_live_quote():
    article = ArticleFactory(text="“We will work together,” Xi said on Friday.")
    users = [UserFactory(role="Analyst"), UserFactory(role="Analyst")]

    def add(user):
        return lambda: quote_services.quote_create(article=article, start=0, end=25, actor=user)

    results = _at_once(add(users[0]), add(users[1]))
    assert sum(isinstance(r, Quote) for r in results) == 1
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], ValidationError) and refused[0].code == "duplicate"
    assert Quote.objects.filter(deleted_at__isnull=True).count() == 1


def test_crossed_speaker_merges_do_not_deadlock():
    boss = UserFactory(role="Supervisor")
    for _ in range(5):
        a, b = Speaker.objects.create(name="Xi Jinping"), Speaker.objects.create(name="Xi")

        def merge(source, target):
            return lambda: quote_services.speaker_merge(source=source, target=target, actor=boss)

        results = _at_once(merge(a, b), merge(b, a))
        assert sum(isinstance(r, Speaker) for r in results) == 1, results
        assert all(isinstance(r, (Speaker, VersionConflict, ValidationError)) for r in results), results
