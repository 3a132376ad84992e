"""Adjudication to a gold standard: agreements in one action, disagreements settled one by one, threaded comments."""

import pytest
from django.core.exceptions import ValidationError

from apps.annotations.models import Annotation
from apps.annotations.services import annotation_create
from apps.core.versions import VersionConflict
from apps.review import selectors, services
from apps.review.models import ArticleComment, GoldSpan, ReviewDecision
from tests.factories import ArticleFactory, AssignmentFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Xi Jinping and Vladimir Putin pledged to build a multipolar world during talks in Moscow.\n"
    "Both leaders criticised unilateral sanctions and called for reform of global governance.\n"
    "They also agreed to expand energy cooperation and people-to-people exchanges."
)


@pytest.fixture
def coded(analyst, other_analyst, themes):
    """Two analysts on one article: one exact agreement, one near agreement, one theme clash, one lone span."""
    article = ArticleFactory(text=TEXT)
    for user in (analyst, other_analyst):
        AssignmentFactory(article=article, analyst=user, state="submitted")
    t = {x.name: x for x in themes}

    def code(user, phrase, theme, *, extra_left=""):
        start = TEXT.index(phrase) - len(extra_left)
        return annotation_create(
            article=article, annotator=user, start=start, end=TEXT.index(phrase) + len(phrase), theme_ids=[t[theme].pk]
        )[0]

    spans = {
        "ana_world": code(analyst, "multipolar world", "multipolarity"),
        "bob_world": code(other_analyst, "multipolar world", "multipolarity"),
        "ana_sanctions": code(analyst, "unilateral sanctions", "sanctions and tariffs"),
        "bob_sanctions": code(other_analyst, "unilateral sanctions", "sanctions and tariffs", extra_left="criticised "),
        "ana_energy": code(analyst, "energy cooperation", "economic and energy cooperation"),
        "bob_energy": code(other_analyst, "energy cooperation", "people-to-people and cultural exchange"),
        "ana_reform": code(analyst, "reform of global governance", "global governance reform"),
    }
    return article, spans, t


def live_gold(article):
    return list(GoldSpan.objects.filter(article=article, deleted_at__isnull=True).order_by("start"))


def test_exact_agreement_becomes_one_gold_span_and_accepts_both_sources(coded, supervisor):
    article, spans, t = coded
    assert services.gold_accept_agreed(article=article, actor=supervisor) == 1
    (gold,) = live_gold(article)
    assert (gold.text, gold.origin) == ("multipolar world", "agreed")
    assert set(gold.sources.all()) == {spans["ana_world"], spans["bob_world"]}
    assert list(gold.themes.all()) == [t["multipolarity"]]
    for key in ("ana_world", "bob_world"):
        spans[key].refresh_from_db()
        assert spans[key].status == Annotation.Status.ACCEPTED
    assert ReviewDecision.objects.filter(decision="accept").count() == 2
    assert gold.history.count() >= 1
    # idempotent: nothing left that agrees
    assert services.gold_accept_agreed(article=article, actor=supervisor) == 0
    assert len(live_gold(article)) == 1


def test_an_overlap_threshold_takes_near_agreements_as_the_shared_text(coded, supervisor):
    article, spans, _ = coded
    assert services.gold_accept_agreed(article=article, actor=supervisor, min_overlap=0.5) == 2
    texts = [g.text for g in live_gold(article)]
    assert texts == ["multipolar world", "unilateral sanctions"]  # the intersection of the two readings
    with pytest.raises(ValidationError):
        services.gold_accept_agreed(article=article, actor=supervisor, min_overlap=0)


def test_disagreements_are_the_remaining_clusters_with_each_analysts_spans(coded, supervisor):
    article, spans, _ = coded
    clusters = selectors.disagreement_clusters(article)
    assert [c["agreed"] for c in clusters] == [True, False, False, False]
    services.gold_accept_agreed(article=article, actor=supervisor)
    dis = [c for c in selectors.disagreement_clusters(article) if not c["agreed"]]
    assert [{a.pk for a in c["spans"]} for c in dis] == [
        {spans["ana_sanctions"].pk, spans["bob_sanctions"].pk},
        {spans["ana_reform"].pk},
        {spans["ana_energy"].pk, spans["bob_energy"].pk},
    ]


def test_accept_this_one_puts_it_in_gold_and_rejects_the_overlapping_other_with_a_reason(coded, supervisor):
    article, spans, _ = coded
    ana = spans["ana_energy"]
    gold = services.disagreement_choose(
        article=article, annotation_id=ana.pk, expected_version=ana.version, actor=supervisor
    )
    assert (gold.text, gold.origin) == ("energy cooperation", "chosen")
    bob = Annotation.objects.get(pk=spans["bob_energy"].pk)
    assert bob.status == "rejected"
    reason = ReviewDecision.objects.get(annotation=bob).comment
    assert "chosen for the gold standard" in reason and "energy cooperation" in reason


