"""manage.py export_spans --format csv|excel|jsonl|docbin [filters] -o FILE

The same filters, checks and writers as the export page; a progress bar on a terminal (tqdm, stderr).
"""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from apps.exports.forms import FORMATS, ExportRefused, SpanFilterForm, check_filters_for, export_format
from apps.exports.jsonl import jsonl_record_count
from apps.exports.selectors import span_theme_count
from apps.exports.writers import docbin_export, jsonl_chunks, span_csv_chunks
from apps.nlp.docbin import DEFAULT_SPANS_KEY


class Command(BaseCommand):
    help = "Export tagged spans as CSV (one row per span and theme), the whole database as JSONL, or a DocBin."
    # The system checks import every URLconf and view (spaCy, scikit-learn): seconds and ~50 MB an export never
    # uses. ``manage.py check`` runs them.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--format", default="csv", help=f"One of {', '.join(FORMATS)} (default csv).")
        parser.add_argument("-o", "--output", required=True, help="File to write ('-' for standard output).")
        parser.add_argument("--theme", default="", help="Theme slug.")
        parser.add_argument("--outlet", default="", help="Outlet id or exact name.")
        parser.add_argument("--date-from", default="", help="Published on or after (YYYY-MM-DD).")
        parser.add_argument("--date-to", default="", help="Published on or before (YYYY-MM-DD).")
        parser.add_argument("--status", default="", help="Review state: pending, accepted or rejected.")
        parser.add_argument("--annotator", default="", help="Annotator's username.")
        parser.add_argument("--speaker", default="", help="Speaker id, name or alias: spans inside their quotes.")
        parser.add_argument("--batch", default="", help="Import batch id.")
        parser.add_argument("--spans-key", default=DEFAULT_SPANS_KEY, help="DocBin spans key (default 'sc').")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, **options):
        data = {
            name: str(options[name] or "")
            for name in ("theme", "outlet", "date_from", "date_to", "status", "annotator", "speaker", "batch")
        }
        form = SpanFilterForm(data, with_choices=False)
        try:
            fmt = export_format(options["format"])
            if not form.is_valid():
                raise ExportRefused(form.error_text())
            filters = form.filters()
            check_filters_for(fmt, filters)
        except ExportRefused as exc:
            raise CommandError(str(exc)) from None

        output = options["output"]
        if fmt == "docbin":
            result = docbin_export(filters, spans_key=options["spans_key"])
            self._write_bytes(output, [result.data])
            self.stderr.write(
                f"{result.docs} docs, {result.spans} spans, {result.ents} entities"
                + (f", {result.skipped} skipped (no token)" if result.skipped else "")
                + f" → {output}"
            )
            return

        unit = "records" if fmt == "jsonl" else "rows"
        show = not options["no_progress"] and output != "-"
        # Counting first costs a second pass over every row (1,000,000 rows: over a second): done only for a bar
        # that shows its total; the summary line counts the rows as they are written.
        total = (jsonl_record_count() if fmt == "jsonl" else span_theme_count(filters)) if show else None
        written = 0
        with tqdm(
            total=total, unit=f" {unit}", disable=None if show else True, file=sys.stderr, mininterval=0.5
        ) as bar:

            def progress(n: int) -> None:
                nonlocal written
                written += n
                bar.update(n)

            chunks = (
                jsonl_chunks(progress=progress)
                if fmt == "jsonl"
                else span_csv_chunks(filters, progress=progress, bom=fmt == "excel")
            )
            self._write_bytes(output, chunks)
        self.stderr.write(f"{written} {unit} → {output}")

    def _write_bytes(self, output: str, chunks) -> None:
        if output == "-":
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
        try:
            with open(output, "wb") as fh:
                for chunk in chunks:
                    fh.write(chunk)
        except OSError as exc:
            raise CommandError(f"Cannot write {output}: {exc.strerror}.") from None
