"""The export page (filters, a preview count) and the download, for supervisors and admins.

Every refusal is shown on the page itself (a full page, or the preview partial under HTMX), never as a bare
text response: a bad date, a filter that does not apply to the format, nothing to export.
"""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.accounts.roles import supervisor_required
from apps.quotes.selectors import speaker_search

from .forms import FILTER_NAMES, FORMATS, ExportRefused, SpanFilterForm, check_filters_for, export_format
from .jsonl import jsonl_record_count
from .selectors import SpanFilters, accepted_span_labels, span_theme_count, span_themes
from .writers import docbin_export, jsonl_chunks, span_csv_chunks


def preview_count(fmt: str, filters: SpanFilters) -> int:
    """What the download will hold: JSONL records, DocBin (span, theme) labels, or CSV rows."""
    if fmt == "jsonl":
        return jsonl_record_count()
    if fmt == "docbin":
        return accepted_span_labels(filters).count()
    return span_theme_count(filters)


def has_rows(fmt: str, filters: SpanFilters) -> bool:
    """Whether the download would hold a span (``preview_count`` > 0), asked as EXISTS: the database stops at the
    first matching row instead of counting them all before the export reads them again."""
    if fmt == "docbin":
        return accepted_span_labels(filters).exists()
    return span_themes(filters).exists()


def _checked(request, form: SpanFilterForm) -> tuple[str, SpanFilters]:
    """The format and filters of a request, or ExportRefused saying what is wrong."""
    fmt = export_format(request.GET.get("format"))
    if not form.is_valid():
        raise ExportRefused(form.error_text())
    filters = form.filters()
    check_filters_for(fmt, filters)
    return fmt, filters


def _page(request, form: SpanFilterForm, *, fmt: str, count=None, error: str = "", status: int = 200):
    if fmt not in FORMATS:
        fmt = "csv"
    context = {
        "form": form,
        "formats": FORMATS,
        "fmt": fmt,
        "count": count,
        "error": error,
        "disabled": form.disable_for(fmt),
    }
    template = "exports/export_page.html"
    if request.htmx:
        template += "#export-body"
    return render(request, template, context, status=status)


@require_GET
@supervisor_required
def export_page(request):
    submitted = any(request.GET.get(name) for name in (*FILTER_NAMES, "format"))
    form = SpanFilterForm(request.GET if submitted else None)
    fmt = (request.GET.get("format") or "csv").strip().lower()
    try:
        fmt, filters = _checked(request, form) if submitted else ("csv", SpanFilters())
    except ExportRefused as exc:
        return _page(request, form, fmt=fmt, error=str(exc), status=200 if request.htmx else 400)
    return _page(request, form, fmt=fmt, count=preview_count(fmt, filters))


@require_GET
@supervisor_required
def export_download(request):
    form = SpanFilterForm(request.GET)
    fmt = (request.GET.get("format") or "csv").strip().lower()
    try:
        fmt, filters = _checked(request, form)
        if fmt != "jsonl" and not has_rows(fmt, filters):
            what = "accepted span" if fmt == "docbin" else "span"
            raise ExportRefused(f"No {what} matches these filters: there is nothing to export.")
    except ExportRefused as exc:
        return _page(request, form, fmt=fmt, error=str(exc), status=400)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if fmt == "docbin":
        result = docbin_export(filters)
        response = HttpResponse(result.data, content_type="application/octet-stream")
        response["Content-Disposition"] = f'attachment; filename="readout-spans-{stamp}.spacy"'
        return response
    if fmt == "jsonl":
        response = StreamingHttpResponse(jsonl_chunks(), content_type="application/x-ndjson; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="readout-{stamp}.jsonl"'
        return response
    excel = fmt == "excel"  # the other CSV_FORMATS member: the same rows, with a BOM for Excel
    response = StreamingHttpResponse(span_csv_chunks(filters, bom=excel), content_type="text/csv; charset=utf-8")
    suffix = "-excel" if excel else ""
    response["Content-Disposition"] = f'attachment; filename="readout-spans-{stamp}{suffix}.csv"'
    return response


@require_GET
@supervisor_required
def speaker_options(request):
    """<option>s for the speaker filter's datalist: speakers whose name or an alias contains what was typed."""
    speakers = speaker_search(q=request.GET.get("speaker", "")[:200], limit=15)
    prefetch_related_objects(speakers, "aliases")
    return render(request, "exports/export_page.html#speaker-options", {"speakers": speakers})
