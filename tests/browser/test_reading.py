import pytest

from apps.assignments.models import Assignment
from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_analyst_opens_an_assigned_seed_article_and_sees_entity_highlights(page, seed_articles, screenshot):
    analyst = UserFactory(username="ana", role="Analyst")
    for article in seed_articles:
        Assignment.objects.create(article=article, analyst=analyst)

    login(page, "ana")
    page.goto("/articles/")
    assert page.locator("table.list tbody tr").count() == 5
    screenshot(page, "article-list")

    page.get_by_role("link", name="China, Russia to shoulder special responsibility amid rising unilateralism").click()
    page.wait_for_selector("#article-text")
    people = page.locator("#article-text .ent-PERSON")
    assert people.count() > 5
    assert "Xi Jinping" in people.all_inner_texts()
    shot = screenshot(page, "article")
    assert shot.exists()

    # switching the entity layer off removes the highlight colour
    page.get_by_label("Entities", exact=False).uncheck()
    assert "hide-ent" in page.locator("#article-text").get_attribute("class")
    assert page.js_errors == []
