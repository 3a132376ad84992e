"""Pre-annotated records: articles that bring their own spans, entities and quotes (README "Pre-annotated import").

A JSONL object (or a CSV row, whose ``spans`` / ``entities`` / ``quotes`` cells hold the same JSON lists) may carry:

* ``spans``: ``[{"start", "end", "text"?, "label"? | "labels"? | "themes"?, "note"?}]``. A label of the entity
  scheme (``ENTITY_LABELS``: PERSON, GPE, ORG ...) makes an entity mention; any other label, and every name in
  ``themes``, is a theme (matched by name or slug, created when missing) and makes the span a theme span of the
  record's annotator. Label Studio-style exports (the peer benchmark's corpus) import as they are.
* ``entities``: ``[{"start", "end", "label", "text"?}]``: entity mentions (suggestions analysts accept or reject).
* ``quotes``: ``[{"start", "end", "text"?, "speaker"?, "speaker_kind"?, "kind"?, "cue"?, "cue_start"?, "cue_end"?}]``.
* ``annotator``: the username whose theme spans these are (default: the user who imports).
* ``nlp``: run spaCy on the record (``true``) or not (``false``). Default: not when the record brings entities or
  quotes (it already has what spaCy would add), else yes.

Offsets are code points into the record's ``text`` as given, half-open. Readout normalises the text (NFC, ``\\n``
line ends, no trailing spaces, no outer blank space) and moves the offsets with it; every offset then passes
``core.offsets.span_offsets`` and, when the item gives its ``text``, must give it back. A bad item fails its record
only (reported with file and line); the other records import.

Records without spaCy are written in chunks: one transaction and a fixed number of INSERTs per chunk of articles,
through the owning apps' bulk services. A chunk that fails (a concurrent import of the same text, a broken row) is
rolled back and written again one article at a time, so each article stays all or nothing and a duplicate is
skipped and counted as in any import.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import unicodedata
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field

import regex
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction

from apps.annotations.models import EntityMention
from apps.annotations.services import annotations_import_bulk, entity_mentions_import_bulk, themes_for_labels
from apps.core.bulk import tuples_insert
from apps.core.offsets import span_offsets
from apps.corpus.models import Article
from apps.corpus.search import search_documents_deferred
from apps.corpus.services import articles_bulk_create, outlet_for_name, storable_text
from apps.corpus.text import normalize_text
from apps.nlp.types import EntitySpan, QuoteSpan, SpeakerInfo
from apps.quotes.services import quotes_import_bulk, speakers_resolve

logger = logging.getLogger(__name__)

# The entity label scheme of spaCy's English pipelines (OntoNotes 5); any other label is a theme.
ENTITY_LABELS = frozenset(
    "PERSON NORP FAC ORG GPE LOC PRODUCT EVENT WORK_OF_ART LAW LANGUAGE DATE TIME PERCENT MONEY QUANTITY ORDINAL "
    "CARDINAL".split()
)
SPEAKER_KINDS = {"person", "organisation", "place"}
QUOTE_KINDS = {"direct", "indirect", "mixed"}
MAX_ITEMS = 5000  # per list and record
ENTITY_LABEL_MAX = EntityMention._meta.get_field("label").max_length
CHUNK = 100  # articles per transaction on the bulk path
WRITERS = 2  # chunks written at once, each on its own connection (PostgreSQL, outside a transaction)
_GRAPHEME = regex.compile(r"\X")
# A connection that broke is not one article's fault (as in apps.ingest.services): the batch stops and can resume.
CONNECTION_ERRORS = (OperationalError, InterfaceError)


class PreannotationError(ValueError):
    """A record's annotations cannot be imported; the message says which item and why."""


@dataclass(slots=True)
class ThemeSpan:
    start: int
    end: int
    labels: tuple[str, ...]
    note: str = ""


