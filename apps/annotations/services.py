"""Writes for spans, entity suggestions and themes. Every change is kept in history (django-simple-history).

Spans use optimistic concurrency: an edit names the ``version`` it started from, and the write is a conditional
UPDATE ... WHERE version = n; when another tab or user saved first, the edit is refused with a clear message
(apps.core.versions.VersionConflict) instead of overwriting their work.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.core.bulk import history_rows_insert, rows_insert, tuples_insert
from apps.core.offsets import span_offsets
from apps.core.versions import VersionConflict, version_claim
from apps.corpus.models import Article
from apps.quotes.selectors import decisions_blind

from .models import Annotation, EntityDecision, EntityMention, Theme, ThemeExample
from .selectors import can_edit_annotation

MAX_NOTE_CHARS = 5000


def clean_theme_ids(theme_ids: Iterable, *, allowed_inactive: Iterable[int] = ()) -> list[int]:
    """Theme ids that exist and are active (or already on the span), in order, without repeats."""
    try:
        ids = list(dict.fromkeys(int(t) for t in theme_ids if str(t).strip() != ""))
    except (TypeError, ValueError):
        raise ValidationError("Themes must be given by their numeric id.", code="theme_not_int") from None
    if not ids:
        return []
    keep = set(allowed_inactive)
    found = dict(Theme.objects.filter(pk__in=ids).order_by().values_list("id", "active"))  # no ORDER BY: a lookup
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise ValidationError(f"Unknown theme id(s): {', '.join(map(str, unknown))}.", code="theme_unknown")
    inactive = [i for i in ids if not found[i] and i not in keep]
    if inactive:
        raise ValidationError("A deactivated theme cannot be given to a span.", code="theme_inactive")
    return ids


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    note = note.replace("\r\n", "\n").strip()
    if len(note) > MAX_NOTE_CHARS:
        raise ValidationError(f"A note is at most {MAX_NOTE_CHARS} characters.", code="note_too_long")
    return note


@transaction.atomic
def annotation_create(
    *, article: Article, annotator, start, end, theme_ids: Iterable = (), note: str = ""
) -> tuple[Annotation, bool]:
    """Create the span [start, end) of ``article`` for ``annotator`` with the given themes.

    Offsets are code points into article.text and the stored ``text`` is the exact slice. Selecting the same
    range again adds the themes to the annotator's existing span (one live span per range and annotator).
    Returns (span, created).
    """
    start, end = span_offsets(text=article.text, start=start, end=end)
    span_text = article.text[start:end]
    ids = clean_theme_ids(theme_ids)
    note = _clean_note(note) or ""
    # insert first (the common case costs no lookup); the unique live-span constraint tells when it exists
    span = Annotation(article=article, annotator=annotator, start=start, end=end, text=span_text, note=note)
    span.skip_history_when_saving = True  # one history row below, with the themes, instead of one per step
    try:
        with transaction.atomic():
            span.save()
    except IntegrityError:
        existing = (
            Annotation.objects.select_for_update()
            .filter(article=article, annotator=annotator, start=start, end=end, deleted_at__isnull=True)
            .first()
        )
        if existing is None:
            raise ValidationError("You already have a span on exactly this text.", code="duplicate") from None
        have = set(existing.themes.values_list("id", flat=True))
        new = [i for i in ids if i not in have]
        if new:
            existing.themes.add(*new)
            existing.version += 1
            existing._change_reason = "themes added in the workspace"
            existing.save(update_fields=["version", "updated_at"])
        return existing, False
    del span.skip_history_when_saving
    _themes_bulk_add([span], {span.pk: ids}, annotator, "created in the workspace")
    return span, True


def _claim_version(annotation: Annotation, version) -> int:
    return version_claim(
        Annotation.objects.filter(deleted_at__isnull=True), pk=annotation.pk, version=version, what="span"
    )


@transaction.atomic
def annotation_update(
    *, annotation: Annotation, actor, version, theme_ids: Iterable | None = None, note: str | None = None
) -> Annotation:
    """Set the themes and/or note of a span if nobody saved it since ``version``; the version goes up by one."""
    if not can_edit_annotation(actor, annotation):
        raise PermissionDenied("You can only edit your own spans.")
    current_ids = list(annotation.themes.values_list("id", flat=True))
    ids = clean_theme_ids(theme_ids, allowed_inactive=current_ids) if theme_ids is not None else None
    note = _clean_note(note)
    new_version = _claim_version(annotation, version)
    annotation.version = new_version
    fields = ["version", "updated_at"]
    if note is not None:
        annotation.note = note
        fields.append("note")
    if ids is not None and set(ids) != set(current_ids):
        # the through rows directly (the current ids are known): one history row below holds note and themes
        Through = Annotation.themes.through
        gone = set(current_ids) - set(ids)
        if gone:
            Through.objects.filter(annotation_id=annotation.pk, theme_id__in=gone).delete()
        Through.objects.bulk_create(
            [Through(annotation_id=annotation.pk, theme_id=t) for t in ids if t not in set(current_ids)]
        )
    annotation._change_reason = "edited in the workspace"
    annotation.save(update_fields=fields)
    return annotation


@transaction.atomic
def annotation_delete(*, annotation: Annotation, actor, version) -> Annotation:
    """Soft delete: the span disappears from every view but keeps who deleted it and when (and can be restored)."""
    if not can_edit_annotation(actor, annotation):
        raise PermissionDenied("You can only delete your own spans.")
    annotation.version = _claim_version(annotation, version)
    annotation.deleted_at = timezone.now()
    annotation.deleted_by = actor
    annotation._change_reason = "deleted in the workspace"
    annotation.save(update_fields=["version", "deleted_at", "deleted_by", "updated_at"])
    return annotation


@transaction.atomic
def annotation_restore(*, annotation: Annotation, actor) -> Annotation:
    """Undo a delete, unless the annotator has since made another span on exactly the same text."""
    if not can_edit_annotation(actor, annotation):
        raise PermissionDenied("You can only restore your own spans.")
    if annotation.deleted_at is None:
        return annotation
    clash = Annotation.objects.filter(
        article_id=annotation.article_id,
        annotator_id=annotation.annotator_id,
        start=annotation.start,
        end=annotation.end,
        deleted_at__isnull=True,
    ).exists()
    if clash:
        raise ValidationError(
            "You already have a new span on this text; the deleted one cannot come back.", code="duplicate"
        )
    annotation.deleted_at = None
    annotation.deleted_by = None
    annotation.version += 1
    annotation._change_reason = "restored (undo delete)"
    annotation.save(update_fields=["version", "deleted_at", "deleted_by", "updated_at"])
    return annotation


BULK_SPAN_LIMIT = 2000  # spans per request


@transaction.atomic
def annotations_bulk_create(*, article: Article, annotator, spans: list[dict], reason: str = "saved in a batch"):
    """Create many spans of ``annotator`` on ``article`` at once: all of them or none.

    ``spans`` is a list of {"start", "end", "themes": [theme ids], "note"}. Offsets and themes are checked for
    every span before anything is written; a range the annotator already has gets the new themes added (as a
    single save does). New spans are written with a fixed number of queries whatever their number, each with one
    history row that already holds its themes. Returns (created spans, updated existing spans).
    """
    if not isinstance(spans, list) or not spans:
        raise ValidationError("Send at least one span.", code="no_spans")
    if len(spans) > BULK_SPAN_LIMIT:
        raise ValidationError(f"At most {BULK_SPAN_LIMIT} spans at once.", code="too_many")
    wanted: dict[tuple[int, int], dict] = {}
    all_ids: list = []
    for number, item in enumerate(spans, start=1):
        if not isinstance(item, dict):
            raise ValidationError(f"Span {number}: not an object.", code="bad_span")
        try:
            start, end = span_offsets(text=article.text, start=item.get("start"), end=item.get("end"))
            ids = [int(t) for t in item.get("themes") or [] if str(t).strip() != ""]
            note = _clean_note(str(item.get("note") or "")) or ""
        except (TypeError, ValueError):
            raise ValidationError(
                f"Span {number}: themes must be given by their numeric id.", code="theme_not_int"
            ) from None
        except ValidationError as err:
            raise ValidationError(f"Span {number}: {' '.join(err.messages)}", code=err.code) from None
        entry = wanted.setdefault((start, end), {"themes": [], "note": note})
        entry["themes"] += [i for i in ids if i not in entry["themes"]]
        all_ids += ids
    clean_theme_ids(all_ids)  # every theme exists and is active: one query for the whole batch
    existing = {
        (a.start, a.end): a
        for a in Annotation.objects.select_for_update().filter(
            article=article,
            annotator=annotator,
            deleted_at__isnull=True,
            start__in={k[0] for k in wanted},
            end__in={k[1] for k in wanted},
        )
        if (a.start, a.end) in wanted
    }
    updated = []
    for key, current in existing.items():
        have = set(current.themes.values_list("id", flat=True))
        new = [i for i in wanted[key]["themes"] if i not in have]
        if new:
            current.themes.add(*new)
            current.version += 1
            current._change_reason = reason
            current.save(update_fields=["version", "updated_at"])
            updated.append(current)
    new = [(key, entry) for key, entry in sorted(wanted.items()) if key not in existing]
    if not new:
        return [], updated
    if _one_statement_insert():
        return _spans_insert_with_history(article, annotator, new, reason), updated
    rows = [
        Annotation(
            article=article, annotator=annotator, start=start, end=end, text=article.text[start:end], note=entry["note"]
        )
        for (start, end), entry in new
    ]
    try:
        with transaction.atomic():
            created = Annotation.objects.bulk_create(rows)
    except IntegrityError:
        raise ValidationError(
            "Another save added some of these spans meanwhile; reload and try again.", code="duplicate"
        ) from None
    if any(a.pk is None for a in created):  # a backend that cannot return ids from a bulk insert
        by_key = {
            (a.start, a.end): a
            for a in Annotation.objects.filter(article=article, annotator=annotator, deleted_at__isnull=True)
        }
        created = [by_key[(a.start, a.end)] for a in created]
    _themes_bulk_add(created, {a.pk: wanted[(a.start, a.end)]["themes"] for a in created}, annotator, reason)
    return created, updated


def _columns(model, names: list[str]) -> str:
    return ", ".join(connection.ops.quote_name(model._meta.get_field(n).column) for n in names)


def _one_statement_insert() -> bool:
    """Whether new spans and their history are written by ``_spans_insert_with_history`` (PostgreSQL)."""
    return connection.vendor == "postgresql"


# the span fields a history row copies, in one order for the span INSERT's RETURNING and the history INSERT
_SPAN_FIELDS = [f.attname for f in Annotation._meta.concrete_fields]


@functools.cache
def _spans_insert_sql() -> str:
    """The statement of ``_spans_insert_with_history`` (PostgreSQL), built once from the models' tables."""
    Through = Annotation.themes.through
    History = Annotation.history.model
    M2MHistory = History._meta.get_field("historicalannotation_themes").related_model
    q = connection.ops.quote_name
    span_table, through_table, history_table, m2m_table = (
        q(m._meta.db_table) for m in (Annotation, Through, History, M2MHistory)
    )
    fields = _columns(Annotation, _SPAN_FIELDS)
    insert_fields = _columns(
        Annotation,
        ["article", "annotator", "start", "end", "text", "note", "status", "version", "created_at", "updated_at"],
    )
    start, end, pk = _columns(Annotation, ["start"]), _columns(Annotation, ["end"]), _columns(Annotation, ["id"])
    link_fields = _columns(Through, ["annotation", "theme"])
    link_returned = _columns(Through, ["id", "annotation", "theme"])
    history_fields = _columns(History, [*_SPAN_FIELDS, "history_date", "history_change_reason", "history_type"])
    history_fields += ", " + _columns(History, ["history_user"])
    history_id, history_span = _columns(History, ["history_id"]), _columns(History, ["id"])
    m2m_fields = _columns(M2MHistory, ["id", "annotation", "theme", "history"])
    link_span = _columns(Through, ["annotation"])
    return f"""
        WITH src AS (
            SELECT * FROM unnest(%s::integer[], %s::integer[], %s::text[], %s::text[]) AS s(s_start, s_end, s_text, s_note)
        ), ins AS (
            INSERT INTO {span_table} ({insert_fields})
            SELECT %s, %s, s_start, s_end, s_text, s_note, %s, %s, %s, %s FROM src ORDER BY s_start, s_end
            RETURNING {fields}
        ), link_src AS (
            SELECT * FROM unnest(%s::integer[], %s::integer[], %s::bigint[]) WITH ORDINALITY AS l(l_start, l_end, l_theme, k)
        ), links AS (
            INSERT INTO {through_table} ({link_fields})
            SELECT ins.{pk}, l_theme FROM link_src JOIN ins ON ins.{start} = l_start AND ins.{end} = l_end ORDER BY k
            RETURNING {link_returned}
        ), hist AS (
            INSERT INTO {history_table} ({history_fields})
            SELECT {fields}, %s, %s, '+', %s FROM ins ORDER BY ins.{start}, ins.{end}
            RETURNING {history_id}, {history_span}
        ), m2m AS (
            INSERT INTO {m2m_table} ({m2m_fields})
            SELECT links.*, hist.{history_id} FROM links JOIN hist ON hist.{history_span} = links.{link_span}
        )
        SELECT {fields} FROM ins ORDER BY {start}, {end}
    """


