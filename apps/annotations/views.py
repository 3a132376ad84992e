"""The annotation workspace, its HTMX actions, and the supervisors' theme pages.

Access: reading goes through articles_visible_to (apps.assignments.selectors); writing needs an assignment (or the
supervisor/admin role): selectors.require_write_access. Each change answers with only what changed: the touched
paragraphs and the span-list row as out-of-band swaps, plus the progress box.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from apps.accounts.roles import is_supervisor, supervisor_required
from apps.assignments.selectors import assignment_for, queue_for
from apps.assignments.services import assignment_start
from apps.assignments.services import assignment_submit as assignment_submit_service
from apps.core.committed import saved_not_refreshed
from apps.core.htmx import error_response, refuse
from apps.core.versions import VersionConflict
from apps.corpus.services import article_decisions_shared_set
from apps.quotes import services as quote_services
from apps.quotes import views as quote_views
from apps.quotes.models import Quote, QuoteCorrection

from . import rendering, selectors, services
from .forms import ThemeForm
from .models import Annotation, EntityMention, Theme, ThemeExample

TEXT_FIELDS = ("id", "text")
SPAN_LIST_FIRST = 200


def _mark_started(access: selectors.WriteAccess, user) -> selectors.WriteAccess:
    """The analyst's first edit moves their assignment to in progress; returns the access with it updated."""
    assignment = access.assignment
    if assignment is not None and assignment.analyst_id == user.pk:
        assignment = assignment_start(assignment=assignment, actor=user)
        return selectors.WriteAccess(access.allowed, access.reason, assignment)
    return access


def _themes(request) -> list[Theme]:
    """The theme list, read once per request (the editor and the span row both need it)."""
    if not hasattr(request, "_readout_themes"):
        request._readout_themes = selectors.theme_list()
    return request._readout_themes


def _themes_by_id(request) -> dict[int, Theme]:
    return {t.id: t for t in _themes(request)}


def _progress_context(request, article, access=None) -> dict:
    user = request.user
    access = access or selectors.write_access(user=user, article_id=article.pk)
    mine = list(
        selectors.live_annotations(article_id=article.pk).filter(annotator=user).order_by().values_list("start", "end")
    )
    paragraphs_total = sum(1 for line in article.text.split("\n") if line)
    return {
        "article": article,
        "access": access,
        "assignment": access.assignment,
        "progress": selectors.progress_for(text=article.text, spans=mine, paragraphs_total=paragraphs_total),
    }


def _changed_parts(
    request,
    article,
    *,
    start: int,
    end: int,
    row_id: int | None,
    row_mode: str,
    access: selectors.WriteAccess | None = None,
) -> str:
    """Out-of-band HTML for a change on [start, end): its paragraphs, the span row (``row_mode``: "new",
    "replace", "delete" or "" for none) and the progress box."""
    user = request.user
    p_start, p_end = selectors.paragraph_bounds(article.text, start, end)
    shown = selectors.annotations_shown_to(user=user, article_id=article.pk)
    spans = selectors.annotation_rows(spans=selectors.overlapping(shown, p_start, p_end))
    blind = selectors.decisions_blind(user=user, article_id=article.pk)
    entities = selectors.entity_mentions(article_id=article.pk, start=p_start, end=p_end, user=user, blind=blind)
    quotes = selectors.quotes_for_layer(article_id=article.pk, start=p_start, end=p_end, user=user, blind=blind)
    marks = rendering.build_marks(user_id=user.pk, spans=spans, entities=entities, quotes=quotes)
    parts = [rendering.paragraphs_html_between(article.text, marks, start, end)]
    if row_mode == "delete":
        parts.append(f'<li id="s{row_id}" hx-swap-oob="delete"></li>')
    elif row_mode:
        span = next(s for s in spans if s.id == row_id)
        themes_by_id = _themes_by_id(request)
        if row_mode == "replace":
            oob = "true"
        else:
            before = (
                shown.filter(
                    Q(start__lt=span.start)
                    | Q(start=span.start, end__lt=span.end)
                    | Q(start=span.start, end=span.end, id__lt=span.id)
                )
                .order_by("-start", "-end", "-id")
                .values_list("id", flat=True)
                .first()
            )
            oob = f"afterend:#s{before}" if before else "afterbegin:#span-list"
        parts.append(rendering.span_row_html(span, themes_by_id=themes_by_id, user_id=user.pk, oob=oob))
    parts.append(
        render_to_string(
            "annotations/workspace.html#progress",
            {**_progress_context(request, article, access), "oob": True},
            request=request,
        )
    )
    return "\n".join(parts)


