"""Reliability report: Krippendorff's α overall and per theme with bootstrap 95 % CIs, span F1 per analyst pair.

The articles are those of the review dashboard's pooled agreement (``review.selectors``): double-annotated
articles where at least two analysts' work is submitted or approved, the most recently finished first, each
counting the analysts whose work is finished. F1 and α are defined as in ``review.agreement`` (its
``exact_count``, ``overlap_count``, ``token_labels`` are used here; tests check the figures equal its
``pooled_agreement``); α is computed from coincidence matrices rather than by the ``krippendorff`` package.

Confidence intervals: a cluster bootstrap over articles (tokens of one article are not independent). Nominal α
only depends on the coincidence matrix, which is a sum over units, so each article's coincidence matrix is
computed once and a resample is a weighted sum of them: ``B`` resamples cost ``B`` small matrix sums, not ``B``
passes over the tokens. The interval is the 2.5th–97.5th percentile of the resampled α (fixed seed).
"""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from itertools import combinations

import numpy as np
from django.db.models import Count, Max

from apps.accounts.models import User
from apps.annotations.models import Theme
from apps.assignments.models import Assignment
from apps.corpus.models import Article
from apps.review.agreement import F1Count, exact_count, overlap_count, token_bounds, token_labels
from apps.review.selectors import AGREEMENT_SAMPLE, spans_for_agreement

BOOTSTRAP = 1000
SEED = 20250508
FINISHED = (Assignment.State.SUBMITTED, Assignment.State.APPROVED)


def finished_documents(*, limit: int = AGREEMENT_SAMPLE) -> list[tuple[int, str, dict]]:
    """(article id, text, {analyst id: [Span]}) for the ``limit`` most recently finished double-annotated articles."""
    finished = Assignment.objects.filter(state__in=FINISHED)
    article_ids = list(
        finished.values("article_id")
        .annotate(n=Count("id", distinct=True), last=Max("updated_at"))
        .filter(n__gte=2)
        .order_by("-last", "article_id")
        .values_list("article_id", flat=True)[:limit]
    )
    pairs = set(finished.filter(article_id__in=article_ids).values_list("article_id", "analyst_id"))
    spans = spans_for_agreement(article_ids)
    texts = dict(Article.objects.filter(pk__in=article_ids).values_list("id", "text"))
    docs = []
    for article_id in article_ids:
        per_user = {u: s for u, s in spans.get(article_id, {}).items() if (article_id, u) in pairs}
        docs.append((article_id, texts[article_id], per_user))
    return docs


def coincidences(counts: np.ndarray) -> np.ndarray:
    """Coincidence matrix of units × values counts (each row: how many coders gave each value to the unit)."""
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep].astype(float), m[keep]
    w = 1.0 / (m - 1)
    return (counts * w[:, None]).T @ counts - np.diag((counts * w[:, None]).sum(axis=0))


def alpha_from_coincidences(o: np.ndarray) -> float | None:
    """Nominal α = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k (Krippendorff 2011, eq. for nominal data)."""
    n_c = o.sum(axis=1)
    n = n_c.sum()
    expected = n * n - (n_c**2).sum()
    if n <= 1 or expected <= 0:
        return None
    return float(1 - (n - 1) * (n - np.trace(o)) / expected)


@dataclass(slots=True)
class Row:
    scope: str  # "overall" or the theme name
    articles: int
    units: int
    alpha: float | None
    low: float | None = None
    high: float | None = None
    exact_f1: float | None = None
    overlap_f1: float | None = None
    theme_id: int | None = None


@dataclass(slots=True)
class Report:
    rows: list[Row] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)
    disagreements: list[dict] = field(default_factory=list)
    n_articles: int = 0
    bootstrap: int = BOOTSTRAP


