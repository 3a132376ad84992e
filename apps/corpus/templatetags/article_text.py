"""Template filters for article text that the renderer (apps.corpus.text) does not draw."""

from django import template

from apps.corpus.text import context_around

register = template.Library()


@register.filter
def around(text: str, mark) -> str:
    """``{{ article.text|around:mention }}``: the words around ``mark`` (anything with ``start`` and ``end``)."""
    return context_around(text, mark.start, mark.end)
