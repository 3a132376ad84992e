"""The workspace reads the user's queue and their assignment on the article in one query: the same queue order,
assignment and write decision as queue_for / assignment_for / article_write_access read separately."""

from datetime import date

import pytest

from apps.annotations import selectors
from apps.assignments.models import Assignment
from apps.assignments.selectors import article_write_access, assignment_for, queue_and_assignment, queue_for
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(analyst, other_analyst):
    articles = [ArticleFactory(text=f"Article number {i} says something.") for i in range(6)]
    states = ["assigned", "changes_requested", "submitted", "in_progress", "approved", "assigned"]
    dues = [date(2026, 12, 9), None, None, date(2026, 12, 3), None, None]
    for article, state, due in zip(articles, states, dues):
        Assignment.objects.create(article=article, analyst=analyst, state=state, due_date=due)
    Assignment.objects.create(article=articles[0], analyst=other_analyst, state="assigned")  # not theirs
    return articles


def test_one_query_gives_the_queue_and_the_assignment_that_two_would(work, analyst, django_assert_num_queries):
    expected_queue = list(queue_for(analyst).values_list("article_id", flat=True))
    for article in [*work, ArticleFactory(text="Not assigned to anyone.")]:
        with django_assert_num_queries(1):
            queue, assignment = queue_and_assignment(analyst, article.pk)
        assert queue == expected_queue
        own = assignment_for(analyst, article.pk)
        assert (
            (assignment.pk, assignment.state, assignment.version) == (own.pk, own.state, own.version)
            if own
            else (assignment is None)
        )


def test_the_workspace_decides_write_access_and_neighbours_as_before(work, analyst, supervisor):
    for user in (analyst, supervisor):
        for article in work:
            access, queue = selectors.write_access_and_queue(user=user, article_id=article.pk)
            alone = article_write_access(user=user, article_id=article.pk)
            assert (access.allowed, access.reason) == (alone.allowed, alone.reason)
            assert (access.assignment.pk if access.assignment else None) == (
                alone.assignment.pk if alone.assignment else None
            )
            assert queue == selectors.queue_neighbours(user=user, article_id=article.pk)
    submitted = work[2]
    access, _ = selectors.write_access_and_queue(user=analyst, article_id=submitted.pk)
    assert not access.allowed and "submitted" in access.reason  # read-only under review
