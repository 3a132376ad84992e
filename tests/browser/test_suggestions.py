"""An analyst opens the suggestions page of an assigned article, sees a suggestion with the theme's definition and
the nearest accepted passages, accepts it, and the span exists (made by annotations' own service)."""

import pytest
from django.utils import timezone

from apps.annotations.models import Annotation, Theme
from apps.assignments.models import Assignment
from apps.suggestions.models import SuggesterModel
from apps.suggestions.services import suggester_train
from tests.browser.conftest import login
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

CODED = [
    ("The Foreign Ministry reiterated that Taiwan is an inalienable part of China's territory.", "taiwan-one-china"),
    (
        "Beijing urged Washington to abide by the one-China principle and the three joint communiques.",
        "taiwan-one-china",
    ),
    ("Any attempt to split Taiwan from China will be met with a resolute response.", "taiwan-one-china"),
    ("Washington announced new tariffs on Chinese goods on Wednesday.", "sanctions-and-tariffs"),
    ("The talks lasted three hours, the ministry said.", None),
]
NEW = (
    "Moscow firmly supports Beijing's position on Taiwan and the one-China principle, the statement said.\n"
    "The delegation left for Minsk on Friday evening."
)


def test_analyst_sees_a_suggestion_with_its_nearest_examples_and_accepts_it(page, screenshot, django_db_blocker):
    from django.core.management import call_command

    call_command("loaddata", "themes", verbosity=0)
    coder = UserFactory(username="coder", role="Analyst")
    themes = {t.slug: t for t in Theme.objects.all()}
    old = ArticleFactory(text="\n".join(text for text, _ in CODED))
    for text, slug in CODED:
        if slug:
            start = old.text.index(text)
            span = AnnotationFactory(
                article=old, annotator=coder, start=start, end=start + len(text), status=Annotation.Status.ACCEPTED
            )
            span.themes.set([themes[slug]])
    # a trained model (the worker's job; here the task's service is called directly)
    model = SuggesterModel.objects.create(version=1, created_at=timezone.now())
    suggester_train(model_id=model.pk)
    analyst = UserFactory(username="ana", role="Analyst")
    article = ArticleFactory(title="Moscow backs Beijing on Taiwan", text=NEW)
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")

    login(page, "ana")
    page.goto(f"/suggestions/article/{article.pk}/")
    item = page.locator(".sg-item", has=page.locator(".sg-theme", has_text="Taiwan / one-China"))
    item.wait_for()
    assert "Moscow firmly supports" in item.locator(".sg-text").inner_text()
    assert "one-China principle and related sovereignty" in item.locator(".sg-why").inner_text()
    neighbours = item.locator(".sg-neighbours li")
    assert 1 <= neighbours.count() <= 3
    # the nearest accepted passages are the Taiwan ones, the closest (shares "one-China principle") first
    assert "one-China principle" in neighbours.first.inner_text()
    assert all(
        text in {t for t, slug in CODED if slug == "taiwan-one-china"}
        for text in item.locator(".sg-neighbours q").all_inner_texts()
    )
    assert page.locator(".sg-item", has_text="delegation left for Minsk").count() == 0
    screenshot(page, "1280")
    page.set_viewport_size({"width": 390, "height": 900})
    screenshot(page, "390")
    page.set_viewport_size({"width": 1280, "height": 900})

    item.get_by_role("button", name="Accept").first.click()
    page.locator(".qp-notice", has_text="is now your span").wait_for()
    span = Annotation.objects.get(article=article, annotator=analyst)
    assert span.text == NEW.split("\n")[0] and list(span.themes.values_list("slug", flat=True)) == ["taiwan-one-china"]
    assert page.locator(".sg-item", has=page.locator(".sg-theme", has_text="Taiwan / one-China")).count() == 0
    assert not page.js_errors
    screenshot(page, "accepted")
