"""The assign page's context and rules (apps/review/assign_rules.py, the assign view)."""

import re

import pytest
from django.urls import reverse

from apps.annotations.services import annotation_create
from apps.assignments.models import Assignment
from apps.review.assign_rules import articles_needing_tiebreak
from tests.factories import ArticleFactory, AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Assignment.State
TEXT = "Xi met Putin in Moscow. They talked about trade and energy. Sanctions were not discussed."


def _mark(article, user, fragment, theme):
    start = article.text.index(fragment)
    annotation_create(article=article, annotator=user, start=start, end=start + len(fragment), theme_ids=[theme.pk])


@pytest.fixture
def coded(themes):
    ana, bob, cy = (UserFactory(username=n, role="Analyst") for n in ("ana", "bob", "cy"))
    agree = ArticleFactory(text=TEXT, title="Agreed")
    disagree = ArticleFactory(text=TEXT + " Talks went on.", title="Disputed")
    for article in (agree, disagree):
        for user in (ana, bob):
            AssignmentFactory(article=article, analyst=user, state=S.SUBMITTED)
    for user in (ana, bob):
        _mark(agree, user, "Xi met Putin", themes[0])
    _mark(disagree, ana, "Xi met Putin", themes[0])
    _mark(disagree, bob, "Sanctions were not discussed", themes[1])
    return {"ana": ana, "bob": bob, "cy": cy, "agree": agree, "disagree": disagree}


def test_tiebreak_finds_articles_whose_two_analysts_disagree(coded):
    low = articles_needing_tiebreak([coded["agree"].pk, coded["disagree"].pk], threshold=0.6)
    assert low == {coded["disagree"].pk: 0.0}


def test_the_assign_page_adds_a_tiebreaker_by_rule(client_for, supervisor, coded):
    client = client_for(supervisor)
    response = client.post(reverse("review:assign"), {"scope": "tiebreak", "threshold": "0.6"}, follow=True)
    assert "Tie-breaker: a third analyst on 1 article(s) with agreement below 0.60." in response.content.decode()
    assert list(coded["disagree"].assignments.values_list("analyst__username", flat=True).order_by("analyst")) == [
        "ana",
        "bob",
        "cy",
    ]
    assert coded["agree"].assignments.count() == 2
    again = client.post(reverse("review:assign"), {"scope": "tiebreak", "threshold": "0.6"}, follow=True)
    assert "No matching article has two analysts" in again.content.decode()  # three analysts now: no more


def test_the_assign_page_double_codes_by_rule_and_shows_context(client_for, supervisor, coded):
    fresh = ArticleFactory(title="Fresh one", n_words=321)
    client = client_for(supervisor)
    ticked = [coded["bob"].pk, coded["cy"].pk]
    response = client.post(reverse("review:assign"), {"scope": "double", "k": "2", "analysts": ticked}, follow=True)
    assert "Double-coding: 2 assignments made, 2 analysts per article." in response.content.decode()
    assert set(fresh.assignments.values_list("analyst__username", flat=True)) == {"bob", "cy"}
    page = client.get(reverse("review:assign")).content.decode()
    assert re.search(r'data-testid="workload-cy"[^>]*>1 open<', page)
    assert re.search(r'data-testid="workload-ana"[^>]*>0 open<', page)
    row = page.split("Fresh one", 2)[2].split("</tr>", 1)[0]
    assert ">321<" in row and "bob" in row and "cy" in row
    bad = client.post(reverse("review:assign"), {"scope": "double", "k": "x"})
    assert bad.status_code in (302, 400)


def test_dashboard_draws_the_per_day_chart_or_says_nothing_happened(client_for, supervisor, coded):
    from apps.assignments.services import assignment_transition

    client = client_for(supervisor)
    empty = client.get(reverse("review:dashboard")).content.decode()
    assert "Nothing was submitted or approved in the last 14 days." in empty and "<svg" not in empty
    assignment = coded["agree"].assignments.first()
    assignment_transition(assignment=assignment, to_state=S.APPROVED, actor=supervisor)
    page = client.get(reverse("review:dashboard")).content.decode()
    chart = page.split('id="per-day"', 1)[1].split("</figure>", 1)[0]
    assert "<svg" in chart and chart.count('class="bar-approved"') == 14 and 'height="100"' in chart
    assert "1 in all" in chart
