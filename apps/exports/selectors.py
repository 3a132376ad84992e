"""Reads for exports: the filtered (span, theme) rows, their count, and the per-article context.

Queries return ``values_list`` rows ordered by article so the dataset can look up one article's text and
quotes at a time; nothing here loads all rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from django.db import connection
from django.db.models import BooleanField, CharField, Exists, F, Func, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from apps.annotations.models import Annotation, EntityMention
from apps.corpus.models import Article
from apps.ingest.models import ImportBatch
from apps.quotes.models import Quote
from apps.review.models import GoldSpan, ReviewDecision


@dataclass(frozen=True)
class SpanFilters:
    theme_id: int | None = None
    outlet_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    status: str = ""
    annotator_id: int | None = None
    speaker_id: int | None = None
    batch_id: int | None = None

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def reviewer_expression(span_ref: str = "annotation_id"):
    """Username of the latest review decision on the span (or the decision that created it as an edit)."""
    match = Q(annotation_id=OuterRef(span_ref)) | Q(replacement_id=OuterRef(span_ref))
    latest = ReviewDecision.objects.filter(match).order_by("-created_at", "-pk").values("reviewer__username")[:1]
    return Coalesce(Subquery(latest), Value(""))


def _filter_spans(qs: QuerySet, filters: SpanFilters, prefix: str) -> QuerySet:
    """Apply ``filters`` to a queryset whose span is reached through ``prefix`` ("" or "annotation__")."""
    p = prefix
    qs = qs.filter(**{f"{p}deleted_at__isnull": True})
    if filters.outlet_id:
        qs = qs.filter(**{f"{p}article__outlet_id": filters.outlet_id})
    if filters.date_from:
        qs = qs.filter(**{f"{p}article__published__gte": filters.date_from})
    if filters.date_to:
        qs = qs.filter(**{f"{p}article__published__lte": filters.date_to})
    if filters.status:
        qs = qs.filter(**{f"{p}status": filters.status})
    if filters.annotator_id:
        qs = qs.filter(**{f"{p}annotator_id": filters.annotator_id})
    if filters.batch_id:
        qs = qs.filter(
            Exists(
                ImportBatch.articles.through.objects.filter(
                    importbatch_id=filters.batch_id, article_id=OuterRef(f"{p}article_id")
                )
            )
        )
    if filters.speaker_id:
        qs = qs.filter(
            Exists(
                Quote.objects.filter(
                    article_id=OuterRef(f"{p}article_id"),
                    deleted_at__isnull=True,
                    speaker_id=filters.speaker_id,
                    start__lte=OuterRef(f"{p}start"),
                    end__gte=OuterRef(f"{p}end"),
                )
            )
        )
    return qs


GOLD = "gold"
ANALYSTS = "analysts"


def span_layer(filters: SpanFilters) -> str:
    """Which layer an export reads: "accepted" means the gold standard (one span per adjudicated passage, built in
    review), not each analyst's accepted copy; other states (or any state) read the analysts' own spans."""
    return GOLD if filters.status == Annotation.Status.ACCEPTED else ANALYSTS


def _gold_spans(filters: SpanFilters) -> QuerySet:
    """Live gold spans matching ``filters``; the annotator filter keeps gold spans that annotator's work supports."""
    common = SpanFilters(**{**filters.__dict__, "status": "", "annotator_id": None})
    qs = _filter_spans(GoldSpan.objects.all(), common, "")
    if filters.annotator_id:
        qs = qs.filter(
            Exists(
                GoldSpan.sources.through.objects.filter(
                    goldspan_id=OuterRef("pk"), annotation__annotator_id=filters.annotator_id
                )
            )
        )
    return qs


def span_themes(filters: SpanFilters) -> QuerySet:
    """Live spans of the layer ``filters`` select (see ``span_layer``) matching them; as ``values`` over their
    themes, one row per (span, theme), and one row with an empty theme for a span that has none (an untagged span
    is still a coded passage)."""
    base = _gold_spans(filters) if span_layer(filters) == GOLD else _filter_spans(Annotation.objects.all(), filters, "")
    # the theme columns are named once, so the theme filter, the columns and the order share one LEFT JOIN
    qs = base.annotate(
        theme_pk=F("themes__id"),
        theme_slug=F("themes__slug"),
        theme_name=F("themes__name"),
        theme_order=F("themes__order"),
    )
    if filters.theme_id:
        qs = qs.filter(theme_pk=filters.theme_id)
    return qs


