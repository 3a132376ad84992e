"""The import's tasks: a batch (read its files; run it, or cut it into chunks) and a chunk (any worker's share).

Both run in a child process of the worker by default (``IMPORT_CHILD_PROCESS``): spaCy's model, its vocabulary
growth and the parse buffers stay in a process's heap after a large import (about 550 MiB kept by a worker that
parsed in-process); a child that exits gives all of it back, so an idle worker stays small. A chunk child takes
the batch's free chunks one after the other (``import_chunks``), so the model is loaded once per worker and
batch, not once per chunk.
"""

import os
import socket
import subprocess
import sys
import time
import uuid

from django.conf import settings
from django.db import connection
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

from .models import ImportBatch, ImportChunk
from .services import (
    CONNECTION_ERRORS,
    batch_finish_chunks,
    chunks_open,
    chunks_reopen,
    import_batch,
    import_chunks,
    release_memory,
)

RETRIES = 3

# The child: Django set up from the worker's environment, one batch or a batch's free chunks, exit (its memory
# goes back to the system). Arguments: "<batch id> <resume 0/1>" or "chunk <batch id> <chunk id> <owner>".
_CHILD = "import sys, django; django.setup(); from apps.ingest.tasks import child_main; child_main(sys.argv[1:])"


def wake_workers(sender, task_result, **kwargs) -> None:
    """``task_enqueued`` receiver: an import task queued in the database wakes the idle workers at once (a NOTIFY
    on ``settings.TASKS_NOTIFY_CHANNEL``, which ``run_worker`` listens on; PostgreSQL only). Sent on the connection
    that wrote the task's row, so it arrives when that row is committed and can be taken."""
    if not (
        isinstance(sender, type)
        and issubclass(sender, DatabaseBackend)
        and task_result.task.module_path.startswith(f"{__name__}.")
        and connection.vendor == "postgresql"
    ):
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_notify(%s, '')", [settings.TASKS_NOTIFY_CHANNEL])


def child_main(args: list[str]) -> None:
    if args[0] == "chunk":
        import_chunks(batch_id=int(args[1]), first=int(args[2]) or None, owner=args[3] if args[3] != "-" else _owner())
    else:
        _batch_then_chunks(int(args[0]), args[1] == "1")


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _batch_then_chunks(batch_id: int, resume: bool) -> ImportBatch:
    """Read the batch and queue its chunks; then, instead of waiting for a worker, this process takes chunks too
    (its Django is set up already), with ``SPACY_N_PROCESS - 1`` more processes beside it: the batch uses that many
    cores of this machine, each process parsing and writing its own chunks with nothing shipped between them. The
    other workers join through the queued chunk tasks."""
    batch = import_batch(batch_id=batch_id, resume=resume, enqueue_chunk=_enqueue_chunk)
    if batch.status == ImportBatch.Status.RUNNING and chunks_open(batch_id=batch_id):
        helpers = [_chunk_helper(batch_id) for _ in range(max(settings.SPACY_N_PROCESS, 1) - 1)]
        try:
            import_chunks(batch_id=batch_id, owner=_owner())
        finally:
            for helper in helpers:
                if (code := helper.wait()) != 0:  # chunks it died holding fail now, not after IMPORT_STALE_SECONDS
                    _fail_chunks_of_dead_processes(batch_id, code)
        batch = ImportBatch.objects.get(pk=batch_id)
    return batch


def _chunk_helper(batch_id: int) -> subprocess.Popen:
    """A child process that takes the batch's free chunks until none is left (as a worker's chunk task does); its
    chunks name it (its own pid) as their owner."""
    return subprocess.Popen(_child_command(["chunk", str(batch_id), "0", "-"]), cwd=settings.BASE_DIR)


def _in_child() -> bool:
    return getattr(settings, "IMPORT_CHILD_PROCESS", False)


def _child_command(args: list[str]) -> list[str]:
    return [sys.executable, "-c", _CHILD, *args]


def _child(args: list[str]) -> int:
    return subprocess.run(_child_command(args), cwd=settings.BASE_DIR, check=False).returncode


