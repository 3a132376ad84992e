import pytest

from apps.assignments.models import Assignment
from tests.factories import ArticleFactory

TEXT = (
    "Xi Jinping met Vladimir Putin in Moscow on Thursday.\n"
    "\n"
    "Both leaders praised the strategic partnership and called for a multipolar world.\n"
    "The talks covered energy, trade and the Ukraine crisis."
)


@pytest.fixture
def article(db):
    return ArticleFactory(title="Xi and Putin meet", text=TEXT)


@pytest.fixture
def assigned(article, analyst):
    """The analyst's assignment on ``article``."""
    return Assignment.objects.create(article=article, analyst=analyst)


def span_of(article, phrase, occurrence=0):
    """(start, end) code-point offsets of a phrase in the article text."""
    start = -1
    for _ in range(occurrence + 1):
        start = article.text.index(phrase, start + 1)
    return start, start + len(phrase)
