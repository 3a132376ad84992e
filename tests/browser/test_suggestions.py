"""An analyst opens the suggestions page of an assigned article (or the Suggestions tab of the workspace), sees a
suggestion with the theme's definition and the nearest accepted passages, accepts it, and the span exists (made by
annotations' own service; in the workspace it shows in the Spans tab and in the text); a reject removes one."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.annotations.models import Annotation, Theme
from apps.assignments.models import Assignment
from apps.suggestions.models import SuggesterModel, Suggestion
from apps.suggestions.services import blind_coding_set, suggester_train
from tests.browser.conftest import login
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CODED = [
    ("The Foreign Ministry reiterated that Taiwan is an inalienable part of China's territory.", "taiwan-one-china"),
    (
        "Beijing urged Washington to abide by the one-China principle and the three joint communiques.",
        "taiwan-one-china",
    ),
    ("Any attempt to split Taiwan from China will be met with a resolute response.", "taiwan-one-china"),
    ("Washington announced new tariffs on Chinese goods on Wednesday.", "sanctions-and-tariffs"),
    ("The talks lasted three hours, the ministry said.", None),
]
NEW = (
    "Moscow firmly supports Beijing's position on Taiwan and the one-China principle, the statement said.\n"
    "The delegation left for Minsk on Friday evening."
)


def test_analyst_sees_a_suggestion_with_its_nearest_examples_and_accepts_it(page, screenshot, django_db_blocker):
    from django.core.management import call_command

    call_command("loaddata", "themes", verbosity=0)
    coder = UserFactory(username="coder", role="Analyst")
    themes = {t.slug: t for t in Theme.objects.all()}
    old = ArticleFactory(text="\n".join(text for text, _ in CODED))
    for text, slug in CODED:
        if slug:
            start = old.text.index(text)
            span = AnnotationFactory(
                article=old, annotator=coder, start=start, end=start + len(text), status=Annotation.Status.ACCEPTED
            )
            span.themes.set([themes[slug]])
    # a trained model (the worker's job; here the task's service is called directly)
    model = SuggesterModel.objects.create(version=1, created_at=timezone.now())
    suggester_train(model_id=model.pk)
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(title="Moscow backs Beijing on Taiwan", text=NEW)
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")

    login(page, "ana")
    page.goto(f"/suggestions/article/{article.pk}/")
    item = page.locator(".sg-item", has=page.locator(".sg-theme", has_text="Taiwan / one-China"))
    item.wait_for()
    assert "Moscow firmly supports" in item.locator(".sg-text").inner_text()
    assert "one-China principle and related sovereignty" in item.locator(".sg-why").inner_text()
    neighbours = item.locator(".sg-neighbours li")
    assert 1 <= neighbours.count() <= 3
    # the nearest accepted passages are the Taiwan ones, the closest (shares "one-China principle") first
    assert "one-China principle" in neighbours.first.inner_text()
    assert all(
        text in {t for t, slug in CODED if slug == "taiwan-one-china"}
        for text in item.locator(".sg-neighbours q").all_inner_texts()
    )
    assert page.locator(".sg-item", has_text="delegation left for Minsk").count() == 0
    screenshot(page, "1280")
    page.set_viewport_size({"width": 390, "height": 900})
    screenshot(page, "390")
    page.set_viewport_size({"width": 1280, "height": 900})

    item.get_by_role("button", name="Accept").first.click()
    page.locator(".qp-notice", has_text="is now your span").wait_for()
    span = Annotation.objects.get(article=article, annotator=analyst)
    assert span.text == NEW.split("\n")[0] and list(span.themes.values_list("slug", flat=True)) == ["taiwan-one-china"]
    assert page.locator(".sg-item", has=page.locator(".sg-theme", has_text="Taiwan / one-China")).count() == 0
    assert not page.js_errors
    screenshot(page, "accepted")


WORKSPACE_TEXT = (
    "Moscow firmly supports Beijing's position on Taiwan and the one-China principle, the statement said.\n"
    "The delegation left for Minsk on Friday evening.\n"
    "Washington imposed new tariffs and sanctions on Chinese steel on Wednesday."
)


def _trained_suggester():
    """Coded spans of another article (accepted by a reviewer) and a model trained on them."""
    from django.core.management import call_command

    call_command("loaddata", "themes", verbosity=0)
    coder = UserFactory(username="coder", role="Analyst")
    themes = {t.slug: t for t in Theme.objects.all()}
    old = ArticleFactory(text="\n".join(text for text, _ in CODED))
    for text, slug in CODED:
        if slug:
            start = old.text.index(text)
            span = AnnotationFactory(
                article=old, annotator=coder, start=start, end=start + len(text), status=Annotation.Status.ACCEPTED
            )
            span.themes.set([themes[slug]])
    model = SuggesterModel.objects.create(version=1, created_at=timezone.now())
    suggester_train(model_id=model.pk)


def _open_suggestions_tab(page, article):
    page.goto(f"/annotate/{article.pk}/")
    page.wait_for_selector("#workspace[data-ready='1']")
    assert page.locator("#suggestions-panel .suggestions-panel").count() == 0  # lazy: nothing before the tab opens
    page.click("#tab-suggestions")
    page.locator("#suggestions-panel .suggestions-panel").wait_for()


def _marks(page, name="sg"):
    return page.evaluate(f"() => CSS.highlights.has('{name}') ? CSS.highlights.get('{name}').size : 0")


def _marks_drawn(page, name="sg"):
    """Wait until the suggestion layer's marks are drawn (after the panel settles), then count them."""
    page.wait_for_function(f"() => CSS.highlights.has('{name}') && CSS.highlights.get('{name}').size > 0")
    return _marks(page, name)


