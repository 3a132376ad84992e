"""Queues, assignment, the supervisor dashboard and the review page. Role checks happen here, in every view."""

from __future__ import annotations

import json
from datetime import date

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from apps.accounts.roles import ANALYST, is_analyst, is_supervisor, supervisor_required
from apps.annotations.models import Annotation, Theme
from apps.assignments import selectors as assignment_selectors
from apps.assignments import services as assignment_services
from apps.assignments.models import Assignment
from apps.core.htmx import error_response, refuse
from apps.core.versions import VersionConflict
from apps.corpus.models import Article, Outlet
from apps.ingest.models import ImportBatch

from . import assign_rules, selectors, services
from .models import ReviewDecision

PAGE_SIZE = 50


class BadInput(ValueError):
    pass


def _int(value, name: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadInput(f"“{name}” must be a whole number.") from None


def _date(value, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadInput(f"“{name}” must be a date like 2025-05-08.") from None


def _querystrings(request, page) -> dict:
    """The current filters without the page (paging links come from {% querystring %} in the template)."""
    params = request.GET.copy()
    params.pop("page", None)
    return {"querystring_base": params.urlencode()}


# --- analysts: my queue ---------------------------------------------------------------------------------------------


@require_GET
@login_required
def my_queue(request):
    page = Paginator(assignment_selectors.queue_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    items = list(page.object_list)
    latest = selectors.latest_comments_for(a.pk for a in items if a.state == Assignment.State.CHANGES_REQUESTED)
    recent = list(assignment_selectors.recently_submitted(request.user))
    rejected = selectors.rejected_counts_for(request.user, {a.article_id for a in items + recent})
    for item in items + recent:
        item.latest_comment = latest.get(item.pk)
        item.n_rejected = rejected.get(item.article_id, 0)
    context = {
        "items": items,
        "page_obj": page,
        "recent": recent,
        **_querystrings(request, page),
    }
    return render(request, "review/queue.html", context)


@require_GET
@login_required
def queue_next(request):
    """Open the next article of my queue (after ``?after=<article id>``) in the workspace."""
    try:
        after = _int(request.GET.get("after"), "after")
    except BadInput as exc:
        return error_response(str(exc))
    item = assignment_selectors.queue_next(request.user, after_article_id=after)
    if item is None:
        messages.info(request, "Your queue is empty.")
        return redirect("review:queue")
    return redirect("annotations:workspace", item.article_id)


@require_POST
@login_required
def pool_pull(request):
    if not is_analyst(request.user):
        raise PermissionDenied("Only users with a role pull work from the pool.")
    assignment = assignment_services.assignment_pull(analyst=request.user)
    if assignment is None:
        messages.info(request, "The open pool is empty: every article is assigned.")
        return redirect("review:queue")
    messages.success(request, "A new article was added to your queue.")
    return redirect("annotations:workspace", assignment.article_id)


@require_POST
@login_required
def assignment_submit(request, pk: int):
    assignment = get_object_or_404(Assignment, pk=pk, analyst=request.user)
    try:
        assignment_services.assignment_submit(assignment=assignment, actor=request.user)
    except (ValidationError, VersionConflict) as exc:
        return refuse(request, exc, back=reverse("review:queue"))
    messages.success(request, "Submitted for review.")
    return redirect("review:queue")


@require_GET
@login_required
def article_feedback(request, article_id: int):
    """The analyst's view of the review of their work on one article: thread, decisions, history."""
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=article_id)
    assignment = assignment_selectors.assignment_for(request.user, article_id)
    if assignment is None:
        if is_supervisor(request.user):
            return redirect("review:article", article_id=article_id)
        raise Http404("No assignment of yours on this article.")
    context = {"article": article, **selectors.article_feedback_data(article, assignment)}
    return render(request, "review/feedback.html", context)


@require_POST
@login_required
def comment_create(request, article_id: int):
    article = get_object_or_404(Article.objects.only("id"), pk=article_id)
    own = assignment_selectors.assignment_for(request.user, article_id)
    supervisor = is_supervisor(request.user)
    if own is None and not supervisor:
        raise Http404("No assignment of yours on this article.")
    back = reverse("review:article" if supervisor else "review:feedback", args=[article_id])
    try:
        addressed = _int(request.POST.get("assignment"), "assignment")
        annotation_id = _int(request.POST.get("annotation"), "span")
        parent_id = _int(request.POST.get("parent"), "reply to")
    except BadInput as exc:
        return error_response(str(exc))
    assignment = own
    if supervisor and addressed:
        assignment = Assignment.objects.filter(pk=addressed, article=article).first()
    if not supervisor and annotation_id:
        # an analyst anchors comments only to their own spans (double annotation stays blind)
        if not Annotation.objects.filter(pk=annotation_id, article=article, annotator=request.user).exists():
            raise Http404("No such span of yours on this article.")
    if not supervisor and parent_id and not selectors.comment_visible_to(parent_id, own):
        raise Http404("No such comment.")
    try:
        services.article_comment_create(
            article_id=article.pk,
            author=request.user,
            body=request.POST.get("body", ""),
            assignment=assignment,
            annotation_id=annotation_id,
            parent_id=parent_id,
        )
    except (ValidationError, VersionConflict) as exc:
        return refuse(request, exc, back=back)
    return redirect(back)


# --- supervisors: dashboard, queue list, assigning ---------------------------------------------------------------------


def _queue_filters(params) -> dict:
    state = params.get("state", "")
    if state and state not in Assignment.State.values:
        raise BadInput(f"Unknown state “{state}”.")
    sort = params.get("sort", "age") or "age"
    if sort not in assignment_selectors.QUEUE_SORTS:
        raise BadInput(f"Unknown sort “{sort}”.")
    return {
        "state": state,
        "analyst_id": _int(params.get("analyst"), "analyst"),
        "outlet_id": _int(params.get("outlet"), "outlet"),
        "published_from": _date(params.get("from"), "from"),
        "published_to": _date(params.get("to"), "to"),
        "batch_id": _int(params.get("batch"), "batch"),
        "overdue": params.get("overdue") == "1",
        "q": params.get("q", ""),
        "sort": sort,
    }


def _queue_context(request) -> dict:
    filters = _queue_filters(request.GET)
    page = Paginator(assignment_selectors.assignment_search(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "filters": filters,
        "page_obj": page,
        "items": page.object_list,
        "states": Assignment.State.choices,
        "sorts": [
            ("age", "Waiting longest"),
            ("-age", "Recently changed"),
            ("due", "Due soonest"),
            ("-due", "Due latest"),
            ("created", "Assigned first"),
            ("-created", "Assigned last"),
            ("published", "Published first"),
            ("-published", "Published last"),
        ],
        "analysts": get_user_model().objects.filter(groups__name=ANALYST).order_by("username"),
        "outlets": Outlet.objects.order_by("name"),
        **_querystrings(request, page),
    }


@require_GET
@supervisor_required
def dashboard(request):
    try:
        queue = _queue_context(request)
    except BadInput as exc:
        return error_response(str(exc))
    if request.htmx and request.htmx.target == "queue-list":
        return render(request, "review/dashboard.html#queue-list", queue)
    context = {**queue, **selectors.dashboard_stats(), "unassigned": assignment_selectors.unassigned_count()}
    per_day = context["per_day"]  # the chart's caption: how much, and what the tallest bar stands for
    context["per_day_total"] = sum(d["submitted"] + d["approved"] for d in per_day)
    context["per_day_peak"] = max((max(d["submitted"], d["approved"]) for d in per_day), default=0)
    return render(request, "review/dashboard.html", context)


@require_GET
@supervisor_required
def agreement_panel(request):
    """Pooled agreement over recent double-annotated articles; loaded after the dashboard (it reads span data)."""
    pooled = selectors.pooled_agreement_cached()
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in={u for pair in pooled.pairs for u in pair})}
    themes = {t.pk: t.name for t in Theme.objects.all()}
    context = {
        "pooled": pooled,
        "sample": selectors.AGREEMENT_SAMPLE,
        "pairs": [
            {"a": users[a], "b": users[b], **entry}
            for (a, b), entry in sorted(pooled.pairs.items())
            if a in users and b in users
        ],
        "theme_rows": [
            {"theme": themes.get(t, t), **entry}
            for t, entry in sorted(pooled.themes.items(), key=lambda kv: str(themes.get(kv[0], kv[0])))
        ],
    }
    template = "review/agreement_panel.html#panel" if request.htmx else "review/agreement_panel.html"
    return render(request, template, context)


def _assign_filters(params) -> dict:
    return {
        "outlet_id": _int(params.get("outlet"), "outlet"),
        "published_from": _date(params.get("from"), "from"),
        "published_to": _date(params.get("to"), "to"),
        "batch_id": _int(params.get("batch"), "batch"),
        "entity": params.get("entity", "")[:200],
        "speaker": params.get("speaker", "")[:200],
        "unassigned": params.get("unassigned") == "1",
    }


@require_http_methods(["GET", "POST"])
@supervisor_required
def assign(request):
    """Assign articles to analysts: the ticked ones, or every article matching the filter (bulk)."""
    params = request.POST if request.method == "POST" else request.GET
    try:
        filters = _assign_filters(params)
    except BadInput as exc:
        return error_response(str(exc))
    matching = selectors.articles_matching(**filters)
    if request.method == "POST":
        User = get_user_model()
        try:
            analyst_ids = [_int(v, "analyst") for v in request.POST.getlist("analysts")]
            due = _date(request.POST.get("due_date"), "due date")
            ticked = [_int(v, "article") for v in request.POST.getlist("articles")]
        except BadInput as exc:
            return error_response(str(exc))
        analysts = list(User.objects.filter(pk__in=analyst_ids, groups__name=ANALYST).distinct())
        if len(analysts) != len(set(analyst_ids)):
            return error_response("Assign only to analysts.")
        # a rule (double-coding, tie-breaker) takes every matching article, and every analyst when none is ticked
        rule = request.POST.get("scope") if request.POST.get("scope") in assign_rules.RULES else ""
        if request.POST.get("scope") == "all" or rule:
            article_ids = list(matching.values_list("id", flat=True)[: assignment_services.BULK_ASSIGN_LIMIT + 1])
        else:
            article_ids = list(Article.objects.filter(pk__in=ticked).values_list("id", flat=True))
        back = f"{reverse('review:assign')}?{request.POST.get('filters', '')}"
        if url_has_allowed_host_and_scheme(request.POST.get("next", ""), allowed_hosts={request.get_host()}):
            back = request.POST["next"]
        if rule:
            analysts = analysts or list(User.objects.filter(groups__name=ANALYST).distinct())
        try:
            if rule:
                said = assign_rules.assign_by_rule(
                    rule=rule,
                    article_ids=article_ids,
                    analysts=analysts,
                    assigned_by=request.user,
                    due_date=due,
                    **assign_rules.rule_params(request.POST),
                )[1]
            else:
                n = assignment_services.assignments_bulk_create(
                    article_ids=article_ids, analysts=analysts, assigned_by=request.user, due_date=due
                )
                said = f"{n} assignment{'s' if n != 1 else ''} created."
        except (ValidationError, VersionConflict) as exc:
            return refuse(request, exc, back=back)
        messages.success(request, said)
        return redirect(back)
    page = Paginator(matching, PAGE_SIZE).get_page(request.GET.get("page"))
    articles = list(page.object_list)  # with who has each article and its length; analysts with their open work
    contexts = assignment_selectors.article_assign_context(a.pk for a in articles)
    for article in articles:
        article.assign_context = contexts[article.pk]
    analysts = list(get_user_model().objects.filter(groups__name=ANALYST).order_by("username"))
    workload = assignment_selectors.open_workload(u.pk for u in analysts)
    for analyst in analysts:
        analyst.open_work = workload.get(analyst.pk, 0)
    context = {
        "filters": filters,
        "page_obj": page,
        "articles": articles,
        "outlets": Outlet.objects.order_by("name"),
        "batches": ImportBatch.objects.order_by("-created_at")[:50],
        "analysts": analysts,
        "limit": assignment_services.BULK_ASSIGN_LIMIT,
        **_querystrings(request, page),
    }
    template = "review/assign.html#results" if request.htmx else "review/assign.html"
    return render(request, template, context)


# --- supervisors: the review page -------------------------------------------------------------------------------------


def _review_context(article: Article) -> dict:
    return {
        "article": article,
        "decision_kinds": ReviewDecision.Kind,
        **selectors.article_review_data(article),
    }


@require_GET
@supervisor_required
def article_review(request, article_id: int):
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=article_id)
    if request.htmx:
        return render(request, "review/article.html#review-body", _review_context(article))
    assigned = Assignment.objects.filter(article=article).values("analyst_id")
    analysts = get_user_model().objects.filter(groups__name=ANALYST).exclude(pk__in=assigned).order_by("username")
    return render(request, "review/article.html", {**_review_context(article), "analysts": analysts})


