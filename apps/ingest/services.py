"""The import: files → readers → spaCy (batched) → atomic writes of a few articles at a time (each article alone if
its group fails).

One entry point, ``import_sources``, serves the ``import_articles`` command, the upload page's background task
(``import_batch``) and ``make run``'s seed loading.
"""

from __future__ import annotations

import ctypes
import gc
import logging
import resource
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from apps.annotations.services import entity_mentions_import_bulk
from apps.core.bulk import gc_paused
from apps.corpus.models import Article, Outlet
from apps.corpus.selectors import content_hashes_present
from apps.corpus.services import articles_bulk_create, outlet_for_name, storable_text
from apps.corpus.tasks import index_articles_for_search
from apps.corpus.text import content_hash, normalize_text
from apps.nlp.pipeline import analyze_texts_ahead
from apps.nlp.types import TextAnalysis
from apps.quotes.services import quotes_import_bulk, speakers_resolve

from . import preannotated
from .models import ImportBatch, ImportChunk
from .readers import RawArticle, ReaderError, read_articles

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]  # (processed, total)


@dataclass(slots=True)
class SourceFile:
    name: str
    data: bytes


@dataclass(slots=True)
class _Pending:
    raw: RawArticle
    text: str
    digest: str
    file_result: dict
    pre: preannotated.Preannotation | None = None  # the annotations the record brought, checked


def _file_result(name: str) -> dict:
    return {
        "name": name,
        "encoding": "",
        "outlet_from_name": "",
        "articles": 0,
        "created": 0,
        "skipped": 0,
        "failed": 0,
        "errors": [],
        "warnings": [],
    }


def _read_all(batch: ImportBatch, sources: Iterable[SourceFile]) -> tuple[list[_Pending], list[dict]]:
    """Read and split every file; a broken file (or record) is reported and the rest goes on."""
    results: list[dict] = []
    return list(_read_iter(batch, sources, results)), results


def _read_iter(batch: ImportBatch, sources: Iterable[SourceFile], results: list[dict]) -> Iterator[_Pending]:
    """``_read_all`` one article at a time, as the files are read: each file's result is appended to ``results``
    when its reading starts and counts its records as they come."""
    seen: set[str] = set()
    for source in sources:
        result = _file_result(source.name)
        results.append(result)
        try:
            read = read_articles(
                source.data,
                name=source.name,
                fmt=batch.fmt,
                default_outlet=batch.default_outlet or None,
                max_bytes=settings.IMPORT_MAX_BYTES,
                options=batch.read_options,
            )
            result["encoding"], result["outlet_from_name"] = read.encoding, read.outlet
            for raw in read:
                if isinstance(raw, ReaderError):  # one bad record: report it, keep reading
                    result["failed"] += 1
                    result["errors"].append(str(raw))
                    continue
                result["articles"] += 1
                result["warnings"].extend(raw.warnings)
                text = normalize_text(storable_text(raw.text))
                problem = _text_problem(text)
                if problem:
                    result["failed"] += 1
                    result["errors"].append(f"{source.name}, line {raw.source_line}: {problem}")
                    continue
                pre = None
                if raw.annotations:
                    try:
                        pre = preannotated.read_preannotation(raw.annotations, text=text)
                    except preannotated.PreannotationError as err:
                        result["failed"] += 1
                        result["errors"].append(f"{source.name}, line {raw.source_line}: {err}")
                        continue
                digest = content_hash(text)
                if digest in seen:
                    result["skipped"] += 1
                    continue
                seen.add(digest)
                yield _Pending(raw=raw, text=text, digest=digest, file_result=result, pre=pre)
        except ReaderError as err:
            result["failed"] += 1
            result["errors"].append(str(err))


def _text_problem(text: str) -> str:
    """Why an article's text cannot be imported, or ""."""
    if not text:
        return "article has no text"
    limit = settings.IMPORT_MAX_ARTICLE_CHARS
    if len(text) > limit:
        return f"article has {len(text):,} characters, more than the limit of {limit:,} (split it into parts)"
    return ""


