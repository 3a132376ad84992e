"""Agreement numbers checked against values computed by hand (the working is in each docstring)."""

import pytest

from apps.review.agreement import (
    Span,
    alpha_nominal,
    article_agreement,
    exact_count,
    overlap_count,
    pooled_agreement,
    token_bounds,
    token_labels,
)

X, Y = 1, 2


def spans(*bounds, themes=(X,)):
    return [Span(s, e, frozenset(themes)) for s, e in bounds]


def test_exact_f1_counts_identical_offsets_only():
    """A = {[0,5), [10,20)}, B = {[0,5), [12,18), [30,40)}: 1 match; F1 = 2·1 / (2 + 3) = 0.4."""
    count = exact_count(spans((0, 5), (10, 20)), spans((0, 5), (12, 18), (30, 40)))
    assert (count.matches, count.n_a, count.n_b) == (1, 2, 3)
    assert count.f1 == pytest.approx(0.4)


def test_overlap_f1_matches_any_shared_character():
    """Same spans: [0,5)~[0,5) and [10,20)~[12,18) → 2 matches; F1 = 2·2 / 5 = 0.8."""
    count = overlap_count(spans((0, 5), (10, 20)), spans((0, 5), (12, 18), (30, 40)))
    assert count.matches == 2
    assert count.f1 == pytest.approx(0.8)


def test_overlap_is_one_to_one_a_long_span_matches_only_one_short_span():
    """A = {[0,10)}, B = {[0,4), [5,9)}: one match; F1 = 2·1 / 3 = 0.667."""
    assert overlap_count(spans((0, 10)), spans((0, 4), (5, 9))).f1 == pytest.approx(2 / 3)


def test_overlap_matching_is_maximum_not_greedy():
    """A = {[0,10), [8,12)}, B = {[0,3), [9,11)}. Greedy A[0]→[9,11) would strand [8,12); the maximum pairs
    [0,10)~[0,3) and [8,12)~[9,11): 2 matches, F1 = 1.0."""
    assert overlap_count(spans((0, 10), (8, 12)), spans((9, 11), (0, 3))).f1 == 1.0


def test_touching_spans_do_not_overlap_half_open():
    assert overlap_count(spans((0, 5)), spans((5, 9))).matches == 0


def test_f1_is_undefined_without_spans():
    assert exact_count([], []).f1 is None
    assert exact_count(spans((0, 1)), []).f1 == 0.0


def test_tokens_are_words_and_punctuation_with_code_point_offsets():
    assert token_bounds("Xi, 習近平 said.") == [(0, 2), (2, 3), (4, 7), (8, 12), (12, 13)]


def test_token_labels_take_every_theme_covering_the_token():
    tokens = token_bounds("aa bb cc")  # (0,2) (3,5) (6,8)
    labels = token_labels(tokens, [Span(1, 4, frozenset({X})), Span(3, 5, frozenset({Y}))])
    assert labels == [frozenset({X}), frozenset({X, Y}), frozenset()]


def test_alpha_binary_by_hand():
    """Coders A = [0,1,1,0], B = [0,0,1,1]. Coincidences: o00 = 2, o11 = 2, o01 = o10 = 2; n0 = n1 = 4, n = 8.
    Do = (o01 + o10) / n = 4/8 = 0.5; De = 2·n0·n1 / (n(n-1)) = 32/56 = 4/7; alpha = 1 - 0.5 / (4/7) = 0.125."""
    assert alpha_nominal([[0, 1, 1, 0], [0, 0, 1, 1]]) == pytest.approx(0.125)


def test_alpha_is_undefined_with_a_single_value():
    assert alpha_nominal([[0, 0, 0], [0, 0, 0]]) is None
    assert alpha_nominal([[0, 1, 0]]) is None


