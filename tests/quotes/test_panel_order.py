"""The quotes panel lists live quotes in reading order (start, end, then id) and the latest deletions first,
whatever order the rows were written in."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.annotations import selectors as annotation_selectors
from apps.quotes.models import Quote, Speaker
from apps.quotes.selectors import quotes_panel
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
TEXT = " ".join(f"word{i}" for i in range(200))


def test_quotes_come_in_reading_order_and_deletions_newest_first(supervisor):
    article = ArticleFactory(text=TEXT)
    speaker = Speaker.objects.create(name="Wang Yi")
    now = timezone.now()
    made = []
    for start, end, deleted in [(50, 60, None), (10, 30, None), (30, 40, None), (10, 20, None), (5, 9, 2), (70, 80, 1)]:
        made.append(
            Quote.objects.create(
                article=article,
                speaker=speaker,
                start=start,
                end=end,
                text=TEXT[start:end],
                deleted_at=now - timedelta(minutes=deleted) if deleted else None,
            )
        )
    panel = quotes_panel(user=supervisor, article_id=article.pk, can_edit=True, blind=False)
    assert [(q.start, q.end, q.pk) for q in panel["quotes"]] == sorted(
        (q.start, q.end, q.pk) for q in made if q.deleted_at is None
    )
    assert [q.pk for q in panel["deleted"]] == [made[5].pk, made[4].pk]
    assert panel["quotes"][0].speaker.name == "Wang Yi"  # drawn with the quote, no query of its own


def test_span_and_entity_rows_come_in_text_order(supervisor, analyst, themes):
    from apps.annotations.models import Annotation, EntityMention

    article = ArticleFactory(text=TEXT)
    for start, end in [(40, 50), (0, 20), (0, 10), (0, 10)]:
        user = analyst if Annotation.objects.filter(start=start, end=end).exists() else supervisor
        Annotation.objects.create(article=article, annotator=user, start=start, end=end, text=TEXT[start:end])
        label = "GPE" if EntityMention.objects.filter(start=start, end=end).exists() else "ORG"
        EntityMention.objects.create(article=article, label=label, start=start, end=end, text=TEXT[start:end])
    rows = annotation_selectors.annotation_rows(
        spans=annotation_selectors.annotations_shown_to(user=supervisor, article_id=article.pk)
    )
    assert [(r.start, r.end, r.id) for r in rows] == sorted((r.start, r.end, r.id) for r in rows)
    assert [(r.start, r.end) for r in rows] == [(0, 10), (0, 10), (0, 20), (40, 50)]
    layer, _ = annotation_selectors.entity_layer_and_panel(article_id=article.pk, user=supervisor)
    assert [(e.start, e.end, e.id) for e in layer] == sorted((e.start, e.end, e.id) for e in layer)
