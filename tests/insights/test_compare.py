"""Co-occurrence (same span / paragraph / article) and rate ratios with 95 % CIs, against hand-computed values."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.insights.compare import RateRatio, cooccurrence, rate_ratios
from apps.insights.filters import Filters
from apps.insights.themes import theme_outlet_cells, whole_range
from tests.factories import ArticleFactory

from .conftest import gold_of, span


@pytest.fixture
def paragraphs(figures):
    """On top of ``figures`` (counted: s1 a1 [T1, T2], s2 a1 [T1], s5 a3 [T2], s7 b1 [T1]; a1 is one paragraph):
    a4: T1 in paragraph 1, T2 in paragraph 2 (same article, different paragraphs);
    a5: T1 on 'Five six.' and T2 on 'Five' in its second paragraph (same paragraph, different spans)."""
    t1, t2, ana = figures["t1"], figures["t2"], figures["ana"]
    a4 = ArticleFactory(outlet=figures["reuters"], published=dt.date(2025, 1, 16), text="One two.\nThree four.")
    a5 = ArticleFactory(outlet=figures["reuters"], published=dt.date(2025, 1, 17), text="Zero.\nFive six.")
    extra = {
        "x": span(a4, "One two.", ana, [t1]),
        "y": span(a4, "Three four.", ana, [t2]),
        "z": span(a5, "Five six.", ana, [t1]),
        "w": span(a5, "Five", ana, [t2]),
    }
    return {**figures, **extra}


def test_cooccurrence_counts_units_carrying_both_themes(paragraphs):
    """T1 × T2: same span: s1 → 1; same paragraph: a1's paragraph, a5's second → 2; same article: a1, a4, a5 → 3.
    Diagonal T1: spans s1 s2 s7 x z → 5; paragraphs a1, b1, a4¶1, a5¶2 → 4; articles a1 b1 a4 a5 → 4."""
    t1, t2 = sorted([paragraphs["t1"].pk, paragraphs["t2"].pk])
    pair = (t1, t2)
    assert [cooccurrence(Filters(), level)[pair] for level in ("span", "paragraph", "article")] == [1, 2, 3]
    t1_id = paragraphs["t1"].pk
    assert [cooccurrence(Filters(), level)[(t1_id, t1_id)] for level in ("span", "paragraph", "article")] == [5, 4, 4]


@pytest.mark.parametrize(
    "level, expected", [("span", {"s1"}), ("paragraph", {"s1", "s2", "z"}), ("article", {"s1", "s2", "x", "z"})]
)
def test_a_cooccurrence_cell_lists_the_spans_behind_it(paragraphs, client_for, supervisor, level, expected):
    client = client_for(supervisor)
    page = client.get(reverse("insights:compare"), {"level": level})
    row = next(r for r in page.context["matrix"] if r["theme"].pk == paragraphs["t1"].pk)
    cell = next(c for c in row["cells"] if c["theme"].pk == paragraphs["t2"].pk)
    listed = client.get(f"{reverse('insights:spans')}?{cell['query']}").context["spans"]
    # the gold basis lists gold spans: each of these analyst spans was accepted into one
    assert {s.pk for s in listed} == set(gold_of(*[paragraphs[name] for name in expected]).values_list("pk", flat=True))
    assert len(listed) == len(expected)


def test_rate_ratio_per_1000_words_with_its_poisson_interval(figures):
    """T1, accepted: Xinhua 2 spans / 600 words, Reuters 1 / 400 → RR = (2/600)/(1/400) = 4/3;
    95 % CI = 4/3 · exp(∓1.96 √(1/2 + 1/1)) = 0.1209 – 14.704. T2: Reuters has 0 spans → undefined."""
    cells = whole_range(Filters(), theme_outlet_cells(Filters(), by_period=True))
    ratios = {r.theme: r for r in rate_ratios(cells, figures["xinhua"].pk, figures["reuters"].pk, "per_1000")}
    t1 = ratios["Multipolarity"]
    assert (t1.x1, t1.e1, t1.x2, t1.e2) == (2, 600, 1, 400)
    assert t1.ratio == pytest.approx(4 / 3)
    assert (t1.low, t1.high) == (pytest.approx(0.120902, abs=1e-5), pytest.approx(14.70427, abs=1e-4))
    assert ratios["Sanctions"].ratio is None and ratios["Sanctions"].low is None


def test_rate_ratio_of_article_shares(figures):
    """T1: Xinhua 1 of 3 articles, Reuters 1 of 1 → RR = 1/3, CI = 1/3 · exp(∓1.96 √2) = 0.02085 – 5.3292."""
    cells = whole_range(Filters(), theme_outlet_cells(Filters(), by_period=True))
    t1 = next(
        r
        for r in rate_ratios(cells, figures["xinhua"].pk, figures["reuters"].pk, "share")
        if r.theme_id == figures["t1"].pk
    )
    assert (t1.x1, t1.e1, t1.x2, t1.e2) == (1, 3, 1, 1)
    assert (t1.ratio, t1.low, t1.high) == (
        pytest.approx(1 / 3),
        pytest.approx(0.0208496, abs=1e-6),
        pytest.approx(5.329169, abs=1e-5),
    )


def test_zero_counts_leave_the_ratio_undefined():
    assert RateRatio(1, "T", 0, 10, 3, 10).ratio is None
    assert RateRatio(1, "T", 3, 10, 3, 0).interval == (None, None)


def test_the_page_states_the_method_and_downloads_both_tables(figures, client_for, supervisor):
    client = client_for(supervisor)
    query = {"outlet": figures["xinhua"].pk, "outlet2": figures["reuters"].pk, "metric": "per_1000"}
    page = client.get(reverse("insights:compare"), query)
    assert b"Poisson" in page.content and b"1.96" in page.content
    ratios = client.get(reverse("insights:compare"), {**query, "format": "csv", "table": "ratios"})
    lines = ratios.content.decode().splitlines()
    assert lines[0].startswith("theme,outlet_1,count_1,exposure_1")
    assert "Multipolarity,Xinhua,2,600,Reuters,1,400,1.3333,0.1209,14.7043" in lines[1]
    matrix = client.get(reverse("insights:compare"), {"format": "csv", "level": "article"}).content.decode()
    assert matrix.splitlines()[0] == "theme,Multipolarity,Sanctions"
    assert matrix.splitlines()[1] == "Multipolarity,2,1"


@pytest.mark.parametrize("basis", ["gold", "submitted"])
@pytest.mark.parametrize("level", ["span", "paragraph", "article"])
def test_cooccurrence_from_the_summary_equals_the_live_counts(paragraphs, basis, level):
    from apps.insights.summaries import summaries_refresh

    summaries_refresh()
    for filters in (Filters(basis=basis), Filters(basis=basis, date_from=dt.date(2025, 1, 16))):
        assert cooccurrence(filters, level, summary=True) == cooccurrence(filters, level)
    if basis == "gold":
        assert cooccurrence(Filters(), level, summary=True)
