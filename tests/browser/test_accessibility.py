"""axe-core (vendored in tests/browser/vendor/, injected by the test only; app pages never load it) on every main
page, for every role that sees it: no serious or critical WCAG 2.1 A/AA violation (contrast, labels, names...)."""

from pathlib import Path

import pytest

from tests.browser.conftest import login
from tests.browser.test_layout import pages_for, world  # noqa: F401 (the fixture)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
RUN_AXE = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  });
  return result.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n')[1]),
  }));
}"""


@pytest.fixture
def page(browser, live_server):
    """A page whose context lets the test inject axe (the app's CSP forbids inline script, rightly)."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


def _check(page, who, urls, failures):
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, (who, url)
        page.wait_for_load_state("networkidle")  # panels loaded with htmx are part of the page
        failures += [(who, url, v) for v in axe_violations(page)]


def test_no_serious_accessibility_violation_on_any_main_page_for_any_role(page, world):  # noqa: F811
    UserFactory(username="root", role="Admin", is_staff=True, is_superuser=True)
    failures = []
    page.goto("/accounts/login/")
    failures += [("anonymous", "/accounts/login/", v) for v in axe_violations(page)]
    for who, pages_of in (("ana", "ana"), ("sue", "sue"), ("root", "sue")):
        page.goto("about:blank")  # nothing of the previous page may set a cookie after this
        page.context.clear_cookies()
        login(page, who)
        _check(page, who, pages_for(pages_of, world), failures)
    assert failures == [], "\n".join(map(str, failures))


def test_the_app_pages_do_not_load_axe_and_the_check_catches_a_violation(page, world):  # noqa: F811
    login(page, "ana")
    page.goto("/codebook/")
    assert page.evaluate("typeof window.axe") == "undefined"
    assert not page.locator("script[src*='axe']").count()
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<p style=\"color:#bbb;background:#fff\">faint text</p><input type=text>')"
    )
    ids = {v["id"] for v in axe_violations(page)}
    assert {"color-contrast", "label"} <= ids


def test_every_workspace_tab_the_quote_editor_and_the_shortcut_overlay_pass_axe(page, world):  # noqa: F811
    login(page, "ana")
    page.goto(f"/annotate/{world['article'].pk}/")
    page.wait_for_selector("#workspace[data-ready='1']")
    failures = []
    for tab in ("Spans", "Quotes", "Entities", "Codebook"):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_load_state("networkidle")
        failures += [(tab, v) for v in axe_violations(page)]
    page.get_by_role("tab", name="Quotes").click()
    page.locator("#quotes-panel .qp-edit-open").first.click()
    page.wait_for_selector("#quotes-panel .qp-edit-forms")
    failures += [("quote editor", v) for v in axe_violations(page)]
    page.locator("#shortcuts-open").click()
    page.wait_for_selector("#shortcuts:not([hidden])")
    failures += [("shortcuts", v) for v in axe_violations(page)]
    assert failures == [], "\n".join(map(str, failures))