@require_POST
@supervisor_required
def span_decide(request, annotation_id: int):
    """Accept, reject or edit one analyst span (recorded as a ReviewDecision; the original is kept)."""
    annotation = get_object_or_404(Annotation.objects.only("id", "article_id"), pk=annotation_id)
    back = reverse("review:article", args=[annotation.article_id])
    try:
        version = _int(request.POST.get("version"), "version")
        start = _int(request.POST.get("start"), "start")
        end = _int(request.POST.get("end"), "end")
        theme_ids = [_int(t, "theme") for t in request.POST.getlist("themes")]
    except BadInput as exc:
        return error_response(str(exc))
    if version is None:
        return error_response("The span's version is missing; reload the page.")
    try:
        services.review_decision_create(
            annotation_id=annotation.pk,
            reviewer=request.user,
            decision=request.POST.get("decision", ""),
            expected_version=version,
            comment=request.POST.get("comment", ""),
            start=start,
            end=end,
            theme_ids=theme_ids,
        )
    except (ValidationError, VersionConflict) as exc:
        return refuse(request, exc, back=back)
    if request.htmx:
        article = Article.objects.select_related("outlet").get(pk=annotation.article_id)
        return render(request, "review/article.html#review-body", _review_context(article))
    return redirect(back)


@require_POST
@supervisor_required
def assignment_decide(request, pk: int):
    """Approve submitted work, or request changes (it returns to the analyst's queue with the comment)."""
    assignment = get_object_or_404(Assignment, pk=pk)
    back = reverse("review:article", args=[assignment.article_id])
    action = request.POST.get("action")
    comment = request.POST.get("comment", "")
    try:
        if action == "approve":
            services.assignment_approve(
                assignment=assignment, actor=request.user, comment=comment, remaining=request.POST.get("remaining", "")
            )
            messages.success(request, f"Approved the work of {assignment.analyst.display_name}.")
        elif action == "request_changes":
            services.assignment_request_changes(assignment=assignment, actor=request.user, comment=comment)
            messages.success(request, f"Sent back to {assignment.analyst.display_name} with your comment.")
        else:
            return error_response("Choose approve or request changes.")
    except (ValidationError, VersionConflict) as exc:
        return refuse(request, exc, back=back)
    if request.htmx:
        return HttpResponseClientRedirect(back)
    return redirect(back)


