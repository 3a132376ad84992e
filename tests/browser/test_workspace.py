"""The annotation workspace in Chromium: mouse and keyboard selection, the picker, editing, undo, entities,
two-tab conflicts, failed requests, and code-point offsets with emoji / CJK / combining accents."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from apps.annotations.models import Annotation, EntityMention
from apps.assignments.models import Assignment
from apps.quotes.models import Quote
from tests.browser.conftest import login
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# NFC keeps "ọ̀" as ọ + U+0300 (no precomposed form): a combining accent that survives normalisation.
TEXT = (
    "Talks 🇨🇳🤝 in 北京: 习近平 met Adébáyọ̀ Okafor and Vladimir Putin on Thursday.\n"
    "\n"
    "Both leaders praised the strategic partnership and called for a multipolar world order.\n"
    "The talks covered energy, trade and the Ukraine crisis 𠮷野 noted."
)


@pytest.fixture
def setup(db):
    call_command("loaddata", "themes", verbosity=0)
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(title="Leaders meet in Beijing", text=TEXT)
    assignment = Assignment.objects.create(article=article, analyst=analyst)
    return analyst, article, assignment


def offsets(article, phrase):
    start = article.text.index(phrase)
    return start, start + len(phrase)


def char_box(page, start, end):
    """Viewport rectangle of the text [start, end) (code points), through the page's own converter."""
    return page.evaluate(
        """([s, e]) => { const r = ReadoutOffsets.offsetsToRange(document.getElementById('article-text'), s, e);
                         const b = r.getClientRects()[0]; return {x: b.x, y: b.y, w: b.width, h: b.height}; }""",
        [start, end],
    )


def drag_select(page, article, first_word, last_word, alt=False):
    """Press the mouse in the middle of ``first_word`` and release in the middle of ``last_word``."""
    s = char_box(page, *offsets(article, first_word))
    e = char_box(page, *offsets(article, last_word))
    # exact (Alt) selections go from the left edge of the first to the right edge of the last character
    x0 = s["x"] + (1 if alt else s["w"] / 2)
    x1 = e["x"] + (e["w"] - 1 if alt else e["w"] / 2)
    if alt:
        page.keyboard.down("Alt")
    page.mouse.move(x0, s["y"] + s["h"] / 2)
    page.mouse.down()
    page.mouse.move(x1, e["y"] + e["h"] / 2, steps=5)
    page.mouse.up()
    if alt:
        page.keyboard.up("Alt")


def open_workspace(page, article):
    page.goto(f"/annotate/{article.pk}/")
    page.wait_for_selector("#workspace[data-ready='1']")


def test_mouse_flow_create_reload_second_theme_note_delete_and_undo(page, setup, screenshot):
    analyst, article, assignment = setup
    login(page, "ana")
    open_workspace(page, article)
    screenshot(page, "workspace-empty")

    # drag from the middle of "strategic" to the middle of "partnership": snaps to the whole words
    drag_select(page, article, "strategic", "partnership")
    page.wait_for_selector("#picker:not([hidden])")
    screenshot(page, "picker")
    page.keyboard.press("7")
    page.wait_for_selector("#span-list li")
    span = Annotation.objects.get()
    assert span.text == "strategic partnership"
    assert list(span.themes.values_list("name", flat=True)) == ["strategic partnership and mutual trust"]
    highlight = page.locator(f'#article-text [data-m~="a{span.pk}"]')
    assert highlight.all_inner_texts() == ["strategic partnership"]
    assignment.refresh_from_db()
    assert assignment.state == "in_progress"
    assert page.locator("#my-span-count").inner_text() == "1"

    page.reload()
    page.wait_for_selector("#workspace[data-ready='1']")
    assert page.locator(f'#article-text [data-m~="a{span.pk}"]').all_inner_texts() == ["strategic partnership"]

    # click the highlight: the editor opens; add a second theme and a note
    page.locator(f'#article-text [data-m~="a{span.pk}"]').first.click()
    page.wait_for_selector("#span-editor-body")
    page.get_by_label("multipolarity").check()
    page.fill("#span-editor textarea[name=note]", "Framed as <b>mutual</b> benefit")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("#span-editor .ok")
    span.refresh_from_db()
    assert span.note == "Framed as <b>mutual</b> benefit"
    assert set(span.themes.values_list("name", flat=True)) == {
        "strategic partnership and mutual trust",
        "multipolarity",
    }
    page.locator(f"#s{span.pk}").scroll_into_view_if_needed()  # rows off screen are not rendered (content-visibility)
    expect(page.locator(f"#s{span.pk} .note")).to_have_text("Framed as <b>mutual</b> benefit", use_inner_text=True)
    screenshot(page, "edited")

    # delete, then undo
    page.get_by_role("button", name="Delete span").click()
    page.wait_for_selector("#undo-delete")
    assert page.locator(f"#s{span.pk}").count() == 0
    assert page.locator(f'#article-text [data-m~="a{span.pk}"]').count() == 0
    span.refresh_from_db()
    assert span.deleted_at is not None
    screenshot(page, "deleted")
    page.locator("#undo-delete").click()
    page.wait_for_selector(f"#s{span.pk}")
    assert page.locator(f'#article-text [data-m~="a{span.pk}"]').all_inner_texts() == ["strategic partnership"]
    span.refresh_from_db()
    assert span.deleted_at is None
    assert page.js_errors == []


