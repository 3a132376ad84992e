"""Pre-annotated import: records that bring spans (with themes), entities and quotes (README "Pre-annotated import")."""

from __future__ import annotations

import json
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from apps.annotations.models import Annotation, EntityMention, Theme
from apps.corpus.models import Article
from apps.ingest import preannotated
from apps.ingest.models import ImportBatch
from apps.ingest.services import SourceFile, import_sources
from apps.quotes.models import Quote, Speaker
from tests.conftest import REPO, SHARED

pytestmark = pytest.mark.django_db

TEXT = 'Xi Jinping met Vladimir Putin in Moscow.\n\n"We support a multipolar world," Xi said.'


def _record(**extra) -> dict:
    return {"title": "Summit", "text": TEXT, "outlet": "TASS", **extra}


def _jsonl(*records) -> bytes:
    return "\n".join(json.dumps(r) for r in records).encode() + b"\n"


def _import(data: bytes, *, name="pre.jsonl", user=None) -> ImportBatch:
    return import_sources(batch=ImportBatch.objects.create(created_by=user), sources=[SourceFile(name, data)])


def _full_record(**extra) -> dict:
    quote_start = TEXT.index('"We support')
    return _record(
        spans=[
            {"start": 0, "end": 10, "text": "Xi Jinping", "label": "PERSON"},
            {"start": 33, "end": 39, "label": "GPE"},
            {"start": 0, "end": 40, "themes": ["strategic partnership and mutual trust"], "note": "opening"},
            {"start": quote_start, "end": quote_start + 31, "label": "MULTIPOLARITY"},
        ],
        entities=[{"start": 15, "end": 29, "label": "person", "text": "Vladimir Putin"}],
        quotes=[
            {
                "start": quote_start,
                "end": quote_start + 31,
                "speaker": "Xi Jinping",
                "kind": "direct",
                "cue_start": TEXT.index("said"),
                "cue_end": TEXT.index("said") + 4,
            }
        ],
        **extra,
    )


def test_a_record_with_spans_entities_and_quotes_imports_them_all_without_spacy(themes, supervisor, monkeypatch):
    import apps.ingest.services as services

    monkeypatch.setattr(services, "analyze_texts_ahead", lambda *a, **k: pytest.fail("spaCy ran"))
    batch = _import(_jsonl(_full_record()), user=supervisor)
    assert (batch.status, batch.created, batch.failed) == ("done", 1, 0), batch.results
    article = Article.objects.get()
    assert article.n_words > 0 and list(batch.articles.all()) == [article]
    entities = {(e.label, e.text) for e in EntityMention.objects.all()}
    assert entities == {("PERSON", "Xi Jinping"), ("GPE", "Moscow"), ("PERSON", "Vladimir Putin")}
    spans = list(Annotation.objects.order_by("start").prefetch_related("themes"))
    assert [(s.text[:10], s.annotator, s.note) for s in spans] == [
        ("Xi Jinping", supervisor, "opening"),
        ('"We suppor', supervisor, ""),
    ]
    assert [t.name for t in spans[0].themes.all()] == ["strategic partnership and mutual trust"]
    assert [t.name for t in spans[1].themes.all()] == ["multipolarity"]  # matched by name, any case
    quote = Quote.objects.get()
    assert (quote.text, quote.kind, quote.cue, quote.speaker.name) == (
        '"We support a multipolar world,',
        "direct",
        "said",
        "Xi Jinping",
    )
    # one history row per span, holding its themes, as a workspace save writes it
    history = Annotation.history.filter(history_type="+")
    assert history.count() == 2
    assert sorted(h.themes.count() for h in history) == [1, 1]
    call_command("check_spans")


