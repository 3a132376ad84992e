"""The gold layer is the default basis of every figure: agreeing analysts count once, a boundary the supervisor
fixed is the one counted, a rejected span counts nowhere; the summary tables hold the same figures and go stale
when the gold layer changes. Every figure below is computed by hand in the fixture's docstring."""

import datetime as dt
from dataclasses import asdict

import pytest
from django.urls import reverse

from apps.assignments.models import Assignment
from apps.insights.compare import cooccurrence
from apps.insights.filters import BASES, Filters
from apps.insights.speakers import top_speakers_per_theme
from apps.insights.summaries import current, summaries_refresh
from apps.insights.themes import counted_spans, theme_outlet_cells
from apps.quotes.models import Speaker
from apps.review.models import GoldSpan
from apps.review.services import (
    disagreement_fix,
    disagreement_reject,
    gold_accept_agreed,
    gold_span_delete,
    gold_span_put,
)
from tests.factories import ArticleFactory, OutletFactory, ThemeFactory, UserFactory

from .conftest import quote, reviewer, span, words

LEAD = "Alpha beta gamma. Delta epsilon zeta. Eta theta iota."


@pytest.fixture
def adjudicated(db):
    """One Xinhua article g1 of 100 words, double-coded by ana and bob (both submitted), adjudicated by "rev":

    * "Alpha beta gamma." [T1]: ana and bob agree exactly → "accept where analysts agree" makes ONE gold span;
    * "Delta epsilon" (ana) vs "Delta epsilon zeta." (bob), both [T2]: the supervisor fixes it to "epsilon zeta."
      [T2] (one gold span, made from both);
    * "Eta theta" [T1] (ana alone): rejected with a reason → no gold span.

    Gold basis: T1 1 span (1 article: share 1/1, 1 × 1000 / 100 = 10 per 1,000 words); T2 1 span "epsilon zeta."
    (share 1, 10). Submitted basis (the analysts' own finished work, whatever the review said): T1 3 spans (ana's and
    bob's "Alpha…", ana's rejected "Eta theta"), 30 per 1,000 words; T2 2 spans, 20.
    Co-occurrence (article level, gold): T1 × T2 = 1; (span level) 0.
    Quotes: Lavrov on "Delta" (inside bob's span, outside the fixed gold boundary), Wang on "zeta" and on "beta".
    Speaker × theme, gold: T1 Wang 1; T2 Wang 1 (Lavrov's "Delta" is outside the gold span). Submitted: T1 Wang 1;
    T2 Lavrov 1, Wang 1.
    """
    ana, bob = UserFactory(username="ana", role="Analyst"), UserFactory(username="bob", role="Analyst")
    t1, t2 = ThemeFactory(name="Multipolarity", slug="t1", order=1), ThemeFactory(name="Sanctions", slug="t2", order=2)
    xinhua = OutletFactory(name="Xinhua")
    g1 = ArticleFactory(outlet=xinhua, title="G1", published=dt.date(2025, 3, 3), text=words(100, LEAD))
    for analyst in (ana, bob):
        Assignment.objects.create(article=g1, analyst=analyst, state="submitted")
    spans = {
        "ana_alpha": span(g1, "Alpha beta gamma.", ana, [t1], status="pending"),
        "bob_alpha": span(g1, "Alpha beta gamma.", bob, [t1], status="pending"),
        "ana_delta": span(g1, "Delta epsilon", ana, [t2], status="pending"),
        "bob_delta": span(g1, "Delta epsilon zeta.", bob, [t2], status="pending"),
        "ana_eta": span(g1, "Eta theta", ana, [t1], status="pending"),
    }
    rev = reviewer()
    assert gold_accept_agreed(article=g1, actor=rev) == 1
    start = g1.text.index("epsilon zeta.")
    disagreement_fix(
        article=g1,
        annotation_id=spans["ana_delta"].pk,
        versions={},
        start=start,
        end=start + len("epsilon zeta."),
        theme_ids=[t2.pk],
        actor=rev,
    )
    eta = spans["ana_eta"]
    eta.refresh_from_db()
    disagreement_reject(article=g1, annotation_id=eta.pk, expected_version=eta.version, actor=rev, reason="Off topic.")
    lavrov, wang = Speaker.objects.create(name="Sergey Lavrov"), Speaker.objects.create(name="Wang Yi")
    quote(g1, "Delta", lavrov, "direct")
    quote(g1, "zeta", wang, "direct")
    quote(g1, "beta", wang, "indirect")
    return {"g1": g1, "t1": t1, "t2": t2, "xinhua": xinhua, "rev": rev, "lavrov": lavrov, "wang": wang, **spans}


def _whole(filters):
    return {c.theme: c for c in theme_outlet_cells(filters, by_period=False)}


def test_the_gold_layer_is_the_default_basis_and_is_labelled_so():
    assert Filters().basis == "gold" and Filters.from_query({}).basis == "gold"
    assert BASES["gold"] == "Gold standard (adjudicated by a reviewer)"
    assert Filters.from_query({"basis": "accepted"}).basis == "gold"  # an old shared link reads the gold layer


def test_agreeing_analysts_count_once_and_the_fixed_boundary_is_the_one_counted(adjudicated):
    gold = _whole(Filters())
    t1, t2 = gold["Multipolarity"], gold["Sanctions"]
    assert (t1.articles, t1.words, t1.articles_with_theme, t1.spans, t1.per_1000) == (1, 100, 1, 1, 10.0)
    assert (t2.articles_with_theme, t2.spans, t2.share, t2.per_1000) == (1, 1, 1.0, 10.0)
    assert sorted(counted_spans(Filters()).values_list("text", flat=True)) == ["Alpha beta gamma.", "epsilon zeta."]