@dataclass(slots=True)
class Preannotation:
    spans: list[ThemeSpan] = field(default_factory=list)
    entities: list[EntitySpan] = field(default_factory=list)
    quotes: list[QuoteSpan] = field(default_factory=list)
    speakers: list[SpeakerInfo] = field(default_factory=list)
    annotator: str = ""
    run_nlp: bool = True


# --- reading -------------------------------------------------------------------------------------------------


def _offset_mapper(given: str, text: str) -> Callable[[int], int]:
    """Map offsets into the text as given to offsets into the stored (normalised) text.

    Identity when normalising changed nothing (the usual case). Otherwise each grapheme cluster is normalised on
    its own (NFC, ``\\r\\n`` -> ``\\n``), then the characters normalising drops (trailing spaces of lines, outer blank
    space, NUL) are removed; the result must be the stored text, else the record's offsets cannot be trusted."""
    if given == text:
        return lambda offset: offset
    pieces, starts, size = [], {}, 0
    for m in _GRAPHEME.finditer(given):
        starts[m.start()] = size
        pieces.append(unicodedata.normalize("NFC", m.group()).replace("\r\n", "\n").replace("\r", "\n"))
        size += len(pieces[-1])
    stage = "".join(pieces)
    starts[len(given)] = len(stage)
    keep = [ch not in "\x00" and not ("\ud800" <= ch <= "\udfff") for ch in stage]
    pos = 0
    for line in stage.split("\n"):
        for i in range(pos + len(line.rstrip()), pos + len(line)):
            keep[i] = False
        pos += len(line) + 1
    lead = len(stage) - len(stage.lstrip())
    tail = len(stage.rstrip())
    for i in [*range(lead), *range(tail, len(stage))]:
        keep[i] = False
    kept_before = [0]
    for k in keep:
        kept_before.append(kept_before[-1] + k)
    if "".join(ch for ch, k in zip(stage, keep) if k) != text:
        raise PreannotationError("the text changes under normalisation in a way offsets cannot follow")

    def mapped(offset: int) -> int:
        if offset not in starts:
            raise PreannotationError(f"offset {offset} is inside a character or outside the text")
        return kept_before[starts[offset]]

    return mapped


def _items(value, what: str) -> list:
    if value in (None, ""):
        return []
    if isinstance(value, str):  # a CSV cell
        try:
            value = json.loads(value)
        except json.JSONDecodeError as err:
            raise PreannotationError(f"{what}: malformed JSON ({err.msg})") from None
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise PreannotationError(f"{what}: expected a list of objects")
    if len(value) > MAX_ITEMS:
        raise PreannotationError(f"{what}: at most {MAX_ITEMS} items per record")
    return value


class _Checker:
    def __init__(self, given: str, text: str):
        self.text = text
        self.mapped = _offset_mapper(given, text)
        # ASCII text that normalising left alone (the usual case): every offset is a character boundary and maps
        # to itself, so a span needs only its range, blank and text checks (span_offsets' ASCII case, inlined)
        self.simple = given == text and text.isascii() and "\r" not in text

    def span(self, item: dict, where: str) -> tuple[int, int]:
        start, end = item.get("start"), item.get("end")
        if self.simple and type(start) is int and type(end) is int and 0 <= start < end <= len(self.text):
            found = self.text[start:end]
            given = item.get("text")
            if found.strip() and (given is None or given == found):
                return start, end
        return self._span_checked(item, where)  # the general path: says what is wrong, or maps and accepts

    def _span_checked(self, item: dict, where: str) -> tuple[int, int]:
        try:
            start, end = int(item.get("start")), int(item.get("end"))
        except (TypeError, ValueError):
            raise PreannotationError(f"{where}: offsets must be whole numbers") from None
        try:
            start, end = span_offsets(text=self.text, start=self.mapped(start), end=self.mapped(end))
        except PreannotationError as err:
            raise PreannotationError(f"{where}: {err}") from None
        except ValidationError as err:
            raise PreannotationError(f"{where}: {' '.join(err.messages)}") from None
        given = item.get("text")
        found = self.text[start:end]
        if given is not None and given != found and normalize_text(storable_text(str(given))) != found:
            raise PreannotationError(
                f"{where}: text {str(given)[:60]!r} does not match the article at [{start}, {end}): "
                f"{self.text[start:end][:60]!r}"
            )
        return start, end

    def optional_span(self, item: dict, a: str, b: str, where: str) -> tuple[int | None, int | None]:
        if item.get(a) is None and item.get(b) is None:
            return None, None
        return self.span({"start": item.get(a), "end": item.get(b)}, where)


