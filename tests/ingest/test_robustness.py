"""Nothing lost, whatever happens: bad records cost only themselves, a stopped batch resumes without duplicates."""

import json
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import timezone

import apps.ingest.services as services
from apps.corpus.models import Article
from apps.ingest.models import ImportBatch
from apps.ingest.services import SourceFile, batch_create_from_uploads, import_batch, import_sources, stale_batches

pytestmark = pytest.mark.django_db


def _jsonl(*records) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode()


def _records(n: int) -> list[dict]:
    return [
        {"title": f"Story {i}", "text": f"Officials met on day {i} and talked about trade number {i}."}
        for i in range(n)
    ]


def test_nul_and_lone_surrogates_are_dropped_and_the_records_after_them_import():
    data = _jsonl(
        {"title": "Nul", "text": "Talks\x00 went well.", "metadata": {"caption\x00": "a\x00b"}},
        {"title": "Fine", "text": "Ministers met in Rome."},
    )
    data = data.replace(b"went well", b"went \\ud800well")  # a lone surrogate, escaped the JSON way
    batch = import_sources(batch=ImportBatch.objects.create(), sources=[SourceFile("a.jsonl", data)])
    assert (batch.status, batch.created, batch.failed) == ("done", 2, 0)
    assert Article.objects.get(title="Nul").text == "Talks went well."


def test_an_outlet_name_longer_than_its_column_is_cut_not_fatal():
    data = _jsonl({"title": "One", "text": "A body.", "outlet": "X" * 500}, {"title": "Two", "text": "Another."})
    batch = import_sources(batch=ImportBatch.objects.create(), sources=[SourceFile("o.jsonl", data)])
    assert (batch.created, batch.failed) == (2, 0)
    assert len(Article.objects.get(title="One").outlet.name) == 200


def test_an_article_over_the_size_limit_is_refused_by_file_and_line(settings):
    settings.IMPORT_MAX_ARTICLE_CHARS = 100
    data = _jsonl({"title": "Huge", "text": "word " * 100}, {"title": "Small", "text": "A short body."})
    batch = import_sources(batch=ImportBatch.objects.create(), sources=[SourceFile("big.jsonl", data)])
    assert (batch.created, batch.failed) == (1, 1)
    error = batch.results[0]["errors"][0]
    assert error.startswith("big.jsonl, line 1:") and "more than the limit of 100" in error


def test_any_unexpected_failure_of_one_article_costs_only_that_article(monkeypatch):
    """Articles are written a few at a time; one that fails takes its group down, and the group is written again
    one article at a time, so that only the bad one is lost."""
    real = services.entity_mentions_import_bulk
    groups = []

    def broken_for_story_1(*, items):
        groups.append(len(items))
        if any(article.title == "Story 1" for article, _ in items):
            raise ValueError("simulated bug")
        return real(items=items)

    monkeypatch.setattr(services, "entity_mentions_import_bulk", broken_for_story_1)
    records = [{**r, "outlet": "A New Outlet"} for r in _records(3)]  # created with the group, kept after its rollback
    batch = import_sources(batch=ImportBatch.objects.create(), sources=[SourceFile("s.jsonl", _jsonl(*records))])
    assert (batch.status, batch.created, batch.failed) == ("done", 2, 1)
    assert Article.objects.get(title="Story 2").outlet.name == "A New Outlet"
    assert groups == [3, 1, 1, 1]  # the group, then each article of it on its own
    assert "s.jsonl, line 2: ValueError: simulated bug" in batch.results[0]["errors"][0]
    assert not Article.objects.filter(title="Story 1").exists()
    assert (
        Article.objects.get(title="Story 2").entities.count() == Article.objects.get(title="Story 0").entities.count()
    )


def test_only_http_links_are_stored_as_the_source_url():
    data = _jsonl(
        {"title": "JS", "text": "Body one.", "url": "javascript:alert(1)"},
        {"title": "Web", "text": "Body two.", "url": "https://example.org/a"},
    )
    import_sources(batch=ImportBatch.objects.create(), sources=[SourceFile("u.jsonl", data)])
    assert Article.objects.get(title="JS").url == ""
    assert Article.objects.get(title="Web").url == "https://example.org/a"


