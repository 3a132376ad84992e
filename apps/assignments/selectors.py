"""Who may see and change which article (the access policy every page uses), and the queues of work."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from apps.accounts.roles import is_supervisor
from apps.corpus.models import Article

from .models import SUBMITTED_FIRST, Assignment


def articles_visible_to(user) -> QuerySet[Article]:
    """Supervisors and admins see every article; analysts the ones assigned to them or that they annotated."""
    articles = Article.objects.all()
    if is_supervisor(user):
        return articles
    # "own" work reaches annotations through the reverse relation, so this layer never imports the app above it
    annotated = Article.objects.filter(annotations__annotator=user).values("pk")
    return articles.filter(
        Exists(Assignment.objects.filter(article=OuterRef("pk"), analyst=user)) | Q(pk__in=annotated)
    )


# Analysts' work is read-only while a supervisor looks at it.
LOCKED_ASSIGNMENT_STATES = {Assignment.State.SUBMITTED, Assignment.State.APPROVED}


@dataclass(frozen=True)
class WriteAccess:
    allowed: bool
    reason: str = ""
    assignment: Assignment | None = None


_NOT_READ = object()


def article_write_access(*, user, article_id: int, assignment=_NOT_READ) -> WriteAccess:
    """May ``user`` change spans and quotes on this article? Supervisors and admins always; analysts need an
    assignment that is not under review (submitted or approved work is read-only until it is returned).
    ``assignment``: the user's assignment on the article (or None) when the caller has just read it
    (queue_and_assignment); otherwise it is read here."""
    if not user.is_authenticated:
        return WriteAccess(False, "Log in first.")
    if assignment is _NOT_READ:
        assignment = assignment_for(user, article_id)
    if is_supervisor(user):
        return WriteAccess(True, assignment=assignment)
    if assignment is None:
        return WriteAccess(False, "This article is not assigned to you: you can read it but not change it.")
    if assignment.state in LOCKED_ASSIGNMENT_STATES:
        return WriteAccess(
            False,
            f"Your work on this article is {assignment.get_state_display().lower()}: it is read-only until a "
            "supervisor returns it.",
            assignment,
        )
    return WriteAccess(True, assignment=assignment)


def article_visible_to(user, article_id: int) -> bool:
    return articles_visible_to(user).filter(pk=article_id).exists()


OPEN_STATES = (Assignment.State.ASSIGNED, Assignment.State.IN_PROGRESS, Assignment.State.CHANGES_REQUESTED)


def _in_queue_order(assignments: QuerySet[Assignment]) -> QuerySet[Assignment]:
    returned_first = Case(When(state=Assignment.State.CHANGES_REQUESTED, then=Value(0)), default=Value(1))
    return assignments.order_by(returned_first, F("due_date").asc(nulls_last=True), "created_at", "id")


def queue_for(user) -> QuerySet[Assignment]:
    """The analyst's queue: open assignments, returned work ("changes requested") pinned on top, then by due date
    and age."""
    return _in_queue_order(
        Assignment.objects.filter(analyst=user, state__in=OPEN_STATES).select_related("article", "article__outlet")
    )


def queue_and_assignment(user, article_id: int) -> tuple[list[int], Assignment | None]:
    """The article ids of the user's queue in its order (as queue_for) and the user's assignment on ``article_id``
    in any state (as assignment_for), from one query: the workspace needs both."""
    fields = [f.attname for f in Assignment._meta.concrete_fields]
    rows = _in_queue_order(
        Assignment.objects.filter(Q(state__in=OPEN_STATES) | Q(article_id=article_id), analyst=user)
    ).values_list(*fields)
    queue, assignment = [], None
    article_at, state_at = fields.index("article_id"), fields.index("state")
    for row in rows:
        if row[state_at] in OPEN_STATES:
            queue.append(row[article_at])
        if row[article_at] == article_id:
            assignment = Assignment.from_db(Assignment.objects.db, fields, row)
    return queue, assignment


def assignment_for(user, article_id: int) -> Assignment | None:
    return Assignment.objects.filter(analyst=user, article_id=article_id).first()


def queue_next(user, *, after_article_id: int | None = None) -> Assignment | None:
    """The queue item after ``after_article_id`` (the first one when it's None or not in the queue)."""
    items = list(queue_for(user).values_list("article_id", flat=True)[:500])
    if not items:
        return None
    if after_article_id in items:
        index = items.index(after_article_id) + 1
        if index >= len(items):
            return None
        return queue_for(user).filter(article_id=items[index]).first()
    return queue_for(user).first()


def recently_submitted(user, limit: int = 10) -> QuerySet[Assignment]:
    return (
        Assignment.objects.filter(analyst=user, state__in=(Assignment.State.SUBMITTED, Assignment.State.APPROVED))
        .select_related("article", "article__outlet")
        .order_by("-updated_at")[:limit]
    )


def with_article_filters(
    queryset: QuerySet, *, prefix: str = "", outlet_id=None, published_from=None, published_to=None, batch_id=None
) -> QuerySet:
    """The article filters shared by bulk assignment and the queue list; ``prefix`` reaches the article."""
    if outlet_id:
        queryset = queryset.filter(**{f"{prefix}outlet_id": outlet_id})
    if published_from:
        queryset = queryset.filter(**{f"{prefix}published__gte": published_from})
    if published_to:
        queryset = queryset.filter(**{f"{prefix}published__lte": published_to})
    if batch_id:
        queryset = queryset.filter(**{f"{prefix}import_batches__id": batch_id})
    return queryset


# "Waiting longest" means waiting for the supervisor: submitted work first, oldest first, then the rest by age
# (served by the assignment_waiting_idx expression index).

QUEUE_SORTS = {
    "due": (F("due_date").asc(nulls_last=True), "id"),
    "-due": (F("due_date").desc(nulls_last=True), "-id"),
    "age": (SUBMITTED_FIRST, "updated_at", "id"),
    "-age": ("-updated_at", "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "published": (F("article__published").asc(nulls_last=True), "id"),
    "-published": (F("article__published").desc(nulls_last=True), "-id"),
}


def assignment_search(
    *,
    state: str = "",
    analyst_id: int | None = None,
    outlet_id: int | None = None,
    published_from=None,
    published_to=None,
    batch_id: int | None = None,
    overdue: bool = False,
    q: str = "",
    sort: str = "age",
) -> QuerySet[Assignment]:
    """The supervisor's queue list: every assignment, filtered and sorted; columns for one table row each."""
    items = Assignment.objects.all()
    if state:
        items = items.filter(state=state)
    if analyst_id:
        items = items.filter(analyst_id=analyst_id)
    items = with_article_filters(
        items,
        prefix="article__",
        outlet_id=outlet_id,
        published_from=published_from,
        published_to=published_to,
        batch_id=batch_id,
    )
    if overdue:
        items = items.filter(due_date__lt=timezone.localdate()).exclude(state=Assignment.State.APPROVED)
    if q.strip():
        items = items.filter(article__title__icontains=q.strip())
    return (
        items.select_related("article", "article__outlet", "analyst")
        .only(
            "id",
            "state",
            "due_date",
            "created_at",
            "updated_at",
            "article_id",
            "analyst_id",
            "article__title",
            "article__published",
            "article__outlet__name",
            "analyst__username",
            "analyst__first_name",
            "analyst__last_name",
        )
        .order_by(*QUEUE_SORTS.get(sort, QUEUE_SORTS["age"]))
    )


def unassigned_count() -> int:
    return Article.objects.filter(~Exists(Assignment.objects.filter(article=OuterRef("pk")))).count()


# --- context for assigning: who has what, and how long the articles are ------------------------------------------------


def open_workload(analyst_ids=None) -> dict[int, int]:
    """{analyst id: open assignments (assigned, in progress, changes requested)}; analysts with none are absent."""
    rows = Assignment.objects.filter(state__in=OPEN_STATES)
    if analyst_ids is not None:
        rows = rows.filter(analyst_id__in=list(analyst_ids))
    return dict(rows.values("analyst_id").annotate(n=Count("id")).order_by().values_list("analyst_id", "n"))


@dataclass(frozen=True)
class ArticleAssignContext:
    n_words: int
    assignees: tuple[Assignment, ...]  # with analyst loaded, by analyst name


def article_assign_context(article_ids) -> dict[int, ArticleAssignContext]:
    """Per article: its length in words and its current assignments (two queries for a page of articles)."""
    article_ids = list(article_ids)
    by_article: dict[int, list[Assignment]] = {}
    for assignment in (
        Assignment.objects.filter(article_id__in=article_ids)
        .select_related("analyst")
        .only("id", "state", "article_id", "analyst__username", "analyst__first_name", "analyst__last_name")
        .order_by("analyst__username")
    ):
        by_article.setdefault(assignment.article_id, []).append(assignment)
    words = dict(Article.objects.filter(pk__in=article_ids).values_list("id", "n_words"))
    return {
        pk: ArticleAssignContext(n_words=words.get(pk, 0), assignees=tuple(by_article.get(pk, ())))
        for pk in article_ids
    }
