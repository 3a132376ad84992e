import pytest

from apps.corpus.models import Article
from apps.ingest.models import ImportBatch
from tests.browser.conftest import login
from tests.browser.test_layout import OVERFLOW, WIDEST
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


LEGACY_PERIOD_HEADLINES = (
    "China and Russia pledge closer strategic ties.\n\n"
    "MOSCOW, May 8 (Xinhua) -- \u201cA new era\u201d has begun, Chinese President Xi Jinping said on Thursday "
    "\u2013 after talks with Russian President Vladimir Putin.\n\n"
    "Brazil hosts BRICS foreign ministers for talks.\n\n"
    "RIO DE JANEIRO, May 9 (Reuters) - Foreign ministers of the BRICS countries met on Friday in Caf\u00e9 Brasil.\n"
).encode("cp1252")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_legacy_file_with_period_headlines_is_previewed_split_again_imported_and_assigned(
    page, tmp_path, screenshot, width
):
    UserFactory(username="sue", role="Supervisor")
    UserFactory(username="ana", role="Analyst")
    source = tmp_path / "Xinhua_may.txt"
    source.write_bytes(LEGACY_PERIOD_HEADLINES)
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "sue")
    page.goto("/imports/")
    page.set_input_files("#id_files", [str(source)])
    page.get_by_role("button", name="Preview").click()

    page.wait_for_selector("#preview")
    assert page.locator("[data-testid=encoding]").inner_text() == "read as cp1252 (not UTF-8)"
    rows = page.locator("#preview table.preview tbody tr")
    assert rows.count() == 1  # the issue: two articles read as one
    assert "\u201cA new era\u201d" in rows.nth(0).inner_text()  # decoded right, not mojibake
    screenshot(page, f"one-article-{width}")

    page.locator("details.reread summary").click()
    page.locator("#reread").get_by_label("Headlines end with a period").check()
    page.locator("#reread").get_by_label("Outlet from the file name").fill("{outlet}_*.txt")
    page.get_by_role("button", name="Preview again").click()
    page.wait_for_selector("#preview table.preview tbody tr:nth-child(2)")
    rows = page.locator("#preview table.preview tbody tr")
    assert rows.count() == 2
    assert "China and Russia pledge closer strategic ties" in rows.nth(0).inner_text()
    assert "Brazil hosts BRICS foreign ministers for talks" in rows.nth(1).inner_text()
    assert "Reuters" in rows.nth(1).inner_text()  # the dateline names the outlet
    assert Article.objects.count() == 0
    assert page.evaluate(OVERFLOW), page.evaluate(WIDEST)
    screenshot(page, f"split-{width}")

    page.get_by_role("button", name="Import 2 articles").click()
    page.wait_for_selector(".status-done", timeout=15_000)
    batch = ImportBatch.objects.get()
    assert batch.created == 2
    page.get_by_role("link", name="See these articles").click()
    page.wait_for_selector("#results")
    assert f"batch={batch.pk}" in page.url
    assert "2 articles" in page.locator("#results").inner_text()
    page.go_back()
    page.get_by_role("link", name="Assign this batch").click()
    page.wait_for_url(f"**/review/assign/?batch={batch.pk}")
    assert "2 articles match" in page.locator("#results").inner_text()
    assert page.js_errors == []
