"""Blind double annotation: two analysts on one article decide on the same entity suggestion and correct the same
quote differently; neither sees the other's; the reviewer sees both side by side and decides; nothing is lost and
history keeps every decision. With the article set to shared, one layer again."""

import pytest
from django.urls import reverse

from apps.annotations import selectors, services
from apps.annotations.models import EntityDecision, EntityMention
from apps.corpus.models import Article
from apps.quotes import services as quote_services
from apps.quotes.models import Quote, QuoteCorrection, Speaker
from apps.quotes.selectors import decisions_blind, quotes_seen_by
from tests.factories import ArticleFactory, AssignmentFactory

pytestmark = pytest.mark.django_db

TEXT = "Xi Jinping said cooperation is key. Putin said the talks went well. Beijing welcomed the talks."


@pytest.fixture
def double(analyst, other_analyst):
    """One article assigned to two analysts, with a spaCy entity suggestion and an extracted quote."""
    article = ArticleFactory(text=TEXT)
    AssignmentFactory(article=article, analyst=analyst)
    AssignmentFactory(article=article, analyst=other_analyst)
    mention = EntityMention.objects.create(article=article, label="PERSON", start=0, end=10, text="Xi Jinping")
    xi = Speaker.objects.create(name="Xi Jinping")
    putin = Speaker.objects.create(name="Vladimir Putin")
    start, end = TEXT.index("cooperation"), TEXT.index(" is key") + len(" is key")
    quote = Quote.objects.create(
        article=article, speaker=xi, start=start, end=end, text=TEXT[start:end], kind="indirect", confidence=0.9
    )
    return {"article": article, "mention": mention, "quote": quote, "xi": xi, "putin": putin}


def seen_status(user, mention):
    rows = selectors.entity_panel(article_id=mention.article_id, user=user)
    for group in rows:
        for m in group["suggested"] + group["accepted"]:
            if m.pk == mention.pk:
                return m.status
    return "rejected"


def test_two_analysts_decide_differently_on_one_entity_and_neither_sees_the_other(double, analyst, other_analyst):
    mention = double["mention"]
    assert decisions_blind(user=analyst, article_id=double["article"].pk)
    services.entity_decide(mention=EntityMention.objects.get(pk=mention.pk), actor=analyst, status="accepted")
    services.entity_decide(mention=EntityMention.objects.get(pk=mention.pk), actor=other_analyst, status="rejected")

    mention.refresh_from_db()
    assert mention.status == "suggested"  # spaCy's row untouched: nobody's decision overwrote anybody's
    assert seen_status(analyst, mention) == "accepted"
    assert seen_status(other_analyst, mention) == "rejected"
    # the workspace layer: the second analyst's rejection hides the mark for them only
    assert [e.id for e in selectors.entity_mentions(article_id=mention.article_id, user=analyst)] == [mention.pk]
    assert selectors.entity_mentions(article_id=mention.article_id, user=other_analyst) == []
    assert dict(EntityDecision.objects.values_list("analyst_id", "status")) == {
        analyst.pk: "accepted",
        other_analyst.pk: "rejected",
    }


def test_a_whole_label_decision_counts_only_what_the_analyst_still_sees_as_suggested(double, analyst, other_analyst):
    article = double["article"]
    EntityMention.objects.create(article=article, label="PERSON", start=36, end=41, text="Putin")
    services.entity_decide(mention=double["mention"], actor=analyst, status="rejected")
    assert services.entity_decide_label(article=article, label="PERSON", actor=analyst, status="accepted") == 1
    assert services.entity_decide_label(article=article, label="PERSON", actor=other_analyst, status="accepted") == 2
    assert not EntityMention.objects.exclude(status="suggested").exists()
    assert seen_status(analyst, double["mention"]) == "rejected"


