"""The quotes panel (an HTMX fragment embedded by the article pages) and the speaker pages.

Access: reading an article's quotes needs the article to be visible (``articles_visible_to``, 404 otherwise);
writing needs an assignment on it or the Supervisor/Admin role (403). Speaker pages are open to every logged-in
user but list only quotes from articles they can read; merge, split, rename and aliases are for supervisors.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from apps.accounts.roles import is_supervisor, supervisor_required
from apps.assignments.selectors import article_write_access, articles_visible_to
from apps.assignments.services import assignment_start
from apps.core.htmx import error_response, error_text, refuse
from apps.core.versions import VersionConflict

from . import selectors, services
from .forms import (
    AliasForm,
    QuoteCreateForm,
    QuoteSpanForm,
    QuoteSpeakerForm,
    SpeakerEditForm,
    SpeakerMergeForm,
    SpeakerSplitForm,
    VersionForm,
    form_error_text,
)
from .models import Quote, Speaker, SpeakerAlias

QUOTES_PER_PAGE = 50
SPEAKERS_PER_PAGE = 50


# --- access ------------------------------------------------------------------------------------------------


def can_edit_quotes(user, article_id: int) -> bool:
    return article_write_access(user=user, article_id=article_id).allowed


def _visible_article(request, article_id: int):
    return get_object_or_404(articles_visible_to(request.user).only("id", "text", "title"), pk=article_id)


def _article_for_write(request, article_id: int):
    article = _visible_article(request, article_id)
    access = article_write_access(user=request.user, article_id=article.pk)
    if not access.allowed:
        raise PermissionDenied(access.reason)
    return article


def _quote_for_write(request, pk: int) -> Quote:
    quote = get_object_or_404(selectors.quote_for_user(user=request.user, pk=pk))  # shared, or their own private
    quote.article = _article_for_write(request, quote.article_id)
    return quote


# --- the panel ---------------------------------------------------------------------------------------------


def _panel(request, article, *, status: int = 200, notice: str = "", conflict: str = "", changed: bool = False):
    context = panel_context(
        request,
        article,
        can_edit=can_edit_quotes(request.user, article.pk),
        blind=selectors.decisions_blind(user=request.user, article_id=article.pk),  # blind double annotation
    )
    context.update(notice=notice, conflict=conflict)
    response = render(request, "quotes/panel.html", context, status=status)
    if changed:
        trigger_client_event(response, "quoteChanged", {"article": article.pk})
    return response


def panel_context(request, article, *, can_edit: bool, blind: bool) -> dict:
    """The context of ``quotes/panel.html``; the workspace draws the panel into its first response with it (the
    access decision and blindness it already has, passed in)."""
    return {
        "article": article,
        **selectors.quotes_panel(user=request.user, article_id=article.pk, can_edit=can_edit, blind=blind),
        "notice": "",
        "conflict": "",
        "kinds": Quote.Kind.choices,
        "speaker_kinds": Speaker.Kind.choices,
    }


def _written(request, article, notice: str):
    """Answer a successful write: the fresh panel plus the event other widgets listen to. Quote work counts as
    work on the assignment: the analyst's first change moves it to in progress, as span work does."""
    access = article_write_access(user=request.user, article_id=article.pk)
    if access.assignment is not None and access.assignment.analyst_id == request.user.pk:
        assignment_start(assignment=access.assignment, actor=request.user)
    if not request.htmx:
        messages.success(request, notice)
        return redirect("reading:article_detail", pk=article.pk)
    return _panel(request, article, notice=notice, changed=True)


def _refused(request, article, err: ValidationError | VersionConflict):
    """A version conflict answers with the current panel (409); bad input with the error contract's 400."""
    if isinstance(err, VersionConflict):
        return _panel(request, article, status=409, conflict=error_text(err))
    return error_response(err)


@require_GET
@login_required
def panel(request, article_id: int):
    return _panel(request, _visible_article(request, article_id))


@require_GET
@login_required
def quote_edit(request, pk: int):
    """The edit forms of one quote (change speaker, fix span), loaded on demand by the panel's "Edit"."""
    quote = get_object_or_404(Quote.objects.select_related("speaker"), pk=pk, deleted_at__isnull=True)
    _article_for_write(request, quote.article_id)
    context = {"quote": quote, "kinds": Quote.Kind.choices, "speaker_kinds": Speaker.Kind.choices}
    return render(request, "quotes/panel.html#quote-edit", context)


@require_POST
@login_required
def quote_create(request, article_id: int):
    article = _article_for_write(request, article_id)
    form = QuoteCreateForm(request.POST)
    if not form.is_valid():
        return error_response(form_error_text(form))
    speaker = None
    if form.cleaned_data["speaker"]:
        speaker = Speaker.objects.filter(pk=form.cleaned_data["speaker"]).first()
        if speaker is None:
            return error_response("That speaker does not exist.")
    try:
        services.quote_create(
            article=article,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            kind=form.cleaned_data["kind"] or Quote.Kind.DIRECT,
            speaker=speaker,
            actor=request.user,
        )
    except (ValidationError, VersionConflict) as err:
        return _refused(request, article, err)
    return _written(request, article, "Quote added.")


