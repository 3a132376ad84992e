"""Review: approval and return of submitted work, the comment thread, and reviewers' decisions on spans."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from apps.annotations.models import Annotation
from apps.annotations.services import (
    annotation_for_review,
    annotation_replacement_create,
    annotation_replacements_supersede,
    annotation_review_status_set,
)
from apps.assignments.models import Assignment
from apps.assignments.services import assignment_transition

from .models import ArticleComment, ReviewDecision

S = Assignment.State


REMAINING_CHOICES = {"accept": "accept", "reject": "reject"}


def assignment_approve(*, assignment: Assignment, actor, comment: str = "", remaining: str = "") -> Assignment:
    """Submitted work is approved, and approval decides every span of it: spans still undecided are accepted or
    rejected as ``remaining`` says (each recorded as a review decision); without that choice the approval is
    refused with their count. An optional comment also goes to the article's thread."""
    with transaction.atomic():
        pending = list(
            Annotation.objects.filter(
                article_id=assignment.article_id,
                annotator_id=assignment.analyst_id,
                deleted_at__isnull=True,
                status=Annotation.Status.PENDING,
            ).values_list("pk", "version")
        )
        if pending and remaining not in REMAINING_CHOICES:
            raise ValidationError(
                f"{len(pending)} span{'s are' if len(pending) != 1 else ' is'} still undecided: choose to accept or "
                "reject the remaining ones, or decide them one by one first.",
                code="undecided",
            )
        for pk, version in pending:
            review_decision_create(
                annotation_id=pk,
                reviewer=actor,
                decision=REMAINING_CHOICES[remaining],
                expected_version=version,
                comment="Decided with the approval of the work.",
            )
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
    through annotations' services, so history records the reviewer as the user); the decision stores
    before/after snapshots; an edit creates the reviewer's own accepted span (see ``ReviewDecision``) and a later
    decision on the same span soft-deletes the previous replacement. ``expected_version`` is the version the
    reviewer saw: a span changed since then is refused with a VersionConflict.
    """
    D = ReviewDecision.Kind
    if decision not in D.values:
        raise ValidationError(f"Unknown decision “{decision}”.", code="bad_decision")
    annotation = annotation_for_review(annotation_id=annotation_id, reviewer=reviewer)
    before = annotation_snapshot(annotation)
    annotation_replacements_supersede(annotation=annotation, reviewer=reviewer)
    replacement = None
    after: dict = {}
    if decision == D.EDIT:
        replacement = annotation_replacement_create(
            annotation=annotation, reviewer=reviewer, start=start, end=end, theme_ids=theme_ids
        )
        after = annotation_snapshot(replacement)
    status = Annotation.Status.ACCEPTED if decision == D.ACCEPT else Annotation.Status.REJECTED
    annotation_review_status_set(
        annotation=annotation,
        reviewer=reviewer,
        status=status,
        version=expected_version,
        reason=f"Review: {D(decision).label.lower()}",
    )
    after.setdefault("status", status)
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
