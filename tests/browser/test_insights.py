"""Insights in a browser: search to the passage, a themes cell to exactly its spans, a statement group, the
reliability download; every page at 1280 and 390 px without horizontal overflow (screenshots in test-artifacts)."""

import csv
import re

import pytest
from playwright.sync_api import expect

from apps.annotations.models import Annotation
from apps.assignments.models import Assignment
from apps.corpus.models import Article
from apps.review.services import gold_accept_agreed
from tests.browser.conftest import login
from tests.factories import ArticleFactory, ThemeFactory, UserFactory
from tests.insights.conftest import gold_of, reviewer, span

pytestmark = pytest.mark.django_db(transaction=True)


def _no_overflow(page):
    """Nothing in <main> overflows the viewport (wide tables scroll inside their own box). The top bar is
    base.html's and already overflows at 390 px for a supervisor's eight links, with or without Insights."""
    return page.evaluate("""() => { const m = document.querySelector('main');
        return m.scrollWidth <= m.clientWidth + 1 && m.getBoundingClientRect().right <= window.innerWidth + 1; }""")


def _both_widths(page, screenshot, name):
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(150)
        screenshot(page, f"{name}-{width}")
        assert _no_overflow(page), f"{name} overflows at {width} px"


@pytest.fixture
def coded_seeds(seed_articles):
    """The gold layer on the seed articles, built through the review services: on Xinhua, ana and bob both mark
    'Xi made the remarks' ['Ukraine war'] (accepted where they agree: ONE gold span) and ana alone 'The two leaders
    exchanged in-depth views' (accepted); on Reuters 'neo-Nazism' ['WWII memory'] (accepted); one pending
    'Ukraine war' span of ana's that must not be counted. ``counted``: the gold spans."""
    UserFactory(username="sue", role="Supervisor")
    ana, bob = UserFactory(username="ana", role="Analyst"), UserFactory(username="bob", role="Analyst")
    ukraine, wwii = ThemeFactory(name="Ukraine war", slug="ukraine"), ThemeFactory(name="WWII memory", slug="wwii")
    xinhua = next(a for a in seed_articles if a.outlet.name == "Xinhua")
    reuters = next(a for a in seed_articles if a.outlet.name == "Reuters")
    for analyst in (ana, bob):
        Assignment.objects.create(article=xinhua, analyst=analyst, state="submitted")
    agreed = [span(xinhua, "Xi made the remarks", analyst, [ukraine], status="pending") for analyst in (ana, bob)]
    assert gold_accept_agreed(article=xinhua, actor=reviewer()) == 1
    alone = span(xinhua, "The two leaders exchanged in-depth views", ana, [ukraine])
    nazism = span(reuters, "neo-Nazism", ana, [wwii])
    span(xinhua, "ROBUST TIES", ana, [ukraine], status="pending")
    counted = [gold_of(*agreed).get(), gold_of(alone).get(), gold_of(nazism).get()]
    return {"xinhua": xinhua, "reuters": reuters, "ukraine": ukraine, "wwii": wwii, "counted": counted}


def test_supervisor_searches_a_phrase_and_lands_on_the_passage(page, coded_seeds, screenshot):
    login(page, "sue")
    page.get_by_role("link", name="Insights").click()
    page.get_by_role("link", name="Search").click()
    page.fill("#id_q", '"correct historical perspective"')
    page.get_by_role("button", name="Search").click()
    hits = page.locator(".search-hits li")
    expect(hits.first).to_contain_text("correct historical perspective")
    _both_widths(page, screenshot, "search")
    page.set_viewport_size({"width": 1280, "height": 900})
    hits.first.locator("a.hit-title").click()
    page.wait_for_url(re.compile(r"/articles/\d+/\?hl=\d+-\d+#hl$"))
    pk, start, end = (int(x) for x in re.search(r"/articles/(\d+)/\?hl=(\d+)-(\d+)", page.url).groups())
    assert Article.objects.get(pk=pk).text[start:end].lower() == "correct historical perspective"
    paragraph = page.locator("#article-text p[data-start]").filter(has_text="correct historical perspective").first
    assert int(paragraph.get_attribute("data-start")) <= start < int(paragraph.get_attribute("data-end"))
    # static/js/insights_passage.js on the reading page marks the passage and scrolls to it
    mark = page.locator("mark.insights-hl")
    expect(mark).to_have_text("correct historical perspective")
    expect(mark).to_be_in_viewport()
    # running the script again (a second include, an htmx refresh of the text) must not mark the passage twice
    page.add_script_tag(url="/static/js/insights_passage.js")
    expect(mark).to_have_count(1)
    assert page.js_errors == []


def test_a_themes_cell_opens_exactly_the_spans_it_counts(page, coded_seeds, screenshot):
    login(page, "sue")
    page.goto("/insights/themes/?date_from=2025-05-01&date_to=2025-05-31")
    chart = page.locator('.vega-chart[data-spec="heatmap-spec"]')
    expect(chart).to_have_attribute("data-ready", "1")
    row = page.get_by_test_id("outlet-table").locator("tr", has_text="Ukraine war").filter(has_text="Xinhua")
    # two gold spans: the passage both analysts marked counts once, the pending span not at all
    expect(row.locator("td").nth(5)).to_have_text("2")
    _both_widths(page, screenshot, "themes")
    page.set_viewport_size({"width": 1280, "height": 900})
    cell = chart.locator('.mark-rect path[aria-label*="outlet: Xinhua"][aria-label*="theme: Ukraine war"]')
    cell.click(position={"x": 6, "y": 5})  # a corner: the printed number sits in the middle (it links too)
    page.wait_for_url("**/insights/spans/**")
    expect(page.get_by_test_id("span-count")).to_have_text("2")
    shown = {int(x) for x in page.locator("[data-span-id]").evaluate_all("rows => rows.map(r => r.dataset.spanId)")}
    assert shown == {s.pk for s in coded_seeds["counted"][:2]}
    expect(page.get_by_text("Gold standard (adjudicated by a reviewer)")).to_be_visible()
    expect(page.locator(f'[data-span-id="{coded_seeds["counted"][0].pk}"] [data-testid=gold-analysts]')).to_have_text(
        "ana, bob"
    )
    _both_widths(page, screenshot, "spans")
    assert page.js_errors == []


