"""CSV downloads of exactly what a chart's table shows, safe to open in a spreadsheet.

Cells are neutralised with defusedcsv's writer (a leading ``= + - @`` gets a quote mark); it does not cover tab
and carriage return, which spreadsheets also read as formula starters, so those are escaped here too.
"""

from __future__ import annotations

import io

from defusedcsv import csv
from django.http import HttpResponse


def _cell(value):
    if isinstance(value, str) and value[:1] in ("\t", "\r"):
        return "'" + value
    return "" if value is None else value


def csv_response(filename: str, header: list[str], rows: list[list]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
