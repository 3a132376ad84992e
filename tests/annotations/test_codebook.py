"""The codebook: read by everyone, edited by supervisors (definition, rules, pinned examples), every change in
its history with who and when."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.annotations import selectors, services
from apps.annotations.models import Annotation, ThemeExample
from tests.factories import AnnotationFactory

pytestmark = pytest.mark.django_db


def _accepted_span(theme, **kwargs):
    span = AnnotationFactory(status=Annotation.Status.ACCEPTED, **kwargs)
    span.themes.add(theme)
    return span


def test_the_codebook_is_a_tree_of_active_themes_with_their_examples(themes, supervisor, django_assert_num_queries):
    parent, child = themes[0], themes[1]
    child.parent = parent
    child.save()
    services.theme_example_pin(theme=parent, annotation=_accepted_span(parent), actor=supervisor)
    themes[2].active = False
    themes[2].save()
    with django_assert_num_queries(2):
        tree = selectors.codebook_tree()
    top = {n.theme.pk: n for n in tree}
    assert parent.pk in top and child.pk not in top and themes[2].pk not in top
    assert [c.theme for c in top[parent.pk].children] == [child]
    assert len(top[parent.pk].examples) == 1


def test_an_analyst_reads_the_codebook_page_but_cannot_pin(client_for, analyst, themes):
    theme = themes[0]
    themes[1].parent = theme
    themes[1].save()
    theme.include_rules = "Calls for a world of <several> poles."
    theme.exclude_rules = "Mere mentions of BRICS."
    theme.save()
    client = client_for(analyst)
    page = client.get(reverse("codebook:index")).content.decode()
    assert theme.name in page and "Calls for a world of &lt;several&gt; poles." in page and "Mere mentions" in page
    detail = client.get(reverse("codebook:theme", args=[theme.pk])).content.decode()
    assert "History" in detail and "Pin as example" not in detail and "Edit definition" not in detail
    assert f'id="codebook-t{themes[1].pk}"' in detail  # its child theme
    span = _accepted_span(theme)
    response = client.post(reverse("codebook:theme", args=[theme.pk]), {"action": "pin", "annotation": span.pk})
    assert response.status_code == 403 and not ThemeExample.objects.exists()


def test_a_supervisor_pins_an_accepted_span_and_the_history_says_who(client_for, supervisor, themes):
    theme = themes[0]
    span = _accepted_span(theme)
    pending = AnnotationFactory()
    pending.themes.add(theme)
    client = client_for(supervisor)
    url = reverse("codebook:theme", args=[theme.pk])
    page = client.get(url).content.decode()
    assert f'id="candidate-{span.pk}"' in page and f'id="candidate-{pending.pk}"' not in page
    assert client.post(url, {"action": "pin", "annotation": span.pk}).status_code == 302
    example = ThemeExample.objects.get()
    assert example.text == span.text and example.pinned_by == supervisor
    page = client.get(url).content.decode()
    assert f'id="candidate-{span.pk}"' not in page and "pinned an example" in page
    assert client.post(url, {"action": "unpin", "example": example.pk}).status_code == 302
    assert not ThemeExample.objects.exists()
    history = selectors.codebook_history(theme=theme)
    assert [r["what"] for r in history[:2]] == ["unpinned an example", "pinned an example"]
    assert history[0]["who"] == supervisor


def test_only_accepted_spans_with_the_theme_can_be_pinned(supervisor, themes):
    with pytest.raises(ValidationError):
        services.theme_example_pin(theme=themes[0], annotation=AnnotationFactory(), actor=supervisor)
    with pytest.raises(ValidationError):
        services.theme_example_pin(theme=themes[1], annotation=_accepted_span(themes[0]), actor=supervisor)


def test_a_supervisor_edits_definition_and_rules_and_the_history_names_the_fields(client_for, supervisor, themes):
    theme = themes[0]
    theme.save()  # fixtures load without history: a first record to compare with
    data = {
        "name": theme.name,
        "description": "A world with several centres of power.",
        "include_rules": "Explicit calls for multipolarity.",
        "exclude_rules": "",
        "colour": theme.colour,
        "shortcut": theme.shortcut,
        "parent": "",
    }
    assert client_for(supervisor).post(reverse("annotations:theme_edit", args=[theme.pk]), data).status_code == 302
    theme.refresh_from_db()
    assert theme.include_rules == "Explicit calls for multipolarity."
    latest = selectors.codebook_history(theme=theme)[0]
    assert latest["who"] == supervisor and "include rules" in latest["what"] and "definition" in latest["what"]


def test_bad_pin_requests_are_refused_with_a_message(client_for, supervisor, themes):
    url = reverse("codebook:theme", args=[themes[0].pk])
    client = client_for(supervisor)
    for data in ({"action": "pin", "annotation": "x"}, {"action": "pin", "annotation": 999}, {"action": "zap"}):
        response = client.post(url, data, HTTP_HX_REQUEST="true")
        assert response.status_code == 400
