import pytest
from django.core.exceptions import ValidationError

from apps.annotations.models import Annotation
from apps.assignments import services as assignment_services
from apps.assignments.models import Assignment, AssignmentEvent
from apps.core.versions import VersionConflict
from apps.review import services
from apps.review.models import ArticleComment, ReviewDecision
from tests.factories import AnnotationFactory, ArticleFactory, AssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
S = Assignment.State


def test_state_machine_records_every_change_with_actor_and_comment(analyst, supervisor):
    assignment = assignment_services.assignment_create(
        article=ArticleFactory(), analyst=analyst, assigned_by=supervisor
    )
    assignment_services.assignment_start(assignment=assignment, actor=analyst)
    assignment_services.assignment_submit(assignment=assignment, actor=analyst)
    services.assignment_request_changes(assignment=assignment, actor=supervisor, comment="Tag the second quote.")
    assignment_services.assignment_start(assignment=assignment, actor=analyst)
    assignment_services.assignment_submit(assignment=assignment, actor=analyst)
    services.assignment_approve(assignment=assignment, actor=supervisor)
    events = list(
        AssignmentEvent.objects.filter(assignment=assignment).values_list("actor__username", "from_state", "to_state")
    )
    assert events == [
        ("sue", "", S.ASSIGNED),
        ("ana", S.ASSIGNED, S.IN_PROGRESS),
        ("ana", S.IN_PROGRESS, S.SUBMITTED),
        ("sue", S.SUBMITTED, S.CHANGES_REQUESTED),
        ("ana", S.CHANGES_REQUESTED, S.IN_PROGRESS),
        ("ana", S.IN_PROGRESS, S.SUBMITTED),
        ("sue", S.SUBMITTED, S.APPROVED),
    ]
    assert AssignmentEvent.objects.get(to_state=S.CHANGES_REQUESTED).comment == "Tag the second quote."
    assert Assignment.objects.get(pk=assignment.pk).state == S.APPROVED


def test_request_changes_needs_a_comment_and_puts_it_in_the_thread(analyst, supervisor):
    assignment = AssignmentFactory(analyst=analyst, state=S.SUBMITTED)
    with pytest.raises(ValidationError) as err:
        services.assignment_request_changes(assignment=assignment, actor=supervisor, comment="  ")
    assert err.value.code == "comment_required"
    services.assignment_request_changes(assignment=assignment, actor=supervisor, comment="Missing the Taiwan frame.")
    comment = ArticleComment.objects.get()
    assert (comment.assignment, comment.author, comment.body) == (assignment, supervisor, "Missing the Taiwan frame.")


def test_cannot_approve_work_that_is_not_submitted(analyst, supervisor):
    assignment = AssignmentFactory(analyst=analyst)
    with pytest.raises(ValidationError) as err:
        services.assignment_approve(assignment=assignment, actor=supervisor)
    assert err.value.code == "invalid_transition"
    assert not AssignmentEvent.objects.exists()


def test_bulk_assign_creates_double_annotation_and_skips_existing_pairs(analyst, other_analyst, supervisor):
    articles = [ArticleFactory() for _ in range(3)]
    AssignmentFactory(article=articles[0], analyst=analyst)
    n = assignment_services.assignments_bulk_create(
        article_ids=[a.pk for a in articles],
        analysts=[analyst, other_analyst],
        assigned_by=supervisor,
        due_date="2030-01-31",
    )
    assert n == 5
    assert Assignment.objects.count() == 6
    assert Assignment.objects.filter(analyst=other_analyst, due_date="2030-01-31").count() == 3
    assert AssignmentEvent.objects.filter(actor=supervisor, to_state=S.ASSIGNED).count() == 5


def test_bulk_assign_refuses_more_than_the_limit(analyst, supervisor, monkeypatch):
    monkeypatch.setattr(assignment_services, "BULK_ASSIGN_LIMIT", 2)
    ids = [ArticleFactory().pk for _ in range(3)]
    with pytest.raises(ValidationError) as err:
        assignment_services.assignments_bulk_create(article_ids=ids, analysts=[analyst], assigned_by=supervisor)
    assert err.value.code == "too_many"
    assert not Assignment.objects.exists()


def test_pool_gives_the_oldest_unassigned_article_and_never_the_same_one_twice(analyst, other_analyst):
    taken, first, second = ArticleFactory(), ArticleFactory(), ArticleFactory()
    AssignmentFactory(article=taken)
    a = assignment_services.assignment_pull(analyst=analyst)
    b = assignment_services.assignment_pull(analyst=other_analyst)
    assert (a.article, b.article) == (first, second)
    assert a.events.get().comment == "Pulled from the open pool."
    assignment_services.assignment_pull(analyst=analyst)
    assert assignment_services.assignment_pull(analyst=analyst) is None


