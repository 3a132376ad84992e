"""Optimistic concurrency: an edit names the ``version`` it started from and claims the row only if it is still
that version (``UPDATE ... WHERE version = n``), so nobody's save silently overwrites another's."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet


class VersionConflict(Exception):
    """Somebody saved the row after this edit began. ``current`` is the row as it is now (None when it is gone)."""

    def __init__(self, message: str, current=None):
        super().__init__(message)
        self.message = message
        self.current = current


def version_claim(live: QuerySet, *, pk: int, version, what: str) -> int:
    """Bump the version of row ``pk`` of ``live`` (the rows that may still be edited) if it is still ``version``.

    Returns the new version. Raises ValidationError when ``version`` is not a number, and VersionConflict with
    the current row (or None when it was deleted) when another save came first.
    """
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ValidationError(
            f"The edit does not say which version of the {what} it started from.", code="no_version"
        ) from None
    if live.filter(pk=pk, version=version).update(version=version + 1):
        return version + 1
    current = live.filter(pk=pk).first()
    if current is None:
        raise VersionConflict(f"This {what} was deleted in the meantime (in another tab, or by someone else).")
    raise VersionConflict(
        f"This {what} was changed elsewhere (another tab or user) since you opened it; your change was not saved. "
        "Here is the current version.",
        current,
    )
