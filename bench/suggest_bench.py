"""Theme suggester speed: training on 5,000 coded spans over the 12 seed themes (one core), and suggestions for
one 1,000-word article through the service the panel uses (sentence split, scoring, nearest passages, rows
written). Prints one JSON object: {"train_s", "suggest_ms", "examples", ...}. Budgets (issue 11): train_s < 10,
suggest_ms < 200. Figures, not a timed test.

    .venv/bin/python bench/suggest_bench.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):  # one core
    os.environ.setdefault(var, "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchenv import REPO, django_setup  # noqa: E402

N_EXAMPLES = 5000
N_NEGATIVES = 1500
ARTICLE_WORDS = 1000


def synthetic_passages(dev: dict, rng: random.Random) -> tuple[list, list]:
    """Coded passages made from the development set: each coded sentence with a few words of another sentence
    added, so no two passages are alike (vocabulary grows as it would with real spans)."""
    coded = [s for a in dev["articles"] for s in a["sentences"] if s["themes"]]
    plain = [s["text"] for a in dev["articles"] for s in a["sentences"] if not s["themes"]]
    words = [w for a in dev["articles"] for s in a["sentences"] for w in s["text"].split()]
    positives = []
    for i in range(N_EXAMPLES):
        s = coded[i % len(coded)]
        extra = " ".join(rng.choice(words) for _ in range(rng.randint(3, 12)))
        positives.append((f"{s['text']} {extra}", s["themes"]))
    negatives = [f"{plain[i % len(plain)]} {' '.join(rng.choice(words) for _ in range(8))}" for i in range(N_NEGATIVES)]
    return positives, negatives


def main() -> None:
    django_setup()
    from django.core.management import call_command
    from django.utils import timezone
    from threadpoolctl import threadpool_limits

    from apps.annotations.models import Theme
    from apps.corpus.models import Article, Outlet
    from apps.corpus.text import content_hash, normalize_text
    from apps.suggestions import selectors, services
    from apps.suggestions.learning import Example, ThemeSuggester
    from apps.suggestions.models import SuggesterModel, Suggestion

    call_command("loaddata", "themes", verbosity=0)
    rng = random.Random(7)
    dev = json.loads((REPO / "fixtures" / "theme_dev_set.json").read_text(encoding="utf-8"))
    ids = dict(Theme.objects.values_list("slug", "id"))
    positives, negatives = synthetic_passages(dev, rng)
    examples = [Example(text, frozenset(ids[s] for s in slugs), True, i) for i, (text, slugs) in enumerate(positives)]
    examples += [Example(text) for text in negatives]

    with threadpool_limits(limits=1):
        began, cpu_began = time.perf_counter(), time.process_time()
        fitted = ThemeSuggester(selectors.codebook()).fit(examples)
        train_s = time.perf_counter() - began
        train_cpu_s = time.process_time() - cpu_began
        blob = fitted.dumps()
        SuggesterModel.objects.create(
            version=1, status="ready", trained_at=timezone.now(), n_examples=N_EXAMPLES, blob=blob
        )

        sentences = [s["text"] for a in dev["articles"] for s in a["sentences"]]
        paragraphs, n_words = [], 0
        while n_words < ARTICLE_WORDS:
            sentence = rng.choice(sentences)
            paragraphs.append(sentence)
            n_words += len(sentence.split())
        text = normalize_text("\n".join(paragraphs))
        article = Article.objects.create(
            outlet=Outlet.objects.create(name="Bench"),
            title="Bench",
            text=text,
            content_hash=content_hash(text),
            n_words=len(text.split()),
        )
        cold_began = time.perf_counter()
        services.suggestions_refresh(article=article)  # first call loads (unpickles) the model
        cold_ms = (time.perf_counter() - cold_began) * 1000
        times = []
        for _ in range(7):
            Suggestion.objects.filter(article=article).delete()
            began = time.perf_counter()
            rows = services.suggestions_refresh(article=article)
            times.append((time.perf_counter() - began) * 1000)

    print(
        json.dumps(
            {
                "train_s": round(train_s, 2),
                "suggest_ms": round(statistics.median(times), 1),
                # CPU time of this single-threaded process: the one-core figure when other processes share the machine
                "train_cpu_s": round(train_cpu_s, 2),
                "load_average": round(os.getloadavg()[0], 1),
                "examples": N_EXAMPLES,
                "negatives": N_NEGATIVES,
                "themes": len(fitted.theme_ids),
                "article_words": len(text.split()),
                "sentences_scored": len(paragraphs),
                "suggestions": len(rows),
                "suggest_first_call_ms": round(cold_ms, 1),  # includes loading the stored model once per process
                "model_mb": round(len(blob) / 1e6, 2),
                "budget": {"train_s": 10, "suggest_ms": 200},
            }
        )
    )


if __name__ == "__main__":
    main()
