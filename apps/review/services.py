"""Review: approval and return of submitted work, the comment thread, and reviewers' decisions on spans."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from apps.annotations.models import Annotation
from apps.annotations.services import (
    annotation_for_review,
    annotation_replacement_create,
    annotation_replacements_supersede,
    annotation_review_status_set,
    clean_theme_ids,
)
from apps.assignments.models import Assignment
from apps.assignments.services import assignment_transition
from apps.core.offsets import span_offsets
from apps.core.versions import version_claim
from apps.corpus.models import Article

from .models import ArticleComment, GoldSpan, ReviewDecision
from .selectors import FINISHED, disagreement_clusters, overlap_ratio

S = Assignment.State


REMAINING_CHOICES = {"accept": "accept", "reject": "reject"}


def assignment_approve(*, assignment: Assignment, actor, comment: str = "", remaining: str = "") -> Assignment:
    """Submitted work is approved, and approval decides every span of it: spans still undecided are accepted or
    rejected as ``remaining`` says (each recorded as a review decision); without that choice the approval is
    refused with their count. An optional comment also goes to the article's thread."""
    with transaction.atomic():
        pending = list(
            Annotation.objects.filter(
                article_id=assignment.article_id,
                annotator_id=assignment.analyst_id,
                deleted_at__isnull=True,
                status=Annotation.Status.PENDING,
            ).values_list("pk", "version")
        )
        if pending and remaining not in REMAINING_CHOICES:
            raise ValidationError(
                f"{len(pending)} span{'s are' if len(pending) != 1 else ' is'} still undecided: choose to accept or "
                "reject the remaining ones, or decide them one by one first.",
                code="undecided",
            )
        for pk, version in pending:
            review_decision_create(
                annotation_id=pk,
                reviewer=actor,
                decision=REMAINING_CHOICES[remaining],
                expected_version=version,
                comment="Decided with the approval of the work.",
                gold_origin=GoldSpan.Origin.APPROVAL,
            )
        assignment = assignment_transition(assignment=assignment, to_state=S.APPROVED, actor=actor, comment=comment)
        if comment.strip():
            article_comment_create(article_id=assignment.article_id, author=actor, body=comment, assignment=assignment)
    return assignment


def assignment_request_changes(*, assignment: Assignment, actor, comment: str) -> Assignment:
    """Send the work back to the analyst's queue with a comment (required: the analyst must know what to fix)."""
    if not comment.strip():
        raise ValidationError("Say what should change: the comment is required.", code="comment_required")
    with transaction.atomic():
        assignment = assignment_transition(
            assignment=assignment, to_state=S.CHANGES_REQUESTED, actor=actor, comment=comment.strip()
        )
        article_comment_create(article_id=assignment.article_id, author=actor, body=comment, assignment=assignment)
    return assignment


COMMENT_MAX = 5000


@transaction.atomic
def article_comment_create(
    *,
    article_id: int,
    author,
    body: str,
    assignment: Assignment | None = None,
    annotation_id: int | None = None,
    parent_id: int | None = None,
):
    """A comment on the article, optionally anchored to one of its spans (``annotation_id``) or replying to
    another comment (``parent_id``). A reply joins its parent's thread: same span, same addressee, and replies to
    a reply attach to the thread's first comment (threads are one level deep)."""
    body = (body or "").strip()
    if not body:
        raise ValidationError("The comment is empty.", code="empty")
    if len(body) > COMMENT_MAX:
        raise ValidationError(f"Comments are limited to {COMMENT_MAX} characters.", code="too_long")
    parent = None
    if parent_id:
        parent = ArticleComment.objects.filter(pk=parent_id, article_id=article_id).first()
        if parent is None:
            raise ValidationError("The comment you reply to is not on this article.", code="bad_parent")
        parent = parent.parent or parent
        assignment, annotation_id = parent.assignment, parent.annotation_id
    elif annotation_id and not Annotation.objects.filter(pk=annotation_id, article_id=article_id).exists():
        raise ValidationError("The span is not on this article.", code="bad_annotation")
    return ArticleComment.objects.create(
        article_id=article_id,
        author=author,
        body=body,
        assignment=assignment,
        annotation_id=annotation_id,
        parent=parent,
    )