def test_unknown_theme_labels_create_themes_and_named_annotators_own_their_spans(supervisor, analyst):
    record = _record(annotator="ana", spans=[{"start": 0, "end": 10, "label": "UN_AUTHORITY"}], nlp=False)
    batch = _import(_jsonl(record), user=supervisor)
    assert batch.created == 1, batch.results
    span = Annotation.objects.get()
    assert span.annotator == analyst
    assert [t.name for t in span.themes.all()] == ["UN authority"]
    assert Theme.objects.filter(name="UN authority", active=True).exists()
    # the same label again finds the theme instead of making another
    _import(_jsonl(_record(text=TEXT + " More.", spans=[{"start": 0, "end": 10, "label": "un-authority"}], nlp=False)))
    assert Theme.objects.filter(name__iexact="UN authority").count() == 1


def test_a_bad_offset_fails_only_its_record_with_file_and_line(themes, supervisor):
    good = _record(text="First article text.", spans=[{"start": 0, "end": 5, "label": "EVENT"}])
    past_end = _record(text="Second article text.", spans=[{"start": 5, "end": 500, "label": "GPE"}])
    wrong_text = _record(text="Third article text.", entities=[{"start": 0, "end": 5, "label": "GPE", "text": "Other"}])
    blank = _record(text="Fourth  article text.", spans=[{"start": 6, "end": 8, "label": "GPE"}])
    not_json = {"title": "x", "text": "Fifth article.", "spans": "[{oops"}
    batch = _import(_jsonl(good, past_end, wrong_text, blank, not_json), user=supervisor)
    assert (batch.created, batch.failed) == (1, 4)
    errors = batch.results[0]["errors"]
    assert errors[0].startswith("pre.jsonl, line 2: span 1:") and "0 <= start < end" in errors[0]
    assert errors[1].startswith("pre.jsonl, line 3: entity 1: text 'Other' does not match")
    assert errors[2].startswith("pre.jsonl, line 4: span 1:") and "white space" in errors[2]
    assert errors[3].startswith("pre.jsonl, line 5: spans: malformed JSON")
    assert Article.objects.get().text == "First article text."
    assert EntityMention.objects.count() == 1


def test_an_entity_label_wider_than_its_column_fails_only_its_record(themes, supervisor):
    long_label = _record(text="Second article text.", entities=[{"start": 0, "end": 6, "label": "X" * 21}])
    widest = _record(text="Third article text.", entities=[{"start": 0, "end": 5, "label": "Y" * 20}])
    batch = _import(_jsonl(_record(text="First article text."), long_label, widest), user=supervisor)
    assert (batch.created, batch.failed) == (2, 1)
    assert batch.results[0]["errors"] == ["pre.jsonl, line 2: entity 1: label longer than 20 characters"]
    stored = EntityMention.objects.filter(article__text="Third article text.")
    assert list(stored.values_list("label", flat=True)) == ["Y" * 20]


def test_offsets_follow_the_text_through_normalisation():
    text = "  Caf\u0065\u0301 talks\r\nin Moscow   \r\nended. "  # NFD accent, CR LF, trailing and outer spaces
    start = text.index("Moscow")
    record = _record(text=text, entities=[{"start": start, "end": start + 6, "label": "GPE", "text": "Moscow"}])
    batch = _import(_jsonl(record))
    assert batch.created == 1, batch.results
    article = Article.objects.get()
    assert article.text == "Caf\u00e9 talks\nin Moscow\nended."
    mention = EntityMention.objects.get()
    assert article.text[mention.start : mention.end] == "Moscow"
    inside = _record(text="Cafe\u0301 bar", entities=[{"start": 0, "end": 4, "label": "ORG"}])  # splits é
    batch = _import(_jsonl(inside))
    assert batch.failed == 1 and "inside a character" in batch.results[0]["errors"][0]


def test_duplicates_are_skipped_within_a_file_and_against_the_corpus(themes, supervisor):
    data = _jsonl(_full_record(), _full_record())
    first = _import(data, user=supervisor)
    assert (first.created, first.skipped) == (1, 1)
    again = _import(data, user=supervisor)
    assert (again.created, again.skipped, again.failed) == (0, 2, 0)
    assert Article.objects.count() == 1 and Annotation.objects.count() == 2 and EntityMention.objects.count() == 3


