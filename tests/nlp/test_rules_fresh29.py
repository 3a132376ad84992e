"""Rules added after the first runs of fresh29-fresh32 (issue 9, session 9), on crafted sentences (names and
wording made up or public figures in made-up sentences, none taken from an evaluation text)."""

from __future__ import annotations

from apps.nlp.names import same_speaker
from apps.nlp.names import speaker_name_parts as name_parts
from apps.nlp.speakers import SpeakerMention, SpeakerRegistry
from tests.nlp.helpers import speakers_of


def test_coordinated_titles_before_an_appositive_name_are_one_person(extract):
    quotes, speakers = extract(
        "Greece is ready to help with the elections, said the Deputy Prime Minister and Minister of Foreign "
        "Affairs, Nikos Andreou, during a visit to Cairo."
    )
    assert speakers_of(quotes) == {"Greece is ready to help with the elections": "Nikos Andreou"}
    assert speakers[0].role == "Deputy Prime Minister and Minister of Foreign Affairs"


def test_the_head_of_state_is_the_president_just_named_not_the_last_quoted_premier(extract):
    quotes, _ = extract(
        "Prime Minister Ilona Varga said the two governments would build a bridge.\n\n"
        "The same day, President Tomas Berg met the prime minister. The head of state said the two countries "
        "should protect their grids together."
    )
    assert speakers_of(quotes) == {
        "the two governments would build a bridge": "Ilona Varga",
        "the two countries should protect their grids together": "Tomas Berg",
    }


def test_the_head_of_government_is_not_a_president(extract):
    quotes, _ = extract(
        "Chancellor Greta Lind said Berlin backed the plan.\n\n"
        "President Arno Falk said he would sign the law.\n\n"
        "The head of government said the cabinet would meet on Monday."
    )
    assert speakers_of(quotes)["the cabinet would meet on Monday"] == "Greta Lind"


def test_a_family_name_tagged_as_a_plural_noun_is_one_person(extract):
    quotes, _ = extract(
        "Foreign Minister Sean Sobers said the region could not afford division.\n\n"
        "Trade Minister Kamina Johnson Smith said the meeting was a chance to reset.\n\n"
        "Sobers told reporters that relations with regional partners were strong.\n\n"
        "He said the prime minister had spoken to several leaders."
    )
    assert speakers_of(quotes)["the prime minister had spoken to several leaders"] == "Sean Sobers"


def test_he_goes_back_to_a_name_ner_took_for_a_body_in_the_same_paragraph(extract):
    quotes, _ = extract(
        "Ministry spokesperson Randhir Jaiswal said the talks would take place in Beijing.\n\n"
        "Chinese spokesperson Guo Jiakun said China was ready to work with India.\n\n"
        'Jaiswal also rejected remarks made by another ministry. "We have seen the remarks. They are baseless," '
        "he said."
    )
    speakers = speakers_of(quotes)
    assert speakers["We have seen the remarks. They are baseless"] in ("Jaiswal", "Randhir Jaiswal")


def test_a_lead_description_is_the_person_the_next_paragraph_names_despite_a_headline_quote(extract):
    quotes, _ = extract(
        "Karimi: Tehran will not talk under pressure\n\n"
        "Monday, 23 November 2026 1:32 PM\n\n"
        "Iran's Foreign Ministry spokesman says the Islamic Republic will not return to talks under threats.\n\n"
        "Reza Karimi made the remarks at his weekly press conference in Tehran on Monday.\n\n"
        '"Diplomacy cannot be conducted at gunpoint," Karimi said.'
    )
    assert set(speakers_of(quotes).values()) == {"Reza Karimi"}


def test_a_name_ner_labels_a_place_whole_keeps_every_word(extract):
    quotes, speakers = extract(
        "Lao Foreign Minister Thongsavanh met Vietnamese Minister of Foreign Affairs Le Hoai Trung in Vientiane.\n\n"
        "Mr Le Hoai Trung said Vietnam attached great importance to its friendship with Laos.\n\n"
        '"Your success is our success," Mr Trung told reporters.\n\n'
        "Mr Trung is also due to meet the prime minister, and Mr Trung will visit a school."
    )
    assert set(speakers_of(quotes).values()) == {"Le Hoai Trung"}


