"""The suggestions panel (embedded in the workspace's tab by hx-get, and standalone on its own page), its accept /
reject and layer actions, and the supervisors' themes-quality page. Reading needs the article access policy;
deciding needs write access (apps.assignments.selectors.article_write_access), checked again in the service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import trigger_client_event

from apps.accounts.roles import is_supervisor, supervisor_required
from apps.annotations.models import Theme
from apps.assignments.selectors import article_visible_to, article_write_access
from apps.core.htmx import error_response, refuse
from apps.corpus.models import Article

from . import selectors, services
from .models import Suggestion

PANEL = "suggestions/panel.html"


def _article(user, article_id: int) -> Article:
    if not article_visible_to(user, article_id):
        raise Http404("No such article.")
    return get_object_or_404(Article.objects.only("id", "title", "text"), pk=article_id)


def _panel_context(request, article: Article, *, notice: str = "") -> dict:
    user = request.user
    layer = selectors.layer_state(user=user, article_id=article.pk)
    suggestions = []
    if layer.visible:
        suggestions = selectors.suggestions_for_user(
            user=user, article_id=article.pk, suggestions=services.suggestions_refresh(article=article)
        )
    return {
        "article": article,
        "layer": layer,
        "access": article_write_access(user=user, article_id=article.pk),
        "suggestions": suggestions,
        "model": selectors.latest_model(),
        "notice": notice,
        "is_supervisor_here": is_supervisor(user),
    }


@require_http_methods(["GET"])
@login_required
def article_page(request, article_id: int):
    """The panel on a page of its own (works without the workspace)."""
    article = _article(request.user, article_id)
    return render(request, "suggestions/article.html", _panel_context(request, article))


@require_http_methods(["GET"])
@login_required
def panel(request, article_id: int):
    article = _article(request.user, article_id)
    return render(request, PANEL, _panel_context(request, article))


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationError("Offsets must be whole numbers.", code="offset_not_int") from None


@require_http_methods(["POST"])
@login_required
def decide(request, article_id: int):
    article = _article(request.user, article_id)
    access = article_write_access(user=request.user, article_id=article.pk)
    if not access.allowed:
        raise PermissionDenied(access.reason)
    back = reverse("suggestions:article", args=[article.pk])
    action = request.POST.get("action")
    try:
        suggestion_id = int(request.POST.get("suggestion", ""))
    except ValueError:
        return refuse(request, ValidationError("Choose a suggestion.", code="no_suggestion"), back=back)
    if action not in {"accept", "reject"}:
        return refuse(request, ValidationError("Accept or reject.", code="no_action"), back=back)
    suggestion = get_object_or_404(Suggestion, pk=suggestion_id, article=article)
    try:
        suggestion = services.suggestion_decide(
            suggestion=suggestion,
            actor=request.user,
            accept=action == "accept",
            start=_int_or_none(request.POST.get("start")),
            end=_int_or_none(request.POST.get("end")),
        )
    except ValidationError as error:
        return refuse(request, error, back=back)
    notice = (
        f"Accepted: “{suggestion.annotation.text[:60]}” is now your span ({suggestion.theme.name})."
        if suggestion.annotation
        else f"Rejected {suggestion.theme.name}."
    )
    if not request.htmx:
        messages.success(request, notice)
        return redirect(back)
    response = render(request, PANEL, _panel_context(request, article, notice=notice))
    if suggestion.annotation:
        trigger_client_event(response, "spanCreated", {"id": suggestion.annotation.pk, "article": article.pk})
    return response


@require_http_methods(["POST"])
@login_required
def layer(request, article_id: int):
    """Switch the layer: ``scope=me`` for oneself; ``scope=article`` or ``scope=all`` (supervisors) for blind
    coding. ``hidden`` is 1 to hide, 0 to show."""
    article = _article(request.user, article_id)
    scope = request.POST.get("scope")
    hidden = request.POST.get("hidden") == "1"
    if scope not in {"me", "article", "all"}:
        return (
            error_response("Say whose layer to switch.", status=400)
            if request.htmx
            else redirect("suggestions:article", article.pk)
        )
    if scope == "me":
        services.layer_preference_set(user=request.user, hidden=hidden)
    else:
        if not is_supervisor(request.user):
            raise PermissionDenied("Only supervisors set blind coding.")
        services.blind_coding_set(actor=request.user, hidden=hidden, article=article if scope == "article" else None)
    if request.htmx:
        return render(request, PANEL, _panel_context(request, article))
    return redirect("suggestions:article", article.pk)


@require_http_methods(["GET", "POST"])
@supervisor_required
def themes(request):
    """Each theme's live precision (analysts' accepts / decisions), examples, cold start and keywords; training on
    demand; the global blind-coding switch."""
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "train":
            model = services.suggester_training_request(
                actor=request.user, reason=f"on demand by {request.user.username}"
            )
            messages.success(request, f"Training of version {model.version} is queued; the worker runs it.")
        elif action == "keywords":
            theme = get_object_or_404(Theme, pk=request.POST.get("theme") or 0)
            try:
                services.theme_keywords_set(theme=theme, keywords=request.POST.get("keywords", ""), actor=request.user)
            except ValidationError as error:
                return refuse(request, error, back=reverse("suggestions:themes"))
            messages.success(request, f"Keywords of {theme.name} saved; they apply from the next training.")
        elif action == "blind":
            services.blind_coding_set(actor=request.user, hidden=request.POST.get("hidden") == "1")
            messages.success(request, "Blind coding switched.")
        else:
            return refuse(
                request, ValidationError("Unknown action.", code="action"), back=reverse("suggestions:themes")
            )
        return redirect("suggestions:themes")
    model = selectors.latest_model()
    return render(
        request,
        "suggestions/themes.html",
        {
            "rows": selectors.theme_quality(),
            "model": model,
            "pending": selectors.pending_training(),
            "models": selectors.recent_models(),
            "decisions_since": selectors.decisions_since(model),
            "retrain_every": services.RETRAIN_EVERY,
            "blind_global": selectors.blind_coding_global(),
        },
    )