def _spans_insert_with_history(article: Article, annotator, new: list[tuple[tuple[int, int], dict]], reason: str):
    """PostgreSQL: the new spans, their theme links, one history row each and its theme rows in ONE statement
    (data-modifying CTEs over arrays): the same rows as bulk_create + _themes_bulk_add write, in one round trip
    instead of four (and no model instance per row on the way in). ``new`` is [((start, end), {"themes", "note"})]
    in (start, end) order; returns the spans in that order."""
    now = timezone.now()
    starts = [key[0] for key, _ in new]
    ends = [key[1] for key, _ in new]
    links = [(start, end, theme_id) for (start, end), entry in new for theme_id in entry["themes"]]
    params = [
        starts,
        ends,
        [article.text[start:end] for start, end in zip(starts, ends)],
        [entry["note"] for _, entry in new],
        article.pk,
        annotator.pk,
        Annotation.Status.PENDING.value,
        Annotation._meta.get_field("version").get_default(),
        now,
        now,
        [link[0] for link in links],
        [link[1] for link in links],
        [link[2] for link in links],
        now,
        reason,
        annotator.pk,
    ]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_spans_insert_sql(), params)
            rows = cursor.fetchall()
    except IntegrityError:
        raise ValidationError(
            "Another save added some of these spans meanwhile; reload and try again.", code="duplicate"
        ) from None
    return [Annotation.from_db(connection.alias, _SPAN_FIELDS, row) for row in rows]