def _interval(per_article: np.ndarray, weights: np.ndarray) -> tuple[float | None, float | None]:
    """2.5th and 97.5th percentiles of α over the resamples (``weights``: B × articles, multinomial counts)."""
    sums = np.tensordot(weights, per_article, axes=(1, 0))  # B × K × K, one coincidence matrix per resample
    n_c = sums.sum(axis=2)
    n = n_c.sum(axis=1)
    expected = n * n - (n_c**2).sum(axis=1)
    ok = (n > 1) & (expected > 0)
    if not ok.any():
        return None, None
    alphas = 1 - (n[ok] - 1) * (n[ok] - np.trace(sums[ok], axis1=1, axis2=2)) / expected[ok]
    low, high = np.percentile(alphas, [2.5, 97.5])
    return float(low), float(high)


def _counts(coded: np.ndarray, k: int) -> np.ndarray:
    """coders × units codes → units × k counts of coders per value."""
    counts = np.zeros((coded.shape[1], k))
    for row in coded:
        np.add.at(counts, (np.arange(coded.shape[1]), row), 1)
    return counts


def reliability_report(
    *, limit: int = AGREEMENT_SAMPLE, bootstrap: int = BOOTSTRAP, seed: int = SEED, max_disagreements: int = 50
) -> Report:
    """α and F1 as ``review.agreement.pooled_agreement`` defines them (tests check they are equal), computed from
    per-article coincidence matrices so the bootstrap is cheap."""
    docs = [d for d in finished_documents(limit=limit) if len(d[2]) >= 2]
    report = Report(n_articles=len(docs), bootstrap=bootstrap)
    theme_ids = sorted({t for _, _, spans in docs for ss in spans.values() for s in ss for t in s.themes})
    codes: dict = {frozenset(): 0}
    coded_docs = []  # per article: (users, coders × units codes)
    theme_counts: dict = {t: [] for t in theme_ids}
    theme_f1 = {t: {"exact": F1Count(), "overlap": F1Count()} for t in theme_ids}
    pairs: dict = {}
    units = 0
    for index, (_, text, spans) in enumerate(docs):
        users = sorted(spans)
        tokens = token_bounds(text)
        labels = [token_labels(tokens, spans[u]) for u in users]
        coded_docs.append((users, np.array([[codes.setdefault(lab, len(codes)) for lab in row] for row in labels])))
        units += len(tokens)
        for (i, a), (j, b) in combinations(enumerate(users), 2):
            entry = pairs.setdefault((a, b), {"exact": F1Count(), "overlap": F1Count(), "cells": []})
            entry["exact"] += exact_count(spans[a], spans[b])
            entry["overlap"] += overlap_count(spans[a], spans[b])
            entry["cells"].append((index, i, j))
        for t in theme_ids:
            has = np.array([[t in lab for lab in row] for row in labels])
            theme_counts[t].append(np.stack([(~has).sum(axis=0), has.sum(axis=0)], axis=1))
            keep = {u: [s for s in spans[u] if t in s.themes] for u in users}
            for a, b in combinations(users, 2):
                theme_f1[t]["exact"] += exact_count(keep[a], keep[b])
                theme_f1[t]["overlap"] += overlap_count(keep[a], keep[b])
    k = len(codes)
    per_article = (
        np.array([coincidences(_counts(coded, k)) for _, coded in coded_docs]) if docs else np.zeros((0, k, k))
    )
    weights = (
        np.random.default_rng(seed).multinomial(len(docs), [1 / len(docs)] * len(docs), size=bootstrap)
        if docs
        else None
    )
    overall_alpha = alpha_from_coincidences(per_article.sum(axis=0)) if docs else None
    low, high = _interval(per_article, weights) if docs else (None, None)
    exact_total = sum((e["exact"] for e in pairs.values()), start=F1Count())
    overlap_total = sum((e["overlap"] for e in pairs.values()), start=F1Count())
    report.rows.append(Row("overall", len(docs), units, overall_alpha, low, high, exact_total.f1, overlap_total.f1))
    names = dict(Theme.objects.filter(pk__in=theme_ids).values_list("id", "name"))
    for t in theme_ids:
        per = np.array([coincidences(c) for c in theme_counts[t]])
        low, high = _interval(per, weights)
        report.rows.append(
            Row(
                names.get(t, str(t)),
                len(docs),
                units,
                alpha_from_coincidences(per.sum(axis=0)),
                low,
                high,
                theme_f1[t]["exact"].f1,
                theme_f1[t]["overlap"].f1,
                t,
            )
        )
    usernames = dict(User.objects.filter(pk__in={u for pair in pairs for u in pair}).values_list("id", "username"))
    for (a, b), entry in sorted(pairs.items()):
        coincidence = sum(coincidences(_counts(coded_docs[index][1][[i, j]], k)) for index, i, j in entry["cells"])
        report.pairs.append(
            {
                "a": usernames.get(a, a),
                "b": usernames.get(b, b),
                "articles": len(entry["cells"]),
                "exact_f1": entry["exact"].f1,
                "overlap_f1": entry["overlap"].f1,
                "alpha": alpha_from_coincidences(coincidence),
            }
        )
    report.disagreements = disagreements(docs, usernames, limit=max_disagreements)
    return report


