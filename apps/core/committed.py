"""A write that committed is never answered with a 500.

When the database goes away after a view's write committed (a restart, a killed connection, a failover), the
rendering that follows (the changed paragraphs, the editor, the panel) fails with a DatabaseError. Answering 500
would tell the user "Nothing was saved" although it was; so this middleware watches the view's writes, and when one
has committed (``transaction.on_commit``: never for a rolled-back block) and a DatabaseError escapes the view, it
answers 200 "Saved; the page could not refresh" instead. Views that know more (the span id of a new span) catch
the error themselves and use ``saved_not_refreshed`` for the message.
"""

from __future__ import annotations

import json
import logging
import re

from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.utils.html import escape

logger = logging.getLogger(__name__)

SAVED_NOT_REFRESHED = "Saved; the page could not refresh. Reload it to see the current state."
EVENT = "savedNotRefreshed"  # static/js/app.js shows it as a toast
# a write: INSERT/UPDATE/DELETE, or a WITH query whose CTEs write (PostgreSQL's data-modifying CTEs)
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|WITH\b[\s\S]*?\b(INSERT|UPDATE|DELETE)\b)", re.IGNORECASE)


def write_committed(request) -> bool:
    """Whether a write of this request's view has committed."""
    return getattr(request, "_readout_write_committed", False)


def add_saved_event(response: HttpResponse) -> HttpResponse:
    """Add the "saved, not refreshed" event to an HTMX response's HX-Trigger (keeping any other events)."""
    events = {}
    if response.get("HX-Trigger"):
        try:
            events = json.loads(response["HX-Trigger"])
        except ValueError:
            events = {name.strip(): None for name in response["HX-Trigger"].split(",")}
    events[EVENT] = SAVED_NOT_REFRESHED
    response["HX-Trigger"] = json.dumps(events)
    return response


def saved_not_refreshed(request, *, status: int = 200) -> HttpResponse:
    """The answer to a committed write whose page could not be drawn: success, and says so."""
    if getattr(request, "htmx", False):
        response = HttpResponse(SAVED_NOT_REFRESHED, status=status, content_type="text/plain; charset=utf-8")
        response["HX-Reswap"] = "none"  # keep what the page shows; the toast tells the rest
        return add_saved_event(response)
    # no template: drawing the base page needs the database (roles, messages)
    back = escape(request.get_full_path())
    html = (
        '<!doctype html><html lang="en"><meta charset="utf-8"><title>Saved</title>'
        f'<p role="status">{escape(SAVED_NOT_REFRESHED)}</p><p><a href="{back}">Reload</a></p></html>'
    )
    return HttpResponse(html, status=status)


class CommittedWriteMiddleware:
    """Marks the request when one of its view's writes commits; turns a later DatabaseError into success."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._readout_write_committed = False

        def mark():
            request._readout_write_committed = True

        mark.readout_commit_marker = True  # tests that count on_commit callbacks can tell it apart

        def watch(execute, sql, params, many, context):
            result = execute(sql, params, many, context)
            if isinstance(sql, str) and _WRITE.match(sql) and not request._readout_write_committed:
                conn = context["connection"]
                # once per transaction: at once outside one; at its commit inside one; never if it rolls back
                if not any(func is mark for _, func, _ in conn.run_on_commit):
                    transaction.on_commit(mark, using=conn.alias)
            return result

        with connection.execute_wrapper(watch):
            return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError) and write_committed(request):
            logger.warning(
                "committed write answered without a refresh: %s %s: %r", request.method, request.path, exception
            )
            return saved_not_refreshed(request)
        return None