def _chunks(items: list, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


@transaction.atomic(savepoint=False)  # inside the caller's transaction when there is one: an error ends it
def articles_create_from_analyses(
    *, batch: ImportBatch, items: list[tuple[_Pending, TextAnalysis]], outlets: dict[str, Outlet]
) -> list[Article]:
    """Write articles with their entity suggestions, speakers and quotes, all or nothing, each row through the
    service of the app that owns it: the articles, their entities and quotes in a fixed number of statements (COPY
    on PostgreSQL), the speakers article by article (each article's names are resolved against the registry as the
    articles before it left it). Returns the articles in order."""
    articles = articles_bulk_create(
        articles=[
            {
                "text": item.text,
                "digest": item.digest,
                "title": item.raw.title,
                "outlet": outlet_for_name(item.raw.outlet or batch.default_outlet, cache=outlets),
                "byline": item.raw.byline,
                "published": item.raw.published,
                "url": item.raw.url,
                "dateline": item.raw.dateline,
                "n_words": analysis.n_words,
                "metadata": item.raw.metadata,
            }
            for item, analysis in items
        ]
    )
    preannotated.batch_articles_link(batch=batch, articles=articles)
    entity_mentions_import_bulk(items=[(a, analysis.entities) for a, (_, analysis) in zip(articles, items)])
    quotes_import_bulk(
        items=[
            (a, analysis.quotes, speakers_resolve(infos=analysis.speakers)) for a, (_, analysis) in zip(articles, items)
        ]
    )
    return articles


# A connection that broke is not one article's fault: the batch stops (and can resume) instead of failing
# every remaining article.
CONNECTION_ERRORS = (OperationalError, InterfaceError)


def import_sources(
    *,
    batch: ImportBatch,
    sources: Iterable[SourceFile],
    progress: Progress | None = None,
    dry_run: bool = False,
    chunk_size: int = 0,
) -> ImportBatch:
    """Import every article of ``sources`` into the corpus and record the outcome on ``batch``.

    Guarantees: each article is written atomically (article, entities, speakers, quotes) or not at all;
    content already in the corpus (same hash) is skipped and counted; a broken file or record is reported
    with its name and line and costs only that record. Running the same batch again (a resume after a crash)
    creates nothing twice, and its counters count the articles an earlier run of this batch wrote as created.
    With ``dry_run`` nothing is written but the batch. With ``chunk_size``, more articles than that for spaCy are
    not written here: they are stored as chunks (``ImportChunk``) for workers to take, and the batch stays
    "running" until its last chunk is done (``import_chunks``, ``batch_finish_chunks``).
    """
    batch.status = ImportBatch.Status.RUNNING
    batch.started_at = batch.started_at or timezone.now()
    batch.heartbeat_at = timezone.now()
    batch.error = ""
    batch.save(update_fields=["status", "started_at", "heartbeat_at", "error"])
    try:
        results: list[dict] = []
        batch.results, batch.total, batch.processed = results, 0, 0
        items = _read_iter(batch, sources, results)
        ctx, wrote = None, False
        if dry_run:
            todo = _counted(batch, list(items))
        else:  # the records that skip spaCy are written while the files are read; the others come back
            with gc_paused():  # the records read and the rows written live until the chunks are done
                ctx, rest, wrote = _write_preannotated_as_read(batch, items, progress)
            todo = _counted(batch, rest)
        batch.save(update_fields=["total", "processed", "results"])
        if progress:
            progress(batch.processed, batch.total)
        if chunk_size and not dry_run and len(todo) > chunk_size and not wrote and not any(p.pre for p in todo):
            _plan_chunks(batch, todo, chunk_size)
            return batch
        if not dry_run and todo:
            _import_pending(batch, todo, progress, ctx)
        batch.created = sum(r["created"] for r in results)
        batch.skipped = sum(r["skipped"] for r in results)
        batch.failed = sum(r["failed"] for r in results)
        batch.status = ImportBatch.Status.DONE
    except Exception as err:  # the batch must end in a state the page can show, whatever happened
        logger.exception("import batch %s failed", batch.pk)
        if isinstance(err, CONNECTION_ERRORS) and not connection.is_usable():
            connection.close()  # the next query opens a fresh connection
        batch.status = ImportBatch.Status.FAILED
        batch.error = f"{type(err).__name__}: {err}"
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def _not_yet_imported(batch: ImportBatch, pending: list[_Pending]) -> list[_Pending]:
    """The pending articles whose content is not in the corpus yet; the others are counted on their file as
    created (an earlier run of this batch wrote them) or skipped (the corpus had them already)."""
    existing = content_hashes_present(digests=[p.digest for p in pending])
    # an earlier run of this batch can only have written content the corpus has: ask about those alone
    ours: set[str] = set()
    if existing and batch.pk:
        for chunk in _chunks(sorted(existing), 500):
            ours.update(batch.articles.filter(content_hash__in=chunk).values_list("content_hash", flat=True))
    todo = []
    for item in pending:
        if item.digest in ours:
            item.file_result["created"] += 1
        elif item.digest in existing:
            item.file_result["skipped"] += 1
        else:
            todo.append(item)
    return todo


def _counted(batch: ImportBatch, pending: list[_Pending]) -> list[_Pending]:
    """``_not_yet_imported``, with the batch's total and processed counting ``pending``: the articles to write and
    those an earlier run of this batch wrote (processed already)."""
    created_before = sum(r["created"] for r in batch.results)
    todo = _not_yet_imported(batch, pending)
    earlier = sum(r["created"] for r in batch.results) - created_before
    batch.total += len(todo) + earlier
    batch.processed += earlier
    return todo


def _import_pending(batch: ImportBatch, todo: list[_Pending], progress: Progress | None, ctx=None) -> None:
    """Parse ahead in a background thread while this thread writes, so writes overlap spaCy's work. ``ctx``: the
    batch's ``preannotated.WriteContext`` when some record brought annotations (and asked for spaCy too)."""
    outlets: dict[str, Outlet] = ctx.outlets if ctx else {}
    every = max(1, min(settings.SPACY_BATCH_SIZE, len(todo) // 100 or 1))  # ~100 progress updates at most
    if ctx is not None:
        ctx.add([p for p in todo if p.pre])
    done_before = batch.processed

    def report(processed: int) -> None:
        batch.processed = done_before + processed
        batch.heartbeat_at = timezone.now()
        batch.save(update_fields=["processed", "results", "heartbeat_at"])
        if progress:
            progress(batch.processed, batch.total)

    _parse_and_write(batch, todo, outlets, ctx, report, every)


def _parse_and_write(
    batch: ImportBatch, todo: list[_Pending], outlets: dict, ctx, report, every: int, n_process: int | None = None
) -> None:
    """spaCy over ``todo`` in a background thread (a bounded queue ahead), each article written as its analysis
    comes; only the analyses are kept (each ``Doc`` is dropped once analysed). Articles are written
    ``IMPORT_WRITE_GROUP`` at a time (or ``every``, if more), with ``report(n)`` after each."""
    analyses = analyze_texts_ahead(
        [p.text for p in todo],
        batch_size=settings.SPACY_BATCH_SIZE,
        ahead=settings.SPACY_PARSE_AHEAD,
        n_process=n_process,
    )
    pairs = zip(todo, analyses)
    processed = 0
    while group := list(islice(pairs, max(every, settings.IMPORT_WRITE_GROUP))):
        for item, _ in group:  # new outlets are stored before the articles' transaction: a rollback keeps them
            outlet_for_name(item.raw.outlet or batch.default_outlet, cache=outlets)
        _import_group(batch, group, outlets, ctx)
        processed += len(group)
        report(processed)


def _import_group(batch: ImportBatch, group: list[tuple[_Pending, TextAnalysis]], outlets: dict, ctx) -> None:
    """Write a few parsed articles in one transaction (a handful of statements for all of them, where one article
    at a time takes about ten each); if that fails, each is written on its own, so that only a bad article fails
    and a duplicate written meanwhile is skipped. Records that brought annotations go one at a time."""
    if len(group) > 1 and all(item.pre is None for item, _ in group):
        try:
            with transaction.atomic():
                articles_create_from_analyses(batch=batch, items=group, outlets=outlets)
        except CONNECTION_ERRORS:
            raise
        except Exception:
            logger.info("import batch %s: a group of %d failed; writing them one by one", batch.pk, len(group))
        else:
            for item, _ in group:
                item.file_result["created"] += 1
            return
    for item, analysis in group:
        _import_one(batch, item, analysis, outlets, ctx)


def _write_preannotated_as_read(
    batch: ImportBatch, items: Iterator[_Pending], progress: Progress | None
) -> tuple[preannotated.WriteContext | None, list[_Pending], bool]:
    """Write the records that bring their own annotations and skip spaCy as the files are read, in chunks of
    ``preannotated.CHUNK`` (each checked against the corpus just before it goes), each article all or nothing; the
    writers work while the next records are read. Returns the batch's ``WriteContext`` (None when no record brought
    annotations), the other articles (for spaCy, not yet checked against the corpus) and whether any chunk went."""
    ctx: preannotated.WriteContext | None = None
    writer: preannotated.ChunkWriter | None = None
    rest: list[_Pending] = []
    chunk: list[_Pending] = []
    sent = 0

    def on_article(item: _Pending, created: bool) -> None:
        item.file_result["created" if created else "skipped"] += 1

    def on_chunk(done: list[_Pending]) -> None:
        batch.processed += len(done)
        batch.heartbeat_at = timezone.now()
        batch.save(update_fields=["processed", "total", "results", "heartbeat_at"])
        if progress:
            progress(batch.processed, batch.total)

    def send(chunk: list[_Pending]) -> None:
        nonlocal sent
        todo = _counted(batch, chunk)
        if todo:
            writer.submit(todo)
            sent += 1

    try:
        for item in items:
            if item.pre is None or item.pre.run_nlp:
                ctx = ctx or (preannotated.WriteContext(batch=batch) if item.pre else None)
                rest.append(item)
                continue
            if writer is None:
                ctx = ctx or preannotated.WriteContext(batch=batch)
                writer = preannotated.ChunkWriter(
                    ctx=ctx, on_article=on_article, on_failure=_record_failure, on_chunk=on_chunk
                )
            chunk.append(item)
            if len(chunk) == preannotated.CHUNK:
                send(chunk)
                chunk = []
        if chunk:
            send(chunk)
        if writer is not None:
            writer.finish()
    except BaseException:
        if writer is not None:
            writer.close()  # the writers stop after their current chunk
        raise
    if sent:  # the chunks wrote articles without their search documents: a worker fills them after this batch
        index_articles_for_search.enqueue()
    return ctx, rest, bool(sent)


def _import_one(
    batch: ImportBatch, item: _Pending, analysis: TextAnalysis, outlets: dict[str, Outlet], ctx=None
) -> None:
    """Write one article; its failure is reported with file and line and costs only this article."""
    try:
        with transaction.atomic():
            (article,) = articles_create_from_analyses(batch=batch, items=[(item, analysis)], outlets=outlets)
            if item.pre is not None:  # a record with its own annotations that also asked for spaCy
                preannotated.write_extra(article=article, pre=item.pre, spacy_entities=analysis.entities, ctx=ctx)
        item.file_result["created"] += 1
    except CONNECTION_ERRORS:
        raise
    except IntegrityError as err:
        if Article.objects.filter(content_hash=item.digest).exists():  # imported meanwhile elsewhere
            item.file_result["skipped"] += 1
        else:
            _record_failure(item, err)
    except Exception as err:  # one bad record never stops the batch
        logger.warning("import batch %s: %s failed", batch.pk, _where(item), exc_info=True)
        _record_failure(item, err)


def _record_failure(item: _Pending, err: Exception) -> None:
    item.file_result["failed"] += 1
    item.file_result["errors"].append(f"{_where(item)}: {type(err).__name__}: {err}"[:500])


def _where(item: _Pending) -> str:
    line = f", line {item.raw.source_line}" if item.raw.source_line else ""
    return f"{item.file_result['name']}{line}"


def batch_is_stale(batch: ImportBatch, *, now=None) -> bool:
    """A running batch whose worker stopped sending heartbeats (killed, or its machine went away)."""
    if batch.status != ImportBatch.Status.RUNNING:
        return False
    beat = batch.heartbeat_at or batch.started_at
    now = now or timezone.now()
    return beat is None or now - beat > timedelta(seconds=settings.IMPORT_STALE_SECONDS)


def batch_can_resume(batch: ImportBatch) -> bool:
    """A batch that stopped before its end (a dead worker, a lost database) and still has its files."""
    stopped = batch_is_stale(batch) or batch.status == ImportBatch.Status.FAILED
    return stopped and bool(batch.files)


def import_batch(
    *, batch_id: int, resume: bool = False, enqueue_chunk: Callable[[int], None] | None = None
) -> ImportBatch:
    """Run an uploaded batch: its files come from storage and are deleted once the batch has finished well.

    A batch another worker is running is left alone; ``resume`` runs a stopped one again from the start of its
    files, which writes only the articles that are not in the corpus yet. A batch with more than
    ``IMPORT_CHUNK_SIZE`` articles for spaCy is cut into chunks: with ``enqueue_chunk`` each chunk becomes a task
    that any worker can take (the batch is finished by the last one), without it they run here, one after the
    other. Resuming a chunked batch runs only its chunks that did not finish.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status in {ImportBatch.Status.DONE, ImportBatch.Status.PREVIEW}:
        return batch
    if batch.status == ImportBatch.Status.FAILED and not resume:
        return batch
    if batch.status == ImportBatch.Status.RUNNING and not batch_is_stale(batch):
        return batch

    if batch.chunks.exists():  # read and cut before: take up the chunks that did not finish
        chunk_ids = chunks_reopen(batch_id=batch.pk)
    else:
        batch = import_sources(batch=batch, sources=_stored_sources(batch), chunk_size=settings.IMPORT_CHUNK_SIZE)
        if batch.status != ImportBatch.Status.RUNNING:
            return _batch_finished(batch)
        chunk_ids = list(batch.chunks.values_list("pk", flat=True))
    if enqueue_chunk is None:
        import_chunks(batch_id=batch.pk)
    else:
        for chunk_id in chunk_ids:
            enqueue_chunk(chunk_id)
    return batch_finish_chunks(batch_id=batch.pk)


def _batch_finished(batch: ImportBatch) -> ImportBatch:
    if batch.status == ImportBatch.Status.DONE:
        for entry in batch.files:
            default_storage.delete(entry["path"])
    return batch


# ---- chunked import: a large batch shared by several workers ------------------------------------------------

_RAW_FIELDS = ("title", "outlet", "byline", "url", "dateline", "metadata", "source_line")


def _plan_chunks(batch: ImportBatch, todo: list[_Pending], size: int) -> None:
    """Store ``todo`` as chunks of ``size`` articles (each article with the index of its file's result)."""
    file_index = {id(result): i for i, result in enumerate(batch.results)}

    def item(p: _Pending) -> dict:
        raw = {name: getattr(p.raw, name) for name in _RAW_FIELDS}
        raw["published"] = p.raw.published.isoformat() if p.raw.published else None
        return {"file": file_index[id(p.file_result)], "text": p.text, "digest": p.digest, "raw": raw}

    with transaction.atomic():
        batch.chunks.all().delete()
        ImportChunk.objects.bulk_create(
            ImportChunk(batch=batch, number=n, size=len(part), items=[item(p) for p in part])
            for n, part in enumerate(_chunks(todo, size), start=1)
        )
        batch.heartbeat_at = timezone.now()
        batch.save(update_fields=["heartbeat_at"])


def _chunk_pending(chunk: ImportChunk, names: list[str]) -> tuple[list[_Pending], dict[str, dict]]:
    from datetime import date

    results: dict[str, dict] = {}
    pending = []
    for entry in chunk.items:
        key = str(entry["file"])
        if key not in results:
            results[key] = {"name": names[entry["file"]], "created": 0, "skipped": 0, "failed": 0, "errors": []}
        raw = dict(entry["raw"])
        raw["published"] = date.fromisoformat(raw["published"]) if raw.get("published") else None
        pending.append(
            _Pending(
                raw=RawArticle(text="", **raw), text=entry["text"], digest=entry["digest"], file_result=results[key]
            )
        )
    return pending, results


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS)


def _claimable() -> Q:
    """Chunks a worker may take: waiting ones, and running ones whose worker stopped beating."""
    S = ImportChunk.Status
    return (
        Q(status=S.PENDING)
        | Q(status=S.RUNNING, heartbeat_at__lt=_stale_before())
        | Q(status=S.RUNNING, heartbeat_at__isnull=True)
    )


def chunks_open(*, batch_id: int) -> bool:
    """Whether the batch has a chunk a worker could take now."""
    return ImportChunk.objects.filter(_claimable(), batch_id=batch_id).exists()


def chunk_claim(*, batch_id: int, prefer: int | None = None, owner: str = "") -> ImportChunk | None:
    """Take one chunk of the batch (``prefer`` if it is free): the row lock hands each chunk to one worker;
    chunks another worker holds are skipped, not waited for."""
    with transaction.atomic():
        free = ImportChunk.objects.select_for_update(skip_locked=True, of=("self",)).filter(
            _claimable(), batch_id=batch_id
        )
        free = free.defer("items")
        chunk = (free.filter(pk=prefer).first() if prefer else None) or free.order_by("number").first()
        if chunk is None:
            return None
        chunk.status, chunk.owner, chunk.heartbeat_at, chunk.error = (
            ImportChunk.Status.RUNNING,
            owner[:100],
            timezone.now(),
            "",
        )
        chunk.save(update_fields=["status", "owner", "heartbeat_at", "error"])
    return chunk


def import_chunks(*, batch_id: int, first: int | None = None, owner: str = "") -> int:
    """Take and run the batch's free chunks one after the other (``first`` first) until none is left; another
    worker doing the same shares them. The last one to finish finishes the batch. Returns the chunks run."""
    ran = 0
    while (chunk := chunk_claim(batch_id=batch_id, prefer=first, owner=owner)) is not None:
        first = None
        import_chunk(chunk_id=chunk.pk)
        ran += 1
    batch_finish_chunks(batch_id=batch_id)
    return ran


def import_chunk(*, chunk_id: int) -> ImportChunk:
    """Parse and write one claimed chunk, each article atomically; its counters are saved as it goes, and the
    batch's progress (counted over all its chunks) with them. Articles an earlier run of this chunk wrote count
    as created, content the corpus had (or got meanwhile from another import) as skipped."""
    chunk = ImportChunk.objects.select_related("batch").get(pk=chunk_id)
    batch = chunk.batch
    pending, results = _chunk_pending(chunk, [r["name"] for r in batch.results])
    chunk.items = []  # the texts live on in ``pending`` only
    try:
        todo = _not_yet_imported(batch, pending)
        done_before = len(pending) - len(todo)
        every = max(1, min(settings.SPACY_BATCH_SIZE, len(todo) // 10 or 1))
        # one process per chunk: a batch uses several cores by running chunks in several processes (SPACY_N_PROCESS)
        _parse_and_write(
            batch, todo, {}, None, lambda n: _chunk_saved(chunk, results, done_before + n), every, n_process=1
        )
        chunk.status = ImportChunk.Status.DONE
        _chunk_saved(chunk, results, len(pending))
    except Exception as err:  # the chunk must end in a state the batch can count, whatever happened
        logger.exception("import batch %s: chunk %s failed", batch.pk, chunk.number)
        if isinstance(err, CONNECTION_ERRORS) and not connection.is_usable():
            connection.close()
        chunk.status, chunk.error = ImportChunk.Status.FAILED, f"{type(err).__name__}: {err}"
        _chunk_saved(chunk, results, chunk.processed)
    return chunk


def _chunk_saved(chunk: ImportChunk, results: dict[str, dict], processed: int) -> None:
    chunk.processed = processed
    for name in ("created", "skipped", "failed"):
        setattr(chunk, name, sum(r[name] for r in results.values()))
    chunk.results = results
    chunk.heartbeat_at = timezone.now()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    chunk.peak_rss_mb, chunk.cpu_seconds = usage.ru_maxrss // 1024, round(usage.ru_utime + usage.ru_stime, 2)
    fields = ["processed", "created", "skipped", "failed", "results", "heartbeat_at", "status", "error"]
    fields += ["peak_rss_mb", "cpu_seconds"]
    chunk.save(update_fields=fields)
    _batch_progress(chunk.batch_id)


def _batch_counts(batch: ImportBatch) -> dict[str, int]:
    """The batch's counters: what reading its files found plus the sum over its chunks."""
    agg = batch.chunks.aggregate(
        size=Sum("size"),
        processed=Sum("processed"),
        created=Sum("created"),
        skipped=Sum("skipped"),
        failed=Sum("failed"),
    )
    agg = {k: v or 0 for k, v in agg.items()}
    counts = {name: sum(r[name] for r in batch.results) + agg[name] for name in ("created", "skipped", "failed")}
    counts["processed"] = batch.total - agg["size"] + agg["processed"]
    return counts


def _batch_progress(batch_id: int) -> None:
    batch = ImportBatch.objects.only("total", "results").get(pk=batch_id)
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.Status.RUNNING).update(
        **_batch_counts(batch), heartbeat_at=timezone.now()
    )


def batch_finish_chunks(*, batch_id: int) -> ImportBatch:
    """Finish a chunked batch once none of its chunks is waiting or running: done (per-file results merged, files
    deleted, chunk texts dropped) or failed with the first failed chunk's error (resumable). The batch row lock
    makes exactly one of the workers that finish chunks at the same time do it."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
        chunks = list(batch.chunks.defer("items"))
        if batch.status != ImportBatch.Status.RUNNING or not chunks:
            return batch
        S = ImportChunk.Status
        if any(c.status in {S.PENDING, S.RUNNING} for c in chunks):
            return batch
        for name, value in _batch_counts(batch).items():
            setattr(batch, name, value)
        failed = [c for c in chunks if c.status == S.FAILED]
        if failed:
            batch.status, batch.error = ImportBatch.Status.FAILED, failed[0].error
        else:
            for chunk in chunks:
                for key, part in chunk.results.items():
                    into = batch.results[int(key)]
                    for name in ("created", "skipped", "failed"):
                        into[name] += part[name]
                    into["errors"].extend(part["errors"])
            batch.status = ImportBatch.Status.DONE
        batch.finished_at = timezone.now()
        batch.save()
    if batch.status == ImportBatch.Status.DONE:
        batch.chunks.update(items=[])
    return _batch_finished(batch)


def chunks_reopen(*, batch_id: int) -> list[int]:
    """A stopped chunked batch runs again: its failed chunks and those whose worker died wait for a worker again.
    Returns the chunks that wait."""
    S = ImportChunk.Status
    with transaction.atomic():
        chunks = ImportChunk.objects.filter(batch_id=batch_id)
        chunks.filter(Q(status=S.FAILED) | _claimable()).update(status=S.PENDING, error="", owner="")
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportBatch.Status.RUNNING, error="", heartbeat_at=timezone.now(), finished_at=None
        )
        return list(chunks.filter(status=S.PENDING).values_list("pk", flat=True))


def release_memory() -> None:
    """Give freed heap back to the system after a large import (glibc keeps it otherwise)."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def _stored_sources(batch: ImportBatch) -> Iterator[SourceFile]:
    for entry in batch.files:
        with default_storage.open(entry["path"], "rb") as fh:
            data = fh.read()
        yield SourceFile(name=entry["name"], data=data)


def stale_batches() -> list[ImportBatch]:
    """Running batches whose worker died: a worker resumes them when it starts (failed ones wait for a person)."""
    return [b for b in ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING) if batch_is_stale(b)]


@transaction.atomic
def batch_create_from_uploads(
    *, user, uploads, fmt: str = "auto", default_outlet: str = "", options: dict | None = None
) -> ImportBatch:
    """Store uploaded files and create the batch that a worker will run; ``options`` are ReadOptions fields."""
    batch = ImportBatch.objects.create(created_by=user, fmt=fmt, default_outlet=default_outlet, options=options or {})
    files = []
    for number, upload in enumerate(uploads, start=1):
        name = storable_text(Path(upload.name).name)[:255]
        # stored under a short name of our own: file systems refuse names over 255 bytes, and names are the
        # uploader's text; the original name is kept for the reports
        path = default_storage.save(f"imports/{batch.pk}/{number}{Path(name).suffix[:16]}", upload)
        files.append({"name": name, "path": path})
    batch.files = files
    batch.save(update_fields=["files"])
    return batch


PREVIEW_PER_FILE = 200


def import_preview(*, batch: ImportBatch) -> ImportBatch:
    """What importing the batch's files would give, without writing an article: per file, each article's title,
    outlet, date, length and first words, whether its content is already in the corpus, and the file's errors.
    The batch keeps status "preview" until a person starts it (``batch_start``) or discards it."""
    pending, results = _read_all(batch, _stored_sources(batch))
    existing = content_hashes_present(digests=[p.digest for p in pending])
    for result in results:
        result["preview"] = []
    for item in pending:
        rows = item.file_result["preview"]
        if len(rows) < PREVIEW_PER_FILE:
            raw = item.raw
            rows.append(
                {
                    "title": raw.title or item.text.split("\n", 1)[0][:200],
                    "outlet": raw.outlet or batch.default_outlet,
                    "outlet_source": raw.metadata.get("outlet_source", ""),
                    "warnings": raw.warnings,
                    "published": raw.published.isoformat() if raw.published else "",
                    "words": len(item.text.split()),
                    "first_words": " ".join(item.text.split()[:25]),
                    "line": raw.source_line,
                    "exists": item.digest in existing,
                }
            )
    batch.status = ImportBatch.Status.PREVIEW
    batch.results = results
    batch.total = sum(1 for p in pending if p.digest not in existing)
    batch.save(update_fields=["status", "results", "total"])
    return batch


def batch_preview_again(*, batch: ImportBatch, options: dict) -> ImportBatch:
    """Read a previewed batch's files again with other reading options (split, encoding, outlet pattern)."""
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValidationError("This import has already started: its reading options are fixed.", code="not_preview")
    batch.options = options
    batch.save(update_fields=["options"])
    return import_preview(batch=batch)


@transaction.atomic
def batch_start(*, batch: ImportBatch) -> ImportBatch:
    """A previewed batch goes to the workers (the caller enqueues the task once this commits)."""
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportBatch.Status.PREVIEW:
        raise ValidationError("This import has already started or was discarded.", code="not_preview")
    locked.status = ImportBatch.Status.PENDING
    locked.results, locked.total = [], 0
    locked.save(update_fields=["status", "results", "total"])
    return locked


def batch_discard(*, batch: ImportBatch) -> None:
    """Forget a previewed batch and its stored files."""
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValidationError("Only a preview can be discarded.", code="not_preview")
    for entry in batch.files:
        default_storage.delete(entry["path"])
    batch.delete()


def local_sources(paths: Iterable[str | Path]) -> Iterator[SourceFile]:
    for path in paths:
        path = Path(path)
        yield SourceFile(name=path.name, data=path.read_bytes())
