"""Summary tables: build them, know whether they are current, and read the pages' aggregates from them.

**When they are used.** A summary is read only when it is current: its stored fingerprint equals the fingerprint of
the data now (``data_fingerprint``: a dozen index lookups, a few milliseconds). The fingerprint moves with every
write the figures depend on, including bulk ones, because every change of spans, their themes, quotes and speakers
leaves a history row (design §3) and every assignment state change an event; the newest article, span and quote ids
and the finished assignments' count and newest update cover writes made without history (raw imports, factories).
Not covered: deleting an article nobody annotated or quoted (no history row; its count is too slow to take on
every page view); ``refresh_insights`` after such a clean-up. Gold spans (the default basis) count as spans: their
newest id, history row and theme history row are in the fingerprint.
When the data moved, the page computes live (the same figures, slower) and asks for one refresh.

**Refresh, debounced.** ``summaries_request_refresh`` enqueues the ``refresh_summaries`` task only if no refresh was
already requested for a newer state of the data than the summaries hold, so a batch of writes followed by page views
queues one refresh, not one per view; the task rebuilds everything in one transaction, refreshes serialised by a
row lock (at the benchmark's 1M spans and 300k quotes: 13 s for the tables, minutes more for the statement links,
whose bulk insert dominates; the pages stay correct meanwhile, computing live).
``manage.py refresh_insights`` does the same in the foreground (after a bulk import, or from cron).
"""

from __future__ import annotations

import time
from collections import defaultdict

from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, F, Max, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from apps.annotations.models import Annotation
from apps.assignments.models import Assignment
from apps.corpus.models import Article
from apps.quotes.models import Quote, Speaker
from apps.review.models import GoldSpan

from .filters import BASES, Filters
from .models import (
    ArticleDay,
    CooccurrenceDay,
    QuoteDay,
    ReportSnapshot,
    SpeakerThemeDay,
    StatementLink,
    SummaryState,
    ThemeDay,
)

FINISHED = (Assignment.State.SUBMITTED, Assignment.State.APPROVED)
KEY = "insights"
RELIABILITY = "reliability"


def _max_id(model, field: str = "pk"):
    return model.objects.aggregate(m=Max(field))["m"]


def data_fingerprint() -> str:
    """What the summaries depend on, as one string (index-only lookups on PostgreSQL and SQLite)."""
    annotation_history = Annotation.history.model
    m2m_history = apps.get_model("annotations", "HistoricalAnnotation_themes")
    finished = Assignment.objects.filter(state__in=FINISHED).aggregate(n=Count("id"), last=Max("updated_at"))
    parts = [
        _max_id(Article),
        _max_id(Annotation),
        _max_id(annotation_history, "history_id"),
        _max_id(m2m_history, "m2m_history_id"),
        _max_id(Quote),
        _max_id(Quote.history.model, "history_id"),
        _max_id(Speaker.history.model, "history_id"),
        _max_id(Assignment),
        finished["n"],
        finished["last"].isoformat() if finished["last"] else "",
        _max_id(apps.get_model("assignments", "AssignmentEvent")),
        # the gold layer (the default basis): every gold span write and theme change leaves a history row
        _max_id(GoldSpan),
        _max_id(GoldSpan.history.model, "history_id"),
        _max_id(apps.get_model("review", "HistoricalGoldSpan_themes"), "m2m_history_id"),
    ]
    return "|".join("" if p is None else str(p) for p in parts)


def current(fingerprint: str | None = None) -> bool:
    """Whether the summary tables hold the data as it is now."""
    state = SummaryState.objects.filter(key=KEY).first()
    return bool(state and state.fingerprint and state.fingerprint == (fingerprint or data_fingerprint()))


def summaries_request_refresh(*, fingerprint: str | None = None) -> bool:
    """Queue one refresh for this state of the data (debounced: never twice for the same fingerprint)."""
    from .tasks import refresh_summaries

    fingerprint = fingerprint or data_fingerprint()
    with transaction.atomic():
        state, _ = SummaryState.objects.select_for_update().get_or_create(key=KEY)
        if fingerprint in (state.fingerprint, state.requested):
            return False
        state.requested = fingerprint
        state.save(update_fields=["requested"])
    transaction.on_commit(lambda: refresh_summaries.enqueue())
    return True