def disagreements(docs, usernames: dict, *, limit: int) -> list[dict]:
    """Spans of one analyst that no span of another analyst on the same article overlaps."""
    found = []
    for article_id, text, spans in docs:
        for a, b in combinations(sorted(spans), 2):
            for mine, other, who in ((spans[a], spans[b], a), (spans[b], spans[a], b)):
                for s in sorted(set(mine), key=lambda s: (s.start, s.end)):
                    if overlap_count([s], other).matches == 0:
                        found.append(
                            {
                                "article_id": article_id,
                                "start": s.start,
                                "end": s.end,
                                "text": text[s.start : s.end],
                                "annotator": usernames.get(who, who),
                            }
                        )
                        if len(found) >= limit:
                            return found
    return found


METHOD_COLUMNS = ["scope", "articles", "tokens", "alpha", "alpha_ci_low", "alpha_ci_high", "exact_f1", "overlap_f1"]


def _fmt(value, digits=3):
    return "" if value is None else (f"{value:.{digits}f}" if isinstance(value, float) else value)


def method_rows(report: Report) -> list[list]:
    return [
        [r.scope, r.articles, r.units, _fmt(r.alpha), _fmt(r.low), _fmt(r.high), _fmt(r.exact_f1), _fmt(r.overlap_f1)]
        for r in report.rows
    ]


def methods_markdown(report: Report) -> str:
    """The methods-section table: one row per scope, α with its 95 % CI, F1."""
    out = io.StringIO()
    out.write(
        f"Inter-annotator agreement on {report.n_articles} double-annotated articles "
        f"(Krippendorff's α, nominal, on tokens; 95 % CI from {report.bootstrap} bootstrap resamples of "
        "articles; span F1 micro-averaged over analyst pairs).\n\n"
    )
    out.write("| Scope | Articles | Tokens | α | 95 % CI | Exact F1 | Overlap F1 |\n")
    out.write("| --- | ---: | ---: | ---: | --- | ---: | ---: |\n")
    for r in report.rows:
        ci = f"[{_fmt(r.low)}, {_fmt(r.high)}]" if r.low is not None else "—"
        scope = r.scope.replace("|", "\\|")
        out.write(
            f"| {scope} | {r.articles} | {r.units} | {_fmt(r.alpha) or '—'} | {ci} | "
            f"{_fmt(r.exact_f1) or '—'} | {_fmt(r.overlap_f1) or '—'} |\n"
        )
    return out.getvalue()


def report_to_json(report: Report) -> dict:
    return asdict(report)


def report_from_json(data: dict) -> Report:
    return Report(
        rows=[Row(**row) for row in data["rows"]],
        pairs=data["pairs"],
        disagreements=data["disagreements"],
        n_articles=data["n_articles"],
        bootstrap=data["bootstrap"],
    )
