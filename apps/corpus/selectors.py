"""Reads for articles. Visibility (who may see which article) is applied by the caller's queryset."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Article, Outlet


def article_search(*, articles: QuerySet[Article], q: str = "", outlet_id: int | None = None) -> QuerySet[Article]:
    q = q.strip()
    if q:
        articles = articles.filter(Q(title__icontains=q) | Q(outlet__name__icontains=q) | Q(byline__icontains=q))
    if outlet_id:
        articles = articles.filter(outlet_id=outlet_id)
    return (
        articles.select_related("outlet")
        .only("id", "title", "published", "byline", "n_words", "outlet__name")
        .order_by("-published", "-id")
    )


def outlet_list() -> QuerySet[Outlet]:
    return Outlet.objects.order_by("name")