def test_article_agreement_by_hand():
    """Text "aa bb cc dd" (tokens at 0, 3, 6, 9). A marks "aa bb" [0,5) with X; B marks "bb cc" [3,8) with X.

    Exact: 0 matches → F1 0. Overlap: [0,5)~[3,8) → F1 = 2·1 / 2 = 1.0.
    Tokens: A = {X},{X},∅,∅ and B = ∅,{X},{X},∅, i.e. [1,1,0,0] vs [0,1,1,0]: units (1,0) (1,1) (0,1) (0,0) give
    o00 = 2, o11 = 2, o01 = o10 = 2, as in test_alpha_binary_by_hand → alpha = 0.125, overall and for theme X."""
    result = article_agreement("aa bb cc dd", {10: spans((0, 5)), 20: spans((3, 8))})
    (pair,) = result.pairs
    assert (pair["a"], pair["b"]) == (10, 20)
    assert pair["exact"].f1 == 0.0
    assert pair["overlap"].f1 == 1.0
    assert result.alpha == pytest.approx(0.125)
    assert result.themes[X]["alpha"] == pytest.approx(0.125)
    assert result.themes[X]["overlap"].f1 == 1.0


def test_article_agreement_per_theme_separates_themes():
    """Same bounds, different themes: exact F1 is 1 overall, but 0 for X and for Y separately (each theme's
    spans exist on one side only: F1 = 2·0 / (1 + 0))."""
    result = article_agreement("aa bb", {1: spans((0, 2), themes=(X,)), 2: spans((0, 2), themes=(Y,))})
    assert result.pairs[0]["exact"].f1 == 1.0
    assert result.themes[X]["exact"].f1 == 0.0
    assert result.themes[Y]["exact"].f1 == 0.0
    # tokens: A = {X}, ∅; B = {Y}, ∅ → values X, none / Y, none: the second unit agrees, the first doesn't.
    # o(none,none) = 2, o(X,Y) = o(Y,X) = 1; n = 4, n_none = 2, n_X = n_Y = 1.
    # Do = 2/4 = 0.5; De = (2·1 + 2·1 + 1·1 + 1·2 + 1·2 + 1·1) / (4·3) = 10/12; alpha = 1 - 0.5·12/10 = 0.4
    assert result.alpha == pytest.approx(0.4)


def test_pooled_agreement_micro_averages_over_articles():
    """Article 1: A {[0,2)} vs B {[0,2)} → 1 exact match. Article 2: A {[0,2),[3,5)} vs B {} → 0.
    Pooled exact F1 = 2·1 / (3 + 1) = 0.5 (a macro average of 1.0 and 0.0 would also say 0.5, so article 3
    adds A {} vs B {[0,2)}: 2·1 / (3 + 2) = 0.4, where the macro mean would be 0.333)."""
    docs = [
        ("aa bb", {1: spans((0, 2)), 2: spans((0, 2))}),
        ("aa bb", {1: spans((0, 2), (3, 5)), 2: []}),
        ("aa bb", {1: [], 2: spans((0, 2))}),
        ("aa bb", {1: spans((0, 2))}),  # single annotator: ignored
    ]
    result = pooled_agreement(docs)
    assert result.n_articles == 3
    pair = result.pairs[(1, 2)]
    assert pair["articles"] == 3
    assert pair["exact"].f1 == pytest.approx(0.4)
    assert result.themes[X]["exact"].f1 == pytest.approx(0.4)
    # tokens (aa, bb) × 3 articles: A = 1,0 | 1,1 | 0,0 ; B = 1,0 | 0,0 | 1,0 (1 = {X})
    # agree on units 1, 2, 6 (values 1,0,0); disagree on 3, 4, 5 → o11 = 2, o00 = 4, o01 = o10 = 3; n = 12,
    # n1 = 5, n0 = 7. Do = 6/12 = 0.5; De = 2·5·7 / (12·11) = 70/132; alpha = 1 - 0.5·132/70 = 0.0571
    assert pair["alpha"] == pytest.approx(1 - 0.5 * 132 / 70)
