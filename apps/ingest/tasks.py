import time

from django_tasks import task

from .models import ImportBatch
from .services import CONNECTION_ERRORS, import_batch

RETRIES = 3


@task()
def run_import_batch(batch_id: int, resume: bool = False) -> dict:
    """Background import of an uploaded batch (tasks take ids, not objects).

    A batch stopped by a lost database connection is resumed after a pause, up to RETRIES times; each resume
    writes only what is not in the corpus yet.
    """
    batch = import_batch(batch_id=batch_id, resume=resume)
    for attempt in range(RETRIES):
        if not _stopped_by_connection(batch):
            break
        time.sleep(2**attempt)
        batch = import_batch(batch_id=batch_id, resume=True)
    return {"status": batch.status, "created": batch.created, "skipped": batch.skipped, "failed": batch.failed}


def _stopped_by_connection(batch: ImportBatch) -> bool:
    names = tuple(f"{cls.__name__}:" for cls in CONNECTION_ERRORS)
    return batch.status == ImportBatch.Status.FAILED and batch.error.startswith(names)
