import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.quotes import services
from apps.quotes.models import Quote, Speaker, SpeakerAlias
from tests.factories import AnnotationFactory, ArticleFactory, AssignmentFactory

pytestmark = pytest.mark.django_db

TEXT = "Xi Jinping said cooperation 🤝 is key. “We agree,” Putin said. Beijing welcomed the talks."


@pytest.fixture
def world(analyst, supervisor):
    """An article assigned to ``analyst`` with one extracted quote, and a speaker with an alias."""
    article = ArticleFactory(text=TEXT)
    AssignmentFactory(article=article, analyst=analyst)
    xi = Speaker.objects.create(name="Xi Jinping")
    for alias in ("Xi Jinping", "Xi"):
        SpeakerAlias.objects.create(speaker=xi, alias=alias, alias_key=services.alias_key(alias))
    start = TEXT.index("cooperation")
    end = TEXT.index(" is key") + len(" is key")
    quote = Quote.objects.create(
        article=article,
        speaker=xi,
        start=start,
        end=end,
        text=TEXT[start:end],
        kind="indirect",
        cue="said",
        confidence=0.9,
    )
    return {"article": article, "quote": quote, "xi": xi}


def user_for(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


def client_as(client, user):
    if user is not None:
        client.force_login(user)
    return client


# (name, method, kwargs builder, POST data builder) for every URL that touches an article's quotes
ARTICLE_URLS = [
    ("quotes:panel", "get", lambda w: [w["article"].pk], lambda w: {}),
    ("quotes:quote_history", "get", lambda w: [w["quote"].pk], lambda w: {}),
    ("quotes:quote_create", "post", lambda w: [w["article"].pk], lambda w: {"start": 0, "end": 10}),
    ("quotes:quote_confirm", "post", lambda w: [w["quote"].pk], lambda w: {"version": 1}),
    (
        "quotes:quote_span",
        "post",
        lambda w: [w["quote"].pk],
        lambda w: {"version": 1, "start": w["quote"].start, "end": w["quote"].end - 1},
    ),
    ("quotes:quote_speaker", "post", lambda w: [w["quote"].pk], lambda w: {"version": 1, "speaker": ""}),
    ("quotes:quote_delete", "post", lambda w: [w["quote"].pk], lambda w: {"version": 1}),
]
EXPECTED = {"anonymous": 302, "analyst": 200, "other_analyst": 404, "supervisor": 200, "admin_user": 200}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("name,method,args,data", ARTICLE_URLS, ids=[u[0] for u in ARTICLE_URLS])
def test_article_quote_urls_per_role(request, client, world, role, name, method, args, data):
    client = client_as(client, user_for(request, role))
    response = getattr(client, method)(reverse(name, args=args(world)), data(world), HTTP_HX_REQUEST="true")
    assert response.status_code == EXPECTED[role]
    if role == "anonymous":
        assert reverse("accounts:login") in response["Location"]
    if response.status_code == 200 and method == "post":
        assert "quoteChanged" in response["HX-Trigger"]


def test_restore_url_per_role(request, client, world, analyst):
    services.quote_delete(quote=world["quote"], version=1, actor=analyst)
    url = reverse("quotes:quote_restore", args=[world["quote"].pk])
    for role, expected in EXPECTED.items():
        client.logout()
        client = client_as(client, user_for(request, role))
        version = Quote.objects.get(pk=world["quote"].pk).version
        response = client.post(url, {"version": version}, HTTP_HX_REQUEST="true")
        assert response.status_code == expected, role
        if expected == 200:  # put it back in the bin for the next role
            services.quote_delete(quote=world["quote"], version=version + 1, actor=analyst)


def test_an_analyst_who_can_read_but_is_not_assigned_cannot_write(client_for, other_analyst, world):
    AnnotationFactory(article=world["article"], annotator=other_analyst, start=0, end=2)
    client = client_for(other_analyst)
    panel = client.get(reverse("quotes:panel", args=[world["article"].pk]))
    assert panel.status_code == 200 and "Confirm" not in panel.content.decode()
    response = client.post(reverse("quotes:quote_confirm", args=[world["quote"].pk]), {"version": 1})
    assert response.status_code == 403
    assert not Quote.objects.get(pk=world["quote"].pk).confirmed


def test_submitted_work_is_read_only_for_quotes_too_until_it_is_returned(client_for, analyst, supervisor, world):
    from apps.assignments.models import Assignment
    from apps.assignments.services import assignment_submit, assignment_transition

    assignment = Assignment.objects.get(article=world["article"], analyst=analyst)
    assignment_submit(assignment=assignment, actor=analyst)
    client = client_for(analyst)
    panel = client.get(reverse("quotes:panel", args=[world["article"].pk])).content.decode()
    assert "Confirm" not in panel
    response = client.post(reverse("quotes:quote_confirm", args=[world["quote"].pk]), {"version": 1})
    assert response.status_code == 403 and b"read-only" in response.content
    assert not Quote.objects.get(pk=world["quote"].pk).confirmed

    assignment_transition(assignment=assignment, to_state="changes_requested", actor=supervisor, comment="Fix it")
    response = client.post(reverse("quotes:quote_confirm", args=[world["quote"].pk]), {"version": 1})
    assert response.status_code in {200, 302}
    assert Quote.objects.get(pk=world["quote"].pk).confirmed


def test_panel_is_a_fragment_listing_live_quotes_with_speaker_kind_cue_and_confidence(client_for, analyst, world):
    Quote.objects.create(article=world["article"], start=0, end=2, text="Xi", deleted_at="2025-01-01T00:00Z")
    html = client_for(analyst).get(reverse("quotes:panel", args=[world["article"].pk])).content.decode()
    assert "<html" not in html and 'class="quotes-panel"' in html
    assert html.count('class="qp-quote') == 1
    assert "Xi Jinping" in html and "Indirect" in html and "said" in html and "0.90" in html
    assert "unconfirmed" in html and "Add quote from selection" in html
    assert "Deleted quotes (1)" in html


def test_creating_a_quote_from_a_selection_stores_the_text_at_code_point_offsets(client_for, analyst, world):
    text = world["article"].text
    start = text.index("We agree")
    end = start + len("We agree")
    assert start != len(text[:start].encode("utf-16-le")) // 2  # the emoji before it: code points ≠ UTF-16 units
    response = client_for(analyst).post(
        reverse("quotes:quote_create", args=[world["article"].pk]),
        {"start": start, "end": end, "kind": "direct"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "quoteChanged" in response["HX-Trigger"]
    quote = Quote.objects.get(text="We agree")
    assert (quote.start, quote.end, quote.created_by, quote.kind) == (start, end, analyst, "direct")
    assert "We agree" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {"start": -1, "end": 5},
        {"start": 5, "end": 5},
        {"start": 0, "end": len(TEXT) + 1},
        {"start": "x", "end": 4},
        {"end": 4},
        {"start": 0, "end": 4, "kind": "shouted"},
        {"start": 0, "end": 4, "speaker": 999999},
    ],
)
def test_forged_offsets_and_values_get_a_plain_text_400(client_for, analyst, world, data):
    response = client_for(analyst).post(
        reverse("quotes:quote_create", args=[world["article"].pk]), data, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert response.content
    assert Quote.objects.count() == 1


def test_a_stale_version_answers_409_with_the_current_panel_and_a_message(client_for, analyst, supervisor, world):
    services.quote_confirm(quote=world["quote"], version=1, actor=supervisor)
    response = client_for(analyst).post(
        reverse("quotes:quote_span", args=[world["quote"].pk]),
        {"version": 1, "start": 0, "end": 10},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "was changed elsewhere" in html and 'class="quotes-panel"' in html
    assert "confirmed by sue" in html  # the current state is shown
    assert "HX-Trigger" not in response
    assert Quote.objects.get(pk=world["quote"].pk).start != 0


def test_changing_the_speaker_to_an_existing_one_a_new_one_or_nobody(client_for, analyst, world):
    client = client_for(analyst)
    url = reverse("quotes:quote_speaker", args=[world["quote"].pk])
    putin = Speaker.objects.create(name="Vladimir Putin")
    assert client.post(url, {"version": 1, "speaker": putin.pk}, HTTP_HX_REQUEST="true").status_code == 200
    assert Quote.objects.get(pk=world["quote"].pk).speaker == putin

    response = client.post(
        url, {"version": 2, "action": "new", "new_name": "Beijing", "new_kind": "place"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    beijing = Speaker.objects.get(name="Beijing")
    assert beijing.kind == "place" and Quote.objects.get(pk=world["quote"].pk).speaker == beijing
    assert Speaker.history.get(id=beijing.pk).history_user == analyst

    assert client.post(url, {"version": 3, "speaker": ""}, HTTP_HX_REQUEST="true").status_code == 200
    assert Quote.objects.get(pk=world["quote"].pk).speaker is None


def test_a_new_speaker_is_not_created_when_the_version_is_stale(client_for, analyst, world):
    response = client_for(analyst).post(
        reverse("quotes:quote_speaker", args=[world["quote"].pk]),
        {"version": 7, "action": "new", "new_name": "Kremlin", "new_kind": "organisation"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert not Speaker.objects.filter(name="Kremlin").exists()


def test_fixing_a_span_copies_the_new_text(client_for, analyst, world):
    text = world["article"].text
    start = text.index("cooperation")
    end = start + len("cooperation")
    response = client_for(analyst).post(
        reverse("quotes:quote_span", args=[world["quote"].pk]),
        {"version": 1, "start": start, "end": end, "kind": "mixed"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    quote = Quote.objects.get(pk=world["quote"].pk)
    assert (quote.text, quote.kind, quote.version) == ("cooperation", "mixed", 2)


def test_delete_offers_an_undo_and_restore_brings_the_quote_back(client_for, analyst, world):
    client = client_for(analyst)
    url = reverse("quotes:quote_delete", args=[world["quote"].pk])
    response = client.post(url, {"version": 1}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'class="qp-undo"' in html and "Undo" in html
    assert Quote.objects.get(pk=world["quote"].pk).deleted_by == analyst
    panel = client.get(reverse("quotes:panel", args=[world["article"].pk])).content.decode()
    assert 'class="qp-undo"' in panel  # the undo survives the panel's own refresh
    client.post(reverse("quotes:quote_restore", args=[world["quote"].pk]), {"version": 2}, HTTP_HX_REQUEST="true")
    assert Quote.objects.get(pk=world["quote"].pk).deleted_at is None


def test_without_htmx_a_write_redirects_to_the_article_page(client_for, analyst, world):
    response = client_for(analyst).post(reverse("quotes:quote_confirm", args=[world["quote"].pk]), {"version": 1})
    assert response.status_code == 302
    assert response["Location"] == reverse("reading:article_detail", args=[world["article"].pk])


def test_quote_history_lists_who_changed_what(client_for, analyst, world):
    client = client_for(analyst)
    client.post(reverse("quotes:quote_confirm", args=[world["quote"].pk]), {"version": 1}, HTTP_HX_REQUEST="true")
    html = client.get(reverse("quotes:quote_history", args=[world["quote"].pk])).content.decode()
    assert "ana: confirmed" in html and "(confirmed)" in html


# --- autocomplete and speaker pages ------------------------------------------------------------------------


def test_autocomplete_finds_speakers_by_alias_and_escapes_names(client_for, analyst, world):
    Speaker.objects.create(name="<b>Xiaoming</b>")
    client = client_for(analyst)
    html = client.get(reverse("quotes:speaker_autocomplete"), {"q": "xi"}).content.decode()
    assert f'name="speaker" value="{world["xi"].pk}"' in html
    assert "&lt;b&gt;Xiaoming&lt;/b&gt;" in html and "<b>Xiaoming" not in html
    merge = client.get(
        reverse("quotes:speaker_autocomplete"), {"q": "xi", "field": "source", "exclude": world["xi"].pk}
    ).content.decode()
    assert 'type="radio"' in merge and f'value="{world["xi"].pk}"' not in merge


@pytest.mark.parametrize("role", list(EXPECTED))
def test_speaker_reading_urls_per_role(request, client, world, role):
    client = client_as(client, user_for(request, role))
    expected = 302 if role == "anonymous" else 200
    for url, params, only_readers in [
        (reverse("quotes:speaker_list"), {}, False),
        (reverse("quotes:speaker_detail", args=[world["xi"].pk]), {}, True),
        (reverse("quotes:speaker_autocomplete"), {"q": "xi"}, False),
    ]:
        response = client.get(url, params)
        # a speaker's page is for those who may read an article quoting them
        refused = only_readers and role == "other_analyst"
        assert response.status_code == (404 if refused else expected), url


def test_speaker_page_lists_only_quotes_from_articles_the_user_can_see(client_for, analyst, other_analyst, world):
    hidden = ArticleFactory(text="Xi said the secret plan is ready.", title="Hidden article")
    Quote.objects.create(article=hidden, speaker=world["xi"], start=8, end=31, text=hidden.text[8:31])
    url = reverse("quotes:speaker_detail", args=[world["xi"].pk])
    mine = client_for(analyst).get(url).content.decode()
    assert "cooperation" in mine and "secret plan" not in mine
    assert "Xi" in mine  # aliases are listed
    # an analyst with no article quoting the speaker does not learn of the speaker at all
    assert client_for(other_analyst).get(url).status_code == 404


def test_supervisor_sees_every_quote_and_the_roles_seen(client_for, supervisor, world):
    world["xi"].roles = ["Chinese President", "General Secretary"]
    world["xi"].save()
    html = client_for(supervisor).get(reverse("quotes:speaker_detail", args=[world["xi"].pk])).content.decode()
    assert "cooperation" in html and "Chinese President" in html and "General Secretary" in html
    assert "Merge another speaker" in html and "Split off" in html


def test_speaker_list_shows_only_speakers_quoted_in_visible_articles(client_for, analyst, other_analyst, world):
    html = client_for(other_analyst).get(reverse("quotes:speaker_list"), {"q": "xi"}).content.decode()
    assert "Xi Jinping" not in html
    html = client_for(analyst).get(reverse("quotes:speaker_list"), {"q": "xi"}).content.decode()
    assert "Xi Jinping" in html


SUPERVISOR_URLS = [
    ("quotes:speaker_edit", lambda w: [w["xi"].pk], lambda w: {"version": 1, "name": "Xi Jinping", "kind": "person"}),
    ("quotes:speaker_merge", lambda w: [w["xi"].pk], lambda w: {"version": 1, "source": w["dup"].pk}),
    (
        "quotes:speaker_split",
        lambda w: [w["xi"].pk],
        lambda w: {"version": 1, "name": "Someone Else", "kind": "person", "quotes": [w["quote"].pk]},
    ),
    ("quotes:speaker_alias_add", lambda w: [w["xi"].pk], lambda w: {"alias": "President Xi"}),
    ("quotes:speaker_alias_remove", lambda w: [w["xi"].pk, w["xi"].aliases.get(alias_key="xi").pk], lambda w: {}),
]
SUPERVISOR_EXPECTED = {"anonymous": 302, "analyst": 403, "other_analyst": 403, "supervisor": 302, "admin_user": 302}


@pytest.mark.parametrize("role", list(SUPERVISOR_EXPECTED))
@pytest.mark.parametrize("name,args,data", SUPERVISOR_URLS, ids=[u[0] for u in SUPERVISOR_URLS])
def test_speaker_supervision_urls_per_role(request, client, world, role, name, args, data):
    world["dup"] = Speaker.objects.create(name="Xi")
    client = client_as(client, user_for(request, role))
    before = Speaker.history.count() + SpeakerAlias.history.count()
    response = client.post(reverse(name, args=args(world)), data(world))
    assert response.status_code == SUPERVISOR_EXPECTED[role]
    changed = Speaker.history.count() + SpeakerAlias.history.count() > before
    if role in ("supervisor", "admin_user"):
        assert "/quotes/speakers/" in response["Location"] and changed
    else:
        assert not changed
        if role == "anonymous":
            assert reverse("accounts:login") in response["Location"]


def test_merge_from_the_speaker_page_moves_quotes_and_redirects_the_old_page(client_for, supervisor, world):
    dup = Speaker.objects.create(name="President Xi")
    quote = Quote.objects.create(article=world["article"], speaker=dup, start=0, end=10, text=TEXT[:10])
    client = client_for(supervisor)
    response = client.post(reverse("quotes:speaker_merge", args=[world["xi"].pk]), {"version": 1, "source": dup.pk})
    assert response.status_code == 302
    assert Quote.objects.get(pk=quote.pk).speaker == world["xi"]
    old = client.get(reverse("quotes:speaker_detail", args=[dup.pk]))
    assert old.status_code == 302 and old["Location"] == reverse("quotes:speaker_detail", args=[world["xi"].pk])


def test_a_stale_merge_is_refused_with_a_message(client_for, supervisor, world):
    dup = Speaker.objects.create(name="President Xi")
    client = client_for(supervisor)
    response = client.post(
        reverse("quotes:speaker_merge", args=[world["xi"].pk]), {"version": 9, "source": dup.pk}, follow=True
    )
    assert "was changed elsewhere" in response.content.decode()
    assert Speaker.objects.get(pk=dup.pk).merged_into is None


def test_split_from_the_speaker_page_creates_the_new_speaker_with_the_chosen_quote(client_for, supervisor, world):
    response = client_for(supervisor).post(
        reverse("quotes:speaker_split", args=[world["xi"].pk]),
        {"version": 1, "name": "Xi Mingze", "kind": "person", "aliases": [], "quotes": [world["quote"].pk]},
    )
    new = Speaker.objects.get(name="Xi Mingze")
    assert response["Location"] == reverse("quotes:speaker_detail", args=[new.pk])
    assert Quote.objects.get(pk=world["quote"].pk).speaker == new


def test_hx_trigger_names_the_article(client_for, analyst, world):
    response = client_for(analyst).post(
        reverse("quotes:quote_confirm", args=[world["quote"].pk]), {"version": 1}, HTTP_HX_REQUEST="true"
    )
    assert json.loads(response["HX-Trigger"]) == {"quoteChanged": {"article": world["article"].pk}}


def test_the_panel_renders_in_a_constant_number_of_queries(client_for, analyst, world):
    client = client_for(analyst)
    url = reverse("quotes:panel", args=[world["article"].pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    text = world["article"].text
    for k in range(20):
        Quote.objects.create(
            article=world["article"],
            speaker=Speaker.objects.create(name=f"S{k}"),
            start=k,
            end=k + 3,
            text=text[k : k + 3],
            created_by=analyst,
            confirmed=True,
            confirmed_by=analyst,
        )
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert html.count('class="qp-quote') == 21
    assert len(many.captured_queries) == len(one.captured_queries)
