"""The lossless JSONL dump: which models, in which order, and how a field's value is written and read back.

The file is one JSON object per line::

    {"format": "readout-jsonl", "version": 1, "models": ["corpus.outlet", ...]}
    {"model": "accounts.user", "fields": {"username": "ana", "groups": ["Analyst"], ...}}
    {"model": "corpus.article", "pk": 7, "fields": {"outlet": 2, "title": "...", "published": "2025-05-09", ...}}

Every concrete field is written (foreign keys as ids, many-to-many as sorted id lists, JSON as JSON, dates and
times as ISO 8601) and primary keys are kept, so ids in other systems stay valid. Users are referenced by
username (their passwords are never exported); groups by name, content types by "app_label.model".

The model list is declared in dependency order and completed with any other model of the domain apps, so a
model another app adds later is dumped too rather than silently lost. History tables are not exported.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import itertools
import json
import uuid
from collections.abc import Iterable, Iterator

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.duration import duration_iso_string
from simple_history.models import HistoricalChanges

FORMAT = "readout-jsonl"
VERSION = 1
USER_LABEL = "accounts.user"
CHUNK_SIZE = 2000

DECLARED_MODELS = (
    "corpus.Outlet",
    "corpus.Article",
    "annotations.Theme",
    "quotes.Speaker",
    "quotes.SpeakerAlias",
    "quotes.Quote",
    "annotations.EntityMention",
    "annotations.Annotation",
    "ingest.ImportBatch",
    "assignments.Assignment",
    "assignments.AssignmentEvent",
    "review.ReviewDecision",
    "review.ArticleComment",
)
DOMAIN_APPS = ("corpus", "quotes", "annotations", "assignments", "review", "ingest")
# Labels that dumps of earlier versions carry for models that have since moved to another app.
MOVED_LABELS = {"review.assignment": "assignments.assignment", "review.assignmentevent": "assignments.assignmentevent"}
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")


def _is_data_model(model) -> bool:
    meta = model._meta
    return meta.managed and not meta.proxy and not meta.auto_created and not issubclass(model, HistoricalChanges)


def _dependency_order(models_: list) -> list:
    """Stable topological order: a model comes after the models its foreign keys point to (cycles: as listed)."""
    remaining, placed, ordered = list(models_), set(), []
    while remaining:
        for model in remaining:
            targets = {
                f.related_model
                for f in model._meta.concrete_fields
                if f.is_relation and f.related_model in remaining and f.related_model is not model
            }
            if targets <= placed:
                break
        else:
            model = remaining[0]
        remaining.remove(model)
        placed.add(model)
        ordered.append(model)
    return ordered


def export_models() -> list[type[models.Model]]:
    """The models a dump holds, in load order."""
    chosen = [apps.get_model(label) for label in DECLARED_MODELS]
    for app_label in DOMAIN_APPS:
        for model in apps.get_app_config(app_label).get_models():
            if _is_data_model(model) and model not in chosen:
                chosen.append(model)
    return _dependency_order(chosen)


def stored_fields(model) -> list[models.Field]:
    """Concrete fields written to the file, without the primary key (written as "pk") or generated columns."""
    return [f for f in model._meta.concrete_fields if not f.primary_key and not getattr(f, "generated", False)]


def m2m_fields(model) -> list[models.ManyToManyField]:
    return [f for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created]


# -- values ------------------------------------------------------------------------------------------------------


class RefMaps:
    """Ids ↔ natural keys of the models referenced by name: users, groups, content types."""

    def __init__(self):
        self.user_names = dict(get_user_model().objects.values_list("pk", "username"))
        self.group_names = dict(Group.objects.values_list("pk", "name"))
        self.ct_names = {pk: f"{a}.{m}" for pk, a, m in ContentType.objects.values_list("pk", "app_label", "model")}

    def encode_ref(self, related_model, value):
        if value is None:
            return None
        if related_model is get_user_model():
            return self.user_names[value]
        if related_model is Group:
            return self.group_names[value]
        if related_model is ContentType:
            return self.ct_names[value]
        return value


def encode_value(value):
    """A column value as JSON: ISO 8601 for dates and times (full precision), text for decimals, UUIDs, bytes."""
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _chunks(iterable: Iterable, size: int) -> Iterator[list]:
    it = iter(iterable)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _m2m_lists(field, ids: list, refs: RefMaps) -> dict:
    through = field.remote_field.through
    src = through._meta.get_field(field.m2m_field_name()).attname
    tgt = through._meta.get_field(field.m2m_reverse_field_name()).attname
    lists: dict = {}
    # ids come sorted by pk: a range keeps the query small whatever the chunk size (no 2,000-item IN list)
    links = through.objects.filter(**{f"{src}__gte": ids[0], f"{src}__lte": ids[-1]}).values_list(src, tgt)
    for owner, target in links:
        lists.setdefault(owner, []).append(refs.encode_ref(field.related_model, target))
    return {k: sorted(v, key=lambda x: (str(type(x)), x)) for k, v in lists.items()}


def model_records(model, refs: RefMaps, *, chunk_size: int = CHUNK_SIZE) -> Iterator[dict]:
    label = model._meta.label_lower
    fields = stored_fields(model)
    many = m2m_fields(model)
    rows = model._base_manager.order_by("pk").values_list("pk", *[f.attname for f in fields])
    for chunk in _chunks(rows.iterator(chunk_size=chunk_size), chunk_size):
        ids = [r[0] for r in chunk]
        lists = {f.name: _m2m_lists(f, ids, refs) for f in many}
        for row in chunk:
            values = {}
            for f, v in zip(fields, row[1:]):
                values[f.name] = refs.encode_ref(f.related_model, v) if f.is_relation else encode_value(v)
            for f in many:
                values[f.name] = lists[f.name].get(row[0], [])
            yield {"model": label, "pk": encode_value(row[0]), "fields": values}


def user_records() -> Iterator[dict]:
    for user in get_user_model().objects.order_by("pk").prefetch_related("groups"):
        values = {name: getattr(user, name) for name in USER_FIELDS}
        values["groups"] = sorted(g.name for g in user.groups.all())
        yield {"model": USER_LABEL, "fields": values}


def jsonl_lines(*, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
    """The whole dump, line by line (each ends with a newline), in constant memory."""
    chosen = export_models()
    yield json.dumps({"format": FORMAT, "version": VERSION, "models": [m._meta.label_lower for m in chosen]}) + "\n"
    refs = RefMaps()
    for record in user_records():
        yield json.dumps(record, ensure_ascii=False) + "\n"
    for model in chosen:
        for record in model_records(model, refs, chunk_size=chunk_size):
            yield json.dumps(record, ensure_ascii=False) + "\n"


def jsonl_record_count() -> int:
    """Lines a dump will have (for a progress bar): header, users and one per row."""
    return 1 + get_user_model().objects.count() + sum(m._base_manager.count() for m in export_models())
