"""Writes for accounts: roles and the demo users of ``make run``."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import User
from .roles import ADMIN, ANALYST, ROLE_PERMISSIONS, ROLES, SUPERVISOR

DEMO_USERS = [
    # (username, password, role, full name)
    ("analyst", "analyst-demo-pass", ANALYST, "Ana Lyst"),
    ("analyst2", "analyst2-demo-pass", ANALYST, "Bo Reader"),
    ("supervisor", "supervisor-demo-pass", SUPERVISOR, "Sue Pervisor"),
    ("admin", "admin-demo-pass", ADMIN, "Ad Min"),
]


@transaction.atomic
def roles_setup() -> dict[str, Group]:
    """Create the three role groups with their permissions; safe to run again."""
    groups = {}
    all_perms = Permission.objects.select_related("content_type")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        wanted = ROLE_PERMISSIONS[role]
        if wanted == ["*"]:
            perms = list(all_perms)
        else:
            perms = [p for p in all_perms if f"{p.content_type.app_label}.{p.codename}" in set(wanted)]
        group.permissions.set(perms)
        groups[role] = group
    return groups


@transaction.atomic
def user_create(*, username: str, password: str, role: str, full_name: str = "", email: str = "") -> User:
    """Create (or update) a user with exactly one role."""
    if role not in ROLES:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(ROLES)}.")
    groups = roles_setup()
    first, _, last = full_name.partition(" ")
    user, _ = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first, last, email
    user.is_staff = role == ADMIN
    user.is_superuser = role == ADMIN
    user.set_password(password)
    user.save()
    user.groups.set([groups[role]])
    return user


def demo_users_create() -> list[tuple[str, str, str, bool]]:
    """The demo users that do not exist yet; an existing one (its password, name, role) is never touched.
    Returns (username, password, role, created) for each demo login."""
    logins = []
    for username, password, role, full_name in DEMO_USERS:
        created = not User.objects.filter(username=username).exists()
        if created:
            user_create(username=username, password=password, role=role, full_name=full_name)
        logins.append((username, password, role, created))
    return logins
