"""Rules added after the first runs of fresh51-fresh54 (issue 9, session 10), on crafted sentences (names and
wording made up or public figures in made-up sentences, none taken from an evaluation text)."""

from __future__ import annotations

from apps.nlp.names import same_speaker
from apps.nlp.speakers import SpeakerMention, SpeakerRegistry
from tests.nlp.helpers import speakers_of


def test_an_honorific_label_the_tagger_took_for_a_place_still_opens_a_turn(extract):
    quotes, _ = extract(
        "Department Press Briefing\n\n"
        "Ana Vidal, Department Spokesperson\n\n"
        "MS. VIDAL: Good afternoon. I have one thing at the top.\n\n"
        "QUESTION: Is there a date for the visit?\n\n"
        "MS. VIDAL: Not yet. We will announce it when we can.\n\n"
        "QUESTION: And the sanctions?\n\n"
        "MS. VIDAL: We are not going to preview them today."
    )
    found = speakers_of(quotes)
    first = found["Good afternoon. I have one thing at the top"]
    assert first is not None and "Vidal" in first
    assert found["Not yet. We will announce it when we can"] == first
    assert found["We are not going to preview them today"] == first
    assert not any(q.text.startswith("MS. VIDAL") for q in quotes)


def test_a_report_inside_a_question_that_names_no_asker_is_the_reported_sources(extract):
    quotes, _ = extract(
        "MR. HALE: Good afternoon, everyone.\n\n"
        "QUESTION: The Ruritanian foreign ministry said today that the drills were a provocation. Your reaction?\n\n"
        "MR. HALE: We have seen those remarks. The drills are routine.\n\n"
        "QUESTION: Thank you.\n\n"
        "MR. HALE: Thanks, everybody."
    )
    found = speakers_of(quotes)
    assert found["the drills were a provocation"] == "Ruritanian foreign ministry"
    assert found["We have seen those remarks. The drills are routine"] == "Hale"


def test_a_title_of_a_body_then_a_name_is_that_person(extract):
    quotes, speakers = extract(
        "President of Ukraine Volodymyr Zelensky, speaking in Davos, said the guarantees were almost ready.\n\n"
        "Secretary of the National Security and Defense Council Rustem Umerov told journalists that the next "
        "round was planned for February."
    )
    assert speakers_of(quotes) == {
        "the guarantees were almost ready": "Volodymyr Zelensky",
        "the next round was planned for February": "Rustem Umerov",
    }
    roles = {s.name: s.role for s in speakers}
    assert roles["Rustem Umerov"] == "Secretary of the National Security and Defense Council"


def test_a_family_name_alone_is_the_person_last_named_in_full_with_it(extract):
    quotes, _ = extract(
        "Minister of Foreign Affairs Lin Chia-lung met the leaders of three Pacific allies on Tuesday.\n\n"
        '"We are here to listen," Lin said.\n\n'
        "In Beijing, foreign ministry spokesman Lin Jian said China firmly opposed the meeting.\n\n"
        "Lin Jian urged the forum not to provide a platform for separatists."
    )
    assert speakers_of(quotes) == {
        "We are here to listen": "Lin Chia-lung",
        "China firmly opposed the meeting": "Lin Jian",
        "the forum not to provide a platform for separatists": "Lin Jian",
    }


def test_an_official_travelling_with_a_minister_is_not_the_minister(extract):
    quotes, _ = extract(
        "Foreign Minister Mara Kessler arrived in Suva on Monday.\n\n"
        "A senior official travelling with Kessler, who spoke on condition of anonymity, said the talks had "
        "been frank.\n\n"
        "The official said a deal was unlikely this year."
    )
    assert set(speakers_of(quotes).values()) == {"senior official"}


def test_an_unclosed_bracket_is_cut_from_a_name():
    registry = SpeakerRegistry()
    mid = registry.add(
        SpeakerMention(
            surface="Department of Ports and Harbours (DPH",
            name="Department of Ports and Harbours (DPH",
            role="",
            kind="organisation",
            position=0,
        )
    )
    assert registry.name_of(mid) == "Department of Ports and Harbours"


def test_the_words_of_a_shorter_name_keep_their_order_in_a_longer_one():
    assert not same_speaker("Omar Hassan", "Abdullahi Hassan Omar")  # a given name and a father's name swapped
    assert same_speaker("Omar Hassan", "Haji Omar Ali Hassan")
    assert same_speaker("Motegi Toshimitsu", "Toshimitsu Motegi")  # two words may swap (family name first)
    assert same_speaker("Ralhan SC", "S C Ralhan")  # initials go either side


