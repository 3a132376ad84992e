from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from tqdm import tqdm

from apps.ingest.models import ImportBatch
from apps.ingest.readers import SPLITS
from apps.ingest.services import import_sources, local_sources

FORMATS = ["auto", "txt", "jsonl", "csv", "html"]


class Command(BaseCommand):
    help = "Import articles from plain text (several per file), JSONL, CSV or HTML files, with spaCy pre-tagging."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="files to import")
        parser.add_argument("--format", dest="fmt", choices=FORMATS, default="auto")
        parser.add_argument("--outlet", default="", help="outlet for articles whose file names none")
        parser.add_argument("--split", choices=list(SPLITS), default="auto", help="how plain text is cut into articles")
        parser.add_argument("--period-headlines", action="store_true", help="headlines may end with a period")
        parser.add_argument("--outlet-pattern", default="", help="outlet from the file name, e.g. '{outlet}_*.txt'")
        parser.add_argument("--encoding", default="auto", help="file encoding (auto detects legacy encodings)")
        parser.add_argument("--dry-run", action="store_true", help="read and split only; write nothing")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--user", default="", help="username importing: pre-annotated theme spans without an annotator are theirs"
        )

    def handle(self, *args, paths, fmt, outlet, dry_run, no_progress, user="", **options):
        importer = None
        if user:
            importer = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: user}).first()
            if importer is None:
                raise CommandError(f"no user {user!r}")
        read_options = {
            "split": options["split"],
            "period_headlines": options["period_headlines"],
            "outlet_pattern": options["outlet_pattern"],
            "encoding": options["encoding"],
        }
        if read_options["outlet_pattern"] and "{outlet}" not in read_options["outlet_pattern"]:
            raise CommandError("--outlet-pattern needs {outlet} where the outlet's name is in the file name.")
        for path in paths:
            try:
                open(path, "rb").close()
            except OSError as err:
                raise CommandError(f"{path}: {err.strerror}") from err
        batch = ImportBatch.objects.create(
            fmt=fmt,
            default_outlet=outlet,
            files=[{"name": p} for p in paths],
            options=read_options,
            created_by=importer,
        )
        bar = tqdm(total=0, unit="article", disable=no_progress or dry_run, file=self.stderr._out)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        batch = import_sources(batch=batch, sources=local_sources(paths), progress=progress, dry_run=dry_run)
        bar.close()
        for result in batch.results:
            line = (
                f"{result['name']}: {result['articles']} article{pluralize(result['articles'])}, {result['created']} created, "
                f"{result['skipped']} skipped (already imported), {result['failed']} failed"
            )
            if result.get("encoding") not in ("", "utf-8"):
                line += f" (read as {result['encoding']})"
            self.stdout.write(line)
            for warning in result.get("warnings", []):
                self.stderr.write(f"  warning: {warning}")
            for error in result["errors"]:
                self.stderr.write(f"  error: {error}")
        if dry_run:
            self.stdout.write(f"Dry run: {batch.total} new articles would be imported; nothing written.")
            batch.delete()
        if batch.status == ImportBatch.Status.FAILED:
            raise CommandError(batch.error)
        if batch.failed and not batch.created and not batch.skipped:
            raise CommandError("Nothing could be imported.")