def test_reject_needs_a_reason_and_a_current_version(coded, supervisor):
    article, spans, _ = coded
    span = spans["ana_reform"]
    with pytest.raises(ValidationError) as err:
        services.disagreement_reject(
            article=article, annotation_id=span.pk, expected_version=span.version, actor=supervisor, reason=" "
        )
    assert err.value.code == "reason_required"
    with pytest.raises(VersionConflict):
        services.disagreement_reject(
            article=article, annotation_id=span.pk, expected_version=span.version - 1, actor=supervisor, reason="x"
        )
    services.disagreement_reject(
        article=article, annotation_id=span.pk, expected_version=span.version, actor=supervisor, reason="Not a frame."
    )
    assert ReviewDecision.objects.get(annotation=span).comment == "Not a frame."
    assert live_gold(article) == []


def test_fix_makes_one_gold_span_from_a_selection_and_records_edits(coded, supervisor):
    article, spans, t = coded
    start = TEXT.index("unilateral sanctions")
    a, b = spans["ana_sanctions"], spans["bob_sanctions"]
    gold = services.disagreement_fix(
        article=article,
        annotation_id=a.pk,
        versions={a.pk: a.version, b.pk: b.version},
        start=start,
        end=start + len("unilateral sanctions"),
        theme_ids=[t["sanctions and tariffs"].pk, t['unilateralism and "bullying"'].pk],
        actor=supervisor,
    )
    assert (gold.text, gold.origin) == ("unilateral sanctions", "fixed")
    assert gold.themes.count() == 2
    assert set(gold.sources.all()) == {a, b}
    decisions = ReviewDecision.objects.filter(decision="edit")
    assert decisions.count() == 2 and all(d.after["text"] == "unilateral sanctions" for d in decisions)
    with pytest.raises(ValidationError):  # the disagreement is settled: nothing undecided left there
        services.disagreement_fix(
            article=article,
            annotation_id=a.pk,
            versions={},
            start=start,
            end=start + 5,
            theme_ids=[1],
            actor=supervisor,
        )


def test_approval_accepting_the_remaining_spans_puts_them_in_gold_once(coded, supervisor, analyst, other_analyst):
    article, spans, _ = coded
    services.gold_accept_agreed(article=article, actor=supervisor)
    for assignment in article.assignments.order_by("id"):
        services.assignment_approve(assignment=assignment, actor=supervisor, remaining="accept")
    texts = sorted(g.text for g in live_gold(article))
    # the identical energy spans (two themes) are one gold span with both themes
    assert texts == sorted(
        [
            "multipolar world",
            "unilateral sanctions",
            "criticised unilateral sanctions",
            "reform of global governance",
            "energy cooperation",
        ]
    )
    energy = GoldSpan.objects.get(article=article, text="energy cooperation")
    assert energy.themes.count() == 2 and energy.sources.count() == 2


def test_comments_anchor_to_a_span_and_replies_join_the_thread(coded, supervisor, analyst):
    article, spans, _ = coded
    assignment = article.assignments.get(analyst=analyst)
    root = services.article_comment_create(
        article_id=article.pk,
        author=supervisor,
        body="Why this boundary?",
        assignment=assignment,
        annotation_id=spans["ana_sanctions"].pk,
    )
    reply = services.article_comment_create(
        article_id=article.pk, author=analyst, body="Adjective + noun.", parent_id=root.pk
    )
    nested = services.article_comment_create(article_id=article.pk, author=supervisor, body="OK.", parent_id=reply.pk)
    assert reply.parent == root and nested.parent == root  # one level deep
    assert reply.annotation_id == spans["ana_sanctions"].pk and reply.assignment == assignment
    (thread,) = selectors.comment_threads(list(ArticleComment.objects.all()))
    assert [c.body for c in thread.thread_replies] == ["Adjective + noun.", "OK."]
    # the other analyst never sees a thread anchored to ana's span
    bob_assignment = article.assignments.exclude(analyst=analyst).get()
    assert selectors.article_feedback_data(article, bob_assignment)["threads"] == []
    assert len(selectors.article_feedback_data(article, assignment)["threads"]) == 1
    with pytest.raises(ValidationError):
        services.article_comment_create(article_id=ArticleFactory().pk, author=analyst, body="x", parent_id=root.pk)


def test_unfinished_work_is_not_adjudicated(coded, supervisor, other_analyst):
    article, spans, _ = coded
    article.assignments.filter(analyst=other_analyst).update(state="in_progress")
    assert services.gold_accept_agreed(article=article, actor=supervisor) == 0
    clusters = selectors.disagreement_clusters(article)
    assert all(a.annotator_id != other_analyst.pk for c in clusters for a in c["spans"])