# --- review decisions -------------------------------------------------------------------------------------------


def annotation_snapshot(annotation) -> dict:
    return {
        "start": annotation.start,
        "end": annotation.end,
        "text": annotation.text,
        "themes": sorted(annotation.themes.values_list("id", flat=True)),
        "status": annotation.status,
    }


@transaction.atomic
def review_decision_create(
    *,
    annotation_id: int,
    reviewer,
    decision: str,
    expected_version: int,
    comment: str = "",
    start: int | None = None,
    end: int | None = None,
    theme_ids=None,
    gold_origin: str | None = GoldSpan.Origin.CHOSEN,
):
    """Record a reviewer's accept / reject / edit of an analyst's span.

    The gold layer follows (unless ``gold_origin`` is None): an accepted span, or an edit's new version, becomes a
    gold span (joining one already at the same offsets); a rejected span leaves the gold spans it alone supported.

    Guarantees: the analyst's row keeps its offsets, text, themes and note (only ``status`` and ``version`` change,
    through annotations' services, so history records the reviewer as the user); the decision stores
    before/after snapshots; an edit creates the reviewer's own accepted span (see ``ReviewDecision``) and a later
    decision on the same span soft-deletes the previous replacement. ``expected_version`` is the version the
    reviewer saw: a span changed since then is refused with a VersionConflict.
    """
    D = ReviewDecision.Kind
    if decision not in D.values:
        raise ValidationError(f"Unknown decision “{decision}”.", code="bad_decision")
    annotation = annotation_for_review(annotation_id=annotation_id, reviewer=reviewer)
    before = annotation_snapshot(annotation)
    annotation_replacements_supersede(annotation=annotation, reviewer=reviewer)
    replacement = None
    after: dict = {}
    if decision == D.EDIT:
        replacement = annotation_replacement_create(
            annotation=annotation, reviewer=reviewer, start=start, end=end, theme_ids=theme_ids
        )
        after = annotation_snapshot(replacement)
    status = Annotation.Status.ACCEPTED if decision == D.ACCEPT else Annotation.Status.REJECTED
    annotation_review_status_set(
        annotation=annotation,
        reviewer=reviewer,
        status=status,
        version=expected_version,
        reason=f"Review: {D(decision).label.lower()}",
    )
    after.setdefault("status", status)
    if gold_origin is not None:
        if decision == D.REJECT:
            _gold_drop_source(annotation=annotation, actor=reviewer)
        else:
            source = replacement or annotation
            gold_span_put(
                article=annotation.article,
                start=source.start,
                end=source.end,
                theme_ids=list(source.themes.values_list("id", flat=True)),
                sources=[annotation],
                origin=GoldSpan.Origin.FIXED if replacement else gold_origin,
                actor=reviewer,
            )
    return ReviewDecision.objects.create(
        annotation=annotation,
        article=annotation.article,
        reviewer=reviewer,
        decision=decision,
        before=before,
        after=after,
        replacement=replacement,
        comment=(comment or "").strip(),
    )


# --- adjudication: the gold layer ----------------------------------------------------------------------------------


def _gold_live():
    return GoldSpan.objects.filter(deleted_at__isnull=True)


@transaction.atomic
def gold_span_put(*, article: Article, start, end, theme_ids, sources, origin: str, actor) -> GoldSpan:
    """The gold span [start, end) of ``article`` with these themes, made from ``sources``: a live gold span at
    the same offsets gains the themes and sources (one gold span per offsets, never a copy); otherwise a new one."""
    start, end = span_offsets(text=article.text, start=start, end=end)
    ids = clean_theme_ids(theme_ids or [], allowed_inactive=theme_ids or [])
    gold = _gold_live().select_for_update().filter(article=article, start=start, end=end).first()
    if gold is None:
        gold = GoldSpan(article=article, start=start, end=end, text=article.text[start:end], origin=origin)
        gold.created_by = actor
        gold._history_user = actor
        gold._change_reason = f"gold: {GoldSpan.Origin(origin).label.lower()}"
        gold.save()
        gold.themes.set(ids)
        gold.sources.set(sources)
        return gold
    gold.version = version_claim(_gold_live(), pk=gold.pk, version=gold.version, what="gold span")
    new_themes = [t for t in ids if t not in set(gold.themes.values_list("id", flat=True))]
    if new_themes:
        gold.themes.add(*new_themes)
    gold.sources.add(*sources)
    gold._history_user = actor
    gold._change_reason = "gold: joined by another decision"
    gold.save(update_fields=["version", "updated_at"])
    return gold