def test_all_submitted_work_counts_every_analyst_span(adjudicated):
    submitted = _whole(Filters(basis="submitted"))
    assert (submitted["Multipolarity"].spans, submitted["Multipolarity"].per_1000) == (3, 30.0)
    assert (submitted["Sanctions"].spans, submitted["Sanctions"].per_1000) == (2, 20.0)


def test_a_rejected_span_counts_on_no_gold_figure(adjudicated):
    eta = adjudicated["ana_eta"]
    eta.refresh_from_db()
    assert eta.status == "rejected"
    gold_t1 = counted_spans(Filters(theme=adjudicated["t1"].pk))
    assert [g.text for g in gold_t1] == ["Alpha beta gamma."]
    assert not GoldSpan.objects.filter(sources=eta).exists()


def test_cooccurrence_and_speakers_read_the_gold_boundaries(adjudicated):
    t1, t2 = sorted([adjudicated["t1"].pk, adjudicated["t2"].pk])
    assert cooccurrence(Filters(), "article")[(t1, t2)] == 1
    assert (t1, t2) not in cooccurrence(Filters(), "span")
    assert cooccurrence(Filters(), "span")[(t1, t1)] == 1  # one gold span, two analysts
    assert cooccurrence(Filters(basis="submitted"), "span")[(t1, t1)] == 3

    def speakers(basis):
        return {
            t["theme"].name: [(s["speaker__name"], s["n"]) for s in t["speakers"]]
            for t in top_speakers_per_theme(Filters(basis=basis))
        }

    assert speakers("gold") == {"Multipolarity": [("Wang Yi", 1)], "Sanctions": [("Wang Yi", 1)]}
    assert speakers("submitted") == {
        "Multipolarity": [("Wang Yi", 1)],
        "Sanctions": [("Sergey Lavrov", 1), ("Wang Yi", 1)],
    }


def test_the_spans_list_shows_the_gold_spans_with_their_analysts(adjudicated, client_for, supervisor):
    cell = _whole(Filters())["Sanctions"]
    response = client_for(supervisor).get(f"{reverse('insights:spans')}?{cell.query}")
    listed = list(response.context["spans"])
    assert [(s.text, s.analysts, s.origin) for s in listed] == [("epsilon zeta.", ["ana", "bob"], "fixed")]
    body = response.content.decode()
    g = listed[0]
    assert "Gold standard (adjudicated by a reviewer)" in body and "ana, bob" in body
    assert f"?hl={g.start}-{g.end}#hl" in body  # links to the passage
    submitted = _whole(Filters(basis="submitted"))["Sanctions"]
    listed = client_for(supervisor).get(f"{reverse('insights:spans')}?{submitted.query}").context["spans"]
    assert sorted((s.annotator.username, s.text) for s in listed) == [
        ("ana", "Delta epsilon"),
        ("bob", "Delta epsilon zeta."),
    ]


@pytest.mark.parametrize("basis", list(BASES))
def test_the_summary_tables_equal_the_live_figures_on_either_basis(adjudicated, basis):
    summaries_refresh()
    filters = Filters(basis=basis)
    for by_period in (True, False):
        live = [asdict(c) for c in theme_outlet_cells(filters, by_period=by_period)]
        assert [asdict(c) for c in theme_outlet_cells(filters, by_period=by_period, summary=True)] == live
    for level in ("span", "paragraph", "article"):
        assert cooccurrence(filters, level, summary=True) == cooccurrence(filters, level)
    themes = [
        (t["theme"].pk, [(s["speaker_id"], s["n"]) for s in t["speakers"]]) for t in top_speakers_per_theme(filters)
    ]
    assert themes == [
        (t["theme"].pk, [(s["speaker_id"], s["n"]) for s in t["speakers"]])
        for t in top_speakers_per_theme(filters, summary=True)
    ]


def test_the_summaries_go_stale_when_the_gold_layer_changes(adjudicated):
    summaries_refresh()
    assert current()
    gold = GoldSpan.objects.get(text="epsilon zeta.")
    gold_span_put(  # the supervisor adds a theme to the gold span: same offsets, so the same row, one more theme
        article=gold.article,
        start=gold.start,
        end=gold.end,
        theme_ids=[adjudicated["t1"].pk],
        sources=[],
        origin=gold.origin,
        actor=adjudicated["rev"],
    )
    assert gold.themes.count() == 2
    assert not current()
    summaries_refresh()
    assert current()
    gold.refresh_from_db()
    gold_span_delete(gold=gold, actor=adjudicated["rev"], version=gold.version)
    assert not current()
    assert _whole(Filters())["Sanctions"].spans == 0


def test_the_reliability_report_still_compares_the_analysts_own_spans(adjudicated):
    """Agreement is about the analysts: ana's 3 spans (the rejected one too) vs bob's 2, one exact match ("Alpha…",
    same theme) → exact F1 = 2·1 / (3 + 2) = 0.4, whatever the gold layer holds."""
    from apps.insights.reliability import reliability_report

    overall = reliability_report(bootstrap=50).rows[0]
    assert overall.articles == 1 and overall.exact_f1 == pytest.approx(0.4)
