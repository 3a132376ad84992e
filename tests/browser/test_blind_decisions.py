"""Blind double annotation in Chromium: two analysts decide differently on one entity suggestion, each sees only
their own decision in the workspace, and the reviewer sees both side by side on the review page and decides."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.annotations.models import EntityDecision, EntityMention
from apps.assignments.models import Assignment
from apps.quotes import services as quote_services
from apps.quotes.models import Quote, Speaker
from tests.browser.conftest import login
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "Xi Jinping met Vladimir Putin in Moscow on Thursday.\n"
    "Xi Jinping said cooperation is key, and Putin agreed that the talks went well."
)


def open_entities(page, article):
    page.goto(f"/annotate/{article.pk}/")
    page.wait_for_selector("#workspace[data-ready='1']")
    page.get_by_role("tab", name="Entities").click()
    page.wait_for_selector("#entity-panel .ent-group[data-label='GPE']")


def test_two_analysts_decide_blind_and_the_reviewer_sees_both_and_decides(page, screenshot):
    call_command("loaddata", "themes", verbosity=0)
    UserFactory(username="sue", role="Supervisor", first_name="Sue")
    ana = UserFactory(username="ana", role="Analyst", first_name="Ana")
    bob = UserFactory(username="bob", role="Analyst", first_name="Bob")
    article = ArticleFactory(title="Xi and Putin meet", text=TEXT)
    for user in (ana, bob):
        Assignment.objects.create(article=article, analyst=user)
    start = TEXT.index("Moscow")
    moscow = EntityMention.objects.create(article=article, label="GPE", start=start, end=start + 6, text="Moscow")
    q_start, q_end = TEXT.index("cooperation"), TEXT.index(" is key") + len(" is key")
    quote = Quote.objects.create(
        article=article,
        speaker=Speaker.objects.create(name="Xi Jinping"),
        start=q_start,
        end=q_end,
        text=TEXT[q_start:q_end],
        kind="indirect",
        confidence=0.9,
    )

    # Ana accepts "Moscow" in her workspace; the mark appears for her
    login(page, "ana")
    open_entities(page, article)
    page.get_by_role("button", name="Accept Moscow", exact=True).click()
    page.wait_for_selector(f"#article-text .ea[data-m~='e{moscow.pk}']")
    # Bob still sees spaCy's suggestion, not Ana's decision, and rejects it
    page.goto("about:blank")  # nothing of the previous page may set a cookie after this
    page.context.clear_cookies()
    login(page, "bob")
    open_entities(page, article)
    gpe = page.locator("#entity-panel .ent-group[data-label='GPE']")
    expect(gpe.locator("li.ent-form.accepted")).to_have_count(0)
    page.get_by_role("button", name="Reject Moscow", exact=True).click()
    expect(gpe.locator(".ent-list > li.ent-form")).to_have_count(0)
    assert dict(EntityDecision.objects.values_list("analyst__username", "status")) == {
        "ana": "accepted",
        "bob": "rejected",
    }
    moscow.refresh_from_db()
    assert moscow.status == "suggested"  # nobody's decision overwrote the other's
    # their quote corrections differ too (through the service the quotes panel calls)
    quote_services.quote_delete(quote=quote, version=1, actor=bob)
    quote_services.quote_confirm(quote=quote, version=1, actor=ana)

    # the reviewer sees both side by side on the review page and decides
    page.goto("about:blank")  # nothing of the previous page may set a cookie after this
    page.context.clear_cookies()
    login(page, "sue")
    page.goto(f"/review/articles/{article.pk}/")
    table = page.locator("#analyst-decisions #entity-decisions")
    row = table.locator(f"tr[data-mention='{moscow.pk}']")
    expect(row).to_contain_text("accepted")
    expect(row).to_contain_text("rejected")
    quotes = page.locator("#analyst-decisions #quote-decisions")
    expect(quotes.locator(f"tr[data-quote='q{quote.pk}']")).to_contain_text("deleted")
    expect(quotes.locator(f"tr[data-quote='q{quote.pk}']")).to_contain_text("confirmed")
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "review-1280")
    row.get_by_role("button", name="Accept").click()
    expect(page.locator("#analyst-decisions .notice")).to_contain_text("“Moscow” is now accepted.")
    moscow.refresh_from_db()
    assert moscow.status == "accepted"
    page.set_viewport_size({"width": 390, "height": 900})
    screenshot(page, "review-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert EntityDecision.objects.filter(analyst__in=[ana, bob]).count() == 2  # both kept
    assert page.js_errors == []
