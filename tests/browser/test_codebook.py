"""The codebook in Chromium: a supervisor writes a theme's rules and pins an accepted span as an example; an analyst
reads it as a page (in the navigation) and in the workspace's Codebook tab; the history says who and when."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.annotations.models import Annotation, Theme
from apps.annotations.services import annotation_create
from apps.assignments.models import Assignment
from tests.browser.conftest import login
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Both leaders called for a multipolar world in which no single country dictates the rules.\n"
    "\n"
    "They also discussed energy cooperation and the Power of Siberia 2 pipeline."
)


@pytest.fixture
def setup(db):
    call_command("loaddata", "themes", verbosity=0)
    UserFactory(username="sue", role="Supervisor", first_name="Susanna", last_name="Reviewer")
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(title="Leaders call for a multipolar world", text=TEXT)
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    parent = Theme.objects.get(slug="multipolarity")
    parent.save()  # fixtures load without history: the record the first edit is compared with
    child = Theme.objects.exclude(pk=parent.pk).order_by("order").first()
    child.parent = parent
    child.save()
    phrase = "a multipolar world in which no single country dictates the rules"
    start = TEXT.index(phrase)
    span, _ = annotation_create(
        article=article, annotator=analyst, start=start, end=start + len(phrase), theme_ids=[parent.pk]
    )
    Annotation.objects.filter(pk=span.pk).update(status=Annotation.Status.ACCEPTED)
    return article, parent, child, span


def test_a_supervisor_writes_the_rules_and_pins_an_example_and_an_analyst_reads_them(page, setup, screenshot):
    article, parent, child, span = setup
    login(page, "sue")
    page.goto("/codebook/")
    expect(page.locator(".mainnav a[aria-current='page']")).to_have_text("Codebook")
    page.locator(f"#codebook-t{parent.pk}-name a").click()
    page.get_by_role("link", name="Edit definition and rules").click()
    page.get_by_label("Definition").fill("A world order with several centres of power instead of one.")
    page.get_by_label("Include rules").fill("Explicit calls for a multipolar world or the end of hegemony.")
    page.get_by_label("Exclude rules").fill("Mentions of BRICS or the SCO alone: code them as multilateral platforms.")
    page.get_by_role("button", name="Save theme").click()
    page.goto(f"/codebook/{parent.pk}/")
    page.locator(f"#candidate-{span.pk}").get_by_role("button", name="Pin as example").click()
    expect(page.locator(".messages")).to_contain_text("Example pinned")
    history = page.locator("#codebook-history")
    expect(history).to_contain_text("Susanna Reviewer pinned an example")
    expect(history).to_contain_text("changed definition, include rules, exclude rules")
    screenshot(page, "theme-page-supervisor")

    page.goto("about:blank")  # nothing of the previous page may set a cookie after this

    page.context.clear_cookies()
    login(page, "ana")
    page.get_by_role("link", name="Codebook").click()
    entry = page.locator(f"#codebook-t{parent.pk}")
    expect(entry.locator(".codebook-include")).to_have_text(
        "Explicit calls for a multipolar world or the end of hegemony."
    )
    expect(entry.locator(".codebook-exclude")).to_contain_text("code them as multilateral platforms")
    # the child theme sits under its parent in the tree
    expect(page.locator(f"#codebook-tree > li:has(#codebook-t{parent.pk}) ul #codebook-t{child.pk}")).to_have_count(1)
    entry.locator("summary", has_text="1 example").click()
    expect(entry.locator(".codebook-example")).to_have_text(span.text)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        screenshot(page, f"codebook-{width}")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/codebook/{parent.pk}/")
    expect(page.get_by_role("button", name="Pin as example")).to_have_count(0)  # read-only for analysts
    expect(page.get_by_role("link", name="Edit definition and rules")).to_have_count(0)
    expect(page.locator("#codebook-history")).to_contain_text("Susanna Reviewer")

    # the workspace's Codebook tab shows the same entry
    page.goto(f"/annotate/{article.pk}/")
    page.wait_for_selector("#workspace[data-ready='1']")
    page.get_by_role("tab", name="Codebook").click()
    tab_entry = page.locator(f"#panel-codebook #codebook-t{parent.pk}")
    expect(tab_entry.locator(".codebook-include")).to_contain_text("Explicit calls for a multipolar world")
    expect(tab_entry.locator("summary", has_text="1 example")).to_be_visible()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"workspace-codebook-tab-{width}")
    assert page.js_errors == []