def test_a_style_as_subject_is_the_person_introduced_with_it(extract):
    quotes, speakers = extract(
        "The forum was opened by His Royal Highness Prince Faisal bin Khalid Al Mansour, the Crown Prince, in "
        "a keynote address.\n\n"
        "His Royal Highness said the region's security rested on partnerships.\n\n"
        "Foreign Minister Dr Omar Nasser said the kingdom would host the next round."
    )
    assert speakers_of(quotes) == {
        "the region's security rested on partnerships": "Faisal bin Khalid Al Mansour",
        "the kingdom would host the next round": "Omar Nasser",
    }
    assert "Highness" not in {s.name for s in speakers}


def test_a_style_with_no_named_holder_goes_back_like_he(extract):
    quotes, speakers = extract(
        "Queen Margrethe Larsen received the foreign minister at the palace.\n\n"
        "Her Majesty said the two countries shared a long friendship."
    )
    assert speakers_of(quotes) == {"the two countries shared a long friendship": "Margrethe Larsen"}
    assert "Majesty" not in {s.name for s in speakers}


def test_a_title_number_and_the_honorifics_after_it_are_no_part_of_the_name(extract):
    quotes, _ = extract(
        "Minister of Finance and Economy II Dato Seri Setia Dr Awang Rahim bin Osman told the newspaper that the "
        "agreements would open opportunities.\n\n"
        "Professor Park Ji-won said the leaders had kept history out of the talks."
    )
    assert speakers_of(quotes) == {
        "the agreements would open opportunities": "Awang Rahim bin Osman",
        "the leaders had kept history out of the talks": "Park Ji-won",
    }


def test_a_family_name_read_apart_joins_the_one_person_named_in_full():
    registry = SpeakerRegistry()
    full = registry.add(SpeakerMention("Reza Karimi", "Reza Karimi", "", "person", 0))
    alone = registry.add(SpeakerMention("Karimi", "Karimi", "", "organisation", 50))  # NER: ORG
    registry.set_kind(alone, "person")  # "He said" went back to it
    registry.merge_split_people()
    assert registry.name_of(alone) == registry.name_of(full) == "Reza Karimi"
    assert [s.name for s in registry.speakers()] == ["Reza Karimi"]


# ---- after fresh33-fresh36's first runs ----


def test_a_one_word_speaker_takes_the_full_name_ner_left_untagged_after_a_title(extract):
    quotes, speakers = extract(
        "Ministers met in Delhi. Goyal also held talks with Canada's Minister of International Trade Maninder "
        "Sidhu.\n\n"
        'Mr. Sidhu told The Hindu that Canadian pension funds were "keen to do more" in India.'
    )
    assert set(speakers_of(quotes).values()) == {"Maninder Sidhu"}
    assert next(s for s in speakers if s.name == "Maninder Sidhu").role == "Canada's Minister of International Trade"


def test_a_name_ner_tagged_as_a_body_after_an_honorific_is_the_persons_full_name(extract):
    quotes, _ = extract(
        "The Secretary General of the EAC, Ms Veronica Nduva, who attended the meeting, commended the two states.\n\n"
        "Ms Nduva said non-tariff barriers remained the biggest obstacle to trade."
    )
    assert set(speakers_of(quotes).values()) == {"Veronica Nduva"}


def test_a_which_one_phrase_keeps_a_hyphenated_word(extract):
    quotes, _ = extract("A diplomat from one of the troop-contributing countries said patience was running out.")
    assert speakers_of(quotes) == {"patience was running out": "diplomat from one of the troop-contributing countries"}


