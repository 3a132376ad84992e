import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.annotations.models import Annotation
from apps.assignments.models import Assignment, AssignmentEvent
from apps.review import services
from apps.review.models import ArticleComment, ReviewDecision
from tests.factories import ArticleFactory, AssignmentFactory, OutletFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Assignment.State


def span(article, user, start, end, themes=()):
    ann = Annotation.objects.create(article=article, annotator=user, start=start, end=end, text=article.text[start:end])
    ann.themes.set(themes)
    return ann


# --- my queue -------------------------------------------------------------------------------------------------------


def test_my_queue_pins_returned_work_on_top_with_the_returning_comment_then_lists_by_due_date(
    client_for, analyst, supervisor
):
    AssignmentFactory(analyst=analyst, due_date=datetime.date(2030, 3, 1), article__title="Late one")
    soon = AssignmentFactory(analyst=analyst, due_date=datetime.date(2030, 1, 1), article__title="Soon one")
    returned = AssignmentFactory(analyst=analyst, state=S.SUBMITTED, article__title="Returned one")
    services.assignment_request_changes(assignment=returned, actor=supervisor, comment="Check <b>para 2</b>")
    AssignmentFactory(analyst=analyst, state=S.SUBMITTED, article__title="Handed in")
    AssignmentFactory(article__title="Someone else's")
    page = client_for(analyst).get(reverse("review:queue")).content.decode()
    queue = page.split('id="my-queue"')[1].split("</table>")[0]
    assert queue.index("Returned one") < queue.index("Soon one") < queue.index("Late one")
    assert queue.index("Check &lt;b&gt;para 2") < queue.index("Soon one")  # the comment comes with it
    assert "Returned to you" in queue
    assert "Handed in" not in queue and "Someone else" not in page
    assert "Check &lt;b&gt;para 2&lt;/b&gt;" in queue
    assert "Handed in" in page  # in "recently submitted"
    assert (
        reverse("reading:article_detail", args=[soon.article_id]) in queue or f"/annotate/{soon.article_id}/" in queue
    )


def test_next_opens_the_item_after_the_current_one(client_for, analyst):
    first = AssignmentFactory(analyst=analyst, due_date=datetime.date(2030, 1, 1))
    second = AssignmentFactory(analyst=analyst, due_date=datetime.date(2030, 1, 2))
    client = client_for(analyst)
    assert str(first.article_id) in client.get(reverse("review:next"))["Location"]
    assert str(second.article_id) in client.get(reverse("review:next"), {"after": first.article_id})["Location"]
    assert client.get(reverse("review:next"), {"after": second.article_id})["Location"] == reverse("review:queue")
    assert client.get(reverse("review:next"), {"after": "x"}).status_code == 400


def test_pulling_from_the_pool_assigns_an_unassigned_article_to_me(client_for, analyst):
    article = ArticleFactory()
    response = client_for(analyst).post(reverse("review:pull"))
    assert response.status_code == 302
    assert Assignment.objects.get().article == article and Assignment.objects.get().analyst == analyst
    assert (
        client_for(analyst).post(reverse("review:pull"), follow=True).content.decode().count("open pool is empty") == 1
    )


