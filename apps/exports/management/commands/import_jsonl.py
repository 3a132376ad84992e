"""manage.py import_jsonl FILE: load a dump of ``export_spans --format jsonl`` into an empty database."""

from __future__ import annotations

import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.exports.services import jsonl_import


class Command(BaseCommand):
    help = "Load a Readout JSONL dump into an empty database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The .jsonl file ('-' for standard input).")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, path, no_progress=False, **options):
        try:
            fh = sys.stdin if path == "-" else open(path, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        try:
            with tqdm(unit=" records", disable=True if no_progress else None, file=sys.stderr, mininterval=0.5) as bar:
                counts = jsonl_import(lines=fh, progress=bar.update)
        except ValidationError as exc:
            raise CommandError(f"{path}: {' '.join(exc.messages)} Nothing was imported.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text. Nothing was imported.") from None
        finally:
            if fh is not sys.stdin:
                fh.close()
        summary = ", ".join(f"{n} {label}" for label, n in counts.items()) or "nothing"
        self.stdout.write(f"Imported {summary}.")
