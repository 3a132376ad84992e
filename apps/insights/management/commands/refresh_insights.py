import json

from django.core.management.base import BaseCommand

from apps.insights.summaries import summaries_refresh


class Command(BaseCommand):
    help = "Rebuild the insights summary tables now (after a bulk import; the pages also queue this themselves)."

    def handle(self, *args, **options):
        self.stdout.write(json.dumps(summaries_refresh()))
