"""The span write path does the minimum: one history row per change, a fixed number of queries."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
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
    # session, user with roles, article, assignment, themes, existing spans, then on PostgreSQL one statement writes
    # spans, theme links, history and history themes (bulk_create elsewhere: four INSERTs)
    limit = 7 if connection.vendor == "postgresql" else 10
    assert len(_statements(ctx)) <= limit, "\n".join(_statements(ctx))


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


def _written(article) -> dict:
    """Everything a batch save writes for ``article``, without ids and clocks: spans, theme links, history rows and
    their theme rows (each history row must match its span and hold exactly the span's links)."""
    spans = {a.pk: a for a in Annotation.objects.filter(article=article)}
    links = list(Annotation.themes.through.objects.filter(annotation_id__in=spans).order_by("id"))
    history = list(Annotation.history.model.objects.filter(id__in=spans).order_by("history_id"))
    out = {"spans": [], "history": []}
    for span in sorted(spans.values(), key=lambda a: (a.start, a.end)):
        own = [link.theme_id for link in links if link.annotation_id == span.pk]
        out["spans"].append((span.start, span.end, span.text, span.note, span.status, span.version, own))
    for row in history:
        span = spans[row.id]
        for name in ("start", "end", "text", "note", "status", "version", "created_at", "updated_at", "annotator_id"):
            assert getattr(row, name) == getattr(span, name), name
        m2m = list(row.themes.order_by("id"))
        assert [(t.id, t.annotation_id, t.theme_id) for t in m2m] == [
            (link.pk, link.annotation_id, link.theme_id) for link in links if link.annotation_id == span.pk
        ]
        out["history"].append((row.start, row.history_type, row.history_user_id, row.history_change_reason))
    return out


def test_a_batch_writes_spans_links_and_one_history_row_per_span_holding_its_themes(article, analyst, themes):
    spans = [
        {"start": 9, "end": 14, "themes": [themes[2].pk, themes[0].pk], "note": " second "},
        {"start": 0, "end": 8, "themes": [themes[1].pk]},
        {"start": 0, "end": 8, "themes": [themes[3].pk, themes[1].pk]},  # the same range again: themes merge
        {"start": 20, "end": 30, "themes": []},
    ]
    created, updated = annotations_bulk_create(article=article, annotator=analyst, spans=spans, reason="why")
    assert updated == [] and [(a.start, a.end) for a in created] == [(0, 8), (9, 14), (20, 30)]
    assert all(a.pk and not a._state.adding for a in created)
    written = _written(article)
    assert written["spans"] == [
        (0, 8, TEXT[0:8], "", "pending", 1, [themes[1].pk, themes[3].pk]),
        (9, 14, TEXT[9:14], "second", "pending", 1, [themes[2].pk, themes[0].pk]),
        (20, 30, TEXT[20:30], "", "pending", 1, []),
    ]
    assert written["history"] == [
        (0, "+", analyst.pk, "why"),
        (9, "+", analyst.pk, "why"),
        (20, "+", analyst.pk, "why"),
    ]


def test_a_batch_writes_the_same_rows_on_the_portable_path(article, analyst, themes, monkeypatch):
    """The PostgreSQL statement and the bulk_create path (SQLite, make run) write the same rows."""
    spans = [{"start": 0, "end": 8, "themes": [themes[1].pk, themes[0].pk], "note": "n"}, {"start": 9, "end": 14}]
    annotations_bulk_create(article=article, annotator=analyst, spans=spans)
    fast = _written(article)
    Annotation.history.model.objects.all().delete()
    Annotation.objects.all().delete()
    from apps.annotations import services

    monkeypatch.setattr(services, "_one_statement_insert", lambda: False)
    annotations_bulk_create(article=article, annotator=analyst, spans=spans)
    assert _written(article) == fast


def test_a_batch_that_meets_a_span_saved_meanwhile_saves_nothing(article, analyst, themes, monkeypatch):
    from apps.annotations import services

    real = services._spans_insert_with_history if services._one_statement_insert() else None

    def racing(article, annotator, new, reason):  # another request inserts the first range just before us
        Annotation.objects.create(article=article, annotator=annotator, start=new[0][0][0], end=new[0][0][1])
        return real(article, annotator, new, reason)

    if real is None:
        pytest.skip("the single-statement write is PostgreSQL's")
    monkeypatch.setattr(services, "_spans_insert_with_history", racing)
    with pytest.raises(ValidationError, match="meanwhile"), transaction.atomic():
        annotations_bulk_create(article=article, annotator=analyst, spans=_spans(3, [themes[0].pk]))
    assert not Annotation.objects.exists() and not Annotation.history.model.objects.exists()
