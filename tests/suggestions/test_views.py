import pytest
from django.urls import reverse

from apps.annotations.models import Annotation, Theme
from apps.assignments.models import Assignment
from apps.suggestions.models import BlindCoding, LayerPreference, SuggesterModel, Suggestion, ThemeKeywords
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "The Foreign Ministry said Taiwan is an inalienable part of China.\n"
    "New tariffs and sanctions were announced on Friday."
)


@pytest.fixture
def assigned(themes, analyst):
    article = ArticleFactory(text=TEXT)
    Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    return article


def test_the_panel_shows_each_suggestion_with_score_definition_and_cold_start(client_for, analyst, assigned):
    response = client_for(analyst).get(reverse("suggestions:panel", args=[assigned.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html  # a fragment to embed
    taiwan = Theme.objects.get(slug="taiwan-one-china")
    assert taiwan.description in html and "cold start" in html and "Accept" in html and "Reject" in html
    suggestion = Suggestion.objects.get(article=assigned, theme=taiwan)
    assert f'id="sg-{suggestion.pk}"' in html and f"{suggestion.score:.2f}" in html


def test_the_standalone_page_renders_the_panel_in_the_layout(client_for, analyst, assigned):
    html = client_for(analyst).get(reverse("suggestions:article", args=[assigned.pk])).content.decode()
    assert "<html" in html and 'id="suggestions-panel-body"' in html and "inalienable" in html


def test_accept_over_htmx_creates_the_span_and_answers_with_the_panel(client_for, analyst, assigned):
    client = client_for(analyst)
    client.get(reverse("suggestions:panel", args=[assigned.pk]))
    suggestion = Suggestion.objects.get(article=assigned, theme__slug="sanctions-and-tariffs")
    response = client.post(
        reverse("suggestions:decide", args=[assigned.pk]),
        {"suggestion": suggestion.pk, "action": "accept"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and "spanCreated" in response["HX-Trigger"]
    span = Annotation.objects.get(article=assigned, annotator=analyst)
    assert span.text == "New tariffs and sanctions were announced on Friday."
    assert "is now your span" in response.content.decode()
    assert f'id="sg-{suggestion.pk}"' not in response.content.decode()


def test_bad_decisions_answer_400_with_a_message(client_for, analyst, assigned):
    client = client_for(analyst)
    url = reverse("suggestions:decide", args=[assigned.pk])
    assert client.post(url, {"action": "accept"}, HTTP_HX_REQUEST="true").status_code == 400
    client.get(reverse("suggestions:panel", args=[assigned.pk]))
    suggestion = Suggestion.objects.filter(article=assigned).first()
    response = client.post(
        url, {"suggestion": suggestion.pk, "action": "accept", "start": "5", "end": "2"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    assert not Annotation.objects.exists()


def test_a_submitted_assignment_shows_suggestions_without_buttons_and_refuses_decisions(client_for, analyst, assigned):
    Assignment.objects.filter(article=assigned).update(state="submitted")
    client = client_for(analyst)
    html = client.get(reverse("suggestions:panel", args=[assigned.pk])).content.decode()
    assert "read-only" in html and 'value="accept"' not in html
    suggestion = Suggestion.objects.filter(article=assigned).first()
    response = client.post(
        reverse("suggestions:decide", args=[assigned.pk]), {"suggestion": suggestion.pk, "action": "accept"}
    )
    assert response.status_code == 403 and not Annotation.objects.exists()


def test_the_analysts_switch_and_the_supervisors_blind_coding(client_for, analyst, supervisor, assigned):
    client = client_for(analyst)
    layer = reverse("suggestions:layer", args=[assigned.pk])
    html = client.post(layer, {"scope": "me", "hidden": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert "You switched suggestions off." in html and "sg-item" not in html
    assert LayerPreference.objects.get(user=analyst).hidden
    client.post(layer, {"scope": "me", "hidden": "0"})
    assert client.post(layer, {"scope": "article", "hidden": "1"}).status_code == 403
    client_for(supervisor).post(layer, {"scope": "article", "hidden": "1"})
    assert BlindCoding.objects.filter(article=assigned).exists()
    html = client_for(analyst).get(reverse("suggestions:panel", args=[assigned.pk])).content.decode()
    assert "blind coding" in html and "sg-item" not in html


def test_themes_page_shows_live_precision_and_takes_keywords_training_and_blind_coding(
    client_for, supervisor, assigned, django_capture_on_commit_callbacks
):
    theme = Theme.objects.get(slug="taiwan-one-china")
    for i, status in enumerate(["accepted", "rejected", "rejected", "rejected"]):
        Suggestion.objects.create(
            article=assigned, theme=theme, start=i, end=i + 4, text=TEXT[i : i + 4], score=0.6, status=status
        )
    client = client_for(supervisor)
    url = reverse("suggestions:themes")
    html = client.get(url).content.decode()
    row = html[html.index(f'id="theme-{theme.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "0.25" in row and "cold start" in row
    client.post(url, {"action": "keywords", "theme": theme.pk, "keywords": "taiwan, strait"})
    assert ThemeKeywords.objects.get(theme=theme).keywords == "taiwan, strait"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "train"}).status_code == 302
    assert SuggesterModel.objects.get().status == "ready"
    client.post(url, {"action": "blind", "hidden": "1"})
    assert BlindCoding.objects.filter(article__isnull=True).exists()


def test_under_blind_coding_an_analyst_cannot_decide_a_suggestion_by_a_forged_request(
    client_for, analyst, supervisor, assigned
):
    client = client_for(analyst)
    client.get(reverse("suggestions:panel", args=[assigned.pk]))  # the suggestions exist (made before blind coding)
    suggestion = Suggestion.objects.filter(article=assigned, status="open").first()
    client_for(supervisor).post(reverse("suggestions:layer", args=[assigned.pk]), {"scope": "article", "hidden": "1"})
    client = client_for(analyst)
    decide = reverse("suggestions:decide", args=[assigned.pk])
    response = client.post(decide, {"suggestion": suggestion.pk, "action": "accept"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 403
    suggestion.refresh_from_db()
    assert suggestion.status == "open" and not Annotation.objects.filter(article=assigned).exists()
