import json
from pathlib import Path

from django.conf import settings
from django.core.management import BaseCommand

from apps.annotations.services import themes_seed

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "themes.json"


class Command(BaseCommand):
    help = "Add the seed themes that do not exist yet (by slug); themes already there, edited or not, are kept."

    def handle(self, *args, **options):
        records = [r["fields"] for r in json.loads(FIXTURE.read_text(encoding="utf-8"))]
        created = themes_seed(records=records)
        if options["verbosity"] > 0:
            self.stdout.write(f"{created} seed theme{'s' if created != 1 else ''} added.")
