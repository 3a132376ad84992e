from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def work_url(article_id) -> str:
    """The annotation workspace of an article, or its reading page while the workspace isn't installed."""
    try:
        return reverse("annotations:workspace", args=[article_id])
    except NoReverseMatch:
        return reverse("corpus:article_detail", args=[article_id])


@register.filter
def pct(value) -> str:
    """0.8 → "0.80"; None (undefined) → "—"; a tiny negative α prints as "0.00", not "-0.00"."""
    return "—" if value is None else f"{value:.2f}".replace("-0.00", "0.00")


@register.filter
def state_class(state: str) -> str:
    return f"state state-{state}"


@register.filter
def state_label(state: str) -> str:
    from apps.review.models import Assignment

    try:
        return Assignment.State(state).label
    except ValueError:
        return state
