from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET

from .roles import is_supervisor
from .throttle import throttled_login


class LoginView(auth_views.LoginView):
    """Django's login (username NFKC-normalised by the form, looked up casefolded by the auth backend)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        """Without a ?next=, each user lands on their home (analysts: My queue)."""
        return landing_url(self.request.user)


def landing_url(user) -> str:
    """Analysts start their day on My queue; supervisors and admins on the article list."""
    return reverse("reading:article_list") if is_supervisor(user) else reverse("review:queue")


@require_GET
@login_required
def home(request):
    """``/``: the user's landing page."""
    return redirect(landing_url(request.user))


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password (old one first; Django's validators apply)."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"


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
