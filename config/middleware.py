"""Request-edge middleware: what every request goes through, whatever the app.

``EdgeMiddleware`` (first): ``/healthz`` for container health checks (answered before host and HTTPS checks),
X-Forwarded-* headers believed only from ``TRUSTED_PROXIES``, and a Permissions-Policy on every response.

``RequestHygieneMiddleware`` (after authentication): a 400 with a message for a NUL character or a lone
surrogate in any GET or POST field name or value (PostgreSQL can't store them, so they used to give 500s
wherever a view read ``request.POST`` directly), and ``Cache-Control: private, no-store`` on every response to
a logged-in user (pages and downloads hold data that must not stay in shared or disk caches).
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from django.conf import settings
from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.cache import patch_cache_control

_FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED")
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _parse_ip(value: str):
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted_proxy(addr: str) -> bool:
    ip = _parse_ip(addr or "")
    return ip is not None and any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy, the nearest untrusted hop of
    X-Forwarded-For (read right to left, so a client can't forge it by sending its own header)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    if not is_trusted_proxy(remote):
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if _parse_ip(hop) is None:
            return remote  # garbage in the chain: don't guess
        if not is_trusted_proxy(hop):
            return str(_parse_ip(hop))
    return remote


def _health(request) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 - any database failure means "not healthy"
        return HttpResponse(f"database unavailable: {type(exc).__name__}", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


class EdgeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path == "/healthz":
            response = _health(request)
        else:
            if not is_trusted_proxy(request.META.get("REMOTE_ADDR", "")):
                for header in _FORWARDED_HEADERS:
                    request.META.pop(header, None)
            response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


def _describe(text: str) -> str:
    shown = text[:60].encode("unicode_escape").decode("ascii")
    return shown + ("..." if len(text) > 60 else "")


def bad_field(request) -> str | None:
    """The message for the first GET/POST field (name or value) or upload file name with a NUL or lone
    surrogate, or None."""
    sources = [("query parameter", request.GET)]
    if request.method in ("POST", "PUT", "PATCH"):
        sources.append(("form field", request.POST))
    for kind, data in sources:
        for key, values in data.lists():
            if _BAD_CHARS.search(key):
                return f"The {kind} name '{_describe(key)}' contains a NUL character or an invalid code point."
            for value in values:
                if isinstance(value, str) and _BAD_CHARS.search(value):
                    char = "a NUL character" if "\x00" in value else "an invalid (lone surrogate) code point"
                    return f"The {kind} '{_describe(key)}' contains {char}, which Readout can't store. Remove it."
    if request.method == "POST" and request.content_type == "multipart/form-data":
        for key, files in request.FILES.lists():
            for upload in files:
                name = upload.name or ""
                if _BAD_CHARS.search(key) or _BAD_CHARS.search(name):
                    return (
                        f"The uploaded file name '{_describe(name)}' contains a NUL character or an invalid code point."
                    )
    return None


class RequestHygieneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        message = bad_field(request)
        if message:
            response = HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        else:
            response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response