# after the first run of fresh56


def test_a_known_given_name_before_a_name_tagged_as_a_body_makes_a_person(extract):
    quotes, speakers = extract(
        "Military analyst Boris Melnikov told reporters that the exchanges showed the channels still worked.\n\n"
        '"Nobody should expect miracles," Melnikov said.'
    )
    assert set(speakers_of(quotes).values()) == {"Boris Melnikov"}
    assert [s.role for s in speakers] == ["Military analyst"]


def test_a_portfolio_with_and_before_the_name_is_one_title(extract):
    quotes, _ = extract(
        "Georgia's Minister of Economy and Sustainable Development Maria Lopez told journalists that the study "
        "had been completed."
    )
    assert speakers_of(quotes) == {"the study had been completed": "Maria Lopez"}


def test_two_titled_people_before_one_verb_are_a_joint_source(extract):
    quotes, speakers = extract(
        "President Lee Jae-myung and Prime Minister Anthony Albanese said they would meet again in May.\n\n"
        "Foreign Minister Ana Ruiz and Interior Minister Tom Reyes said the border would reopen.\n\n"
        "Minister for Europe and Foreign Affairs Clara Vidal said the talks would go on."
    )
    assert speakers_of(quotes) == {
        "they would meet again in May": "Lee Jae-myung and Anthony Albanese",
        "the border would reopen": "Ana Ruiz and Tom Reyes",
        "the talks would go on": "Clara Vidal",
    }
    assert {s.kind for s in speakers if " and " in s.name} == {"group"}


# after the first runs of fresh55, fresh57 and fresh58


def test_a_hyphenated_title_is_one_description_of_the_person_named_with_it(extract):
    quotes, _ = extract(
        "Kyle met Chinese vice-premier He Lifeng in Beijing for a session of the commission.\n\n"
        "The vice-premier told Kyle that China hoped the UK would provide a fair environment."
    )
    assert speakers_of(quotes) == {"China hoped the UK would provide a fair environment": "He Lifeng"}


def test_a_capital_he_after_a_quotation_is_the_family_name_of_a_titled_he(extract):
    quotes, _ = extract(
        "Vice-Premier He Lifeng and the European trade commissioner co-chaired the dialogue on Monday.\n\n"
        '"China is willing to work with the EU to handle frictions through dialogue," He said.\n\n'
        "Premier Li Qiang met the delegation later.\n\n"
        '"We want balanced trade," he said.'
    )
    found = speakers_of(quotes)
    assert found["China is willing to work with the EU to handle frictions through dialogue"] == "He Lifeng"
    assert found["We want balanced trade"] == "Li Qiang"  # a lower-case "he" is the pronoun


def test_a_name_before_a_description_set_off_by_commas_is_the_subject_the_parser_lost(extract):
    quotes, _ = extract(
        "At the opening of the session on Monday, Simon Stiell, executive secretary of the United Nations "
        'Framework Convention on Climate Change, warned that adaptation could not remain "the poor relation" '
        "and urged countries to arrive with numbers."
    )
    assert set(speakers_of(quotes).values()) == {"Simon Stiell"}
    assert len(quotes) == 2


def test_a_spokesperson_after_a_bodys_acronym_in_brackets_is_the_named_person(extract):
    quotes, speakers = extract(
        "Addressing the weekly briefing, Foreign Office (FO) spokesperson Tahir Andrabi said the treaty had no "
        "provision for suspension.\n\n"
        '"Water is a matter of life," he said.'
    )
    assert set(speakers_of(quotes).values()) == {"Tahir Andrabi"}
    assert [s.name for s in speakers] == ["Tahir Andrabi"]  # not the Foreign Office


def test_a_name_the_parser_cut_inside_its_entity_is_the_whole_entity(extract):
    quotes, _ = extract(
        "Speaking in Manila on Monday, the regime's Foreign Minister U Than Swe told his counterparts that "
        'Myanmar had "fulfilled its commitments" under the consensus.'
    )
    assert set(speakers_of(quotes).values()) == {"U Than Swe"}


def test_a_lone_initial_or_honorific_is_never_a_corpus_speaker():
    from apps.nlp.names import is_corpus_speaker

    assert not is_corpus_speaker("U", "person")
    assert not is_corpus_speaker("Ana Ruiz and Tom Reyes", "group")
    assert is_corpus_speaker("U Than Swe", "person")