def test_the_statement_group_joins_the_xinhua_and_reuters_renderings(page, coded_seeds, screenshot):
    login(page, "sue")
    page.goto("/insights/statements/")
    page.get_by_role("link", name=re.compile("permanent members of the U.N. Security Council")).click()
    renderings = page.get_by_test_id("rendering")
    expect(renderings).to_have_count(2)
    assert renderings.evaluate_all("els => els.map(e => e.dataset.outlet)") == ["Reuters", "Xinhua"]
    expect(page.get_by_test_id("first-publisher")).to_have_text("Reuters")
    assert page.locator("mark.m-diff").count() > 5
    _both_widths(page, screenshot, "statement")
    page.goto("/insights/statements/")
    _both_widths(page, screenshot, "statements")
    page.goto("/insights/speakers/")
    expect(page.locator('.vega-chart[data-spec="voice-spec"]')).to_have_attribute("data-ready", "1")
    _both_widths(page, screenshot, "speakers")
    assert page.js_errors == []


def test_supervisor_downloads_the_reliability_table(page, screenshot, tmp_path):
    """ana marks "a b", bob marks "a" (same theme) on "a b c d": α = 8/15 ≈ 0.533, exact F1 0, overlap F1 1."""
    UserFactory(username="sue", role="Supervisor")
    ana, bob = UserFactory(username="ana", role="Analyst"), UserFactory(username="bob", role="Analyst")
    theme = ThemeFactory(name="Multipolarity")
    article = ArticleFactory(text="a b c d")
    for user in (ana, bob):
        Assignment.objects.create(article=article, analyst=user, state="submitted")
    span(article, "a b", ana, [theme])
    span(article, "a", bob, [theme])
    assert Annotation.objects.count() == 2

    login(page, "sue")
    page.goto("/insights/reliability/")
    expect(page.get_by_test_id("reliability-table")).to_contain_text("0.533")
    expect(page.locator('.vega-chart[data-spec="alpha-spec"]')).to_have_attribute("data-ready", "1")
    _both_widths(page, screenshot, "reliability")
    with page.expect_download() as info:
        page.get_by_test_id("download-csv").click()
    path = tmp_path / "reliability.csv"
    info.value.save_as(path)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0] == {
        "scope": "overall",
        "articles": "1",
        "tokens": "4",
        "alpha": "0.533",
        "alpha_ci_low": "0.533",
        "alpha_ci_high": "0.533",
        "exact_f1": "0.000",
        "overlap_f1": "1.000",
    }
    assert rows[1]["scope"] == "Multipolarity" and rows[1]["alpha"] == "0.533"
    assert page.js_errors == []


def test_a_cooccurrence_cell_opens_its_spans_and_the_rate_ratios_state_their_method(page, coded_seeds, screenshot):
    both = span(
        coded_seeds["reuters"],
        "Putin thanked Chinese President Xi Jinping",
        Annotation.objects.first().annotator,
        [coded_seeds["ukraine"], coded_seeds["wwii"]],
    )
    login(page, "sue")
    page.goto("/insights/themes/")
    page.get_by_role("link", name="Co-occurrence & rate ratios").click()
    expect(page.get_by_test_id("ratio-method")).to_contain_text("Poisson")
    page.select_option("select[name=level]", "article")
    cell = page.locator('[data-pair="Ukraine war|WWII memory"]')
    expect(cell).to_have_text("1")
    expect(page).to_have_url(re.compile(r"level=article"))
    expect(page.get_by_test_id("ratio-table").locator("tbody tr", has_text="Ukraine war")).to_be_visible()
    _both_widths(page, screenshot, "compare")
    page.set_viewport_size({"width": 1280, "height": 900})
    cell.click()
    page.wait_for_url("**/insights/spans/**")
    expect(page.get_by_test_id("span-count")).to_have_text("1")
    shown = page.locator("[data-span-id]").evaluate_all("rows => rows.map(r => Number(r.dataset.spanId))")
    assert shown == [gold_of(both).get().pk]
    assert page.js_errors == []


def test_the_article_list_searches_text_and_lands_on_the_passage(page, coded_seeds, screenshot):
    login(page, "sue")
    page.goto("/articles/")
    page.fill("#id_q", '"correct historical perspective"')
    rows = page.locator("#results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first.locator("mark").first).to_have_text(re.compile("correct historical perspective", re.I))
    _both_widths(page, screenshot, "article-list")
    page.set_viewport_size({"width": 1280, "height": 900})
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(r"/articles/\d+/\?hl=\d+-\d+#hl$"))
    mark = page.locator("mark.insights-hl")
    expect(mark).to_have_text("correct historical perspective")
    expect(mark).to_be_in_viewport()
    screenshot(page, "passage-1280")
    assert page.js_errors == []
