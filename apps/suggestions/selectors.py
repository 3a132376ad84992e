"""Reads for suggestions: training data from human-coded spans, the codebook, who sees the layer, live precision."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from apps.accounts.roles import is_supervisor
from apps.annotations.models import Annotation, Theme
from apps.assignments.models import Assignment
from apps.corpus.models import Article

from .codebook import DEFAULT_KEYWORDS, parse_keywords
from .learning import CodebookEntry, Example, sentence_spans
from .models import BlindCoding, LayerPreference, SuggesterModel, Suggestion, ThemeKeywords

SUBMITTED_STATES = (Assignment.State.SUBMITTED, Assignment.State.APPROVED)
MAX_NEGATIVES = 5000


def themes_for_suggestion() -> list[Theme]:
    return list(Theme.objects.filter(active=True).order_by("order", "name"))


def keywords_for(themes) -> dict[int, list[str]]:
    """Each theme's keywords: the supervisor's if set, else the codebook default for its slug."""
    custom = {k.theme_id: parse_keywords(k.keywords) for k in ThemeKeywords.objects.filter(theme__in=themes)}
    return {t.id: custom[t.id] if t.id in custom else list(DEFAULT_KEYWORDS.get(t.slug, [])) for t in themes}


def codebook() -> list[CodebookEntry]:
    themes = themes_for_suggestion()
    keywords = keywords_for(themes)
    return [CodebookEntry(t.id, t.name, t.description, tuple(keywords[t.id])) for t in themes]


def training_examples() -> list[Example]:
    """Human-coded passages: spans accepted by a reviewer first, then spans of submitted or approved work that were
    not rejected; plus the uncovered sentences of those articles as theme-less examples (negatives)."""
    submitted = Assignment.objects.filter(
        state__in=SUBMITTED_STATES, article_id=OuterRef("article_id"), analyst_id=OuterRef("annotator_id")
    )
    spans = (
        Annotation.objects.filter(deleted_at__isnull=True)
        .exclude(status=Annotation.Status.REJECTED)
        .filter(Q(status=Annotation.Status.ACCEPTED) | Exists(submitted))
    )
    rows = list(spans.values_list("id", "article_id", "start", "end", "text", "status"))
    themes: dict[int, set] = {}
    for ann_id, theme_id in Annotation.themes.through.objects.filter(
        annotation_id__in=[r[0] for r in rows]
    ).values_list("annotation_id", "theme_id"):
        themes.setdefault(ann_id, set()).add(theme_id)
    rows.sort(key=lambda r: (r[5] != Annotation.Status.ACCEPTED, r[0]))  # accepted first
    examples = [
        Example(text, frozenset(themes.get(ann_id, ())), status == Annotation.Status.ACCEPTED, ann_id)
        for ann_id, _, _, _, text, status in rows
        if themes.get(ann_id)
    ]
    covered: dict[int, list] = {}
    for _, article_id, start, end, _, _ in rows:
        covered.setdefault(article_id, []).append((start, end))
    negatives = []
    for article_id, text in Article.objects.filter(pk__in=list(covered)).values_list("id", "text").iterator():
        spans_here = covered[article_id]
        for start, end in sentence_spans(text):
            if not any(s < end and start < e for s, e in spans_here):
                negatives.append(Example(text[start:end]))
        if len(negatives) >= MAX_NEGATIVES:
            break
    return examples + negatives[:MAX_NEGATIVES]


def latest_model() -> SuggesterModel | None:
    return SuggesterModel.objects.defer("blob").filter(status=SuggesterModel.Status.READY).order_by("-version").first()


def pending_training() -> SuggesterModel | None:
    return SuggesterModel.objects.defer("blob").filter(status=SuggesterModel.Status.QUEUED).order_by("-version").first()


def decisions_since(model: SuggesterModel | None) -> int:
    """Accept/reject decisions since ``model`` was trained (all of them when there is none)."""
    decided = Suggestion.objects.exclude(status=Suggestion.Status.OPEN)
    if model is not None and model.trained_at is not None:
        decided = decided.filter(decided_at__gt=model.trained_at)
    return decided.count()


@dataclass(frozen=True)
class LayerState:
    visible: bool
    hidden_by_user: bool = False
    blind_article: bool = False
    blind_global: bool = False
    reason: str = ""


def layer_state(*, user, article_id: int) -> LayerState:
    """Does ``user`` see suggestions on this article? Blind coding (per article or global) hides them from
    analysts; supervisors still see them (they set it) and anyone may hide them for themselves."""
    blind = dict(
        BlindCoding.objects.filter(Q(article_id=article_id) | Q(article__isnull=True)).values_list("article_id", "id")
    )
    blind_article, blind_global = article_id in blind, None in blind
    hidden_by_user = LayerPreference.objects.filter(user=user, hidden=True).exists()
    if hidden_by_user:
        return LayerState(False, True, blind_article, blind_global, "You switched suggestions off.")
    if (blind_article or blind_global) and not is_supervisor(user):
        return LayerState(False, False, blind_article, blind_global, "A supervisor hid suggestions for blind coding.")
    return LayerState(True, False, blind_article, blind_global)


def open_suggestions(*, article_id: int) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(article_id=article_id, status=Suggestion.Status.OPEN).select_related("theme")


def suggestions_for_user(*, user, article_id: int, suggestions) -> list[Suggestion]:
    """The open suggestions ``user`` still needs: not where their own live span already carries that theme."""
    coded = [
        (start, end, theme_id)
        for start, end, theme_id in Annotation.objects.filter(
            article_id=article_id, annotator=user, deleted_at__isnull=True, themes__isnull=False
        ).values_list("start", "end", "themes")
    ]
    return [s for s in suggestions if not any(a < s.end and s.start < b and t == s.theme_id for a, b, t in coded)]


def theme_quality() -> list[dict]:
    """Per active theme: live precision from analysts' decisions (accepted / decided), counts, and keywords."""
    themes = themes_for_suggestion()
    counts = {
        row["theme_id"]: row
        for row in Suggestion.objects.values("theme_id").annotate(
            accepted=Count("id", filter=Q(status=Suggestion.Status.ACCEPTED)),
            rejected=Count("id", filter=Q(status=Suggestion.Status.REJECTED)),
            open=Count("id", filter=Q(status=Suggestion.Status.OPEN)),
        )
    }
    keywords = keywords_for(themes)
    model = latest_model()
    per_theme = (model.metrics or {}).get("examples_per_theme", {}) if model else {}
    cold = set((model.metrics or {}).get("cold_start_theme_ids", [])) if model else None
    rows = []
    for theme in themes:
        c = counts.get(theme.id, {"accepted": 0, "rejected": 0, "open": 0})
        decided = c["accepted"] + c["rejected"]
        rows.append(
            {
                "theme": theme,
                "accepted": c["accepted"],
                "rejected": c["rejected"],
                "open": c["open"],
                "precision": c["accepted"] / decided if decided else None,
                "keywords": ", ".join(keywords[theme.id]),
                "examples": per_theme.get(str(theme.id), 0),
                "cold_start": True if cold is None else theme.id in cold,
            }
        )
    return rows


def recent_models(limit: int = 10) -> QuerySet[SuggesterModel]:
    return SuggesterModel.objects.defer("blob").order_by("-version")[:limit]


def blind_coding_global() -> bool:
    return BlindCoding.objects.filter(article__isnull=True).exists()