def _enqueue_chunk(chunk_id: int) -> None:
    run_import_chunk.enqueue(chunk_id)


def _run(batch_id: int, resume: bool) -> ImportBatch:
    """One attempt at the batch, in a child process or (``IMPORT_CHILD_PROCESS=0``) in this one."""
    if not _in_child():
        batch = _batch_then_chunks(batch_id, resume)
        release_memory()
        return batch
    code = _child([str(batch_id), "1" if resume else "0"])
    if code != 0:
        _fail_chunks_of_dead_processes(batch_id, code)
    return ImportBatch.objects.get(pk=batch_id)


@task()
def run_import_batch(batch_id: int, resume: bool = False) -> dict:
    """Background import of an uploaded batch (tasks take ids, not objects).

    A batch stopped by a lost database connection is resumed after a pause, up to RETRIES times; each resume
    writes only what is not in the corpus yet. A large batch comes back "running": its chunks are queued.
    """
    batch = _run(batch_id, resume)
    for attempt in range(RETRIES):
        if not _stopped_by_connection(batch):
            break
        time.sleep(2**attempt)
        batch = _run(batch_id, True)
    return {"status": batch.status, "created": batch.created, "skipped": batch.skipped, "failed": batch.failed}


@task()
def run_import_chunk(chunk_id: int) -> dict:
    """A worker's share of a chunked batch: this chunk, then any other free chunk of the batch, until none is left.

    A chunk that another worker already ran (or is running) makes this a no-op. Chunks stopped by a lost database
    connection wait again and are retried after a pause, up to RETRIES times; a child that died (killed, out of
    memory) leaves its chunk failed, and the batch then fails once the other chunks are done (resumable).
    """
    batch_id = ImportChunk.objects.filter(pk=chunk_id).values_list("batch_id", flat=True).first()
    if batch_id is None:  # its batch was deleted meanwhile
        return {"status": "gone", "chunks_run": 0}
    ran = 0
    for attempt in range(RETRIES + 1):
        if chunks_open(batch_id=batch_id):
            ran += _run_chunks(batch_id, chunk_id)
        batch = batch_finish_chunks(batch_id=batch_id)
        if attempt == RETRIES or not _stopped_by_connection(batch):
            break
        time.sleep(2**attempt)
        chunks_reopen(batch_id=batch_id)
    return {"status": batch.status, "chunks_run": ran, "processed": batch.processed, "total": batch.total}


def _run_chunks(batch_id: int, chunk_id: int) -> int:
    owner = _owner()
    if not _in_child():
        ran = import_chunks(batch_id=batch_id, first=chunk_id, owner=owner)
        release_memory()
        return ran
    code = _child(["chunk", str(batch_id), str(chunk_id), owner])
    held = ImportChunk.objects.filter(batch_id=batch_id, owner=owner)
    if code != 0:  # the child died with chunks in hand: they fail now instead of after IMPORT_STALE_SECONDS
        held.filter(status=ImportChunk.Status.RUNNING).update(
            status=ImportChunk.Status.FAILED, error=f"the import process ended with exit code {code}"
        )
        batch_finish_chunks(batch_id=batch_id)
    return held.count()


def _fail_chunks_of_dead_processes(batch_id: int, code: int) -> None:
    """Running chunks of the batch held by a process of this machine that no longer exists (a child that died)."""
    host = socket.gethostname()
    for chunk in ImportChunk.objects.filter(batch_id=batch_id, status=ImportChunk.Status.RUNNING).only("owner"):
        owner_host, _, rest = chunk.owner.partition(":")
        pid = rest.partition(":")[0]
        if owner_host == host and pid.isdigit() and not _alive(int(pid)):
            ImportChunk.objects.filter(pk=chunk.pk, status=ImportChunk.Status.RUNNING).update(
                status=ImportChunk.Status.FAILED, error=f"the import process ended with exit code {code}"
            )
    batch_finish_chunks(batch_id=batch_id)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stopped_by_connection(batch: ImportBatch) -> bool:
    names = tuple(f"{cls.__name__}:" for cls in CONNECTION_ERRORS)
    return batch.status == ImportBatch.Status.FAILED and batch.error.startswith(names)
