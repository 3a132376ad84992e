"""Inter-annotator agreement: span F1 (exact and overlap) and Krippendorff's alpha on tokens.

Definitions (the numbers the review page and the dashboard show):

* **Spans** are an annotator's live spans on an article (``deleted_at IS NULL``), whatever their review status:
  agreement measures the analysts' own work, so reviewer edits (new spans owned by the reviewer) don't count.
  Annotators are the analysts assigned to the article. Duplicate (start, end) pairs of one annotator count once.
* **Exact F1** between annotators A and B: a span matches when both have the same ``[start, end)``.
  ``F1 = 2·matches / (|A| + |B|)`` (symmetric: precision of one is recall of the other).
* **Overlap F1**: a span of A matches a span of B when they share at least one character; the matching is
  one-to-one and maximum (augmenting paths, so one long span can't absorb two short ones and greedy order
  can't lose a match). Same formula with that matching's size.
* **Per theme**: the same, keeping only each annotator's spans that carry that theme.
* **Pooled** figures (per analyst pair, per theme across articles) are micro-averaged: matches and span counts
  are summed over articles before the formula is applied. With no span on either side F1 is undefined (None).
* **Krippendorff's alpha** (``krippendorff.alpha``, nominal) on tokens. Tokens are ``\\w+`` runs and single
  punctuation marks of the article text. Each token gets, per annotator, the *set* of themes of the spans
  covering it (the empty set meaning "none"), a nominal value. Per theme, the value is binary: whether a span
  carrying that theme covers the token. Across articles, every (article, token) is a unit; an annotator who has
  no assignment on an article contributes missing values there. Alpha is undefined (None) when the data hold a
  single value (e.g. nobody annotated anything) or fewer than two annotators.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import krippendorff
import numpy as np

TOKEN_RE = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    themes: frozenset = frozenset()


@dataclass(slots=True)
class F1Count:
    """Matches and span counts on both sides; adding counts micro-averages."""

    matches: int = 0
    n_a: int = 0
    n_b: int = 0

    def __add__(self, other: F1Count) -> F1Count:
        return F1Count(self.matches + other.matches, self.n_a + other.n_a, self.n_b + other.n_b)

    @property
    def f1(self) -> float | None:
        total = self.n_a + self.n_b
        return 2 * self.matches / total if total else None


def _bounds(spans: Iterable[Span]) -> list[tuple[int, int]]:
    return sorted({(s.start, s.end) for s in spans})


def exact_count(a: Iterable[Span], b: Iterable[Span]) -> F1Count:
    set_a, set_b = set(_bounds(a)), set(_bounds(b))
    return F1Count(len(set_a & set_b), len(set_a), len(set_b))


def overlap_count(a: Iterable[Span], b: Iterable[Span]) -> F1Count:
    """Maximum one-to-one matching of spans sharing at least one character (Kuhn's augmenting paths)."""
    list_a, list_b = _bounds(a), _bounds(b)
    # candidate edges by a sweep over B sorted by start: O((n + m) log m + edges)
    starts_b = [s for s, _ in list_b]
    edges: list[list[int]] = []
    for start, end in list_a:
        hi = bisect.bisect_left(starts_b, end)  # B spans starting before A ends
        edges.append([j for j in range(hi) if list_b[j][1] > start])
    match_b: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in match_b or augment(match_b[j], seen):
                match_b[j] = i
                return True
        return False

    matches = sum(1 for i in range(len(list_a)) if augment(i, set()))
    return F1Count(matches, len(list_a), len(list_b))


def token_bounds(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in TOKEN_RE.finditer(text)]


def token_labels(tokens: Sequence[tuple[int, int]], spans: Iterable[Span]) -> list[frozenset]:
    """For each token, the set of themes of the spans covering any of its characters."""
    labels: list[set] = [set() for _ in tokens]
    starts = [t[0] for t in tokens]
    for span in spans:
        # first token ending after span.start .. last token starting before span.end
        i = max(bisect.bisect_right(starts, span.start) - 1, 0)
        while i < len(tokens) and tokens[i][0] < span.end:
            if tokens[i][1] > span.start:
                labels[i] |= span.themes or {"(no theme)"}
            i += 1
    return [frozenset(label) for label in labels]


def alpha_nominal(rows) -> float | None:
    """Krippendorff's alpha (nominal) of coders × units; values are hashable, None is missing.

    ``rows`` may also be a float array of codes with NaN for missing (the fast path of the pooled figures).
    """
    if isinstance(rows, np.ndarray):
        data = rows
    else:
        if len(rows) < 2 or not len(rows[0]):
            return None
        codes: dict = {}
        data = np.array(
            [[np.nan if v is None else codes.setdefault(v, len(codes)) for v in row] for row in rows], dtype=float
        )
    if data.shape[0] < 2 or data.shape[1] == 0:
        return None
    # units coded by fewer than two coders carry no information on agreement
    data = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    values = data[~np.isnan(data)]
    if values.size == 0 or np.unique(values).size < 2:
        return None
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


@dataclass(slots=True)
class ArticleAgreement:
    """Agreement on one article between its annotators (user ids)."""

    annotators: list
    pairs: list[dict] = field(default_factory=list)  # {a, b, exact: F1Count, overlap: F1Count}
    themes: dict = field(default_factory=dict)  # theme_id -> {exact: F1Count, overlap: F1Count, alpha}
    alpha: float | None = None


def article_agreement(text: str, spans_by_annotator: dict, theme_ids: Iterable | None = None) -> ArticleAgreement:
    """Pairwise span F1 and alpha on one article. ``spans_by_annotator``: {user_id: [Span, ...]}."""
    annotators = sorted(spans_by_annotator)
    result = ArticleAgreement(annotators=annotators)
    for a, b in combinations(annotators, 2):
        sa, sb = spans_by_annotator[a], spans_by_annotator[b]
        result.pairs.append({"a": a, "b": b, "exact": exact_count(sa, sb), "overlap": overlap_count(sa, sb)})
    if theme_ids is None:
        theme_ids = sorted({t for spans in spans_by_annotator.values() for s in spans for t in s.themes})
    tokens = token_bounds(text)
    labels = {u: token_labels(tokens, spans_by_annotator[u]) for u in annotators}
    result.alpha = alpha_nominal([labels[u] for u in annotators])
    for theme in theme_ids:
        exact, overlap = F1Count(), F1Count()
        per_user = {u: [s for s in spans_by_annotator[u] if theme in s.themes] for u in annotators}
        for a, b in combinations(annotators, 2):
            exact += exact_count(per_user[a], per_user[b])
            overlap += overlap_count(per_user[a], per_user[b])
        alpha = alpha_nominal([[theme in label for label in labels[u]] for u in annotators])
        result.themes[theme] = {"exact": exact, "overlap": overlap, "alpha": alpha}
    return result


@dataclass(slots=True)
class PooledAgreement:
    """Agreement pooled over many articles: per analyst pair and per theme (micro-averaged F1, pooled alpha)."""

    n_articles: int = 0
    pairs: dict = field(default_factory=dict)  # (a, b) -> {exact, overlap, articles, alpha}
    themes: dict = field(default_factory=dict)  # theme -> {exact, overlap, alpha}


def pooled_agreement(documents: Iterable[tuple[str, dict]], theme_ids: Iterable | None = None) -> PooledAgreement:
    """``documents``: (text, {user_id: [Span]}) per article. Units of alpha are (article, token)."""
    docs = [(text, spans) for text, spans in documents if len(spans) >= 2]
    result = PooledAgreement(n_articles=len(docs))
    if theme_ids is None:
        theme_ids = sorted({t for _, spans in docs for ss in spans.values() for s in ss for t in s.themes})
    theme_ids = list(theme_ids)
    users = sorted({u for _, spans in docs for u in spans})
    row_of = {u: i for i, u in enumerate(users)}
    # token labels coded as integers once; a users × units matrix, NaN where a user didn't annotate the article
    codes: dict = {frozenset(): 0}
    blocks: list[np.ndarray] = []
    pair_cols: dict = {}
    col = 0
    for text, spans in docs:
        tokens = token_bounds(text)
        block = np.full((len(users), len(tokens)), np.nan)
        for u, user_spans in spans.items():
            block[row_of[u]] = [codes.setdefault(label, len(codes)) for label in token_labels(tokens, user_spans)]
        blocks.append(block)
        for a, b in combinations(sorted(spans), 2):
            entry = pair_cols.setdefault((a, b), {"exact": F1Count(), "overlap": F1Count(), "articles": 0, "cols": []})
            entry["exact"] += exact_count(spans[a], spans[b])
            entry["overlap"] += overlap_count(spans[a], spans[b])
            entry["articles"] += 1
            entry["cols"].append((col, col + len(tokens)))
        for t in theme_ids:
            entry = result.themes.setdefault(t, {"exact": F1Count(), "overlap": F1Count()})
            keep = {u: [s for s in spans[u] if t in s.themes] for u in spans}
            for a, b in combinations(sorted(spans), 2):
                entry["exact"] += exact_count(keep[a], keep[b])
                entry["overlap"] += overlap_count(keep[a], keep[b])
        col += len(tokens)
    matrix = np.concatenate(blocks, axis=1) if blocks else np.zeros((0, 0))
    labels = [None] * len(codes)
    for label, code in codes.items():
        labels[code] = label
    for (a, b), entry in pair_cols.items():
        cols = np.concatenate([np.arange(lo, hi) for lo, hi in entry.pop("cols")])
        entry["alpha"] = alpha_nominal(matrix[[row_of[a], row_of[b]]][:, cols])
        result.pairs[(a, b)] = entry
    finite = ~np.isnan(matrix)
    safe = np.where(finite, matrix, 0).astype(int)
    for t in theme_ids:
        has = np.array([t in label for label in labels], dtype=float)
        binary = np.where(finite, has[safe], np.nan)
        result.themes.setdefault(t, {"exact": F1Count(), "overlap": F1Count()})
        result.themes[t]["alpha"] = alpha_nominal(binary)
    return result