def _themes_bulk_add(spans: list[Annotation], themes: dict[int, list[int]], user, reason: str) -> None:
    """Give new spans their themes and one history row each that holds them (django-simple-history's shape)."""
    Through = Annotation.themes.through
    links = Through.objects.bulk_create(
        [Through(annotation_id=span.pk, theme_id=t) for span in spans for t in themes.get(span.pk, [])]
    )
    if any(link.pk is None for link in links):
        links = list(Through.objects.filter(annotation_id__in=[span.pk for span in spans]))
    History = Annotation.history.model
    now = timezone.now()
    fields = [f.attname for f in Annotation._meta.concrete_fields]
    records = History.objects.bulk_create(
        [
            History(
                **{f: getattr(span, f) for f in fields},
                history_date=now,
                history_type="+",
                history_user=user,
                history_change_reason=reason,
            )
            for span in spans
        ]
    )
    if any(r.pk is None for r in records):
        records = list(History.objects.filter(id__in=[s.pk for s in spans], history_date=now))
    by_span = {r.id: r for r in records}
    M2MHistory = History._meta.get_field("historicalannotation_themes").related_model
    M2MHistory.objects.bulk_create(
        [
            M2MHistory(
                id=link.pk,
                history=by_span[link.annotation_id],
                annotation_id=link.annotation_id,
                theme_id=link.theme_id,
            )
            for link in links
        ]
    )


