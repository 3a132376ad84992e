import csv

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import login
from tests.factories import AnnotationFactory, ArticleFactory, OutletFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _span(article, fragment, annotator, themes):
    start = article.text.index(fragment)
    ann = AnnotationFactory(article=article, annotator=annotator, start=start, end=start + len(fragment))
    ann.themes.set(themes)
    return ann


def test_supervisor_filters_by_theme_and_outlet_and_downloads_exactly_those_rows(page, screenshot, tmp_path):
    UserFactory(username="sue", role="Supervisor")
    ana = UserFactory(username="ana", role="Analyst")
    xinhua, tass = OutletFactory(name="Xinhua"), OutletFactory(name="TASS")
    sanctions, ukraine = ThemeFactory(name="Sanctions", slug="sanctions"), ThemeFactory(name="Ukraine", slug="ukraine")
    a = ArticleFactory(outlet=xinhua, text="Tariffs hurt everyone. The war in Ukraine must end. Trade grew.")
    b = ArticleFactory(outlet=tass, text="Sanctions failed, the minister said. Kyiv talks stalled.")
    wanted = [_span(a, "Tariffs hurt everyone", ana, [sanctions, ukraine]), _span(a, "Trade grew", ana, [sanctions])]
    _span(a, "The war in Ukraine", ana, [ukraine])  # other theme
    _span(b, "Sanctions failed", ana, [sanctions])  # other outlet

    login(page, "sue")
    page.get_by_role("link", name="Export").click()
    page.wait_for_url("**/exports/")
    count = page.get_by_test_id("preview-count")
    expect(count).to_have_text("5")
    page.select_option("#id_theme", "sanctions")
    expect(count).to_have_text("3")  # the preview follows each filter
    page.select_option("#id_outlet", label="Xinhua")
    expect(count).to_have_text("2")
    screenshot(page, "filtered")

    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    path = tmp_path / "export.csv"
    info.value.save_as(path)
    assert info.value.suggested_filename.endswith(".csv")
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert sorted((int(r["span_id"]), r["theme"], r["outlet"]) for r in rows) == sorted(
        (s.pk, "sanctions", "Xinhua") for s in wanted
    )
    assert page.js_errors == []