def _gold_drop_source(*, annotation: Annotation, actor) -> None:
    """A rejected span leaves the gold layer: gold spans it alone supported (not fixed by hand) are deleted."""
    for gold in _gold_live().select_for_update().filter(sources=annotation):
        others = gold.sources.exclude(pk=annotation.pk)
        if others.exists() or gold.origin == GoldSpan.Origin.FIXED:
            gold.sources.remove(annotation)
            continue
        gold_span_delete(gold=gold, actor=actor, version=gold.version)


@transaction.atomic
def gold_span_delete(*, gold: GoldSpan, actor, version) -> GoldSpan:
    """Soft delete (who and when are kept); refused if the gold span changed since ``version``."""
    gold.version = version_claim(_gold_live(), pk=gold.pk, version=version, what="gold span")
    gold.deleted_at, gold.deleted_by = timezone.now(), actor
    gold._history_user = actor
    gold._change_reason = "gold: removed"
    gold.save(update_fields=["version", "deleted_at", "deleted_by", "updated_at"])
    return gold


AGREEMENT_THRESHOLDS = {"1": 1.0, "0.9": 0.9, "0.75": 0.75, "0.5": 0.5}


@transaction.atomic
def gold_accept_agreed(*, article: Article, actor, min_overlap: float = 1.0) -> int:
    """Accept where the analysts agree, in one action: every assigned analyst with work on the article has an
    undecided span with the same themes, each overlapping the others by at least ``min_overlap`` (characters
    shared / characters covered; 1.0 = the exact same offsets). Each agreement becomes ONE gold span over the text
    all of them marked (the intersection, whose ends are analysts' own boundaries) and every source span is
    accepted (a review decision each, so the analysts see it). Only finished (submitted or approved) work counts.
    Returns how many gold spans it made."""
    if not 0 < min_overlap <= 1:
        raise ValidationError("The overlap threshold is a fraction between 0 and 1.", code="bad_threshold")
    analyst_ids = list(
        Assignment.objects.filter(article=article, state__in=FINISHED)
        .order_by("id")
        .values_list("analyst_id", flat=True)
        .distinct()
    )
    pending = list(
        Annotation.objects.filter(
            article=article,
            annotator_id__in=analyst_ids,
            deleted_at__isnull=True,
            status=Annotation.Status.PENDING,
        )
        .prefetch_related("themes")
        .order_by("start", "end", "id")
    )
    by_user: dict = {}
    for ann in pending:
        ann.theme_set = frozenset(t.pk for t in ann.themes.all())
        by_user.setdefault(ann.annotator_id, []).append(ann)
    users = [u for u in analyst_ids if u in by_user]
    if len(users) < 2:
        return 0
    used: set = set()
    made = 0
    for first in by_user[users[0]]:
        group = [first]
        for uid in users[1:]:
            candidates = [
                (overlap_ratio(first, other), other)
                for other in by_user[uid]
                if other.pk not in used and other.theme_set == first.theme_set
            ]
            candidates = [
                c
                for c in candidates
                if c[0] >= min_overlap and all(overlap_ratio(g, c[1]) >= min_overlap for g in group)
            ]
            if not candidates:
                break
            group.append(max(candidates, key=lambda c: (c[0], -c[1].pk))[1])
        if len(group) != len(users):
            continue
        start, end = max(a.start for a in group), min(a.end for a in group)
        if start >= end or not article.text[start:end].strip():
            continue
        used.update(a.pk for a in group)
        for ann in group:
            review_decision_create(
                annotation_id=ann.pk,
                reviewer=actor,
                decision=ReviewDecision.Kind.ACCEPT,
                expected_version=ann.version,
                comment="The analysts agree.",
                gold_origin=None,
            )
        gold_span_put(
            article=article,
            start=start,
            end=end,
            theme_ids=sorted(first.theme_set),
            sources=group,
            origin=GoldSpan.Origin.AGREED,
            actor=actor,
        )
        made += 1
    return made


