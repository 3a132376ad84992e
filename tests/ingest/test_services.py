import pytest
from django.core.management import call_command
from django.db import IntegrityError

from apps.annotations.models import EntityMention
from apps.corpus.models import Article
from apps.ingest.models import ImportBatch
from apps.ingest.services import SourceFile, import_sources
from apps.quotes.models import Quote
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db


def test_seed_files_import_as_five_articles_with_entities_and_exact_offsets(seed_articles):
    assert len(seed_articles) == 5
    assert [a.outlet.name for a in seed_articles] == ["Xinhua", "Xinhua", "Reuters", "Xinhua", "Xinhua"]
    for article in seed_articles:
        entities = list(article.entities.all())
        assert entities, article.title
        for e in entities:
            assert article.text[e.start : e.end] == e.text
        for q in article.quotes.all():
            assert article.text[q.start : q.end] == q.text
    assert EntityMention.objects.filter(label="PERSON", text="Xi Jinping").exists()


def test_reimporting_the_same_content_is_skipped_and_reported(seed_articles):
    batch = import_sources(
        batch=ImportBatch.objects.create(), sources=[SourceFile(s.name, s.read_bytes()) for s in SEEDS]
    )
    assert batch.status == "done"
    assert (batch.created, batch.skipped, batch.failed) == (0, 5, 0)
    assert Article.objects.count() == 5


def test_a_broken_file_is_reported_by_name_and_the_others_still_import():
    good = SourceFile("good.txt", b"A headline\nBy Jane Doe May 8, 2025\nLeaders met on Thursday in Moscow.\n")
    binary = SourceFile("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    bad_json = SourceFile(
        "records.jsonl",
        b'{"title": "One", "text": "First body."}\n{"title": oops}\n{"title": "Three", "text": "Third body."}\n',
    )
    batch = import_sources(batch=ImportBatch.objects.create(), sources=[good, binary, bad_json])
    assert batch.status == "done"
    results = {r["name"]: r for r in batch.results}
    assert results["good.txt"]["created"] == 1
    assert results["photo.txt"]["errors"] and "photo.txt" in results["photo.txt"]["errors"][0]
    assert "line 2" in results["records.jsonl"]["errors"][0]
    assert results["records.jsonl"]["created"] == 2  # the good records around the bad line are kept
    assert Article.objects.count() == 3


def test_each_article_is_atomic_a_failing_write_leaves_nothing_behind(monkeypatch):
    import apps.ingest.services as services

    real = services.quotes_import_bulk

    def flaky(*, items):  # the last write of an article: its row and entities are in by then
        if any(article.title == "One" for article, _, _ in items):
            raise IntegrityError("simulated failure while writing quotes")
        return real(items=items)

    monkeypatch.setattr(services, "quotes_import_bulk", flaky)
    data = b'{"title": "One", "text": "Xi Jinping said peace matters."}\n{"title": "Two", "text": "Putin said ties grow."}\n'
    batch = import_sources(batch=ImportBatch.objects.create(), sources=[SourceFile("two.jsonl", data)])
    assert batch.created == 1 and batch.failed == 1
    assert list(Article.objects.values_list("title", flat=True)) == ["Two"]
    # the failed article left no entities or quotes behind
    assert not EntityMention.objects.exclude(article__title="Two").exists()
    assert not Quote.objects.exclude(article__title="Two").exists()


def test_import_command_reports_and_dry_run_writes_nothing(capsys):
    call_command("import_articles", *map(str, SEEDS), "--dry-run")
    assert Article.objects.count() == 0
    assert "would be imported" in capsys.readouterr().out
    call_command("import_articles", *map(str, SEEDS), "--no-progress")
    out = capsys.readouterr().out
    assert "4 created" in out and "1 created" in out
    assert Article.objects.count() == 5


def test_import_command_names_a_missing_file():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="nope.txt"):
        call_command("import_articles", "nope.txt")