def _labels(item: dict, where: str) -> list[str]:
    labels = item.get("labels") if item.get("labels") is not None else [item.get("label")]
    labels = [*labels, *(item.get("themes") or [])] if isinstance(labels, list) else None
    if labels is None or not all(isinstance(x, str) for x in labels if x is not None):
        raise PreannotationError(f"{where}: labels and themes must be text")
    labels = [x.strip() for x in labels if x and x.strip()]
    if not labels:
        raise PreannotationError(f"{where}: no label or theme")
    return labels


def read_preannotation(annotations: dict, *, text: str) -> Preannotation | None:
    """The record's annotations checked against its stored ``text``; None when it brings none."""
    check = _Checker(annotations.get("source_text", text), text)
    pre = Preannotation()
    size, entities, spans = len(text), pre.entities, pre.spans
    for number, item in enumerate(_items(annotations.get("spans"), "spans"), start=1):
        # The usual item (whole-number offsets into simple text, one label, its text as stored) is checked inline:
        # the same checks as ``_read_span``, at a third of the cost, which matters at 40,000 spans per 1,000 articles
        start, end, label = item.get("start"), item.get("end"), item.get("label")
        if (
            check.simple
            and type(start) is int
            and type(end) is int
            and type(label) is str
            and 0 <= start < end <= size
            and "labels" not in item
            and "themes" not in item
        ):
            found, given, label = text[start:end], item.get("text"), label.strip()
            if label and found.strip() and (given is None or given == found):
                if label.upper() in ENTITY_LABELS:
                    entities.append(EntitySpan(label.upper(), start, end, found))
                else:
                    spans.append(ThemeSpan(start, end, (label[:120],), str(item.get("note") or "")[:5000]))
                continue
        _read_span(pre, item, number, check)
    for number, item in enumerate(_items(annotations.get("entities"), "entities"), start=1):
        start, end = check.span(item, f"entity {number}")
        label = str(item.get("label") or "").strip().upper()
        if not label:
            raise PreannotationError(f"entity {number}: no label")
        if len(label) > ENTITY_LABEL_MAX:  # the column's width: refused here, not by the database mid-chunk
            raise PreannotationError(f"entity {number}: label longer than {ENTITY_LABEL_MAX} characters")
        pre.entities.append(EntitySpan(label=label, start=start, end=end, text=text[start:end]))
    _read_quotes(pre, annotations, check)
    annotator = annotations.get("annotator")
    pre.annotator = annotator.strip() if isinstance(annotator, str) else ""
    nlp = annotations.get("nlp")
    if isinstance(nlp, str):
        nlp = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}.get(nlp.lower())
    pre.run_nlp = nlp if isinstance(nlp, bool) else not (pre.entities or pre.quotes)
    if not (pre.spans or pre.entities or pre.quotes):
        return None if pre.run_nlp else pre
    return pre


def _read_span(pre: Preannotation, item: dict, number: int, check: _Checker) -> None:
    where = f"span {number}"
    start, end = check.span(item, where)
    themes = []
    for label in _labels(item, where):
        if label.upper() in ENTITY_LABELS and label not in (item.get("themes") or ()):
            pre.entities.append(EntitySpan(label=label.upper(), start=start, end=end, text=check.text[start:end]))
        else:
            themes.append(label[:120])
    if themes:
        pre.spans.append(ThemeSpan(start, end, tuple(themes), str(item.get("note") or "")[:5000]))


