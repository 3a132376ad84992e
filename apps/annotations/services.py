"""Writes for spans, entity suggestions and themes. Every change is kept in history (django-simple-history).

Spans use optimistic concurrency: an edit names the ``version`` it started from, and the write is a conditional
UPDATE ... WHERE version = n; when another tab or user saved first, the edit is refused with a clear message
(AnnotationConflict) instead of overwriting their work.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from apps.corpus.models import Article

from .models import Annotation, EntityMention, Theme
from .selectors import can_edit_annotation

MAX_NOTE_CHARS = 5000


class AnnotationConflict(Exception):
    """Somebody saved the span after this edit began; ``current`` is the span as it is now (None if deleted)."""

    def __init__(self, message: str, current: Annotation | None):
        super().__init__(message)
        self.message = message
        self.current = current


def parse_offsets(*, start, end, text_length: int) -> tuple[int, int]:
    """Whole numbers with 0 <= start < end <= len(text), or a ValidationError saying what is wrong."""
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise ValidationError("Offsets must be whole numbers.", code="offsets_not_int") from None
    if not 0 <= start < end <= text_length:
        raise ValidationError(
            f"A span must satisfy 0 <= start < end <= {text_length}; got [{start}, {end}).", code="offsets_range"
        )
    return start, end


def clean_theme_ids(theme_ids: Iterable, *, allowed_inactive: Iterable[int] = ()) -> list[int]:
    """Theme ids that exist and are active (or already on the span), in order, without repeats."""
    try:
        ids = list(dict.fromkeys(int(t) for t in theme_ids if str(t).strip() != ""))
    except (TypeError, ValueError):
        raise ValidationError("Themes must be given by their numeric id.", code="theme_not_int") from None
    if not ids:
        return []
    keep = set(allowed_inactive)
    found = {t.id: t.active for t in Theme.objects.filter(pk__in=ids).only("id", "active")}
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
    start, end = parse_offsets(start=start, end=end, text_length=len(article.text))
    span_text = article.text[start:end]
    if not span_text.strip():
        raise ValidationError("A span cannot be only whitespace.", code="offsets_blank")
    ids = clean_theme_ids(theme_ids)
    note = _clean_note(note) or ""
    existing = (
        Annotation.objects.select_for_update()
        .filter(article=article, annotator=annotator, start=start, end=end, deleted_at__isnull=True)
        .first()
    )
    if existing is not None:
        have = set(existing.themes.values_list("id", flat=True))
        new = [i for i in ids if i not in have]
        if new:
            existing.themes.add(*new)
            existing.version += 1
            existing._change_reason = "themes added in the workspace"
            existing.save(update_fields=["version", "updated_at"])
        return existing, False
    span = Annotation(article=article, annotator=annotator, start=start, end=end, text=span_text, note=note)
    span._change_reason = "created in the workspace"
    try:
        with transaction.atomic():
            span.save()
    except IntegrityError:
        raise ValidationError("You already have a span on exactly this text.", code="duplicate") from None
    if ids:
        span.themes.add(*ids)
    return span, True


def _claim_version(annotation: Annotation, version) -> int:
    """Bump the version if it is still ``version``; else raise AnnotationConflict with the current state."""
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ValidationError("The edit does not say which version of the span it started from.", code="no_version")
    claimed = Annotation.objects.filter(pk=annotation.pk, version=version, deleted_at__isnull=True).update(
        version=version + 1
    )
    if not claimed:
        current = Annotation.objects.filter(pk=annotation.pk).first()
        if current is None or current.deleted_at is not None:
            raise AnnotationConflict("This span was deleted in the meantime (in another tab?).", None)
        raise AnnotationConflict(
            "This span was changed elsewhere (another tab or user) since you opened it; your change was not saved. "
            "Here is the current version.",
            current,
        )
    return version + 1


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
        annotation.themes.set(ids)
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
        article_id=annotation.article_id, annotator_id=annotation.annotator_id, start=annotation.start,
        end=annotation.end, deleted_at__isnull=True,
    ).exists()
    if clash:
        raise ValidationError("You already have a new span on this text; the deleted one cannot come back.",
                              code="duplicate")
    annotation.deleted_at = None
    annotation.deleted_by = None
    annotation.version += 1
    annotation._change_reason = "restored (undo delete)"
    annotation.save(update_fields=["version", "deleted_at", "deleted_by", "updated_at"])
    return annotation


# --- entity suggestions -------------------------------------------------------------------------------------------

DECISIONS = {EntityMention.Status.ACCEPTED, EntityMention.Status.REJECTED, EntityMention.Status.SUGGESTED}


def _clean_decision(status: str) -> str:
    if status not in DECISIONS:
        raise ValidationError("A decision is accepted, rejected or suggested.", code="bad_decision")
    return status


@transaction.atomic
def entity_decide(*, mention: EntityMention, actor, status: str) -> EntityMention:
    """Accept or reject one suggestion (or put it back to suggested)."""
    mention.status = _clean_decision(status)
    mention.decided_by = actor if status != EntityMention.Status.SUGGESTED else None
    mention.decided_at = timezone.now() if status != EntityMention.Status.SUGGESTED else None
    mention.save(update_fields=["status", "decided_by", "decided_at"])
    return mention


@transaction.atomic
def entity_decide_label(*, article: Article, label: str, actor, status: str) -> int:
    """Accept or reject every still-suggested mention of ``label`` in the article; returns how many changed."""
    status = _clean_decision(status)
    if status == EntityMention.Status.SUGGESTED:
        raise ValidationError("Only accept or reject work on a whole label.", code="bad_decision")
    return EntityMention.objects.filter(
        article=article, label=label, status=EntityMention.Status.SUGGESTED
    ).update(status=status, decided_by=actor, decided_at=timezone.now())


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
    if active and theme.shortcut and Theme.objects.filter(active=True, shortcut=theme.shortcut).exclude(
        pk=theme.pk
    ).exists():
        theme.shortcut = ""
    theme.active = active
    theme._change_reason = f"{'activated' if active else 'deactivated'} by {actor}"
    theme.save(update_fields=["active", "shortcut"])
    return theme


@transaction.atomic
def entity_decide_surface(*, article: Article, label: str, text: str, actor, status: str) -> int:
    """Accept or reject every still-suggested mention of one surface form with one label in the article (every
    "China" tagged GPE, not "China" tagged ORG nor "Chinese"); returns how many changed."""
    status = _clean_decision(status)
    if status == EntityMention.Status.SUGGESTED:
        raise ValidationError("Only accept or reject work on a whole group.", code="bad_decision")
    return EntityMention.objects.filter(
        article=article, label=label, text=text, status=EntityMention.Status.SUGGESTED
    ).update(status=status, decided_by=actor, decided_at=timezone.now())
