"""rows_insert / tuples_insert: plain rows at database speed (COPY on PostgreSQL, bulk_create elsewhere), defaults filled
once; gc_paused around bulk work."""

import gc
import threading

import pytest

from apps.annotations.models import EntityMention
from apps.core.bulk import gc_paused, rows_insert, tuples_insert
from apps.corpus.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _article(n: int, **extra) -> dict:
    return {
        "title": f"T{n}",
        "text": f"Text {n}\twith a tab,\nand a line \\ and a backslash.",
        "content_hash": f"{n:064d}",
        **extra,
    }


def test_rows_with_the_same_fields_get_ids_in_order_their_values_and_the_defaults():
    ids = rows_insert(Article, [_article(1, metadata={"caption": "a \\ b"}), _article(2, metadata={})], ids=True)
    first, second = Article.objects.get(pk=ids[0]), Article.objects.get(pk=ids[1])
    assert (first.title, second.title) == ("T1", "T2")
    assert first.text == "Text 1\twith a tab,\nand a line \\ and a backslash."
    assert first.metadata == {"caption": "a \\ b"} and second.metadata == {}
    assert first.byline == "" and first.published is None and first.n_words == 0 and first.created_at is not None


def test_rows_naming_different_fields_each_get_their_own_values_and_defaults():
    ids = rows_insert(
        Article, [_article(3), _article(4, byline="A. Writer", metadata={"k": [1, 2]}, n_words=7)], ids=True
    )
    plain, full = Article.objects.get(pk=ids[0]), Article.objects.get(pk=ids[1])
    assert (plain.byline, plain.metadata, plain.n_words) == ("", {}, 0)
    assert (full.byline, full.metadata, full.n_words) == ("A. Writer", {"k": [1, 2]}, 7)


def test_without_ids_nothing_is_returned_and_every_row_is_stored():
    article = ArticleFactory(text="Xi Jinping met Vladimir Putin.")
    rows = [
        {"article_id": article.pk, "label": "PERSON", "start": 0, "end": 10, "text": "Xi Jinping"},
        {"article_id": article.pk, "label": "PERSON", "start": 15, "end": 29, "text": "Vladimir Putin"},
    ]
    assert rows_insert(EntityMention, rows) == []
    stored = list(EntityMention.objects.filter(article=article).order_by("start").values_list("text", "status"))
    assert stored == [("Xi Jinping", "suggested"), ("Vladimir Putin", "suggested")]
    assert rows_insert(EntityMention, []) == []


def test_reserved_ids_are_new_increasing_and_the_sequence_is_looked_up_once():
    """On PostgreSQL the ids come from the table's sequence in one statement, which names the sequence once (a
    lookup per id made a large import's id reservation cost more than its inserts)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.core.bulk import _reserve_ids

    if connection.vendor != "postgresql":
        pytest.skip("sequences are PostgreSQL's here")
    before = ArticleFactory().pk
    with CaptureQueriesContext(connection) as queries:
        ids = _reserve_ids(Article, 500)
    assert len(queries) == 1 and queries[0]["sql"].count("pg_get_serial_sequence") == 1
    assert "OFFSET 0" in queries[0]["sql"]
    assert len(ids) == 500 and ids == sorted(set(ids)) and ids[0] > before
    assert ArticleFactory().pk > ids[-1]


def test_tuples_are_stored_in_the_order_of_their_columns_with_the_defaults():
    article = ArticleFactory(text="Xi Jinping met Vladimir Putin.")
    tuples_insert(
        EntityMention,
        ("article_id", "label", "start", "end", "text"),
        [(article.pk, "PERSON", 0, 10, "Xi\tJinping \\"), (article.pk, "PERSON", 15, 29, "Vladimir Putin")],
    )
    tuples_insert(EntityMention, ("article_id", "label", "start", "end", "text"), [])
    stored = EntityMention.objects.filter(article=article).order_by("start")
    assert list(stored.values_list("text", "status", "decided_by", "decided_at")) == [
        ("Xi\tJinping \\", "suggested", None, None),
        ("Vladimir Putin", "suggested", None, None),
    ]


def test_collection_is_paused_while_any_pause_lasts_and_resumes_after_the_last():
    assert gc.isenabled()
    inner_done = threading.Event()

    def other_thread():
        with gc_paused():
            pass
        inner_done.set()

    try:
        with gc_paused():
            assert not gc.isenabled()
            with gc_paused():
                assert not gc.isenabled()
            thread = threading.Thread(target=other_thread)
            thread.start()
            thread.join()
            assert inner_done.is_set() and not gc.isenabled()
        assert gc.isenabled()
        gc.disable()  # a pause never turns on a collector that was off
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
