"""A committed write whose page could not be redrawn (the database failed right after the commit) says "Saved; the
page could not refresh" in the workspace instead of "Nothing was saved" (issue 16)."""

import pytest
from django.db import OperationalError

from apps.annotations import rendering
from apps.annotations.models import Annotation
from tests.browser.conftest import login
from tests.browser.test_workspace import drag_select, open_workspace, setup  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_span_saved_while_the_database_fails_to_redraw_says_saved(page, setup, monkeypatch, screenshot):  # noqa: F811
    analyst, article, _ = setup
    login(page, "ana")
    open_workspace(page, article)

    def broken(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(rendering, "paragraphs_html_between", broken)  # the live server runs in this process
    drag_select(page, article, "multipolar", "world")
    page.wait_for_selector("#picker:not([hidden])")
    page.keyboard.press("1")
    page.wait_for_selector("#toast:not([hidden])")
    toast = page.locator("#toast").inner_text()
    assert "Saved; the page could not refresh" in toast and "Nothing was saved" not in toast
    assert Annotation.objects.get().text == "multipolar world"
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "saved-not-refreshed")
    monkeypatch.undo()
    page.reload()
    page.wait_for_selector("#span-list li")  # a reload shows it