# --- the workspace ------------------------------------------------------------------------------------------------


def _workspace_urls(article_id: int, queue: dict) -> dict:
    """The links the workspace page draws (reversed once per process: see rendering.url_for)."""
    url = rendering.url_for
    return {
        "span_create": url("annotations:span_create", article_id),
        "span": url("annotations:span", 0),
        "entity_decide": url("annotations:entity_decide", 0),
        "prev": url("annotations:workspace", queue["prev_id"]) if queue["prev_id"] else "",
        "next": url("annotations:workspace", queue["next_id"]) if queue["next_id"] else "",
        "reading": url("reading:article_detail", article_id),
        "text": url("annotations:workspace_text", article_id),
        "codebook": url("codebook:index"),
        "suggestions": url("suggestions:panel", article_id),
        "workspace": url("annotations:workspace", article_id),
    }


@require_http_methods(["GET"])
@login_required
def workspace(request, article_id: int):
    """The workspace, with its quotes and entity panels drawn in (one response opens the article with all its
    annotations; the panels' own URLs refresh them after a change). One access decision, one blindness check, one
    query per layer: the text's quote and entity layers come from the rows the panels show."""
    user = request.user
    article = selectors.article_for_reading(user=user, article_id=article_id)
    access, queue = selectors.write_access_and_queue(user=user, article_id=article.pk)
    themes = _themes(request)
    themes_by_id = {t.id: t for t in themes}
    spans = selectors.annotation_rows(spans=selectors.annotations_shown_to(user=user, article_id=article.pk))
    blind = selectors.decisions_blind(user=user, article_id=article.pk)
    entities, entity_groups = selectors.entity_layer_and_panel(article_id=article.pk, user=user, blind=blind)
    quotes_panel = quote_views.panel_context(request, article, can_edit=access.allowed, blind=blind)
    quotes = selectors.quote_rows(quotes_panel["quotes"])
    marks = rendering.build_marks(user_id=user.pk, spans=spans, entities=entities, quotes=quotes)
    text = rendering.text_html(article.text, marks)
    mine = [(s.start, s.end) for s in spans if s.annotator_id == user.pk]
    supervisor = is_supervisor(user)
    context = {
        "article": article,
        "access": access,
        "assignment": access.assignment,
        "progress": selectors.progress_for(text=article.text, spans=mine, paragraphs_total=text.paragraphs),
        "text_html": text.html,
        # the first rows now, the rest when the list is scrolled to its end (keeps a 2,000-span page light)
        "span_list_html": rendering.span_list_html(spans[:SPAN_LIST_FIRST], themes_by_id=themes_by_id, user_id=user.pk),
        "span_list_rest": len(spans) - SPAN_LIST_FIRST if len(spans) > SPAN_LIST_FIRST else 0,
        "span_list_rest_url": f"{rendering.url_for('annotations:span_list', article.pk)}?offset={SPAN_LIST_FIRST}",
        "span_count": len(spans),
        "others_count": len(spans) - len(mine),
        "show_others_layer": supervisor,
        "entity_count": len(entities),
        "quote_count": len(quotes),
        "active_theme_count": sum(1 for t in themes if t.active),
        "picker_html": rendering.picker_html(themes),
        "shortcuts_html": rendering.shortcut_list_html(themes),
        "theme_css": rendering.theme_css(themes),
        "queue": queue,
        "quotes_panel_url": rendering.url_for("quotes:panel", article.pk),
        "quotes_panel_html": render_to_string("quotes/panel.html", quotes_panel, request=request),
        "quote_create_url": rendering.url_for("quotes:quote_create", article.pk),
        "urls": _workspace_urls(article.pk, queue),
        "entity_panel_html": _entity_panel_html(request, article, entity_groups, can_write=access.allowed),
    }
    return render(request, "annotations/workspace.html", context)


