import csv

import pytest
from playwright.sync_api import expect

from apps.review.services import gold_span_put
from tests.browser.conftest import login
from tests.browser.test_layout import OVERFLOW, WIDEST
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


def _world():
    from apps.annotations.models import Annotation
    from apps.quotes.models import Quote, Speaker, SpeakerAlias

    UserFactory(username="sue", role="Supervisor")
    ana = UserFactory(username="ana", role="Analyst")
    xinhua, _empty = OutletFactory(name="Xinhua"), OutletFactory(name="Empty Outlet")
    order = ThemeFactory(name="Order", slug="order")
    text = "\u201cWe oppose unilateralism and bullying,\u201d Xi said. Trade grew in May. The talks went well."
    a = ArticleFactory(outlet=xinhua, text=text)
    xi = Speaker.objects.create(name="Xi Jinping", role="Chinese President")
    SpeakerAlias.objects.create(speaker=xi, alias="President Xi", alias_key="president xi")
    quoted = "We oppose unilateralism and bullying,"
    start = text.index(quoted)
    Quote.objects.create(
        article=a,
        speaker=xi,
        start=start,
        end=start + len(quoted),
        text=quoted,
        kind="direct",
        cue="said",
        cue_start=text.index("said"),
        cue_end=text.index("said") + 4,
        speaker_mention="Xi",
        confidence=0.9,
    )
    inside = _span(a, "unilateralism and bullying", ana, [order])
    Annotation.objects.filter(pk=inside.pk).update(status="accepted")
    # accepted spans are exported from the gold layer, where review puts them
    gold_span_put(
        article=a,
        start=inside.start,
        end=inside.end,
        theme_ids=[order.pk],
        sources=[inside],
        origin="chosen",
        actor=ana,
    )
    _span(a, "Trade grew", ana, [order])
    return inside


@pytest.mark.parametrize("width", [1280, 390])
def test_export_page_disables_filters_shows_errors_inline_and_writes_excel(page, screenshot, tmp_path, width):
    inside = _world()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "sue")
    page.goto("/exports/")
    count = page.get_by_test_id("preview-count")
    expect(count).to_have_text("2")

    page.get_by_label("JSONL (whole database, lossless)").check()
    expect(page.locator("#id_theme")).to_be_disabled()
    expect(page.locator("#id_speaker")).to_be_disabled()
    expect(page.locator("#filters-note")).to_contain_text("filters do not apply")
    expect(page.locator("#preview")).to_contain_text("the whole database")
    screenshot(page, f"jsonl-{width}")

    page.get_by_label("spaCy DocBin (accepted spans: the gold standard)").check()
    expect(page.locator("#id_status")).to_be_disabled()
    expect(page.locator("#why-status")).to_have_text("A DocBin holds accepted spans only: the gold standard.")
    expect(page.locator("#id_theme")).to_be_enabled()
    expect(count).to_have_text("1")  # one accepted (span, theme) label

    page.get_by_label("CSV (one row per span and theme)").check()
    expect(count).to_have_text("2")
    # the form was just swapped in: type once htmx has settled it (its input trigger is wired then)
    page.wait_for_function("() => !document.querySelector('.htmx-settling, .htmx-request, .htmx-swapping')")
    page.locator("#id_speaker").press_sequentially("presid")
    expect(page.locator("#speaker-options option")).to_have_count(1)
    assert page.locator("#speaker-options option").get_attribute("value") == "Xi Jinping"
    page.locator("#id_speaker").fill("President Xi")  # an alias
    page.locator("#id_speaker").press("Tab")
    expect(count).to_have_text("1")  # only the span inside Xi's quote
    screenshot(page, f"speaker-alias-{width}")

    page.get_by_label("Excel (the same CSV, UTF-8 with BOM)").check()
    expect(page.locator("#preview")).to_contain_text("UTF-8 with a BOM")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download").click()
    path = tmp_path / "excel.csv"
    info.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    assert [int(r["span_id"]) for r in rows] == [inside.pk]

    # no rows: the download stays on the page, with the navigation, and says why
    page.get_by_label("CSV (one row per span and theme)").check()
    expect(page.locator("#preview")).not_to_contain_text("BOM")  # the swap is done: the fields are the new ones
    page.locator("#id_speaker").fill("")
    page.select_option("#id_outlet", label="Empty Outlet")
    expect(count).to_have_text("0")
    page.get_by_role("button", name="Download").click()
    expect(page.get_by_test_id("export-error")).to_have_text(
        "No span matches these filters: there is nothing to export."
    )
    expect(page.get_by_role("link", name="Export")).to_be_visible()
    screenshot(page, f"no-rows-{width}")

    # a bad date typed into the address bar: the same page, the message inline
    page.goto("/exports/download/?date_from=2025-13-01")
    expect(page.get_by_test_id("export-error")).to_contain_text("Date from '2025-13-01' is not a date")
    assert page.evaluate(OVERFLOW), page.evaluate(WIDEST)
    screenshot(page, f"bad-date-{width}")
    assert all("400" in e for e in page.js_errors)  # the browser logs the 400 status of the refused download
