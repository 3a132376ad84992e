"""Inserting many plain rows at database speed (the pre-annotated import): COPY on PostgreSQL, bulk_create elsewhere.

``rows_insert(model, rows, ids=...)`` takes rows as dicts of column attnames (``article_id``, not ``article``);
fields a row leaves out get their default once (``auto_now``/``auto_now_add`` fields: now; nullable: NULL;
blank text: ""). No model instance is built on PostgreSQL: psycopg 3 writes the rows with ``COPY ... FROM STDIN``,
and ids, when the caller needs them, are taken from the table's sequence beforehand. The caller's service owns the
rows' rules; this only moves them. Runs inside the caller's transaction.
"""

from __future__ import annotations

from django.db import connection, models
from django.utils import timezone


def _defaults(model, now) -> dict:
    out = {}
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            out[f.attname] = now
        elif f.has_default():
            out[f.attname] = f.get_default()
        elif f.null:
            out[f.attname] = None
        elif f.blank and isinstance(f, (models.CharField, models.TextField)):
            out[f.attname] = ""
    return out


def _reserve_ids(model, n: int) -> list[int]:
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, n])
        return [row[0] for row in cursor.fetchall()]


def rows_insert(model, rows: list[dict], *, ids: bool = False) -> list[int]:
    """Insert ``rows`` into ``model``'s table; returns their ids when ``ids`` (in row order), else []."""
    if not rows:
        return []
    meta = model._meta
    defaults = _defaults(model, timezone.now())
    if connection.vendor != "postgresql":
        objs = model.objects.bulk_create([model(**{**defaults, **row}) for row in rows], batch_size=500)
        return [o.pk for o in objs] if ids else []
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    new_ids = _reserve_ids(model, len(rows)) if ids else []
    columns = ([meta.pk.column] if ids else []) + [f.column for f in fields]
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN") as copy:
            for k, row in enumerate(rows):
                values = [row[f.attname] if f.attname in row else defaults[f.attname] for f in fields]
                if json_fields:
                    values = [
                        f.get_db_prep_save(v, connection) if f.attname in json_fields else v
                        for f, v in zip(fields, values)
                    ]
                copy.write_row([new_ids[k], *values] if ids else values)
    return new_ids
