"""He/she agreement with a given-name prior (``data/given_names.json``): the text's own evidence first, then what a
given name says. Crafted sentences; names made up or common, none taken from an evaluation text."""

from __future__ import annotations

import pytest

from apps.nlp.names import gender_of_name


@pytest.mark.parametrize(
    "name, gender",
    [
        ("Ingrid Larsen", "female"),
        ("Tomas Varga", "male"),
        ("Ana María Ruiz", "female"),
        ("Jean-Pierre Dumont", "male"),  # the first part of a hyphenated given name
        ("Jean Dumont", None),  # borne by women and men: decides nothing
        ("Kim Lindqvist", None),
        ("Larsen", None),  # no given name
        ("J. Larsen", None),  # an initial
    ],
)
def test_a_given_name_tells_a_gender_only_when_it_is_clear(name, gender):
    assert gender_of_name(name) == gender


def test_she_skips_a_later_subject_whose_given_name_is_a_mans(extract):
    quotes, _ = extract(
        "Foreign Minister Ingrid Larsen said the embargo would stay. Trade Minister Tomas Varga disagreed with "
        'the decision on Monday. "We will not move an inch," she said.'
    )
    assert {q.text: q.speaker for q in quotes}["We will not move an inch"] == "Ingrid Larsen"


def test_what_the_text_says_beats_the_given_name(extract):
    # a made-up case where the title and the given name disagree: the title ("Spokeswoman") is the text's word
    quotes, _ = extract(
        'Spokeswoman Tomas Varga said the embargo would stay. "We will not move an inch," she said on Monday.'
    )
    assert {q.text: q.speaker for q in quotes}["We will not move an inch"] == "Tomas Varga"
