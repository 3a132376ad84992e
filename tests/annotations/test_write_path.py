"""The span write path does the minimum: one history row per change, a fixed number of queries."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.annotations.models import Annotation, EntityMention
from apps.annotations.services import annotation_create, annotations_bulk_create
from apps.assignments.models import Assignment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TEXT = " ".join(f"Sentence {i} says the talks went well." for i in range(80))


@pytest.fixture
def article(analyst):
    article = ArticleFactory(text=TEXT)
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    return article


def _spans(n: int, theme_ids) -> list[dict]:
    """The first n "Sentence i" of TEXT."""
    starts = [TEXT.index(f"Sentence {i} ") for i in range(n)]
    return [{"start": s, "end": s + len(f"Sentence {i}"), "themes": theme_ids} for i, s in enumerate(starts)]


def _statements(ctx) -> list[str]:
    # savepoints are the test's own transaction at work, not the request's
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


def test_a_new_span_has_exactly_one_history_row_and_it_holds_the_themes(article, analyst, themes):
    span, _ = annotation_create(
        article=article, annotator=analyst, start=0, end=8, theme_ids=[themes[0].pk, themes[1].pk]
    )
    rows = list(span.history.all())
    assert len(rows) == 1 and rows[0].history_type == "+" and rows[0].history_user == analyst
    assert {t.theme_id for t in rows[0].themes.all()} == {themes[0].pk, themes[1].pk}


def test_saving_39_spans_in_one_request_writes_them_all_with_history(client_for, analyst, article, themes):
    client = client_for(analyst)
    spans = _spans(39, [themes[0].pk])
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            reverse("annotations:span_bulk_create", args=[article.pk]),
            {"spans": json.dumps(spans)},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 201 and len(response.json()["created"]) == 39
    assert Annotation.objects.filter(article=article).count() == 39
    assert Annotation.history.model.objects.count() == 39
    for span in Annotation.objects.filter(article=article):
        assert article.text[span.start : span.end] == span.text
        assert list(span.themes.values_list("id", flat=True)) == [themes[0].pk]
    # a fixed number of statements, whatever the number of spans (session, user, roles, access, themes, ...)
    assert len(_statements(ctx)) <= 16, "\n".join(_statements(ctx))


def test_the_batch_is_all_or_nothing(client_for, analyst, article, themes):
    spans = _spans(3, [themes[0].pk]) + [{"start": 5, "end": 10_000, "themes": []}]
    response = client_for(analyst).post(
        reverse("annotations:span_bulk_create", args=[article.pk]), {"spans": json.dumps(spans)}
    )
    assert response.status_code == 400 and "Span 4:" in response.content.decode()
    assert not Annotation.objects.exists()


def test_a_range_saved_again_in_a_batch_gets_the_new_themes(article, analyst, themes):
    annotation_create(article=article, annotator=analyst, start=0, end=10, theme_ids=[themes[0].pk])
    created, updated = annotations_bulk_create(
        article=article, annotator=analyst, spans=[{"start": 0, "end": 10, "themes": [themes[1].pk]}]
    )
    assert created == [] and len(updated) == 1
    assert set(updated[0].themes.values_list("id", flat=True)) == {themes[0].pk, themes[1].pk}


def test_entity_suggestions_become_spans_with_the_chosen_theme(client_for, analyst, article, themes):
    starts = [article.text.index(f"Sentence {i} ") + 9 for i in range(3)]  # the numbers
    mentions = [
        EntityMention.objects.create(article=article, label="CARDINAL", start=s, end=s + 1, text=article.text[s])
        for s in starts
    ]
    response = client_for(analyst).post(
        reverse("annotations:span_bulk_create", args=[article.pk]),
        {"entities": [m.pk for m in mentions], "theme": [themes[2].pk]},
    )
    assert response.status_code == 201
    assert sorted(Annotation.objects.values_list("start", flat=True)) == [m.start for m in mentions]


def test_a_batch_into_work_that_was_submitted_meanwhile_is_refused(client_for, analyst, article, themes):
    version = Assignment.objects.get(article=article).version
    Assignment.objects.filter(article=article).update(version=version + 1)  # e.g. submitted in another tab
    response = client_for(analyst).post(
        reverse("annotations:span_bulk_create", args=[article.pk]),
        {"spans": json.dumps(_spans(2, [])), "assignment_version": version},
    )
    assert response.status_code == 409 and not Annotation.objects.exists()


def test_another_analyst_cannot_save_a_batch(client_for, other_analyst, article):
    response = client_for(other_analyst).post(
        reverse("annotations:span_bulk_create", args=[article.pk]), {"spans": json.dumps(_spans(1, []))}
    )
    assert response.status_code == 403 and not Annotation.objects.exists()


def test_one_new_span_costs_a_fixed_small_number_of_statements(client_for, analyst, article, themes):
    client = client_for(analyst)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            reverse("annotations:span_create", args=[article.pk]),
            {"start": 0, "end": 8, "theme": [themes[0].pk]},
            HTTP_HX_REQUEST="true",
        )
    assert response.status_code == 201
    assert len(_statements(ctx)) <= 18, "\n".join(_statements(ctx))  # was 22 (26 with savepoints)
