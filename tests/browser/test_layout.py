"""Every main page fits 390, 768 and 1280 px windows (no horizontal scrolling of the page), the navigation marks
the current section, and the workspace is photographed at 1280 and 390 px for review (test-artifacts/)."""

import pytest

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.assignments.models import Assignment
from apps.corpus.models import Article
from apps.quotes.models import Quote
from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (390, 768, 1280)
OVERFLOW = "() => document.documentElement.scrollWidth <= window.innerWidth"
# what sticks out, to make a failure readable
WIDEST = """() => {
  const clipped = e => { for (let p = e.parentElement; p; p = p.parentElement) {
    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX) && p !== document.body
        && p !== document.documentElement) return true; } return false; };
  return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1
    && !clipped(e)).slice(0, 5).map(e => e.tagName + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'));
}"""


@pytest.fixture
def world(db, seed_articles, themes):
    sue = UserFactory(username="sue", role="Supervisor", first_name="Susanna", last_name="Montgomery-Whitfield")
    ana = UserFactory(username="ana", role="Analyst", first_name="Anastasia", last_name="Konstantinopoulou")
    bob = UserFactory(username="bob", role="Analyst", first_name="Bartholomew", last_name="Longname")
    article = max(seed_articles, key=lambda a: len(a.title))  # the longest title
    for user in (ana, bob):
        Assignment.objects.create(article=article, analyst=user, state="in_progress")
        for word, theme in (("Xi Jinping", themes[0]), ("Putin", themes[6])):
            start = article.text.index(word)
            annotation_create(article=article, annotator=user, start=start, end=start + len(word), theme_ids=[theme.pk])
    for other in seed_articles:
        if other != article:
            Assignment.objects.create(article=other, analyst=ana)
    return {
        "sue": sue,
        "ana": ana,
        "article": article,
        "speaker": Quote.objects.exclude(speaker=None).first().speaker,
        "theme": themes[0],
    }


def pages_for(role, world):
    a = world["article"].pk
    common = [
        "/articles/",
        f"/articles/{a}/",
        f"/annotate/{a}/",
        "/review/queue/",
        "/quotes/speakers/",
        f"/quotes/speakers/{world['speaker'].pk}/",
        "/codebook/",
        f"/codebook/{world['theme'].pk}/",
        "/accounts/password/",
    ]
    if role == "ana":
        return common + [f"/review/articles/{a}/feedback/"]
    return common + [
        "/review/",
        f"/review/articles/{a}/",
        "/review/assign/",
        "/imports/",
        "/exports/",
        "/annotate/themes/",
    ]


def test_main_pages_have_no_horizontal_overflow_at_390_768_and_1280_px(page, world, screenshot):
    assert Annotation.objects.count() == 4 and Article.objects.count() == 5
    failures = []
    for role in ("sue", "ana"):
        page.goto("about:blank")  # nothing of the previous page may set a cookie after this
        page.context.clear_cookies()
        login(page, role)
        for url in pages_for(role, world):
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                response = page.goto(url)
                assert response.status == 200, url
                page.wait_for_load_state("networkidle")  # panels loaded with htmx are part of the page
                if not page.evaluate(OVERFLOW):
                    failures.append(
                        (role, url, width, page.evaluate("document.documentElement.scrollWidth"), page.evaluate(WIDEST))
                    )
    page.goto("about:blank")  # nothing of the previous page may set a cookie after this
    page.context.clear_cookies()
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/accounts/login/")
        if not page.evaluate(OVERFLOW):
            failures.append(("anonymous", "/accounts/login/", width, None, page.evaluate(WIDEST)))
    assert failures == [], "\n".join(map(str, failures))
    assert page.js_errors == []


def test_the_navigation_marks_the_current_section(page, world):
    login(page, "sue")
    for url, section in [
        ("/articles/", "Articles"),
        (f"/annotate/{world['article'].pk}/", "My queue"),
        ("/review/queue/", "My queue"),
        ("/review/", "Review"),
        ("/quotes/speakers/", "Speakers"),
        ("/annotate/themes/", "Themes"),
        ("/codebook/", "Codebook"),
        ("/exports/", "Export"),
        ("/imports/", "Import"),
    ]:
        page.goto(url)
        current = page.locator(".mainnav a[aria-current='page']")
        assert current.all_inner_texts() == [section], url