def test_submitting_from_the_queue_moves_work_to_review(client_for, analyst):
    assignment = AssignmentFactory(analyst=analyst, state=S.CHANGES_REQUESTED)
    client_for(analyst).post(reverse("review:submit", args=[assignment.pk]))
    assert Assignment.objects.get().state == S.SUBMITTED
    response = client_for(analyst).post(reverse("review:submit", args=[assignment.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 400 and "cannot become submitted" in response.content.decode()


# --- dashboard ---------------------------------------------------------------------------------------------------------


def test_dashboard_counts_per_state_and_analyst_and_lists_the_oldest_waiting(
    client_for, supervisor, analyst, other_analyst
):
    AssignmentFactory(analyst=analyst)
    old = AssignmentFactory(analyst=analyst, state=S.SUBMITTED, article__title="Waiting since long")
    AssignmentFactory(analyst=other_analyst, state=S.SUBMITTED)
    Assignment.objects.filter(pk=old.pk).update(updated_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
    ArticleFactory()  # unassigned
    AssignmentEvent.objects.create(assignment=old, actor=analyst, from_state=S.IN_PROGRESS, to_state=S.SUBMITTED)
    response = client_for(supervisor).get(reverse("review:dashboard"))
    ctx = response.context
    assert {s["state"]: s["n"] for s in ctx["per_state"]}[S.SUBMITTED] == 2
    assert ctx["unassigned"] == 1
    rows = {r["analyst"].username: r["counts"] for r in ctx["per_analyst"]}
    assert rows == {"ana": [1, 0, 1, 0, 0], "bob": [0, 0, 1, 0, 0]}
    assert ctx["per_day"][-1]["submitted"] == 1
    assert ctx["oldest_waiting"][0] == old
    assert "Waiting since long" in response.content.decode().split('id="oldest-waiting"')[1]


def test_queue_list_filters_and_sorts_and_htmx_gets_the_partial(client_for, supervisor, analyst, other_analyst):
    xinhua = OutletFactory(name="Xinhua")
    AssignmentFactory(
        analyst=analyst, state=S.SUBMITTED, due_date="2030-02-01", article__outlet=xinhua, article__title="B due later"
    )
    AssignmentFactory(
        analyst=analyst, state=S.SUBMITTED, due_date="2030-01-01", article__outlet=xinhua, article__title="A due first"
    )
    AssignmentFactory(analyst=other_analyst, state=S.SUBMITTED, article__outlet=xinhua, article__title="Bob's")
    AssignmentFactory(analyst=analyst, state=S.ASSIGNED, article__outlet=xinhua, article__title="Not submitted")
    client = client_for(supervisor)
    params = {"state": "submitted", "analyst": analyst.pk, "outlet": xinhua.pk, "sort": "due"}
    partial = client.get(reverse("review:dashboard"), params, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="queue-list")
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="queue-list">')
    assert html.index("A due first") < html.index("B due later")
    assert "Bob&#x27;s" not in html and "Not submitted" not in html
    assert client.get(reverse("review:dashboard"), {"state": "nonsense"}).status_code == 400
    assert client.get(reverse("review:dashboard"), {"from": "yesterday"}).status_code == 400


def test_dashboard_queries_do_not_grow_with_the_number_of_assignments(client_for, supervisor):
    client = client_for(supervisor)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("review:dashboard"), {"state": "submitted"}).status_code == 200
        return len(ctx)

    for _ in range(3):
        AssignmentFactory(state=S.SUBMITTED)
    few = count()
    for _ in range(25):
        AssignmentFactory(state=S.SUBMITTED)
    assert count() == few


def test_agreement_panel_shows_pooled_pair_and_theme_figures(client_for, supervisor, analyst, other_analyst, themes):
    article = ArticleFactory(text="aa bb cc dd")
    for user in (analyst, other_analyst):
        AssignmentFactory(article=article, analyst=user, state=S.SUBMITTED)
    span(article, analyst, 0, 5, [themes[0]])
    span(article, other_analyst, 3, 8, [themes[0]])
    client = client_for(supervisor)
    pair = client.get(reverse("review:agreement")).context["pairs"][0]
    assert pair["exact"].f1 == 0.0 and pair["overlap"].f1 == 1.0 and pair["alpha"] == pytest.approx(0.125)
    html = client.get(reverse("review:agreement"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in html and "ana · bob" in html and "0.12" in html


def test_agreement_panel_without_finished_pairs_shows_only_the_empty_message(client_for, supervisor):
    html = client_for(supervisor).get(reverse("review:agreement"), HTTP_HX_REQUEST="true").content.decode()
    assert "No article has two finished annotations yet." in html
    assert "most recently finished" not in html


# --- assigning --------------------------------------------------------------------------------------------------------


def test_bulk_assign_by_filter_gives_every_matching_unassigned_article_to_two_analysts(
    client_for, supervisor, analyst, other_analyst
):
    xinhua, tass = OutletFactory(name="Xinhua"), OutletFactory(name="TASS")
    wanted = [ArticleFactory(outlet=xinhua, published="2025-05-08") for _ in range(3)]
    ArticleFactory(outlet=xinhua, published="2024-01-01")  # outside the date range
    ArticleFactory(outlet=tass, published="2025-05-08")
    already = ArticleFactory(outlet=xinhua, published="2025-05-09")
    AssignmentFactory(article=already)
    client = client_for(supervisor)
    filters = {"outlet": xinhua.pk, "from": "2025-05-01", "to": "2025-05-31", "unassigned": "1"}
    listing = client.get(reverse("review:assign"), filters)
    assert listing.context["page_obj"].paginator.count == 3
    response = client.post(
        reverse("review:assign"),
        {**filters, "scope": "all", "analysts": [analyst.pk, other_analyst.pk], "due_date": "2030-06-01"},
    )
    assert response.status_code == 302
    assigned = Assignment.objects.exclude(article=already)
    assert sorted(assigned.values_list("article_id", flat=True)) == sorted([a.pk for a in wanted] * 2)
    assert set(assigned.values_list("due_date", flat=True)) == {datetime.date(2030, 6, 1)}
    assert set(assigned.values_list("assigned_by", flat=True)) == {supervisor.pk}


def test_assign_one_ticked_article_and_refuse_non_analysts(client_for, supervisor, analyst):
    one, other = ArticleFactory(), ArticleFactory()
    client = client_for(supervisor)
    client.post(reverse("review:assign"), {"scope": "ticked", "articles": [one.pk], "analysts": [analyst.pk]})
    assert list(Assignment.objects.values_list("article_id", flat=True)) == [one.pk]
    refused = client.post(
        reverse("review:assign"), {"scope": "ticked", "articles": [other.pk], "analysts": [supervisor.pk]}
    )
    assert refused.status_code == 400 and "only to analysts" in refused.content.decode()


def test_assign_filters_by_entity_and_speaker_present(client_for, supervisor):
    from apps.annotations.models import EntityMention
    from apps.quotes.models import Quote, Speaker

    with_xi, with_putin, plain = ArticleFactory(), ArticleFactory(), ArticleFactory()
    EntityMention.objects.create(article=with_xi, label="PERSON", start=0, end=7, text="Xi Jinping")
    putin = Speaker.objects.create(name="Vladimir Putin")
    Quote.objects.create(article=with_putin, speaker=putin, start=0, end=7, text=with_putin.text[:7])
    client = client_for(supervisor)
    by_entity = client.get(reverse("review:assign"), {"entity": "xi jin"}).context["articles"]
    assert list(by_entity) == [with_xi]
    by_speaker = client.get(reverse("review:assign"), {"speaker": "putin"}).context["articles"]
    assert list(by_speaker) == [with_putin]
    assert plain.pk


# --- the review page ----------------------------------------------------------------------------------------------------


@pytest.fixture
def doubly(analyst, other_analyst, themes):
    article = ArticleFactory(text="Xi <b>Jinping</b> and Putin met in Moscow on Thursday.")
    a1 = AssignmentFactory(article=article, analyst=analyst, state=S.SUBMITTED)
    a2 = AssignmentFactory(article=article, analyst=other_analyst, state=S.SUBMITTED)
    shared_a = span(article, analyst, 0, 2, [themes[0]])
    shared_b = span(article, other_analyst, 0, 2, [themes[0]])
    only_a = span(article, analyst, 22, 27, [themes[1]])
    return {"article": article, "a1": a1, "a2": a2, "shared": (shared_a, shared_b), "only_a": only_a}


def test_review_page_shows_both_analysts_side_by_side_with_differences_and_agreement(client_for, supervisor, doubly):
    response = client_for(supervisor).get(reverse("review:article", args=[doubly["article"].pk]))
    html = response.content.decode()
    assert html.count('class="review-column"') == 2 and 'class="review-column merged"' in html
    assert "&lt;b&gt;Jinping&lt;/b&gt;" in html and "<b>Jinping</b>" not in html
    rows = {(r["start"], r["end"]): r for r in response.context["rows"]}
    assert rows[(0, 2)]["agreed"] and not rows[(22, 27)]["agreed"]
    assert rows[(22, 27)]["cells"][1] is None
    assert response.context["n_diff"] == 1
    assert 'class="m-diff"' in html and 'class="m-agree"' in html
    # exact: 1 match of 2 + 1 spans → 2/3; alpha shown
    pair = response.context["agreement_pairs"][0]
    assert pair["exact"] == pytest.approx(2 / 3) and pair["overlap"] == pytest.approx(2 / 3)
    assert response.context["agreement"].alpha is not None


def test_review_page_queries_do_not_grow_with_spans(client_for, supervisor, doubly, analyst, other_analyst, themes):
    client = client_for(supervisor)
    url = reverse("review:article", args=[doubly["article"].pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx)

    few = count()
    text = doubly["article"].text
    for i in range(30, len(text) - 1, 2):
        span(doubly["article"], analyst if i % 4 else other_analyst, i, i + 1, themes[:2])
    assert count() == few


def test_span_decision_through_htmx_returns_the_updated_body_and_is_in_history(client_for, supervisor, doubly):
    only_a = doubly["only_a"]
    response = client_for(supervisor).post(
        reverse("review:span_decide", args=[only_a.pk]),
        {"decision": "reject", "version": only_a.version, "comment": "Not about Putin"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="review-body">')
    assert "Rejected by sue" in html and "Not about Putin" in html.split('id="review-history"')[1]
    only_a.refresh_from_db()
    assert only_a.status == "rejected"


def test_a_stale_decision_gets_a_409_with_the_reason(client_for, supervisor, doubly):
    response = client_for(supervisor).post(
        reverse("review:span_decide", args=[doubly["only_a"].pk]),
        {"decision": "accept", "version": 99},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 409
    assert "was changed elsewhere" in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")


def test_edit_through_the_page_keeps_the_analysts_span(client_for, supervisor, doubly, themes):
    only_a = doubly["only_a"]
    client_for(supervisor).post(
        reverse("review:span_decide", args=[only_a.pk]),
        {"decision": "edit", "version": 1, "start": 22, "end": 35, "themes": [themes[1].pk, themes[2].pk]},
    )
    only_a.refresh_from_db()
    assert (only_a.start, only_a.end, only_a.status) == (22, 27, "rejected")
    decision = ReviewDecision.objects.get()
    assert decision.replacement.text == "Putin met in " and decision.replacement.annotator == supervisor


def test_request_changes_returns_the_work_to_the_analysts_queue_with_the_comment(
    client_for, supervisor, analyst, doubly
):
    client_for(supervisor).post(
        reverse("review:assignment_decide", args=[doubly["a1"].pk]),
        {"action": "request_changes", "comment": "Tag Moscow too."},
    )
    assert Assignment.objects.get(pk=doubly["a1"].pk).state == S.CHANGES_REQUESTED
    queue = client_for(analyst).get(reverse("review:queue")).content.decode()
    assert "Tag Moscow too." in queue and "Changes requested" in queue
    feedback = client_for(analyst).get(reverse("review:feedback", args=[doubly["article"].pk])).content.decode()
    assert "Tag Moscow too." in feedback and "Submitted → " in feedback


def test_request_changes_without_comment_is_refused(client_for, supervisor, doubly):
    response = client_for(supervisor).post(
        reverse("review:assignment_decide", args=[doubly["a1"].pk]), {"action": "request_changes"}, follow=True
    )
    assert "the comment is required" in response.content.decode()
    assert Assignment.objects.get(pk=doubly["a1"].pk).state == S.SUBMITTED


def test_analyst_feedback_hides_comments_addressed_to_the_other_analyst(client_for, supervisor, analyst, doubly):
    services.article_comment_create(
        article_id=doubly["article"].pk, author=supervisor, body="For bob only", assignment=doubly["a2"]
    )
    services.article_comment_create(article_id=doubly["article"].pk, author=supervisor, body="For everyone")
    client = client_for(analyst)
    client.post(reverse("review:comment_create", args=[doubly["article"].pk]), {"body": "Fixed it"})
    page = client.get(reverse("review:feedback", args=[doubly["article"].pk])).content.decode()
    assert "For everyone" in page and "Fixed it" in page and "For bob only" not in page
    assert ArticleComment.objects.get(body="Fixed it").assignment == doubly["a1"]


def test_empty_comment_is_refused_with_a_message(client_for, analyst, doubly):
    response = client_for(analyst).post(
        reverse("review:comment_create", args=[doubly["article"].pk]), {"body": " "}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400 and "empty" in response.content.decode()


def test_nav_shows_my_queue_to_analysts_and_review_to_supervisors(client_for, analyst, supervisor):
    page = client_for(analyst).get(reverse("review:queue")).content.decode()
    assert 'href="/review/queue/"' in page and 'href="/review/"' not in page
    page = client_for(UserFactory(role="Supervisor")).get(reverse("review:queue")).content.decode()
    assert 'href="/review/"' in page


def test_assign_one_article_from_its_review_page_returns_there(client_for, supervisor, analyst):
    article = ArticleFactory()
    client = client_for(supervisor)
    page = client.get(reverse("review:article", args=[article.pk])).content.decode()
    assert 'id="assign-one"' in page and analyst.username in page
    back = reverse("review:article", args=[article.pk])
    response = client.post(
        reverse("review:assign"),
        {"scope": "ticked", "articles": [article.pk], "analysts": [analyst.pk], "due_date": "2030-01-05", "next": back},
    )
    assert response["Location"] == back
    assert Assignment.objects.get().due_date == datetime.date(2030, 1, 5)
    evil = client.post(
        reverse("review:assign"),
        {"scope": "ticked", "articles": [article.pk], "analysts": [analyst.pk], "next": "https://evil.example/"},
    )
    assert "evil" not in evil["Location"]


def test_my_queue_pages_through_long_queues(client_for, analyst):
    for i in range(55):
        AssignmentFactory(analyst=analyst, due_date=datetime.date(2030, 1, 1) + datetime.timedelta(days=i))
    client = client_for(analyst)
    first = client.get(reverse("review:queue"))
    assert len(first.context["items"]) == 50 and "Page 1 of 2" in first.content.decode()
    assert len(client.get(reverse("review:queue"), {"page": 2}).context["items"]) == 5


def test_agreement_figures_never_show_a_negative_zero():
    from apps.review.templatetags.review_tags import pct

    assert pct(-0.0000001) == "0.00"
    assert pct(-0.25) == "-0.25" and pct(0.8) == "0.80" and pct(None) == "—"
