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
    assert report.pairs == [{"a": "ana", "b": "bob", "articles": 1, "exact_f1": 0.0, "overlap_f1": 1.0,
                             "alpha": pytest.approx(8 / 15)}]
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
