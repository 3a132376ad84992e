"""Import throughput against raw spaCy on the same texts in the same run.

Raw: ``nlp.pipe`` over the texts (parse only). Import: the whole ``import_sources`` path over the same texts
as a JSONL file (read, normalise, hash, spaCy, quotes, speakers, database writes). Raw is measured before and
after the import and the faster raw run is used, so the ratio is conservative.

    .venv/bin/python bench/import_bench.py [--copies 40]      # SQLite in a temp dir unless DATABASE_URL is set

Last line: {"raw_words_per_s": ..., "import_words_per_s": ..., "ratio": ..., "peak_rss_mb": ...}
"""

from __future__ import annotations

import argparse
import json
import resource
import time

from benchenv import REPO, django_setup  # bench/ is on sys.path when run as a script


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=40, help="copies of the seed articles (each made unique)")
    args = parser.parse_args()

    django_setup()
    from django.conf import settings

    from apps.ingest.models import ImportBatch
    from apps.ingest.readers import read_articles
    from apps.ingest.services import SourceFile, import_sources
    from apps.nlp.pipeline import get_nlp

    seeds = sorted((REPO / "fixtures" / "seeds").glob("*.txt"))
    bodies = [a for s in seeds for a in read_articles(s.read_bytes(), name=s.name)]
    records, texts = [], []
    for n in range(args.copies):
        for a in bodies:
            text = f"{a.text}\nEdition {n}."
            texts.append(text)
            records.append(json.dumps({"title": f"{a.title} ({n})", "text": text, "outlet": a.outlet}))
    words = sum(len(t.split()) for t in texts)
    nlp = get_nlp()
    list(nlp.pipe(texts[:8]))  # warm up

    def raw_run() -> float:
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.SPACY_BATCH_SIZE, n_process=settings.SPACY_N_PROCESS):
            pass
        return time.perf_counter() - t0

    raw_before = raw_run()
    source = SourceFile("bench.jsonl", "\n".join(records).encode())
    t0 = time.perf_counter()
    batch = import_sources(batch=ImportBatch.objects.create(), sources=[source])
    import_s = time.perf_counter() - t0
    raw_after = raw_run()
    assert batch.created == len(texts), (batch.created, batch.results, batch.error)

    raw_s = min(raw_before, raw_after)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(texts)} articles, {words} words; raw runs {raw_before:.2f}s / {raw_after:.2f}s, import {import_s:.2f}s"
    )
    print(
        json.dumps(
            {
                "raw_words_per_s": round(words / raw_s),
                "import_words_per_s": round(words / import_s),
                "ratio": round(raw_s / import_s, 3),
                "peak_rss_mb": round(peak_mb, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