def _versions(raw: str) -> dict:
    """ "12:3,14:1" (span id: version seen) → {12: 3, 14: 1}."""
    out = {}
    for item in (raw or "").split(","):
        if item.strip():
            pk, _, version = item.partition(":")
            out[_int(pk, "span")] = _int(version, "version")
    return out


def _gold_action(request, article: Article, action: str):
    """One adjudication action from the POST data (the service refuses what is not allowed)."""
    post = request.POST
    user = request.user
    if action == "agree":
        threshold = post.get("threshold", "1") or "1"
        if threshold not in services.AGREEMENT_THRESHOLDS:
            raise BadInput("Choose one of the overlap thresholds offered.")
        n = services.gold_accept_agreed(
            article=article, actor=user, min_overlap=services.AGREEMENT_THRESHOLDS[threshold]
        )
        return f"{n} agreement{'s' if n != 1 else ''} accepted into the gold standard."
    span = _int(post.get("span"), "span")
    if span is None:
        raise BadInput("Which span? The request names none.")
    if action == "choose":
        services.disagreement_choose(
            article=article, annotation_id=span, expected_version=_int(post.get("version"), "version"), actor=user
        )
        return "Accepted into the gold standard."
    if action == "reject":
        services.disagreement_reject(
            article=article,
            annotation_id=span,
            expected_version=_int(post.get("version"), "version"),
            actor=user,
            reason=post.get("reason", ""),
        )
        return "Rejected; the analyst sees your reason."
    if action == "fix":
        services.disagreement_fix(
            article=article,
            annotation_id=span,
            versions=_versions(post.get("versions", "")),
            start=_int(post.get("start"), "start"),
            end=_int(post.get("end"), "end"),
            theme_ids=[_int(t, "theme") for t in post.getlist("themes")],
            actor=user,
            comment=post.get("comment", ""),
        )
        return "The fixed span is in the gold standard."
    raise BadInput("Choose agree, choose, reject or fix.")


@require_POST
@supervisor_required
def gold_decide(request, article_id: int):
    """Adjudication on the review page: accept where analysts agree, or settle one disagreement (accept this one,
    reject with a reason, or fix the boundaries by a text selection)."""
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=article_id)
    back = reverse("review:article", args=[article_id])
    try:
        message = _gold_action(request, article, request.POST.get("action", ""))
    except BadInput as exc:
        return error_response(str(exc))
    except (ValidationError, VersionConflict) as exc:
        return refuse(request, exc, back=back)
    if request.htmx:
        # the body, and the assignments' undecided counts out of band (approval reads them)
        context = {**_review_context(article), "oob": True}
        response = render(request, "review/article.html#review-body", context)
        response.write(render_to_string("review/article.html#assignments-table", context, request=request))
        response["HX-Trigger"] = json.dumps({"readoutToast": message})
        return response
    messages.success(request, message)
    return redirect(back)