def _uploaded_batch(records) -> ImportBatch:
    upload = SimpleUploadedFile("stories.jsonl", _jsonl(*records))
    return batch_create_from_uploads(user=None, uploads=[upload])


def test_a_lost_database_connection_stops_the_batch_keeps_its_file_and_a_resume_finishes_it(fail_on_call, settings):
    settings.SPACY_BATCH_SIZE = settings.IMPORT_WRITE_GROUP = (
        1  # one article per write: the connection goes after two of them
    )
    batch = _uploaded_batch(_records(5))
    fail_on_call(
        services, "articles_create_from_analyses", 3, OperationalError("server closed the connection unexpectedly")
    )
    batch = import_batch(batch_id=batch.pk)
    assert batch.status == "failed" and batch.error.startswith("OperationalError")
    assert Article.objects.count() == 2
    assert default_storage.exists(batch.files[0]["path"])  # the source is kept for the resume

    batch = import_batch(batch_id=batch.pk, resume=True)
    assert (batch.status, batch.created, batch.skipped, batch.failed) == ("done", 5, 0, 0)
    assert Article.objects.count() == 5 and batch.articles.count() == 5
    assert not default_storage.exists(batch.files[0]["path"])


def test_a_batch_left_running_by_a_dead_worker_is_found_and_resumed_without_duplicates(settings):
    batch = _uploaded_batch(_records(4))
    # a worker wrote two articles of this batch, then died: the batch still says running, its heartbeat is old
    first = import_sources(batch=ImportBatch.objects.create(), sources=[SourceFile("x.jsonl", _jsonl(*_records(2)))])
    batch.articles.add(*first.articles.all())
    old = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 1)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", heartbeat_at=old, started_at=old)
    assert [b.pk for b in stale_batches()] == [batch.pk]

    batch = import_batch(batch_id=batch.pk)
    assert (batch.status, batch.created, batch.skipped, batch.failed) == ("done", 4, 0, 0)
    assert Article.objects.count() == 4
    assert stale_batches() == []


def test_a_batch_with_a_recent_heartbeat_is_left_to_its_worker():
    batch = _uploaded_batch(_records(1))
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", heartbeat_at=timezone.now())
    assert import_batch(batch_id=batch.pk).status == "running"
    assert Article.objects.count() == 0 and stale_batches() == []


def test_an_upload_whose_name_is_over_255_bytes_is_stored_and_reported_by_its_name():
    name = "新华社" * 40 + ".jsonl"  # 360 bytes in UTF-8
    upload = SimpleUploadedFile(name, _jsonl(*_records(1)))
    batch = batch_create_from_uploads(user=None, uploads=[upload])
    batch = import_batch(batch_id=batch.pk)
    assert batch.status == "done" and batch.created == 1
    assert batch.results[0]["name"] == name


@pytest.mark.django_db(transaction=True)
def test_a_database_connection_killed_mid_import_on_postgresql_is_survived_and_resumed(monkeypatch, settings):
    from django.db import connection

    settings.SPACY_BATCH_SIZE = settings.IMPORT_WRITE_GROUP = (
        1  # one article per write: the backend dies before the third
    )

    if connection.vendor != "postgresql":
        pytest.skip("terminates a real PostgreSQL backend")
    import psycopg

    batch = _uploaded_batch(_records(5))
    real = services.articles_create_from_analyses
    calls = {"n": 0}

    def kill_own_backend_at_third(**kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            pid = connection.connection.info.backend_pid
            params = connection.get_connection_params()
            with psycopg.connect(
                **{k: v for k, v in params.items() if k in {"host", "port", "user", "dbname"}}, autocommit=True
            ) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        return real(**kwargs)

    monkeypatch.setattr(services, "articles_create_from_analyses", kill_own_backend_at_third)
    batch = import_batch(batch_id=batch.pk)
    assert batch.status == "failed" and "OperationalError" in batch.error
    assert ImportBatch.objects.get(pk=batch.pk).status == "failed"  # recorded through a fresh connection
    assert Article.objects.count() == 2

    monkeypatch.setattr(services, "articles_create_from_analyses", real)
    batch = import_batch(batch_id=batch.pk, resume=True)
    assert (batch.status, batch.created, batch.failed) == ("done", 5, 0)
    assert Article.objects.count() == 5
