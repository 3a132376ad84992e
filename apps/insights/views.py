"""Insights pages. Search is for every signed-in user (over the articles they may read); the aggregate pages
read the whole corpus and are for supervisors and admins. Each page keeps its filters in the URL; with htmx a
filter change redraws only ``#results``; ``?format=csv&table=...`` downloads the table a chart shows."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from apps.accounts.roles import supervisor_required
from apps.annotations.models import Theme
from apps.assignments.models import Assignment
from apps.assignments.selectors import articles_visible_to
from apps.corpus.selectors import outlet_list
from apps.quotes.models import Quote, Speaker

from . import charts
from .compare import LEVELS, cooccurrence, cooccurring_spans, rate_ratios
from .filters import BASES, GOLD, GRANULARITIES, METRICS, Filters
from .reliability import METHOD_COLUMNS, method_rows, methods_markdown, reliability_report
from .search import KINDS, hits_for_page, parse_query, search_results
from .speakers import kind_shares, quotes_in_scope, speaker_outlet_rows, speaker_period_rows, top_speakers_per_theme
from .statements import THRESHOLD, StatementGroup, group_of, load_quotes, renderings, statement_groups
from .summaries import stored_reliability_report, summaries_usable
from .tables import csv_response
from .themes import TABLE_COLUMNS, cell_rows, counted_spans, theme_outlet_cells, whole_range

PAGE_SIZE = 20
LIST_SIZE = 100


def _page(request, template: str, context: dict):
    if request.htmx and request.htmx.target == "results":
        template += "#results"
    return render(request, template, context)


def _choices(filters: Filters) -> dict:
    return {
        "outlets": outlet_list(),
        "themes": Theme.objects.order_by("order", "name"),
        "f": filters,
        "bases": BASES,
        "granularities": GRANULARITIES,
        "metrics": METRICS,
        "basis_label": BASES[filters.basis],
        "granularity_label": GRANULARITIES[filters.granularity],
    }


# --- search -------------------------------------------------------------------------------------------------------


@require_GET
@login_required
def search(request):
    filters = Filters.from_query(request.GET)
    kind = request.GET.get("in", "articles")
    kind = kind if kind in KINDS else "articles"
    articles = articles_visible_to(request.user)
    terms = parse_query(filters.q)
    counts = {k: search_results(articles=articles, filters=filters, kind=k).count() if terms else 0 for k in KINDS}
    paginator = Paginator(search_results(articles=articles, filters=filters, kind=kind), PAGE_SIZE)
    paginator.count = counts[kind]  # counted above: don't count twice
    page = paginator.get_page(request.GET.get("page"))
    context = {
        **_choices(filters),
        "kind": kind,
        "kinds": [(k, label, counts[k]) for k, label in KINDS.items()],
        "page_obj": page,
        "hits": hits_for_page(rows=page.object_list, kind=kind, terms=terms) if kind != "speakers" else [],
        "speakers": page.object_list if kind == "speakers" else [],
        "states": Assignment.State.choices,
        "terms": terms,
        "speaker_name": Speaker.objects.filter(pk=filters.speaker).values_list("name", flat=True).first()
        if filters.speaker
        else "",
    }
    return _page(request, "insights/search.html", context)


# --- themes by outlet over time -------------------------------------------------------------------------------------


def _metric_value(cell, metric: str):
    return cell.share if metric == "share" else cell.per_1000


@require_GET
@supervisor_required
def themes(request):
    filters = Filters.from_query(request.GET)
    spans_url = reverse("insights:spans")
    all_periods = theme_outlet_cells(filters, by_period=True, summary=summaries_usable())
    overall = whole_range(filters, all_periods)
    # the lines: one theme, the chosen one or the one with the most counted spans
    busiest = max(overall, key=lambda c: (c.spans, -c.theme_id), default=None)
    line_theme = filters.theme or (busiest.theme_id if busiest else None)
    periods = [c for c in all_periods if c.theme_id == line_theme]
    table = request.GET.get("table")
    if request.GET.get("format") == "csv":
        cells = periods if table == "periods" else overall
        return csv_response(f"themes-by-outlet-{table or 'outlets'}.csv", TABLE_COLUMNS, cell_rows(cells))
    metric = filters.metric
    fmt = ".0%" if metric == "share" else ".2f"
    values = [_metric_value(c, metric) or 0 for c in overall]
    top = max(values, default=0)
    heat = [
        {
            "outlet": c.outlet,
            "theme": c.theme,
            "value": _metric_value(c, metric) or 0,
            "max_value": top,
            "url": f"{spans_url}?{c.query}",
            "detail": f"{c.articles_with_theme} of {c.articles} articles, {c.spans} spans, {c.words} words",
        }
        for c in overall
    ]
    line_values = [
        {
            "outlet": c.outlet,
            "period": c.period.isoformat(),
            "value": _metric_value(c, metric) or 0,
            "url": f"{spans_url}?{c.query}",
            "detail": f"{c.articles_with_theme} of {c.articles} articles, {c.spans} spans",
        }
        for c in periods
    ]
    unit = "yearmonthdate" if filters.granularity == "week" else "yearmonth"
    title = METRICS[metric]
    context = {
        **_choices(filters),
        "overall": overall,
        "periods": periods,
        "spans_url": spans_url,
        "line_theme": Theme.objects.filter(pk=line_theme).first() if line_theme else None,
        "heatmap_spec": charts.heatmap(heat, x="outlet", y="theme", value="value", value_title=title, fmt=fmt)
        if overall
        else None,
        "lines_spec": charts.lines(
            line_values, x="period", y="value", color="outlet", y_title=title, time_unit=unit, fmt=fmt
        )
        if periods
        else None,
    }
    return _page(request, "insights/themes.html", context)


@require_GET
@supervisor_required
def spans(request):
    """Exactly the spans a themes cell counts (``themes.counted_spans`` with the cell's filters): gold spans with the
    analysts behind each on the gold basis, the analysts' own spans on the submitted one."""
    filters = Filters.from_query(request.GET)
    gold = filters.basis == GOLD
    rows = (
        cooccurring_spans(counted_spans(filters), filters)
        .select_related("article__outlet", *([] if gold else ["annotator"]))
        .prefetch_related("themes", *(["sources__annotator"] if gold else []))
        .order_by("article__published", "article_id", "start", "id")
    )
    page = Paginator(rows, LIST_SIZE).get_page(request.GET.get("page"))
    spans = list(page.object_list)
    for span in spans if gold else ():  # the analysts whose spans the gold span was made from
        span.analysts = sorted({source.annotator.username for source in span.sources.all()})
    context = {
        **_choices(filters),
        "gold": gold,
        "page_obj": page,
        "spans": spans,
        "theme_name": Theme.objects.filter(pk=filters.theme).values_list("name", flat=True).first(),
        "cotheme_name": Theme.objects.filter(pk=filters.cotheme).values_list("name", flat=True).first(),
        "level_label": LEVELS.get(filters.level, LEVELS["span"]).lower(),
        "outlet_name": next((o.name for o in outlet_list() if o.pk == filters.outlet), ""),
    }
    return render(request, "insights/spans.html", context)


@require_GET
@supervisor_required
def compare(request):
    """Theme co-occurrence (same span / paragraph / article) and rate ratios of two outlets with 95 % CIs."""
    filters = Filters.from_query(request.GET)
    level = filters.level or "span"
    spans_url = reverse("insights:spans")
    themes = list(Theme.objects.order_by("order", "name"))
    summary = summaries_usable()
    counts = cooccurrence(replace(filters, outlet=None), level, summary=summary)  # all outlets; ratios: a pair
    used = [t for t in themes if (t.pk, t.pk) in counts]
    base = Filters(basis=filters.basis, date_from=filters.date_from, date_to=filters.date_to)
    matrix = [
        {
            "theme": a,
            "cells": [
                {
                    "theme": b,
                    "n": counts.get((min(a.pk, b.pk), max(a.pk, b.pk)), 0),
                    "query": base.query(theme=a.pk, cotheme=b.pk if b.pk != a.pk else None, level=level),
                }
                for b in used
            ],
        }
        for a in used
    ]
    outlets = list(outlet_list())
    outlet1 = filters.outlet or (outlets[0].pk if outlets else None)
    outlet2 = filters.outlet2 or next((o.pk for o in outlets if o.pk != outlet1), None)
    cells = whole_range(filters, theme_outlet_cells(replace(filters, outlet=None), by_period=True, summary=summary))
    ratios = rate_ratios(cells, outlet1, outlet2, filters.metric) if outlet1 and outlet2 else []
    if request.GET.get("format") == "csv":
        if request.GET.get("table") == "ratios":
            names = {o.pk: o.name for o in outlets}
            return csv_response(
                "rate-ratios.csv",
                [
                    "theme",
                    "outlet_1",
                    "count_1",
                    "exposure_1",
                    "outlet_2",
                    "count_2",
                    "exposure_2",
                    "rate_ratio",
                    "ci95_low",
                    "ci95_high",
                    "measure",
                ],
                [
                    [
                        r.theme,
                        names.get(outlet1),
                        r.x1,
                        r.e1,
                        names.get(outlet2),
                        r.x2,
                        r.e2,
                        _round(r.ratio),
                        _round(r.low),
                        _round(r.high),
                        METRICS[filters.metric],
                    ]
                    for r in ratios
                ],
            )
        return csv_response(
            f"theme-cooccurrence-{level}.csv",
            ["theme", *[t.name for t in used]],
            [[row["theme"].name, *[c["n"] for c in row["cells"]]] for row in matrix],
        )
    context = {
        **_choices(filters),
        "level": level,
        "levels": LEVELS,
        "level_label": LEVELS[level].lower(),
        "matrix": matrix,
        "used": used,
        "ratios": ratios,
        "outlet1": outlet1,
        "outlet2": outlet2,
        "outlet1_name": next((o.name for o in outlets if o.pk == outlet1), "Outlet 1"),
        "outlet2_name": next((o.name for o in outlets if o.pk == outlet2), "Outlet 2"),
        "spans_url": spans_url,
        "metric_label": METRICS[filters.metric],
    }
    return _page(request, "insights/compare.html", context)


def _round(value, digits: int = 4):
    return None if value is None else round(value, digits)


# --- who speaks ---------------------------------------------------------------------------------------------------


@require_GET
@supervisor_required
def speakers(request):
    filters = Filters.from_query(request.GET)
    quotes_url = reverse("insights:quotes")
    summary = summaries_usable()
    voice = speaker_outlet_rows(filters, summary=summary)
    shares = kind_shares(filters, summary=summary)
    speaker_ids = list(dict.fromkeys(r.speaker_id for r in voice))[:5]
    over_time = speaker_period_rows(filters, speaker_ids, summary=summary)
    per_theme = top_speakers_per_theme(filters, summary=summary)
    table = request.GET.get("table")
    if request.GET.get("format") == "csv":
        if table == "kinds":
            return csv_response(
                "quote-kinds-by-outlet.csv",
                ["outlet", "direct", "reported", "mixed", "total"],
                [[s.outlet, s.direct, s.indirect, s.mixed, s.total] for s in shares],
            )
        if table == "time":
            return csv_response(
                "speakers-over-time.csv",
                ["speaker", "period", "quotes"],
                [[r["speaker"], r["period"].isoformat(), r["quotes"]] for r in over_time],
            )
        if table == "themes":
            return csv_response(
                "top-speakers-per-theme.csv",
                ["theme", "speaker", "quotes"],
                [[t["theme"].name, s["speaker__name"], s["n"]] for t in per_theme for s in t["speakers"]],
            )
        return csv_response(
            "voice-share.csv",
            ["speaker", "outlet", "quotes", "outlet_attributed_quotes", "share"],
            [
                [r.speaker, r.outlet, r.quotes, r.outlet_quotes, None if r.share is None else round(r.share, 4)]
                for r in voice
            ],
        )
    top = max((r.share or 0 for r in voice), default=0)
    voice_values = [
        {
            "speaker": r.speaker,
            "outlet": r.outlet,
            "share": r.share or 0,
            "max_value": top,
            "url": f"{quotes_url}?{r.query}",
            "detail": f"{r.quotes} of {r.outlet_quotes} quotes",
        }
        for r in voice
    ]
    kind_values = [
        {
            "outlet": s.outlet,
            "kind": label,
            "quotes": getattr(s, kind),
            "url": f"{quotes_url}?{Filters(outlet=s.outlet_id, kind=kind, date_from=filters.date_from, date_to=filters.date_to).query()}",
        }
        for s in shares
        for kind, label in (("direct", "direct"), ("indirect", "reported"), ("mixed", "mixed"))
    ]
    unit = "yearmonthdate" if filters.granularity == "week" else "yearmonth"
    time_values = [
        {
            "speaker": r["speaker"],
            "period": r["period"].isoformat(),
            "quotes": r["quotes"],
            "detail": f"{r['quotes']} quotes",
            "url": f"{quotes_url}?{r['query']}",
        }
        for r in over_time
    ]
    context = {
        **_choices(filters),
        "voice": voice,
        "shares": shares,
        "over_time": over_time,
        "per_theme": per_theme,
        "quotes_url": quotes_url,
        "voice_spec": charts.heatmap(voice_values, x="outlet", y="speaker", value="share", value_title="Voice share")
        if voice
        else None,
        "kinds_spec": charts.stacked_share(kind_values, y="outlet", color="kind", value="quotes") if shares else None,
        "time_spec": charts.lines(
            time_values, x="period", y="quotes", color="speaker", y_title="Quotes", time_unit=unit, fmt="d"
        )
        if over_time
        else None,
    }
    return _page(request, "insights/speakers.html", context)


@require_GET
@supervisor_required
def quotes(request):
    filters = Filters.from_query(request.GET)
    rows = (
        quotes_in_scope(filters)
        .select_related("article__outlet", "speaker")
        .order_by("article__published", "article_id", "start")
    )
    page = Paginator(rows, LIST_SIZE).get_page(request.GET.get("page"))
    context = {
        **_choices(filters),
        "page_obj": page,
        "quotes": page.object_list,
        "speaker_name": Speaker.objects.filter(pk=filters.speaker).values_list("name", flat=True).first(),
    }
    return render(request, "insights/quotes.html", context)


# --- one statement across outlets -------------------------------------------------------------------------------------


@require_GET
@supervisor_required
def statements(request):
    filters = Filters.from_query(request.GET)
    across = request.GET.get("all") != "1"
    groups = statement_groups(filters, across_outlets=across, summary=summaries_usable())
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    load_quotes(page.object_list)
    context = {
        **_choices(filters),
        "page_obj": page,
        "groups": page.object_list,
        "across": across,
        "threshold": THRESHOLD,
        "speaker_choices": Speaker.objects.filter(
            Exists(Quote.objects.filter(speaker=OuterRef("pk"))), merged_into__isnull=True
        ).order_by("name")[:500],
    }
    return _page(request, "insights/statements.html", context)


@require_GET
@supervisor_required
def statement(request, pk: int):
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=pk, deleted_at__isnull=True)
    group = group_of(quote, summary=summaries_usable())
    alone = group is None  # no other article renders it: the page shows the quote alone and says so
    group = group or StatementGroup([quote])
    context = {"group": group, "renderings": renderings(group), "threshold": THRESHOLD, "alone": alone}
    return render(request, "insights/statement.html", context)


# --- reliability ----------------------------------------------------------------------------------------------------


@require_GET
@supervisor_required
def reliability(request):
    report = (summaries_usable() and stored_reliability_report()) or reliability_report()
    fmt = request.GET.get("format")
    if fmt == "csv":
        if request.GET.get("table") == "pairs":
            return csv_response(
                "analyst-pairs.csv",
                ["analyst_a", "analyst_b", "articles", "exact_f1", "overlap_f1", "alpha"],
                [[p["a"], p["b"], p["articles"], p["exact_f1"], p["overlap_f1"], p["alpha"]] for p in report.pairs],
            )
        return csv_response("reliability.csv", METHOD_COLUMNS, method_rows(report))
    if fmt == "md":
        response = HttpResponse(methods_markdown(report), content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="reliability.md"'
        return response
    dots = [
        {"scope": r.scope, "alpha": r.alpha, "low": r.low, "high": r.high} for r in report.rows if r.alpha is not None
    ]
    context = {"report": report, "spec": charts.interval_dots(dots, y="scope") if dots else None}
    return render(request, "insights/reliability.html", context)
