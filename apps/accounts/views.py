from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string


def _throttle_key(request) -> str:
    ip = request.META.get("REMOTE_ADDR", "")
    username = (request.POST.get("username") or "").strip().lower()
    digest = hashlib.sha256(f"{ip}|{username}".encode()).hexdigest()
    return f"login-failures:{digest}"


class LoginView(auth_views.LoginView):
    """Django's login with a failure counter per (IP, username): brute force gets 429, not endless tries."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        key = _throttle_key(request)
        if cache.get(key, 0) >= settings.LOGIN_MAX_FAILURES:
            body = render_to_string(
                "registration/login.html",
                {"form": self.get_form(), "throttled": True},
                request=request,
            )
            return HttpResponse(body, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        key = _throttle_key(self.request)
        cache.add(key, 0, settings.LOGIN_FAILURE_WINDOW_S)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, settings.LOGIN_FAILURE_WINDOW_S)
        return super().form_invalid(form)

    def form_valid(self, form):
        cache.delete(_throttle_key(self.request))
        return super().form_valid(form)