def _insert(table: str, columns: str, select: str, sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {select} FROM ({sql}) s", params)


def summaries_refresh() -> dict:
    """Rebuild every summary table from the data as it is (one transaction); returns the row counts and seconds.

    On PostgreSQL, outside a transaction, the new tables are then vacuumed so the covering indexes serve the pages
    from the index alone (a fresh table has no visibility map yet)."""
    started = time.perf_counter()
    _rebuild()
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (ArticleDay, ThemeDay, QuoteDay, SpeakerThemeDay, CooccurrenceDay, StatementLink):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")
    seconds = time.perf_counter() - started
    SummaryState.objects.filter(key=KEY).update(seconds=seconds)
    counts = {
        m.__name__: m.objects.count()
        for m in (ArticleDay, ThemeDay, QuoteDay, SpeakerThemeDay, CooccurrenceDay, StatementLink)
    }
    return {**counts, "seconds": round(seconds, 2)}


@transaction.atomic
def _rebuild() -> None:
    from .themes import counted_basis, counted_links, dated_articles

    started = time.perf_counter()
    SummaryState.objects.get_or_create(key=KEY)
    SummaryState.objects.select_for_update().get(key=KEY)  # one refresh at a time (two workers, one queue)
    fingerprint = data_fingerprint()
    for model in (ArticleDay, ThemeDay, QuoteDay, SpeakerThemeDay, CooccurrenceDay):
        model.objects.all().delete()
    articles = (
        dated_articles(Filters())
        .annotate(d=F("published"), o=F("outlet_id"))
        .values("d", "o")
        .annotate(n=Count("id"), w=Sum("n_words"))
        .order_by()
    )
    _insert(
        ArticleDay._meta.db_table,
        "day, outlet_id, articles, words",
        "s.d, s.o, s.n, COALESCE(s.w, 0)",
        *articles.query.sql_with_params(),
    )
    quotes = (
        Quote.objects.filter(deleted_at__isnull=True, article__published__isnull=False)
        .annotate(d=F("article__published"), o=F("article__outlet_id"), sp=F("speaker_id"), k=F("kind"))
        .values("d", "o", "sp", "k")
        .annotate(n=Count("id"))
        .order_by()
    )
    _insert(
        QuoteDay._meta.db_table,
        "day, outlet_id, speaker_id, kind, quotes",
        "s.d, s.o, s.sp, s.k, s.n",
        *quotes.query.sql_with_params(),
    )
    for basis in BASES:
        links = counted_links(Filters(basis=basis))
        counted = counted_basis(basis)
        path = counted.path
        per_day = (
            links.annotate(d=F(path("article__published")), o=F(path("article__outlet_id")), t=F("theme_id"))
            .values("d", "o", "t")
            .annotate(n=Count(counted.span_id), a=Count(path("article_id"), distinct=True))
            .order_by()
        )
        sql, params = per_day.query.sql_with_params()
        _insert(
            ThemeDay._meta.db_table,
            "day, outlet_id, theme_id, basis, spans, articles",
            "s.d, s.o, s.t, %s, s.n, s.a",
            sql,
            (basis, *params),
        )
        cl = links.values_list(
            "theme_id",
            path("article_id"),
            path("start"),
            path("end"),
            path("article__published"),
            path("article__outlet_id"),
        )
        cl_sql, cl_params = cl.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"""
                WITH cl (theme_id, article_id, span_start, span_end, day, outlet_id) AS ({cl_sql})
                INSERT INTO {SpeakerThemeDay._meta.db_table} (day, outlet_id, theme_id, speaker_id, basis, quotes)
                SELECT cl.day, cl.outlet_id, cl.theme_id, q.speaker_id, %s, COUNT(DISTINCT q.id)
                FROM cl JOIN {Quote._meta.db_table} q ON q.article_id = cl.article_id AND q.start < cl.span_end
                                                        AND q."end" > cl.span_start
                WHERE q.deleted_at IS NULL AND q.speaker_id IS NOT NULL
                GROUP BY cl.day, cl.outlet_id, cl.theme_id, q.speaker_id
                """,
                (*cl_params, basis),
            )
    for basis in BASES:
        for level in ("span", "paragraph", "article"):
            _cooccurrence_rebuild(basis, level)
    from .reliability import reliability_report, report_to_json
    from .statements import statement_links_rebuild

    statement_links_rebuild()
    ReportSnapshot.objects.update_or_create(key=RELIABILITY, defaults={"data": report_to_json(reliability_report())})
    if connection.vendor == "postgresql":  # fresh statistics, so the pages' plans fit the new tables
        with connection.cursor() as cursor:
            for model in (ArticleDay, ThemeDay, QuoteDay, SpeakerThemeDay, CooccurrenceDay, StatementLink):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    SummaryState.objects.update_or_create(
        key=KEY,
        defaults={"fingerprint": fingerprint, "refreshed_at": timezone.now(), "seconds": time.perf_counter() - started},
    )


