"""The workspace's picker, sidebar tabs and grouped entity suggestions in Chromium (issue 12)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.annotations.models import Annotation, EntityMention, Theme
from apps.assignments.models import Assignment
from apps.quotes.models import Quote
from tests.browser.conftest import login
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = (
    "China and Russia signed an energy deal in Moscow on Thursday.\n"
    "China said the Ukraine talks would continue, and Russia agreed.\n"
    "Officials in China praised the strategic partnership with Russia."
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
    _, article = setup
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


def mention(article, word, label, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = article.text.index(word, start + 1)
    return EntityMention.objects.create(article=article, label=label, start=start, end=start + len(word), text=word)


def tab_names(page):
    return [" ".join(t.split()) for t in page.get_by_role("tab").all_inner_texts()]


def test_the_sidebar_is_keyboard_switchable_tabs_with_counts_that_follow_the_work(page, setup):
    _, article = setup
    mention(article, "Moscow", "GPE")
    mention(article, "Thursday", "DATE")
    login(page, "ana")
    open_workspace(page, article)
    expect(page.get_by_role("tab", name="Entities")).to_contain_text("2")  # suggestions left to decide
    assert tab_names(page) == ["Spans 0", "Quotes 0", "Entities 2", f"Codebook {Theme.objects.count()}", "Suggestions"]
    expect(page.locator("#panel-spans")).to_be_visible()

    # arrow keys, Home and End move between tabs (roving focus), showing one panel at a time
    spans_tab = page.get_by_role("tab", name="Spans")
    spans_tab.focus()
    page.keyboard.press("ArrowRight")
    quotes_tab = page.get_by_role("tab", name="Quotes")
    expect(quotes_tab).to_be_focused()
    expect(quotes_tab).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-quotes")).to_be_visible()
    expect(page.locator("#panel-spans")).to_be_hidden()
    page.keyboard.press("End")
    expect(page.get_by_role("tab", name="Suggestions")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="Codebook")).to_have_attribute("aria-selected", "true")
    codebook = page.locator("#panel-codebook")
    expect(codebook).to_contain_text("multipolarity")
    assert codebook.locator(".codebook-entry").count() == Theme.objects.count()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("tab", name="Entities")).to_have_attribute("aria-selected", "true")
    # the entity layer shows in the text while its tab is open, though its switch is off
    assert "tab-ent" in page.locator("#article-text").get_attribute("class")
    page.keyboard.press("Home")
    expect(spans_tab).to_have_attribute("aria-selected", "true")
    assert "tab-ent" not in page.locator("#article-text").get_attribute("class")

    # the span count follows a new span; the quote count follows a new quote
    open_picker_on_first_word(page)
    page.keyboard.press("1")
    expect(spans_tab).to_contain_text("1")
    page.locator("#article-text").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.press("q")
    expect(quotes_tab).to_contain_text("1")

    # the open tab is remembered
    page.get_by_role("tab", name="Codebook").click()
    page.reload()
    page.wait_for_selector("#workspace[data-ready='1']")
    expect(page.get_by_role("tab", name="Codebook")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-codebook")).to_be_visible()
    expect(page.locator("#panel-spans")).to_be_hidden()
    assert page.js_errors == []


def test_entity_suggestions_are_grouped_by_surface_form_and_label_and_a_group_is_accepted_at_once(
    page, setup, client, screenshot
):
    _, article = setup
    china = [mention(article, "China", "GPE", nth=i) for i in range(3)]
    china_org = mention(article, "Russia", "ORG", nth=1)
    russia = [mention(article, "Russia", "GPE", nth=i) for i in (0, 2)]
    moscow = mention(article, "Moscow", "GPE")
    login(page, "ana")
    open_workspace(page, article)
    page.get_by_role("tab", name="Entities").click()
    gpe = page.locator("#entity-panel .ent-group[data-label='GPE']")
    rows = gpe.locator(".ent-list > li.ent-form")
    expect(rows).to_have_count(3)  # China ×3, Moscow, Russia ×2: one row per surface form
    assert [" ".join(t.split()) for t in rows.locator(".ent-name").all_inner_texts()] == [
        "China ×3",
        "Moscow",
        "Russia ×2",
    ]
    expect(page.get_by_role("tab", name="Entities")).to_contain_text("7")
    # hovering a group shows the words around its first mention
    assert rows.nth(0).locator(".ent-name").get_attribute("title") == (
        "3 mentions; the first: China and Russia signed an energy deal in Moscow on Thursday."
    )
    assert rows.nth(1).locator(".ent-name").get_attribute("title").startswith("China and Russia signed an energy deal")

    page.get_by_role("button", name="Accept every “China” (GPE)").click()
    for m in china:
        page.wait_for_selector(f"#article-text .ea[data-m~='e{m.pk}']")
    statuses = {m.pk: m.status for m in EntityMention.objects.all()}
    assert statuses == {
        **{m.pk: "accepted" for m in china},
        china_org.pk: "suggested",
        moscow.pk: "suggested",
        **{m.pk: "suggested" for m in russia},
    }
    expect(page.get_by_role("tab", name="Entities")).to_contain_text("4")
    # the accepted group is one row; each mention can still become a span or go back
    accepted = gpe.locator("li.ent-form.accepted")
    expect(accepted).to_have_count(1)
    assert " ".join(accepted.locator(".ent-name").inner_text().split()) == "✓ China ×3"

    page.get_by_role("button", name="Reject every “Russia” (GPE)").click()
    expect(gpe.locator(".ent-list > li.ent-form:not(.accepted)")).to_have_count(1)  # Moscow is left
    assert set(EntityMention.objects.filter(pk__in=[m.pk for m in russia]).values_list("status", flat=True)) == {
        "rejected"
    }
    assert EntityMention.objects.get(pk=china_org.pk).status == "suggested"
    screenshot(page, "entity-groups-decided")

    # only those who may write the article may decide: another analyst is refused
    client.force_login(UserFactory(username="other", role="Analyst"))
    refused = client.post(
        f"/annotate/{article.pk}/entities/surface/", {"label": "GPE", "text": "Moscow", "status": "accepted"}
    )
    assert refused.status_code == 403
    assert EntityMention.objects.get(pk=moscow.pk).status == "suggested"
    assert page.js_errors == []


def test_question_mark_lists_every_shortcut_and_escape_gives_the_focus_back(page, setup):
    _, article = setup
    Theme.objects.filter(name="global governance reform").update(shortcut="g")
    login(page, "ana")
    open_workspace(page, article)
    page.locator("#article-text").focus()
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    text = dialog.inner_text()
    for theme in Theme.objects.exclude(shortcut=""):
        assert f"{theme.shortcut}\n{theme.name}" in text or f"{theme.shortcut}\t{theme.name}" in text, theme.name
    assert "Mark the selection as a quote" in text and "Undo the last span or quote action" in text
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert page.evaluate("document.activeElement.id") == "article-text"
    # the same list from a button, for mouse users
    page.get_by_role("button", name="All shortcuts").click()
    expect(dialog).to_be_visible()
    page.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    assert page.js_errors == []


def test_submitting_asks_for_confirmation_with_the_number_of_spans(page, setup):
    _, article = setup
    login(page, "ana")
    open_workspace(page, article)
    messages = []

    def answer(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("#submit-review").click()
    expect(page.locator("#submit-review")).to_be_visible()
    assert len(messages) == 1 and "no spans" in messages[0] and "0 spans" in messages[0]

    open_picker_on_first_word(page)
    page.keyboard.press("1")
    expect(page.locator("#my-span-count")).to_have_text("1")
    page.locator("#submit-review").click()
    assert len(messages) == 2 and "your 1 span?" in messages[1]
    assert Assignment.objects.get(article=article).state == "in_progress"  # dismissed: nothing submitted
    assert page.js_errors == []


def test_the_picker_shows_child_themes_under_their_parent_and_recently_used_themes_first(page, setup):
    _, article = setup
    parent = Theme.objects.get(name="multipolarity")
    child = Theme.objects.get(name="global governance reform")
    child.parent = parent
    child.save()
    login(page, "ana")
    open_workspace(page, article)
    open_picker_on_first_word(page)
    ids = page.locator("#picker-list li[data-theme]").evaluate_all("els => els.map(e => +e.dataset.theme)")
    assert ids[ids.index(parent.pk) + 1] == child.pk
    expect(page.locator(f"#picker-t{child.pk}")).to_have_class("child")
    page.keyboard.type("multipolarity")  # the child is found by its parent's name too
    visible = [li.get_attribute("data-theme") for li in page.locator("#picker-list li").all() if li.is_visible()]
    assert visible == [str(parent.pk), str(child.pk)]
    page.keyboard.press("Escape")

    # tag a word with theme 5, then the next word with theme 3 (keyboard: the caret stays after each span)
    page.locator("#article-text").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.press("5")
    expect(page.locator("#my-span-count")).to_have_text("1")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.keyboard.press("3")
    expect(page.locator("#my-span-count")).to_have_text("2")
    assert [a.themes.get().shortcut for a in Annotation.objects.order_by("id")] == ["5", "3"]
    # the picker now starts with the last used theme, then the one before
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_selector("#picker:not([hidden])")
    first = page.locator("#picker-list li[data-theme]").evaluate_all("els => els.slice(0, 3).map(e => e.dataset.key)")
    assert first[:2] == ["3", "5"]
    expect(page.locator("#picker-list li.recent")).to_have_count(2)
    assert page.js_errors == []


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_span_creation_and_deletion(page, setup):
    _, article = setup
    login(page, "ana")
    open_workspace(page, article)
    count = page.locator("#my-span-count")
    open_picker_on_first_word(page)
    page.keyboard.press("1")
    expect(count).to_have_text("1")
    span = Annotation.objects.get()
    highlight = page.locator(f"#article-text [data-m~='a{span.pk}']")
    expect(highlight).to_have_count(1)

    page.locator("#article-text").focus()
    page.keyboard.press("Control+z")  # undo the creation: the span is deleted
    expect(count).to_have_text("0")
    expect(highlight).to_have_count(0)
    span.refresh_from_db()
    assert span.deleted_at is not None

    page.locator("#article-text").focus()
    page.keyboard.press("Control+Shift+z")  # redo: it is back, the same span
    expect(count).to_have_text("1")
    expect(highlight).to_have_count(1)
    span.refresh_from_db()
    assert span.deleted_at is None

    # a deletion from the editor is undone the same way (the editor the click opens, not the one the redo left)
    highlight.first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Delete span").click()
    expect(count).to_have_text("0")
    page.wait_for_load_state("networkidle")
    page.locator("#article-text").focus()
    page.keyboard.press("Control+z")
    expect(count).to_have_text("1")
    span.refresh_from_db()
    assert span.deleted_at is None
    # redo deletes it again; then there is nothing left to redo, and the toast says so
    page.locator("#article-text").focus()
    page.keyboard.press("Control+Shift+z")
    expect(count).to_have_text("0")
    page.locator("#article-text").focus()
    page.keyboard.press("Control+Shift+z")
    expect(page.locator("#toast")).to_have_text("Nothing to redo.")
    span.refresh_from_db()
    assert span.deleted_at is not None
    assert page.js_errors == []


def test_keys_for_entities_quotes_next_article_and_submit(page, setup):
    analyst, article = setup
    second = ArticleFactory(title="Second article", text="Another text about trade.")
    Assignment.objects.create(article=second, analyst=analyst)
    moscow = mention(article, "Moscow", "GPE")
    start = article.text.index("the Ukraine talks")
    quote = Quote.objects.create(article=article, start=start, end=start + 17, text="the Ukraine talks")
    login(page, "ana")
    open_workspace(page, article)

    # a click on an entity opens the chooser: "a" accepts it
    page.locator(f"#article-text [data-m~='e{moscow.pk}']").click()
    expect(page.locator("#chooser")).to_be_visible()
    page.keyboard.press("a")
    page.wait_for_selector(f"#article-text .ea[data-m~='e{moscow.pk}']")
    assert EntityMention.objects.get(pk=moscow.pk).status == "accepted"

    # a click on a quote: "c" confirms it (through the quotes panel's form)
    page.locator("#quotes-panel .qp-quote").first.wait_for(state="attached")
    page.locator(f"#article-text [data-m~='q{quote.pk}']").first.click()
    expect(page.locator("#chooser").get_by_role("button", name="Confirm quote")).to_be_visible()
    page.keyboard.press("c")
    page.wait_for_selector(f"#qp-quote-{quote.pk}.is-confirmed", state="attached")
    quote.refresh_from_db()
    assert quote.confirmed

    # Shift+S asks before submitting; "n" opens the next article of the queue
    messages = []
    page.on("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    # the confirmation's swaps (panel, progress, submit button) must be done, or the key can land mid-swap
    expect(page.locator("#chooser")).to_be_hidden()
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-request, .htmx-swapping')")
    page.locator("#article-text").focus()
    page.keyboard.press("Shift+S")
    for _ in range(100):  # the question may come after press() returns: wait for it (5 s at most)
        if messages:
            break
        page.wait_for_timeout(50)
    assert len(messages) == 1 and "Submit" in messages[0]
    page.locator("#article-text").focus()
    with page.expect_navigation():
        page.keyboard.press("n")
    assert page.url.endswith(f"/annotate/{second.pk}/")
    assert page.js_errors == []


def test_opening_the_picker_far_from_where_it_was_last_does_not_scroll_the_page(page, setup):
    analyst, _ = setup
    text = "\n".join(f"Paragraph {i} speaks of trade, energy and security between the two sides." for i in range(60))
    article = ArticleFactory(title="Long", text=text)
    Assignment.objects.create(article=article, analyst=analyst)
    login(page, "ana")
    open_workspace(page, article)
    page.locator("#article-text").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # the picker opens at the top of the text
    page.wait_for_selector("#picker:not([hidden])")
    page.keyboard.press("Escape")

    # select a word near the end with the mouse, as a user would after scrolling down
    start = text.index("Paragraph 55")
    box = page.evaluate(
        """async ([s, e]) => { const c = document.getElementById('article-text');
             ReadoutOffsets.offsetsToRange(c, s, e).startContainer.parentElement.scrollIntoView({block: 'center'});
             // paragraphs drawn on demand (content-visibility) settle their height in the next frames
             for (let i = 0; i < 3; i++) await new Promise(f => requestAnimationFrame(f));
             const b = ReadoutOffsets.offsetsToRange(c, s, e).getClientRects()[0];
             return {x: b.x, y: b.y, w: b.width, h: b.height}; }""",
        [start, start + 9],
    )
    page.mouse.dblclick(box["x"] + box["w"] / 2, box["y"] + box["h"] / 2)
    page.wait_for_selector("#picker:not([hidden])")
    # the selected word has not moved on screen, and the picker opened right below it
    word = page.evaluate(
        "(() => { const b = getSelection().getRangeAt(0).getClientRects()[0]; return [b.y, b.bottom]; })()"
    )
    assert abs(word[0] - box["y"]) < 2
    picker = page.locator("#picker").bounding_box()
    assert 0 <= picker["y"] - word[1] <= 12
    assert page.js_errors == []
