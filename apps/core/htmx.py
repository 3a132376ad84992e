"""The one error contract of HTMX requests: a refused write answers 400 (bad input) or 409 (someone saved first)
with a plain-text message that static/js/app.js shows in the page; a 409 may carry the current state as HTML to
swap in instead. Plain (non-HTMX) form posts get the same message as a flash message and a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from .versions import VersionConflict


def error_text(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, VersionConflict):
        return error.message
    return str(error)


def error_response(error: Exception | str, *, status: int | None = None) -> HttpResponse:
    """400 for bad input, 409 for a version conflict, the message as plain text."""
    if status is None:
        status = 409 if isinstance(error, VersionConflict) else 400
    text = error if isinstance(error, str) else error_text(error)
    return HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")


def refuse(request, error: Exception, *, back: str) -> HttpResponse:
    """The refusal of a write: the HTMX error response, or for a plain form a flash message and ``back``."""
    if request.htmx:
        return error_response(error)
    messages.error(request, error_text(error))
    return redirect(back)


class HtmxErrorMiddleware:
    """A ValidationError or VersionConflict that a view lets escape becomes the same response as ``refuse``'s
    for HTMX requests (never a 500 page swapped into a widget)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if getattr(request, "htmx", False) and isinstance(exception, (ValidationError, VersionConflict)):
            return error_response(exception)
        return None