# --- reviewers' decisions (the review app records the decision; the spans change here) -------------------------


def annotation_for_review(*, annotation_id: int, reviewer) -> Annotation:
    """The live span, locked for a reviewer's decision; a reviewer never decides on their own span."""
    annotation = Annotation.objects.select_for_update().select_related("article").filter(pk=annotation_id).first()
    if annotation is None or annotation.deleted_at is not None:
        raise ValidationError("This span no longer exists.", code="deleted")
    if annotation.annotator_id == reviewer.pk:
        raise ValidationError("You cannot review your own span.", code="own_span")
    return annotation


@transaction.atomic
def annotation_review_status_set(*, annotation: Annotation, reviewer, status: str, version, reason: str) -> Annotation:
    """Set a span's review status if nobody changed it since ``version``; offsets, text, themes and note stay."""
    annotation.version = _claim_version(annotation, version)
    annotation.status = status
    annotation._history_user = reviewer
    annotation._change_reason = reason
    annotation.save(update_fields=["status", "version", "updated_at"])
    return annotation


@transaction.atomic
def annotation_replacements_supersede(*, annotation: Annotation, reviewer) -> int:
    """Soft-delete the replacements that earlier review edits made of ``annotation``; returns how many."""
    now = timezone.now()
    superseded = 0
    for old in Annotation.objects.filter(replaces__annotation=annotation, deleted_at__isnull=True).distinct():
        old.deleted_at, old.deleted_by = now, reviewer
        old._history_user = reviewer
        old._change_reason = f"Superseded by a new review decision on span #{annotation.pk}"
        old.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        superseded += 1
    return superseded