def test_heads_of_government_are_one_group_named_again_far_below(extract):
    quotes, _ = extract(
        "CARICOM heads of government said the region could no longer absorb the crisis.\n\n"
        "Prime Minister Andrew Holness said Jamaica would send more police.\n\n"
        '"Every week counts," Holness said.\n\n'
        "Barbados Prime Minister Mia Mottley said the region needed a frank conversation.\n\n"
        '"We are friends," Mottley said.\n\n'
        "In their communique, the heads of government said they remained committed to a Haitian-led solution."
    )
    assert speakers_of(quotes)["they remained committed to a Haitian-led solution"] == "CARICOM heads of government"


def test_a_title_in_apposition_after_the_name_fits_a_description_of_it(extract):
    quotes, _ = extract(
        "ABU DHABI (WAM) -- Sheikh Mohamed bin Zayed Al Nahyan, President of the UAE, held talks today with the "
        "visiting Indonesian delegation.\n\n"
        "The UAE President affirmed that relations between the two countries are built on mutual respect."
    )
    assert speakers_of(quotes) == {
        "relations between the two countries are built on mutual respect": "Mohamed bin Zayed Al Nahyan"
    }


def test_a_fathers_name_inside_a_longer_name_is_not_that_person():
    assert not same_speaker("Mohamed bin Zayed Al Nahyan", "Khaled bin Mohamed bin Zayed Al Nahyan")
    assert same_speaker("Mohammed bin Salman", "Mohammed bin Salman bin Abdulaziz Al Saud")
    assert same_speaker("Sheikh Mohamed bin Zayed", "Mohamed bin Zayed Al Nahyan")


def test_a_description_once_resolved_fits_the_same_person_again(extract):
    quotes, _ = extract(
        "President Prabowo Subianto arrived in Abu Dhabi on Tuesday.\n\n"
        "The Indonesian President said the UAE had become a hub for trade.\n\n"
        "Sheikh Mohamed bin Zayed, President of the UAE, said the two countries would sign an investment deal.\n\n"
        "Foreign Minister Sugiono said Jakarta valued the partnership.\n\n"
        "The Indonesian President said his country supported efforts to end the war in Gaza."
    )
    assert speakers_of(quotes)["his country supported efforts to end the war in Gaza"] == "Prabowo Subianto"


def test_a_spokesperson_description_is_not_the_minister_named_just_before(extract):
    quotes, _ = extract(
        "Defence Secretary John Healey, who also attended, said British troops would not be deployed to the "
        "front line.\n\n"
        "Asked about a vote, the Prime Minister's official spokesman said the Government would come to "
        "Parliament first."
    )
    assert speakers_of(quotes)["the Government would come to Parliament first"] != "John Healey"


def test_a_transcript_label_may_be_a_title_and_a_name_and_an_answer_runs_over_paragraphs(extract):
    quotes, _ = extract(
        "Talks in restricted format\n\n"
        "President of Austria Anna Berg: Mr President, friends, welcome to our capital.\n\n"
        "Our countries are close partners, and our trade reached a record last year.\n\n"
        "President of Chile Tomas Lind: Thank you for the invitation.\n\n"
        "I would like to stress that we value these relations very highly.\n\n"
        "The talks continued over lunch.\n\n"
        "Anna Berg: We fully agree with this.\n\n"
        "Tomas Lind: Thank you."
    )
    assert speakers_of(quotes) == {
        "Mr President, friends, welcome to our capital": "Anna Berg",
        "Our countries are close partners, and our trade reached a record last year": "Anna Berg",
        "Thank you for the invitation": "Tomas Lind",
        "I would like to stress that we value these relations very highly": "Tomas Lind",
        "We fully agree with this": "Anna Berg",
        "Thank you": "Tomas Lind",
    }


# ---- after fresh37-fresh40's first runs ----


def test_a_dateline_of_a_place_and_a_dash_without_an_agency_is_no_source(extract):
    quotes, _ = extract(
        "Addis Abeba – The Chairperson of the African Union Commission, Mahmoud Ali Youssouf, has called on "
        "Ethiopia and Eritrea to exercise maximum restraint."
    )
    assert speakers_of(quotes) == {"Ethiopia and Eritrea to exercise maximum restraint": "Mahmoud Ali Youssouf"}


