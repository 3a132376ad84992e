"""Reads for articles. Visibility (who may see which article) is applied by the caller's queryset."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Outlet


def outlet_list() -> QuerySet[Outlet]:
    return Outlet.objects.order_by("name")
