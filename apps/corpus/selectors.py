"""Reads for articles. Visibility (who may see which article) is applied by the caller's queryset."""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet

from .models import Article, Outlet


def outlet_list() -> QuerySet[Outlet]:
    return Outlet.objects.order_by("name")


def content_hashes_present(*, digests: list[str]) -> set[str]:
    """Which of ``digests`` the corpus has. One statement with one array parameter on PostgreSQL (an ``IN`` list of
    a thousand placeholders costs the client more to build than the database to answer); ``IN`` lists elsewhere."""
    if not digests:
        return set()
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Article._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT content_hash FROM {table} WHERE content_hash = ANY(%s)", [list(digests)])
            return {row[0] for row in cursor.fetchall()}
    found: set[str] = set()
    for start in range(0, len(digests), 500):
        chunk = digests[start : start + 500]
        found.update(Article.objects.filter(content_hash__in=chunk).values_list("content_hash", flat=True))
    return found
