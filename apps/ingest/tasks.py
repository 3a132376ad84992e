from django_tasks import task

from .services import import_batch


@task()
def run_import_batch(batch_id: int) -> dict:
    """Background import of an uploaded batch (tasks take ids, not objects)."""
    batch = import_batch(batch_id=batch_id)
    return {"status": batch.status, "created": batch.created, "skipped": batch.skipped, "failed": batch.failed}
