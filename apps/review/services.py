"""Assignment workflow: the state machine of design.md §5, every transition recorded."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Assignment, AssignmentEvent

S = Assignment.State
TRANSITIONS = {
    S.ASSIGNED: {S.IN_PROGRESS, S.SUBMITTED},
    S.IN_PROGRESS: {S.SUBMITTED},
    S.SUBMITTED: {S.APPROVED, S.CHANGES_REQUESTED},
    S.CHANGES_REQUESTED: {S.IN_PROGRESS, S.SUBMITTED},
    S.APPROVED: {S.CHANGES_REQUESTED},
}


@transaction.atomic
def assignment_transition(*, assignment: Assignment, to_state: str, actor, comment: str = "") -> Assignment:
    """Move an assignment to ``to_state`` if the workflow allows it, and record who, when, from, to and why."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if to_state not in TRANSITIONS.get(locked.state, set()):
        raise ValidationError(
            f"An assignment that is {locked.get_state_display().lower()} cannot become "
            f"{S(to_state).label.lower()}.",
            code="invalid_transition",
        )
    AssignmentEvent.objects.create(
        assignment=locked, actor=actor, from_state=locked.state, to_state=to_state, comment=comment
    )
    locked.state = to_state
    locked.version += 1
    locked.save(update_fields=["state", "version", "updated_at"])
    return locked


@transaction.atomic
def assignment_create(*, article, analyst, assigned_by, due_date=None) -> Assignment:
    assignment, created = Assignment.objects.get_or_create(
        article=article, analyst=analyst, defaults={"assigned_by": assigned_by, "due_date": due_date}
    )
    if created:
        AssignmentEvent.objects.create(assignment=assignment, actor=assigned_by, to_state=assignment.state)
    return assignment


def assignment_start(*, assignment: Assignment, actor) -> Assignment:
    """The analyst's first edit moves assigned / changes requested work to in progress (no-op otherwise)."""
    if assignment.state in {S.ASSIGNED, S.CHANGES_REQUESTED}:
        return assignment_transition(assignment=assignment, to_state=S.IN_PROGRESS, actor=actor)
    return assignment


def assignment_submit(*, assignment: Assignment, actor) -> Assignment:
    if assignment.analyst_id != actor.pk:
        raise ValidationError("Only the assigned analyst can submit this work.", code="not_owner")
    return assignment_transition(assignment=assignment, to_state=S.SUBMITTED, actor=actor)


# --- assignment in bulk, the open pool, approval --------------------------------------------------------------

BULK_ASSIGN_LIMIT = 5000  # articles per bulk action; a larger filter is refused with a message


@transaction.atomic
def assignments_bulk_create(*, article_ids, analysts, assigned_by, due_date=None) -> int:
    """Assign every article to every analyst (double annotation when several), skipping existing pairs.

    One event per created assignment. Returns how many assignments were created.
    """
    article_ids = list(dict.fromkeys(int(a) for a in article_ids))
    analysts = list(analysts)
    if not analysts:
        raise ValidationError("Choose at least one analyst.", code="no_analyst")
    if not article_ids:
        raise ValidationError("No article matches.", code="no_article")
    if len(article_ids) > BULK_ASSIGN_LIMIT:
        raise ValidationError(
            f"{len(article_ids)} articles match; assign at most {BULK_ASSIGN_LIMIT} at once (narrow the filter).",
            code="too_many",
        )
    created_total = 0
    for i in range(0, len(article_ids), 1000):
        chunk = article_ids[i : i + 1000]
        existing = set(
            Assignment.objects.filter(article_id__in=chunk, analyst__in=analysts).values_list("article_id", "analyst_id")
        )
        new = [
            Assignment(article_id=a, analyst=u, assigned_by=assigned_by, due_date=due_date)
            for a in chunk
            for u in analysts
            if (a, u.pk) not in existing
        ]
        created = Assignment.objects.bulk_create(new, batch_size=500)
        if created and created[0].pk is None:  # backends that can't return ids from a bulk insert
            pairs = {(c.article_id, c.analyst_id) for c in created}
            created = [
                a for a in Assignment.objects.filter(article_id__in=chunk, analyst__in=analysts)
                if (a.article_id, a.analyst_id) in pairs
            ]
        AssignmentEvent.objects.bulk_create(
            [AssignmentEvent(assignment=a, actor=assigned_by, to_state=S.ASSIGNED) for a in created], batch_size=500
        )
        created_total += len(created)
    return created_total


@transaction.atomic
def assignment_pull(*, analyst) -> Assignment | None:
    """Give ``analyst`` the oldest article nobody is assigned to (the open pool), or None when the pool is empty.

    The candidate row is locked with ``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL), so two analysts pulling
    at the same moment get different articles; the unassigned check is repeated under the lock.
    """
    from django.db.models import Exists, OuterRef

    from apps.corpus.models import Article

    pool = Article.objects.filter(~Exists(Assignment.objects.filter(article=OuterRef("pk")))).order_by("id")
    for _ in range(5):
        article = pool.select_for_update(skip_locked=True).only("id").first()
        if article is None:
            return None
        if Assignment.objects.filter(article=article).exists():
            continue
        assignment = Assignment.objects.create(article=article, analyst=analyst, assigned_by=None)
        AssignmentEvent.objects.create(
            assignment=assignment, actor=analyst, to_state=S.ASSIGNED, comment="Pulled from the open pool."
        )
        return assignment
    return None


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
    from .models import ArticleComment

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
    from django.utils import timezone

    from apps.annotations.models import Annotation, Theme

    from .models import ReviewDecision

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