@require_http_methods(["GET"])
@login_required
def workspace_text(request, article_id: int):
    """The article text with every layer, for re-rendering after quotes or entity decisions change; the layer
    switch's quote count comes along out of band."""
    user = request.user
    article = selectors.article_for_reading(user=user, article_id=article_id, fields=TEXT_FIELDS)
    spans = selectors.annotation_rows(spans=selectors.annotations_shown_to(user=user, article_id=article.pk))
    blind = selectors.decisions_blind(user=user, article_id=article.pk)
    quotes = selectors.quotes_for_layer(article_id=article.pk, user=user, blind=blind)
    marks = rendering.build_marks(
        user_id=user.pk,
        spans=spans,
        entities=selectors.entity_mentions(article_id=article.pk, user=user, blind=blind),
        quotes=quotes,
    )
    html = rendering.text_html(article.text, marks).html
    return HttpResponse(format_html('{}<span id="quote-count" hx-swap-oob="true">{}</span>', html, len(quotes)))


@require_http_methods(["GET"])
@login_required
def workspace_progress(request, article_id: int):
    """The progress box alone (assignment state, counts, submit), reloaded after quote work changed the state."""
    article = selectors.article_for_reading(user=request.user, article_id=article_id, fields=TEXT_FIELDS)
    return render(request, "annotations/workspace.html#progress", _progress_context(request, article))


@require_http_methods(["GET"])
@login_required
def span_list(request, article_id: int):
    """Rows of the span list from ?offset= on (the workspace page renders the first SPAN_LIST_FIRST)."""
    user = request.user
    article = selectors.article_for_reading(user=user, article_id=article_id, fields=("id",))
    try:
        offset = max(0, int(request.GET.get("offset", "0")))
    except ValueError:
        return error_response("offset must be a whole number.")
    spans = selectors.annotation_rows(spans=selectors.annotations_shown_to(user=user, article_id=article.pk))
    return HttpResponse(rendering.span_list_html(spans[offset:], themes_by_id=_themes_by_id(request), user_id=user.pk))


@require_http_methods(["POST"])
@login_required
def span_bulk_create(request, article_id: int):
    """Save many spans in one request, all or none: ``spans`` is a JSON list of {start, end, themes, note}.

    ``entities`` (entity suggestion ids) with ``theme`` (theme ids) turns those suggestions into spans with the
    themes. ``assignment_version``, when given, must be the version of the analyst's assignment the page was
    opened with (the work was not submitted or returned meanwhile), else 409. Answers JSON with the ids.
    """
    user = request.user
    article = selectors.article_for_reading(user=user, article_id=article_id, fields=TEXT_FIELDS)
    access = selectors.require_write_access(user=user, article_id=article.pk)
    expected = request.POST.get("assignment_version")
    if expected and access.assignment is not None and str(access.assignment.version) != expected:
        return error_response(
            "Your assignment changed since the page was opened (submitted or returned); "
            "reload the page. Nothing was saved.",
            status=409,
        )
    try:
        spans = json.loads(request.POST.get("spans") or "[]")
    except json.JSONDecodeError:
        return error_response("“spans” must be a JSON list.")
    if not isinstance(spans, list):
        return error_response("“spans” must be a JSON list.")
    entity_ids = request.POST.getlist("entities")
    if entity_ids:
        themes = request.POST.getlist("theme")
        try:
            mentions = selectors.entity_mentions_by_id(article_id=article.pk, ids=entity_ids)
        except ValidationError as error:
            return error_response(error)
        spans += [{"start": m.start, "end": m.end, "themes": themes} for m in mentions]
    try:
        created, updated = services.annotations_bulk_create(article=article, annotator=user, spans=spans)
    except ValidationError as error:
        return error_response(error)
    _mark_started(access, user)
    response = JsonResponse(
        {"created": [a.pk for a in created], "updated": [a.pk for a in updated]}, status=201 if created else 200
    )
    return trigger_client_event(response, "spansSaved", {"article": article.pk, "count": len(created) + len(updated)})


@require_http_methods(["GET"])
@login_required
def workspace_start(request):
    """/annotate/: the first article of my queue, or the article list when it is empty."""
    first = queue_for(request.user).values_list("article_id", flat=True).first()
    if first:
        return redirect("annotations:workspace", article_id=first)
    messages.info(request, "Your queue is empty.")
    return redirect("reading:article_list")