def test_keyboard_only_flow_and_unicode_offsets(page, setup, screenshot):
    analyst, article, _ = setup
    login(page, "ana")
    open_workspace(page, article)

    # the converter agrees with Python on every phrase, both ways
    for phrase in ["🇨🇳🤝", "北京", "习近平", "Adébáyọ̀ Okafor", "𠮷野", "Ukraine crisis 𠮷野 noted"]:
        start, end = offsets(article, phrase)
        result = page.evaluate(
            """([s, e]) => { const c = document.getElementById('article-text');
                             const r = ReadoutOffsets.offsetsToRange(c, s, e);
                             return [r.toString(), ReadoutOffsets.rangeToOffsets(c, r)]; }""",
            [start, end],
        )
        assert result == [phrase, {"start": start, "end": end}], phrase

    # keyboard: focus the text, move by word to "Adébáyọ̀", extend over "Okafor", Enter, search, Enter
    page.locator("#article-text").focus()
    page.keyboard.press("ArrowRight")  # the first token is selected
    words = []
    for _ in range(12):
        words.append(page.evaluate("getSelection().toString()"))
        if words[-1] == "Adébáyọ̀":
            break
        page.keyboard.press("ArrowRight")
    assert words[-1] == "Adébáyọ̀", words
    page.keyboard.press("Shift+ArrowRight")
    assert page.evaluate("getSelection().toString()") == "Adébáyọ̀ Okafor"
    page.keyboard.press("Enter")
    page.wait_for_selector("#picker:not([hidden])")
    page.keyboard.type("people")
    assert page.locator("#picker-list li:not([hidden])").count() == 1
    screenshot(page, "keyboard-picker")
    page.keyboard.press("Enter")
    page.wait_for_selector("#span-list li")
    span = Annotation.objects.get()
    assert span.text == "Adébáyọ̀ Okafor" == article.text[span.start : span.end]
    assert span.themes.get().name == "people-to-people and cultural exchange"

    # Alt keeps exact characters: half of a CJK name after an emoji
    drag_select(page, article, "习", "近", alt=True)
    page.wait_for_selector("#picker:not([hidden])")
    page.keyboard.press("1")
    page.wait_for_selector("#span-list li:nth-child(2)")
    assert set(Annotation.objects.values_list("text", flat=True)) == {"Adébáyọ̀ Okafor", "习近"}
    screenshot(page, "unicode-spans")
    assert page.js_errors == []


def test_failed_request_shows_an_error_and_keeps_the_selection(page, setup):
    analyst, article, _ = setup
    login(page, "ana")
    open_workspace(page, article)
    page.route("**/spans/", lambda route: route.fulfill(status=500, body="boom", content_type="text/html"))
    drag_select(page, article, "multipolar", "world")
    page.wait_for_selector("#picker:not([hidden])")
    page.keyboard.press("1")
    page.wait_for_selector("#toast:not([hidden])")
    assert "Nothing was saved" in page.locator("#toast").inner_text()
    assert page.evaluate("getSelection().toString()") == "multipolar world"
    assert not Annotation.objects.exists()
    page.unroute("**/spans/")
    page.keyboard.press("1")  # the picker is still open: retry works
    page.wait_for_selector("#span-list li")
    assert Annotation.objects.get().text == "multipolar world"