def span_theme_count(filters: SpanFilters) -> int:
    return span_themes(filters).values_list("id", "theme_pk").count()


# Column order of span_theme_rows(); the dataset unpacks rows by position.
SPAN_ROW_FIELDS = (
    "id",
    "article_id",
    "start",
    "end",
    "text",
    "theme_slug",
    "theme_name",
    "annotator__username",
    "status",
    "reviewer",
    "note",
    "created_at",
    "updated_at",
)


class IsoTimestamp(Func):
    """PostgreSQL: ``datetime.isoformat()`` of a timestamptz as Django reads it (UTC), as text: the database writes
    it instead of the client parsing a datetime only to print it again. Microseconds only when not zero."""

    output_field = CharField()
    # one to_char per value: ".000000" can only be the microseconds (the rest has no "."), so dropping it is exact
    template = "replace(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), '.000000', '') || '+00:00'"


def span_theme_rows(filters: SpanFilters, *, dates_as_text: bool = False, reviewers: bool = True) -> QuerySet:
    """Rows of SPAN_ROW_FIELDS, ordered by article, span, theme: iterate with ``.iterator(chunk_size=...)``.
    Gold rows have no annotator of their own (``gold_span_annotators`` names the analysts behind each), status
    "accepted", the adjudicating supervisor as reviewer and no note. ``dates_as_text``: on PostgreSQL, the two
    dates come as their ``isoformat()`` text (elsewhere they stay datetimes). ``reviewers=False``: analysts' rows
    leave the reviewer empty, for the caller to read with ``latest_reviewers`` (a subquery per row costs more)."""
    dates = ("created_at", "updated_at")
    qs = span_themes(filters)
    if dates_as_text and connection.vendor == "postgresql":
        qs = qs.annotate(created_iso=IsoTimestamp("created_at"), updated_iso=IsoTimestamp("updated_at"))
        dates = ("created_iso", "updated_iso")
    if span_layer(filters) == GOLD:
        return (
            qs.annotate(
                gold_annotator=Value(""),
                gold_status=Value(Annotation.Status.ACCEPTED.value),
                reviewer=F("created_by__username"),
                gold_note=Value(""),
            )
            .order_by("article_id", "id", "theme_order", "theme_name")
            .values_list(*SPAN_ROW_FIELDS[:7], "gold_annotator", "gold_status", "reviewer", "gold_note", *dates)
        )
    return (
        qs.annotate(reviewer=reviewer_expression("id") if reviewers else Value(""))
        .order_by("article_id", "id", "theme_order", "theme_name")
        .values_list(*SPAN_ROW_FIELDS[:11], *dates)
    )


@dataclass(frozen=True, slots=True)
class ArticleContext:
    id: int
    title: str
    url: str
    published: dt.date | None
    outlet: str
    text: str
    quotes: tuple[tuple[int, int, int, str], ...]  # (start, end, quote id, speaker name), by start


def article_context(article_id: int) -> ArticleContext:
    """One article's metadata, text and live quotes: what every row of its spans needs."""
    row = Article.objects.filter(pk=article_id).values_list("title", "url", "published", "outlet__name", "text").get()
    quotes = tuple(
        (start, end, pk, name or "")
        for start, end, pk, name in Quote.objects.filter(article_id=article_id, deleted_at__isnull=True)
        .order_by("start", "end", "pk")
        .values_list("start", "end", "pk", "speaker__name")
    )
    title, url, published, outlet, text = row
    return ArticleContext(article_id, title, url, published, outlet or "", text, quotes)


def gold_span_annotators(article_id: int) -> dict[int, str]:
    """{gold span id: the usernames of the analysts whose spans it was made from, space separated} for one
    article (one query per article, as ``article_context``)."""
    names: dict[int, set] = {}
    for gold_id, username in GoldSpan.sources.through.objects.filter(goldspan__article_id=article_id).values_list(
        "goldspan_id", "annotation__annotator__username"
    ):
        names.setdefault(gold_id, set()).add(username)
    return {k: " ".join(sorted(v)) for k, v in names.items()}