def test_two_analysts_correct_one_quote_differently_and_neither_sees_the_other(double, analyst, other_analyst):
    quote = double["quote"]
    quote_services.quote_attribute_speaker(quote=quote, version=1, actor=analyst, speaker=double["putin"])
    quote_services.quote_delete(quote=quote, version=1, actor=other_analyst)

    quote.refresh_from_db()
    assert (quote.speaker_id, quote.deleted_at, quote.version) == (double["xi"].pk, None, 1)  # shared row untouched
    mine = quotes_seen_by(user=analyst, article_id=quote.article_id)
    assert [(q.pk, q.speaker.name, q.version) for q in mine] == [(quote.pk, "Vladimir Putin", 2)]
    assert quotes_seen_by(user=other_analyst, article_id=quote.article_id) == []
    # the next edit of the first analyst continues from the version their page shows
    quote_services.quote_confirm(quote=quote, version=2, actor=analyst)
    assert QuoteCorrection.objects.get(analyst=analyst).confirmed


def test_a_quote_added_under_blind_annotation_is_private_until_adopted(double, analyst, other_analyst, supervisor):
    article = double["article"]
    start, end = TEXT.index("the talks went well"), TEXT.index(" went well") + len(" went well")
    added = quote_services.quote_create(article=article, start=start, end=end, actor=analyst)
    # both analysts may add the same passage: each their own
    quote_services.quote_create(article=article, start=start, end=end, actor=other_analyst)
    assert added.private_to == analyst
    assert not Quote.objects.filter(pk=added.pk).exists()  # out of every shared page, export and count
    assert added.pk in [q.pk for q in quotes_seen_by(user=analyst, article_id=article.pk)]
    assert added.pk not in [q.pk for q in quotes_seen_by(user=other_analyst, article_id=article.pk)]
    quote_services.quote_private_adopt(quote=added, actor=supervisor)
    assert Quote.objects.filter(pk=added.pk).exists()


