"""A coded corpus built from the development set: each dev article becomes an Article whose coded sentences are
accepted spans (by a reviewer-approved analyst), so training sees real passages."""

from __future__ import annotations

import json

import pytest

from apps.annotations.models import Annotation, Theme
from tests.conftest import REPO
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory

DEV_SET = REPO / "fixtures" / "theme_dev_set.json"


def dev_articles():
    return json.loads(DEV_SET.read_text(encoding="utf-8"))["articles"]


def article_from(dev_article, **kwargs):
    return ArticleFactory(
        title=dev_article["key"], text="\n".join(s["text"] for s in dev_article["sentences"]), **kwargs
    )


@pytest.fixture
def coded_corpus(db, themes):
    """The first 20 dev articles as articles with accepted spans; returns (articles, coder)."""
    coder = UserFactory(username="coder", role="Analyst")
    by_slug = {t.slug: t for t in Theme.objects.all()}
    articles = []
    for dev in dev_articles()[:20]:
        article = article_from(dev)
        offset = 0
        for sentence in dev["sentences"]:
            start = article.text.index(sentence["text"], offset)
            offset = start + len(sentence["text"])
            if sentence["themes"]:
                span = AnnotationFactory(
                    article=article, annotator=coder, start=start, end=offset, status=Annotation.Status.ACCEPTED
                )
                span.themes.set([by_slug[s] for s in sentence["themes"]])
        articles.append(article)
    return articles, coder
