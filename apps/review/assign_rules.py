"""Assignment rules that need review data: the tie-breaker (one more analyst where two analysts disagree).

The assignment itself is ``apps.assignments.services.assignments_by_rule``; this module only decides which
articles need a tie-breaker, from the agreement of the analysts whose work there is finished.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError

from apps.assignments.models import Assignment
from apps.assignments.services import RuleOutcome, assignments_by_rule, assignments_to_k
from apps.corpus.models import Article

from .agreement import F1Count, article_agreement
from .selectors import spans_for_agreement

FINISHED = (Assignment.State.SUBMITTED, Assignment.State.APPROVED)


def article_theme_f1(text: str, spans_by_analyst: dict) -> float | None:
    """Overlap F1 on (span, theme) between the analysts, micro-averaged over pairs and themes; None when
    nobody marked anything (nothing to disagree about)."""
    total = F1Count()
    for entry in article_agreement(text, spans_by_analyst).themes.values():
        total += entry["overlap"]
    return total.f1


def articles_needing_tiebreak(article_ids, *, threshold: float) -> dict[int, float]:
    """{article id: agreement} for the articles that two analysts (no more) finished and whose agreement is
    below ``threshold``."""
    finished: dict[int, set[int]] = {}
    assigned: dict[int, int] = {}
    for article_id, analyst_id, state in Assignment.objects.filter(article_id__in=list(article_ids)).values_list(
        "article_id", "analyst_id", "state"
    ):
        assigned[article_id] = assigned.get(article_id, 0) + 1
        if state in FINISHED:
            finished.setdefault(article_id, set()).add(analyst_id)
    candidates = [a for a, users in finished.items() if len(users) == 2 and assigned[a] == 2]
    spans = spans_for_agreement(candidates)
    texts = dict(Article.objects.filter(pk__in=candidates).values_list("id", "text"))
    low = {}
    for article_id in candidates:
        per_analyst = {u: s for u, s in spans.get(article_id, {}).items() if u in finished[article_id]}
        f1 = article_theme_f1(texts[article_id], per_analyst)
        if f1 is not None and f1 < threshold:
            low[article_id] = f1
    return low


RULES = ("double", "tiebreak")


def rule_params(data) -> dict:
    """k (analysts per article) and the agreement threshold from the assign form; ValidationError if bad."""
    try:
        k = int(data.get("k") or 2)
        threshold = float(data.get("threshold") or 0.6)
    except ValueError:
        raise ValidationError("Analysts per article is a whole number and the threshold a number.") from None
    if not 0 < threshold <= 1:
        raise ValidationError("The agreement threshold lies between 0 and 1.", code="bad_threshold")
    return {"k": k, "threshold": threshold}


def assign_by_rule(
    *, rule: str, article_ids, analysts, assigned_by, due_date=None, k: int = 2, threshold: float = 0.6
) -> tuple[RuleOutcome, str]:
    """Apply ``rule`` ("double" or "tiebreak") to the articles; returns the outcome and a sentence saying it."""
    if rule == "double":
        outcome = assignments_to_k(
            article_ids=article_ids, k=k, analysts=analysts, assigned_by=assigned_by, due_date=due_date
        )
        said = f"Double-coding: {outcome.created} assignments made, {k} analysts per article"
    else:
        low = articles_needing_tiebreak(article_ids, threshold=threshold)
        if not low:
            raise ValidationError(
                f"No matching article has two analysts' finished work with agreement below {threshold:.2f}.",
                code="no_article",
            )
        outcome = assignments_by_rule(
            wanted=dict.fromkeys(low, 1),
            analysts=analysts,
            assigned_by=assigned_by,
            due_date=due_date,
            comment=f"Tie-breaker: agreement below {threshold:.2f}.",
        )
        said = f"Tie-breaker: a third analyst on {outcome.articles} article(s) with agreement below {threshold:.2f}"
    if outcome.short:
        said += f"; {outcome.short} article(s) could not get enough analysts (tick more)"
    return outcome, said + "."
