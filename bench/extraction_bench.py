"""Quote extraction's cost against spaCy's parse (issue 9: extraction stays under 5 % of the parse time).

Every seed file and every evaluation text (``tests/nlp/data/*/*.txt``) is parsed once per run by the configured
spaCy pipeline (``nlp.pipe``, one process); ``extract_quotes`` then runs over the parsed docs ``--passes`` times
and the best pass counts (the first pass also fills per-process caches). Prints each run and, last, one JSON
object with the medians over ``--runs`` runs.

    .venv/bin/python bench/extraction_bench.py [--runs 3] [--passes 3] [--profile 25]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time

from benchenv import REPO, django_setup  # bench/ is on sys.path when run as a script


def texts() -> list[str]:
    paths = sorted((REPO / "fixtures" / "seeds").glob("*.txt")) + sorted((REPO / "tests/nlp/data").glob("*/*.txt"))
    return [p.read_text(encoding="utf-8") for p in paths]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0, help="print the N costliest functions of one extraction pass")
    args = ap.parse_args()
    django_setup(migrate=False)
    from apps.nlp.pipeline import get_nlp
    from apps.nlp.quotes import extract_quotes

    corpus = texts()
    words = sum(len(t.split()) for t in corpus)
    nlp = get_nlp()
    list(nlp.pipe(corpus[:2]))  # load and warm the model
    ratios, parses, extracts = [], [], []
    for run in range(args.runs):
        t0 = time.perf_counter()
        docs = list(nlp.pipe(corpus))
        parse = time.perf_counter() - t0
        best = float("inf")
        for _ in range(args.passes):
            t0 = time.perf_counter()
            for doc in docs:
                extract_quotes(doc)
            best = min(best, time.perf_counter() - t0)
        ratios.append(best / parse)
        parses.append(parse)
        extracts.append(best)
        print(
            f"run {run + 1}: parse {parse:.2f} s, extraction {best:.3f} s, {100 * best / parse:.2f} % "
            f"(load {os.getloadavg()[0]:.1f})",
            file=sys.stderr,
        )
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        for doc in docs:
            extract_quotes(doc)
        prof.disable()
        pstats.Stats(prof, stream=sys.stderr).sort_stats("cumulative").print_stats(args.profile)
    print(
        json.dumps(
            {
                "texts": len(corpus),
                "words": words,
                "parse_s": round(statistics.median(parses), 3),
                "extraction_s": round(statistics.median(extracts), 4),
                "extraction_share_pct": round(100 * statistics.median(ratios), 2),
                "limit_pct": 5.0,
                "load": round(os.getloadavg()[0], 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
