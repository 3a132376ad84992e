"""Review: approval and return of submitted work, the comment thread, and reviewers' decisions on spans."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.annotations.models import Annotation, Theme
from apps.assignments.models import Assignment
from apps.assignments.services import assignment_transition

from .models import ArticleComment, ReviewDecision

S = Assignment.State


def assignment_approve(*, assignment: Assignment, actor, comment: str = "") -> Assignment:
    """Submitted work is approved; an optional comment also goes to the article's thread."""
    with transaction.atomic():
        assignment = assignment_transition(assignment=assignment, to_state=S.APPROVED, actor=actor, comment=comment)
        if comment.strip():
            article_comment_create(article_id=assignment.article_id, author=actor, body=comment, assignment=assignment)
    return assignment


def assignment_request_changes(*, assignment: Assignment, actor, comment: str) -> Assignment:
    """Send the work back to the analyst's queue with a comment (required: the analyst must know what to fix)."""
    if not comment.strip():
        raise ValidationError("Say what should change: the comment is required.", code="comment_required")
    with transaction.atomic():
        assignment = assignment_transition(
            assignment=assignment, to_state=S.CHANGES_REQUESTED, actor=actor, comment=comment.strip()
        )
        article_comment_create(article_id=assignment.article_id, author=actor, body=comment, assignment=assignment)
    return assignment


COMMENT_MAX = 5000


@transaction.atomic
def article_comment_create(*, article_id: int, author, body: str, assignment: Assignment | None = None):
    body = (body or "").strip()
    if not body:
        raise ValidationError("The comment is empty.", code="empty")
    if len(body) > COMMENT_MAX:
        raise ValidationError(f"Comments are limited to {COMMENT_MAX} characters.", code="too_long")
    return ArticleComment.objects.create(article_id=article_id, author=author, body=body, assignment=assignment)


# --- review decisions -------------------------------------------------------------------------------------------


def annotation_snapshot(annotation) -> dict:
    return {
        "start": annotation.start,
        "end": annotation.end,
        "text": annotation.text,
        "themes": sorted(annotation.themes.values_list("id", flat=True)),
        "status": annotation.status,
    }


@transaction.atomic
def review_decision_create(
    *,
    annotation_id: int,
    reviewer,
    decision: str,
    expected_version: int,
    comment: str = "",
    start: int | None = None,
    end: int | None = None,
    theme_ids=None,
):
    """Record a reviewer's accept / reject / edit of an analyst's span.

    Guarantees: the analyst's row keeps its offsets, text, themes and note (only ``status`` and ``version`` change,
    through the model so django-simple-history records it with the reviewer as the user); the decision stores
    before/after snapshots; an edit creates the reviewer's own accepted span (see ``ReviewDecision``) and a later
    decision on the same span soft-deletes the previous replacement. ``expected_version`` is the version the
    reviewer saw: a span changed since then is refused (optimistic concurrency).
    """
    D = ReviewDecision.Kind
    if decision not in D.values:
        raise ValidationError(f"Unknown decision “{decision}”.", code="bad_decision")
    annotation = Annotation.objects.select_for_update().select_related("article").filter(pk=annotation_id).first()
    if annotation is None or annotation.deleted_at is not None:
        raise ValidationError("This span no longer exists.", code="deleted")
    if annotation.version != expected_version:
        raise ValidationError(
            "This span changed since you opened the page; reload to see the current version.", code="stale"
        )
    if annotation.annotator_id == reviewer.pk:
        raise ValidationError("You cannot review your own span.", code="own_span")
    before = annotation_snapshot(annotation)
    after: dict = {}
    replacement = None
    now = timezone.now()
    # a new decision supersedes the replacement an earlier edit made
    for old in Annotation.objects.filter(replaces__annotation=annotation, deleted_at__isnull=True).distinct():
        old.deleted_at, old.deleted_by = now, reviewer
        old._history_user = reviewer
        old._change_reason = f"Superseded by a new review decision on span #{annotation.pk}"
        old.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    if decision == D.EDIT:
        text = annotation.article.text
        if start is None or end is None or not (0 <= start < end <= len(text)):
            raise ValidationError(
                f"Offsets must satisfy 0 ≤ start < end ≤ {len(text)}.", code="bad_offsets"
            )
        themes = list(Theme.objects.filter(pk__in=theme_ids or []))
        if len(themes) != len(set(theme_ids or [])):
            raise ValidationError("Unknown theme.", code="bad_theme")
        if (start, end) == (annotation.start, annotation.end) and sorted(t.pk for t in themes) == before["themes"]:
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
        replacement.themes.set(themes)
        after = annotation_snapshot(replacement)
        new_status = Annotation.Status.REJECTED
    else:
        new_status = Annotation.Status.ACCEPTED if decision == D.ACCEPT else Annotation.Status.REJECTED
    annotation.status = new_status
    annotation.version += 1
    annotation._history_user = reviewer
    annotation._change_reason = f"Review: {D(decision).label.lower()}"
    annotation.save(update_fields=["status", "version", "updated_at"])
    after.setdefault("status", new_status)
    return ReviewDecision.objects.create(
        annotation=annotation,
        article=annotation.article,
        reviewer=reviewer,
        decision=decision,
        before=before,
        after=after,
        replacement=replacement,
        comment=(comment or "").strip(),
    )
