"""Rules added after the seventeenth to twentieth fresh sets' first runs (issue 9), on crafted sentences (names and
wording made up or public figures in made-up sentences, none taken from an evaluation text)."""

from __future__ import annotations

from tests.nlp.helpers import speakers_of


def test_a_given_name_ner_left_out_is_part_of_the_name(extract):
    quotes, _ = extract(
        "Enver Solomon, chief executive of the Refugee Council, said the new rules ignored why people travel."
    )
    assert speakers_of(quotes) == {"the new rules ignored why people travel": "Enver Solomon"}


def test_a_hyphenated_name_after_a_title_and_a_place_names_the_subject(extract):
    quotes, _ = extract(
        "Sen. Maria Cantwell said in a statement that the tariffs were hurting exporters.\n\n"
        "Canada's consul general in Seattle, Marie-Claude Tremblay, said Ottawa welcomed the cooperation. "
        '"Provinces and states do a lot of the quiet work," she said.'
    )
    assert speakers_of(quotes) == {
        "the tariffs were hurting exporters": "Maria Cantwell",
        "Ottawa welcomed the cooperation": "Marie-Claude Tremblay",
        "Provinces and states do a lot of the quiet work": "Marie-Claude Tremblay",
    }


def test_a_department_spokesperson_takes_the_name_of_the_department_named_before(extract):
    quotes, _ = extract(
        "In Washington, the State Department announced $40 million for the mission. A department spokesperson "
        'said the United States would "keep leading" the effort.\n\n'
        "Haitian officials welcomed the money.\n\n"
        "The spokesperson said the force would be able to make arrests."
    )
    assert speakers_of(quotes) == {
        'the United States would "keep leading" the effort': "State Department spokesperson",
        "the force would be able to make arrests": "State Department spokesperson",
    }


def test_the_source_is_the_unnamed_source_the_sentence_before_was_about(extract):
    quotes, _ = extract(
        "A senior Whitehall source was more blunt about the steel talks. "
        '"Nobody expected a breakthrough," the source said.\n\n'
        'Privately, one senior EU diplomat was less diplomatic. "London wants the benefits," the diplomat said.'
    )
    assert speakers_of(quotes) == {
        "Nobody expected a breakthrough": "senior Whitehall source",
        "London wants the benefits": "senior EU diplomat",
    }


def test_one_mp_is_an_unnamed_source_and_the_mp_goes_back_to_them(extract):
    quotes, _ = extract(
        "One Labour MP, who asked not to be named, told reporters that colleagues were losing patience. "
        '"People here care about jobs," the MP said.'
    )
    assert speakers_of(quotes) == {
        "colleagues were losing patience": "Labour MP",
        "People here care about jobs": "Labour MP",
    }


def test_a_name_before_a_who_clause_the_parser_lost_is_the_subject(extract):
    quotes, _ = extract(
        "Sen. Chris Coons, who co-chairs the Senate Africa caucus and is stepping down when his term ends next "
        "year, said the deal needed a vote."
    )
    assert speakers_of(quotes) == {"the deal needed a vote": "Chris Coons"}


def test_a_quotation_split_around_its_attribution_gives_both_halves(extract):
    quotes, _ = extract('"That is simply false," Landau said, "and I think you owe them more respect."')
    assert speakers_of(quotes) == {
        "That is simply false": "Landau",
        "and I think you owe them more respect": "Landau",
    }


def test_a_body_named_after_a_person_does_not_take_the_persons_name_as_an_alias(extract):
    _, speakers = extract(
        "Days later, the Trump administration signaled it would not extend the trade agreement without "
        "concessions.\n\nPresident Donald Trump said Canada should pay more."
    )
    body = next(s for s in speakers if s.name == "Trump administration")
    assert "Trump" not in body.aliases


def test_a_sentence_inside_the_quotation_is_not_the_subject_a_description_goes_back_to(extract):
    quotes, _ = extract(
        '"Our stance has not changed. The plan agreed in Lima is clear: first a ceasefire, then talks," the '
        "minister said."
    )
    assert list(speakers_of(quotes).values()) == [None]  # not "Our stance"


def test_a_portfolio_after_of_belongs_to_the_title_not_to_the_name():
    from apps.nlp.names import speaker_name_parts

    assert speaker_name_parts("Kenya's Minister of Information Amina Odhiambo") == (
        "Amina Odhiambo",
        "Kenya's Minister of Information",
    )
    assert speaker_name_parts("Minister of Tourism Joan Baptiste")[0] == "Joan Baptiste"


def test_the_capitalised_office_in_a_committee_report_is_its_one_holder_however_far_back(extract):
    paragraphs = [
        "The Minister of Foreign Affairs, Mr Ronald Lamola, told the Committee that the country would not beg.",
        *[f"Member {n} asked about the budget for the {n}th time." for n in range(4, 12)],
        "The Minister replied that a new ambassador would be named soon.",
    ]
    quotes, _ = extract("\n\n".join(paragraphs))
    assert speakers_of(quotes)["a new ambassador would be named soon"] == "Ronald Lamola"


def test_a_demonym_ner_tagged_as_a_person_does_not_split_a_coordinated_title(extract):
    quotes, _ = extract(
        "Kazakh Deputy Prime Minister and Foreign Minister Yermek Kosherbayev said cargo volumes had grown."
    )
    assert speakers_of(quotes) == {"cargo volumes had grown": "Yermek Kosherbayev"}


def test_a_second_speech_verb_parsed_as_the_first_ones_complement_keeps_the_subject(extract):
    quotes, _ = extract(
        'Maritime law expert Dr Azlan Rashid said the agreement was a "pragmatic step" but cautioned that the '
        "details would decide its success."
    )
    assert speakers_of(quotes)["the details would decide its success"] == "Azlan Rashid"