def _read_quotes(pre: Preannotation, annotations: dict, check: _Checker) -> None:
    speakers: dict[str, SpeakerInfo] = {}
    for number, item in enumerate(_items(annotations.get("quotes"), "quotes"), start=1):
        where = f"quote {number}"
        start, end = check.span(item, where)
        cue_start, cue_end = check.optional_span(item, "cue_start", "cue_end", f"{where} cue")
        kind = str(item.get("kind") or "indirect").lower()
        if kind not in QUOTE_KINDS:
            raise PreannotationError(f"{where}: kind must be one of {', '.join(sorted(QUOTE_KINDS))}")
        name = " ".join(str(item.get("speaker") or "").split())[:200]
        if name and name not in speakers:
            speaker_kind = str(item.get("speaker_kind") or "person").lower()
            if speaker_kind not in SPEAKER_KINDS:
                raise PreannotationError(f"{where}: speaker_kind must be one of {', '.join(sorted(SPEAKER_KINDS))}")
            speakers[name] = SpeakerInfo(name=name, kind=speaker_kind)
        cue = item.get("cue") or (check.text[cue_start:cue_end] if cue_start is not None else "")
        pre.quotes.append(
            QuoteSpan(
                start=start,
                end=end,
                text=check.text[start:end],
                kind=kind,
                cue=str(cue).lower()[:60] or None,
                cue_start=cue_start,
                cue_end=cue_end,
                speaker=name or None,
                speaker_mention=str(item.get("speaker_mention") or name)[:200] or None,
                confidence=1.0,
            )
        )
    pre.speakers = list(speakers.values())


def count_words(text: str) -> int:
    """Words of a text that skips spaCy: runs between white space (spaCy's count without punctuation, near enough
    for news prose, at a hundredth of the cost)."""
    return len(text.split())


# --- writing -------------------------------------------------------------------------------------------------


class WriteContext:
    """What every pre-annotated article of a batch shares: themes by label, annotators by username, outlets. It
    grows as the batch is read (``add``), always in the thread that reads, before the articles are handed to a
    writer: a writer only reads it."""

    def __init__(self, *, batch, items: list = ()):
        self.themes: dict = {}
        self.users: dict = {}
        self._names: set[str] = set()  # annotator names looked up (found or not)
        self.default_user = batch.created_by
        self.outlets: dict = {}
        self.batch = batch
        self.add(items)

    def add(self, items: list, *, outlets: bool = False) -> None:
        """Resolve what ``items`` need that earlier items did not: their themes (created when missing), their
        annotators and, with ``outlets``, their outlets (created and committed outside any chunk, so that a chunk
        rolled back leaves no cached outlet that no longer exists and two writers never create the same one)."""
        labels = {label for item in items for span in item.pre.spans for label in span.labels} - self.themes.keys()
        if labels:
            self.themes.update(themes_for_labels(labels=labels))
        names = {item.pre.annotator for item in items if item.pre.annotator} - self._names
        if names:
            self._names |= names
            User = get_user_model()
            found = User.objects.filter(**{f"{User.USERNAME_FIELD}__in": names})
            self.users.update({u.get_username(): u for u in found})
        if outlets:
            for item in items:
                outlet_for_name(item.raw.outlet or self.batch.default_outlet, cache=self.outlets)

    def annotator(self, pre: Preannotation):
        if pre.annotator:
            user = self.users.get(pre.annotator)
            if user is None:
                raise PreannotationError(f"unknown annotator {pre.annotator!r}")
            return user
        if pre.spans and self.default_user is None:
            raise PreannotationError("theme spans need an annotator: name one in the record or import as a user")
        return self.default_user

    def span_rows(self, article, pre: Preannotation, user) -> list[dict]:
        return [
            {
                "article": article,
                "annotator": user,
                "start": s.start,
                "end": s.end,
                "theme_ids": [self.themes[label].pk for label in s.labels],
                "note": s.note,
            }
            for s in pre.spans
        ]


