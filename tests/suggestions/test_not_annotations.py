"""Suggestions are their own rows: CSV exports and agreement ignore them until a person accepts one."""

import csv
import io

import pytest
from django.urls import reverse

from apps.annotations.models import Annotation
from apps.assignments.models import Assignment
from apps.review.selectors import spans_for_agreement
from apps.suggestions import services
from apps.suggestions.models import Suggestion
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TEXT = "Taiwan is part of China, the ministry said.\nNew tariffs and sanctions were announced on Friday."


@pytest.fixture
def double_coded(themes, analyst, other_analyst):
    article = ArticleFactory(text=TEXT)
    for user in (analyst, other_analyst):
        Assignment.objects.create(article=article, analyst=user, state="in_progress")
    rows = services.suggestions_refresh(article=article)  # cold start: both sentences get a suggestion
    assert {s.theme.slug for s in rows} >= {"taiwan-one-china", "sanctions-and-tariffs"}
    return article


def _csv_rows(client):
    response = client.get(reverse("exports:download"), {"format": "csv"})
    if response.status_code == 400:  # the export page refuses an empty download, saying so
        assert "there is nothing to export" in response.content.decode()
        return []
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def test_open_and_rejected_suggestions_are_not_in_the_csv_export_until_accepted(
    client_for, supervisor, analyst, double_coded
):
    client = client_for(supervisor)
    assert _csv_rows(client) == []
    taiwan = Suggestion.objects.get(article=double_coded, theme__slug="taiwan-one-china")
    sanctions = Suggestion.objects.get(article=double_coded, theme__slug="sanctions-and-tariffs")
    services.suggestion_decide(suggestion=sanctions, actor=analyst, accept=False)
    assert _csv_rows(client) == []
    services.suggestion_decide(suggestion=taiwan, actor=analyst, accept=True)
    rows = _csv_rows(client)
    assert [(r["span_text"], r["theme"], r["annotator"]) for r in rows] == [
        ("Taiwan is part of China, the ministry said.", "taiwan-one-china", analyst.username)
    ]
    assert int(rows[0]["span_id"]) == Annotation.objects.get().pk


def test_agreement_sees_only_accepted_suggestions_as_the_accepting_analysts_spans(analyst, other_analyst, double_coded):
    article_id = double_coded.pk
    assert spans_for_agreement([article_id]) == {article_id: {analyst.pk: [], other_analyst.pk: []}}
    taiwan = Suggestion.objects.get(article=double_coded, theme__slug="taiwan-one-china")
    services.suggestion_decide(suggestion=taiwan, actor=analyst, accept=True)
    spans = spans_for_agreement([article_id])[article_id]
    assert len(spans[analyst.pk]) == 1 and spans[other_analyst.pk] == []
    assert spans[analyst.pk][0].themes == frozenset({taiwan.theme_id})


def test_the_agreement_figure_counts_a_suggestion_only_once_the_second_analyst_accepts_it(
    analyst, other_analyst, double_coded
):
    """Ana codes the Taiwan sentence by hand; Bob only has it as an open suggestion: no agreement. Once Bob accepts
    the suggestion it is his span and both analysts agree exactly."""
    from apps.annotations.services import annotation_create
    from apps.review.selectors import pooled_agreement_recent

    taiwan = Suggestion.objects.get(article=double_coded, theme__slug="taiwan-one-china")
    annotation_create(
        article=double_coded, annotator=analyst, start=taiwan.start, end=taiwan.end, theme_ids=[taiwan.theme_id]
    )
    Assignment.objects.filter(article=double_coded).update(state="submitted")
    before = pooled_agreement_recent().pairs[(analyst.pk, other_analyst.pk)]
    assert (before["exact"].matches, before["exact"].n_a, before["exact"].n_b) == (0, 1, 0)
    assert before["exact"].f1 == 0

    Assignment.objects.filter(article=double_coded, analyst=other_analyst).update(state="in_progress")
    services.suggestion_decide(suggestion=taiwan, actor=other_analyst, accept=True)
    Assignment.objects.filter(article=double_coded).update(state="submitted")
    after = pooled_agreement_recent().pairs[(analyst.pk, other_analyst.pk)]
    assert after["exact"].f1 == 1.0 and after["overlap"].f1 == 1.0