def test_analyst_accepts_and_rejects_suggestions_in_the_workspace_tab(page, screenshot):
    _trained_suggester()
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(title="Moscow backs Beijing on Taiwan", text=WORKSPACE_TEXT)
    Assignment.objects.create(article=article, analyst=analyst, state="assigned")

    login(page, "ana")
    _open_suggestions_tab(page, article)
    panel = page.locator("#suggestions-panel")
    taiwan = panel.locator(".sg-item", has=page.locator(".sg-theme", has_text="Taiwan / one-China"))
    tariffs = panel.locator(".sg-item", has=page.locator(".sg-theme", has_text="sanctions and tariffs"))
    assert "Moscow firmly supports" in taiwan.locator(".sg-text").inner_text()
    assert "Washington imposed new tariffs" in tariffs.locator(".sg-text").inner_text()
    assert taiwan.locator(".sg-score").inner_text().startswith(("0.", "1.0"))
    assert "one-China principle and related sovereignty" in taiwan.locator(".sg-why").inner_text()
    neighbours = taiwan.locator(".sg-neighbours li")
    assert 1 <= neighbours.count() <= 3 and neighbours.first.is_visible()
    assert "one-China principle" in neighbours.first.inner_text()
    open_items = panel.locator(".sg-item").count()
    expect(page.locator('[data-count-of="suggestions"]')).to_have_text(str(open_items))
    # the suggested passages are marked in the text (one quiet highlight each), nothing is a span yet
    assert _marks_drawn(page) == open_items
    assert page.locator("#span-list li.span-row").count() == 0
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "workspace-1280")
    page.set_viewport_size({"width": 390, "height": 900})
    taiwan.scroll_into_view_if_needed()
    screenshot(page, "workspace-390")
    page.set_viewport_size({"width": 1400, "height": 1000})

    # accept: an ordinary span of the analyst's, in the Spans tab and in the text
    taiwan.get_by_role("button", name="Accept", exact=True).click()
    panel.locator(".qp-notice", has_text="is now your span").wait_for()
    span = Annotation.objects.get(article=article, annotator=analyst)
    assert span.text == WORKSPACE_TEXT.split("\n")[0]
    assert list(span.themes.values_list("slug", flat=True)) == ["taiwan-one-china"]
    page.click("#tab-spans")
    row = page.locator(f"#span-list li#s{span.pk}")
    # a span row is laid out lazily (content-visibility: auto), so its innerText is '' until the first frame
    # that draws it: expect() retries on the text content instead of reading once
    expect(row).to_contain_text("Moscow firmly supports")
    expect(row).to_contain_text("Taiwan")
    page.locator(f'#article-text [data-m~="a{span.pk}"]').first.wait_for()
    assert page.locator("#my-span-count").inner_text() == "1"
    assert page.locator('[data-count-of="spans"]').inner_text() == "1"
    assert Assignment.objects.get(article=article, analyst=analyst).state == "in_progress"
    screenshot(page, "accepted")

    # reject: the suggestion leaves the panel and the text, and no span is made
    page.click("#tab-suggestions")
    tariffs.get_by_role("button", name="Reject").click()
    panel.locator(".qp-notice", has_text="Rejected").wait_for()
    assert tariffs.count() == 0 and taiwan.count() == 0
    assert Suggestion.objects.get(article=article, theme__slug="sanctions-and-tariffs").status == "rejected"
    assert Annotation.objects.filter(article=article).count() == 1
    expect(page.locator('[data-count-of="suggestions"]')).to_have_text(str(panel.locator(".sg-item").count()))
    assert _marks(page) == panel.locator(".sg-item").count()
    assert not page.js_errors


