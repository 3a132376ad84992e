"""What the supervisor reads: the review page, the analyst's feedback, the dashboard and agreement data."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.annotations.models import Annotation, EntityMention, Theme
from apps.assignments.models import Assignment, AssignmentEvent
from apps.assignments.selectors import with_article_filters
from apps.corpus.models import Article
from apps.corpus.text import Mark, text_html
from apps.quotes.models import Quote

from .agreement import Span, article_agreement, pooled_agreement
from .models import ArticleComment, GoldSpan, ReviewDecision


def latest_comments_for(assignment_ids) -> dict:
    """{assignment_id: latest ArticleComment addressed to it} in one query."""
    latest: dict = {}
    for comment in (
        ArticleComment.objects.filter(assignment_id__in=list(assignment_ids))
        .select_related("author")
        .order_by("assignment_id", "created_at", "id")
    ):
        latest[comment.assignment_id] = comment
    return latest


def rejected_counts_for(analyst, article_ids) -> dict:
    """{article_id: how many of the analyst's live spans there were rejected in review} in one query."""
    rows = (
        Annotation.objects.filter(
            annotator=analyst,
            article_id__in=list(article_ids),
            deleted_at__isnull=True,
            status=Annotation.Status.REJECTED,
        )
        .values("article_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["article_id"]: row["n"] for row in rows}


# --- supervisor: filters over articles (assigning) and assignments (the queue list) -----------------------------


def articles_matching(
    *,
    outlet_id: int | None = None,
    published_from=None,
    published_to=None,
    batch_id: int | None = None,
    entity: str = "",
    speaker: str = "",
    unassigned: bool = False,
) -> QuerySet[Article]:
    """Articles for bulk assignment: every filter narrows; entity / speaker match names case-insensitively."""
    articles = with_article_filters(
        Article.objects.all(),
        outlet_id=outlet_id,
        published_from=published_from,
        published_to=published_to,
        batch_id=batch_id,
    )
    if entity.strip():
        articles = articles.filter(
            Exists(
                EntityMention.objects.filter(article=OuterRef("pk"), text__icontains=entity.strip()).exclude(
                    status="rejected"
                )
            )
        )
    if speaker.strip():
        articles = articles.filter(
            Exists(
                Quote.objects.filter(
                    article=OuterRef("pk"), deleted_at__isnull=True, speaker__name__icontains=speaker.strip()
                )
            )
        )
    if unassigned:
        articles = articles.filter(~Exists(Assignment.objects.filter(article=OuterRef("pk"))))
    return articles.select_related("outlet").only("id", "title", "published", "outlet__name").order_by("id")


# --- supervisor dashboard ------------------------------------------------------------------------------------------


def dashboard_stats(*, days: int = 14, oldest: int = 10) -> dict:
    """Counts per state and per analyst, items submitted / approved per day, the oldest work waiting for review.

    A fixed number of aggregate queries, each served by an index (see the migrations), whatever the corpus size.
    """
    S = Assignment.State
    # one pass over assignments gives both the per-analyst and the per-state counts
    pivot: dict = {}
    by_state: dict = {}
    for row in Assignment.objects.values("analyst_id", "state").annotate(n=Count("id")).order_by():
        pivot.setdefault(row["analyst_id"], {})[row["state"]] = row["n"]
        by_state[row["state"]] = by_state.get(row["state"], 0) + row["n"]
    per_state = [{"state": value, "label": label, "n": by_state.get(value, 0)} for value, label in S.choices]

    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=list(pivot))}
    per_analyst = sorted(
        (
            {
                "analyst": users[uid],
                "counts": [counts.get(value, 0) for value, _ in S.choices],
                "total": sum(counts.values()),
            }
            for uid, counts in pivot.items()
            if uid in users
        ),
        key=lambda row: str(row["analyst"]).lower(),
    )

    today = timezone.localdate()
    since = today - timedelta(days=days - 1)
    done: dict = {}
    for row in (
        AssignmentEvent.objects.filter(
            to_state__in=(S.SUBMITTED, S.APPROVED),
            created_at__gte=timezone.make_aware(datetime.combine(since, time.min)),
        )
        .annotate(day=TruncDate("created_at"))
        .values("day", "to_state")
        .annotate(n=Count("id"))
        .order_by()
    ):
        done.setdefault(row["day"], {})[row["to_state"]] = row["n"]
    per_day = []
    for i in range(days):
        day = since + timedelta(days=i)
        per_day.append(
            {
                "day": day,
                "submitted": done.get(day, {}).get(S.SUBMITTED, 0),
                "approved": done.get(day, {}).get(S.APPROVED, 0),
            }
        )
    peak = max([max(d["submitted"], d["approved"]) for d in per_day] + [1])
    for d in per_day:
        d["submitted_pct"] = round(100 * d["submitted"] / peak)
        d["approved_pct"] = round(100 * d["approved"] / peak)

    waiting = list(
        Assignment.objects.filter(state=S.SUBMITTED)
        .select_related("article", "analyst")
        .only(
            "id",
            "updated_at",
            "article_id",
            "article__title",
            "analyst__username",
            "analyst__first_name",
            "analyst__last_name",
        )
        .order_by("updated_at", "id")[:oldest]
    )
    return {
        "per_state": per_state,
        "total": sum(by_state.values()),
        "per_analyst": per_analyst,
        "per_day": per_day,
        "oldest_waiting": waiting,
        "state_labels": [label for _, label in S.choices],
    }


# --- agreement data -----------------------------------------------------------------------------------------------


def spans_for_agreement(article_ids) -> dict:
    """{article_id: {analyst_id: [Span]}} for the analysts assigned to each article (2 queries)."""
    article_ids = list(article_ids)
    result: dict = {}
    for article_id, analyst_id in Assignment.objects.filter(article_id__in=article_ids).values_list(
        "article_id", "analyst_id"
    ):
        result.setdefault(article_id, {})[analyst_id] = []
    theme_rows: dict = {}
    Through = Annotation.themes.through
    for ann_id, theme_id in Through.objects.filter(
        annotation__article_id__in=article_ids, annotation__deleted_at__isnull=True
    ).values_list("annotation_id", "theme_id"):
        theme_rows.setdefault(ann_id, set()).add(theme_id)
    for ann_id, article_id, annotator_id, start, end in Annotation.objects.filter(
        article_id__in=article_ids, deleted_at__isnull=True
    ).values_list("id", "article_id", "annotator_id", "start", "end"):
        per_user = result.get(article_id, {})
        if annotator_id in per_user:
            per_user[annotator_id].append(Span(start, end, frozenset(theme_rows.get(ann_id, ()))))
    return result


AGREEMENT_SAMPLE = 200


def pooled_agreement_recent(*, limit: int = AGREEMENT_SAMPLE, analyst_id: int | None = None):
    """Pooled agreement over the ``limit`` most recently finished double-annotated articles.

    "Finished" means at least two assignments submitted or approved; the analysts counted on each article are
    those whose work is finished there.
    """
    done = (Assignment.State.SUBMITTED, Assignment.State.APPROVED)
    finished = Assignment.objects.filter(state__in=done)
    if analyst_id:
        finished = finished.filter(article__assignments__analyst_id=analyst_id)
    article_ids = list(
        finished.values("article_id")
        .annotate(n=Count("id", distinct=True), last=Max("updated_at"))
        .filter(n__gte=2)
        .order_by("-last")
        .values_list("article_id", flat=True)[:limit]
    )
    finished_pairs = set(
        Assignment.objects.filter(article_id__in=article_ids, state__in=done).values_list("article_id", "analyst_id")
    )
    spans = spans_for_agreement(article_ids)
    texts = dict(Article.objects.filter(pk__in=article_ids).values_list("id", "text"))
    docs = []
    for article_id in article_ids:
        per_user = {u: s for u, s in spans.get(article_id, {}).items() if (article_id, u) in finished_pairs}
        docs.append((texts[article_id], per_user))
    return pooled_agreement(docs)


# --- the review page --------------------------------------------------------------------------------------------


def article_review_data(article: Article) -> dict:
    """Everything the review page shows, in a fixed number of queries whatever the number of spans.

    ``columns``: one per assigned analyst, their text with spans marked ``agree`` (every other analyst has a span
    with the same offsets and themes), ``diff`` or ``rej`` (rejected by review); ``merged``: all analysts' spans
    by offsets; ``rows``: one per distinct offsets with each analyst's span (or None) for the decision controls.
    """
    assignments = list(
        Assignment.objects.filter(article=article).select_related("analyst", "assigned_by").order_by("id")
    )
    analyst_ids = [a.analyst_id for a in assignments]
    annotations = list(
        Annotation.objects.filter(article=article, deleted_at__isnull=True)
        .select_related("annotator")
        .prefetch_related("themes")
        .order_by("start", "end", "id")
    )
    themes = list(Theme.objects.all())
    theme_names = {t.pk: t.name for t in themes}
    decisions = list(ReviewDecision.objects.filter(article=article).select_related("reviewer", "annotation__annotator"))
    last_decision = {d.annotation_id: d for d in decisions}

    by_analyst: dict = {uid: [] for uid in analyst_ids}
    reviewer_spans = []
    for ann in annotations:
        ann.theme_ids = frozenset(t.pk for t in ann.themes.all())
        ann.theme_label = ", ".join(t.name for t in ann.themes.all()) or "no theme"
        ann.decision = last_decision.get(ann.pk)
        if ann.annotator_id in by_analyst:
            by_analyst[ann.annotator_id].append(ann)
        else:
            reviewer_spans.append(ann)

    # offsets → {analyst_id: annotation}
    groups: dict = {}
    for uid, anns in by_analyst.items():
        for ann in anns:
            groups.setdefault((ann.start, ann.end), {}).setdefault(uid, ann)

    def agreed(key) -> bool:
        group = groups[key]
        return (
            len(analyst_ids) > 1 and len(group) == len(analyst_ids) and len({a.theme_ids for a in group.values()}) == 1
        )

    for assignment in assignments:
        assignment.n_pending = sum(
            1 for a in by_analyst[assignment.analyst_id] if a.status == Annotation.Status.PENDING
        )
    columns = []
    for assignment in assignments:
        anns = by_analyst[assignment.analyst_id]
        marks = []
        for a in anns:
            kind = (
                "rej" if a.status == Annotation.Status.REJECTED else ("agree" if agreed((a.start, a.end)) else "diff")
            )
            marks.append(Mark(a.start, a.end, kind, f"a{a.pk}", classes=f"m-{kind}", title=a.theme_label))
        columns.append(
            {
                "assignment": assignment,
                "analyst": assignment.analyst,
                "n_spans": len(anns),
                "text_html": text_html(article.text, marks).html,
            }
        )
    merged_marks = []
    for (s, e), group in groups.items():
        kind = "agree" if agreed((s, e)) else "diff"
        title = "; ".join(f"{a.annotator.display_name}: {a.theme_label}" for a in group.values())
        merged_marks.append(
            Mark(s, e, kind, " ".join(f"a{a.pk}" for a in group.values()), classes=f"m-{kind}", title=title)
        )
    merged_marks += [
        Mark(a.start, a.end, "edit", f"a{a.pk}", classes="m-edit", title=f"reviewer: {a.theme_label}")
        for a in reviewer_spans
    ]
    rows = [
        {
            "start": s,
            "end": e,
            "text": article.text[s:e],
            "agreed": agreed((s, e)),
            "cells": [groups[(s, e)].get(uid) for uid in analyst_ids],
        }
        for (s, e) in sorted(groups)
    ]

    agreement = article_agreement(
        article.text,
        {uid: [Span(a.start, a.end, a.theme_ids) for a in by_analyst[uid]] for uid in analyst_ids},
        theme_ids=sorted({t for anns in by_analyst.values() for a in anns for t in a.theme_ids}),
    )
    names = {a.analyst_id: a.analyst.display_name for a in assignments}
    agreement_pairs = [
        {"a": names[p["a"]], "b": names[p["b"]], "exact": p["exact"].f1, "overlap": p["overlap"].f1}
        for p in agreement.pairs
    ]
    agreement_themes = [
        {"theme": theme_names.get(t, t), "exact": v["exact"].f1, "overlap": v["overlap"].f1, "alpha": v["alpha"]}
        for t, v in agreement.themes.items()
    ]

    comments = _comments_of(article)
    events = list(
        AssignmentEvent.objects.filter(assignment__article=article).select_related("actor", "assignment__analyst")
    )
    history = sorted(
        [{"kind": "event", "at": e.created_at, "item": e} for e in events]
        + [{"kind": "decision", "at": d.created_at, "item": d} for d in decisions]
        + [{"kind": "comment", "at": c.created_at, "item": c} for c in comments],
        key=lambda h: h["at"],
    )
    for decision in decisions:
        decision.before_themes = ", ".join(theme_names.get(t, str(t)) for t in decision.before.get("themes", []))
        decision.after_themes = ", ".join(theme_names.get(t, str(t)) for t in decision.after.get("themes", []))
    return {
        **adjudication_data(article, annotations, assignments),
        "assignments": assignments,
        "columns": columns,
        "merged_html": text_html(article.text, merged_marks).html,
        "rows": rows,
        "n_diff": sum(1 for r in rows if not r["agreed"]),
        "reviewer_spans": reviewer_spans,
        "themes": [t for t in themes if t.active],
        "agreement": agreement,
        "agreement_pairs": agreement_pairs,
        "agreement_themes": agreement_themes,
        "comments": comments,
        "threads": comment_threads(comments),
        "history": history,
    }


def _comments_of(article: Article) -> list:
    return list(
        ArticleComment.objects.filter(article=article).select_related("author", "assignment__analyst", "annotation")
    )


def comment_threads(comments: list) -> list:
    """Top-level comments in order, each with ``thread_replies`` (its replies, oldest first)."""
    roots = [c for c in comments if c.parent_id is None]
    by_id = {c.pk: c for c in roots}
    for root in roots:
        root.thread_replies = []
    for c in comments:
        if c.parent_id in by_id:
            by_id[c.parent_id].thread_replies.append(c)
    return roots


def comment_visible_to(comment_id: int, assignment: Assignment | None) -> bool:
    """Whether the analyst of ``assignment`` may read (and so reply to) this comment: the general thread, what is
    addressed to them, and what is anchored to their own spans."""
    if assignment is None:
        return False
    comment = ArticleComment.objects.filter(pk=comment_id, article_id=assignment.article_id).first()
    return comment is not None and _visible(comment, assignment)


def _visible(comment, assignment: Assignment) -> bool:
    # a reply carries its thread's addressee and span (article_comment_create copies them), so it reads alone
    if comment.assignment_id not in (None, assignment.pk):
        return False
    return comment.annotation_id is None or comment.annotation.annotator_id == assignment.analyst_id


def article_feedback_data(article: Article, assignment: Assignment) -> dict:
    """What an analyst sees of the review of their work: the thread, their assignment's history, decisions on
    their spans (never the other analysts' spans: double annotation stays blind)."""
    events = list(assignment.events.select_related("actor"))
    decisions = list(
        ReviewDecision.objects.filter(article=article, annotation__annotator=assignment.analyst).select_related(
            "reviewer", "annotation"
        )
    )
    # an analyst reads the general thread, what is addressed to them and what is anchored to their own spans,
    # not what is addressed to others or anchored to others' spans
    comments = [c for c in _comments_of(article) if _visible(c, assignment)]
    history = sorted(
        [{"kind": "event", "at": e.created_at, "item": e} for e in events]
        + [{"kind": "decision", "at": d.created_at, "item": d} for d in decisions]
        + [{"kind": "comment", "at": c.created_at, "item": c} for c in comments],
        key=lambda h: h["at"],
    )
    return {
        "assignment": assignment,
        "comments": comments,
        "threads": comment_threads(comments),
        "history": history,
        "decisions": decisions,
        "rejected": [d for d in decisions if d.decision == ReviewDecision.Kind.REJECT],
    }


AGREEMENT_CACHE_SECONDS = 300


def pooled_agreement_cached(*, limit: int = AGREEMENT_SAMPLE):
    """``pooled_agreement_recent`` cached until a finished assignment changes (or 5 minutes pass).

    The key carries the count and latest change of submitted / approved assignments, so a new submission or
    approval shows at once; span edits on finished work show within the timeout.
    """
    done = (Assignment.State.SUBMITTED, Assignment.State.APPROVED)
    stamp = Assignment.objects.filter(state__in=done).aggregate(n=Count("id"), last=Max("updated_at"))
    key = f"review:agreement:{limit}:{stamp['n']}:{stamp['last'].timestamp() if stamp['last'] else 0}"
    result = cache.get(key)
    if result is None:
        result = pooled_agreement_recent(limit=limit)
        cache.set(key, result, AGREEMENT_CACHE_SECONDS)
    return result


# --- adjudication: disagreements and the gold layer ----------------------------------------------------------------


FINISHED = (Assignment.State.SUBMITTED, Assignment.State.APPROVED)


def overlap_ratio(a, b) -> float:
    """Characters two spans share over the characters either covers (1.0: the same offsets, 0: disjoint)."""
    shared = min(a.end, b.end) - max(a.start, b.start)
    if shared <= 0:
        return 0.0
    return shared / (max(a.end, b.end) - min(a.start, b.start))


def disagreement_clusters(article: Article, *, annotations=None, analyst_ids=None) -> list[dict]:
    """The undecided (pending) spans of the analysts who finished their work on the article (submitted or
    approved), grouped into clusters of overlapping spans, by start.

    A cluster is ``agreed`` when every analyst with undecided work has exactly one span in it, all with the same
    offsets and themes (what "accept where analysts agree" takes at the exact threshold); the others are the
    disagreements the supervisor walks. ``annotations`` (with ``theme_ids``) and ``analyst_ids`` may be passed in
    by a caller that loaded them already.
    """
    if analyst_ids is None:
        analyst_ids = list(
            Assignment.objects.filter(article=article, state__in=FINISHED).values_list("analyst_id", flat=True)
        )
    if annotations is None:
        annotations = list(
            Annotation.objects.filter(article=article, deleted_at__isnull=True)
            .select_related("annotator")
            .prefetch_related("themes")
            .order_by("start", "end", "id")
        )
        for ann in annotations:
            ann.theme_ids = frozenset(t.pk for t in ann.themes.all())
    ids = set(analyst_ids)
    pending = [a for a in annotations if a.annotator_id in ids and a.status == Annotation.Status.PENDING]
    pending.sort(key=lambda a: (a.start, a.end, a.pk))
    working = {a.annotator_id for a in pending}
    clusters: list[dict] = []
    for ann in pending:
        if clusters and ann.start < clusters[-1]["end"]:
            clusters[-1]["spans"].append(ann)
            clusters[-1]["end"] = max(clusters[-1]["end"], ann.end)
        else:
            clusters.append({"start": ann.start, "end": ann.end, "spans": [ann]})
    for cluster in clusters:
        spans = cluster["spans"]
        cluster["agreed"] = (
            len(working) > 1
            and len(spans) == len(working)
            and {a.annotator_id for a in spans} == working
            and len({(a.start, a.end, a.theme_ids) for a in spans}) == 1
        )
    return clusters


def gold_spans_of(article: Article) -> list[GoldSpan]:
    return list(
        GoldSpan.objects.filter(article=article, deleted_at__isnull=True)
        .select_related("created_by")
        .prefetch_related("themes", "sources__annotator")
        .order_by("start", "end", "id")
    )


def adjudication_data(article: Article, annotations: list, assignments: list) -> dict:
    """The gold layer and the disagreements still to settle, with each analyst's spans side by side (the work of
    analysts who submitted it: unfinished work is not adjudicated)."""
    assignments = [a for a in assignments if a.state in FINISHED]
    analyst_ids = [a.analyst_id for a in assignments]
    clusters = disagreement_clusters(article, annotations=annotations, analyst_ids=analyst_ids)
    disagreements = []
    for number, cluster in enumerate((c for c in clusters if not c["agreed"]), start=1):
        per_analyst = {uid: [] for uid in analyst_ids}
        for ann in cluster["spans"]:
            per_analyst[ann.annotator_id].append(ann)
        theme_ids = set().union(*(a.theme_ids for a in cluster["spans"]))
        disagreements.append(
            {
                "number": number,
                "start": cluster["start"],
                "end": cluster["end"],
                "first": cluster["spans"][0],
                "spans": cluster["spans"],
                "theme_ids": theme_ids,
                "versions": ",".join(f"{a.pk}:{a.version}" for a in cluster["spans"]),
                "columns": [{"assignment": a, "spans": per_analyst[a.analyst_id]} for a in assignments],
            }
        )
    gold = gold_spans_of(article)
    for g in gold:
        g.theme_label = ", ".join(t.name for t in g.themes.all()) or "no theme"
        g.source_names = sorted({s.annotator.display_name for s in g.sources.all()})
    marks = [Mark(g.start, g.end, "gold", f"g{g.pk}", classes="m-gold", title=g.theme_label) for g in gold]
    marks += [
        Mark(d["start"], d["end"], "dis", f"d{d['number']}", classes="m-dis", title=f"Disagreement {d['number']}")
        for d in disagreements
    ]
    return {
        "gold": gold,
        "gold_html": text_html(article.text, marks).html,
        "disagreements": disagreements,
        "n_agreements": sum(1 for c in clusters if c["agreed"]),
    }
