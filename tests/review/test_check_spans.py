"""check_spans: every kind of stored span, the gold layer included, still names its passage."""

import pytest
from django.core.management import CommandError, call_command

from apps.annotations.models import Annotation
from apps.quotes.models import Quote
from apps.review.models import GoldSpan
from apps.review.services import gold_span_put
from tests.factories import AnnotationFactory, ArticleFactory

TEXT = "Leaders met in Moscow. Both sides praised the partnership."


@pytest.fixture
def world(db, analyst, supervisor):
    article = ArticleFactory(text=TEXT)
    span = AnnotationFactory(article=article, annotator=analyst, start=0, end=7, text="Leaders")
    Quote.objects.create(article=article, start=23, end=58, text=TEXT[23:58], kind="indirect")
    gold = gold_span_put(
        article=article, start=15, end=21, theme_ids=[], sources=[span], origin="chosen", actor=supervisor
    )
    return span, gold


def test_all_spans_of_every_kind_match(world, capsys):
    call_command("check_spans")
    assert "All 3 spans match their article text." in capsys.readouterr().out


@pytest.mark.parametrize("model", [Annotation, GoldSpan])
def test_a_span_whose_text_drifted_from_its_article_fails_the_check_and_is_named(world, model, capsys):
    span = next(s for s in world if isinstance(s, model))
    model.objects.filter(pk=span.pk).update(text="something else")
    with pytest.raises(CommandError, match="1 of 3 spans do not match"):
        call_command("check_spans")
    assert f"{model.__name__} {span.pk} (article {span.article_id})" in capsys.readouterr().err