def write_extra(*, article, pre: Preannotation, spacy_entities, ctx: WriteContext) -> None:
    """A record's own annotations on an article the spaCy path just wrote (same transaction); entities spaCy
    found too are stored once."""
    user = ctx.annotator(pre)
    have = {(e.start, e.end, e.label) for e in spacy_entities}
    entity_mentions_import_bulk(items=[(article, [e for e in pre.entities if (e.start, e.end, e.label) not in have])])
    if pre.quotes:
        speakers = speakers_resolve(infos=pre.speakers)
        taken = set(article.quotes.values_list("start", "end"))
        quotes_import_bulk(items=[(article, [q for q in pre.quotes if (q.start, q.end) not in taken], speakers)])
    annotations_import_bulk(spans=ctx.span_rows(article, pre, user))


def batch_articles_link(*, batch, articles: list[Article]) -> None:
    """Record new articles as written by ``batch`` (what a resume and the batch's page go by), in one statement;
    both import paths call it."""
    tuples_insert(batch.articles.through, ("importbatch_id", "article_id"), [(batch.pk, a.pk) for a in articles])


def _write_chunk(items: list, ctx: WriteContext) -> None:
    """Articles with their annotations, all in one transaction: all of them or none."""
    users = [ctx.annotator(item.pre) for item in items]  # an unknown annotator fails before anything is written
    outlets = [outlet_for_name(item.raw.outlet or ctx.batch.default_outlet, cache=ctx.outlets) for item in items]
    own_transaction = not connection.in_atomic_block
    # the articles' search documents are filled after the batch (corpus.tasks.index_articles_for_search)
    with transaction.atomic(), search_documents_deferred():
        if own_transaction and connection.vendor == "postgresql":
            # The chunk's commit does not wait for its WAL to reach the disk: the batch is marked done (and its
            # progress saved) by ordinary commits after its chunks, and WAL is flushed in order, so a batch shown
            # done has every article durable; a crash before that leaves the batch running, and its resume writes
            # what the crash lost. Visibility and atomicity are those of any commit.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        articles = articles_bulk_create(
            articles=[
                {
                    "text": item.text,
                    "digest": item.digest,
                    "title": item.raw.title,
                    "outlet": outlet,
                    "byline": item.raw.byline,
                    "published": item.raw.published,
                    "url": item.raw.url,
                    "dateline": item.raw.dateline,
                    "n_words": count_words(item.text),
                    "metadata": item.raw.metadata,
                }
                for item, outlet in zip(items, outlets)
            ]
        )
        batch_articles_link(batch=ctx.batch, articles=articles)
        entity_mentions_import_bulk(items=[(a, item.pre.entities) for a, item in zip(articles, items)])
        infos = {info.name: info for item in items for info in item.pre.speakers}
        if infos:
            speakers = speakers_resolve(infos=list(infos.values()))
            quotes_import_bulk(items=[(a, item.pre.quotes, speakers) for a, item in zip(articles, items)])
        annotations_import_bulk(
            spans=[row for a, item, u in zip(articles, items, users) for row in ctx.span_rows(a, item.pre, u)]
        )


