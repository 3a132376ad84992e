"""The three roles as Django groups, their permissions, and the checks views use.

Checks live in views (and selectors), never only in templates: a partial or a forged request must meet them too.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

ANALYST = "Analyst"
SUPERVISOR = "Supervisor"
ADMIN = "Admin"
ROLES = (ANALYST, SUPERVISOR, ADMIN)

# Model permissions granted to each role ("app_label.codename"); admins also get is_staff for the admin site.
ROLE_PERMISSIONS = {
    ANALYST: [
        "annotations.add_annotation",
        "annotations.change_annotation",
        "annotations.delete_annotation",
        "quotes.change_quote",
        "quotes.add_quote",
    ],
    SUPERVISOR: [
        "annotations.add_annotation",
        "annotations.change_annotation",
        "annotations.delete_annotation",
        "annotations.add_theme",
        "annotations.change_theme",
        "quotes.add_quote",
        "quotes.change_quote",
        "quotes.delete_quote",
        "quotes.change_speaker",
        "ingest.add_importbatch",
        "review.add_assignment",
        "review.change_assignment",
    ],
    ADMIN: ["*"],
}


def user_roles(user) -> set[str]:
    if not user.is_authenticated:
        return set()
    cached = getattr(user, "_readout_roles", None)
    if cached is None:
        cached = remember_roles(user, user.groups.values_list("name", flat=True))
    return cached


def remember_roles(user, group_names) -> set[str]:
    """Keep ``user``'s roles for this request from the names of their groups (read with the user: see
    apps.accounts.backends), so that role checks cost no query of their own."""
    roles = set(group_names)
    if user.is_superuser:
        roles.add(ADMIN)
    user._readout_roles = roles
    return roles


def is_admin(user) -> bool:
    return ADMIN in user_roles(user)


def is_supervisor(user) -> bool:
    """Supervisors and admins: they see all articles, import, assign, review and export."""
    roles = user_roles(user)
    return SUPERVISOR in roles or ADMIN in roles


def is_analyst(user) -> bool:
    return bool(user_roles(user))


def supervisor_required(view):
    """Login, then the Supervisor (or Admin) role; 403 otherwise."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_supervisor(request.user):
            raise PermissionDenied("Supervisors only.")
        return view(request, *args, **kwargs)

    return wrapped


def admin_required(view):
    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_admin(request.user):
            raise PermissionDenied("Admins only.")
        return view(request, *args, **kwargs)

    return wrapped
