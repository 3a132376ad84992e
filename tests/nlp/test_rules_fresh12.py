"""Rules added after the twelfth and thirteenth fresh sets' first runs (issue 9), on crafted sentences (names and
wording made up or public figures in made-up sentences, none taken from an evaluation text)."""

from __future__ import annotations

from tests.nlp.helpers import speakers_of


def test_a_long_title_with_its_country_gives_the_nationality_a_description_names(extract):
    quotes, _ = extract(
        "Minister for Foreign Affairs of Germany Annalena Baerbock met her Slovak counterpart in Berlin.\n"
        "Slovakia said it wanted closer ties.\n"
        '"Europe must stay united," the German minister said.'
    )
    assert speakers_of(quotes)["Europe must stay united"] == "Annalena Baerbock"


def test_a_country_tagged_with_a_full_name_is_not_part_of_it(extract):
    from apps.nlp.names import speaker_name_parts

    assert speaker_name_parts("Armenia Ararat Mirzoyan") == ("Ararat Mirzoyan", "Armenia")
    assert speaker_name_parts("Japan Tourism Agency") == ("Japan Tourism Agency", "")


def test_a_report_whose_inner_subject_cannot_speak_is_not_relayed(extract):
    quotes, _ = extract(
        "Navy chief Adm. Karl Berg told reporters that the pattern of the flights suggested Moscow was testing "
        "the alliance."
    )
    assert speakers_of(quotes) == {"the pattern of the flights suggested Moscow was testing the alliance": "Karl Berg"}


def test_one_of_any_unnamed_person_drops_its_one(extract):
    quotes, _ = extract(
        "One Nordic ambassador said the talks had gone badly.\n\n"
        "A senior member of the ruling party said the cabinet would meet again."
    )
    assert speakers_of(quotes) == {
        "the talks had gone badly": "Nordic ambassador",
        "the cabinet would meet again": "senior member of the ruling party",
    }


def test_military_grades_without_a_full_stop_are_titles(extract):
    quotes, _ = extract("Army spokeswoman Lt Gen Sara Lind said the mines were new.")
    assert speakers_of(quotes) == {"the mines were new": "Sara Lind"}
