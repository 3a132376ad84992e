"""The articles' full-text documents (corpus.0003): filled at insert by a trigger, deferred by the bulk import and
then filled by the catch-up task; search is right at every moment, on PostgreSQL and on SQLite."""

import json
from types import SimpleNamespace

import pytest
from django.db import connection, transaction

from apps.corpus.models import Article
from apps.corpus.search import (
    article_text_search,
    search_documents_deferred,
    search_index_catch_up,
    search_index_pending,
)
from apps.corpus.tasks import index_articles_for_search
from apps.ingest.models import ImportBatch
from apps.ingest.services import SourceFile, import_sources
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL full-text documents")


def _document(article) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_document::text FROM corpus_article WHERE id = %s", [article.pk])
        return cursor.fetchone()[0]


def _titles(q) -> list[str]:
    return [a.title for a in article_text_search(articles=Article.objects.all(), q=q)]


def _deferred_article(**fields) -> Article:
    with transaction.atomic(), search_documents_deferred():
        return ArticleFactory(**fields)


@postgres_only
def test_an_article_gets_its_document_at_insert_and_again_when_its_title_or_text_change():
    article = ArticleFactory(title="Summit", text="Sanctions were discussed.")
    assert "'sanction':" in _document(article) and "'summit':" in _document(article)
    Article.objects.filter(pk=article.pk).update(title="Parade")
    assert "'parad':" in _document(article) and "'summit'" not in _document(article)
    assert search_index_pending() == 0


@postgres_only
def test_a_deferred_article_has_no_document_yet_is_found_and_ranked_then_the_catch_up_fills_it():
    ArticleFactory(title="Old", text="Nothing about it.")
    ranked_first = ArticleFactory(title="Sanctions", text="New sanctions.")
    deferred = _deferred_article(title="Summit", text="Sanctions and sanctions: tough tariffs imposed.")
    assert _document(deferred) is None and search_index_pending() == 1
    assert sorted(_titles("sanctioned")) == ["Sanctions", "Summit"]  # stemmed, through the live document
    assert _titles('"tough tariffs"') == ["Summit"]  # phrases too
    assert _titles("sanctions")[0] == ranked_first.title  # ranked with the same weights (title A)
    assert index_articles_for_search.call()["indexed"] == 1
    assert search_index_pending() == 0 and "'sanction':" in _document(deferred)
    assert sorted(_titles("sanctioned")) == ["Sanctions", "Summit"]


@postgres_only
def test_the_catch_up_works_in_chunks_and_stops_at_its_limit():
    for k in range(5):
        _deferred_article(title=f"Deferred {k}", text=f"Text number {k} about parades.")
    assert search_index_pending() == 5
    assert search_index_catch_up(chunk=2, limit=3) == 3
    assert search_index_pending() == 2
    assert search_index_catch_up(chunk=2) == 2
    assert search_index_pending() == 0 and search_index_catch_up() == 0


@postgres_only
def test_the_catch_up_task_runs_in_slices_each_queued_behind_waiting_tasks(monkeypatch):
    """One run fills one slice and queues the next at a low priority, so an import uploaded meanwhile is taken first
    (the test backend runs the queued slice at once)."""
    from apps.corpus import tasks

    monkeypatch.setattr(tasks, "CATCH_UP_SLICE", 2)
    runs = []
    real = tasks.search_index_catch_up
    monkeypatch.setattr(tasks, "search_index_catch_up", lambda **kw: runs.append(kw) or real(**kw))
    for k in range(5):
        _deferred_article(title=f"Deferred {k}", text=f"Text number {k} about parades.")
    assert index_articles_for_search.call() == {"indexed": 2}
    assert [r["limit"] for r in runs] == [2, 2, 2] and search_index_pending() == 0
    assert index_articles_for_search.priority < 0


@postgres_only
def test_deferring_lasts_only_for_its_block_and_a_failed_block_leaves_nothing_deferred():
    _deferred_article(title="One", text="First text.")
    assert _document(ArticleFactory(title="Two", text="Second text.")) is not None
    with pytest.raises(RuntimeError), transaction.atomic(), search_documents_deferred():
        ArticleFactory(title="Three", text="Third text.")
        raise RuntimeError
    assert _document(ArticleFactory(title="Four", text="Fourth text.")) is not None
    assert search_index_pending() == 1


def _preannotated_upload(n: int) -> bytes:
    records = [
        {
            "title": f"Dispatch {k}",
            "text": f"Xi Jinping met Vladimir Putin in Moscow. Report {k} about multipolarity.",
            "spans": [{"start": 0, "end": 10, "label": "PERSON"}, {"start": 32, "end": 38, "label": "GPE"}],
        }
        for k in range(n)
    ]
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def test_search_finds_articles_the_moment_their_preannotated_import_is_done(supervisor, monkeypatch):
    """On PostgreSQL before the catch-up task has run (it is not enqueued here); on SQLite there is nothing to wait
    for. Either way the batch's articles are found as soon as the batch is done."""
    enqueued = []
    monkeypatch.setattr(
        "apps.ingest.services.index_articles_for_search", SimpleNamespace(enqueue=lambda *a: enqueued.append(a))
    )
    batch = import_sources(
        batch=ImportBatch.objects.create(created_by=supervisor),
        sources=[SourceFile("pre.jsonl", _preannotated_upload(3))],
    )
    assert batch.status == ImportBatch.Status.DONE and batch.created == 3
    assert enqueued == [()]  # the catch-up is asked for once, after the batch
    if connection.vendor == "postgresql":
        assert search_index_pending() == 3
    assert sorted(_titles("multipolarity")) == ["Dispatch 0", "Dispatch 1", "Dispatch 2"]
    assert _titles('"report 1"') == ["Dispatch 1"]


def test_with_the_task_backend_running_the_catch_up_no_document_is_left_missing(supervisor):
    batch = import_sources(
        batch=ImportBatch.objects.create(created_by=supervisor),
        sources=[SourceFile("pre.jsonl", _preannotated_upload(4))],
    )
    assert batch.created == 4
    assert search_index_pending() == 0
    assert len(_titles("moscow")) == 4
