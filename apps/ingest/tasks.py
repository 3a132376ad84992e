import subprocess
import sys
import time

from django.conf import settings
from django_tasks import task

from .models import ImportBatch
from .services import CONNECTION_ERRORS, import_batch

RETRIES = 3

# The child: Django set up from the worker's environment, one batch, exit (its memory goes back to the system).
_CHILD = (
    "import sys, django; django.setup(); from apps.ingest.services import import_batch; "
    "import_batch(batch_id=int(sys.argv[1]), resume=sys.argv[2] == '1')"
)


def _run(batch_id: int, resume: bool) -> ImportBatch:
    """One attempt at the batch, in this process or (``IMPORT_CHILD_PROCESS``) in a child process.

    spaCy's model, its vocabulary growth and the parse buffers stay in a process's heap after a large import (about
    550 MiB kept by a worker); a child that exits gives all of it back, so an idle worker stays small."""
    if not getattr(settings, "IMPORT_CHILD_PROCESS", False):
        return import_batch(batch_id=batch_id, resume=resume)
    subprocess.run(
        [sys.executable, "-c", _CHILD, str(batch_id), "1" if resume else "0"], cwd=settings.BASE_DIR, check=False
    )
    return ImportBatch.objects.get(pk=batch_id)


@task()
def run_import_batch(batch_id: int, resume: bool = False) -> dict:
    """Background import of an uploaded batch (tasks take ids, not objects).

    A batch stopped by a lost database connection is resumed after a pause, up to RETRIES times; each resume
    writes only what is not in the corpus yet.
    """
    batch = _run(batch_id, resume)
    for attempt in range(RETRIES):
        if not _stopped_by_connection(batch):
            break
        time.sleep(2**attempt)
        batch = _run(batch_id, True)
    return {"status": batch.status, "created": batch.created, "skipped": batch.skipped, "failed": batch.failed}


def _stopped_by_connection(batch: ImportBatch) -> bool:
    names = tuple(f"{cls.__name__}:" for cls in CONNECTION_ERRORS)
    return batch.status == ImportBatch.Status.FAILED and batch.error.startswith(names)
