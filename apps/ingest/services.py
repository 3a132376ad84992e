"""The import: files → readers → spaCy (batched) → one atomic write per article.

One entry point, ``import_sources``, serves the ``import_articles`` command, the upload page's background task
(``import_batch``) and ``make run``'s seed loading.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from apps.annotations.services import entity_mentions_bulk_create
from apps.corpus.models import Article, Outlet
from apps.corpus.services import article_create, outlet_for_name, storable_text
from apps.corpus.tasks import index_articles_for_search
from apps.corpus.text import content_hash, normalize_text
from apps.nlp.pipeline import analyze_texts_ahead
from apps.nlp.types import TextAnalysis
from apps.quotes.services import quotes_bulk_create, speakers_resolve

from . import preannotated
from .models import ImportBatch
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
    pending: list[_Pending] = []
    results: list[dict] = []
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
                pending.append(_Pending(raw=raw, text=text, digest=digest, file_result=result, pre=pre))
        except ReaderError as err:
            result["failed"] += 1
            result["errors"].append(str(err))
    return pending, results


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


@transaction.atomic
def article_create_from_analysis(
    *, raw: RawArticle, text: str, digest: str, analysis: TextAnalysis, outlet: Outlet | None, batch: ImportBatch
) -> Article:
    """Write one article with its entity suggestions, speakers and quotes, all or nothing, each through the
    services of the app that owns the rows."""
    article = article_create(
        text=text,
        digest=digest,
        title=raw.title,
        outlet=outlet,
        byline=raw.byline,
        published=raw.published,
        url=raw.url,
        dateline=raw.dateline,
        n_words=analysis.n_words,
        metadata=raw.metadata,
    )
    batch.articles.add(article)
    entity_mentions_bulk_create(article=article, entities=analysis.entities)
    speakers = speakers_resolve(infos=analysis.speakers)
    quotes_bulk_create(article=article, quotes=analysis.quotes, speakers=speakers)
    return article


# A connection that broke is not one article's fault: the batch stops (and can resume) instead of failing
# every remaining article.
CONNECTION_ERRORS = (OperationalError, InterfaceError)


def import_sources(
    *, batch: ImportBatch, sources: Iterable[SourceFile], progress: Progress | None = None, dry_run: bool = False
) -> ImportBatch:
    """Import every article of ``sources`` into the corpus and record the outcome on ``batch``.

    Guarantees: each article is written atomically (article, entities, speakers, quotes) or not at all;
    content already in the corpus (same hash) is skipped and counted; a broken file or record is reported
    with its name and line and costs only that record. Running the same batch again (a resume after a crash)
    creates nothing twice, and its counters count the articles an earlier run of this batch wrote as created.
    With ``dry_run`` nothing is written but the batch.
    """
    batch.status = ImportBatch.Status.RUNNING
    batch.started_at = batch.started_at or timezone.now()
    batch.heartbeat_at = timezone.now()
    batch.error = ""
    batch.save(update_fields=["status", "started_at", "heartbeat_at", "error"])
    try:
        pending, results = _read_all(batch, sources)
        todo = _not_yet_imported(batch, pending)
        batch.total = len(todo) + sum(r["created"] for r in results)
        batch.processed = batch.total - len(todo)
        batch.results = results
        batch.save(update_fields=["total", "processed", "results"])
        if progress:
            progress(batch.processed, batch.total)
        if not dry_run:
            _import_pending(batch, todo, progress)
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
    existing: set[str] = set()
    ours: set[str] = set()
    for chunk in _chunks([p.digest for p in pending], 500):
        existing.update(Article.objects.filter(content_hash__in=chunk).values_list("content_hash", flat=True))
        if batch.pk:
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


def _import_pending(batch: ImportBatch, todo: list[_Pending], progress: Progress | None) -> None:
    """Parse ahead in a background thread while this thread writes, so writes overlap spaCy's work."""
    outlets: dict[str, Outlet] = {}
    every = max(1, min(settings.SPACY_BATCH_SIZE, len(todo) // 100 or 1))  # ~100 progress updates at most
    ctx = None
    if any(p.pre for p in todo):  # records that bring their own annotations (apps.ingest.preannotated)
        ctx = preannotated.WriteContext(batch=batch, items=[p for p in todo if p.pre])
        ctx.outlets = outlets
        own = [p for p in todo if p.pre and not p.pre.run_nlp]
        todo = [p for p in todo if not (p.pre and not p.pre.run_nlp)]
        _import_preannotated(batch, own, ctx, progress)
        if not todo:  # nothing left for spaCy: don't load it
            return
    done_before = batch.processed
    analyses = analyze_texts_ahead([p.text for p in todo], batch_size=settings.SPACY_BATCH_SIZE)
    for processed, (item, analysis) in enumerate(zip(todo, analyses), start=1):
        _import_one(batch, item, analysis, outlets, ctx)
        if processed % every == 0 or processed == len(todo):
            batch.processed = done_before + processed
            batch.heartbeat_at = timezone.now()
            batch.save(update_fields=["processed", "results", "heartbeat_at"])
            if progress:
                progress(batch.processed, batch.total)


def _import_preannotated(batch: ImportBatch, own: list[_Pending], ctx, progress: Progress | None) -> None:
    """The records that skip spaCy: written in chunks by apps.ingest.preannotated, each article all or nothing."""

    def on_article(item: _Pending, created: bool) -> None:
        item.file_result["created" if created else "skipped"] += 1

    def on_chunk(chunk: list[_Pending]) -> None:
        batch.processed += len(chunk)
        batch.heartbeat_at = timezone.now()
        batch.save(update_fields=["processed", "results", "heartbeat_at"])
        if progress:
            progress(batch.processed, batch.total)

    preannotated.import_preannotated(
        items=own, ctx=ctx, on_article=on_article, on_failure=_record_failure, on_chunk=on_chunk
    )
    if own:  # the chunks wrote articles without their search documents: a worker fills them after this batch
        index_articles_for_search.enqueue()


def _import_one(
    batch: ImportBatch, item: _Pending, analysis: TextAnalysis, outlets: dict[str, Outlet], ctx=None
) -> None:
    """Write one article; its failure is reported with file and line and costs only this article."""
    try:
        with transaction.atomic():
            article = article_create_from_analysis(
                raw=item.raw,
                text=item.text,
                digest=item.digest,
                analysis=analysis,
                outlet=outlet_for_name(item.raw.outlet or batch.default_outlet, cache=outlets),
                batch=batch,
            )
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


def import_batch(*, batch_id: int, resume: bool = False) -> ImportBatch:
    """Run an uploaded batch: its files come from storage and are deleted once the batch has finished well.

    A batch another worker is running is left alone; ``resume`` runs a stopped one again from the start of its
    files, which writes only the articles that are not in the corpus yet.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status in {ImportBatch.Status.DONE, ImportBatch.Status.PREVIEW}:
        return batch
    if batch.status == ImportBatch.Status.FAILED and not resume:
        return batch
    if batch.status == ImportBatch.Status.RUNNING and not batch_is_stale(batch):
        return batch

    batch = import_sources(batch=batch, sources=_stored_sources(batch))
    if batch.status == ImportBatch.Status.DONE:
        for entry in batch.files:
            default_storage.delete(entry["path"])
    return batch


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
    existing: set[str] = set()
    for chunk in _chunks([p.digest for p in pending], 500):
        existing.update(Article.objects.filter(content_hash__in=chunk).values_list("content_hash", flat=True))
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
