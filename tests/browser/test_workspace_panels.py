"""The workspace's picker, sidebar tabs and grouped entity suggestions in Chromium (issue 12)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.annotations.models import Annotation, EntityMention, Theme
from apps.review.models import Assignment
from tests.browser.conftest import login
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "China and Russia signed an energy deal in Moscow on Thursday.\n"
    "China said the Ukraine talks would continue, and Russia agreed.\n"
    "Officials in China praised the strategic partnership."
)


@pytest.fixture
def setup(db):
    call_command("loaddata", "themes", verbosity=0)
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(title="China and Russia sign a deal", text=TEXT)
    Assignment.objects.create(article=article, analyst=analyst)
    return analyst, article


def open_workspace(page, article):
    page.goto(f"/annotate/{article.pk}/")
    page.wait_for_selector("#workspace[data-ready='1']")


def open_picker_on_first_word(page):
    page.locator("#article-text").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_selector("#picker:not([hidden])")


def test_typing_in_the_picker_filters_the_themes_and_letter_shortcuts_wait_while_it_has_text(page, setup):
    analyst, article = setup
    # letter shortcuts that are also letters of "ukraine": "e" (economic ...) and "n" (global governance ...)
    Theme.objects.filter(name="economic and energy cooperation").update(shortcut="e")
    Theme.objects.filter(name="global governance reform").update(shortcut="n")
    login(page, "ana")
    open_workspace(page, article)
    open_picker_on_first_word(page)
    options = page.locator("#picker-list li[data-theme]")
    assert options.count() == Theme.objects.filter(active=True).count()

    page.keyboard.type("ukrai")  # "u" is no shortcut: it starts the search
    page.keyboard.press("Tab")  # the focus leaves the search box (to "Mark as quote"); the box keeps its text
    assert page.evaluate("document.activeElement.id") != "picker-search"
    page.keyboard.type("ne")  # "n" and "e" are shortcuts: with text in the box they type, they don't fire
    expect(page.locator("#picker-search")).to_have_value("ukraine")
    visible = [li for li in options.all() if li.is_visible()]
    assert [li.inner_text().split("\n")[-1].strip() for li in visible] == ["Ukraine war"]
    assert Annotation.objects.count() == 0
    # the list box says which option Enter picks
    active = page.locator("#picker-list li.active")
    expect(active).to_have_attribute("aria-selected", "true")
    assert page.locator("#picker-search").get_attribute("aria-activedescendant") == active.get_attribute("id")

    # emptying the search shows every theme again, and a letter shortcut then fires
    page.keyboard.press("Control+a")
    page.keyboard.press("Backspace")
    assert sum(1 for li in options.all() if li.is_visible()) == options.count()
    page.keyboard.press("e")
    page.wait_for_selector("#span-list li")
    span = Annotation.objects.get()
    assert [t.name for t in span.themes.all()] == ["economic and energy cooperation"]
    assert page.js_errors == []