def test_a_name_before_a_description_set_off_by_commas_is_the_source(extract):
    quotes, _ = extract(
        "Israel has rejected the criticism. Cogat, the Israeli military body that oversees aid to Gaza, said in a "
        "statement that more trucks had entered the territory."
    )
    assert list(speakers_of(quotes).values()) == ["Cogat"]


def test_a_particle_name_the_parser_split_is_read_whole(extract):
    quotes, _ = extract(
        "Head of the Presidential Leadership Council Dr. Rashad al-Alimi said the government remained committed "
        "to peace."
    )
    assert list(speakers_of(quotes).values()) == ["Rashad al-Alimi"]


def test_the_country_of_an_envoys_title_is_no_part_of_the_name(extract):
    quotes, speakers = extract(
        "Former ambassador to India Lok Raj Baral said Nepal's case was weakened.\n\n"
        '"We need quiet diplomacy," Baral said.'
    )
    assert set(speakers_of(quotes).values()) == {"Lok Raj Baral"}
    assert name_parts("U.S. Ambassador to Canada Pete Hoekstra") == ("Pete Hoekstra", "U.S. Ambassador to Canada")


def test_which_one_phrases_say_whose_adviser_and_where_based(extract):
    quotes, _ = extract(
        "An adviser to Macron said the decision would remain with the president.\n\n"
        "A senior diplomat based in Addis Abeba said several countries had sent messages.\n\n"
        "An executive at a Japanese trading house in Shanghai said everything takes longer."
    )
    assert set(speakers_of(quotes).values()) == {
        "adviser to Macron",
        "senior diplomat based in Addis Abeba",
        "executive at a Japanese trading house in Shanghai",
    }


def test_a_transcripts_speakers_take_the_full_names_of_the_header_lines(extract):
    quotes, speakers = extract(
        "Press Conference by Foreign Minister MOTEGI Toshimitsu\n\n"
        "Opening Remarks\n\n"
        "Minister Motegi: I will visit Manila next week.\n\n"
        "NHK, Sato: What will you raise there?\n\n"
        "Minister Motegi: Maritime security, above all.\n\n"
        "NHK, Sato: And trade?\n\n"
        "Minister Motegi: That too."
    )
    assert speakers_of(quotes)["I will visit Manila next week"] == "Toshimitsu Motegi"


def test_a_titled_label_in_capitals_is_a_person(extract):
    quotes, speakers = extract(
        "Pentagon Press Secretary Kingsley Wilson and Rear Adm. Daniel Haskell Hold a Press Briefing\n\n"
        "PRESS SECRETARY KINGSLEY WILSON: Good afternoon. Admiral Haskell will start.\n\n"
        "ADM. HASKELL: Thanks, Kingsley. Our forces completed the exercise.\n\n"
        "Q: Was the ship shadowed?\n\n"
        "ADM. HASKELL: It was, at a normal distance.\n\n"
        "PRESS SECRETARY KINGSLEY WILSON: Thank you all."
    )
    assert speakers_of(quotes)["It was, at a normal distance"] == "Daniel Haskell"


def test_a_family_name_with_a_final_e_is_another_family():
    assert not same_speaker("Brown", "Tina Browne")
    assert same_speaker("Zelensky", "Volodymyr Zelenskyy")


def test_the_family_name_alone_goes_to_the_person_spelt_exactly(extract):
    quotes, _ = extract(
        "New Zealand paused funding before Prime Minister Mark Brown signed the agreements.\n\n"
        'Brown, in a statement, said the talks had been "frank and productive".\n\n'
        "Opposition leader Tina Browne said the government had damaged relations."
    )
    assert speakers_of(quotes)['the talks had been "frank and productive"'] == "Mark Brown"


def test_delegates_are_named_as_meetings_coverage_names_them(extract):
    quotes, _ = extract(
        "The representative of the United Kingdom, Council penholder on Libya, said the road map offered a "
        "credible path to elections.\n\n"
        "Libya's representative said his country rejected any attempt to impose solutions from outside."
    )
    assert speakers_of(quotes) == {
        "the road map offered a credible path to elections": "representative of the United Kingdom",
        "his country rejected any attempt to impose solutions from outside": "representative of Libya",
    }


