"""Reliability: α from coincidence matrices equals the krippendorff package; bootstrap CIs; F1 per pair; downloads."""

import numpy as np
import pytest
from django.urls import reverse

from apps.assignments.models import Assignment
from apps.insights.reliability import alpha_from_coincidences, coincidences, reliability_report
from apps.review.agreement import alpha_nominal
from tests.factories import ArticleFactory, ThemeFactory
from tests.insights.conftest import span


@pytest.fixture
def double(db, analyst, other_analyst):
    """One article "a b c d", both analysts submitted: ana marks "a b" [T], bob marks "a" [T].

    Tokens (ana / bob): a (T/T), b (T/none), c (none/none), d (none/none). Coincidences: o_TT = 2, o_TN = o_NT = 1,
    o_NN = 4; n_T = 3, n_N = 5, n = 8. α = 1 − 7·2 / (64 − 9 − 25) = 1 − 14/30 = 8/15 ≈ 0.533.
    Exact F1: (0,3) vs (0,1) → 0; overlap F1: one match → 2·1/(1+1) = 1."""
    theme = ThemeFactory(name="Multipolarity")
    article = ArticleFactory(text="a b c d")
    for user in (analyst, other_analyst):
        Assignment.objects.create(article=article, analyst=user, state="submitted")
    span(article, "a b", analyst, [theme])
    span(article, "a", other_analyst, [theme])
    return {"article": article, "theme": theme}


def test_alpha_by_hand(double):
    report = reliability_report(bootstrap=50)
    overall, theme = report.rows
    assert overall.alpha == pytest.approx(8 / 15) and theme.alpha == pytest.approx(8 / 15)
    assert (overall.units, overall.articles) == (4, 1)
    assert (overall.exact_f1, overall.overlap_f1) == (0.0, 1.0)
    # one article: every resample is that article, so the interval is the point
    assert overall.low == pytest.approx(8 / 15) and overall.high == pytest.approx(8 / 15)
    assert report.pairs == [
        {"a": "ana", "b": "bob", "articles": 1, "exact_f1": 0.0, "overlap_f1": 1.0, "alpha": pytest.approx(8 / 15)}
    ]
    assert [(d["annotator"], d["text"]) for d in report.disagreements] == []  # the spans overlap


def test_coincidence_alpha_equals_the_krippendorff_package():
    rng = np.random.default_rng(1)
    data = rng.integers(0, 3, size=(3, 40)).astype(float)
    data[0, :5] = np.nan  # missing values
    counts = np.stack([(data == v).sum(axis=0) for v in range(3)], axis=1)
    assert alpha_from_coincidences(coincidences(counts)) == pytest.approx(alpha_nominal(data))


def test_bootstrap_interval_brackets_the_estimate_over_two_articles(double, analyst, other_analyst):
    """A second article where they agree exactly ("x y": both mark "x" [T]) makes resamples differ."""
    article = ArticleFactory(text="x y")
    for user in (analyst, other_analyst):
        Assignment.objects.create(article=article, analyst=user, state="approved")
    span(article, "x", analyst, [double["theme"]])
    span(article, "x", other_analyst, [double["theme"]])
    overall = reliability_report(bootstrap=400).rows[0]
    assert overall.low < overall.alpha < overall.high <= 1.0
    assert overall.high == pytest.approx(1.0)  # resamples of the agreeing article alone
    assert reliability_report(bootstrap=400).rows[0].low == overall.low  # a fixed seed


def test_downloads_csv_and_markdown(double, client_for, supervisor):
    client = client_for(supervisor)
    csv_text = client.get(reverse("insights:reliability") + "?format=csv").content.decode()
    assert csv_text.splitlines()[:2] == [
        "scope,articles,tokens,alpha,alpha_ci_low,alpha_ci_high,exact_f1,overlap_f1",
        "overall,1,4,0.533,0.533,0.533,0.000,1.000",
    ]
    md = client.get(reverse("insights:reliability") + "?format=md").content.decode()
    assert "| overall | 1 | 4 | 0.533 | [0.533, 0.533] | 0.000 | 1.000 |" in md
    page = client.get(reverse("insights:reliability"))
    assert page.status_code == 200 and 'id="alpha-spec"' in page.content.decode()


