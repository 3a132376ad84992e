"""Login throttling shared by every web process: exponential backoff, never a hard lock.

Each login POST is judged by counters of recent failures in the shared cache (``settings.LOGIN_THROTTLE_CACHE``):

- per client IP (the address from ``config.middleware.client_ip``, so behind a trusted proxy the real client's);
- per account, the username normalised as the login does (NFKC + casefold), so ``ｓｕｐｅｒｖｉｓｏｒ``,
  ``Supervisor`` and ``supervisor`` share one counter;
- per known device: a browser that has logged in to that account before carries a signed cookie. It is judged
  by its own counter only, so an attacker's failures (from any number of IPs) can't lock the real user out.

Below the free failures an attempt goes through. From then on each failure closes the counter's gate for
``BASE * 2**(failures - free)`` seconds (capped at ``LOGIN_BACKOFF_MAX_S``), and once it reopens one attempt
takes it with ``cache.add``, which is atomic in Redis and in the database cache, so parallel requests across
processes can't share a slot. A success clears the account's and the device's counters.
"""

from __future__ import annotations

import hashlib
import math
import secrets
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.cache import caches

from config.middleware import client_ip

DEVICE_COOKIE = "readout_device"
_DEVICE_SALT = "readout.accounts.login-device"


def normalize_username(username: str) -> str:
    """The form used for lookup and throttling: NFKC (fullwidth → ASCII), casefolded, trimmed."""
    return unicodedata.normalize("NFKC", username or "").casefold().strip()


def _cache():
    return caches[settings.LOGIN_THROTTLE_CACHE]


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40]


@dataclass
class _Counter:
    key: str
    free: int


@dataclass
class LoginThrottle:
    request: object
    username: str
    counters: list[_Counter] = field(default_factory=list)
    device_token: str | None = None

    @classmethod
    def for_request(cls, request) -> LoginThrottle:
        username = normalize_username(request.POST.get("username", ""))
        throttle = cls(request=request, username=username)
        throttle.device_token = _device_token(request, username)
        if throttle.device_token:
            throttle.counters = [_Counter(f"login:dev:{_digest(throttle.device_token)}", settings.LOGIN_MAX_FAILURES)]
        else:
            throttle.counters = [
                _Counter(f"login:ip:{_digest(client_ip(request))}", settings.LOGIN_IP_MAX_FAILURES),
                _Counter(f"login:acct:{_digest(username)}", settings.LOGIN_MAX_FAILURES),
            ]
        return throttle

    def _delay(self, failures: int, free: int) -> float:
        """The wait after ``failures`` failures: none for the first ``free - 1``, then BASE, 2 BASE, 4 BASE..."""
        if failures < free:
            return 0.0
        return min(settings.LOGIN_BACKOFF_BASE_S * 2 ** (failures - free), settings.LOGIN_BACKOFF_MAX_S)

    def acquire(self) -> int:
        """0 when this attempt may go ahead, else the seconds to wait (for Retry-After)."""
        cache = _cache()
        counts = cache.get_many([c.key for c in self.counters])
        for counter in self.counters:
            delay = self._delay(counts.get(counter.key, 0), counter.free)
            # past the free failures the gate is closed for ``delay`` after each failure; once it has expired,
            # exactly one request (across processes: add is atomic) takes it and gets to try
            if delay and not cache.add(f"{counter.key}:gate", 1, timeout=math.ceil(delay)):
                return max(1, math.ceil(delay))
        return 0

    def failed(self) -> None:
        """Count the failure; a counter past its free failures closes its gate for the next delay."""
        cache = _cache()
        counters = list(self.counters)
        if self.device_token:
            # a known device that fails still counts against the account for other (unknown) clients
            counters.append(_Counter(f"login:acct:{_digest(self.username)}", settings.LOGIN_MAX_FAILURES))
        for counter in counters:
            cache.add(counter.key, 0, timeout=settings.LOGIN_FAILURE_WINDOW_S)
            try:
                failures = cache.incr(counter.key)
            except ValueError:  # expired between add and incr
                failures = 1
                cache.set(counter.key, failures, timeout=settings.LOGIN_FAILURE_WINDOW_S)
            cache.touch(counter.key, settings.LOGIN_FAILURE_WINDOW_S)
            delay = self._delay(failures, counter.free)
            if delay:
                cache.set(f"{counter.key}:gate", 1, timeout=math.ceil(delay))

    def succeeded(self, response) -> None:
        cache = _cache()
        keys = [f"login:acct:{_digest(self.username)}"] + [c.key for c in self.counters]
        cache.delete_many(keys + [f"{k}:gate" for k in keys])
        token = self.device_token or secrets.token_urlsafe(18)
        response.set_cookie(
            DEVICE_COOKIE,
            signing.dumps({"u": _digest(self.username), "t": token}, salt=_DEVICE_SALT),
            max_age=settings.LOGIN_DEVICE_COOKIE_AGE_S,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )


def _device_token(request, username: str) -> str | None:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw or not username:
        return None
    try:
        data = signing.loads(raw, salt=_DEVICE_SALT, max_age=settings.LOGIN_DEVICE_COOKIE_AGE_S)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != _digest(username):
        return None
    return str(data.get("t") or "") or None


def throttled_login(view, *, blocked_response):
    """Wrap a login view: POSTs wait their turn (429 + Retry-After), and the outcome feeds the counters.

    ``blocked_response(request, retry_after) -> HttpResponse`` renders the refusal. An attempt succeeded when
    the view redirects with that account logged in.
    """

    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        throttle = LoginThrottle.for_request(request)
        wait = throttle.acquire()
        if wait:
            response = blocked_response(request, wait)
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        response = view(request, *args, **kwargs)
        user = request.user
        logged_in = (
            user.is_authenticated
            and normalize_username(user.get_username()) == throttle.username
            and response.status_code in (301, 302, 303)
        )
        if logged_in:
            throttle.succeeded(response)
        else:
            throttle.failed()
        return response

    wrapped.__name__ = getattr(view, "__name__", "login")
    wrapped.__doc__ = view.__doc__
    return wrapped
