from django.core.management import BaseCommand

from apps.ingest.services import stale_batches
from apps.ingest.tasks import run_import_batch


class Command(BaseCommand):
    help = "Queue again every import batch left running by a worker that died (run before starting workers)."

    def handle(self, *args, **options):
        batches = stale_batches()
        for batch in batches:
            run_import_batch.enqueue(batch.pk, resume=True)
        self.stdout.write(f"{len(batches)} stopped import batch{'es' if len(batches) != 1 else ''} queued again.")
