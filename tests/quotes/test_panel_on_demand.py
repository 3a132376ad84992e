"""The quotes panel carries no edit forms (they load when "Edit" is pressed), and quote work moves the analyst's
assignment to in progress, as span work does."""

import pytest
from django.urls import reverse

from apps.assignments.models import Assignment
from apps.quotes.models import Quote, Speaker
from tests.factories import ArticleFactory, AssignmentFactory

pytestmark = pytest.mark.django_db

SENTENCE = "“We will stand together,” the minister said. "


@pytest.fixture
def many(analyst):
    article = ArticleFactory(text=SENTENCE * 45)
    assignment = AssignmentFactory(article=article, analyst=analyst)
    speaker = Speaker.objects.create(name="The minister")
    quotes = []
    for i in range(45):
        start = i * len(SENTENCE) + 1
        end = start + len("We will stand together,")
        quotes.append(
            Quote.objects.create(article=article, speaker=speaker, start=start, end=end, text=article.text[start:end])
        )
    return article, assignment, quotes


def test_a_45_quote_panel_has_no_hidden_edit_forms_and_loads_them_on_demand(client_for, analyst, many):
    article, _, quotes = many
    client = client_for(analyst)
    panel = client.get(reverse("quotes:panel", args=[article.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert panel.count('class="qp-quote') == 45
    assert 'name="new_name"' not in panel and "data-span-form" not in panel
    assert panel.count("qp-edit-open") == 45
    assert len(panel.encode()) < 80_000, len(panel.encode())  # was ~182 kB with a hidden form set per quote
    edit = client.get(reverse("quotes:quote_edit", args=[quotes[3].pk]), HTTP_HX_REQUEST="true").content.decode()
    assert reverse("quotes:quote_speaker", args=[quotes[3].pk]) in edit and "data-span-form" in edit
    assert f'name="version" value="{quotes[3].version}"' in edit


def test_the_edit_forms_are_for_writers_only(client_for, other_analyst, supervisor, many):
    _, _, quotes = many
    url = reverse("quotes:quote_edit", args=[quotes[0].pk])
    assert client_for(other_analyst).get(url).status_code == 404  # cannot even see the article
    assert client_for(supervisor).get(url).status_code == 200


@pytest.mark.parametrize("action", ["confirm", "delete", "speaker", "span", "create"])
def test_quote_work_moves_the_assignment_to_in_progress(client_for, analyst, many, action):
    article, assignment, quotes = many
    quote = quotes[0]
    urls = {
        "confirm": (reverse("quotes:quote_confirm", args=[quote.pk]), {"version": quote.version}),
        "delete": (reverse("quotes:quote_delete", args=[quote.pk]), {"version": quote.version}),
        "speaker": (reverse("quotes:quote_speaker", args=[quote.pk]), {"version": quote.version, "speaker": ""}),
        "span": (
            reverse("quotes:quote_span", args=[quote.pk]),
            {"version": quote.version, "start": quote.start, "end": quote.end + 1},
        ),
        "create": (reverse("quotes:quote_create", args=[article.pk]), {"start": 30, "end": 43}),
    }
    url, data = urls[action]
    assert assignment.state == Assignment.State.ASSIGNED
    response = client_for(analyst).post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200, response.content
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.IN_PROGRESS
    assert assignment.events.filter(to_state=Assignment.State.IN_PROGRESS, actor=analyst).exists()


def test_a_supervisors_quote_work_leaves_the_analysts_assignment_alone(client_for, supervisor, many):
    _, assignment, quotes = many
    url = reverse("quotes:quote_confirm", args=[quotes[0].pk])
    assert client_for(supervisor).post(url, {"version": 1}, HTTP_HX_REQUEST="true").status_code == 200
    assignment.refresh_from_db()
    assert assignment.state == Assignment.State.ASSIGNED
