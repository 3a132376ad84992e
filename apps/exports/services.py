"""Writes for exports: loading a JSONL dump into an empty database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction

from .jsonl import FORMAT, MOVED_LABELS, USER_FIELDS, USER_LABEL, VERSION, export_models, m2m_fields, stored_fields

BATCH_SIZE = 1000


class _Loader:
    def __init__(self, models_):
        self.models = {m._meta.label_lower: m for m in models_}
        self.user_ids = dict(get_user_model().objects.values_list("username", "pk"))
        self.group_ids = dict(Group.objects.values_list("name", "pk"))
        self.pending: dict = {}  # model → instances waiting for insert
        self.counts: dict[str, int] = {}

    # references by natural key
    def ref(self, related_model, value, where: str):
        if value is None:
            return None
        if related_model is get_user_model():
            if value not in self.user_ids:
                raise ValidationError(f"{where}: unknown user '{value}' (not in the users section).", code="bad_ref")
            return self.user_ids[value]
        if related_model is Group:
            if value not in self.group_ids:
                self.group_ids[value] = Group.objects.get_or_create(name=value)[0].pk
            return self.group_ids[value]
        if related_model is ContentType:
            app_label, _, model = value.partition(".")
            return ContentType.objects.get_by_natural_key(app_label, model).pk
        return value

    def user(self, values: dict) -> None:
        username = values["username"]
        if username in self.user_ids:  # an existing account keeps its password and settings
            return
        user = get_user_model()(**{k: values[k] for k in USER_FIELDS if k in values})
        user.set_unusable_password()
        user.save()
        user.groups.set([self.ref(Group, name, "user") for name in values.get("groups", [])])
        self.user_ids[username] = user.pk
        self.counts[USER_LABEL] = self.counts.get(USER_LABEL, 0) + 1

    def row(self, model, record: dict, where: str) -> None:
        meta = model._meta
        values = dict(record.get("fields", {}))
        known = {f.name for f in stored_fields(model)} | {f.name for f in m2m_fields(model)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValidationError(
                f"{where}: {meta.label_lower} has no field {', '.join(map(repr, unknown))}; refusing to drop data.",
                code="unknown_field",
            )
        obj = model(**{meta.pk.attname: meta.pk.to_python(record["pk"])})
        for f in stored_fields(model):
            if f.name not in values:
                continue  # a field added after the dump: keep the model default
            value = values[f.name]
            if f.is_relation:
                setattr(obj, f.attname, self.ref(f.related_model, value, where))
            else:
                setattr(obj, f.attname, None if value is None else f.to_python(value))
        self.pending.setdefault(model, []).append(obj)
        for f in m2m_fields(model):
            through = f.remote_field.through
            src = through._meta.get_field(f.m2m_field_name()).attname
            tgt = through._meta.get_field(f.m2m_reverse_field_name()).attname
            for target in values.get(f.name, []):
                link = through(**{src: obj.pk, tgt: self.ref(f.related_model, target, where)})
                self.pending.setdefault(through, []).append(link)
        if sum(len(v) for v in self.pending.values()) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        for model, objs in self.pending.items():
            if model._meta.auto_created:  # m2m link rows: their own ids do not matter
                model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
            else:
                # raw=True keeps stored values as they are: auto_now / auto_now_add must not restamp the rows.
                fields = stored_fields(model) + [model._meta.pk]
                size = max(1, connection.ops.bulk_batch_size(fields, objs) or len(objs))
                for i in range(0, len(objs), size):
                    model._base_manager._insert(objs[i : i + size], fields=fields, raw=True, using=connection.alias)
                label = model._meta.label_lower
                self.counts[label] = self.counts.get(label, 0) + len(objs)
        self.pending = {}


def _refuse_non_empty(models_) -> None:
    filled = [f"{m._meta.label_lower} ({m._base_manager.count()})" for m in models_ if m._base_manager.exists()]
    if filled:
        raise ValidationError(
            "The database is not empty: it already holds "
            + ", ".join(filled)
            + ". import_jsonl loads into an empty database only (users may exist).",
            code="not_empty",
        )


def _refuse_dangling(models_) -> None:
    """A foreign key the database does not check (``EntityMention.article``, issue 15) is checked here: a row naming
    an article the dump does not hold fails the whole import, as a database check would."""
    for model in models_:
        for f in model._meta.concrete_fields:
            if not (f.is_relation and f.many_to_one) or f.db_constraint:
                continue
            dangling = (
                model._base_manager.order_by()
                .exclude(**{f"{f.attname}__isnull": True})
                .exclude(**{f"{f.attname}__in": f.related_model._base_manager.values("pk")})
            )
            first = dangling.values_list("pk", f.attname).first()
            if first is not None:
                raise ValidationError(
                    f"{model._meta.label_lower} {first[0]} names {f.related_model._meta.label_lower} {first[1]}, "
                    "which the dump does not hold.",
                    code="bad_ref",
                )


@transaction.atomic
def jsonl_import(*, lines: Iterable[str], progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Load a dump written by ``export_spans --format jsonl`` into a database with no domain rows.

    All or nothing (one transaction). Primary keys are kept and sequences reset afterwards, so new rows get
    fresh ids. Users missing here are created with unusable passwords; existing users are matched by username.
    Returns the number of rows created per model.
    """
    models_ = export_models()
    loader = _Loader(models_)
    header_seen = False
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"line {number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValidationError(f"{where}: not JSON ({exc.msg}).", code="bad_json") from None
        if not header_seen:
            if record.get("format") != FORMAT:
                raise ValidationError(f"{where}: not a Readout JSONL dump (no '{FORMAT}' header).", code="bad_header")
            if record.get("version") != VERSION:
                raise ValidationError(
                    f"{where}: dump version {record.get('version')} is not {VERSION}.", code="bad_version"
                )
            _refuse_non_empty(models_)
            header_seen = True
            continue
        label = MOVED_LABELS.get(record.get("model"), record.get("model"))
        if label == USER_LABEL:
            loader.user(record["fields"])
        elif label in loader.models:
            loader.row(loader.models[label], record, where)
        else:
            raise ValidationError(f"{where}: unknown model '{label}'.", code="unknown_model")
        if progress:
            progress(1)
    if not header_seen:
        raise ValidationError("The file is empty: no Readout JSONL header.", code="bad_header")
    loader.flush()
    _refuse_dangling(models_)
    reset = list(models_) + [f.remote_field.through for m in models_ for f in m2m_fields(m)]
    statements = connection.ops.sequence_reset_sql(no_style(), reset)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return loader.counts