def test_second_tab_save_is_refused_with_the_current_state(page, browser, live_server, setup, screenshot):
    analyst, article, _ = setup
    span = Annotation.objects.create(article=article, annotator=analyst, start=0, end=5, text=article.text[0:5])
    other = browser.new_context(base_url=live_server.url, viewport={"width": 1400, "height": 1000}).new_page()
    try:
        for tab in (page, other):
            login(tab, "ana")
            open_workspace(tab, article)
            tab.locator(f"#s{span.pk} a.span-open").click()
            tab.wait_for_selector("#span-editor textarea")
        page.fill("#span-editor textarea", "saved in tab one")
        page.get_by_role("button", name="Save").click()
        page.wait_for_selector("#span-editor .ok")
        other.fill("#span-editor textarea", "typed in tab two")
        other.get_by_role("button", name="Save").click()
        other.wait_for_selector("#span-editor .error")
        assert "changed elsewhere" in other.locator("#span-editor .error").inner_text()
        # what the losing tab typed is kept; what the other tab saved is shown beside it (issue 16)
        assert other.locator("#span-editor textarea").input_value() == "typed in tab two"
        assert "saved in tab one" in other.locator("#conflict-current").inner_text()
        other.set_viewport_size({"width": 1280, "height": 900})
        screenshot(other, "conflict")
        other.set_viewport_size({"width": 390, "height": 900})
        other.locator("#conflict-current").scroll_into_view_if_needed()
        screenshot(other, "conflict-390")
        span.refresh_from_db()
        assert span.note == "saved in tab one"
        # saving again, now on the current version, is a deliberate choice and succeeds
        other.get_by_role("button", name="Save").click()
        other.wait_for_selector("#span-editor .ok")
        span.refresh_from_db()
        assert (span.note, span.version) == ("typed in tab two", 3)
        assert other.locator("#span-editor textarea").input_value() == "typed in tab two"
    finally:
        other.context.close()


def test_accept_and_reject_entity_suggestions(page, setup, screenshot):
    analyst, article, _ = setup
    mentions = {}
    for phrase, label in [
        ("习近平", "PERSON"),
        ("Vladimir Putin", "PERSON"),
        ("Adébáyọ̀ Okafor", "PERSON"),
        ("北京", "GPE"),
    ]:
        start, end = offsets(article, phrase)
        mentions[phrase] = EntityMention.objects.create(article=article, label=label, start=start, end=end, text=phrase)
    login(page, "ana")
    open_workspace(page, article)
    page.get_by_role("tab", name="Entities").click()
    page.wait_for_selector("#entity-panel .ent-group")
    screenshot(page, "entities")

    page.get_by_role("button", name="Reject Vladimir Putin").click()
    page.locator(f"#article-text [data-m~='e{mentions['Vladimir Putin'].pk}']").first.wait_for(state="detached")
    page.get_by_role("button", name="Accept all PERSON").click()
    page.wait_for_selector(f"#article-text .ea[data-m~='e{mentions['习近平'].pk}']")

    # a suggestion in the text: click it and reject it from the chooser
    page.locator(f"#article-text [data-m~='e{mentions['北京'].pk}']").click()
    page.locator("#chooser").get_by_role("button", name="Reject").click()
    page.locator(f"#article-text [data-m~='e{mentions['北京'].pk}']").first.wait_for(state="detached")
    statuses = {m.text: m.status for m in EntityMention.objects.all()}
    assert statuses == {
        "习近平": "accepted",
        "Vladimir Putin": "rejected",
        "Adébáyọ̀ Okafor": "accepted",
        "北京": "rejected",
    }

    # an accepted entity becomes a span
    page.locator(f"#ent-{mentions['Adébáyọ̀ Okafor'].pk} .ent-to-span").click()
    page.wait_for_selector("#picker:not([hidden])")
    page.keyboard.press("3")
    page.wait_for_selector("#span-list li", state="attached")  # listed in the Spans tab (the Entities tab is open)
    assert Annotation.objects.get().text == "Adébáyọ̀ Okafor"
    expect(page.get_by_role("tab", name="Spans")).to_contain_text("1")
    assert page.js_errors == []


