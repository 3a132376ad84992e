"""Rules added after the fifth fresh set's first run (issue 9), one test each, on crafted sentences (names and
wording made up, none taken from an evaluation text)."""

from __future__ import annotations

from .helpers import speakers_of as _speakers


def test_a_title_case_dateline_with_an_agency_in_brackets_is_not_the_source(extract):
    # NER tags the place as a person here: the bracketed agency and the dash still end the dateline
    quotes, _ = extract(
        "Port aid pledged\n"
        "Beirut (AFP) – French Transport Minister Claire Dumont on Thursday promised that Paris would fund a new "
        "ferry terminal.\n"
    )
    assert _speakers(quotes) == {"Paris would fund a new ferry terminal": "Claire Dumont"}


def test_according_to_after_an_attributed_quote_names_the_channel_not_the_speaker(extract):
    quotes, _ = extract(
        'Deputy Premier Lin Hao said the meeting had been useful. Both sides should "keep talking rather than '
        'shouting," Lin said, according to a readout published by the Meridian News Agency.'
    )
    assert _speakers(quotes)['Both sides should "keep talking rather than shouting,"'] == "Lin Hao"
    # without a speech verb of its own, the sentence is still the published summary's
    quotes, _ = extract("The ceasefire would hold until Friday, according to the state news agency.")
    assert _speakers(quotes) == {"The ceasefire would hold until Friday": "state news agency"}


def test_a_name_with_its_party_after_of_is_the_source_not_the_party(extract):
    quotes, _ = extract(
        "Deputies criticised the budget. Marek Dvorsky of the opposition Civic bloc told reporters that the "
        "treasury was hiding the deficit."
    )
    assert _speakers(quotes) == {"the treasury was hiding the deficit": "Marek Dvorsky"}


def test_an_unnamed_source_keeps_the_words_that_say_which_one(extract):
    quotes, _ = extract(
        "An official from a Gulf state, who asked not to be named, said the draft was acceptable.\n\n"
        "Tariffs would be cut in stages, according to three people briefed on the negotiations.\n\n"
        "One adviser close to the chancellor said the timing was wrong."
    )
    assert _speakers(quotes) == {
        "the draft was acceptable": "official from a Gulf state",
        "Tariffs would be cut in stages": "three people briefed on the negotiations",
        "the timing was wrong": "adviser close to the chancellor",
    }


def test_the_bare_head_of_an_unnamed_source_goes_back_to_that_source(extract):
    quotes, _ = extract(
        "A Dutch diplomatic source said The Hague had backed the plan. The source, who was not authorised to "
        "speak publicly, said the vote would come in May."
    )
    assert _speakers(quotes) == {
        "The Hague had backed the plan": "Dutch diplomatic source",
        "the vote would come in May": "Dutch diplomatic source",
    }


def test_a_report_of_another_sources_words_is_that_sources_quote(extract):
    quotes, _ = extract(
        "The Spanish Foreign Ministry said in a statement that Albares told Sikora that Madrid would "
        "reopen the consulate."
    )
    assert _speakers(quotes) == {"Madrid would reopen the consulate": "Albares"}


def test_requesting_anonymity_is_not_speech(extract):
    quotes, _ = extract(
        'A Nordic defence minister, who requested anonymity to speak freely, told reporters the plan was "premature."'
    )
    assert list(_speakers(quotes).values()) == ["Nordic defence minister"]
    assert not any("anonymity" in q.text for q in quotes)
