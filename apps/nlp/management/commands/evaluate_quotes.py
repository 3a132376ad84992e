"""``manage.py evaluate_quotes GOLD_DIR SEEDS_DIR``: score the quote extractor against gold files.

The scoring rules (overlap, matching, scope, borderline cases) are documented in ``apps.nlp.evaluation``.
The last line printed is one JSON object with the overall figures.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Score quote extraction (lenient/strict P/R/F1, speaker accuracy) against a gold directory."

    def add_arguments(self, parser):
        parser.add_argument("gold_dir", help="folder with articles.json and <stem>__<n>.json gold files")
        parser.add_argument("seeds_dir", help="folder with the seed .txt files named in articles.json")

    def handle(self, *args, **options):
        from apps.nlp.evaluation import evaluate, format_report, spacy_extractor

        gold_dir, seeds_dir = Path(options["gold_dir"]), Path(options["seeds_dir"])
        if not (gold_dir / "articles.json").is_file():
            raise CommandError(f"{gold_dir}: no articles.json")
        if not seeds_dir.is_dir():
            raise CommandError(f"{seeds_dir}: not a directory")
        try:
            report = evaluate(gold_dir, seeds_dir, spacy_extractor)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(format_report(report))
