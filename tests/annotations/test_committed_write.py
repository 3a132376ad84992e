"""A committed write is never answered 500 (issue 16): when the database fails after the write committed (while
the page is drawn) the answer is success, "Saved; the page could not refresh", and the database has the write.

Two ways to break it: a patched render step (any database), and on PostgreSQL the real thing, the connection
terminated with ``pg_terminate_backend`` from another connection right after the service committed."""

import json

import psycopg
import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from apps.annotations import rendering, selectors, services, views
from apps.annotations.models import Annotation
from apps.assignments.models import Assignment
from apps.core.committed import SAVED_NOT_REFRESHED
from tests.factories import ArticleFactory

TEXT = "Xi Jinping met Vladimir Putin in Moscow.\nBoth praised the strategic partnership."


@pytest.fixture
def setup(analyst, themes):
    article = ArticleFactory(text=TEXT)
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    return article, themes[0]


def _boom(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


@pytest.mark.django_db
def test_a_span_whose_paragraphs_cannot_be_drawn_is_answered_created_with_its_id(
    setup, analyst, client_for, monkeypatch
):
    article, theme = setup
    monkeypatch.setattr(rendering, "paragraphs_html_between", _boom)
    response = client_for(analyst).post(
        reverse("annotations:span_create", args=[article.pk]),
        {"start": 0, "end": 10, "theme": theme.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 201
    assert response.content.decode() == SAVED_NOT_REFRESHED
    events = json.loads(response["HX-Trigger"])
    span = Annotation.objects.get()
    assert events["savedNotRefreshed"] == SAVED_NOT_REFRESHED and events["spanChanged"]["id"] == span.pk
    assert response["X-Span-Id"] == str(span.pk) and response["HX-Reswap"] == "none"


@pytest.mark.django_db(transaction=True)  # real commits: on_commit runs
def test_an_edit_whose_editor_cannot_be_drawn_is_answered_saved(setup, analyst, client_for, monkeypatch):
    article, _ = setup
    span = Annotation.objects.create(article=article, annotator=analyst, start=0, end=10, text=TEXT[:10])
    monkeypatch.setattr(selectors, "theme_list", _boom)  # the editor's themes: read after the update committed
    client = client_for(analyst)
    response = client.post(
        reverse("annotations:span", args=[span.pk]), {"version": 1, "note": "kept"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and SAVED_NOT_REFRESHED in response.content.decode()
    span.refresh_from_db()
    assert (span.note, span.version) == ("kept", 2)
    # a plain form post is redirected (nothing to draw); the page it goes to is drawn on a fresh request
    plain = client.post(reverse("annotations:span", args=[span.pk]), {"version": 2, "note": "plain"})
    assert plain.status_code == 302


@pytest.mark.django_db
def test_a_failure_before_the_commit_is_still_an_error(setup, analyst, client_for, monkeypatch):
    """Nothing committed, so nothing may claim to be saved."""
    article, _ = setup
    span = Annotation.objects.create(article=article, annotator=analyst, start=0, end=10, text=TEXT[:10])
    monkeypatch.setattr(views.services, "annotation_update", _boom)
    client = client_for(analyst)
    client.raise_request_exception = False
    response = client.post(
        reverse("annotations:span", args=[span.pk]), {"version": 1, "note": "lost"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 500
    span.refresh_from_db()
    assert span.note == ""


# --- PostgreSQL: the connection really dies right after the commit -----------------------------------------------


def _admin():
    cfg = connection.settings_dict
    return psycopg.connect(
        host=cfg["HOST"] or "127.0.0.1",
        port=cfg["PORT"] or 5432,
        user=cfg["USER"],
        password=cfg["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _terminate_after(monkeypatch, name):
    """Wrap the service ``name`` so that, once it returned (committed), another connection kills ours."""
    original = getattr(services, name)
    killed = []

    def wrapped(**kwargs):
        result = original(**kwargs)
        assert not connection.in_atomic_block  # the write is committed
        pid = connection.connection.info.backend_pid
        with _admin() as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        killed.append(pid)
        return result

    monkeypatch.setattr(views.services, name, wrapped)
    return killed


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("htmx", [True, False])
def test_postgresql_connection_killed_right_after_a_span_is_created(setup, analyst, client_for, monkeypatch, htmx):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's pg_terminate_backend")
    article, theme = setup
    client = client_for(analyst)
    killed = _terminate_after(monkeypatch, "annotation_create")
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(
        reverse("annotations:span_create", args=[article.pk]), {"start": 0, "end": 10, "theme": theme.pk}, **headers
    )
    assert killed
    if htmx:
        assert response.status_code == 201 and SAVED_NOT_REFRESHED in response.content.decode()
    else:  # the plain form's answer is a redirect to the workspace, drawn on the next (reconnected) request
        assert response.status_code == 302
    connection.close()  # the test's own connection was the one killed
    span = Annotation.objects.get()
    assert (span.start, span.end, list(span.themes.values_list("id", flat=True))) == (0, 10, [theme.pk])
    if htmx:
        assert response["X-Span-Id"] == str(span.pk)


@pytest.mark.django_db(transaction=True)
def test_postgresql_connection_killed_right_after_a_note_is_saved(setup, analyst, client_for, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's pg_terminate_backend")
    article, _ = setup
    span = Annotation.objects.create(article=article, annotator=analyst, start=0, end=10, text=TEXT[:10])
    client = client_for(analyst)
    killed = _terminate_after(monkeypatch, "annotation_update")
    response = client.post(
        reverse("annotations:span", args=[span.pk]), {"version": 1, "note": "after the crash"}, HTTP_HX_REQUEST="true"
    )
    assert killed and response.status_code == 200
    assert SAVED_NOT_REFRESHED in response.content.decode()
    connection.close()
    span.refresh_from_db()
    assert (span.note, span.version) == ("after the crash", 2)
    # and the next request works on a fresh connection
    assert client.get(reverse("annotations:workspace", args=[article.pk])).status_code == 200


@pytest.mark.django_db(transaction=True)  # real commits: on_commit runs
def test_a_batch_whose_answer_cannot_be_drawn_is_answered_saved(setup, analyst, client_for, monkeypatch):
    """The batch's spans are written by one statement (a WITH query on PostgreSQL): it counts as a write too."""
    article, theme = setup
    monkeypatch.setattr(views, "_mark_started", _boom)  # after the batch committed
    spans = [{"start": 0, "end": 10, "themes": [theme.pk]}, {"start": 11, "end": 18, "themes": [theme.pk]}]
    response = client_for(analyst).post(
        reverse("annotations:span_bulk_create", args=[article.pk]), {"spans": json.dumps(spans)}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response.content.decode() == SAVED_NOT_REFRESHED
    assert Annotation.objects.count() == 2 and Annotation.history.model.objects.count() == 2


def test_a_with_query_counts_as_a_write_only_when_it_writes():
    from apps.core.committed import _WRITE

    assert _WRITE.match('\n  WITH src AS (SELECT 1), ins AS (INSERT INTO "t" SELECT * FROM src) SELECT 1')
    assert _WRITE.match("update t set x = 1") and _WRITE.match("  DELETE FROM t")
    assert not _WRITE.match("WITH src AS (SELECT 1) SELECT * FROM src")
    assert not _WRITE.match("SELECT inserted_at FROM t")
