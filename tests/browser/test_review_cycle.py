"""A full review cycle in Chromium: assign to two analysts, submit, agreement, request changes, resubmit, approve.

Through the UI: assigning (review:assign), submitting from "My queue", the dashboard, the review page (span
decision over HTMX, request changes, approve) and the returned item in the analyst's queue. The analysts' spans
are created with the annotations service (what the workspace calls), so this test doesn't depend on the
workspace's text-selection UI, which has its own browser test.
"""

import pytest

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.assignments.models import Assignment
from apps.assignments.services import assignment_start
from tests.browser.conftest import login
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Xi Jinping and Vladimir Putin pledged to build a multipolar world during talks in Moscow.\n"
    "Both leaders criticised unilateral sanctions and called for reform of global governance.\n"
    "They also agreed to expand energy cooperation and people-to-people exchanges."
)


def switch_user(page, username):
    page.goto("about:blank")  # no request of the previous page may set a cookie after they are cleared
    page.context.clear_cookies()
    login(page, username)


def annotate(article, user, phrase, theme):
    start = article.text.index(phrase)
    span, _ = annotation_create(
        article=article, annotator=user, start=start, end=start + len(phrase), theme_ids=[theme.pk]
    )
    return span


def test_supervisor_assigns_two_analysts_reviews_requests_changes_and_approves(page, screenshot, themes):
    UserFactory(username="sue", role="Supervisor", first_name="Sue")
    ana = UserFactory(username="ana", role="Analyst", first_name="Ana")
    bob = UserFactory(username="bob", role="Analyst", first_name="Bob")
    article = ArticleFactory(title="Xi and Putin meet in Moscow", text=TEXT)
    theme = {t.name: t for t in themes}

    # 1. the supervisor assigns the article to both analysts
    login(page, "sue")
    page.goto("/review/assign/?unassigned=1")
    page.get_by_label(f"Tick {article.title}").check()
    page.locator(".assign-to").get_by_label("Ana").check()
    page.locator(".assign-to").get_by_label("Bob").check()
    page.get_by_role("button", name="Assign ticked articles").click()
    page.wait_for_selector("text=2 assignments created.")
    assert set(Assignment.objects.values_list("analyst__username", flat=True)) == {"ana", "bob"}

    # 2. both annotate (through the service the workspace uses) and submit from their queue
    annotate(article, ana, "multipolar world", theme["multipolarity"])
    annotate(article, ana, "unilateral sanctions", theme["sanctions and tariffs"])
    annotate(article, bob, "multipolar world", theme["multipolarity"])
    annotate(article, bob, "energy cooperation", theme["economic and energy cooperation"])
    for user in (ana, bob):
        assignment_start(assignment=Assignment.objects.get(analyst=user), actor=user)
        switch_user(page, user.username)
        page.goto("/review/queue/")
        row = page.locator("#my-queue tr", has_text=article.title)
        dialogs = []
        page.once("dialog", lambda dialog, seen=dialogs: (seen.append(dialog.message), dialog.accept()))
        row.get_by_role("button", name="Submit").click()
        page.wait_for_selector("text=Submitted for review.")
        assert "read-only until a supervisor returns it" in dialogs[0]
    assert set(Assignment.objects.values_list("state", flat=True)) == {"submitted"}

    # 3. the supervisor sees both in the dashboard and their agreement on the review page
    switch_user(page, "sue")
    page.goto("/review/")
    assert page.locator(".stat-card.state-submitted .stat-n").inner_text() == "2"
    page.wait_for_selector("#agreement-panel #agreement-pairs")  # loaded over HTMX after the page
    assert "Ana · Bob" in page.locator("#agreement-panel #agreement-pairs").inner_text()
    screenshot(page, "dashboard")
    page.locator("#oldest-waiting a", has_text=article.title).first.click()
    page.wait_for_selector("#review-body")
    pairs = page.locator("#agreement-pairs tbody tr").first.inner_text()
    assert "Ana · Bob" in pairs and "0.50" in pairs  # exact F1: 1 shared of 2 + 2 spans = 2·1/4
    assert page.locator(".review-column").count() == 3
    assert page.locator("#review-spans tr.row-diff").count() == 2
    assert page.locator("#review-spans tr.row-agree").count() == 1
    screenshot(page, "review-page")

    # reject Bob's energy span over HTMX: the body updates in place and the history records it
    bob_span = Annotation.objects.get(annotator=bob, text="energy cooperation")
    page.get_by_role("button", name=f"Reject span {bob_span.pk}").click()
    page.wait_for_selector("#review-history >> text=rejected span")
    assert page.locator("#review-spans tr", has_text="energy cooperation").locator(".status-rejected").count() == 1
    bob_span.refresh_from_db()
    assert bob_span.status == "rejected"

    # request changes from Bob
    bob_row = page.locator("#assignments tr[data-analyst=bob]")
    bob_row.locator("textarea").fill("Please also tag the sanctions sentence.")
    bob_row.get_by_role("button", name="Request changes").click()
    page.wait_for_selector("text=Sent back to Bob")
    assert Assignment.objects.get(analyst=bob).state == "changes_requested"

    # 4. Bob sees the returned item with the comment, fixes and resubmits
    switch_user(page, "bob")
    page.goto("/review/queue/")
    row = page.locator("#my-queue tr", has_text=article.title)
    assert "Please also tag the sanctions sentence." in row.inner_text()
    assert "Changes requested" in row.inner_text()
    screenshot(page, "returned-to-analyst")
    annotate(article, bob, "unilateral sanctions", theme["sanctions and tariffs"])
    assignment_start(assignment=Assignment.objects.get(analyst=bob), actor=bob)
    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Submit").click()
    page.wait_for_selector("text=Submitted for review.")

    # 5. the supervisor approves both
    switch_user(page, "sue")
    page.goto(f"/review/articles/{article.pk}/")
    # Bob's fix adds the shared sanctions span: exact F1 = 2·2 / (2 + 3) = 0.80
    assert "0.80" in page.locator("#agreement-pairs tbody tr").first.inner_text()
    # approval decides every span: with undecided spans left, it asks first and approves nothing
    row = page.locator("#assignments tr[data-analyst=ana]")
    row.get_by_role("button", name="Approve").click()
    page.wait_for_selector("text=still undecided")
    assert Assignment.objects.get(analyst=ana).state == "submitted"
    for name in ("ana", "bob"):
        row = page.locator(f"#assignments tr[data-analyst={name}]")
        if row.get_by_test_id("remaining").count():
            row.get_by_test_id("remaining").select_option("accept")
        row.get_by_role("button", name="Approve").click()
        page.wait_for_selector("text=Approved the work of")
    assert set(Assignment.objects.values_list("state", flat=True)) == {"approved"}
    assert not Annotation.objects.filter(annotator__in=[ana, bob], status="pending", deleted_at__isnull=True).exists()
    history = page.locator("#review-history").inner_text()
    assert "Changes requested" in history and history.count("Approved") >= 2
    screenshot(page, "approved")
    assert page.js_errors == []


@pytest.mark.parametrize("width", [1400, 1024])
def test_dashboard_tables_stay_inside_their_columns(page, width):
    UserFactory(username="sue", role="Supervisor", first_name="Sue")
    for name in ("Anastasia-Maria", "Bartholomew"):
        analyst = UserFactory(username=name.lower(), role="Analyst", first_name=name, last_name="Longname")
        Assignment.objects.create(article=ArticleFactory(), analyst=analyst)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "sue")
    page.goto("/review/")
    overflows = page.evaluate("""() => [...document.querySelectorAll('.dash-grid > section')].flatMap(s => {
        const box = s.getBoundingClientRect();
        return [...s.querySelectorAll('table, ol')].filter(t => t.getBoundingClientRect().right > box.right + 1)
                                                  .map(t => t.id); })""")
    assert overflows == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