def test_accept_and_reject_set_status_record_the_decision_and_keep_history(analyst, supervisor):
    span = AnnotationFactory(annotator=analyst)
    decision = services.review_decision_create(
        annotation_id=span.pk, reviewer=supervisor, decision="reject", expected_version=1, comment="Not a frame."
    )
    span.refresh_from_db()
    assert (span.status, span.version, span.start, span.end) == ("rejected", 2, 0, 7)
    assert decision.before["status"] == "pending" and decision.after["status"] == "rejected"
    assert decision.comment == "Not a frame."
    last = span.history.first()
    assert (last.status, last.history_user, last.history_change_reason) == ("rejected", supervisor, "Review: rejected")
    services.review_decision_create(annotation_id=span.pk, reviewer=supervisor, decision="accept", expected_version=2)
    span.refresh_from_db()
    assert span.status == "accepted"
    assert ReviewDecision.objects.filter(annotation=span).count() == 2


def test_edit_keeps_the_original_and_stores_the_reviewers_version(analyst, supervisor, themes):
    article = ArticleFactory(text="Xi Jinping met Putin in Moscow.")
    span = AnnotationFactory(article=article, annotator=analyst, start=0, end=10)
    span.themes.set([themes[0]])
    decision = services.review_decision_create(
        annotation_id=span.pk,
        reviewer=supervisor,
        decision="edit",
        expected_version=1,
        start=15,
        end=20,
        theme_ids=[themes[1].pk],
    )
    span.refresh_from_db()
    assert (span.start, span.end, span.text, span.status) == (0, 10, "Xi Jinping", "rejected")
    assert list(span.themes.all()) == [themes[0]]
    new = decision.replacement
    assert (new.annotator, new.start, new.end, new.text, new.status) == (supervisor, 15, 20, "Putin", "accepted")
    assert list(new.themes.all()) == [themes[1]]
    assert decision.before["text"] == "Xi Jinping" and decision.after["text"] == "Putin"
    # a later decision supersedes the edit: the reviewer's span is soft-deleted, never silently
    services.review_decision_create(annotation_id=span.pk, reviewer=supervisor, decision="accept", expected_version=2)
    new.refresh_from_db()
    assert new.deleted_at is not None and new.deleted_by == supervisor


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"start": 5, "end": 5}, "bad_offsets"),
        ({"start": 0, "end": 10_000}, "bad_offsets"),
        ({"start": 0, "end": 7}, "unchanged"),
        ({"start": 0, "end": 3, "theme_ids": [999_999]}, "theme_unknown"),
    ],
)
def test_bad_edits_are_refused_with_a_reason(analyst, supervisor, kwargs, code):
    span = AnnotationFactory(annotator=analyst)
    with pytest.raises(ValidationError) as err:
        services.review_decision_create(
            annotation_id=span.pk, reviewer=supervisor, decision="edit", expected_version=1, **kwargs
        )
    assert err.value.code == code
    assert Annotation.objects.count() == 1 and not ReviewDecision.objects.exists()


def test_a_stale_version_is_refused(analyst, supervisor):
    span = AnnotationFactory(annotator=analyst, version=3)
    with pytest.raises(VersionConflict) as conflict:
        services.review_decision_create(
            annotation_id=span.pk, reviewer=supervisor, decision="accept", expected_version=2
        )
    assert conflict.value.current.pk == span.pk
    span.refresh_from_db()
    assert span.status == "pending"


def test_a_reviewer_cannot_decide_on_their_own_span(supervisor):
    span = AnnotationFactory(annotator=supervisor)
    with pytest.raises(ValidationError) as err:
        services.review_decision_create(
            annotation_id=span.pk, reviewer=supervisor, decision="accept", expected_version=1
        )
    assert err.value.code == "own_span"


def test_comments_must_not_be_empty(analyst):
    article = ArticleFactory()
    with pytest.raises(ValidationError):
        services.article_comment_create(article_id=article.pk, author=analyst, body="   ")
    comment = services.article_comment_create(article_id=article.pk, author=analyst, body=" Done, see para 3. ")
    assert comment.body == "Done, see para 3."


def test_only_the_assigned_analyst_submits(analyst):
    assignment = AssignmentFactory()
    with pytest.raises(ValidationError) as err:
        assignment_services.assignment_submit(assignment=assignment, actor=UserFactory(role="Analyst"))
    assert err.value.code == "not_owner"


def test_approval_decides_every_remaining_span_or_asks_for_the_choice(analyst, supervisor):
    span_a = AnnotationFactory(annotator=analyst)
    span_b = AnnotationFactory(
        annotator=analyst, article=span_a.article, start=8, end=12, text=span_a.article.text[8:12]
    )
    assignment = assignment_services.assignment_create(article=span_a.article, analyst=analyst, assigned_by=supervisor)
    assignment_services.assignment_submit(assignment=assignment, actor=analyst)
    services.review_decision_create(
        annotation_id=span_a.pk, reviewer=supervisor, decision="reject", expected_version=span_a.version
    )
    with pytest.raises(ValidationError) as err:
        services.assignment_approve(assignment=assignment, actor=supervisor)
    assert err.value.code == "undecided" and "1 span is still undecided" in err.value.messages[0]
    assignment.refresh_from_db()
    assert assignment.state == "submitted"

    services.assignment_approve(assignment=assignment, actor=supervisor, remaining="accept")
    span_a.refresh_from_db()
    span_b.refresh_from_db()
    assert (span_a.status, span_b.status) == ("rejected", "accepted")  # a decision already made is kept
    assert ReviewDecision.objects.filter(annotation=span_b, decision="accept").count() == 1
    assignment.refresh_from_db()
    assert assignment.state == "approved"
