import pytest

from apps.corpus.models import Article
from apps.ingest.models import ImportBatch
from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TWO_ARTICLES = (
    "Leaders meet in Moscow\nBy Jane Doe\nMay 8, 2025\nLeaders met on Thursday in Moscow to talk about trade.\n\n\n"
    "Ministers sign an energy deal\nBy John Roe\nMay 9, 2025\nMinisters signed a deal on energy and trade.\n"
)


def test_a_supervisor_previews_an_upload_then_imports_it(page, tmp_path, screenshot):
    UserFactory(username="sue", role="Supervisor")
    source = tmp_path / "two.txt"
    source.write_text(TWO_ARTICLES)
    login(page, "sue")
    page.goto("/imports/")
    page.set_input_files("#id_files", [str(source)])
    page.get_by_role("button", name="Preview").click()

    page.wait_for_selector("#preview")
    rows = page.locator("#preview table.preview tbody tr")
    assert rows.count() == 2
    assert "Leaders meet in Moscow" in rows.nth(0).inner_text() and "2025-05-08" in rows.nth(0).inner_text()
    assert "Ministers signed a deal" in rows.nth(1).inner_text()
    assert Article.objects.count() == 0  # a preview writes nothing
    screenshot(page, "import-preview")

    page.get_by_role("button", name="Import 2 articles").click()
    page.wait_for_selector(".status-done", timeout=15_000)  # the test task backend runs the import at once
    assert Article.objects.count() == 2
    assert ImportBatch.objects.get().created == 2
    assert page.js_errors == []