def _decision_rows(wanted: set[int]):
    """(annotation id, replacement id, reviewer username) of the decisions on or creating ``wanted``, oldest first
    (the ids as one array parameter on PostgreSQL: see ids_in)."""
    return (
        ReviewDecision.objects.filter(ids_in("annotation_id", wanted) | ids_in("replacement_id", wanted))
        .order_by("created_at", "pk")
        .values_list("annotation_id", "replacement_id", "reviewer__username")
    )


def id_array(ids) -> str:
    """Whole-number ids as one PostgreSQL array literal (``{1,2,3}``), for ``= ANY(%s::bigint[])``: the client
    writes it in one join, where adapting a list of thousands of ints element by element costs milliseconds."""
    return "{" + ",".join(str(int(pk)) for pk in ids) + "}"


def ids_in(field: str, ids) -> Q:
    """``field`` is one of many ids: on PostgreSQL ``field = ANY(%s::bigint[])`` with one array parameter, where a
    list of a thousand parameters costs more to build and to parse than the query takes to run (and where
    ``IN (SELECT unnest(...))`` lets the planner misjudge the set and scan the whole table for each chunk);
    elsewhere an ``__in`` list."""
    if connection.vendor == "postgresql":
        return Q(_AnyId(F(field), Value(id_array(ids))))
    return Q(**{f"{field}__in": list(ids)})


class _AnyId(Func):
    """``column = ANY(%s::bigint[])``: a boolean filter on one array parameter."""

    template = "%(expressions)s::bigint[])"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def latest_reviewers(span_ids) -> dict[int, str]:
    """``reviewer_expression`` of many spans in one query: {span id: username of the latest decision on it (or on
    the edit that created it)}; spans without a decision are left out."""
    wanted = set(span_ids)
    latest: dict[int, str] = {}
    for annotation_id, replacement_id, username in _decision_rows(wanted):  # oldest first: the latest is last
        if annotation_id in wanted:
            latest[annotation_id] = username
        if replacement_id in wanted:
            latest[replacement_id] = username
    return latest


def gold_sources(gold_ids) -> dict[int, str]:
    """``gold_span_annotators`` of many gold spans in one query: {gold span id: space-separated usernames}."""
    names: dict[int, set] = {}
    for gold_id, username in GoldSpan.sources.through.objects.filter(ids_in("goldspan_id", set(gold_ids))).values_list(
        "goldspan_id", "annotation__annotator__username"
    ):
        names.setdefault(gold_id, set()).add(username)
    return {k: " ".join(sorted(v)) for k, v in names.items()}


def accepted_span_labels(filters: SpanFilters) -> QuerySet:
    """(article id, start, end, theme slug) of live gold spans, by article: the DocBin's span categories."""
    gold = SpanFilters(**{**filters.__dict__, "status": Annotation.Status.ACCEPTED})
    return (
        span_themes(gold)
        .filter(theme_pk__isnull=False)
        .order_by("article_id", "start", "end", "theme_slug")
        .values_list("article_id", "start", "end", "theme_slug")
    )


def article_entities(article_id: int) -> list[tuple[int, int, str]]:
    """Entity mentions that were not rejected: the DocBin's ``doc.ents``."""
    return list(
        EntityMention.objects.filter(article_id=article_id)
        .exclude(status=EntityMention.Status.REJECTED)
        .order_by("start", "end")
        .values_list("start", "end", "label")
    )


def article_text(article_id: int) -> str:
    return Article.objects.filter(pk=article_id).values_list("text", flat=True).get()


def article_contexts(article_ids: list[int]) -> dict[int, ArticleContext]:
    """``article_context`` of many articles in two queries (the CSV export loads them a chunk of rows at a time)."""
    quotes: dict[int, list] = {}
    for article_id, start, end, pk, name in (
        Quote.objects.filter(ids_in("article_id", article_ids), deleted_at__isnull=True)
        .order_by("article_id", "start", "end", "pk")
        .values_list("article_id", "start", "end", "pk", "speaker__name")
    ):
        quotes.setdefault(article_id, []).append((start, end, pk, name or ""))
    rows = Article.objects.filter(ids_in("id", article_ids)).values_list(
        "pk", "title", "url", "published", "outlet__name", "text"
    )
    return {
        pk: ArticleContext(pk, title, url, published, outlet or "", text, tuple(quotes.get(pk, ())))
        for pk, title, url, published, outlet, text in rows
    }
