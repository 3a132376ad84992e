"""Rules added after the eleventh fresh set's first run (issue 9), on crafted sentences (names and wording made up
or public figures in made-up sentences, none taken from an evaluation text)."""

from __future__ import annotations

from tests.nlp.helpers import speakers_of


def test_a_coordination_inside_one_title_ending_in_a_name_is_that_person(extract):
    quotes, _ = extract(
        "Deputy Prime Minister and Minister of Interior Sok Vanna said the checkpoints would reopen.\n"
        "Trade, Tourism and Culture Minister Anna Kovac told parliament that visitor numbers had doubled."
    )
    assert speakers_of(quotes) == {
        "the checkpoints would reopen": "Sok Vanna",
        "visitor numbers had doubled": "Anna Kovac",
    }


def test_two_titled_people_coordinated_stay_two(extract):
    quotes, _ = extract(
        "Prime Minister Mark Carney and Mexican President Claudia Sheinbaum agreed to meet again in June.\n"
        '"We are partners," the prime minister said.'
    )
    assert speakers_of(quotes) == {"We are partners": "Mark Carney"}


def test_a_colon_dateline_is_neither_a_speaker_nor_a_subject(extract):
    quotes, _ = extract(
        "PUTRAJAYA: Malaysia will host the next round of talks in March, says Defence Minister Datuk Seri "
        "Khaled Nordin."
    )
    assert speakers_of(quotes) == {"Malaysia will host the next round of talks in March": "Khaled Nordin"}


def test_a_second_title_coordinated_before_an_appositive_name(extract):
    quotes, _ = extract(
        "Leader of the ECOWAS delegation and Ghanaian Foreign Minister, Samuel Ablakwa, said the bloc was ready to talk.\n"
        "Head of the Nigerien delegation and Foreign Minister, Amina Diallo, said the talks would go on."
    )
    assert speakers_of(quotes) == {
        "the bloc was ready to talk": "Samuel Ablakwa",
        "the talks would go on": "Amina Diallo",
    }


def test_a_spokesperson_whose_remit_ends_in_a_titled_name(extract):
    quotes, _ = extract(
        "Navy spokesperson for the Northern Command Captain Rosa Mendez said the patrol boat had been hit.\n"
        '"Nobody was hurt," Mendez said.'
    )
    assert set(speakers_of(quotes).values()) == {"Rosa Mendez"}


def test_a_name_tagged_with_its_title_becomes_canonical_without_it(extract):
    quotes, speakers = extract(
        "Saudi Foreign Minister Prince Faisal bin Farhan met his Indian counterpart on Monday.\n"
        "Prince Faisal said the kingdom valued the partnership."
    )
    assert [s.name for s in speakers] == ["Faisal bin Farhan"]
    assert speakers_of(quotes) == {"the kingdom valued the partnership": "Faisal bin Farhan"}
