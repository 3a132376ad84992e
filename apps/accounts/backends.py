"""Authentication by normalised username: ``ｓｕｐｅｒｖｉｓｏｒ`` and ``Supervisor`` are the account ``supervisor``."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import CharField, JSONField
from django.db.models.expressions import RawSQL

from .roles import remember_roles
from .throttle import normalize_username


def user_for_login(username: str):
    """The one user whose username normalises (NFKC + casefold) to the same as ``username``, or None."""
    key = normalize_username(username)
    if not key:
        return None
    model = get_user_model()
    # iexact narrows on the database; casefold decides (it also folds what UPPER() doesn't, such as ß)
    candidates = [
        u for u in model._default_manager.filter(username__iexact=key) if normalize_username(u.username) == key
    ]
    if not candidates:
        candidates = [
            u
            for u in model._default_manager.filter(username__iexact=username.strip())
            if normalize_username(u.username) == key
        ]
    if len(candidates) != 1:
        return None  # none, or an ambiguous pair created before normalisation: refuse rather than guess
    return candidates[0]


class NormalizedUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            get_user_model()().set_password(password)  # same time as a wrong password: no user enumeration
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The session's user, read with the names of their groups in one query instead of two on every request:
        every page checks a role. On another database than PostgreSQL or SQLite, as ModelBackend does; roles are
        then read when first asked."""
        if connection.vendor not in ("postgresql", "sqlite"):
            return super().get_user(user_id)
        model = get_user_model()
        users = model._default_manager.filter(pk=user_id).annotate(readout_group_names=_group_names()).order_by()
        user = next(iter(users[:1]), None)  # by primary key: no ORDER BY (first() would sort by username)
        if user is None or not self.user_can_authenticate(user):
            return None
        remember_roles(user, user.readout_group_names)
        return user


@functools.cache
def _group_names() -> RawSQL:
    """The user's group names as SQL over the user row (an ARRAY on PostgreSQL, a JSON array on SQLite): a plain
    subquery costs the ORM more to compile than the database to run."""
    model = get_user_model()
    groups = model._meta.get_field("groups")
    through = groups.remote_field.through._meta
    q = connection.ops.quote_name
    user_col = through.get_field(groups.m2m_field_name()).column
    group_col = through.get_field(groups.m2m_reverse_field_name()).column
    rows = (
        f"FROM {q(Group._meta.db_table)} g JOIN {q(through.db_table)} ug ON ug.{q(group_col)} = g.{q('id')} "
        f"WHERE ug.{q(user_col)} = {q(model._meta.db_table)}.{q(model._meta.pk.column)}"
    )
    if connection.vendor == "postgresql":
        return RawSQL(f"ARRAY(SELECT g.{q('name')} {rows})", [], output_field=ArrayField(CharField()))
    return RawSQL(f"(SELECT json_group_array(g.{q('name')}) {rows})", [], output_field=JSONField())