def test_supervisor_sees_layers_and_manages_themes(page, setup, screenshot):
    analyst, article, _ = setup
    UserFactory(username="sue", role="Supervisor")
    span = Annotation.objects.create(article=article, annotator=analyst, start=0, end=5, text=article.text[0:5])
    span.themes.add(1)
    login(page, "sue")
    open_workspace(page, article)
    assert page.locator(f"#article-text .o[data-m~='a{span.pk}']").count() == 1
    page.get_by_label("Other analysts", exact=False).uncheck()
    assert "hide-other" in page.locator("#article-text").get_attribute("class")
    screenshot(page, "supervisor-workspace")

    page.goto("/annotate/themes/")
    page.fill("#id_name", "Belt and Road")
    page.fill("#id_shortcut", "b")
    page.get_by_role("button", name="Create theme").click()
    page.wait_for_selector("text=Theme “Belt and Road” created.")
    page.get_by_role("button", name="Move Belt and Road up").click()
    page.locator("#theme-1").get_by_role("button", name="Deactivate").click()
    page.wait_for_selector("text=deactivated; its spans keep it")
    screenshot(page, "themes")
    assert span.themes.get().active is False


def test_escape_closes_the_highlight_chooser_and_gives_the_focus_back_to_the_text(page, setup):
    analyst, article, _ = setup
    start, end = offsets(article, "Vladimir Putin")
    mention = EntityMention.objects.create(article=article, label="PERSON", start=start, end=end, text="Vladimir Putin")
    login(page, "ana")
    open_workspace(page, article)
    page.locator(f"#article-text [data-m~='e{mention.pk}']").first.click()
    page.wait_for_selector("#chooser:not([hidden])")
    assert page.evaluate("document.getElementById('chooser').contains(document.activeElement)")

    page.keyboard.press("Escape")
    page.wait_for_selector("#chooser", state="hidden")
    assert page.evaluate("document.activeElement.id") == "article-text"
    assert page.js_errors == []


def test_fix_span_in_the_workspace_quotes_panel_takes_the_selected_text(page, setup):
    analyst, article, _ = setup
    start, end = offsets(article, "Both leaders praised the strategic partnership")
    quote = Quote.objects.create(article=article, start=start, end=end, text=article.text[start:end])
    login(page, "ana")
    open_workspace(page, article)
    page.get_by_role("tab", name="Quotes").click()
    card = page.locator(f"#qp-quote-{quote.pk}")
    card.locator(".qp-edit-open").click()  # the edit forms load on demand
    card.locator("summary", has_text="Fix span").click()

    drag_select(page, article, "strategic", "partnership")
    page.wait_for_selector("#picker:not([hidden])")
    page.keyboard.press("Escape")  # close the theme picker: this selection is for the quote
    card.get_by_role("button", name="Use the selected text").click()
    want = offsets(article, "strategic partnership")
    assert card.locator("input[name=start]").input_value() == str(want[0])
    assert card.locator("input[name=end]").input_value() == str(want[1])
    card.get_by_role("button", name="Save span").click()
    expect(page.locator(f"#qp-quote-{quote.pk} .qp-text")).to_have_text("strategic partnership")
    quote.refresh_from_db()
    assert (quote.start, quote.end, quote.text) == (*want, "strategic partnership")
    assert page.js_errors == []


def test_quote_count_follows_quotes_added_and_deleted(page, setup):
    analyst, article, _ = setup
    login(page, "ana")
    open_workspace(page, article)
    count = page.locator("label", has=page.locator("input[data-layer=quote]"))
    expect(count).to_have_text("Quotes (0)")

    drag_select(page, article, "strategic", "partnership")
    page.wait_for_selector("#picker:not([hidden])")
    page.keyboard.press("q")
    expect(count).to_have_text("Quotes (1)")
    quote = Quote.objects.get()

    page.get_by_role("tab", name="Quotes").click()
    page.locator(f"#qp-quote-{quote.pk}").get_by_role("button", name="Delete").click()
    expect(count).to_have_text("Quotes (0)")
    page.wait_for_load_state("networkidle")
    assert page.js_errors == []


