"""Quote work in the workspace (issue 12): edit forms load on demand, quote work moves the assignment to in
progress, and Ctrl+Z / Ctrl+Shift+Z undo and redo quote actions like span actions."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.assignments.models import Assignment
from apps.quotes import services
from apps.quotes.models import Quote, QuoteCorrection, Speaker
from tests.browser.conftest import login
from tests.browser.test_workspace import drag_select, offsets
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "“We will stand together,” Xi Jinping said on Thursday.\n"
    "\n"
    "Both leaders praised the strategic partnership and called for a multipolar world order."
)


@pytest.fixture
def setup(db):
    call_command("loaddata", "themes", verbosity=0)
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(title="Leaders meet", text=TEXT)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    xi = Speaker.objects.create(name="Xi Jinping")
    start, end = offsets(article, "We will stand together,")
    quote = Quote.objects.create(article=article, speaker=xi, start=start, end=end, text=article.text[start:end])
    return article, assignment, quote, xi


def open_quotes(page, article):
    page.goto(f"/annotate/{article.pk}/")
    page.wait_for_selector("#workspace[data-ready='1']")
    page.get_by_role("tab", name="Quotes").click()
    page.wait_for_selector("#quotes-panel-body")


def undo(page, redo=False):
    page.locator("#article-text").focus()
    page.keyboard.press("Control+Shift+z" if redo else "Control+z")


def test_edit_forms_load_on_demand_and_close(page, setup, screenshot):
    article, _, quote, _ = setup
    login(page, "ana")
    open_quotes(page, article)
    card = page.locator(f"#qp-quote-{quote.pk}")
    expect(page.locator("#quotes-panel input[name=new_name]")).to_have_count(0)  # nothing hidden in the panel
    card.get_by_role("link", name="Edit").click()
    expect(card.locator("input[name=new_name]")).to_be_visible()
    expect(card.locator("summary", has_text="Fix span")).to_be_visible()
    screenshot(page, "quote-edit-open")
    card.get_by_role("button", name="Close").click()
    expect(card.locator("input[name=new_name]")).to_have_count(0)
    assert page.js_errors == []


def test_quote_work_moves_the_assignment_to_in_progress_and_ctrl_z_undoes_it_step_by_step(page, setup):
    article, assignment, quote, xi = setup
    login(page, "ana")
    open_quotes(page, article)
    card = page.locator(f"#qp-quote-{quote.pk}")

    # confirm: the assignment is now in progress, as with span work
    card.get_by_role("button", name="Confirm").click()
    expect(card.locator(".qp-confirmed")).to_be_visible()
    assignment.refresh_from_db()
    assert assignment.state == "in_progress"
    expect(page.locator("#ws-progress .state-in_progress")).to_have_text("In progress")  # the box follows

    # re-attribute to nobody, then undo and redo it
    card.get_by_role("link", name="Edit").click()
    card.get_by_role("button", name="Mark as unattributed").click()
    expect(card.locator(".qp-unattributed")).to_be_visible()
    undo(page)
    expect(card.locator(".qp-speaker")).to_have_text("Xi Jinping")
    quote.refresh_from_db()
    assert quote.speaker == xi
    undo(page, redo=True)
    expect(card.locator(".qp-unattributed")).to_be_visible()
    quote.refresh_from_db()
    assert quote.speaker is None

    # delete, undo (restored), redo (deleted again), undo
    card.get_by_role("button", name="Delete").click()
    expect(card).to_have_count(0)
    undo(page)
    expect(card).to_have_count(1)
    quote.refresh_from_db()
    assert quote.deleted_at is None
    undo(page, redo=True)
    expect(card).to_have_count(0)
    undo(page)
    expect(card).to_have_count(1)

    # a quote added from a selection with "q" is taken back by Ctrl+Z and comes back with Ctrl+Shift+Z
    page.wait_for_load_state("networkidle")  # the text has re-rendered after the last step: select in the new one
    drag_select(page, article, "strategic", "partnership")
    page.wait_for_selector("#picker:not([hidden])")
    page.keyboard.press("q")
    added = page.locator("#quotes-panel .qp-quote", has_text="strategic partnership")
    expect(added).to_have_count(1)
    new = Quote.objects.exclude(pk=quote.pk).get()  # the added one
    undo(page)
    expect(added).to_have_count(0)
    new.refresh_from_db()
    assert new.deleted_at is not None
    undo(page, redo=True)
    expect(added).to_have_count(1)
    new.refresh_from_db()
    assert new.deleted_at is None
    page.wait_for_load_state("networkidle")  # nothing left in flight when the test's database goes
    assert page.js_errors == []


def test_ctrl_z_unconfirms_a_confirmation_and_ctrl_shift_z_confirms_it_again(page, setup, screenshot):
    article, _, quote, _ = setup
    login(page, "ana")
    open_quotes(page, article)
    card = page.locator(f"#qp-quote-{quote.pk}")

    # confirm with the "c" key of the chooser that a click on the quote in the text opens
    page.locator(f'#article-text [data-m~="q{quote.pk}"]').first.click()
    expect(page.locator("#chooser").get_by_role("button", name="Confirm quote")).to_be_focused()
    page.keyboard.press("c")
    expect(card.locator(".qp-confirmed")).to_be_visible()
    expect(card.get_by_role("button", name="Unconfirm")).to_be_visible()
    quote.refresh_from_db()
    assert quote.confirmed

    undo(page)
    expect(card.locator(".qp-unconfirmed")).to_be_visible()
    expect(card.get_by_role("button", name="Confirm", exact=True)).to_be_visible()
    quote.refresh_from_db()
    assert (quote.confirmed, quote.confirmed_by_id) == (False, None)

    undo(page, redo=True)
    expect(card.locator(".qp-confirmed")).to_be_visible()
    quote.refresh_from_db()
    assert quote.confirmed and quote.confirmed_by.username == "ana"
    page.set_viewport_size({"width": 1280, "height": 900})
    card.scroll_into_view_if_needed()
    screenshot(page, "redone-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    card.scroll_into_view_if_needed()
    expect(card.get_by_role("button", name="Unconfirm")).to_be_visible()
    screenshot(page, "redone-390")
    page.wait_for_load_state("networkidle")  # nothing left in flight when the test's database goes
    assert page.js_errors == []


def test_an_unconfirm_by_hand_is_undone_by_ctrl_z_and_redone_by_ctrl_shift_z(page, setup):
    article, _, quote, _ = setup
    Quote.objects.filter(pk=quote.pk).update(confirmed=True, version=2)
    login(page, "ana")
    open_quotes(page, article)
    card = page.locator(f"#qp-quote-{quote.pk}")

    card.get_by_role("button", name="Unconfirm").click()
    expect(card.locator(".qp-unconfirmed")).to_be_visible()
    quote.refresh_from_db()
    assert not quote.confirmed

    undo(page)
    expect(card.locator(".qp-confirmed")).to_be_visible()
    quote.refresh_from_db()
    assert quote.confirmed

    undo(page, redo=True)
    expect(card.locator(".qp-unconfirmed")).to_be_visible()
    quote.refresh_from_db()
    assert not quote.confirmed
    assert [r.history_change_reason for r in quote.history.order_by("history_id")][-3:] == [
        "unconfirmed",
        "confirmed",
        "unconfirmed",
    ]
    page.wait_for_load_state("networkidle")
    assert page.js_errors == []


def test_two_quick_ctrl_z_take_back_a_re_attribution_and_the_confirmation_before_it(page, setup):
    article, _, quote, xi = setup
    login(page, "ana")
    open_quotes(page, article)
    card = page.locator(f"#qp-quote-{quote.pk}")
    card.get_by_role("button", name="Confirm").click()
    expect(card.locator(".qp-confirmed")).to_be_visible()
    card.get_by_role("link", name="Edit").click()
    card.get_by_role("button", name="Mark as unattributed").click()
    expect(card.locator(".qp-unattributed")).to_be_visible()

    undo(page)
    page.keyboard.press("Control+z")  # at once: the second step waits for the first and sends the new version
    expect(card.locator(".qp-unconfirmed")).to_be_visible()
    expect(card.locator(".qp-speaker")).to_have_text("Xi Jinping")
    page.wait_for_load_state("networkidle")
    quote.refresh_from_db()
    assert (quote.speaker, quote.confirmed) == (xi, False)
    assert page.js_errors == []


def test_ctrl_z_after_someone_else_changed_the_quote_refuses_and_says_so(page, setup):
    article, _, quote, _ = setup
    supervisor = UserFactory(username="sue", role="Supervisor")
    login(page, "ana")
    open_quotes(page, article)
    card = page.locator(f"#qp-quote-{quote.pk}")
    card.get_by_role("button", name="Confirm").click()
    expect(card.locator(".qp-confirmed")).to_be_visible()
    quote.refresh_from_db()
    services.quote_update(quote=quote, version=quote.version, actor=supervisor, kind="direct")  # saved elsewhere

    undo(page)
    expect(page.locator("#quotes-panel .qp-conflict")).to_be_visible()
    expect(page.get_by_text("That step can no longer be undone.")).to_be_visible()
    quote.refresh_from_db()
    assert quote.confirmed and quote.kind == "direct"  # nothing overwritten
    page.wait_for_load_state("networkidle")


def test_under_blind_double_annotation_undo_and_redo_of_a_confirmation_stay_in_the_analysts_own_layer(page, setup):
    article, _, quote, _ = setup
    bob = UserFactory(username="bob", role="Analyst")
    Assignment.objects.create(article=article, analyst=bob)  # a second analyst: ana's quote work is her own
    login(page, "ana")
    open_quotes(page, article)
    card = page.locator(f"#qp-quote-{quote.pk}")

    card.get_by_role("button", name="Confirm").click()
    expect(card.get_by_role("button", name="Unconfirm")).to_be_visible()
    correction = QuoteCorrection.objects.get(quote=quote, analyst__username="ana")
    assert correction.confirmed

    undo(page)
    expect(card.locator(".qp-unconfirmed")).to_be_visible()
    correction.refresh_from_db()
    assert not correction.confirmed
    undo(page, redo=True)
    expect(card.locator(".qp-confirmed")).to_be_visible()
    correction.refresh_from_db()
    assert correction.confirmed
    quote.refresh_from_db()
    assert (quote.confirmed, quote.version) == (False, 1)  # the shared quote was never touched
    assert not QuoteCorrection.objects.filter(analyst=bob).exists()
    page.wait_for_load_state("networkidle")
    assert page.js_errors == []