@transaction.atomic
def annotation_replacement_create(*, annotation: Annotation, reviewer, start, end, theme_ids) -> Annotation:
    """The reviewer's own accepted version of an analyst's span (new offsets and/or themes)."""
    text = annotation.article.text
    start, end = span_offsets(text=text, start=start, end=end)
    ids = clean_theme_ids(theme_ids or [], allowed_inactive=annotation.themes.values_list("id", flat=True))
    if (start, end) == (annotation.start, annotation.end) and set(ids) == set(
        annotation.themes.values_list("id", flat=True)
    ):
        raise ValidationError("Nothing changed: accept the span instead.", code="unchanged")
    if Annotation.objects.filter(
        article=annotation.article, annotator=reviewer, start=start, end=end, deleted_at__isnull=True
    ).exists():
        raise ValidationError("You already have a span with these offsets on this article.", code="duplicate")
    replacement = Annotation(
        article=annotation.article,
        annotator=reviewer,
        start=start,
        end=end,
        text=text[start:end],
        status=Annotation.Status.ACCEPTED,
        note=f"Reviewer's edit of span #{annotation.pk}",
    )
    replacement._history_user = reviewer
    replacement._change_reason = f"Review edit of span #{annotation.pk}"
    replacement.save()
    replacement.themes.set(ids)
    return replacement


# --- entity suggestions -------------------------------------------------------------------------------------------

DECISIONS = {EntityMention.Status.ACCEPTED, EntityMention.Status.REJECTED, EntityMention.Status.SUGGESTED}


def _clean_decision(status: str) -> str:
    if status not in DECISIONS:
        raise ValidationError("A decision is accepted, rejected or suggested.", code="bad_decision")
    return status


def _decisions_record(*, mentions: list[EntityMention], actor, status: str) -> None:
    """Keep ``actor``'s decision on each mention (one row per mention and analyst, every change in history)."""
    now = timezone.now()
    existing = {
        d.mention_id: d
        for d in EntityDecision.objects.select_for_update().filter(mention__in=mentions, analyst_id=actor.pk)
    }
    changed = []
    for d in existing.values():
        d.status, d.decided_at = status, now
        changed.append(d)
    new = [
        EntityDecision(mention=m, analyst=actor, status=status, decided_at=now)
        for m in mentions
        if m.pk not in existing
    ]
    if changed:
        bulk_update_with_history(changed, EntityDecision, ["status", "decided_at"], default_user=actor)
    if new:
        try:
            with transaction.atomic():
                bulk_create_with_history(new, EntityDecision, default_user=actor)
        except IntegrityError:  # the same analyst in two tabs at once: the other tab's decision stands
            raise VersionConflict(
                "This suggestion was decided in another tab a moment ago; reload to see it."
            ) from None


