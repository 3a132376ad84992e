"""Rules added after the sixth fresh set's first run (issue 9), one test each, on crafted sentences (names and
wording made up, none taken from an evaluation text)."""

from __future__ import annotations

from .helpers import speakers_of as _speakers


def test_a_description_as_the_subject_before_a_pronoun_stands_for_the_person_it_describes(extract):
    quotes, _ = extract(
        "Pope Gregory XVII said on Sunday that the city needed calm.\n\n"
        "Meeting the consuls in the palace for the new year, the Pope reviewed the wars in the region.\n\n"
        'He recalled that the churches "will not leave" the old city.'
    )
    assert _speakers(quotes) == {
        "the city needed calm": "Gregory XVII",
        'the churches "will not leave" the old city': "Gregory XVII",
    }


def test_a_title_closing_the_lede_is_the_person_named_next(extract):
    quotes, _ = extract(
        "Ferries to be inspected\n"
        "Norway will start inspecting ferries that cross the fjord without permits, the transport minister has "
        "said.\n"
        "Ingrid Solberg told parliament that coastguard teams would carry out the checks.\n"
    )
    assert _speakers(quotes) == {
        "Norway will start inspecting ferries that cross the fjord without permits": "Ingrid Solberg",
        "coastguard teams would carry out the checks": "Ingrid Solberg",
    }


def test_a_name_before_an_appositive_the_parser_split_at_a_bracket_is_the_source(extract):
    quotes, _ = extract(
        "Not everyone agrees. Evan Laksmana, a researcher at the Centre for Strategic and International Studies "
        "(CSIS) Indonesia, said the cabinet had not explained the cost."
    )
    assert _speakers(quotes) == {"the cabinet had not explained the cost": "Evan Laksmana"}


def test_two_surnames_joined_by_a_hyphen_are_not_a_fuller_name_of_either(extract):
    quotes, speakers = extract(
        "Kremlin denies Putin-Zelensky summit is planned\nIn Kyiv, Zelensky said Ukraine had not been told of any summit.\n"
    )
    assert _speakers(quotes)["Ukraine had not been told of any summit"] == "Zelensky"
    assert not any("Putin" in s.name or any("Putin" in a for a in s.aliases) for s in speakers)


def test_a_report_inside_a_quoted_sentence_continues_the_quotation_before_it(extract):
    quotes, _ = extract(
        'Lisbon\'s Foreign Ministry issued a statement. "The meeting was frank and useful," the ministry said. '
        '"Both sides reaffirmed that the fishing quotas should be reviewed next year."'
    )
    assert _speakers(quotes) == {
        "The meeting was frank and useful": "Lisbon's Foreign Ministry",
        "Both sides reaffirmed that the fishing quotas should be reviewed next year": "Lisbon's Foreign Ministry",
    }
