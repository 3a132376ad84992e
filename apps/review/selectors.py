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
