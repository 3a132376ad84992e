import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.corpus.models import Article
from apps.ingest.models import ImportBatch
from tests.conftest import SEEDS

pytestmark = pytest.mark.django_db

SEED_NAME, SEED_BYTES = SEEDS[0].name, SEEDS[0].read_bytes()


def _upload(client, *files, **data):
    return client.post(reverse("ingest:upload"), {"files": list(files), "fmt": "auto", **data})


def test_analyst_and_anonymous_cannot_import(client, client_for, analyst):
    assert client.get(reverse("ingest:upload")).status_code == 302
    client = client_for(analyst)
    assert client.get(reverse("ingest:upload")).status_code == 403
    response = _upload(client, SimpleUploadedFile("a.txt", b"Title\nBody text here."))
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_supervisor_upload_runs_in_the_background_and_shows_per_file_results(
    client_for, supervisor, django_capture_on_commit_callbacks
):
    client = client_for(supervisor)
    jsonl = SimpleUploadedFile(
        "feed.jsonl",
        b'{"title": "Summit ends", "text": "Leaders agreed on trade, the minister said.", "outlet": "TASS"}\n',
    )
    broken = SimpleUploadedFile("broken.csv", b"title,summary\nA,B\n")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = _upload(client, jsonl, broken, default_outlet="Fallback")
    callbacks = [c for c in callbacks if not getattr(c, "readout_commit_marker", False)]  # apps.core.committed's
    assert len(callbacks) == 1  # the task is enqueued only once the batch is committed
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("ingest:batch_detail", args=[batch.pk])
    assert batch.status == "done" and batch.created == 1 and batch.failed == 1
    assert Article.objects.get().outlet.name == "TASS"
    page = client.get(response["Location"]).content.decode()
    assert "feed.jsonl" in page and "broken.csv" in page and "text" in page.lower()
    partial = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<section id="progress"') and "every 1s" not in partial


def test_upload_without_files_shows_a_form_error(client_for, supervisor):
    response = client_for(supervisor).post(reverse("ingest:upload"), {"fmt": "auto"})
    assert response.status_code == 200
    assert b"This field is required" in response.content


def test_an_empty_file_is_reported_by_name_and_the_other_files_still_import(
    client_for, supervisor, django_capture_on_commit_callbacks
):
    client = client_for(supervisor)
    good = SimpleUploadedFile("feed.jsonl", b'{"title": "Summit ends", "text": "Leaders agreed on trade."}\n')
    empty = SimpleUploadedFile("empty.jsonl", b"")
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(client, empty, good)
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.created == 1 and batch.failed == 1
    page = client.get(response["Location"]).content.decode()
    assert "empty.jsonl: empty file" in page


def test_a_stopped_batch_offers_a_resume_that_finishes_it(
    client_for, supervisor, analyst, django_capture_on_commit_callbacks
):
    from apps.ingest.services import batch_create_from_uploads

    upload = SimpleUploadedFile("feed.jsonl", b'{"title": "Summit ends", "text": "Leaders agreed on trade."}\n')
    batch = batch_create_from_uploads(user=supervisor, uploads=[upload])
    ImportBatch.objects.filter(pk=batch.pk).update(status="failed", error="OperationalError: connection lost")
    assert client_for(analyst).post(reverse("ingest:batch_resume", args=[batch.pk])).status_code == 403
    client = client_for(supervisor)
    page = client.get(reverse("ingest:batch_detail", args=[batch.pk])).content.decode()
    assert "Resume the import" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ingest:batch_resume", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.created) == ("done", 1)
    assert "Resume the import" not in client.get(reverse("ingest:batch_detail", args=[batch.pk])).content.decode()


def test_resume_imports_queues_batches_whose_worker_died(settings, capsys):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from apps.ingest.services import batch_create_from_uploads

    upload = SimpleUploadedFile("feed.jsonl", b'{"title": "Summit ends", "text": "Leaders agreed on trade."}\n')
    batch = batch_create_from_uploads(user=None, uploads=[upload])
    old = timezone.now() - timedelta(seconds=settings.IMPORT_STALE_SECONDS + 5)
    ImportBatch.objects.filter(pk=batch.pk).update(status="running", heartbeat_at=old)
    call_command("resume_imports")  # the test task backend runs the task at once
    assert "1 stopped import batch queued again." in capsys.readouterr().out
    batch.refresh_from_db()
    assert (batch.status, batch.created) == ("done", 1)


def test_preview_lists_the_articles_of_each_file_and_writes_none_until_started(
    client_for, supervisor, django_capture_on_commit_callbacks, seed_articles
):
    client = client_for(supervisor)
    two = (
        "First headline ends here.\nBy Jane Doe\nMay 8, 2025\nLeaders met on Thursday in Moscow to talk.\n\n\n"
        "Second headline\nBy John Roe\nMay 9, 2025\nMinisters signed a deal on energy and trade.\n"
    )
    again = SimpleUploadedFile(SEED_NAME, SEED_BYTES)
    response = _upload(client, SimpleUploadedFile("two.txt", two.encode()), again, action="preview")
    batch = ImportBatch.objects.get(status="preview")
    assert response["Location"] == reverse("ingest:batch_detail", args=[batch.pk])
    assert Article.objects.count() == 5  # the seeds only: nothing written
    page = client.get(response["Location"]).content.decode()
    assert "two.txt" in page and "Leaders met on Thursday" in page and "(already imported)" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ingest:batch_confirm", args=[batch.pk]), {"action": "import"})
    batch.refresh_from_db()
    assert batch.status == "done" and batch.created == batch.total > 0
    assert Article.objects.count() == 5 + batch.created


def test_a_discarded_preview_leaves_nothing(client_for, supervisor):
    client = client_for(supervisor)
    _upload(client, SimpleUploadedFile("a.jsonl", b'{"title": "T", "text": "Body."}\n'), action="preview")
    batch = ImportBatch.objects.get()
    response = client.post(reverse("ingest:batch_confirm", args=[batch.pk]), {"action": "discard"})
    assert response.status_code == 302 and not ImportBatch.objects.exists() and not Article.objects.exists()
