"""The export page (filters, a preview count) and the download, for supervisors and admins."""

from __future__ import annotations

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from apps.accounts.roles import supervisor_required
from apps.annotations.models import Annotation
from apps.core.htmx import error_response

from .forms import FORMATS, ExportRefused, SpanFilterForm, check_filters_for, export_format
from .jsonl import jsonl_record_count
from .selectors import SpanFilters, span_theme_count
from .writers import docbin_export, jsonl_chunks, span_csv_chunks

FILTER_NAMES = ("theme", "outlet", "date_from", "date_to", "status", "annotator", "speaker", "batch")


def preview_count(fmt: str, filters: SpanFilters) -> int:
    if fmt == "jsonl":
        return jsonl_record_count()
    if fmt == "docbin":
        filters = SpanFilters(**{**filters.__dict__, "status": Annotation.Status.ACCEPTED})
    return span_theme_count(filters)


@require_GET
@supervisor_required
def export_page(request):
    submitted = any(request.GET.get(name) for name in (*FILTER_NAMES, "format"))
    form = SpanFilterForm(request.GET if submitted else None)
    context = {"form": form, "formats": FORMATS, "fmt": "csv", "count": None, "error": ""}
    status = 200
    try:
        context["fmt"] = fmt = export_format(request.GET.get("format"))
        if submitted and not form.is_valid():
            raise ExportRefused(form.error_text())
        filters = form.filters() if submitted else SpanFilters()
        check_filters_for(fmt, filters)
        context["count"] = preview_count(fmt, filters)
    except ExportRefused as exc:
        if request.htmx:
            return error_response(str(exc))
        context["error"], status = str(exc), 400
    template = "exports/export_page.html"
    if request.htmx:
        template += "#preview"
    return render(request, template, context, status=status)


@require_GET
@supervisor_required
def export_download(request):
    form = SpanFilterForm(request.GET, with_choices=False)
    try:
        fmt = export_format(request.GET.get("format"))
        if not form.is_valid():
            raise ExportRefused(form.error_text())
        filters = form.filters()
        check_filters_for(fmt, filters)
    except ExportRefused as exc:
        return error_response(str(exc))
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
    response = StreamingHttpResponse(span_csv_chunks(filters), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="readout-spans-{stamp}.csv"'
    return response
