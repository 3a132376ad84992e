from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.template.loader import render_to_string

from .throttle import throttled_login


class LoginView(auth_views.LoginView):
    """Django's login (username NFKC-normalised by the form, looked up casefolded by the auth backend)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True


def _blocked_page(request, retry_after: int) -> HttpResponse:
    form = LoginView.form_class(request)
    body = render_to_string(
        "registration/login.html", {"form": form, "throttled": True, "retry_after": retry_after}, request=request
    )
    return HttpResponse(body)


def _blocked_admin_page(request, retry_after: int) -> HttpResponse:
    return HttpResponse(
        f"Too many failed attempts. Wait {retry_after} seconds and try again.", content_type="text/plain"
    )


login = throttled_login(LoginView.as_view(), blocked_response=_blocked_page)
admin_login = throttled_login(admin.site.login, blocked_response=_blocked_admin_page)
