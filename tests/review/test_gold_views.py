"""The adjudication endpoint and the anchored / threaded comments, through the views."""

import pytest
from django.urls import reverse

from apps.annotations.services import annotation_create
from apps.review.models import ArticleComment, GoldSpan, ReviewDecision
from tests.factories import ArticleFactory, AssignmentFactory

pytestmark = pytest.mark.django_db

TEXT = "Both leaders criticised unilateral sanctions and called for reform of global governance."


@pytest.fixture
def double(analyst, other_analyst, themes):
    article = ArticleFactory(text=TEXT)
    theme = next(t for t in themes if t.name == "sanctions and tariffs")
    spans = {}
    for user, phrase in ((analyst, "unilateral sanctions"), (other_analyst, "criticised unilateral sanctions")):
        AssignmentFactory(article=article, analyst=user, state="submitted")
        start = TEXT.index(phrase)
        spans[user.username] = annotation_create(
            article=article, annotator=user, start=start, end=start + len(phrase), theme_ids=[theme.pk]
        )[0]
    return article, spans, theme


def test_the_review_page_walks_the_disagreements_side_by_side(client_for, supervisor, double):
    article, spans, _ = double
    page = client_for(supervisor).get(reverse("review:article", args=[article.pk])).content.decode()
    assert 'id="adjudication"' in page and "Disagreement 1 of 1" in page
    walk = page.split('id="disagreements"')[1]
    assert 'data-analyst="ana"' in walk and 'data-analyst="bob"' in walk
    assert f"Reject span {spans['ana'].pk}" in walk and "<kbd>j</kbd>" in walk


def test_agree_threshold_and_htmx_answer_with_the_body(client_for, supervisor, double):
    article, _, _ = double
    url = reverse("review:gold_decide", args=[article.pk])
    client = client_for(supervisor)
    assert client.post(url, {"action": "agree", "threshold": "0.3"}, HTTP_HX_REQUEST="true").status_code == 400
    response = client.post(url, {"action": "agree", "threshold": "0.5"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="review-body"' in response.content.decode()
    assert "1 agreement accepted" in response["HX-Trigger"]
    assert GoldSpan.objects.get().text == "unilateral sanctions"


def test_reject_without_a_reason_is_refused_and_with_one_reaches_the_analysts_feedback(
    client_for, supervisor, analyst, double
):
    article, spans, _ = double
    url = reverse("review:gold_decide", args=[article.pk])
    ana = spans["ana"]
    data = {"action": "reject", "span": ana.pk, "version": ana.version}
    client = client_for(supervisor)
    assert client.post(url, {**data, "reason": ""}, HTTP_HX_REQUEST="true").status_code == 400
    assert client.post(url, {**data, "reason": "Too <narrow>"}).status_code == 302
    assert ReviewDecision.objects.get(annotation=ana).comment == "Too <narrow>"
    feedback = client_for(analyst).get(reverse("review:feedback", args=[article.pk])).content.decode()
    assert 'id="rejections"' in feedback and "Too &lt;narrow&gt;" in feedback


def test_fix_takes_offsets_and_themes(client_for, supervisor, double):
    article, spans, theme = double
    start = TEXT.index("unilateral sanctions")
    versions = ",".join(f"{s.pk}:{s.version}" for s in spans.values())
    response = client_for(supervisor).post(
        reverse("review:gold_decide", args=[article.pk]),
        {
            "action": "fix",
            "span": spans["ana"].pk,
            "versions": versions,
            "start": start,
            "end": start + len("unilateral sanctions and"),
            "themes": [theme.pk],
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert GoldSpan.objects.get().text == "unilateral sanctions and"


def test_analysts_anchor_comments_only_to_their_own_spans_and_reply_in_visible_threads(
    client_for, supervisor, analyst, other_analyst, double
):
    article, spans, _ = double
    url = reverse("review:comment_create", args=[article.pk])
    client_for(supervisor).post(url, {"body": "Why criticised?", "annotation": spans["bob"].pk})
    root = ArticleComment.objects.get()
    assert root.annotation == spans["bob"]
    ana = client_for(analyst)
    assert ana.post(url, {"body": "mine", "annotation": spans["bob"].pk}).status_code == 404
    assert ana.post(url, {"body": "peek", "parent": root.pk}).status_code == 404
    bob = client_for(other_analyst)
    assert bob.post(url, {"body": "The verb frames it.", "parent": root.pk}).status_code == 302
    reply = ArticleComment.objects.get(parent=root)
    assert reply.annotation == spans["bob"]
    page = bob.get(reverse("review:feedback", args=[article.pk])).content.decode()
    assert "Why criticised?" in page and "The verb frames it." in page and 'class="replies"' in page
    assert (
        "Why criticised?" not in client_for(analyst).get(reverse("review:feedback", args=[article.pk])).content.decode()
    )


def test_the_review_page_reads_gold_and_disagreements_in_a_fixed_number_of_queries(
    client_for, supervisor, analyst, other_analyst, themes
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from apps.review.services import article_comment_create, gold_span_put

    text = " ".join(f"word{i}" for i in range(400))
    article = ArticleFactory(text=text)
    for user in (analyst, other_analyst):
        AssignmentFactory(article=article, analyst=user, state="submitted")
    client = client_for(supervisor)
    url = reverse("review:article", args=[article.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    def add(i):
        start = text.index(f"word{i} ")
        a, _ = annotation_create(
            article=article, annotator=analyst, start=start, end=start + 5, theme_ids=[themes[0].pk]
        )
        b, _ = annotation_create(article=article, annotator=other_analyst, start=start, end=start + 6, theme_ids=[])
        gold_span_put(
            article=article,
            start=start,
            end=start + 4,
            theme_ids=[themes[1].pk],
            sources=[a, b],
            origin="fixed",
            actor=supervisor,
        )
        root = article_comment_create(article_id=article.pk, author=supervisor, body="why?", annotation_id=a.pk)
        article_comment_create(article_id=article.pk, author=analyst, body="because", parent_id=root.pk)

    add(10)
    few = count()
    for i in range(20, 60):
        add(i)
    assert count() == few
