"""Assignment workflow: the state machine of design.md §5, every transition recorded."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef

from apps.corpus.models import Article

from .models import Assignment, AssignmentEvent
from .selectors import OPEN_STATES

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
            f"An assignment that is {locked.get_state_display().lower()} cannot become {S(to_state).label.lower()}.",
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
            Assignment.objects.filter(article_id__in=chunk, analyst__in=analysts).values_list(
                "article_id", "analyst_id"
            )
        )
        new = [
            Assignment(article_id=a, analyst=u, assigned_by=assigned_by, due_date=due_date)
            for a in chunk
            for u in analysts
            if (a, u.pk) not in existing
        ]
        # ON CONFLICT DO NOTHING: a supervisor assigning the same pairs at the same moment is not an error
        Assignment.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
        pairs = {(a.article_id, a.analyst_id) for a in new}
        # the rows this call created are those of its pairs that have no event yet (a concurrent call that
        # inserted a pair first also wrote its event in the same transaction)
        created = [
            a
            for a in Assignment.objects.filter(article_id__in=chunk, analyst__in=analysts, events__isnull=True)
            if (a.article_id, a.analyst_id) in pairs
        ]
        AssignmentEvent.objects.bulk_create(
            [AssignmentEvent(assignment=a, actor=assigned_by, to_state=S.ASSIGNED) for a in created], batch_size=500
        )
        created_total += len(created)
    return created_total


@dataclass(frozen=True)
class RuleOutcome:
    created: int  # assignments created
    articles: int  # articles that got at least one
    short: int  # articles that could not reach the wanted number (too few analysts left to choose from)


@transaction.atomic
def assignments_by_rule(
    *, wanted: dict[int, int], analysts, assigned_by, due_date=None, comment: str = ""
) -> RuleOutcome:
    """Give each article ``wanted[article_id]`` more analysts, each time the least busy one (fewest open
    assignments, counting the ones just made; ties by username) among ``analysts`` who is not on the article yet.

    The rule behind double-coding (k analysts per article) and tie-breakers (one more analyst where agreement is
    low). Rows are locked per analyst, so two supervisors applying a rule at once do not both overload one
    analyst; an existing pair is never assigned twice. One event per created assignment, with ``comment``.
    """
    analysts = sorted(analysts, key=lambda u: u.username)
    if not analysts:
        raise ValidationError("No analyst to choose from.", code="no_analyst")
    wanted = {int(a): n for a, n in wanted.items() if n > 0}
    if not wanted:
        return RuleOutcome(created=0, articles=0, short=0)
    if len(wanted) > BULK_ASSIGN_LIMIT:
        raise ValidationError(
            f"{len(wanted)} articles match; assign at most {BULK_ASSIGN_LIMIT} at once (narrow the filter).",
            code="too_many",
        )
    ids = [u.pk for u in analysts]
    list(type(analysts[0]).objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
    load = dict.fromkeys(ids, 0)
    for analyst_id, n in (
        Assignment.objects.filter(analyst_id__in=ids, state__in=OPEN_STATES)
        .values("analyst_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("analyst_id", "n")
    ):
        load[analyst_id] = n
    taken: dict[int, set[int]] = {}
    for article_id, analyst_id in Assignment.objects.filter(article_id__in=list(wanted)).values_list(
        "article_id", "analyst_id"
    ):
        taken.setdefault(article_id, set()).add(analyst_id)
    order = {u.pk: i for i, u in enumerate(analysts)}
    new, touched, short = [], 0, 0
    for article_id in sorted(wanted):
        on_it = taken.setdefault(article_id, set())
        free = sorted((u for u in ids if u not in on_it), key=lambda u: (load[u], order[u]))
        chosen = free[: wanted[article_id]]
        short += len(chosen) < wanted[article_id]
        touched += bool(chosen)
        for analyst_id in chosen:
            load[analyst_id] += 1
            on_it.add(analyst_id)
            new.append(
                Assignment(article_id=article_id, analyst_id=analyst_id, assigned_by=assigned_by, due_date=due_date)
            )
    created = Assignment.objects.bulk_create(new, batch_size=500)
    AssignmentEvent.objects.bulk_create(
        [AssignmentEvent(assignment=a, actor=assigned_by, to_state=S.ASSIGNED, comment=comment) for a in created],
        batch_size=500,
    )
    return RuleOutcome(created=len(created), articles=touched, short=short)


def assignments_to_k(*, article_ids, k: int, analysts, assigned_by, due_date=None) -> RuleOutcome:
    """Double-coding by rule: bring every article up to ``k`` analysts (articles that have k already are left
    alone), least busy analysts first."""
    if not 1 <= k <= 10:
        raise ValidationError("Analysts per article must be between 1 and 10.", code="bad_k")
    article_ids = [int(a) for a in article_ids]
    have = dict(
        Assignment.objects.filter(article_id__in=article_ids)
        .values("article_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("article_id", "n")
    )
    wanted = {a: k - have.get(a, 0) for a in article_ids}
    return assignments_by_rule(
        wanted=wanted,
        analysts=analysts,
        assigned_by=assigned_by,
        due_date=due_date,
        comment=f"Double-coding rule: {k} analysts per article.",
    )


@transaction.atomic
def assignment_pull(*, analyst) -> Assignment | None:
    """Give ``analyst`` the oldest article nobody is assigned to (the open pool), or None when the pool is empty.

    The candidate row is locked with ``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL), so two analysts pulling
    at the same moment get different articles; the unassigned check is repeated under the lock.
    """
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