@require_http_methods(["POST"])
@login_required
def span_create(request, article_id: int):
    user = request.user
    article = selectors.article_for_reading(user=user, article_id=article_id, fields=TEXT_FIELDS)
    access = selectors.require_write_access(user=user, article_id=article.pk)
    try:
        span, created = services.annotation_create(
            article=article,
            annotator=user,
            start=request.POST.get("start"),
            end=request.POST.get("end"),
            theme_ids=request.POST.getlist("theme"),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        return error_response(error)
    try:
        access = _mark_started(access, user)
        if not request.htmx:
            return redirect("annotations:workspace", article_id=article.pk)
        html = _changed_parts(
            request,
            article,
            start=span.start,
            end=span.end,
            row_id=span.id,
            row_mode="new" if created else "replace",
            access=access,
        )
    except DatabaseError:
        # the span is committed: answer its id and "saved", not a 500 that would say nothing was (issue 16)
        if not request.htmx:
            raise  # apps.core.committed answers the plain form
        response = saved_not_refreshed(request, status=201 if created else 200)
    else:
        response = HttpResponse(html, status=201 if created else 200)
    response["X-Span-Id"] = str(span.id)
    return trigger_client_event(response, "spanChanged", {"id": span.id, "article": article.pk})


def _span_changed(
    request, article, span: Annotation, response: HttpResponse, *, row_mode: str, access=None
) -> HttpResponse:
    """``response`` (the editor or the undo bar) plus the changed paragraph(s), row and progress, and the event."""
    response.content += _changed_parts(
        request, article, start=span.start, end=span.end, row_id=span.id, row_mode=row_mode, access=access
    ).encode()
    return trigger_client_event(response, "spanChanged", {"id": span.id, "article": article.pk})


def _span_for(request, pk: int, *, live: bool = True) -> tuple[Annotation, object]:
    """The span and its article (text only) if the user may see it; 403 / 404 otherwise."""
    spans = Annotation.objects.all() if not live else Annotation.objects.filter(deleted_at__isnull=True)
    span = get_object_or_404(spans.select_related("annotator"), pk=pk)
    article = selectors.article_for_reading(
        user=request.user, article_id=span.article_id, fields=("id", "text", "title")
    )
    if span.annotator_id != request.user.pk and not is_supervisor(request.user):
        raise PermissionDenied("This is another analyst's span.")
    return span, article


def _editor_context(request, span: Annotation, access: selectors.WriteAccess | None = None, **extra) -> dict:
    user = request.user
    current = set(span.themes.values_list("id", flat=True))
    themes = [t for t in _themes(request) if t.active or t.id in current]
    access = access or selectors.write_access(user=user, article_id=span.article_id)
    return {
        "span": span,
        "themes": themes,
        "checked": current,
        "can_edit": access.allowed and selectors.can_edit_annotation(user, span),
        "author": span.annotator,
        **extra,
    }


@require_http_methods(["GET", "POST"])
@login_required
def span_detail(request, pk: int):
    """GET: the span editor (themes, note, delete). POST: save themes and note if nobody saved in between."""
    span, article = _span_for(request, pk)
    if request.method == "GET":
        template = "annotations/span_page.html"
        if request.htmx:
            template = "annotations/workspace.html#editor"
        return render(request, template, {**_editor_context(request, span), "article": article})
    access = selectors.require_write_access(user=request.user, article_id=article.pk)
    if not selectors.can_edit_annotation(request.user, span):
        raise PermissionDenied("You can only edit your own spans.")
    theme_ids = request.POST.getlist("theme") if request.POST.get("themes_present") else None
    try:
        services.annotation_update(
            annotation=span,
            actor=request.user,
            version=request.POST.get("version"),
            theme_ids=theme_ids,
            note=request.POST.get("note"),
        )
    except ValidationError as error:
        return error_response(error)
    except VersionConflict as conflict:
        if conflict.current is None:
            return error_response(conflict)
        # keep what the user typed (in the box, to save again on purpose) beside what was saved elsewhere
        typed = request.POST.get("note")
        typed = typed if typed is not None and typed.strip() != (conflict.current.note or "").strip() else None
        context = _editor_context(request, conflict.current, conflict=conflict.message, typed_note=typed)
        response = render(request, "annotations/workspace.html#editor", context, status=409)
        # the row and paragraphs may be stale too: bring them up to date with the editor
        current = conflict.current
        response.content += _changed_parts(
            request, article, start=current.start, end=current.end, row_id=current.id, row_mode="replace"
        ).encode()
        return response
    access = _mark_started(access, request.user)
    if not request.htmx:
        return redirect("annotations:workspace", article_id=article.pk)
    context = _editor_context(request, span, access=access, saved=True)
    response = render(request, "annotations/workspace.html#editor", context)
    return _span_changed(request, article, span, response, row_mode="replace", access=access)


@require_http_methods(["POST"])
@login_required
def span_delete(request, pk: int):
    span, article = _span_for(request, pk)
    access = selectors.require_write_access(user=request.user, article_id=article.pk)
    try:
        services.annotation_delete(annotation=span, actor=request.user, version=request.POST.get("version"))
    except ValidationError as error:
        return error_response(error)
    except VersionConflict as conflict:
        return error_response(conflict.message + " Nothing was deleted.", status=409)
    access = _mark_started(access, request.user)
    if not request.htmx:
        return redirect("annotations:workspace", article_id=article.pk)
    response = render(request, "annotations/workspace.html#deleted", {"span": span})
    return _span_changed(request, article, span, response, row_mode="delete", access=access)


@require_http_methods(["POST"])
@login_required
def span_restore(request, pk: int):
    """Undo a delete."""
    span, article = _span_for(request, pk, live=False)
    selectors.require_write_access(user=request.user, article_id=article.pk)
    try:
        services.annotation_restore(annotation=span, actor=request.user)
    except ValidationError as error:
        return error_response(error)
    if not request.htmx:
        return redirect("annotations:workspace", article_id=article.pk)
    response = render(request, "annotations/workspace.html#editor", _editor_context(request, span, restored=True))
    return _span_changed(request, article, span, response, row_mode="new")


@require_http_methods(["POST"])
@login_required
def assignment_submit(request, article_id: int):
    """ "Submit for review": the review app's state machine decides whether it may."""
    article = selectors.article_for_reading(user=request.user, article_id=article_id, fields=("id",))
    assignment = assignment_for(request.user, article.pk)
    if assignment is None:
        return error_response("You have no assignment on this article to submit.")
    try:
        assignment_submit_service(assignment=assignment, actor=request.user)
    except ValidationError as error:
        return error_response(error)
    messages.success(request, "Submitted for review. Thank you!")
    neighbours = selectors.queue_neighbours(user=request.user, article_id=article.pk)
    target = (
        reverse("annotations:workspace", args=[neighbours["next_id"]])
        if neighbours["next_id"]
        else reverse("annotations:workspace", args=[article.pk])
    )
    if request.htmx:
        return HttpResponseClientRedirect(target)
    return redirect(target)


# --- entity suggestions -------------------------------------------------------------------------------------------


def _entity_panel_html(request, article, groups: list, *, can_write: bool) -> str:
    return rendering.entity_panel_html(
        groups=groups, article=article, can_write=can_write, csrf_token=get_token(request)
    )


def _entity_panel_response(request, article, *, status: int = 200) -> HttpResponse:
    groups = selectors.entity_panel(article_id=article.pk, user=request.user)
    can_write = selectors.write_access(user=request.user, article_id=article.pk).allowed
    return HttpResponse(_entity_panel_html(request, article, groups, can_write=can_write), status=status)


@require_http_methods(["GET", "POST"])
@login_required
def entity_panel(request, article_id: int):
    """GET: the suggestions grouped by label. POST label + status: accept or reject all of a label at once."""
    article = selectors.article_for_reading(user=request.user, article_id=article_id, fields=TEXT_FIELDS)
    if request.method == "GET":
        return _entity_panel_response(request, article)
    return _entity_group_decide(request, article, text=None)


def _entity_group_decide(request, article, *, text: str | None):
    """Accept or reject a whole group of suggestions: a label, or (``text``) one surface form of it."""
    selectors.require_write_access(user=request.user, article_id=article.pk)
    try:
        services.entity_decide_label(
            article=article,
            label=request.POST.get("label", ""),
            text=text,
            actor=request.user,
            status=request.POST.get("status", ""),
        )
    except ValidationError as error:
        return error_response(error)
    if not request.htmx:
        return redirect("annotations:workspace", article_id=article.pk)
    return trigger_client_event(_entity_panel_response(request, article), "entitiesChanged")


@require_http_methods(["POST"])
@login_required
def entity_decide(request, pk: int):
    mention = get_object_or_404(EntityMention, pk=pk)
    article = selectors.article_for_reading(user=request.user, article_id=mention.article_id, fields=TEXT_FIELDS)
    selectors.require_write_access(user=request.user, article_id=article.pk)
    try:
        services.entity_decide(mention=mention, actor=request.user, status=request.POST.get("status", ""))
    except ValidationError as error:
        return error_response(error)
    if not request.htmx:
        return redirect("annotations:workspace", article_id=article.pk)
    response = _entity_panel_response(request, article)
    response.content += _changed_parts(
        request, article, start=mention.start, end=mention.end, row_id=None, row_mode=""
    ).encode()
    return response


# --- themes (supervisors) -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@supervisor_required
def theme_list(request):
    """The taxonomy: every theme with its span count; the form below adds one."""
    from django.db.models import Count

    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        theme = services.theme_save(theme=form.save(commit=False), actor=request.user)
        messages.success(request, f"Theme “{theme.name}” created.")
        return redirect("annotations:theme_list")
    themes = (
        Theme.objects.select_related("parent")
        .annotate(n_spans=Count("annotations", filter=Q(annotations__deleted_at__isnull=True)))
        .order_by("order", "name")
    )  # Meta.ordering does not apply to a GROUP BY query
    status = 400 if request.method == "POST" else 200
    return render(request, "annotations/theme_list.html", {"themes": themes, "form": form}, status=status)


@require_http_methods(["GET", "POST"])
@supervisor_required
def theme_edit(request, pk: int):
    theme = get_object_or_404(Theme, pk=pk)
    form = ThemeForm(request.POST or None, instance=theme)
    if request.method == "POST" and form.is_valid():
        services.theme_save(theme=form.save(commit=False), actor=request.user)
        messages.success(request, f"Theme “{theme.name}” saved.")
        return redirect("annotations:theme_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "annotations/theme_form.html", {"theme": theme, "form": form}, status=status)


@require_http_methods(["POST"])
@supervisor_required
def theme_move(request, pk: int):
    theme = get_object_or_404(Theme, pk=pk)
    try:
        services.theme_move(theme=theme, direction=request.POST.get("direction", ""))
    except ValidationError as error:
        return error_response(error)
    return redirect("annotations:theme_list")


@require_http_methods(["POST"])
@supervisor_required
def theme_set_active(request, pk: int):
    theme = get_object_or_404(Theme, pk=pk)
    active = request.POST.get("active") == "1"
    services.theme_set_active(theme=theme, active=active, actor=request.user)
    verb = "reactivated" if active else "deactivated; its spans keep it"
    messages.success(request, f"Theme “{theme.name}” {verb}.")
    return redirect("annotations:theme_list")


@require_http_methods(["POST"])
@login_required
def entity_decide_surface(request, article_id: int):
    """POST label + text + status: accept or reject every suggestion of one surface form with one label."""
    article = selectors.article_for_reading(user=request.user, article_id=article_id, fields=TEXT_FIELDS)
    return _entity_group_decide(request, article, text=request.POST.get("text", ""))


# --- blind double annotation: the reviewer's side-by-side view ----------------------------------------------------


def _decisions_response(request, article, *, notice: str = "", status: int = 200) -> HttpResponse:
    context = {"article": article, **selectors.decisions_by_analyst(article_id=article.pk), "notice": notice}
    return render(request, "annotations/decisions.html", context, status=status)


def _decisions_post(request, article) -> str:
    """One reviewer action; returns the notice. Supervisors write the shared layer (they are never blind)."""
    action = request.POST.get("action", "")
    if action == "mode":
        shared = request.POST.get("shared") == "1"
        article_decisions_shared_set(article=article, shared=shared)
        return "Decisions are now shared on this article." if shared else "Double annotation is blind again."
    if action == "entity":
        mention = get_object_or_404(EntityMention, pk=request.POST.get("mention") or 0, article_id=article.pk)
        services.entity_decide(mention=mention, actor=request.user, status=request.POST.get("status", ""))
        return f"“{mention.text}” is now {mention.get_status_display().lower()}."
    if action == "quote":
        correction = get_object_or_404(
            QuoteCorrection.objects.select_related("analyst"),
            pk=request.POST.get("correction") or 0,
            quote__article_id=article.pk,
        )
        quote_services.quote_correction_adopt(correction=correction, actor=request.user)
        return f"The quote now follows {correction.analyst.get_username()}’s correction."
    if action == "private":
        quote = get_object_or_404(
            Quote.all_objects, pk=request.POST.get("quote") or 0, article_id=article.pk, private_to__isnull=False
        )
        quote_services.quote_private_adopt(quote=quote, actor=request.user)
        return "The analyst’s quote is now shared."
    raise ValidationError("Unknown action.", code="bad_action")


@require_http_methods(["GET", "POST"])
@supervisor_required
def analyst_decisions(request, article_id: int):
    """Each analyst's entity decisions and quote corrections side by side (blind double annotation), the reviewer's
    choice between them, and the article's blind / shared setting. Loaded into the review page."""
    article = selectors.article_for_reading(
        user=request.user, article_id=article_id, fields=("id", "title", "decisions_shared")
    )
    if request.method == "GET":
        return _decisions_response(request, article)
    try:
        notice = _decisions_post(request, article)
    except (ValidationError, VersionConflict) as error:
        return error_response(error)
    if not request.htmx:
        messages.success(request, notice)
        return redirect("review:article", article_id=article.pk)
    return _decisions_response(request, article, notice=notice)


# --- the codebook (everyone reads it; supervisors edit definitions and pin examples) ------------------------------


@require_http_methods(["GET"])
@login_required
def codebook(request):
    """Every active theme as a tree: definition, include and exclude rules, pinned example passages. The
    workspace's Codebook tab loads the tree alone (HTMX)."""
    context = {"tree": selectors.codebook_tree(), "can_edit": is_supervisor(request.user)}
    context["theme_css"] = rendering.theme_css(_themes_by_id(request).values())
    template = "annotations/codebook.html"
    if request.htmx:
        template += "#tree"
    return render(request, template, context)


def _codebook_write(request, theme: Theme):
    """A supervisor pins (``action=pin``, ``annotation``) or unpins (``action=unpin``, ``example``) an example."""
    back = reverse("codebook:theme", args=[theme.pk])
    action = request.POST.get("action", "")
    try:
        if action == "pin":
            annotation = Annotation.objects.filter(pk=_id(request.POST.get("annotation"))).first()
            if annotation is None:
                raise ValidationError("That span does not exist.", code="missing")
            services.theme_example_pin(theme=theme, annotation=annotation, actor=request.user)
            messages.success(request, "Example pinned to the codebook.")
        elif action == "unpin":
            example = ThemeExample.objects.filter(pk=_id(request.POST.get("example")), theme=theme).first()
            if example is None:
                raise ValidationError("That example is not pinned to this theme.", code="missing")
            services.theme_example_unpin(example=example, actor=request.user)
            messages.success(request, "Example unpinned.")
        else:
            raise ValidationError("Unknown action.", code="bad_action")
    except ValidationError as error:
        return refuse(request, error, back=back)
    return redirect(back)


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError("Give a numeric id.", code="bad_id") from None


@require_http_methods(["GET", "POST"])
@login_required
def codebook_theme(request, pk: int):
    """One codebook entry with its history (who changed what, when); supervisors pin accepted spans here."""
    theme = get_object_or_404(Theme.objects.select_related("parent"), pk=pk)
    can_edit = is_supervisor(request.user)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Only supervisors edit the codebook.")
        return _codebook_write(request, theme)
    context = {
        "theme": theme,
        "node": selectors.codebook_node(theme=theme),
        "history": selectors.codebook_history(theme=theme),
        "candidates": selectors.example_candidates(theme=theme) if can_edit else [],
        "can_edit": can_edit,
        "theme_css": rendering.theme_css(_themes_by_id(request).values()),
    }
    return render(request, "annotations/codebook_theme.html", context)