def test_each_article_is_atomic_a_failing_article_of_a_chunk_leaves_nothing_and_the_others_import(
    themes, supervisor, monkeypatch
):
    records = [_full_record(text=TEXT + f" Edition {n}.") for n in range(5)]
    real = preannotated.quotes_import_bulk

    def flaky(*, items):
        if any(article.text.endswith("Edition 3.") for article, _, _ in items):
            raise RuntimeError("disk on fire")
        return real(items=items)

    monkeypatch.setattr(preannotated, "quotes_import_bulk", flaky)
    batch = _import(_jsonl(*records), user=supervisor)
    assert (batch.created, batch.failed) == (4, 1)
    assert "line 4" in batch.results[0]["errors"][0] and "disk on fire" in batch.results[0]["errors"][0]
    assert not Article.objects.filter(text__endswith="Edition 3.").exists()
    assert Article.objects.count() == 4
    assert Annotation.objects.count() == 8 and EntityMention.objects.count() == 12 and Quote.objects.count() == 4
    assert Speaker.objects.count() == 1


def test_unknown_annotator_or_no_annotator_fails_the_record(themes):
    batch = _import(_jsonl(_record(annotator="nobody", spans=[{"start": 0, "end": 10, "themes": ["multipolarity"]}])))
    assert batch.failed == 1 and "unknown annotator 'nobody'" in batch.results[0]["errors"][0]
    batch = _import(_jsonl(_record(spans=[{"start": 0, "end": 10, "themes": ["multipolarity"]}], nlp=False)))
    assert batch.failed == 1 and "need an annotator" in batch.results[0]["errors"][0]
    assert not Article.objects.exists()


def test_csv_cells_carry_the_same_json_lists(supervisor):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["title", "text", "entities", "spans"])
    writer.writerow(["One", "Leaders met in Moscow.", json.dumps([{"start": 15, "end": 21, "label": "GPE"}]), ""])
    writer.writerow(["Two", "Plain text, spaCy runs.", "", ""])
    batch = _import(buffer.getvalue().encode(), name="pre.csv", user=supervisor)
    assert batch.created == 2, batch.results
    assert EntityMention.objects.filter(article__title="One", label="GPE", text="Moscow").exists()


def test_a_record_asking_for_spacy_gets_its_suggestions_and_its_own_spans(themes, supervisor):
    record = _record(
        nlp=True,
        spans=[{"start": 0, "end": 10, "themes": ["multipolarity"]}, {"start": 0, "end": 10, "label": "PERSON"}],
    )
    batch = _import(_jsonl(record), user=supervisor)
    assert batch.created == 1, batch.results
    assert Annotation.objects.get().text == "Xi Jinping"
    assert EntityMention.objects.filter(label="PERSON", start=0, end=10).count() == 1  # spaCy's and ours: once
    assert EntityMention.objects.filter(text="Moscow").exists()  # spaCy's own suggestion


@pytest.mark.skipif(
    not (SHARED / "peers" / "peer_bench_common.py").exists(), reason=f"shared peers folder not found at {SHARED}"
)
def test_the_peer_benchmark_corpus_imports_as_it_is(themes, supervisor):
    sys.path.insert(0, str(SHARED / "peers"))
    import peer_bench_common as pc

    docs = pc.corpus(3)
    batch = _import(_jsonl(*docs), user=supervisor)
    assert (batch.created, batch.failed) == (3, 0), batch.results
    n_theme = sum(1 for d in docs for s in d["spans"] if s["label"] in pc.THEME_LABELS)
    assert Annotation.objects.count() == n_theme
    assert EntityMention.objects.count() == sum(len(d["spans"]) for d in docs) - n_theme
    assert Article.objects.filter(metadata__doc_id="synth-000001").exists()
    call_command("check_spans")


