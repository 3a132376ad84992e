"""Measure the theme suggester: grouped k-fold by article over the development set (default) or the database's
accepted spans; per-theme precision / recall / F1 of the top suggestion, the learning curve at 5/10/20/50
examples per theme, and the keyword-only baseline. The last line of the output is one JSON object."""

from __future__ import annotations

import json
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from apps.annotations.models import Annotation, Theme
from apps.suggestions import selectors
from apps.suggestions.evaluation import DevArticle, evaluate, load_dev_set

DEV_SET = Path(settings.BASE_DIR) / "fixtures" / "theme_dev_set.json"


def _db_articles() -> list[DevArticle]:
    """Accepted spans as (text, themes) passages grouped by article."""
    by_article: dict[int, list] = {}
    spans = Annotation.objects.filter(status=Annotation.Status.ACCEPTED, deleted_at__isnull=True).prefetch_related(
        "themes"
    )
    for span in spans.iterator(chunk_size=2000):
        themes = frozenset(t.id for t in span.themes.all())
        if themes:
            by_article.setdefault(span.article_id, []).append((span.text, themes))
    return [DevArticle(str(k), tuple(v)) for k, v in sorted(by_article.items())]


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            choices=["dev", "db"],
            default="dev",
            help="dev: fixtures/theme_dev_set.json (default); db: accepted spans in the database",
        )
        parser.add_argument("--dev-set", default=str(DEV_SET))
        parser.add_argument("--folds", type=int, default=4)
        parser.add_argument("--repeats", type=int, default=3, help="random samples per fold and curve point")
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, **options):
        codebook = selectors.codebook()
        if not codebook:
            raise CommandError("No active themes: load them first (manage.py loaddata themes).")
        if options["source"] == "dev":
            articles = load_dev_set(Path(options["dev_set"]), dict(Theme.objects.values_list("slug", "id")))
        else:
            articles = _db_articles()
        if len(articles) < options["folds"]:
            raise CommandError(f"Need at least {options['folds']} articles with coded passages; found {len(articles)}.")
        began = time.perf_counter()
        result = evaluate(articles, codebook, folds=options["folds"], repeats=options["repeats"], seed=options["seed"])
        result["source"] = options["source"]
        result["seconds"] = round(time.perf_counter() - began, 1)
        out = self.stdout
        out.write(
            f"{result['sentences']} passages in {result['articles']} articles, {result['folds']}-fold split "
            f"by article; top suggestion per passage (threshold applied)."
        )
        out.write(f"{'theme':45} {'P':>6} {'R':>6} {'F1':>6}   keyword-only F1")
        base = result["keyword_baseline"]["per_theme"]
        for name, m in result["per_theme"].items():
            out.write(
                f"{name[:45]:45} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}   {base[name]['f1']:.3f}"
            )
        m, b = result["micro"], result["keyword_baseline"]["micro"]
        out.write(
            f"{'micro (all training data)':45} {m['precision']:6.3f} {m['recall']:6.3f} {m['f1']:6.3f}   {b['f1']:.3f}"
        )
        out.write(f"learning curve (examples per theme -> micro-F1; keyword-only baseline {b['f1']:.3f}):")
        for point in result["learning_curve"]:
            out.write(
                f"  {point['per_theme']:>3} (used {point['mean_examples_per_theme']} per theme on average, "
                f"at least {point['min_examples_available']}) -> {point['micro_f1']:.3f}"
            )
        at20 = next((p for p in result["learning_curve"] if p["per_theme"] == 20), None)
        if at20 is not None:
            result["at_20"] = {
                "micro_f1": at20["micro_f1"],
                "keyword_baseline_micro_f1": b["f1"],
                "beats_baseline": at20["micro_f1"] > b["f1"],
            }
        out.write(json.dumps(result, ensure_ascii=False, sort_keys=False))
