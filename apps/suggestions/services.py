"""Writes for suggestions. Training is requested here and runs in the task worker (tasks.train_suggester); a
request only ever *uses* a fitted model. Accepting a suggestion creates the analyst's span through the annotations
app's one write path, under the same write policy as the workspace."""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from apps.accounts.roles import is_supervisor
from apps.annotations.models import Theme
from apps.annotations.services import annotation_create
from apps.assignments.selectors import article_write_access
from apps.assignments.services import assignment_start
from apps.corpus.models import Article

from . import selectors
from .learning import ThemeSuggester, keyword_only, sentence_spans
from .models import BlindCoding, LayerPreference, SuggesterModel, Suggestion, ThemeKeywords

log = logging.getLogger(__name__)

RETRAIN_EVERY = getattr(settings, "SUGGESTIONS_RETRAIN_EVERY", 25)  # K: decisions between automatic trainings
_LOADED: dict[int, ThemeSuggester] = {}  # fitted models by SuggesterModel id, loaded once per process


# --- training -----------------------------------------------------------------------------------------------------


def suggester_training_request(*, actor=None, reason: str = "") -> SuggesterModel:
    """Queue a training run (one at a time: a queued run is returned instead of a second one)."""
    from .tasks import train_suggester

    with transaction.atomic():
        pending = selectors.pending_training()
        if pending is not None:
            return pending
        version = (SuggesterModel.objects.aggregate(v=Max("version"))["v"] or 0) + 1
        model = SuggesterModel.objects.create(version=version, reason=reason[:200], requested_by=actor)
    transaction.on_commit(lambda: train_suggester.enqueue(model_id=model.pk))
    return model


def suggester_train(*, model_id: int) -> SuggesterModel:
    """Fit the suggester on the current human-coded spans and store it in the queued row ``model_id``."""
    model = SuggesterModel.objects.get(pk=model_id)
    if model.status != SuggesterModel.Status.QUEUED:
        return model
    began = time.perf_counter()
    try:
        examples = selectors.training_examples()
        fitted = ThemeSuggester(selectors.codebook()).fit(examples)
        model.blob = fitted.dumps()
        model.n_examples = sum(1 for e in examples if e.theme_ids)
        model.metrics = {
            "examples_per_theme": {str(k): v for k, v in fitted.n_examples.items()},
            "cold_start_theme_ids": fitted.cold_start_theme_ids,
            "negatives": sum(1 for e in examples if not e.theme_ids),
            "threshold": fitted.threshold,
            "min_examples": fitted.min_examples,
        }
        model.status = SuggesterModel.Status.READY
    except Exception as exc:  # recorded on the row for the themes page; the worker keeps running
        log.exception("suggester training %s failed", model.version)
        model.status = SuggesterModel.Status.FAILED
        model.metrics = {"error": f"{type(exc).__name__}: {exc}"[:500]}
    model.trained_at = timezone.now()
    model.train_seconds = round(time.perf_counter() - began, 3)
    model.save()
    return model


def loaded_suggester(model: SuggesterModel | None) -> ThemeSuggester:
    """The fitted suggester of ``model`` (cached per process), or the codebook's keywords when there is none."""
    if model is None:
        return keyword_only(selectors.codebook())
    if model.pk not in _LOADED:
        blob = SuggesterModel.objects.values_list("blob", flat=True).get(pk=model.pk)
        _LOADED.clear()  # keep one model in memory
        _LOADED[model.pk] = ThemeSuggester.loads(blob)
    return _LOADED[model.pk]


# --- suggesting ---------------------------------------------------------------------------------------------------


