from django import template

from apps.assignments.models import Assignment

register = template.Library()


@register.filter
def pct(value) -> str:
    """0.8 → "0.80"; None (undefined) → "—"; a tiny negative α prints as "0.00", not "-0.00"."""
    return "—" if value is None else f"{value:.2f}".replace("-0.00", "0.00")


@register.filter
def state_class(state: str) -> str:
    return f"state state-{state}"


@register.filter
def state_label(state: str) -> str:
    try:
        return Assignment.State(state).label
    except ValueError:
        return state
