"""Assignment with context: open workload, who has each article, double-coding and tie-breakers by rule,
and "waiting longest" starting with submitted work."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from apps.assignments.models import Assignment, AssignmentEvent
from apps.assignments.selectors import article_assign_context, assignment_search, open_workload
from apps.assignments.services import assignments_by_rule, assignments_to_k
from tests.factories import ArticleFactory, AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Assignment.State


@pytest.fixture
def team(db):
    return [UserFactory(username=name, role="Analyst") for name in ("ana", "bob", "cy")]


def test_open_workload_counts_only_open_work(team):
    ana, bob, _cy = team
    for state in (S.ASSIGNED, S.IN_PROGRESS, S.CHANGES_REQUESTED, S.SUBMITTED, S.APPROVED):
        AssignmentFactory(analyst=ana, state=state)
    AssignmentFactory(analyst=bob, state=S.SUBMITTED)
    assert open_workload() == {ana.pk: 3}


def test_article_context_gives_length_and_assignees_in_two_queries(team, django_assert_num_queries):
    ana, bob, _ = team
    article, other = ArticleFactory(n_words=812), ArticleFactory(n_words=40)
    AssignmentFactory(article=article, analyst=bob, state=S.SUBMITTED)
    AssignmentFactory(article=article, analyst=ana)
    with django_assert_num_queries(2):
        ctx = article_assign_context([article.pk, other.pk])
        names = [a.analyst.username for a in ctx[article.pk].assignees]
    assert (ctx[article.pk].n_words, names) == (812, ["ana", "bob"])
    assert (ctx[other.pk].n_words, ctx[other.pk].assignees) == (40, ())


def test_double_coding_tops_each_article_up_to_k_least_busy_first(team):
    ana, bob, cy = team
    busy = [AssignmentFactory(analyst=ana) for _ in range(3)]  # ana has 3 open assignments
    articles = [ArticleFactory() for _ in range(4)]
    AssignmentFactory(article=articles[0], analyst=cy)  # already one analyst: needs one more
    outcome = assignments_to_k(article_ids=[a.pk for a in articles], k=2, analysts=team, assigned_by=None)
    assert outcome.created == 7 and outcome.short == 0
    per_article = {a.pk: set(a.assignments.values_list("analyst__username", flat=True)) for a in articles}
    assert all(len(names) == 2 for names in per_article.values())
    load = open_workload()
    # 7 new assignments spread so that loads end as even as they can: ana started 3 ahead
    assert load[ana.pk] - len(busy) <= 1 and abs(load[bob.pk] - load[cy.pk]) <= 1
    events = AssignmentEvent.objects.filter(comment="Double-coding rule: 2 analysts per article.")
    assert events.count() == 7
    again = assignments_to_k(article_ids=[a.pk for a in articles], k=2, analysts=team, assigned_by=None)
    assert again.created == 0  # idempotent: every article has two


def test_a_rule_never_assigns_an_analyst_twice_and_reports_the_shortfall(team):
    ana, bob, _ = team
    article = ArticleFactory()
    AssignmentFactory(article=article, analyst=ana)
    outcome = assignments_by_rule(wanted={article.pk: 2}, analysts=[ana, bob], assigned_by=None)
    assert (outcome.created, outcome.short) == (1, 1)
    assert article.assignments.count() == 2


def test_rules_refuse_nonsense(team):
    with pytest.raises(ValidationError):
        assignments_to_k(article_ids=[ArticleFactory().pk], k=0, analysts=team, assigned_by=None)
    with pytest.raises(ValidationError):
        assignments_by_rule(wanted={ArticleFactory().pk: 1}, analysts=[], assigned_by=None)


def test_waiting_longest_starts_with_submitted_work(team):
    ana = team[0]
    old_assigned = AssignmentFactory(analyst=ana, state=S.ASSIGNED)
    submitted = AssignmentFactory(analyst=ana, state=S.SUBMITTED)
    older_submitted = AssignmentFactory(analyst=ana, state=S.SUBMITTED)
    Assignment.objects.filter(pk=old_assigned.pk).update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    Assignment.objects.filter(pk=older_submitted.pk).update(updated_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    order = list(assignment_search(sort="age").values_list("pk", flat=True))
    assert order == [older_submitted.pk, submitted.pk, old_assigned.pk]
