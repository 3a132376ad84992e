"""The import: files → readers → spaCy (batched) → one atomic write per article.

One entry point, ``import_sources``, serves the ``import_articles`` command, the upload page's background task
(``import_batch``) and ``make run``'s seed loading.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from apps.annotations.models import EntityMention
from apps.corpus.models import Article, Outlet
from apps.corpus.text import content_hash, normalize_text
from apps.nlp.pipeline import analyze_texts_ahead
from apps.nlp.types import TextAnalysis
from apps.quotes.models import Quote
from apps.quotes.services import speakers_resolve

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


def _file_result(name: str) -> dict:
    return {"name": name, "articles": 0, "created": 0, "skipped": 0, "failed": 0, "errors": []}


def _read_all(batch: ImportBatch, sources: Iterable[SourceFile]) -> tuple[list[_Pending], list[dict]]:
    """Read and split every file; a broken file (or record) is reported and the rest goes on."""
    pending: list[_Pending] = []
    results: list[dict] = []
    seen: set[str] = set()
    for source in sources:
        result = _file_result(source.name)
        results.append(result)
        try:
            for raw in read_articles(
                source.data,
                name=source.name,
                fmt=batch.fmt,
                default_outlet=batch.default_outlet or None,
                max_bytes=settings.IMPORT_MAX_BYTES,
            ):
                if isinstance(raw, ReaderError):  # one bad record: report it, keep reading
                    result["failed"] += 1
                    result["errors"].append(str(raw))
                    continue
                result["articles"] += 1
                text = normalize_text(raw.text)
                if not text:
                    result["failed"] += 1
                    result["errors"].append(f"{source.name}, line {raw.source_line}: article has no text")
                    continue
                digest = content_hash(text)
                if digest in seen:
                    result["skipped"] += 1
                    continue
                seen.add(digest)
                pending.append(_Pending(raw=raw, text=text, digest=digest, file_result=result))
        except ReaderError as err:
            result["failed"] += 1
            result["errors"].append(str(err))
    return pending, results


def _chunks(items: list, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _outlet_for(name: str, cache: dict[str, Outlet]) -> Outlet | None:
    name = (name or "").strip()
    if not name:
        return None
    if name not in cache:
        cache[name], _ = Outlet.objects.get_or_create(name=name)
    return cache[name]


@transaction.atomic
def article_create_from_analysis(
    *, raw: RawArticle, text: str, digest: str, analysis: TextAnalysis, outlet: Outlet | None, batch: ImportBatch
) -> Article:
    """Write one article with its entity suggestions, speakers and quotes, all or nothing."""
    article = Article.objects.create(
        outlet=outlet,
        title=(raw.title or text.split("\n", 1)[0])[:500],
        byline=raw.byline[:300],
        published=raw.published,
        url=raw.url[:1000],
        dateline=raw.dateline[:200],
        text=text,
        content_hash=digest,
        n_words=analysis.n_words,
        metadata=raw.metadata,
    )
    batch.articles.add(article)
    EntityMention.objects.bulk_create(
        EntityMention(article=article, label=e.label, start=e.start, end=e.end, text=e.text[:500])
        for e in analysis.entities
    )
    speakers = speakers_resolve(infos=analysis.speakers)
    quotes = [
        Quote(
            article=article,
            speaker=speakers.get(q.speaker) if q.speaker else None,
            start=q.start,
            end=q.end,
            text=q.text,
            kind=q.kind,
            cue=(q.cue or "")[:60],
            cue_start=q.cue_start,
            cue_end=q.cue_end,
            speaker_mention=(q.speaker_mention or "")[:200],
            confidence=min(max(q.confidence, 0.0), 1.0),
        )
        for q in analysis.quotes
        if 0 <= q.start < q.end <= len(text) and text[q.start : q.end] == q.text
    ]
    if quotes:
        bulk_create_with_history(quotes, Quote, batch_size=500)
    return article


def import_sources(
    *, batch: ImportBatch, sources: Iterable[SourceFile], progress: Progress | None = None, dry_run: bool = False
) -> ImportBatch:
    """Import every article of ``sources`` into the corpus and record the outcome on ``batch``.

    Guarantees: each article is written atomically (article, entities, speakers, quotes) or not at all;
    content already in the corpus (same hash) is skipped and counted; a broken file or record is reported
    with its name and line and does not stop the others. With ``dry_run`` nothing is written but the batch.
    """
    batch.status = ImportBatch.Status.RUNNING
    batch.started_at = timezone.now()
    batch.save(update_fields=["status", "started_at"])
    try:
        pending, results = _read_all(batch, sources)
        by_name = {r["name"]: r for r in results}
        existing = set()
        for chunk in _chunks([p.digest for p in pending], 500):
            existing.update(Article.objects.filter(content_hash__in=chunk).values_list("content_hash", flat=True))
        todo = []
        for item in pending:
            if item.digest in existing:
                item.file_result["skipped"] += 1
            else:
                todo.append(item)
        batch.total = len(todo)
        batch.results = results
        batch.save(update_fields=["total", "results"])
        if progress:
            progress(0, batch.total)
        if not dry_run:
            _import_pending(batch, todo, progress)
        for result in by_name.values():
            batch.created += result["created"]
            batch.skipped += result["skipped"]
            batch.failed += result["failed"]
        batch.status = ImportBatch.Status.DONE
    except Exception as err:  # the batch must end in a state the page can show, whatever happened
        logger.exception("import batch %s failed", batch.pk)
        batch.status = ImportBatch.Status.FAILED
        batch.error = f"{type(err).__name__}: {err}"
    batch.finished_at = timezone.now()
    batch.save()
    return batch


def _import_pending(batch: ImportBatch, todo: list[_Pending], progress: Progress | None) -> None:
    """Parse ahead in a background thread while this thread writes, so writes overlap spaCy's work."""
    outlets: dict[str, Outlet] = {}
    every = max(1, min(settings.SPACY_BATCH_SIZE, len(todo) // 100 or 1))  # ~100 progress updates at most
    analyses = analyze_texts_ahead([p.text for p in todo], batch_size=settings.SPACY_BATCH_SIZE)
    for processed, (item, analysis) in enumerate(zip(todo, analyses), start=1):
        try:
            article_create_from_analysis(
                raw=item.raw,
                text=item.text,
                digest=item.digest,
                analysis=analysis,
                outlet=_outlet_for(item.raw.outlet or batch.default_outlet, outlets),
                batch=batch,
            )
            item.file_result["created"] += 1
        except IntegrityError as err:
            if Article.objects.filter(content_hash=item.digest).exists():  # imported meanwhile elsewhere
                item.file_result["skipped"] += 1
            else:
                item.file_result["failed"] += 1
                item.file_result["errors"].append(f"{_where(item)}: {err}")
        if processed % every == 0 or processed == len(todo):
            batch.processed = processed
            batch.save(update_fields=["processed", "results"])
            if progress:
                progress(processed, len(todo))


def _where(item: _Pending) -> str:
    line = f", line {item.raw.source_line}" if item.raw.source_line else ""
    return f"{item.file_result['name']}{line}"


def import_batch(*, batch_id: int) -> ImportBatch:
    """Run an uploaded batch: its files come from storage and are deleted once read."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.finished:
        return batch

    def sources() -> Iterator[SourceFile]:
        for entry in batch.files:
            with default_storage.open(entry["path"], "rb") as fh:
                data = fh.read()
            yield SourceFile(name=entry["name"], data=data)

    batch = import_sources(batch=batch, sources=sources())
    for entry in batch.files:
        default_storage.delete(entry["path"])
    return batch


@transaction.atomic
def batch_create_from_uploads(*, user, uploads, fmt: str = "auto", default_outlet: str = "") -> ImportBatch:
    """Store uploaded files and create the batch that a worker will run."""
    batch = ImportBatch.objects.create(created_by=user, fmt=fmt, default_outlet=default_outlet)
    files = []
    for upload in uploads:
        name = Path(upload.name).name
        path = default_storage.save(f"imports/{batch.pk}/{name}", upload)
        files.append({"name": name, "path": path})
    batch.files = files
    batch.save(update_fields=["files"])
    return batch


def local_sources(paths: Iterable[str | Path]) -> Iterator[SourceFile]:
    for path in paths:
        path = Path(path)
        yield SourceFile(name=path.name, data=path.read_bytes())