@transaction.atomic
def entity_decide(*, mention: EntityMention, actor, status: str) -> EntityMention:
    """Accept or reject one suggestion (or put it back to suggested).

    Under blind double annotation (apps.quotes.selectors.decisions_blind) the decision is the analyst's own:
    spaCy's row stays as it was and another analyst's decision is never overwritten; otherwise the shared row
    changes. Either way the analyst's decision is kept, with its history."""
    status = _clean_decision(status)
    _decisions_record(mentions=[mention], actor=actor, status=status)
    if decisions_blind(user=actor, article_id=mention.article_id):
        mention.status = status  # as this analyst now sees it (not saved)
        return mention
    mention.status = status
    mention.decided_by = actor if status != EntityMention.Status.SUGGESTED else None
    mention.decided_at = timezone.now() if status != EntityMention.Status.SUGGESTED else None
    mention.save(update_fields=["status", "decided_by", "decided_at"])
    return mention


@transaction.atomic
def entity_decide_label(*, article: Article, label: str, actor, status: str, text: str | None = None) -> int:
    """Accept or reject every still-suggested mention of ``label`` in the article, or with ``text`` only those of
    that surface form (every "China" tagged GPE, not "China" tagged ORG nor "Chinese"); returns how many changed.
    "Still suggested" is as the actor sees it (their own decisions under blind double annotation)."""
    status = _clean_decision(status)
    if status == EntityMention.Status.SUGGESTED:
        raise ValidationError(
            f"Only accept or reject work on a whole {'label' if text is None else 'group'}.", code="bad_decision"
        )
    blind = decisions_blind(user=actor, article_id=article.pk)
    mentions = EntityMention.objects.filter(article=article, label=label)
    if text is not None:
        mentions = mentions.filter(text=text)
    if blind:
        own = EntityDecision.objects.filter(mention=OuterRef("pk"), analyst_id=actor.pk).values("status")[:1]
        mentions = mentions.annotate(seen=Coalesce(Subquery(own), F("status"))).filter(
            seen=EntityMention.Status.SUGGESTED
        )
    else:
        mentions = mentions.filter(status=EntityMention.Status.SUGGESTED)
    chosen = list(mentions.select_for_update(of=("self",)) if not blind else mentions)
    _decisions_record(mentions=chosen, actor=actor, status=status)
    if blind:
        return len(chosen)
    return EntityMention.objects.filter(pk__in=[m.pk for m in chosen]).update(
        status=status, decided_by=actor, decided_at=timezone.now()
    )


# --- themes -------------------------------------------------------------------------------------------------------


def _unique_slug(name: str, exclude_pk=None) -> str:
    base = slugify(name)[:110] or "theme"
    slug, n = base, 2
    while Theme.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def theme_save(*, theme: Theme, actor) -> Theme:
    """Create or update a theme (from a validated ThemeForm instance); new themes go to the end of the order."""
    if not theme.slug or theme.pk is None:
        theme.slug = _unique_slug(theme.name, exclude_pk=theme.pk)
    if theme.pk is None:
        theme.order = (Theme.objects.aggregate(m=Max("order"))["m"] or 0) + 1
    theme._change_reason = f"saved by {actor}"
    theme._history_user = actor
    theme.full_clean()
    theme.save()
    return theme