def _cooccurrence_rebuild(basis: str, level: str) -> None:
    """CooccurrenceDay rows of one basis and level: the distinct (unit, theme) rows of the counted spans joined with
    themselves on the unit (theme_a ≤ theme_b), counted per day and outlet: SQL on both backends."""
    from .compare import paragraph_index
    from .themes import counted_basis, counted_links

    links = counted_links(Filters(basis=basis))
    counted = counted_basis(basis)
    path = counted.path
    if level == "paragraph":
        links = links.annotate(para=paragraph_index(path("start"), path("article__text")))
        unit_field, unit = "para", ["article_id", "unit"]
    elif level == "span":
        unit_field, unit = counted.span_id, ["unit"]
    else:
        unit_field, unit = path("article_id"), ["article_id"]
    rows = links.values_list(
        path("article_id"),
        unit_field,
        "theme_id",
        path("article__published"),
        path("article__outlet_id"),
    )
    sql, params = rows.query.sql_with_params()
    same_unit = " AND ".join(f"u1.{c} = u2.{c}" for c in unit)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH cl (article_id, unit, theme_id, day, outlet_id) AS ({sql}),
                 u (article_id, unit, theme_id, day, outlet_id) AS (
                     SELECT DISTINCT article_id, unit, theme_id, day, outlet_id FROM cl)
            INSERT INTO {CooccurrenceDay._meta.db_table} (day, outlet_id, basis, level, theme_a, theme_b, units)
            SELECT u1.day, u1.outlet_id, %s, %s, u1.theme_id, u2.theme_id, COUNT(*)
            FROM u u1 JOIN u u2 ON {same_unit} AND u1.theme_id <= u2.theme_id
            GROUP BY u1.day, u1.outlet_id, u1.theme_id, u2.theme_id
            """,
            (*params, basis, level),
        )


def cooccurrence_counts(filters: Filters, level: str) -> dict[tuple[int, int], int]:
    """{(theme a, theme b): units} from CooccurrenceDay (the same figures as ``compare.cooccurrence``)."""
    rows = _days(CooccurrenceDay.objects.filter(basis=filters.basis, level=level), filters)
    return {
        (r["theme_a"], r["theme_b"]): r["n"]
        for r in rows.values("theme_a", "theme_b").annotate(n=Sum("units")).order_by()
    }


def summaries_usable() -> bool:
    """Whether a page may read the summaries now; if not, one refresh is requested (the page computes live)."""
    fingerprint = data_fingerprint()
    if current(fingerprint):
        return True
    summaries_request_refresh(fingerprint=fingerprint)
    return False


def _trunc(granularity: str):
    return TruncWeek("day") if granularity == "week" else TruncMonth("day")


def _days(qs, filters: Filters):
    if filters.date_from:
        qs = qs.filter(day__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(day__lte=filters.date_to)
    if filters.outlet:
        qs = qs.filter(outlet_id=filters.outlet)
    return qs


def article_totals(filters: Filters, *, by_period: bool) -> dict:
    """{(outlet id[, period]): (articles, words)} from ArticleDay."""
    rows = _days(ArticleDay.objects.all(), filters)
    keys = ["outlet_id"] + (["period"] if by_period else [])
    if by_period:
        rows = rows.annotate(period=_trunc(filters.granularity))
    return {
        tuple(r[k] for k in keys): (r["n"], r["w"] or 0)
        for r in rows.values(*keys).annotate(n=Sum("articles"), w=Sum("words")).order_by()
    }


def theme_counts(filters: Filters, *, by_period: bool) -> dict:
    """{(outlet id, theme id[, period]): (spans, articles carrying it)} from ThemeDay."""
    rows = _days(ThemeDay.objects.filter(basis=filters.basis), filters)
    if filters.theme:
        rows = rows.filter(theme_id=filters.theme)
    keys = ["outlet_id", "theme_id"] + (["period"] if by_period else [])
    if by_period:
        rows = rows.annotate(period=_trunc(filters.granularity))
    return {
        tuple(r[k] for k in keys): (r["n"], r["a"])
        for r in rows.values(*keys).annotate(n=Sum("spans"), a=Sum("articles")).order_by()
    }


def quote_counts(
    filters: Filters, *, keys: list[str], by_period: bool = False, attributed: bool = False, speaker_ids=None
) -> list[dict]:
    """Rows of QuoteDay summed by ``keys`` (``outlet_id``, ``speaker_id``, ``kind``[, ``period``]) as ``n``."""
    rows = _days(QuoteDay.objects.all(), filters)
    if attributed:
        rows = rows.filter(speaker_id__isnull=False)
    if speaker_ids is not None:
        rows = rows.filter(speaker_id__in=speaker_ids)
    if by_period:
        rows = rows.annotate(period=_trunc(filters.granularity))
        keys = [*keys, "period"]
    return list(rows.values(*keys).annotate(n=Sum("quotes")).order_by())


def speaker_theme_counts(filters: Filters, theme_ids: list[int]) -> dict:
    """{theme id: [(speaker id, quotes)]} from SpeakerThemeDay."""
    rows = _days(SpeakerThemeDay.objects.filter(basis=filters.basis, theme_id__in=theme_ids), filters)
    result = defaultdict(list)
    for r in rows.values("theme_id", "speaker_id").annotate(n=Sum("quotes")).order_by():
        result[r["theme_id"]].append((r["speaker_id"], r["n"]))
    return result


def stored_reliability_report():
    """The reliability report of the last refresh (None if there is none)."""
    from .reliability import report_from_json

    snapshot = ReportSnapshot.objects.filter(key=RELIABILITY).first()
    return report_from_json(snapshot.data) if snapshot else None
