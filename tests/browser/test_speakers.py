"""The speakers page as a supervisor cleans the registry: merge a suggested duplicate in one click, delete a
speaker nobody quotes; nothing overflows at 390 px."""

import pytest

from apps.quotes.models import Quote, Speaker, SpeakerAlias
from tests.browser.conftest import login
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _speaker(name, role="", quotes=0):
    speaker = Speaker.objects.create(name=name, role=role, roles=[role] if role else [])
    SpeakerAlias.objects.create(speaker=speaker, alias=name, alias_key=name.casefold())
    for k in range(quotes):
        article = ArticleFactory()
        Quote.objects.create(article=article, speaker=speaker, start=0, end=5 + k, text=article.text[: 5 + k])
    return speaker


def _no_horizontal_overflow(page):
    from tests.browser.test_layout import OVERFLOW, WIDEST

    page.reload()
    page.wait_for_load_state("networkidle")
    return page.evaluate(OVERFLOW) or (
        page.evaluate("[document.documentElement.scrollWidth, innerWidth]"),
        page.evaluate(WIDEST),
    )


def test_supervisor_merges_a_suggested_duplicate_and_deletes_a_speaker_nobody_quotes(page, screenshot):
    UserFactory(username="sue", role="Supervisor")
    xi = _speaker("Xi Jinping", "Chinese President", quotes=2)
    short = _speaker("Xi", "President", quotes=1)
    _speaker("Volodymyr Zelensky", "Ukrainian President", quotes=1)
    _speaker("Zelenskyy")
    ghost = _speaker("Interpretation")

    login(page, "sue")
    page.goto("/quotes/speakers/")
    pairs = page.locator(".speaker-duplicates .duplicate-pair")
    pairs.first.wait_for()
    assert pairs.count() == 2
    screenshot(page, "duplicates-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _no_horizontal_overflow(page)
    screenshot(page, "duplicates-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # one click merges "Xi" into "Xi Jinping": the page of the survivor says so and holds all three quotes
    page.get_by_role("button", name="Merge Xi into Xi Jinping").click()
    page.wait_for_url(f"**/quotes/speakers/{xi.pk}/")
    assert "merged into “Xi Jinping”" in page.locator(".messages").inner_text()
    assert page.locator(".speaker-quote").count() == 3
    short.refresh_from_db()
    assert short.merged_into_id == xi.pk and Quote.objects.filter(speaker=xi).count() == 3

    # back on the list only the Zelensky pair is left; the speaker nobody quotes can be deleted
    page.goto("/quotes/speakers/")
    page.locator(".speaker-duplicates .duplicate-pair").first.wait_for()
    assert page.locator(".speaker-duplicates .duplicate-pair").count() == 1
    assert page.get_by_role("button", name="Delete Xi Jinping").count() == 0  # it has quotes
    page.get_by_role("button", name="Delete Interpretation").click()
    page.wait_for_selector(".messages :text('Speaker “Interpretation” deleted.')")
    assert page.get_by_role("link", name="Interpretation").count() == 0
    assert not Speaker.objects.filter(pk=ghost.pk).exists()
    assert Speaker.history.filter(id=ghost.pk, history_type="-", history_user__username="sue").exists()
    screenshot(page, "after-delete-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    assert _no_horizontal_overflow(page)
    screenshot(page, "after-delete-390")
    assert page.js_errors == []