def suggestions_refresh(*, article: Article) -> list[Suggestion]:
    """Make the open suggestions of ``article`` those of the latest model: sentences scored, themes at or above the
    threshold kept unless the same passage and theme was already decided (decided suggestions stay as they are).
    Returns the open ones. Uses a fitted model, never fits one."""
    model = selectors.latest_model()
    version = model.version if model else 0
    current = selectors.open_suggestions(article_id=article.pk)
    if current.exists() and not current.exclude(model_version=version).exists():
        return list(current)
    suggester = loaded_suggester(model)
    known_themes = set(Theme.objects.filter(active=True).values_list("id", flat=True))
    spans = sentence_spans(article.text)
    texts = [article.text[s:e] for s, e in spans]
    decided = set(
        Suggestion.objects.filter(article=article)
        .exclude(status=Suggestion.Status.OPEN)
        .values_list("start", "end", "theme_id")
    )
    pairs = []
    for (start, end), suggested in zip(spans, suggester.suggest(texts), strict=True):
        for item in suggested:
            if item.theme_id not in known_themes or (start, end, item.theme_id) in decided:
                continue
            pairs.append((start, end, item))
    neighbours = suggester.neighbours([article.text[s:e] for s, e, _ in pairs], [i.theme_id for _, _, i in pairs])
    rows = [
        Suggestion(
            article=article,
            start=s,
            end=e,
            text=article.text[s:e],
            theme_id=item.theme_id,
            score=min(1.0, max(0.0, round(item.score, 4))),
            cold_start=item.cold_start,
            model=model,
            model_version=version,
            neighbours=[{"ref": n.ref, "text": n.text[:500], "similarity": round(n.similarity, 3)} for n in near],
        )
        for (s, e, item), near in zip(pairs, neighbours, strict=True)
    ]
    with transaction.atomic():
        current.delete()
        Suggestion.objects.bulk_create(rows, ignore_conflicts=True)
    return list(selectors.open_suggestions(article_id=article.pk))


@transaction.atomic
def suggestion_decide(*, suggestion: Suggestion, actor, accept: bool, start=None, end=None) -> Suggestion:
    """Accept (the passage, or the adjusted [start, end), becomes ``actor``'s span with the suggested theme, created
    by annotations.services.annotation_create; the analyst's assignment starts as with any first edit) or reject an
    open suggestion. Needs write access to the article, and no blind coding for an analyst (the layer is hidden
    from them, so a decision could only come from a forged request)."""
    access = article_write_access(user=actor, article_id=suggestion.article_id)
    if not access.allowed:
        raise PermissionDenied(access.reason)
    layer = selectors.layer_state(user=actor, article_id=suggestion.article_id)
    if (layer.blind_article or layer.blind_global) and not is_supervisor(actor):
        raise PermissionDenied("A supervisor hid suggestions on this article for blind coding.")
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != Suggestion.Status.OPEN:
        raise ValidationError("This suggestion was already decided.", code="decided")
    if accept:
        span, _ = annotation_create(
            article=suggestion.article,
            annotator=actor,
            start=suggestion.start if start in (None, "") else start,
            end=suggestion.end if end in (None, "") else end,
            theme_ids=[suggestion.theme_id],
        )
        suggestion.annotation = span
        if access.assignment is not None and access.assignment.analyst_id == actor.pk:
            assignment_start(assignment=access.assignment, actor=actor)  # as a span made in the text would
    suggestion.status = Suggestion.Status.ACCEPTED if accept else Suggestion.Status.REJECTED
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decided_by", "decided_at", "annotation"])
    if selectors.decisions_since(selectors.latest_model()) >= RETRAIN_EVERY:
        suggester_training_request(reason=f"after {RETRAIN_EVERY} new decisions")
    return suggestion


# --- codebook and visibility --------------------------------------------------------------------------------------


@transaction.atomic
def theme_keywords_set(*, theme: Theme, keywords: str, actor) -> ThemeKeywords:
    """Set a theme's cold-start keywords (supervisors); the next training run uses them."""
    if not is_supervisor(actor):
        raise PermissionDenied("Only supervisors edit the codebook.")
    if len(keywords) > 5000:
        raise ValidationError("Keywords are at most 5,000 characters.", code="too_long")
    row, _ = ThemeKeywords.objects.update_or_create(
        theme=theme, defaults={"keywords": keywords.strip(), "updated_by": actor}
    )
    return row


def layer_preference_set(*, user, hidden: bool) -> LayerPreference:
    row, _ = LayerPreference.objects.update_or_create(user=user, defaults={"hidden": hidden})
    return row


@transaction.atomic
def blind_coding_set(*, actor, hidden: bool, article: Article | None = None) -> None:
    """Hide suggestions from analysts on ``article`` (or on every article when None) for blind coding."""
    if not is_supervisor(actor):
        raise PermissionDenied("Only supervisors set blind coding.")
    rows = BlindCoding.objects.filter(article=article) if article else BlindCoding.objects.filter(article__isnull=True)
    if hidden and not rows.exists():
        BlindCoding.objects.create(article=article, set_by=actor)
    elif not hidden:
        rows.delete()