def test_a_capitalised_title_ner_took_for_a_body_is_the_person_the_next_paragraph_names(extract):
    quotes, _ = extract(
        "Libya at Critical Juncture, Special Representative Tells Security Council\n\n"
        "With the rival institutions still unable to agree, the Special Representative of the Secretary-General "
        'for Libya told the Security Council today that the country stood at a "critical juncture".\n\n'
        "Hanna Serwaa Tetteh, who also heads the Mission, said the road map had been presented in February."
    )
    assert set(speakers_of(quotes).values()) == {"Hanna Serwaa Tetteh"}


# ---- after fresh41-fresh44's first runs ----


def test_a_name_ner_took_into_a_bodys_entity_closes_the_title(extract):
    quotes, _ = extract(
        "Head of the Mission of Ukraine to the EU Vsevolod Chentsov told Ukrinform that the ambassadors would "
        "discuss the framework.\n\n"
        "Foreign Minister of Ukraine Andrii Sybiha, commenting on the issue on X, wrote that opening the clusters "
        "would send a strong signal."
    )
    assert set(speakers_of(quotes).values()) == {"Vsevolod Chentsov", "Andrii Sybiha"}


def test_a_country_that_closes_a_title_is_no_part_of_the_name(extract):
    quotes, _ = extract(
        "Minister of Foreign Affairs of the Democratic Republic of the Congo Therese Kayikwamba Wagner said "
        "Kinshasa remains committed to the talks."
    )
    assert list(speakers_of(quotes).values()) == ["Therese Kayikwamba Wagner"]


def test_every_country_has_its_demonyms():
    from apps.nlp.names import COUNTRY_OF

    for adjective, country in (("congolese", "congo"), ("nepali", "nepal"), ("tanzanian", "tanzania")):
        assert country in COUNTRY_OF[adjective]


def test_a_seat_of_government_is_a_body_not_a_person(extract):
    quotes, speakers = extract(
        "Sir Keir Starmer met Xi Jinping in Beijing on Thursday.\n\n"
        "Downing Street said Sir Keir had raised the case of Jimmy Lai.\n\n"
        "Speaking to journalists, the prime minister said he had been very clear about the UK's concerns."
    )
    downing = next(s for s in speakers if s.name == "Downing Street")
    assert downing.kind == "organisation"
    assert speakers_of(quotes)["he had been very clear about the UK's concerns"] != "Downing Street"


def test_a_family_first_name_without_its_given_name_is_no_alias(extract):
    _, speakers = extract(
        "Deputy Foreign Minister Nguyễn Minh Vũ said the two sides had exchanged cooperation documents.\n\n"
        "Deputy Foreign Minister Nguyễn Minh told reporters the visit was a success."
    )
    vu = next(s for s in speakers if s.name == "Nguyễn Minh Vũ")
    assert not any(a.endswith("Nguyễn Minh") for a in vu.aliases)


def test_junior_written_jr_or_jnr_is_one_name():
    assert same_speaker("Ferdinand Marcos Jnr", "Ferdinand R. Marcos Jr.")
    assert not same_speaker("Ferdinand Marcos Jnr", "Ferdinand Marcos Sr.")


# ---- after fresh45-fresh48 (the last round's first run) ----


def test_a_name_after_a_titles_remit_country_is_the_person(extract):
    quotes, _ = extract(
        "US Ambassador to India Sergio Gor, who met the external affairs minister earlier in the week, said the "
        "relationship had never been stronger."
    )
    assert list(speakers_of(quotes).values()) == ["Sergio Gor"]


def test_a_datelines_agency_in_brackets_is_no_part_of_a_name():
    assert name_parts("Nov 13 (PTI) India")[0] == "India"
    assert name_parts("President Ana Ruiz")[0] == "Ana Ruiz"
