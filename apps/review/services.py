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
