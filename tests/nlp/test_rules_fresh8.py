"""Rules added after the eighth fresh set's first run (issue 9), on crafted sentences (names and wording made up or
public figures in made-up sentences, none taken from an evaluation text)."""

from __future__ import annotations


def test_a_title_case_headline_gives_no_fuller_name(extract):
    quotes, speakers = extract(
        "Merz, Tusk Agree to Expand Border Cooperation Amid Migration Row\n"
        "WARSAW — Polish Prime Minister Donald Tusk met the chancellor on Friday. Tusk said he hoped the checks "
        "would end soon.\n"
    )
    assert [q.speaker for q in quotes] == ["Donald Tusk"]
    assert [s.name for s in speakers] == ["Donald Tusk"]


def test_a_group_of_unnamed_sources_keeps_its_count_and_a_single_one_does_not(extract):
    quotes, _ = extract(
        "The envoy met the minister last week, according to two sources familiar with the meeting.\n\n"
        "One official close to the talks said the date was not fixed."
    )
    assert {q.text: q.speaker for q in quotes} == {
        "The envoy met the minister last week": "two sources familiar with the meeting",
        "the date was not fixed": "official close to the talks",
    }
