"""Inserting many plain rows at database speed (the pre-annotated import): COPY on PostgreSQL, bulk_create elsewhere.

``rows_insert(model, rows, ids=...)`` takes rows as dicts of column attnames (``article_id``, not ``article``);
fields a row leaves out get their default once (``auto_now``/``auto_now_add`` fields: now; nullable: NULL;
blank text: ""). No model instance is built on PostgreSQL: psycopg 3 writes the rows with ``COPY ... FROM STDIN``,
and ids, when the caller needs them, are taken from the table's sequence beforehand. The caller's service owns the
rows' rules; this only moves them. Runs inside the caller's transaction.
"""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from operator import itemgetter

from django.db import connection, models
from django.utils import timezone

_gc_pauses = 0
_gc_was_enabled = False
_gc_lock = threading.Lock()


@contextmanager
def gc_paused():
    """Python's cyclic garbage collector paused for a bulk job that allocates many objects living until it ends (an
    import's records, spans and rows): each collection would walk all of them again while none is garbage yet, and
    the import's threads would wait for it (0.1-0.3 CPU s per 1,000 pre-annotated articles, more under load).
    Reference counting still frees everything else. Nests, from any thread: collection resumes (if it was on) when
    the last pause ends."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


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
        # the sequence is looked up once (OFFSET 0 keeps the subquery from being folded into the select list): as an
        # argument of nextval, pg_get_serial_sequence ran its catalog lookup for every id, ten times nextval's cost
        cursor.execute(
            "SELECT nextval(s.seq) FROM (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq OFFSET 0) s, "
            "generate_series(1, %s)",
            [table, pk, n],
        )
        return [row[0] for row in cursor.fetchall()]


def rows_insert(model, rows: list[dict], *, ids: bool = False) -> list[int]:
    """Insert ``rows`` into ``model``'s table; returns their ids when ``ids`` (in row order), else []."""
    if not rows:
        return []
    meta = model._meta
    defaults = _defaults(model, timezone.now())
    if connection.vendor != "postgresql":
        objs = model.objects.bulk_create([model(**{**defaults, **row}) for row in rows], batch_size=500)
        _keep_given_dates(model, rows, objs)
        return [o.pk for o in objs] if ids else []
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    new_ids = _reserve_ids(model, len(rows)) if ids else []
    keys = rows[0].keys()
    if all(row.keys() == keys for row in rows):
        # the usual call: every row names the same fields, so a row's values are one C-level itemgetter call and the
        # fields no row names are one constant tuple, adapted once (COPY takes its columns in any order)
        given = [f for f in fields if f.attname in keys]
        absent = [f for f in fields if f.attname not in keys]
        constants = tuple(_db_value(f, defaults[f.attname]) for f in absent)
        json_given = [k for k, f in enumerate(given) if isinstance(f, models.JSONField)]
        getter = itemgetter(*[f.attname for f in given])
        single = len(given) == 1

        def values(row: dict) -> tuple:
            got = (getter(row),) if single else getter(row)
            if json_given:
                got = list(got)
                for k in json_given:
                    got[k] = _db_value(given[k], got[k])
                got = tuple(got)
            return got + constants

        columns = given + absent
    else:
        columns = fields

        def values(row: dict) -> tuple:
            return tuple(_db_value(f, row[f.attname] if f.attname in row else defaults[f.attname]) for f in fields)

    names = ", ".join(
        connection.ops.quote_name(c) for c in ([meta.pk.column] if ids else []) + [f.column for f in columns]
    )
    # psycopg's errors as Django's (a duplicate key is django.db.IntegrityError, as from an INSERT)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN") as copy:
            if ids:
                for pk, row in zip(new_ids, rows):
                    copy.write_row((pk, *values(row)))
            else:
                for row in rows:
                    copy.write_row(values(row))
    return new_ids


def tuples_insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """``rows_insert`` for rows given as tuples of ``columns`` (attnames, in that order) rather than dicts: no dict
    is built per row, which counts at the import's largest table (36 entity mentions per article). Fields that
    ``columns`` leave out get their defaults; the given values go to COPY as they are (no JSON columns)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        rows_insert(model, [dict(zip(columns, row)) for row in rows])
        return
    meta = model._meta
    defaults = _defaults(model, timezone.now())
    absent = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in columns]
    constants = tuple(_db_value(f, defaults[f.attname]) for f in absent)
    names = ", ".join(
        connection.ops.quote_name(c) for c in [meta.get_field(a).column for a in columns] + [f.column for f in absent]
    )
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.copy(f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN") as copy:
            write = copy.write_row
            for row in rows:
                write(row + constants)


def _keep_given_dates(model, rows: list[dict], objs: list) -> None:
    """``bulk_create`` stamps auto_now / auto_now_add fields with its own clock: put back the values the rows gave
    (COPY stores them as given), so that rows and the history written from them agree (one UPDATE per value)."""
    auto = [
        f.attname
        for f in model._meta.concrete_fields
        if (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)) and f.attname in rows[0]
    ]
    if not auto:
        return
    groups: dict[tuple, list] = {}
    for row, obj in zip(rows, objs):
        groups.setdefault(tuple(row[a] for a in auto), []).append(obj.pk)
    for values, pks in groups.items():
        model._base_manager.filter(pk__in=pks).update(**dict(zip(auto, values)))


def _db_value(field, value):
    """What COPY is given for ``value``: JSON is encoded by the field (as an INSERT would), the rest as it is."""
    return field.get_db_prep_save(value, connection) if isinstance(field, models.JSONField) else value


def history_rows_insert(
    model,
    rows: list[dict],
    ids: list[int],
    *,
    now,
    reason: str = "",
    user_field: str | None = None,
    history_ids: bool = False,
) -> list[int]:
    """The "created" history rows (django-simple-history's ``Historical<model>``) of rows just written with
    ``rows_insert(model, rows, ids=True)``: each the row as stored (model defaults for the fields it leaves out),
    stamped ``now`` and ``reason``, its user the row's ``user_field`` (none without), as ``bulk_create_with_history``
    writes them. Returns the history ids in row order when ``history_ids`` (for a caller that records many-to-many
    history too), else []."""
    defaults = {f.attname: f.get_default() for f in model._meta.concrete_fields if f.has_default()}
    return rows_insert(
        model.history.model,
        [
            {
                **defaults,
                **row,
                "id": pk,
                "history_date": now,
                "history_type": "+",
                "history_user_id": row[user_field] if user_field else None,
                "history_change_reason": reason,
            }
            for pk, row in zip(ids, rows)
        ],
        ids=history_ids,
    )
