"""The assign page with context (who has each article, open workload, length) and double-coding by rule; the
dashboard's per-day chart. Screenshots at 1280 and 390 px."""

import pytest
from playwright.sync_api import expect

from apps.assignments.models import Assignment
from apps.assignments.services import assignment_transition
from tests.browser.conftest import login
from tests.browser.test_layout import OVERFLOW, WIDEST
from tests.factories import ArticleFactory, AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
S = Assignment.State


@pytest.mark.parametrize("width", [1280, 390])
def test_assign_page_shows_context_and_double_codes_by_rule(page, screenshot, width):
    sue = UserFactory(username="sue", role="Supervisor")
    ana = UserFactory(username="ana", role="Analyst", first_name="Ana", last_name="Lopez")
    UserFactory(username="bob", role="Analyst", first_name="Bob", last_name="Stone")
    UserFactory(username="cy", role="Analyst", first_name="Cy", last_name="Young")
    busy = [AssignmentFactory(analyst=ana, article__title=f"Ana's work {i}") for i in range(2)]
    started = ArticleFactory(title="Summit in Kazan ends with a declaration", n_words=1240)
    AssignmentFactory(article=started, analyst=ana, state=S.SUBMITTED)
    for i in range(3):
        ArticleFactory(title=f"New article {i}", n_words=300 + i)
    done = AssignmentFactory(analyst=ana, state=S.SUBMITTED, article__title="Finished piece")
    assignment_transition(assignment=done, to_state=S.APPROVED, actor=sue)

    page.set_viewport_size({"width": width, "height": 900})
    login(page, "sue")
    page.goto("/review/assign/")
    expect(page.get_by_test_id("workload-ana")).to_have_text("2 open")
    expect(page.get_by_test_id("workload-bob")).to_have_text("0 open")
    row = page.locator("#results tbody tr", has_text="Summit in Kazan")
    expect(row).to_contain_text("1240")
    expect(row.locator(".assignees")).to_contain_text("Ana Lopez")
    expect(page.locator("#results tbody tr", has_text="New article 0").locator(".assignees")).to_contain_text("nobody")
    assert page.evaluate(OVERFLOW), page.evaluate(WIDEST)
    screenshot(page, f"context-{width}")

    page.fill("#id_k", "2")
    page.locator("#rule-double").click()
    expect(page.locator(".messages")).to_contain_text("Double-coding:")
    articles = Assignment.objects.values("article").distinct().count()
    per_article = {
        a: set(Assignment.objects.filter(article_id=a).values_list("analyst__username", flat=True))
        for a in Assignment.objects.values_list("article_id", flat=True)
    }
    assert articles >= 6 and all(len(names) >= 2 for names in per_article.values())
    # least busy first: ana started with 2 open assignments, and the 10 new ones even the load out
    for name in ("ana", "bob", "cy"):
        expect(page.get_by_test_id(f"workload-{name}")).to_have_text("4 open")
    expect(page.locator("#results tbody tr", has_text="New article 0").locator(".assignees .state")).to_have_count(2)
    screenshot(page, f"double-coded-{width}")
    assert busy and page.js_errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_dashboard_shows_a_per_day_chart_and_waiting_longest_starts_with_submitted(page, screenshot, width):
    sue = UserFactory(username="sue", role="Supervisor")
    ana = UserFactory(username="ana", role="Analyst")
    for i in range(3):
        a = AssignmentFactory(analyst=ana, state=S.SUBMITTED, article__title=f"Submitted {i}")
        if i == 0:
            assignment_transition(assignment=a, to_state=S.APPROVED, actor=sue)
    AssignmentFactory(analyst=ana, state=S.ASSIGNED, article__title="Not started")
    Assignment.objects.filter(article__title="Not started").update(updated_at="2020-01-01T00:00:00Z")
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "sue")
    page.goto("/review/")
    chart = page.locator("#per-day svg")
    expect(chart).to_be_visible()
    assert chart.locator("rect.bar-approved").count() == 14
    assert chart.locator('rect.bar-submitted[height="0"]').count() == 14  # events were made as SUBMITTED rows
    expect(page.locator("#per-day figcaption")).to_contain_text("1 in all")
    first = page.locator("#queue-list tbody tr").first
    expect(first).to_contain_text("Submitted")  # not the older, unstarted assignment
    assert page.evaluate(OVERFLOW), page.evaluate(WIDEST)
    screenshot(page, f"dashboard-{width}")