def test_the_layer_switch_is_remembered_and_blind_coding_hides_the_tab_from_analysts(page, screenshot):
    _trained_suggester()
    analyst = UserFactory(username="ana", role="Analyst")
    supervisor = UserFactory(username="sue", role="Supervisor")
    article = ArticleFactory(title="Moscow backs Beijing on Taiwan", text=WORKSPACE_TEXT)
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")

    login(page, "ana")
    _open_suggestions_tab(page, article)
    assert _marks_drawn(page) >= 1
    page.uncheck('input[data-layer="sg"]')
    assert _marks(page) == 0
    page.reload()
    page.wait_for_selector("#workspace[data-ready='1']")
    # the tab and the switch are remembered: the panel loads at once, its passages stay unmarked
    page.locator("#suggestions-panel .sg-item").first.wait_for()
    assert not page.is_checked('input[data-layer="sg"]') and _marks(page) == 0
    page.check('input[data-layer="sg"]')
    assert _marks_drawn(page) >= 1

    blind_coding_set(actor=supervisor, hidden=True, article=article)
    page.reload()
    page.locator("#suggestions-panel .notice", has_text="hid suggestions for blind coding").wait_for()
    assert page.locator("#suggestions-panel .sg-item").count() == 0 and _marks(page) == 0
    expect(page.locator('[data-count-of="suggestions"]')).to_have_text("0")  # set once the panel settles
    screenshot(page, "blind")
    # the panel's URL refuses to leak them too
    html = page.request.get(f"/suggestions/article/{article.pk}/panel/").text()
    assert "sg-item" not in html and "Moscow firmly supports" not in html
    assert not page.js_errors


FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"
WIDEST = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1)
  .slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'))"""


def test_supervisor_reaches_the_themes_page_from_the_navigation_and_sees_live_precision(page, screenshot):
    _trained_suggester()
    UserFactory(username="sue", role="Supervisor")
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(title="Moscow backs Beijing on Taiwan", text=WORKSPACE_TEXT)
    taiwan = Theme.objects.get(slug="taiwan-one-china")
    for i, status in enumerate(["accepted", "accepted", "accepted", "rejected"]):
        Suggestion.objects.create(
            article=article, theme=taiwan, start=i, end=i + 6, text=WORKSPACE_TEXT[i : i + 6], score=0.7, status=status
        )

    login(page, "sue")
    page.goto(f"/annotate/{article.pk}/")
    page.locator(".mainnav a", has_text="Suggestions").click()
    page.wait_for_url("**/suggestions/themes/")
    assert page.locator(".mainnav a[aria-current='page']").all_inner_texts() == ["Suggestions"]
    row = page.locator(f"#theme-{taiwan.pk}")
    assert row.locator(".precision").inner_text() == "0.75"
    assert page.locator("table.themes-table tbody tr").count() == Theme.objects.filter(active=True).count()
    page.click("#train-now")
    page.locator(".messages", has_text="Training of version 2 is queued").wait_for()
    for width in (1280, 768, 390):
        page.set_viewport_size({"width": width, "height": 900})
        if width != 768:
            screenshot(page, f"themes-{width}")
        assert page.evaluate(FITS), ("themes page", width, page.evaluate(WIDEST))
    # the workspace with the Suggestions tab open fits too (a supervisor also sees the blind-coding switch)
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    for width in (1280, 768, 390):
        page.set_viewport_size({"width": width, "height": 900})
        _open_suggestions_tab(page, article) if width == 1280 else page.reload()
        page.locator("#suggestions-panel .suggestions-panel").wait_for()
        assert page.evaluate(FITS), ("workspace", width)
    assert not page.js_errors


