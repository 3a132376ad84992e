"""Rules added after the seventh fresh set's first run (issue 9), one test each, on crafted sentences (names and
wording made up, none taken from an evaluation text)."""

from __future__ import annotations

from .helpers import speakers_of as _speakers


def test_a_counterpart_fits_a_title_description_with_their_nationality(extract):
    quotes, _ = extract(
        "Finnish Foreign Minister Elina Valtonen met her Estonian counterpart Margus Tsahkna in Tallinn.\n\n"
        "Tsahkna said the two countries would share radar data.\n\n"
        '"We see the same threat from the same side," the Estonian foreign minister said.'
    )
    assert _speakers(quotes)["We see the same threat from the same side"] == "Margus Tsahkna"


def test_a_counterpart_does_not_fit_a_description_without_a_nationality(extract):
    quotes, _ = extract(
        "Iranian Foreign Minister Abbas Araghchi called his Omani counterpart Badr Albusaidi on Sunday.\n\n"
        "The top diplomat said Tehran would not negotiate over enrichment."
    )
    assert _speakers(quotes) == {"Tehran would not negotiate over enrichment": "Abbas Araghchi"}


def test_a_person_name_tagged_as_a_body_after_a_title_is_the_person(extract):
    quotes, _ = extract(
        "In Kyiv, Ukraine's chief negotiator Rustem Umerov said the delegation was ready for talks at any level."
    )
    assert _speakers(quotes) == {"the delegation was ready for talks at any level": "Rustem Umerov"}


def test_a_story_opening_with_a_title_names_the_person_in_the_next_paragraph(extract):
    quotes, _ = extract(
        "Iceland's prime minister has told visiting envoys that the fishing zones are not up for discussion, as "
        "talks opened in Reykjavik.\n"
        "Kristrun Frostadottir said her government was ready to cooperate on security.\n"
    )
    assert _speakers(quotes) == {
        "the fishing zones are not up for discussion": "Kristrun Frostadottir",
        "her government was ready to cooperate on security": "Kristrun Frostadottir",
    }