@transaction.atomic
def theme_move(*, theme: Theme, direction: str) -> None:
    """Swap a theme with its neighbour above ("up") or below ("down"); renumbers so orders stay distinct."""
    if direction not in {"up", "down"}:
        raise ValidationError("Move a theme up or down.", code="bad_direction")
    themes = list(Theme.objects.select_for_update().order_by("order", "name"))
    i = next(k for k, t in enumerate(themes) if t.pk == theme.pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(themes):
        themes[i], themes[j] = themes[j], themes[i]
    for order, t in enumerate(themes, start=1):
        if t.order != order:
            t.order = order
            t.save(update_fields=["order"])


@transaction.atomic
def theme_set_active(*, theme: Theme, active: bool, actor) -> Theme:
    """Deactivate (hidden from pickers; spans keep it) or reactivate a theme. A reactivated theme whose shortcut
    another active theme took meanwhile comes back without a shortcut."""
    if (
        active
        and theme.shortcut
        and Theme.objects.filter(active=True, shortcut=theme.shortcut).exclude(pk=theme.pk).exists()
    ):
        theme.shortcut = ""
    theme.active = active
    theme._change_reason = f"{'activated' if active else 'deactivated'} by {actor}"
    theme.save(update_fields=["active", "shortcut"])
    return theme


@transaction.atomic
def themes_seed(*, records: Iterable[dict]) -> int:
    """Create the themes of ``records`` (fixture fields) whose slug does not exist yet; never changes an existing
    theme, and gives up a shortcut another theme already has. Returns how many were created."""
    created = 0
    for fields in records:
        if Theme.objects.filter(slug=fields["slug"]).exists():
            continue
        theme = Theme(**{k: v for k, v in fields.items() if k != "parent"})
        if theme.shortcut and Theme.objects.filter(active=True, shortcut=theme.shortcut).exists():
            theme.shortcut = ""
        theme._change_reason = "seed theme"
        theme.save()
        created += 1
    return created


# --- pre-annotated import (apps.ingest.preannotated) ----------------------------------------------------------


def theme_label_key(label: str) -> str:
    """How an imported label meets a theme's name or slug: case, ``_``, ``-`` and spaces do not matter."""
    return " ".join(str(label).replace("_", " ").replace("-", " ").casefold().split())


def _label_as_name(label: str) -> str:
    """ "UN_AUTHORITY" -> "UN authority": short words of an upper-case label stay acronyms, the rest is lower case."""
    words = str(label).replace("_", " ").split()
    if str(label).isupper():
        words = [w if len(w) <= 4 else w.lower() for w in words]
    name = " ".join(words)
    return (name[:1].upper() + name[1:])[:120]


@transaction.atomic
def themes_for_labels(*, labels: Iterable[str]) -> dict[str, Theme]:
    """The theme of each label, matched by name or slug (``theme_label_key``); a label no theme matches becomes a
    new active theme named after it ("WWII_MEMORY" matches "WWII memory"; "UN_AUTHORITY" creates "UN authority")."""
    wanted = {label: theme_label_key(label) for label in labels if theme_label_key(label)}
    if not wanted:
        return {}
    by_key: dict[str, Theme] = {}
    for theme in Theme.objects.all():
        by_key.setdefault(theme_label_key(theme.name), theme)
        by_key.setdefault(theme_label_key(theme.slug), theme)
    out = {}
    for label, key in wanted.items():
        theme = by_key.get(key)
        if theme is None:
            name = _label_as_name(label)
            theme = Theme(name=name, slug=_unique_slug(name))
            theme.order = (Theme.objects.aggregate(m=Max("order"))["m"] or 0) + 1
            theme._change_reason = "created by a pre-annotated import"
            theme.save()
            by_key[key] = theme
        out[label] = theme
    return out


def _articles_present(pks: list) -> None:
    """Raise IntegrityError unless every article of ``pks`` exists, and keep them from being deleted until the
    transaction ends (``FOR KEY SHARE``, the lock a foreign key check takes): one statement for many mentions."""
    if not pks:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Article._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {table} WHERE id = ANY(%s) FOR KEY SHARE", [list(pks)])
            found = [row[0] for row in cursor.fetchall()]
    else:
        found = list(Article.objects.filter(pk__in=pks).values_list("pk", flat=True))
    missing = set(pks) - set(found)
    if missing:
        raise IntegrityError(f"entity mentions of articles that do not exist: {sorted(missing)[:10]}")


def entity_mentions_import_bulk(*, items: Iterable[tuple[Article, Iterable]]) -> int:
    """Entity mentions of many new articles at once (COPY on PostgreSQL): ``items`` pairs an article with
    ``nlp.types.EntitySpan``s (spaCy's or a pre-annotated record's); repeats of (start, end, label) are stored once
    and offsets outside the text are dropped. Returns how many were stored.

    The articles must exist (IntegrityError otherwise): checked here once per call, in place of a foreign key
    checked per row (``EntityMention.article`` has none in the database)."""
    rows = []
    items = list(items)
    _articles_present([article.pk for article, _ in items])
    for article, entities in items:
        pk, size, seen = article.pk, len(article.text), set()
        for e in entities:
            start, end, label = e.start, e.end, e.label[:40]
            if 0 <= start < end <= size and (key := (start, end, label)) not in seen:
                seen.add(key)
                rows.append((pk, label, start, end, e.text[:500]))
    tuples_insert(EntityMention, ("article_id", "label", "start", "end", "text"), rows)
    return len(rows)


@transaction.atomic
def annotations_import_bulk(*, spans: list[dict], reason: str = "imported with the article") -> int:
    """Spans of new articles (a pre-annotated import) with their themes and one history row each (holding the
    themes, as a workspace save writes it), in a fixed number of statements (COPY on PostgreSQL). Each dict:
    article, annotator, start, end, theme_ids, note. Offsets must have passed ``span_offsets`` (the importer checks
    them as it reads); the stored text is the exact slice, and a range given twice for one annotator is stored once
    with the union of its themes. Returns how many spans were created."""
    merged: dict[tuple, dict] = {}
    for s in spans:
        article, start, end = s["article"], s["start"], s["end"]
        if not 0 <= start < end <= len(article.text):
            raise ValidationError(f"A span must satisfy 0 <= start < end <= {len(article.text)}.", code="bad_offsets")
        entry = merged.setdefault((article.pk, s["annotator"].pk, start, end), {**s, "theme_ids": []})
        entry["theme_ids"] += [t for t in s.get("theme_ids", ()) if t not in entry["theme_ids"]]
    if not merged:
        return 0
    now = timezone.now()
    rows = [
        {
            "article_id": s["article"].pk,
            "annotator_id": s["annotator"].pk,
            "start": s["start"],
            "end": s["end"],
            "text": s["article"].text[s["start"] : s["end"]],
            "note": s.get("note") or "",
            "created_at": now,
            "updated_at": now,
        }
        for s in merged.values()
    ]
    ids = rows_insert(Annotation, rows, ids=True)
    Through = Annotation.themes.through
    pairs = [(pk, t) for pk, s in zip(ids, merged.values()) for t in s["theme_ids"]]
    link_ids = rows_insert(Through, [{"annotation_id": pk, "theme_id": t} for pk, t in pairs], ids=True)
    history_ids = history_rows_insert(
        Annotation, rows, ids, now=now, reason=reason, user_field="annotator_id", history_ids=True
    )
    history_of = dict(zip(ids, history_ids))
    M2MHistory = Annotation.history.model._meta.get_field("historicalannotation_themes").related_model
    rows_insert(
        M2MHistory,
        [
            {"id": link, "history_id": history_of[pk], "annotation_id": pk, "theme_id": t}
            for link, (pk, t) in zip(link_ids, pairs)
        ],
    )
    return len(ids)


# --- the codebook: example passages ---------------------------------------------------------------------------------


@transaction.atomic
def theme_example_pin(*, theme: Theme, annotation: Annotation, actor) -> ThemeExample:
    """Pin an accepted, live span coded with ``theme`` as an example passage of the theme's codebook entry.

    Pinning the same span twice keeps one example. Recorded in the example's history (who, when)."""
    if annotation.deleted_at is not None or annotation.status != Annotation.Status.ACCEPTED:
        raise ValidationError("Only accepted spans can be pinned as examples.", code="not_accepted")
    if not annotation.themes.filter(pk=theme.pk).exists():
        raise ValidationError(f"This span is not coded “{theme.name}”.", code="theme_missing")
    example = ThemeExample.objects.filter(theme=theme, annotation=annotation).first()
    if example is not None:
        return example
    example = ThemeExample(theme=theme, annotation=annotation, text=annotation.text, pinned_by=actor)
    example._history_user = actor
    example._change_reason = "pinned"
    example.save()
    return example


@transaction.atomic
def theme_example_unpin(*, example: ThemeExample, actor) -> None:
    """Take an example passage off the codebook; the history keeps who unpinned it and when."""
    example._history_user = actor
    example._change_reason = "unpinned"
    example.delete()
