"""Measuring the suggester: split coded sentences by article, train on one part, score the top suggestion on the
other. Plain Python over ``DevArticle`` records, so the development set fixture and the database's accepted spans
go through the same code (the ``evaluate_suggestions`` command).

Top-suggestion scoring (multi-label gold): each test sentence gets at most one predicted theme, the best-scoring
one if it reaches the threshold. A prediction in the gold set is a true positive for that theme, otherwise a false
positive; every gold theme not predicted is a false negative. Micro-F1 sums the counts over themes.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .learning import CodebookEntry, Example, ThemeSuggester, keyword_only

CURVE = (5, 10, 20, 50)


@dataclass(frozen=True)
class DevArticle:
    key: str
    sentences: tuple[tuple[str, frozenset], ...]  # (text, theme ids)


def load_dev_set(path: Path, slug_to_id: dict[str, int]) -> list[DevArticle]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    articles = []
    for article in data["articles"]:
        sentences = tuple(
            (s["text"], frozenset(slug_to_id[slug] for slug in s["themes"] if slug in slug_to_id))
            for s in article["sentences"]
        )
        articles.append(DevArticle(article["key"], sentences))
    return articles


def split_by_article(articles: Sequence[DevArticle], *, folds: int, seed: int = 0) -> list[tuple[list, list]]:
    """``folds`` (train, test) pairs; each article is in exactly one test part (grouped k-fold, shuffled)."""
    order = sorted(articles, key=lambda a: a.key)
    random.Random(seed).shuffle(order)
    parts = [order[i::folds] for i in range(folds)]
    return [([a for j, p in enumerate(parts) if j != i for a in p], parts[i]) for i in range(folds)]


def sample_per_theme(
    articles: Sequence[DevArticle], theme_ids: Sequence[int], n: int | None, *, seed: int
) -> list[Example]:
    """Training examples: up to ``n`` sentences per theme (all when None) plus the theme-less sentences."""
    sentences = [s for a in articles for s in a.sentences]
    if n is None:
        return [Example(text, themes) for text, themes in sentences]
    rng = random.Random(seed)
    chosen: set[int] = set()
    for tid in theme_ids:
        having = [i for i, (_, themes) in enumerate(sentences) if tid in themes]
        rng.shuffle(having)
        chosen.update(having[:n])
    chosen.update(i for i, (_, themes) in enumerate(sentences) if not themes)
    return [Example(*sentences[i]) for i in sorted(chosen)]


def top_counts(predictions: Sequence[int | None], gold: Sequence[frozenset], theme_ids: Sequence[int]) -> dict:
    counts = {tid: {"tp": 0, "fp": 0, "fn": 0} for tid in theme_ids}
    for predicted, themes in zip(predictions, gold, strict=True):
        if predicted is not None:
            counts[predicted]["tp" if predicted in themes else "fp"] += 1
        for tid in themes:
            if tid != predicted and tid in counts:
                counts[tid]["fn"] += 1
    return counts


def prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def micro(counts: dict) -> dict:
    return prf(*(sum(c[k] for c in counts.values()) for k in ("tp", "fp", "fn")))


def _add(total: dict, counts: dict) -> None:
    for tid, c in counts.items():
        for k, v in c.items():
            total.setdefault(tid, {"tp": 0, "fp": 0, "fn": 0})[k] += v


def evaluate(
    articles: Sequence[DevArticle],
    codebook: Sequence[CodebookEntry],
    *,
    folds: int = 4,
    repeats: int = 3,
    curve: Sequence[int] = CURVE,
    seed: int = 0,
    options: dict | None = None,
) -> dict:
    """Grouped k-fold by article. Per theme P/R/F1 with all training data; micro-F1 of the learned suggester and
    of the keyword-only baseline at each learning-curve point (``repeats`` random samples per fold)."""
    theme_ids = [e.theme_id for e in codebook]
    splits = split_by_article(articles, folds=folds, seed=seed)
    baseline = keyword_only(codebook)
    full: dict = {}
    base_counts: dict = {}
    points = {n: {} for n in curve}
    examples_used = {n: [] for n in curve}
    examples_mean = {n: [] for n in curve}
    for train, test in splits:
        test_texts = [text for a in test for text, _ in a.sentences]
        test_gold = [themes for a in test for _, themes in a.sentences]
        model = ThemeSuggester(list(codebook), **(options or {})).fit(
            sample_per_theme(train, theme_ids, None, seed=seed)
        )
        _add(full, top_counts(model.top(test_texts), test_gold, theme_ids))
        _add(base_counts, top_counts(baseline.top(test_texts), test_gold, theme_ids))
        for n in curve:
            for r in range(repeats):
                examples = sample_per_theme(train, theme_ids, n, seed=seed * 1000 + r)
                have = [sum(1 for e in examples if tid in e.theme_ids) for tid in theme_ids]
                examples_used[n].append(min(have))
                examples_mean[n].append(sum(have) / len(have))
                model = ThemeSuggester(list(codebook), **(options or {})).fit(examples)
                _add(points[n], top_counts(model.top(test_texts), test_gold, theme_ids))
    names = {e.theme_id: e.name for e in codebook}
    return {
        "sentences": sum(len(a.sentences) for a in articles),
        "articles": len(articles),
        "folds": folds,
        "per_theme": {names[tid]: prf(**full[tid]) for tid in theme_ids},
        "micro": micro(full),
        "keyword_baseline": {
            "per_theme": {names[tid]: prf(**base_counts[tid]) for tid in theme_ids},
            "micro": micro(base_counts),
        },
        "learning_curve": [
            {
                "per_theme": n,
                "min_examples_available": min(examples_used[n]),
                "mean_examples_per_theme": round(sum(examples_mean[n]) / len(examples_mean[n]), 1),
                "micro_f1": micro(points[n])["f1"],
                "keyword_baseline_micro_f1": micro(base_counts)["f1"],
            }
            for n in curve
        ],
    }