def test_the_reviewer_sees_both_side_by_side_and_decides(double, analyst, other_analyst, supervisor, client_for):
    article, mention, quote = double["article"], double["mention"], double["quote"]
    services.entity_decide(mention=mention, actor=analyst, status="accepted")
    services.entity_decide(mention=mention, actor=other_analyst, status="rejected")
    quote_services.quote_attribute_speaker(quote=quote, version=1, actor=analyst, speaker=double["putin"])
    quote_services.quote_delete(quote=quote, version=1, actor=other_analyst)

    data = selectors.decisions_by_analyst(article_id=article.pk)
    assert [name for _, name in data["analysts"]] == sorted(
        [analyst.get_full_name() or "ana", other_analyst.get_full_name() or "bob"], key=str.casefold
    )
    (entity_row,) = data["entities"]
    assert entity_row["by_analyst"] == {analyst.pk: "accepted", other_analyst.pk: "rejected"}
    (quote_row,) = data["quotes"]
    assert quote_row["by_analyst"][analyst.pk]["speaker"] == "Vladimir Putin"
    assert quote_row["by_analyst"][other_analyst.pk]["what"] == "deleted"

    client = client_for(supervisor)
    url = reverse("annotations:analyst_decisions", args=[article.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "accepted" in html and "rejected" in html and "Vladimir Putin" in html and "deleted" in html
    # the reviewer decides: the entity accepted, the quote re-attributed as the first analyst said
    assert client.post(url, {"action": "entity", "mention": mention.pk, "status": "accepted"}).status_code == 302
    correction = QuoteCorrection.objects.get(analyst=analyst)
    assert client.post(url, {"action": "quote", "correction": correction.pk}).status_code == 302
    mention.refresh_from_db()
    quote.refresh_from_db()
    assert (mention.status, mention.decided_by) == ("accepted", supervisor)
    assert (quote.speaker_id, quote.deleted_at) == (double["putin"].pk, None)
    # nothing lost: both analysts' decisions stay, and the history has each of them
    assert EntityDecision.objects.filter(analyst__in=[analyst, other_analyst]).count() == 2
    assert QuoteCorrection.objects.count() == 2
    assert len(selectors.decisions_by_analyst(article_id=article.pk)["analysts"]) == 2  # the reviewer is no column
    history = selectors.entity_decision_history(article_id=article.pk)
    assert sorted((h.history_user_id, h.status) for h in history) == sorted(
        [(analyst.pk, "accepted"), (other_analyst.pk, "rejected"), (supervisor.pk, "accepted")]
    )
    qhist = selectors.quote_correction_history(article_id=article.pk)
    assert {(h.history_user_id, h.deleted) for h in qhist} == {(analyst.pk, False), (other_analyst.pk, True)}
    assert quote.history.first().history_change_reason == "adopted ana's correction in review"


def test_an_analyst_cannot_open_the_reviewers_view(double, analyst, client_for):
    url = reverse("annotations:analyst_decisions", args=[double["article"].pk])
    assert client_for(analyst).get(url).status_code == 403


def test_a_supervisor_makes_the_article_shared_and_decisions_are_one_layer_again(
    double, analyst, other_analyst, supervisor, client_for
):
    article, mention = double["article"], double["mention"]
    url = reverse("annotations:analyst_decisions", args=[article.pk])
    response = client_for(supervisor).post(url, {"action": "mode", "shared": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Make blind" in response.content.decode()
    assert Article.objects.get(pk=article.pk).decisions_shared
    assert not decisions_blind(user=analyst, article_id=article.pk)
    services.entity_decide(mention=mention, actor=analyst, status="accepted")
    assert seen_status(other_analyst, mention) == "accepted"
    services.entity_decide(mention=mention, actor=other_analyst, status="rejected")
    mention.refresh_from_db()
    assert mention.status == "rejected"
    # both decisions are kept all the same
    assert EntityDecision.objects.count() == 2
    assert EntityDecision.history.count() == 2


def test_a_single_analyst_article_keeps_writing_the_shared_layer(analyst):
    article = ArticleFactory(text=TEXT)
    AssignmentFactory(article=article, analyst=analyst)
    mention = EntityMention.objects.create(article=article, label="PERSON", start=0, end=10, text="Xi Jinping")
    assert not decisions_blind(user=analyst, article_id=article.pk)
    services.entity_decide(mention=mention, actor=analyst, status="accepted")
    mention.refresh_from_db()
    assert mention.status == "accepted"


def test_the_quotes_panel_shows_each_analyst_their_own_quotes(double, analyst, other_analyst, client_for):
    quote = double["quote"]
    quote_services.quote_delete(quote=quote, version=1, actor=other_analyst)
    panel = reverse("quotes:panel", args=[double["article"].pk])
    assert "cooperation is key" in client_for(analyst).get(panel).content.decode()
    assert "cooperation is key" not in client_for(other_analyst).get(panel).content.decode()


def test_a_private_quote_is_edited_and_its_history_read_by_its_analyst_only(double, analyst, other_analyst, client_for):
    article = double["article"]
    start = TEXT.index("Beijing welcomed")
    added = quote_services.quote_create(article=article, start=start, end=start + 16, actor=analyst)
    client = client_for(analyst)
    confirmed = client.post(
        reverse("quotes:quote_speaker", args=[added.pk]), {"version": 1, "speaker": double["xi"].pk}
    )
    assert confirmed.status_code in (200, 302)
    added.refresh_from_db()
    assert (added.speaker_id, added.private_to_id) == (double["xi"].pk, analyst.pk)
    assert client.get(reverse("quotes:quote_history", args=[added.pk])).status_code == 200
    other = client_for(other_analyst)
    assert other.get(reverse("quotes:quote_history", args=[added.pk])).status_code == 404
    refused = other.post(reverse("quotes:quote_delete", args=[added.pk]), {"version": 2})
    assert refused.status_code == 404
    assert Quote.all_objects.get(pk=added.pk).deleted_at is None
