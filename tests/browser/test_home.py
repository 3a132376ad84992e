"""An analyst's day starts on My queue: after login and at /, returned work pinned on top with the supervisor's
comment; every user changes their own password from the user menu."""

import datetime

import pytest
from playwright.sync_api import expect

from apps.assignments.models import Assignment
from apps.review.services import assignment_request_changes
from tests.browser.conftest import login
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def day(db):
    sue = UserFactory(username="sue", role="Supervisor", first_name="Susanna", last_name="Reviewer")
    ana = UserFactory(username="ana", role="Analyst")
    Assignment.objects.create(article=ArticleFactory(title="Due soon"), analyst=ana, due_date=datetime.date(2030, 1, 1))
    returned = Assignment.objects.create(
        article=ArticleFactory(title="Sent back"), analyst=ana, state=Assignment.State.SUBMITTED
    )
    assignment_request_changes(assignment=returned, actor=sue, comment="Paragraph 2 is about sanctions, not trade.")
    return ana


def test_an_analyst_lands_on_my_queue_with_returned_work_on_top_and_its_comment(page, day, screenshot):
    login(page, "ana")
    assert page.url.endswith("/review/queue/")
    rows = page.locator("#my-queue tbody tr")
    expect(rows.first).to_contain_text("Sent back")
    expect(rows.first).to_contain_text("Returned to you")
    expect(rows.first.locator(".returned-comment")).to_contain_text("Paragraph 2 is about sanctions, not trade.")
    expect(rows.nth(1)).to_contain_text("Due soon")
    expect(page.locator(".mainnav a[aria-current='page']")).to_have_text("My queue")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"my-queue-{width}")
    page.goto("/")
    assert page.url.endswith("/review/queue/")
    assert page.js_errors == []


def test_a_user_changes_their_password_from_the_user_menu(page, day, screenshot):
    login(page, "ana")
    page.locator(".logout").get_by_role("link", name="Password").click()
    page.get_by_label("Old password").fill("wrong")
    page.get_by_label("New password", exact=True).fill("Harbour-lights-2026")
    page.get_by_label("New password confirmation").fill("Harbour-lights-2026")
    page.get_by_role("button", name="Change password").click()
    expect(page.locator("#password-form [role=alert]")).to_contain_text("old password was entered incorrectly")
    page.get_by_label("Old password").fill("pass-for-tests")
    page.get_by_label("New password", exact=True).fill("Harbour-lights-2026")
    page.get_by_label("New password confirmation").fill("Harbour-lights-2026")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()
    screenshot(page, "password-changed")
    page.goto("about:blank")  # nothing of the previous page may set a cookie after this
    page.context.clear_cookies()
    login(page, "ana", password="Harbour-lights-2026")
    assert page.url.endswith("/review/queue/")