def test_tab_stays_in_the_theme_picker_and_escape_gives_the_focus_back_to_the_text(page, setup):
    analyst, article, _ = setup
    login(page, "ana")
    open_workspace(page, article)
    page.locator("#article-text").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_selector("#picker:not([hidden])")
    in_picker = "document.getElementById('picker').contains(document.activeElement)"
    for key in ["Tab", "Tab", "Tab", "Shift+Tab", "Shift+Tab", "Shift+Tab"]:
        page.keyboard.press(key)
        assert page.evaluate(in_picker), key
    assert page.locator("#picker").is_visible()

    page.keyboard.press("Escape")
    page.wait_for_selector("#picker", state="hidden")
    assert page.evaluate("document.activeElement.id") == "article-text"
    assert page.js_errors == []


def test_highlight_chooser_heading_follows_the_number_of_items(page, setup):
    analyst, article, _ = setup
    start, end = offsets(article, "Vladimir Putin")
    mention = EntityMention.objects.create(article=article, label="PERSON", start=start, end=end, text="Vladimir Putin")
    Quote.objects.create(article=article, start=start, end=end + len(" on Thursday"), text=article.text[start:end])
    other = EntityMention.objects.create(
        article=article, label="GPE", start=article.text.index("北京"), end=article.text.index("北京") + 2, text="北京"
    )
    login(page, "ana")
    open_workspace(page, article)
    page.locator(f"#article-text [data-m~='e{other.pk}']").first.click()
    expect(page.locator("#chooser .picker-hint")).to_have_text("One highlight here")
    page.keyboard.press("Escape")
    page.locator(f"#article-text [data-m~='e{mention.pk}']").first.click()
    expect(page.locator("#chooser .picker-hint")).to_have_text("2 highlights here: choose one")
    assert page.js_errors == []


LONG_TEXT = "\n".join(f"Paragraph {i}: the leaders discussed trade, energy and security at length." for i in range(80))


@pytest.mark.parametrize("where", ["workspace", "reading page"])
def test_clicking_a_quote_in_the_panel_scrolls_to_it_and_highlights_it_in_the_text(page, where):
    analyst = UserFactory(username="ana", role="Analyst")
    text = LONG_TEXT + "\nClosing: “Our partnership has no limits,” the minister said, “and no forbidden areas.”"
    article = ArticleFactory(title="A long article", text=text)
    Assignment.objects.create(article=article, analyst=analyst)
    # a quote far below the fold, with an entity inside it: the quote is drawn in several pieces
    start = text.index("Our partnership")
    end = text.index("forbidden areas") + len("forbidden areas")
    quote = Quote.objects.create(article=article, start=start, end=end, text=text[start:end])
    ent = text.index("partnership", start)
    EntityMention.objects.create(article=article, label="ORG", start=ent, end=ent + 11, text="partnership")
    login(page, "ana")
    if where == "workspace":
        open_workspace(page, article)
    else:
        page.goto(f"/articles/{article.pk}/")
    pieces = page.locator(f"#article-text [data-m~='q{quote.pk}']")
    assert pieces.count() >= 3
    assert "".join(pieces.all_text_contents()) == text[start:end]
    in_view = f"""() => {{ const r = document.querySelector("#article-text [data-m~='q{quote.pk}']").getBoundingClientRect();
                          return r.top >= 0 && r.bottom <= innerHeight; }}"""
    assert not page.evaluate(in_view)  # starts below the fold

    if where == "workspace":
        page.get_by_role("tab", name="Quotes").click()
    page.locator(f"#qp-quote-{quote.pk} .qp-text").click()
    page.wait_for_function(in_view)
    flashing = page.locator("#article-text .flash")
    assert flashing.count() == pieces.count()
    assert all(f"q{quote.pk}" in (m.get_attribute("data-m") or "").split() for m in flashing.all())
    expect(flashing).to_have_count(0, timeout=5000)  # the highlight is a flash: it goes away
    assert page.js_errors == []
