"""Who may see which article: the access policy every article-reading view goes through."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from apps.accounts.roles import is_supervisor
from apps.corpus.models import Article

from .models import Assignment


def articles_visible_to(user) -> QuerySet[Article]:
    """Supervisors and admins see every article; analysts the ones assigned to them or that they annotated."""
    articles = Article.objects.all()
    if is_supervisor(user):
        return articles
    from apps.annotations.models import Annotation

    return articles.filter(
        Exists(Assignment.objects.filter(article=OuterRef("pk"), analyst=user))
        | Exists(Annotation.objects.filter(article=OuterRef("pk"), annotator=user))
    )


def article_visible_to(user, article_id: int) -> bool:
    return articles_visible_to(user).filter(pk=article_id).exists()


OPEN_STATES = (Assignment.State.ASSIGNED, Assignment.State.IN_PROGRESS, Assignment.State.CHANGES_REQUESTED)


def queue_for(user) -> QuerySet[Assignment]:
    """The analyst's queue: open assignments (returned ones included), by due date then age."""
    from django.db.models import F

    return (
        Assignment.objects.filter(analyst=user, state__in=OPEN_STATES)
        .select_related("article", "article__outlet")
        .order_by(F("due_date").asc(nulls_last=True), "created_at", "id")
    )


def assignment_for(user, article_id: int) -> Assignment | None:
    return Assignment.objects.filter(analyst=user, article_id=article_id).first()
