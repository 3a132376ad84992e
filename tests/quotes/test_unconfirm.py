"""Unconfirming a quote takes a confirmation back in the layer it went to: the shared quote (supervisor, analyst
alone, shared article) or the analyst's own correction (blind double annotation). Version-checked, in history."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.core.versions import VersionConflict
from apps.quotes import services
from apps.quotes.models import Quote, QuoteCorrection, Speaker
from apps.quotes.selectors import quotes_seen_by
from tests.factories import ArticleFactory, AssignmentFactory

pytestmark = pytest.mark.django_db

TEXT = "Xi Jinping said cooperation is key. Putin said the talks went well."


@pytest.fixture
def single(analyst):
    """An article assigned to one analyst, with one extracted (unconfirmed) quote."""
    article = ArticleFactory(text=TEXT)
    AssignmentFactory(article=article, analyst=analyst)
    start, end = TEXT.index("cooperation"), TEXT.index(" is key") + len(" is key")
    xi = Speaker.objects.create(name="Xi Jinping")
    return Quote.objects.create(article=article, speaker=xi, start=start, end=end, text=TEXT[start:end])


@pytest.fixture
def double(single, other_analyst):
    """The same article assigned to a second analyst too: blind double annotation."""
    AssignmentFactory(article=single.article, analyst=other_analyst)
    return single


def reasons(rows):
    return [r.history_change_reason for r in rows.order_by("history_id")]


# --- the shared layer ----------------------------------------------------------------------------------------------


def test_unconfirm_takes_back_the_shared_confirmation_and_keeps_both_steps_in_history(single, analyst):
    services.quote_confirm(quote=single, version=1, actor=analyst)
    quote = services.quote_unconfirm(quote=single, version=2, actor=analyst)
    assert (quote.confirmed, quote.confirmed_by, quote.version) == (False, None, 3)
    single.refresh_from_db()
    assert (single.confirmed, single.confirmed_by_id, single.version) == (False, None, 3)
    last = single.history.order_by("history_id").last()
    assert last.history_user == analyst and last.confirmed is False and last.version == 3
    assert reasons(single.history)[-2:] == ["confirmed", "unconfirmed"]
    # and confirmed again (redo): the same quote, a new version
    again = services.quote_confirm(quote=single, version=3, actor=analyst)
    assert (again.confirmed, again.confirmed_by, again.version) == (True, analyst, 4)


def test_a_supervisor_unconfirms_an_analysts_shared_confirmation(single, analyst, supervisor):
    services.quote_confirm(quote=single, version=1, actor=analyst)
    services.quote_unconfirm(quote=single, version=2, actor=supervisor)
    single.refresh_from_db()
    assert not single.confirmed
    assert single.history.order_by("history_id").last().history_user == supervisor


def test_unconfirm_refuses_a_stale_version_and_changes_nothing(single, analyst, supervisor):
    services.quote_confirm(quote=single, version=1, actor=analyst)
    services.quote_update(quote=single, version=2, actor=supervisor, kind="direct")  # someone saved: version 3
    with pytest.raises(VersionConflict):
        services.quote_unconfirm(quote=single, version=2, actor=analyst)
    single.refresh_from_db()
    assert (single.confirmed, single.version) == (True, 3)
    assert reasons(single.history)[-1] == "changed kind"


def test_unconfirm_refuses_an_unconfirmed_or_deleted_quote_without_a_version_bump(single, analyst):
    with pytest.raises(ValidationError) as err:
        services.quote_unconfirm(quote=single, version=1, actor=analyst)
    assert err.value.code == "not_confirmed"
    services.quote_confirm(quote=single, version=1, actor=analyst)
    services.quote_delete(quote=single, version=2, actor=analyst)
    with pytest.raises(ValidationError) as err:
        services.quote_unconfirm(quote=single, version=3, actor=analyst)
    assert err.value.code == "deleted"
    single.refresh_from_db()
    assert single.version == 3 and single.confirmed  # the refused steps left no trace


def test_unconfirm_refuses_a_missing_version(single, analyst):
    services.quote_confirm(quote=single, version=1, actor=analyst)
    with pytest.raises(ValidationError) as err:
        services.quote_unconfirm(quote=single, version=None, actor=analyst)
    assert err.value.code == "no_version"


# --- the blind layer: the analyst's own correction -----------------------------------------------------------------


def test_blind_unconfirm_changes_only_the_analysts_own_correction(double, analyst, other_analyst):
    services.quote_confirm(quote=double, version=1, actor=analyst)
    services.quote_confirm(quote=double, version=1, actor=other_analyst)
    seen = services.quote_unconfirm(quote=double, version=2, actor=analyst)
    assert (seen.confirmed, seen.confirmed_by, seen.version) == (False, None, 3)

    double.refresh_from_db()
    assert (double.confirmed, double.version) == (False, 1)  # the shared quote was never touched
    assert dict(QuoteCorrection.objects.values_list("analyst_id", "confirmed")) == {
        analyst.pk: False,
        other_analyst.pk: True,  # the other analyst's confirmation stays
    }
    [mine] = quotes_seen_by(user=analyst, article_id=double.article_id)
    assert (mine.confirmed, mine.version) == (False, 3)
    [theirs] = quotes_seen_by(user=other_analyst, article_id=double.article_id)
    assert theirs.confirmed

    correction = QuoteCorrection.objects.get(analyst=analyst)
    assert reasons(correction.history) == ["confirmed (blind)", "unconfirmed (blind)"]
    assert correction.history.order_by("history_id").last().history_user == analyst
    # redo: confirmed again from the version the page shows
    assert services.quote_confirm(quote=double, version=3, actor=analyst).confirmed


def test_blind_unconfirm_is_version_checked_against_the_correction(double, analyst):
    services.quote_confirm(quote=double, version=1, actor=analyst)
    with pytest.raises(VersionConflict):
        services.quote_unconfirm(quote=double, version=1, actor=analyst)  # the page's version is 2 now
    assert QuoteCorrection.objects.get(analyst=analyst).confirmed


def test_blind_unconfirm_leaves_a_shared_confirmation_to_the_reviewer(double, analyst, supervisor):
    services.quote_confirm(quote=double, version=1, actor=supervisor)  # the shared layer: version 2
    with pytest.raises(ValidationError) as err:
        services.quote_unconfirm(quote=double, version=2, actor=analyst)
    assert err.value.code == "not_confirmed"
    assert not QuoteCorrection.objects.exists()
    double.refresh_from_db()
    assert double.confirmed and double.version == 2


def test_blind_unconfirm_of_a_private_addition_writes_the_private_quote(double, analyst):
    start, end = TEXT.index("the talks"), TEXT.index(" went well") + len(" went well")
    private = services.quote_create(article=double.article, start=start, end=end, actor=analyst)
    assert private.private_to == analyst and private.confirmed
    services.quote_unconfirm(quote=private, version=1, actor=analyst)
    private.refresh_from_db()
    assert (private.confirmed, private.version) == (False, 2)
    assert not QuoteCorrection.objects.exists()


# --- the view --------------------------------------------------------------------------------------------------------


def test_the_panel_offers_unconfirm_on_a_confirmed_quote_and_the_view_takes_it_back(client_for, single, analyst):
    client = client_for(analyst)
    panel = reverse("quotes:panel", args=[single.article_id])
    url = reverse("quotes:quote_unconfirm", args=[single.pk])
    assert url not in client.get(panel).content.decode()  # nothing to take back yet
    services.quote_confirm(quote=single, version=1, actor=analyst)
    assert url in client.get(panel).content.decode()

    response = client.post(url, {"version": 2}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "quoteChanged" in response["HX-Trigger"]
    html = response.content.decode()
    assert "Quote unconfirmed." in html and url not in html and "unconfirmed</span>" in html
    single.refresh_from_db()
    assert not single.confirmed
    # the assignment counts the work, as with every quote action
    assert single.article.assignments.get(analyst=analyst).state == "in_progress"


def test_the_view_answers_a_stale_version_with_the_current_panel_and_bad_input_with_400(client_for, single, analyst):
    services.quote_confirm(quote=single, version=1, actor=analyst)
    client = client_for(analyst)
    url = reverse("quotes:quote_unconfirm", args=[single.pk])
    stale = client.post(url, {"version": 1}, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409 and "qp-conflict" in stale.content.decode()
    assert client.post(url, {"version": "x"}, HTTP_HX_REQUEST="true").status_code == 400
    assert client.get(url).status_code == 405
    single.refresh_from_db()
    assert single.confirmed


def test_the_view_refuses_an_analyst_not_on_the_article(client_for, single, analyst, other_analyst):
    services.quote_confirm(quote=single, version=1, actor=analyst)
    response = client_for(other_analyst).post(reverse("quotes:quote_unconfirm", args=[single.pk]), {"version": 2})
    assert response.status_code == 404
    single.refresh_from_db()
    assert single.confirmed


def test_under_blind_annotation_the_panel_offers_unconfirm_only_on_the_analysts_own_confirmation(
    client_for, double, analyst, supervisor
):
    services.quote_confirm(quote=double, version=1, actor=supervisor)
    url = reverse("quotes:quote_unconfirm", args=[double.pk])
    panel = reverse("quotes:panel", args=[double.article_id])
    assert url not in client_for(analyst).get(panel).content.decode()  # confirmed, but not by them
    assert url in client_for(supervisor).get(panel).content.decode()
