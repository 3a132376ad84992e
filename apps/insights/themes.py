"""Themes by outlet over time.

Definitions (what the page, its tables and its CSV show):

* **Articles** of an outlet in a period: articles with a ``published`` date in the range (articles without a date
  are left out), the period being the week (Monday) or month the date falls in.
* **Counted spans** (``counted_spans``, the basis decided by ``counted_basis``): live spans (not deleted) on those
  articles, and
  - basis ``gold`` (default): the gold standard, the spans of the review app's gold layer (``GoldSpan``) that a
    reviewer's adjudication made: one per passage however many analysts marked it, with the boundaries and themes
    the reviewer settled; a rejected analyst span is in no gold span;
  - basis ``submitted``: the analysts' own spans whose annotator has an assignment on that article that is
    *submitted* or *approved* (whatever the review status), i.e. all finished work; two analysts' spans on one
    passage both count.
  A span carrying several themes counts once for each of them; a span without a theme counts for none.
* **Share** of a theme = articles carrying at least one counted span with that theme / all articles of the outlet
  in the period (so it is normalised by the outlet's article count).
* **Spans per 1,000 words** = counted spans with that theme × 1000 / the sum of ``n_words`` of all the outlet's
  articles in the period.

The spans list page uses ``counted_spans`` itself, so a cell's number and the list behind it can't disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth, TruncWeek

from apps.annotations.models import Annotation, Theme
from apps.assignments.models import Assignment
from apps.corpus.models import Article, Outlet
from apps.review.models import GoldSpan

from .filters import SUBMITTED, Filters
from .summaries import article_totals, theme_counts

FINISHED = (Assignment.State.SUBMITTED, Assignment.State.APPROVED)


def period_start(day: dt.date, granularity: str) -> dt.date:
    if granularity == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def period_end(start: dt.date, granularity: str) -> dt.date:
    """The last day of the period starting on ``start``."""
    if granularity == "week":
        return start + dt.timedelta(days=6)
    nxt = (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def _trunc(granularity: str, field: str):
    return TruncWeek(field) if granularity == "week" else TruncMonth(field)


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def dated_articles(filters: Filters) -> QuerySet[Article]:
    articles = Article.objects.filter(published__isnull=False)
    if filters.date_from:
        articles = articles.filter(published__gte=filters.date_from)
    if filters.date_to:
        articles = articles.filter(published__lte=filters.date_to)
    if filters.outlet:
        articles = articles.filter(outlet_id=filters.outlet)
    return articles


@dataclass(frozen=True)
class Basis:
    """Which spans count: rows of ``model`` (live, meeting ``condition``), reached from their span-theme link table
    through the foreign key ``span``. Every figure is written over these three names, so it reads the same way on
    either layer."""

    model: type[models.Model]
    span: str  # the link table's foreign key to the span: "goldspan" or "annotation"
    condition: Callable[[str], Q | Exists]  # a condition on spans reached through a path ("" or "goldspan__")

    @property
    def link_model(self) -> type[models.Model]:
        return self.model.themes.through

    @property
    def span_id(self) -> str:
        return f"{self.span}_id"

    def path(self, field: str) -> str:
        """``field`` of the span, seen from a link row."""
        return f"{self.span}__{field}"

    def spans(self) -> QuerySet:
        return self.model.objects.filter(deleted_at__isnull=True).filter(self.condition(""))

    def links(self) -> QuerySet:
        return self.link_model.objects.filter(**{self.path("deleted_at__isnull"): True}).filter(
            self.condition(f"{self.span}__")
        )


def _finished_work(path: str) -> Exists:
    return Exists(
        Assignment.objects.filter(
            article=OuterRef(f"{path}article_id"), analyst=OuterRef(f"{path}annotator_id"), state__in=FINISHED
        )
    )


def _every_live_span(path: str) -> Q:
    return Q()  # the gold layer is the reviewer's decision already: every live gold span counts


def counted_basis(basis: str) -> Basis:
    """Which spans count — the one place that says it.

    ``gold`` (the default): the review app's gold layer, live ``GoldSpan`` rows with their themes: one span per
    adjudicated passage (two analysts who agreed count once) with the boundaries the reviewer settled.
    ``submitted``: the analysts' own spans whose annotator's work on the article is submitted or approved (two
    analysts' spans on one passage both count). Every figure (pages, summary tables, co-occurrence, rate ratios,
    speaker × theme, spans lists) goes through here.
    """
    if basis == SUBMITTED:
        return Basis(Annotation, "annotation", _finished_work)
    return Basis(GoldSpan, "goldspan", _every_live_span)


def counted_spans(filters: Filters) -> QuerySet:
    """The spans the figures count (see the module docstring), restricted by outlet, dates and theme: GoldSpan
    rows on the gold basis, Annotation rows on the submitted one (both have article, start, end and themes)."""
    spans = counted_basis(filters.basis).spans().filter(article__in=dated_articles(filters).values("pk"))
    if filters.theme:
        spans = spans.filter(themes=filters.theme)
    return spans


def counted_links(filters: Filters) -> QuerySet:
    """(span, theme) rows of the counted spans: the same conditions as ``counted_spans``, written as one join chain
    from the span-theme table (a semi-join on span ids costs a second pass over the spans)."""
    basis = counted_basis(filters.basis)
    links = basis.links().filter(**{basis.path("article__published__isnull"): False})
    if filters.date_from:
        links = links.filter(**{basis.path("article__published__gte"): filters.date_from})
    if filters.date_to:
        links = links.filter(**{basis.path("article__published__lte"): filters.date_to})
    if filters.outlet:
        links = links.filter(**{basis.path("article__outlet_id"): filters.outlet})
    if filters.theme:
        links = links.filter(theme_id=filters.theme)
    return links


@dataclass(slots=True)
class Cell:
    outlet_id: int | None
    outlet: str
    theme_id: int
    theme: str
    period: dt.date | None  # None: the whole range
    articles: int  # all articles of the outlet in the period
    words: int
    articles_with_theme: int = 0
    spans: int = 0
    query: str = ""  # the spans list's filters for this cell

    @property
    def share(self) -> float | None:
        return self.articles_with_theme / self.articles if self.articles else None

    @property
    def per_1000(self) -> float | None:
        return self.spans * 1000 / self.words if self.words else None


def _live_totals_counts(filters: Filters, *, by_period: bool) -> tuple[dict, dict]:
    """{(outlet id[, period]): (articles, words)} and {(outlet id, theme id[, period]): (spans, articles)}, live."""
    articles = dated_articles(filters)
    keys = ["outlet_id"] + (["period"] if by_period else [])
    if by_period:
        articles = articles.annotate(period=_trunc(filters.granularity, "published"))
    totals = {
        tuple(row[k] for k in keys): (row["n"], row["words"] or 0)
        for row in articles.values(*keys).annotate(n=Count("id"), words=Sum("n_words")).order_by()
    }
    basis = counted_basis(filters.basis)
    links = counted_links(filters)
    outlet = basis.path("article__outlet_id")
    link_keys = [outlet, "theme_id"]
    if by_period:
        links = links.annotate(period=_trunc(filters.granularity, basis.path("article__published")))
        link_keys.append("period")
    counts = {}
    for row in (
        links.values(*link_keys)
        .annotate(spans=Count(basis.span_id), arts=Count(basis.path("article_id"), distinct=True))
        .order_by()
    ):
        key = (row[outlet], row["theme_id"]) + ((_as_date(row["period"]),) if by_period else ())
        counts[key] = (row["spans"], row["arts"])
    return totals, counts


def theme_outlet_cells(filters: Filters, *, by_period: bool, summary: bool = False) -> list[Cell]:
    """One cell per (outlet, theme[, period]) with articles in range: grouped queries whatever the size, over the
    per-day summary tables when ``summary`` (they are current), else over the spans themselves."""
    if summary:
        totals = {
            (k[0],) + tuple(_as_date(v) for v in k[1:]): v
            for k, v in article_totals(filters, by_period=by_period).items()
        }
        counts = {
            k[:2] + tuple(_as_date(v) for v in k[2:]): v for k, v in theme_counts(filters, by_period=by_period).items()
        }
    else:
        totals, counts = _live_totals_counts(filters, by_period=by_period)
    names = dict(Outlet.objects.values_list("id", "name"))
    used = {key[1] for key in counts}
    themes = [
        t for t in Theme.objects.all() if t.pk in used or (t.active and (not filters.theme or t.pk == filters.theme))
    ]
    cells = []
    for key, (n, words) in sorted(
        totals.items(), key=lambda kv: (names.get(kv[0][0]) or "", kv[0][1] if by_period else 0)
    ):
        outlet_id, outlet = key[0], names.get(key[0]) or "(no outlet)"
        period = _as_date(key[1]) if by_period else None
        for theme in themes:
            spans, arts = counts.get((outlet_id, theme.pk) + ((period,) if by_period else ()), (0, 0))
            cell = Cell(outlet_id, outlet, theme.pk, theme.name, period, n, words, arts, spans)
            cell.query = cell_query(filters, cell)
            cells.append(cell)
    return cells


def whole_range(filters: Filters, period_cells: list[Cell]) -> list[Cell]:
    """The whole-range cells from the period cells: every article lies in exactly one period, so articles, words,
    articles carrying the theme and spans all add up (one pass over the data instead of two)."""
    merged: dict = {}
    for c in period_cells:
        key = (c.outlet, c.outlet_id, c.theme_id)
        cell = merged.get(key)
        if cell is None:
            merged[key] = Cell(
                c.outlet_id, c.outlet, c.theme_id, c.theme, None, c.articles, c.words, c.articles_with_theme, c.spans
            )
        else:
            cell.articles += c.articles
            cell.words += c.words
            cell.articles_with_theme += c.articles_with_theme
            cell.spans += c.spans
    cells = list(merged.values())
    for cell in cells:
        cell.query = cell_query(filters, cell)
    order = {t: i for i, t in enumerate(dict.fromkeys(c.theme_id for c in period_cells))}
    return sorted(cells, key=lambda c: (c.outlet, order[c.theme_id]))


def cell_query(filters: Filters, cell: Cell) -> str:
    """The spans list behind a cell: same basis, the cell's outlet and theme, its period (clipped to the range)."""
    date_from, date_to = filters.date_from, filters.date_to
    if cell.period is not None:
        start, end = cell.period, period_end(cell.period, filters.granularity)
        date_from = max(start, date_from) if date_from else start
        date_to = min(end, date_to) if date_to else end
    return Filters(
        basis=filters.basis, outlet=cell.outlet_id, theme=cell.theme_id, date_from=date_from, date_to=date_to
    ).query()


TABLE_COLUMNS = [
    "outlet",
    "theme",
    "period",
    "articles",
    "articles_with_theme",
    "share",
    "spans",
    "words",
    "spans_per_1000_words",
]


def cell_rows(cells: list[Cell]) -> list[list]:
    return [
        [
            c.outlet,
            c.theme,
            c.period.isoformat() if c.period else "",
            c.articles,
            c.articles_with_theme,
            None if c.share is None else round(c.share, 4),
            c.spans,
            c.words,
            None if c.per_1000 is None else round(c.per_1000, 3),
        ]
        for c in cells
    ]