def test_a_span_nobody_else_marked_is_listed_as_a_disagreement(double, analyst):
    span(double["article"], "d", analyst, [double["theme"]])
    report = reliability_report(bootstrap=10)
    assert [(d["annotator"], d["text"]) for d in report.disagreements] == [("ana", "d")]


def test_the_report_equals_the_review_apps_pooled_agreement(db, analyst, other_analyst, supervisor):
    """Three analysts over four articles with overlapping, nested and themeless spans: every α and F1 the report
    gives is the one review.agreement.pooled_agreement (krippendorff package) gives."""
    from apps.review.agreement import pooled_agreement
    from apps.review.selectors import spans_for_agreement

    t1, t2 = ThemeFactory(name="One"), ThemeFactory(name="Two")
    texts = [
        "Xi met Putin in Moscow on Thursday.",
        "Sanctions hurt trade, the minister said.",
        "The UN must lead, both sides agreed.",
        "History matters: the war ended 80 years ago.",
    ]
    plan = {
        analyst: [("Xi met", [t1]), ("Moscow", [t2]), ("Sanctions hurt", [t1, t2]), ("UN must lead", [t1])],
        other_analyst: [("Xi met Putin", [t1]), ("trade", [t2]), ("UN", [t1]), ("the war", [t2])],
        supervisor: [("Putin", [t1]), ("minister", []), ("History", [t2])],
    }
    articles = [ArticleFactory(text=t) for t in texts]
    for user, marks in plan.items():
        for article in articles:
            Assignment.objects.create(article=article, analyst=user, state="approved")
        for fragment, themes in marks:
            article = next(a for a in articles if fragment in a.text)
            span(article, fragment, user, themes)
    report = reliability_report(bootstrap=20)
    spans = spans_for_agreement([a.pk for a in articles])
    pooled = pooled_agreement([(a.text, spans[a.pk]) for a in articles])
    by_scope = {r.scope: r for r in report.rows}
    assert by_scope["One"].alpha == pytest.approx(pooled.themes[t1.pk]["alpha"])
    assert by_scope["Two"].alpha == pytest.approx(pooled.themes[t2.pk]["alpha"])
    assert by_scope["Two"].overlap_f1 == pytest.approx(pooled.themes[t2.pk]["overlap"].f1)
    names = {analyst.pk: "ana", other_analyst.pk: "bob", supervisor.pk: "sue"}
    for (a, b), entry in pooled.pairs.items():
        row = next(p for p in report.pairs if (p["a"], p["b"]) == (names[a], names[b]))
        assert row["alpha"] == pytest.approx(entry["alpha"]) and row["exact_f1"] == entry["exact"].f1
        assert row["overlap_f1"] == entry["overlap"].f1
    # the overall α over three coders: the package on the same (article, token) units
    shared: dict = {}
    assert by_scope["overall"].alpha == pytest.approx(
        alpha_nominal(np.concatenate([np.array(_codes(a.text, spans[a.pk], shared)) for a in articles], axis=1))
    )


def _codes(text, spans_by_user, table):
    from apps.review.agreement import token_bounds, token_labels

    tokens = token_bounds(text)
    return [
        [float(table.setdefault(lab, len(table))) for lab in token_labels(tokens, spans_by_user[u])]
        for u in sorted(spans_by_user)
    ]


def test_the_stored_report_is_the_computed_report(double):
    """The refresh keeps the reliability report as JSON; the page reads it back unchanged."""
    from dataclasses import asdict

    from apps.insights.reliability import reliability_report
    from apps.insights.summaries import stored_reliability_report, summaries_refresh

    summaries_refresh()
    stored = stored_reliability_report()
    assert asdict(stored) == asdict(reliability_report()) and stored.rows[0].alpha is not None
