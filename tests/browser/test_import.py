import pytest
from django.core.management import call_command

from apps.corpus.models import Article
from tests.browser.conftest import login
from tests.conftest import SEEDS
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_supervisor_uploads_files_and_watches_the_worker_finish_them(page, settings, tmp_path, screenshot):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    UserFactory(username="sue", role="Supervisor")
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"title": "Fine", "text": "A good record."}\n{"title": oops}\n')

    login(page, "sue")
    page.get_by_role("link", name="Import").click()
    page.set_input_files("#id_files", [str(SEEDS[0]), str(broken)])
    page.get_by_role("button", name="Import").click()

    page.wait_for_url("**/imports/*/")
    assert page.locator(".status").inner_text() == "Waiting for a worker"
    screenshot(page, "waiting")

    # the worker (normally `manage.py db_worker`) picks the task up; the page polls and shows the result
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.wait_for_selector(".status-done", timeout=15_000)
    assert page.locator("progress").get_attribute("value") == "100"
    rows = page.locator("table.results tbody tr")
    assert rows.count() == 2
    # cell by cell: file, encoding, articles, created, skipped, failed (the file name itself holds digits)
    assert rows.nth(0).locator("td").all_inner_texts()[:6] == [SEEDS[0].name, "utf-8", "4", "4", "0", "0"]
    assert rows.nth(1).locator("td").all_inner_texts()[:6] == ["broken.jsonl", "utf-8", "1", "1", "0", "1"]
    assert "broken.jsonl, line 2: malformed JSON" in rows.nth(1).locator("td").nth(6).inner_text()
    screenshot(page, "done")
    assert Article.objects.count() == 5

    page.get_by_role("link", name="See these articles").click()
    assert page.locator("table.list tbody tr").count() == 5
