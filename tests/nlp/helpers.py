"""Small helpers shared by the rule tests."""

from __future__ import annotations


def speakers_of(quotes) -> dict:
    """Quote text -> speaker name, as the rule tests compare them."""
    return {q.text: q.speaker for q in quotes}