def test_upload_page_and_command_accept_preannotated_records(
    client_for, supervisor, themes, tmp_path, django_capture_on_commit_callbacks
):
    client = client_for(supervisor)
    upload = SimpleUploadedFile("pre.jsonl", _jsonl(_full_record()))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ingest:upload"), {"files": [upload], "fmt": "auto"})
    assert response.status_code == 302
    assert Annotation.objects.filter(annotator=supervisor).count() == 2
    path = tmp_path / "more.jsonl"
    path.write_bytes(_jsonl(_full_record(text=TEXT + " Again.")))
    call_command("import_articles", str(path), "--user", "sue", "--no-progress")
    assert Article.objects.count() == 2 and Annotation.objects.count() == 4


def test_the_readme_example_imports(themes, analyst):
    text = (REPO / "README.md").read_text()
    block = text.split("### Pre-annotated import", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    record = json.loads(block)
    batch = _import(_jsonl(record))
    assert (batch.created, batch.failed) == (1, 0), batch.results
    assert Annotation.objects.filter(annotator=analyst).count() == 2
    assert Quote.objects.get().cue == "said"


def test_a_batch_can_run_in_a_child_process_of_the_worker(settings, supervisor, monkeypatch, themes):
    """IMPORT_CHILD_PROCESS: the worker runs the batch through a child interpreter and reads the outcome back."""
    import subprocess

    from apps.ingest import tasks

    calls = []

    def child(cmd, cwd, check):  # runs the child's code here (the test database is not visible to a real child)
        calls.append(cmd)
        assert cmd[:2] == [sys.executable, "-c"] and cwd == settings.BASE_DIR
        monkeypatch.setattr(sys, "argv", ["-c", *cmd[3:]])
        exec(cmd[2], {})
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(tasks.subprocess, "run", child)
    settings.IMPORT_CHILD_PROCESS = True
    batch = ImportBatch.objects.create(created_by=supervisor)
    path = "imports/pre.jsonl"
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    batch.files = [{"name": "pre.jsonl", "path": default_storage.save(path, ContentFile(_jsonl(_full_record())))}]
    batch.save()
    result = tasks.run_import_batch.call(batch.pk)
    assert len(calls) == 1 and calls[0][3:] == [str(batch.pk), "0"]
    assert result == {"status": "done", "created": 1, "skipped": 0, "failed": 0}
    assert Annotation.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_two_writers_share_the_chunks_and_each_article_stays_atomic(supervisor, monkeypatch):
    """Outside a transaction, PostgreSQL gets the chunks from two writer threads on their own connections; a failing
    article of a chunk still costs only itself, duplicates are still skipped and the counters are those of one
    writer. (In the other tests a transaction is open, so the chunks are written one after the other.)"""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the parallel writers run on PostgreSQL only")
    import threading

    monkeypatch.setattr(preannotated, "CHUNK", 3)
    written = []  # (thread, articles) of each chunk
    real_outcomes = preannotated._chunk_outcomes
    monkeypatch.setattr(
        preannotated,
        "_chunk_outcomes",
        lambda chunk, ctx: written.append((threading.current_thread().name, len(chunk))) or real_outcomes(chunk, ctx),
    )
    real_entities = preannotated.entity_mentions_import_bulk

    def flaky(*, items):
        if any(article.text.endswith("Edition 7.") for article, _ in items):
            raise RuntimeError("disk on fire")
        return real_entities(items=items)

    monkeypatch.setattr(preannotated, "entity_mentions_import_bulk", flaky)
    records = [
        _record(
            text=TEXT + f" Edition {n}.",
            spans=[{"start": 0, "end": 10, "label": "PERSON"}, {"start": 0, "end": 40, "label": "MULTIPOLARITY"}],
        )
        for n in range(10)
    ]
    _import(_jsonl(records[2]), user=supervisor)  # already in the corpus: skipped
    written.clear()
    batch = _import(_jsonl(*records), user=supervisor)
    # the records in chunks of 3 as read, each chunk without what the corpus has (record 3): 9 new articles in 4
    # chunks, all written by the writer threads
    assert [n for _, n in written] == [2, 3, 3, 1]
    assert {name for name, _ in written} <= {"import-writer-0", "import-writer-1"}
    assert (batch.status, batch.created, batch.skipped, batch.failed, batch.processed) == ("done", 8, 1, 1, 9)
    assert "line 8" in batch.results[0]["errors"][0] and "disk on fire" in batch.results[0]["errors"][0]
    assert Article.objects.count() == 9 and not Article.objects.filter(text__endswith="Edition 7.").exists()
    assert EntityMention.objects.count() == 9 and Annotation.objects.count() == 9
    assert batch.articles.count() == 8


def test_chunks_are_written_as_the_file_is_read_not_after_it(themes, supervisor, monkeypatch):
    """A chunk goes to the writers once its records are read and checked; the reading goes on meanwhile. (Inside the
    test's transaction each chunk is written on the spot, which makes the order visible.)"""
    monkeypatch.setattr(preannotated, "CHUNK", 2)
    events = []
    real_read, real_outcomes = preannotated.read_preannotation, preannotated._chunk_outcomes
    monkeypatch.setattr(
        preannotated,
        "read_preannotation",
        lambda annotations, **kw: events.append("read") or real_read(annotations, **kw),
    )
    monkeypatch.setattr(
        preannotated, "_chunk_outcomes", lambda chunk, ctx: events.append(len(chunk)) or real_outcomes(chunk, ctx)
    )
    records = [
        _record(text=TEXT + f" Edition {n}.", spans=[{"start": 0, "end": 10, "label": "PERSON"}]) for n in range(5)
    ]
    batch = _import(_jsonl(*records), user=supervisor)
    assert events == ["read", "read", 2, "read", "read", 2, "read", 1]
    assert (batch.status, batch.created, batch.total, batch.processed) == ("done", 5, 5, 5)


@pytest.mark.django_db(transaction=True)
def test_the_chunks_commit_without_waiting_for_the_disk_and_the_batch_with_it(supervisor, monkeypatch):
    """The chunk transactions commit asynchronously (PostgreSQL); the setting ends with each chunk, so the batch's
    own saves, which make a done batch durable, commit as usual."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    seen = []
    real_entities = preannotated.entity_mentions_import_bulk

    def entities(*, items):
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            seen.append(cursor.fetchone()[0])
        return real_entities(items=items)

    monkeypatch.setattr(preannotated, "entity_mentions_import_bulk", entities)
    batch = _import(_jsonl(_record(spans=[{"start": 0, "end": 10, "label": "PERSON"}])), user=supervisor)
    assert batch.created == 1 and seen == ["off"]
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_chunks_with_quotes_are_written_one_at_a_time_and_a_speaker_is_created_once(
    themes, supervisor, monkeypatch
):
    """Two writers, every record quoting the same new speaker: the chunks with quotes never overlap (resolving a new
    speaker in two transactions at once could create it twice), and the speaker exists once."""
    import threading
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the parallel writers run on PostgreSQL only")
    monkeypatch.setattr(preannotated, "CHUNK", 2)
    running, overlaps, lock = [0], [], threading.Lock()
    real_outcomes = preannotated._chunk_outcomes

    def outcomes(chunk, ctx):
        with lock:
            running[0] += 1
            overlaps.append(running[0])
        time.sleep(0.05)  # long enough for another writer to start one if it could
        try:
            return real_outcomes(chunk, ctx)
        finally:
            with lock:
                running[0] -= 1

    monkeypatch.setattr(preannotated, "_chunk_outcomes", outcomes)
    batch = _import(_jsonl(*[_full_record(text=TEXT + f" Edition {n}.") for n in range(6)]), user=supervisor)
    assert (batch.status, batch.created, batch.failed) == ("done", 6, 0)
    assert overlaps == [1, 1, 1] and Speaker.objects.count() == 1 and Quote.objects.count() == 6
