"""A supervisor uploads pre-annotated records; the articles open with their spans, entities and quotes."""

import json

import pytest
from django.core.management import call_command

from apps.annotations.models import Annotation
from apps.corpus.models import Article
from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = 'Xi Jinping met Vladimir Putin in Moscow.\n\n"We support a multipolar world," Xi said.'


def test_supervisor_imports_preannotated_records_and_opens_one_with_its_spans(page, settings, tmp_path, screenshot):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    call_command("loaddata", "themes", verbosity=0)
    UserFactory(username="sue", role="Supervisor")
    good = {
        "title": "Xi meets Putin",
        "text": TEXT,
        "spans": [
            {"start": 0, "end": 10, "label": "PERSON"},
            {"start": 42, "end": 73, "label": "MULTIPOLARITY"},
        ],
        "quotes": [{"start": 42, "end": 73, "speaker": "Xi Jinping", "kind": "direct"}],
    }
    bad = {"title": "Broken", "text": "Short text.", "spans": [{"start": 3, "end": 99, "label": "GPE"}]}
    path = tmp_path / "preannotated.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")

    login(page, "sue")
    page.get_by_role("link", name="Import").click()
    page.set_input_files("#id_files", [str(path)])
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/imports/*/")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    page.wait_for_selector(".status-done", timeout=15_000)
    cells = page.locator("table.results tbody tr").nth(0).locator("td")
    # File, Encoding, Articles, Created, Skipped, Failed, Errors
    texts = cells.all_inner_texts()
    assert [texts[0], *texts[2:6]] == ["preannotated.jsonl", "2", "1", "0", "1"]
    assert "preannotated.jsonl, line 2: span 1:" in cells.nth(6).inner_text()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"batch-{width}")

    article = Article.objects.get()
    span = Annotation.objects.get()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/annotate/{article.pk}/")
    mark = page.locator(f'[data-m~="a{span.pk}"]').first
    mark.wait_for()
    assert "We support a multipolar world" in page.locator(f'[data-m~="a{span.pk}"]').all_inner_texts()[0]
    page.wait_for_selector("#entity-panel :text('Xi Jinping')", state="attached")  # a tab
    page.wait_for_selector("#quotes-panel :text('Xi Jinping')", state="attached")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"workspace-{width}")
    assert not page.js_errors