class ChunkWriter:
    """Writes chunks of records that skip spaCy as they are handed in (``submit``), each in one transaction, while
    the caller goes on reading. ``on_article(item, created)`` is called for each article written (True) or skipped
    as a duplicate (False), ``on_failure(item, err)`` for each article that could not be written, ``on_chunk(chunk)``
    after each chunk: in the caller's thread, in the order of the chunks, from ``submit`` (for chunks done by then)
    and ``finish`` (the rest). A failed chunk is rolled back and written again one article at a time.

    On PostgreSQL, outside any transaction, ``WRITERS`` threads write the chunks, each on its own connection (one
    writer's Python work overlaps the other's wait on the database, the database works on two cores, and both
    overlap the reading of the next records). Chunks with quotes are written one at a time, as resolving a new
    speaker in two transactions at once could create it twice. Elsewhere (SQLite, or inside the caller's
    transaction) each chunk is written by ``submit`` itself. Call ``close`` when the caller stops on an error: the
    writers stop after their current chunk."""

    def __init__(self, *, ctx: WriteContext, on_article: Callable, on_failure: Callable, on_chunk: Callable | None):
        self.ctx, self.on_article, self.on_failure, self.on_chunk = ctx, on_article, on_failure, on_chunk
        self.parallel = WRITERS > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
        self.todo: queue.SimpleQueue = queue.SimpleQueue()
        self.waiting: deque[tuple[list, Future]] = deque()  # submitted chunks whose callbacks have not run
        self.threads: list[threading.Thread] = []
        self.stop = threading.Event()
        self.quotes = threading.Lock()

    def submit(self, chunk: list) -> None:
        self.ctx.add(chunk, outlets=True)
        if not self.parallel:
            self._deliver(chunk, _chunk_outcomes(chunk, self.ctx))
            return
        future: Future = Future()
        self.waiting.append((chunk, future))
        self.todo.put((chunk, future))
        if len(self.threads) < WRITERS:  # started as chunks come: a small batch needs one connection
            thread = threading.Thread(target=self._writer, name=f"import-writer-{len(self.threads)}")
            self.threads.append(thread)
            thread.start()
        self._collect(wait=False)

    def finish(self) -> None:
        """Wait for every chunk and run the callbacks of those not reported yet; raise a writer's error."""
        try:
            self._collect(wait=True)
        finally:
            self.close()

    def close(self) -> None:
        self.stop.set()
        for _ in self.threads:
            self.todo.put(None)
        for thread in self.threads:
            thread.join()
        self.threads = []

    def _collect(self, *, wait: bool) -> None:
        while self.waiting and (wait or self.waiting[0][1].done()):
            chunk, future = self.waiting.popleft()
            self._deliver(chunk, future.result())  # a writer's error is raised here

    def _deliver(self, chunk: list, outcomes: list) -> None:
        for item, outcome in zip(chunk, outcomes):
            if isinstance(outcome, Exception):
                self.on_failure(item, outcome)
            else:
                self.on_article(item, outcome)
        if self.on_chunk:
            self.on_chunk(chunk)

    def _writer(self) -> None:
        try:
            while (job := self.todo.get()) is not None and not self.stop.is_set():
                chunk, future = job
                try:
                    if any(item.pre.quotes for item in chunk):
                        with self.quotes:
                            future.set_result(_chunk_outcomes(chunk, self.ctx))
                    else:
                        future.set_result(_chunk_outcomes(chunk, self.ctx))
                except BaseException as err:  # noqa: BLE001 - handed to the caller's thread
                    self.stop.set()
                    future.set_exception(err)
        finally:
            connection.close()  # this thread's own connection


def _chunk_outcomes(chunk: list, ctx: WriteContext) -> list:
    """Per article of the chunk: True (written), False (a duplicate, skipped) or the exception that failed it."""
    try:
        _write_chunk(chunk, ctx)
        return [True] * len(chunk)
    except CONNECTION_ERRORS:
        raise
    except Exception:  # noqa: BLE001 - some article of the chunk is bad: find which, one at a time
        logger.info("import batch %s: a chunk failed; writing its articles one by one", ctx.batch.pk)
        return [_one_outcome(item, ctx) for item in chunk]


def _one_outcome(item, ctx: WriteContext):
    try:
        _write_chunk([item], ctx)
        return True
    except CONNECTION_ERRORS:
        raise
    except IntegrityError as err:
        return False if Article.objects.filter(content_hash=item.digest).exists() else err  # imported meanwhile
    except Exception as err:  # noqa: BLE001 - one bad record never stops the batch
        return err
