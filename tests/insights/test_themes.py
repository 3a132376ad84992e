"""Themes by outlet over time: shares, spans per 1,000 words, the basis choice, the list behind a cell, the CSV."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from apps.insights.filters import Filters
from apps.insights.themes import cell_rows, counted_spans, period_end, period_start, theme_outlet_cells

from .conftest import gold_of


def _cells(filters, by_period=False):
    return {(c.outlet, c.theme, c.period): c for c in theme_outlet_cells(filters, by_period=by_period)}


def test_gold_basis_counts_the_gold_spans_of_the_accepted_live_spans(figures):
    """Xinhua has 3 articles (600 words); gold T1 spans (from the accepted s1, s2) on a1 → share 1/3, 2×1000/600 = 3.333.
    T2: s1 (a1) and s5 (a3) → 2/3, 3.333. Reuters (1 article, 400 words): T1 s7 → 1/1, 2.5; T2 none."""
    cells = _cells(Filters())
    x1, x2 = cells[("Xinhua", "Multipolarity", None)], cells[("Xinhua", "Sanctions", None)]
    assert (x1.articles, x1.words, x1.articles_with_theme, x1.spans) == (3, 600, 1, 2)
    assert x1.share == pytest.approx(1 / 3) and x1.per_1000 == pytest.approx(3.3333, abs=1e-4)
    assert (x2.articles_with_theme, x2.spans) == (2, 2) and x2.share == pytest.approx(2 / 3)
    r1, r2 = cells[("Reuters", "Multipolarity", None)], cells[("Reuters", "Sanctions", None)]
    assert (r1.share, r1.per_1000) == (1.0, 2.5)
    assert (r2.share, r2.spans, r2.per_1000) == (0.0, 0, 0.0)


def test_submitted_basis_counts_finished_work_whatever_its_review_status(figures):
    """Finished work: ana's on a1 (submitted: s1, s2, s3 incl. pending) and bob's on a2 (approved: s4 rejected).
    Xinhua T1: a1 → 1/3, 3 spans → 5.0 per 1,000 words; T2: a1 (s1) and a2 (s4) → 2/3. Reuters: nothing
    (ana has no assignment on b1); a3's s5 doesn't count (in progress)."""
    cells = _cells(Filters(basis="submitted"))
    x1, x2 = cells[("Xinhua", "Multipolarity", None)], cells[("Xinhua", "Sanctions", None)]
    assert (x1.articles_with_theme, x1.spans, x1.per_1000) == (1, 3, 5.0)
    assert (x2.articles_with_theme, x2.spans) == (2, 2)
    assert cells[("Reuters", "Multipolarity", None)].spans == 0


def test_months_split_the_articles_and_the_date_range_clips_them(figures):
    """January: Xinhua a1 + a2 (400 words): T1 1/2, 2 spans → 5.0; February: a3 alone. With date_to = Jan 15 only
    a1 (100 words) is left for Xinhua: T1 share 1, 20 per 1,000 words."""
    cells = _cells(Filters(), by_period=True)
    jan, feb = (
        cells[("Xinhua", "Multipolarity", dt.date(2025, 1, 1))],
        cells[("Xinhua", "Multipolarity", dt.date(2025, 2, 1))],
    )
    assert (jan.articles, jan.words, jan.share, jan.per_1000) == (2, 400, 0.5, 5.0)
    assert (feb.articles, feb.spans, feb.share) == (1, 0, 0.0)
    clipped = _cells(Filters(date_to=dt.date(2025, 1, 15)))
    assert (clipped[("Xinhua", "Multipolarity", None)].share, clipped[("Xinhua", "Multipolarity", None)].per_1000) == (
        1.0,
        20.0,
    )


def test_weeks_start_on_monday():
    assert period_start(dt.date(2025, 1, 10), "week") == dt.date(2025, 1, 6)  # a Friday
    assert period_end(dt.date(2025, 1, 6), "week") == dt.date(2025, 1, 12)
    assert period_end(dt.date(2024, 2, 1), "month") == dt.date(2024, 2, 29)


def test_weekly_cells_are_keyed_by_their_monday(figures):
    cells = _cells(Filters(granularity="week"), by_period=True)
    assert cells[("Xinhua", "Multipolarity", dt.date(2025, 1, 6))].spans == 2  # a1, Friday 10 January


def test_a_cell_links_to_exactly_the_spans_it_counts(figures, client_for, supervisor):
    cells = _cells(Filters(), by_period=True)
    jan = cells[("Xinhua", "Multipolarity", dt.date(2025, 1, 1))]
    response = client_for(supervisor).get(f"{reverse('insights:spans')}?{jan.query}")
    assert response.status_code == 200
    shown = [row.pk for row in response.context["spans"]]
    assert sorted(shown) == sorted(gold_of(figures["s1"], figures["s2"]).values_list("pk", flat=True))
    assert len(shown) == 2
    assert "2</strong> spans" in response.content.decode()
    submitted = Filters(basis="submitted", outlet=figures["xinhua"].pk, theme=figures["t2"].pk)
    assert set(counted_spans(submitted).values_list("pk", flat=True)) == {figures["s1"].pk, figures["s4"].pk}


def test_the_page_draws_both_charts_and_the_csv_is_the_table(figures, client_for, supervisor):
    client = client_for(supervisor)
    page = client.get(reverse("insights:themes"))
    body = page.content.decode()
    assert (
        'id="heatmap-spec"' in body
        and 'id="lines-spec"' in body
        and "<script>" not in body.replace('type="application/json"', "")
    )
    assert page.context["line_theme"] == figures["t1"]  # the most counted spans: T1 (3) over T2 (2)
    response = client.get(reverse("insights:themes") + "?format=csv&table=outlets")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["outlet", "theme", "period", "articles"]
    assert ["Xinhua", "Multipolarity", "", "3", "1", "0.3333", "2", "600", "3.333"] in rows
    assert rows[1:] == [[str(v) for v in r] for r in cell_rows(theme_outlet_cells(Filters(), by_period=False))]
    periods = list(
        csv.reader(io.StringIO(client.get(reverse("insights:themes") + "?format=csv&table=periods").content.decode()))
    )
    assert [r[:3] + r[5:7] for r in periods[1:]] == [
        ["Reuters", "Multipolarity", "2025-01-01", "1.0", "1"],
        ["Xinhua", "Multipolarity", "2025-01-01", "0.5", "2"],
        ["Xinhua", "Multipolarity", "2025-02-01", "0.0", "0"],
    ]


def test_htmx_filter_change_returns_only_the_results(figures, client_for, supervisor):
    response = client_for(supervisor).get(
        reverse("insights:themes") + "?basis=submitted", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results">') and "<form" not in body


def test_a_formula_in_a_theme_name_is_neutralised_in_the_csv(figures, client_for, supervisor):
    figures["t1"].name = "=HYPERLINK(1)"
    figures["t1"].save()
    text = client_for(supervisor).get(reverse("insights:themes") + "?format=csv").content.decode()
    assert "'=HYPERLINK(1)" in text


def test_whole_range_cells_are_the_sums_of_their_periods(figures):
    from apps.insights.themes import whole_range

    for granularity in ("month", "week"):
        f = Filters(granularity=granularity, basis="submitted")
        merged = {(c.outlet, c.theme): c for c in whole_range(f, theme_outlet_cells(f, by_period=True))}
        direct = {(c.outlet, c.theme): c for c in theme_outlet_cells(f, by_period=False)}
        assert merged.keys() == direct.keys()
        for key, cell in direct.items():
            m = merged[key]
            assert (m.articles, m.words, m.articles_with_theme, m.spans, m.query) == (
                cell.articles,
                cell.words,
                cell.articles_with_theme,
                cell.spans,
                cell.query,
            )


@pytest.mark.parametrize("basis", ["gold", "submitted"])
def test_counted_links_are_the_theme_rows_of_the_counted_spans(figures, basis):
    from apps.insights.themes import counted_basis, counted_links

    counted = counted_basis(basis)
    for f in (
        Filters(basis=basis),
        Filters(basis=basis, outlet=figures["xinhua"].pk, date_to=dt.date(2025, 1, 31)),
        Filters(basis=basis, theme=figures["t2"].pk),
    ):
        expected = set(
            counted.link_model.objects.filter(**{f"{counted.span}__in": counted_spans(f)})
            .exclude(
                theme_id__in=[] if not f.theme else [t for t in (figures["t1"].pk, figures["t2"].pk) if t != f.theme]
            )
            .values_list(counted.span_id, "theme_id")
        )
        assert expected and set(counted_links(f).values_list(counted.span_id, "theme_id")) == expected