def _cluster_of(article: Article, annotation_id: int) -> list:
    for cluster in disagreement_clusters(article):
        if any(a.pk == annotation_id for a in cluster["spans"]):
            return cluster["spans"]
    raise ValidationError("This span is no longer undecided; reload the page.", code="decided")


@transaction.atomic
def disagreement_choose(*, article: Article, annotation_id: int, expected_version: int, actor) -> GoldSpan:
    """ "Accept this one": the chosen analyst span goes into the gold layer as it is; the other undecided spans of
    the disagreement that overlap it are rejected, with a reason naming the chosen span (the analysts see it)."""
    cluster = _cluster_of(article, annotation_id)
    chosen = next(a for a in cluster if a.pk == annotation_id)
    themes = ", ".join(chosen.themes.values_list("name", flat=True)) or "no theme"
    review_decision_create(
        annotation_id=chosen.pk,
        reviewer=actor,
        decision=ReviewDecision.Kind.ACCEPT,
        expected_version=expected_version,
        comment="Chosen for the gold standard.",
    )
    for other in cluster:
        if other.pk != chosen.pk and other.start < chosen.end and chosen.start < other.end:
            review_decision_create(
                annotation_id=other.pk,
                reviewer=actor,
                decision=ReviewDecision.Kind.REJECT,
                expected_version=other.version,
                comment=f"Another reading was chosen for the gold standard: “{chosen.text[:200]}” ({themes}).",
            )
    return _gold_live().get(article=article, start=chosen.start, end=chosen.end)


@transaction.atomic
def disagreement_reject(*, article: Article, annotation_id: int, expected_version: int, actor, reason: str):
    """Reject one analyst span; the reason is required and is shown to the analyst with the decision."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the span is rejected: the analyst sees the reason.", code="reason_required")
    if not Annotation.objects.filter(pk=annotation_id, article=article).exists():
        raise ValidationError("The span is not on this article.", code="bad_annotation")
    return review_decision_create(
        annotation_id=annotation_id,
        reviewer=actor,
        decision=ReviewDecision.Kind.REJECT,
        expected_version=expected_version,
        comment=reason,
    )


@transaction.atomic
def disagreement_fix(
    *, article: Article, annotation_id: int, versions: dict, start, end, theme_ids, actor, comment: str = ""
) -> GoldSpan:
    """Settle a disagreement with the supervisor's own reading: a gold span [start, end) with ``theme_ids``
    (offsets come from a text selection), made from every undecided span of the disagreement; each of them is
    recorded as edited (accepted into gold in this new form), with the gold span as the decision's "after".
    ``versions`` is {span id: the version the supervisor saw}: a span changed since is a VersionConflict."""
    cluster = _cluster_of(article, annotation_id)
    if not theme_ids:
        raise ValidationError("Choose at least one theme for the gold span.", code="no_theme")
    gold = gold_span_put(
        article=article,
        start=start,
        end=end,
        theme_ids=theme_ids,
        sources=cluster,
        origin=GoldSpan.Origin.FIXED,
        actor=actor,
    )
    after = {
        "start": gold.start,
        "end": gold.end,
        "text": gold.text,
        "themes": sorted(gold.themes.values_list("id", flat=True)),
        "status": Annotation.Status.ACCEPTED,
    }
    for ann in cluster:
        locked = annotation_for_review(annotation_id=ann.pk, reviewer=actor)
        before = annotation_snapshot(locked)
        annotation_review_status_set(
            annotation=locked,
            reviewer=actor,
            status=Annotation.Status.ACCEPTED,
            version=versions.get(ann.pk, ann.version),
            reason="Review: fixed into the gold standard",
        )
        ReviewDecision.objects.create(
            annotation=locked,
            article=article,
            reviewer=actor,
            decision=ReviewDecision.Kind.EDIT,
            before=before,
            after=after,
            comment=(comment or "").strip() or "Fixed for the gold standard.",
        )
    return gold