def test_workspace_screenshots_at_1280_and_390_px(page, world, screenshot):
    login(page, "ana")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/annotate/{world['article'].pk}/")
        page.wait_for_selector("#workspace[data-ready='1']")
        page.wait_for_load_state("networkidle")
        assert page.evaluate(OVERFLOW), width
        path = screenshot(page, f"workspace-{width}")
        assert path.exists()
        page.get_by_role("tab", name="Quotes").click()
        page.wait_for_load_state("networkidle")
        screenshot(page, f"workspace-quotes-{width}")
        page.get_by_role("tab", name="Entities").click()
        page.wait_for_load_state("networkidle")
        screenshot(page, f"workspace-entities-{width}")
        page.get_by_role("tab", name="Codebook").click()
        # the panel loads on first open; under CI load that has taken more than the default 10 s
        page.wait_for_selector("#panel-codebook .codebook-entry", timeout=30_000)
        assert page.evaluate(OVERFLOW), width
        screenshot(page, f"workspace-codebook-{width}")
        page.get_by_role("tab", name="Spans").click()


# Every visible control has an accessible name (aria-label, aria-labelledby, a <label>, a title, or its text).
UNLABELLED = """() => {
  const text = el => (el.textContent || '').replace(/\\s+/g, ' ').trim();
  const name = el => (el.getAttribute('aria-label') || '').trim()
    || (el.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean)
         .map(id => text(document.getElementById(id) || document.createElement('i'))).join(' ').trim()
    || [...(el.labels || [])].map(text).join(' ').trim()
    || (el.getAttribute('title') || '').trim()
    || (['BUTTON', 'A', 'SUMMARY'].includes(el.tagName) ? text(el) : '');
  const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  return [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, a[href], summary')]
    .filter(el => visible(el) && !name(el)).map(el => el.outerHTML.slice(0, 160));
}"""


def test_every_control_on_the_main_pages_is_labelled_and_the_focus_is_visible(page, world):
    missing = []
    for role in ("sue", "ana"):
        page.goto("about:blank")  # nothing of the previous page may set a cookie after this
        page.context.clear_cookies()
        login(page, role)
        for url in pages_for(role, world):
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.lang") == "en"
            missing += [(role, url, html) for html in page.evaluate(UNLABELLED)]
    assert missing == [], "\n".join(map(str, missing))
    # the check itself finds a control without a name
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<input id=probe><button></button>')")
    assert len(page.evaluate(UNLABELLED)) == 2

    # the keyboard focus is drawn (a ring), not left to the browser default or removed
    page.goto("/articles/")
    page.keyboard.press("Tab")
    ring = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert page.evaluate("document.activeElement.tagName") == "A" and ring != "none"


# WCAG AA: text contrast >= 4.5 (>= 3 for large text: 24 px, or 18.66 px bold) against the first opaque background
# behind it. Text over a gradient or an image is skipped (it cannot be measured this way).
LOW_CONTRAST = """() => {
  const rgba = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => { const f = c => { c /= 255; return c <= .03928 ? c / 12.92 : ((c + .055) / 1.055) ** 2.4; };
    return .2126 * f(r) + .7152 * f(g) + .0722 * f(b); };
  const blend = (top, bottom) => { const a = top.length > 3 ? top[3] : 1;
    return [0, 1, 2].map(i => top[i] * a + bottom[i] * (1 - a)); };
  const background = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const cs = getComputedStyle(e);
      if (cs.backgroundImage !== 'none') return null;
      const c = rgba(cs.backgroundColor); if (c.length > 3 && c[3] === 0) continue;
      layers.push(c); if (c.length === 3 || c[3] === 1) break; }
    return layers.reverse().reduce((under, top) => blend(top, under), [255, 255, 255]); };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.data.trim() || seen.has(el)) continue;
    seen.add(el);
    if (!(el.offsetWidth || el.offsetHeight) || el.closest('[hidden], [aria-hidden=true]')) continue;
    const cs = getComputedStyle(el);
    if (parseFloat(cs.opacity) < 1 || el.closest('button:disabled')) continue;  // disabled controls are exempt
    const bg = background(el); if (!bg) continue;
    const fg = blend(rgba(cs.color), bg);
    const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
    const ratio = (a + .05) / (b + .05);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) out.push(`${ratio.toFixed(2)} ${el.tagName}.${[...el.classList].join('.')} "${el.textContent.trim().slice(0, 30)}"`);
  }
  return out;
}"""


def test_text_on_the_main_pages_meets_wcag_aa_contrast(page, world):
    low = []
    for role in ("sue", "ana"):
        page.goto("about:blank")  # nothing of the previous page may set a cookie after this
        page.context.clear_cookies()
        login(page, role)
        for url in pages_for(role, world):
            page.goto(url)
            page.wait_for_load_state("networkidle")
            low += [(url, item) for item in page.evaluate(LOW_CONTRAST)]
    assert low == [], "\n".join(map(str, sorted(set(low))))
    # the check itself finds pale text
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color:#aaa\">pale</p>')")
    assert [item.split(" ", 1)[1] for item in page.evaluate(LOW_CONTRAST)] == ['P. "pale"']