def _versioned_action(request, pk: int, service, done: str):
    """A quote action that needs only the version the page showed (confirm, unconfirm, delete, restore)."""
    quote = _quote_for_write(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return error_response(form_error_text(form))
    try:
        service(quote=quote, version=form.cleaned_data["version"], actor=request.user)
    except (ValidationError, VersionConflict) as err:
        return _refused(request, quote.article, err)
    return _written(request, quote.article, done)


@require_POST
@login_required
def quote_confirm(request, pk: int):
    return _versioned_action(request, pk, services.quote_confirm, "Quote confirmed.")


@require_POST
@login_required
def quote_unconfirm(request, pk: int):
    """Take a confirmation back (the panel's "Unconfirm", and Ctrl+Z after a confirmation)."""
    return _versioned_action(request, pk, services.quote_unconfirm, "Quote unconfirmed.")


@require_POST
@login_required
def quote_span(request, pk: int):
    quote = _quote_for_write(request, pk)
    form = QuoteSpanForm(request.POST)
    if not form.is_valid():
        return error_response(form_error_text(form))
    try:
        services.quote_update(
            quote=quote,
            version=form.cleaned_data["version"],
            actor=request.user,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            kind=form.cleaned_data["kind"] or None,
        )
    except (ValidationError, VersionConflict) as err:
        return _refused(request, quote.article, err)
    return _written(request, quote.article, "Quote span saved.")


@require_POST
@login_required
def quote_speaker(request, pk: int):
    """Attribute a quote: to an existing speaker, to a new one (``action=new``), or to nobody (empty)."""
    quote = _quote_for_write(request, pk)
    form = QuoteSpeakerForm(request.POST)
    if not form.is_valid():
        return error_response(form_error_text(form))
    data = form.cleaned_data
    speaker = None
    if data["action"] != "new" and data["speaker"]:
        speaker = Speaker.objects.filter(pk=data["speaker"]).first()
        if speaker is None:
            return error_response("That speaker does not exist.")
    try:
        quote = services.quote_attribute_speaker(
            quote=quote,
            version=data["version"],
            actor=request.user,
            speaker=speaker,
            new_name=data["new_name"] if data["action"] == "new" else "",
            new_kind=data["new_kind"],
        )
    except (ValidationError, VersionConflict) as err:
        return _refused(request, quote.article, err)
    name = quote.speaker.name if quote.speaker else "nobody"
    return _written(request, quote.article, f"Quote attributed to {name}.")


@require_POST
@login_required
def quote_delete(request, pk: int):
    return _versioned_action(request, pk, services.quote_delete, "Quote deleted.")


@require_POST
@login_required
def quote_restore(request, pk: int):
    return _versioned_action(request, pk, services.quote_restore, "Quote restored.")


@require_GET
@login_required
def quote_history(request, pk: int):
    quote = get_object_or_404(selectors.quote_for_user(user=request.user, pk=pk))  # their own private one too
    _visible_article(request, quote.article_id)
    return render(request, "quotes/panel.html#quote-history", {"rows": selectors.quote_history(quote=quote)})


@require_GET
@login_required
def speaker_autocomplete(request):
    """Speakers matching ``q`` by name or alias, as submit buttons (``field=speaker``) or radios (``source``)."""
    field = request.GET.get("field", "speaker")
    if field not in {"speaker", "source"}:
        return error_response("Unknown field.")
    try:
        exclude = int(request.GET.get("exclude") or 0) or None
    except ValueError:
        return error_response("exclude must be a speaker id.")
    speakers = selectors.speaker_search(q=request.GET.get("q", ""), exclude_id=exclude)
    aliases: dict[int, list[str]] = {}
    for a in SpeakerAlias.objects.filter(speaker__in=speakers).only("speaker_id", "alias"):
        aliases.setdefault(a.speaker_id, []).append(a.alias)
    for s in speakers:
        s.other_names = [a for a in aliases.get(s.pk, []) if a.casefold() != s.name.casefold()][:4]
    return render(
        request,
        "quotes/panel.html#speaker-options",
        {"speakers": speakers, "field": field, "q": request.GET.get("q", "")},
    )


# --- speaker pages -----------------------------------------------------------------------------------------


@require_GET
@login_required
def speaker_list(request):
    q = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    speakers = selectors.speaker_list(user=request.user, q=q, kind=kind)
    page = Paginator(speakers, SPEAKERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "speakers": page.object_list,
        "q": q,
        "kind": kind,
        "kinds": Speaker.Kind.choices,
        "duplicates": selectors.speaker_duplicate_pairs() if is_supervisor(request.user) and not request.htmx else [],
    }
    template = "quotes/speaker_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_GET
@login_required
def speaker_detail(request, pk: int):
    speaker = get_object_or_404(selectors.speakers_visible_to(request.user), pk=pk)
    if speaker.merged_into_id:
        messages.info(request, f"“{speaker.name}” was merged into this speaker.")
        return redirect("quotes:speaker_detail", pk=speaker.merged_into_id)
    quotes = selectors.speaker_quotes(speaker=speaker, user=request.user)
    page = Paginator(quotes, QUOTES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "speaker": speaker,
        "aliases": list(speaker.aliases.all()),
        "page_obj": page,
        "quotes": page.object_list,
        "outlets": selectors.speaker_outlets(speaker=speaker, user=request.user),
        "merged": list(selectors.speakers_merged_into(speaker=speaker)),
        "history": selectors.speaker_history(speaker=speaker) if is_supervisor(request.user) else [],
        "kinds": Speaker.Kind.choices,
        "own_alias_key": services.alias_key(speaker.name),
    }
    return render(request, "quotes/speaker_detail.html", context)


def _back_to(speaker_pk: int):
    return redirect("quotes:speaker_detail", pk=speaker_pk)


def _speaker_write(request, pk: int, form, action):
    """Run a supervisor's speaker action from a page form; report the outcome as a message."""
    speaker = get_object_or_404(Speaker, pk=pk)
    if not form.is_valid():
        return refuse(request, ValidationError(form_error_text(form)), back=reverse("quotes:speaker_detail", args=[pk]))
    try:
        target_pk, notice = action(speaker, form.cleaned_data)
    except (ValidationError, VersionConflict) as err:
        return refuse(request, err, back=reverse("quotes:speaker_detail", args=[pk]))
    messages.success(request, notice)
    return _back_to(target_pk)


@require_POST
@supervisor_required
def speaker_edit(request, pk: int):
    def action(speaker, data):
        services.speaker_update(
            speaker=speaker,
            version=data["version"],
            actor=request.user,
            name=data["name"],
            kind=data["kind"],
            role=data["role"],
        )
        return speaker.pk, "Speaker saved."

    return _speaker_write(request, pk, SpeakerEditForm(request.POST), action)


@require_POST
@supervisor_required
def speaker_merge(request, pk: int):
    """Merge the chosen ``source`` speaker into this one."""

    def action(speaker, data):
        source = Speaker.objects.filter(pk=data["source"]).first()
        if source is None:
            raise ValidationError("That speaker does not exist.", code="missing")
        services.speaker_merge(source=source, target=speaker, actor=request.user, target_version=data["version"])
        return speaker.pk, f"“{source.name}” merged into “{speaker.name}”: its quotes and aliases moved here."

    return _speaker_write(request, pk, SpeakerMergeForm(request.POST), action)


@require_POST
@supervisor_required
def speaker_split(request, pk: int):
    def action(speaker, data):
        new = services.speaker_split(
            speaker=speaker,
            version=data["version"],
            actor=request.user,
            name=data["name"],
            kind=data["kind"],
            role=data["role"],
            alias_ids=data["aliases"],
            quote_ids=data["quotes"],
        )
        return new.pk, f"“{new.name}” split off “{speaker.name}”."

    return _speaker_write(request, pk, SpeakerSplitForm(request.POST), action)


@require_POST
@supervisor_required
def speaker_alias_add(request, pk: int):
    def action(speaker, data):
        alias = services.speaker_alias_add(speaker=speaker, alias=data["alias"], actor=request.user)
        return speaker.pk, f"Alias “{alias.alias}” added."

    return _speaker_write(request, pk, AliasForm(request.POST), action)


@require_POST
@supervisor_required
def speaker_alias_remove(request, pk: int, alias_id: int):
    alias = get_object_or_404(SpeakerAlias.objects.select_related("speaker"), pk=alias_id, speaker_id=pk)
    try:
        services.speaker_alias_remove(alias=alias, actor=request.user)
    except ValidationError as err:
        messages.error(request, error_text(err))
        return _back_to(pk)
    messages.success(request, f"Alias “{alias.alias}” removed.")
    return _back_to(pk)


@require_POST
@supervisor_required
def speaker_delete(request, pk: int):
    """Delete a speaker with no quotes (the list offers it for those); refused with a message otherwise."""
    speaker = get_object_or_404(Speaker, pk=pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return refuse(request, ValidationError(form_error_text(form)), back=reverse("quotes:speaker_detail", args=[pk]))
    name = speaker.name
    try:
        services.speaker_delete(speaker=speaker, version=form.cleaned_data["version"], actor=request.user)
    except (ValidationError, VersionConflict) as err:
        return refuse(request, err, back=reverse("quotes:speaker_detail", args=[pk]))
    messages.success(request, f"Speaker “{name}” deleted.")
    return redirect("quotes:speaker_list")
