"""Rules added after the fifteenth and sixteenth fresh sets' first runs (issue 9), on crafted sentences (names and
wording made up or public figures in made-up sentences, none taken from an evaluation text)."""

from __future__ import annotations

from apps.nlp.names import speaker_name_parts
from tests.nlp.helpers import speakers_of


def test_a_described_minister_is_the_one_whose_nationality_fits_not_the_last_subject(extract):
    quotes, _ = extract(
        "Polish Foreign Minister Jan Nowak said the two countries would coordinate at the OSCE after talks with "
        "Czech Foreign Minister Petr Dvorak.\n\n"
        "Nowak said Warsaw valued the partnership.\n\n"
        'For his part, Dvorak thanked Poland for its help. "Prague does not forget its friends," the Czech '
        "minister said."
    )
    assert speakers_of(quotes)["Prague does not forget its friends"] == "Petr Dvorak"


def test_a_name_with_a_hyphenated_particle_is_a_name_after_its_title():
    assert speaker_name_parts("his Iraqi counterpart Karim al-Husseini") == (
        "Karim al-Husseini",
        "his Iraqi counterpart",
    )
    assert speaker_name_parts("Egyptian President Omar el-Masri") == ("Omar el-Masri", "Egyptian President")


def test_a_counterpart_with_a_particle_name_is_found_by_the_nationality(extract):
    quotes, _ = extract(
        "Jordanian Foreign Minister Sami Haddad on Monday hosted his Iraqi counterpart Karim al-Husseini in Amman.\n\n"
        "Haddad said the talks were useful.\n\n"
        "The Iraqi minister said Baghdad wanted to reopen the border crossing."
    )
    assert speakers_of(quotes)["Baghdad wanted to reopen the border crossing"] == "Karim al-Husseini"


def test_his_excellency_in_capitals_is_an_honorific_but_he_is_not_a_name():
    assert speaker_name_parts("Minister of State HE Dr Khalid al-Mansouri") == (
        "Khalid al-Mansouri",
        "Minister of State",
    )
    assert speaker_name_parts("H.E. Khalid al-Mansouri")[0] == "Khalid al-Mansouri"


def test_a_long_title_over_a_country_tagged_with_the_name_gives_the_modifiers_a_description_uses(extract):
    quotes, _ = extract(
        "Minister of Foreign Affairs of Armenia Ararat Mirzoyan met Minister of Foreign Affairs of Greece "
        "George Gerapetritis in Yerevan.\n\n"
        "Minister Mirzoyan briefed his Greek counterpart on the border talks.\n\n"
        'Mirzoyan said that peace was "within reach".\n\n'
        '"Our task is to make this peace last," the Armenian Foreign Minister said.'
    )
    assert speakers_of(quotes)["Our task is to make this peace last"] == "Ararat Mirzoyan"


def test_an_unnamed_trader_or_farmer_keeps_the_words_that_say_which_one(extract):
    quotes, _ = extract(
        "A trader in the border town of Kassala, who asked not to be named, told reporters that prices had "
        "doubled.\n\n"
        "A farmer from the Nile valley said the rains had come late."
    )
    assert speakers_of(quotes) == {
        "prices had doubled": "trader in the border town of Kassala",
        "the rains had come late": "farmer from the Nile valley",
    }