def test_a_span_coded_by_hand_settles_its_suggestion_and_boundaries_come_from_a_text_selection(page):
    _trained_suggester()
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(title="Moscow backs Beijing on Taiwan", text=WORKSPACE_TEXT)
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    login(page, "ana")
    _open_suggestions_tab(page, article)
    panel = page.locator("#suggestions-panel")
    tariffs = panel.locator(".sg-item", has=page.locator(".sg-theme", has_text="sanctions and tariffs"))
    taiwan = panel.locator(".sg-item", has=page.locator(".sg-theme", has_text="Taiwan / one-China"))
    tariffs.wait_for()

    # the analyst codes the tariffs sentence in the text: the panel asks again and the suggestion is settled
    page.locator("#article-text").focus()
    for key in ["ArrowRight", "ArrowDown", "ArrowDown"] + ["Shift+ArrowRight"] * 11 + ["Enter"]:
        page.keyboard.press(key)
    page.wait_for_selector("#picker:not([hidden])")
    page.locator("#picker-list li[data-theme]", has_text="sanctions and tariffs").click()
    page.locator("#span-list li.span-row", has_text="Washington imposed new tariffs").wait_for(state="attached")
    tariffs.wait_for(state="detached")
    expect(taiwan).to_have_count(1)
    expect(page.locator('[data-count-of="suggestions"]')).to_have_text("1")

    # adjust: select "Moscow firmly supports Beijing's position on Taiwan" in the text and accept that
    taiwan.locator("summary", has_text="Adjust boundaries").click()
    wanted = "Moscow firmly supports Beijing's position on Taiwan"
    page.evaluate(
        """n => { const r = ReadoutOffsets.offsetsToRange(document.getElementById('article-text'), 0, n);
                  const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }""",
        len(wanted),
    )
    taiwan.get_by_role("button", name="use my selection").click()
    assert taiwan.locator("input[name=start]").input_value() == "0"
    assert taiwan.locator("input[name=end]").input_value() == str(len(wanted))
    taiwan.get_by_role("button", name="Accept adjusted").click()
    panel.locator(".qp-notice", has_text="is now your span").wait_for()
    span = Annotation.objects.get(article=article, annotator=analyst, start=0)
    assert span.text == wanted and list(span.themes.values_list("slug", flat=True)) == ["taiwan-one-china"]
    page.locator(f'#article-text [data-m~="a{span.pk}"]').first.wait_for()
    assert page.locator("#span-list li.span-row").count() == 2
    assert not page.js_errors


def test_suggestions_are_decided_from_the_keyboard(page):
    _trained_suggester()
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(title="Moscow backs Beijing on Taiwan", text=WORKSPACE_TEXT)
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    login(page, "ana")
    _open_suggestions_tab(page, article)
    items = page.locator("#suggestions-panel .sg-item")
    assert items.count() == 2
    first_theme = items.first.locator(".sg-theme").inner_text()
    items.first.focus()
    page.keyboard.press("ArrowDown")
    expect(items.nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("r")  # reject the first; the next one takes the focus
    page.locator("#suggestions-panel .qp-notice", has_text="Rejected").wait_for()
    expect(items).to_have_count(1)
    expect(items.first).to_be_focused()
    page.keyboard.press("a")
    page.locator("#suggestions-panel .qp-notice", has_text="is now your span").wait_for()
    expect(items).to_have_count(0)
    decided = dict(Suggestion.objects.filter(article=article).values_list("theme__name", "status"))
    assert decided[first_theme] == "rejected" and sorted(decided.values()) == ["accepted", "rejected"]
    assert Annotation.objects.filter(article=article, annotator=analyst).count() == 1
    assert not page.js_errors
