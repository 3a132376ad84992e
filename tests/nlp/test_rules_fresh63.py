"""Rules added in session 11 (issue 9), after the first runs of fresh59-fresh64, on crafted sentences (names and
wording made up, or public figures in made-up sentences, none taken from an evaluation text)."""

from __future__ import annotations

from tests.nlp.helpers import speakers_of


def test_a_description_with_a_nationality_is_the_titled_person_named_just_before(extract):
    quotes, _ = extract(
        "Austria, for its part, will not hear of it. Chancellor Lena Gruber restated her opposition to any new joint "
        'bonds for defence. "We will not sign a blank cheque. Let us first use the money that is already on the '
        'table," the Austrian chancellor said on her arrival on Thursday.'
    )
    assert speakers_of(quotes)[
        "We will not sign a blank cheque. Let us first use the money that is already on the table"
    ] == ("Lena Gruber")


def test_a_nationality_written_before_another_persons_name_still_rules_that_person_out(extract):
    quotes, _ = extract(
        "Austrian Foreign Minister Karl Maier met Chancellor Lena Gruber of Germany in Vienna. "
        '"We will not sign a blank cheque," the Austrian chancellor said on Thursday.'
    )
    assert speakers_of(quotes)["We will not sign a blank cheque"] != "Lena Gruber"


def test_the_unnamed_sources_of_a_nationality_are_not_a_named_person_whose_title_states_none(extract):
    quotes, _ = extract(
        'A senior Ruritanian official said the talks would "take time".\n\n'
        "Agency Director General Paulo Serra told reporters last month that inspectors needed access.\n\n"
        "The first round ended without a statement.\n\n"
        "The senior Ruritanian official said a date would be set by Friday."
    )
    assert speakers_of(quotes)["a date would be set by Friday"] != "Paulo Serra"


def test_a_label_of_a_name_and_an_office_after_a_comma_opens_a_turn(extract):
    quotes, _ = extract(
        "Transcript of the Weekly Briefing by the Spokesperson\n\n"
        "Ana Ruiz, Official Spokesperson: Good afternoon. I have one announcement today.\n\n"
        "Ben Ode, Radio Nord: Is there a date for the visit?\n\n"
        "Ana Ruiz, Official Spokesperson: Not yet. We will announce it when we can.\n\n"
        "Radio Sud, Tanaka: And the talks with the neighbours?\n\n"
        "Ana Ruiz, Official Spokesperson: They go on next week."
    )
    found = speakers_of(quotes)
    assert found["Good afternoon. I have one announcement today"] == "Ana Ruiz"
    assert found["Not yet. We will announce it when we can"] == "Ana Ruiz"
    assert found["Is there a date for the visit?"] == "Ben Ode"


def test_an_unlabelled_paragraph_between_two_turns_continues_the_first(extract):
    quotes, _ = extract(
        "MS. VIDAL: Good afternoon, everybody. A quick update on the talks first.\n\n"
        "The delegation arrived in Geneva this morning and will meet its counterparts on Thursday.\n\n"
        "Q    Will the minister attend?\n\n"
        "MS. VIDAL: Not this week.\n\n"
        "Q    And after that?\n\n"
        "MS. VIDAL: We will see.\n\n"
        "The briefing ended at 2:05 p.m."
    )
    found = speakers_of(quotes)
    assert (
        found["The delegation arrived in Geneva this morning and will meet its counterparts on Thursday"]
        == (found["Good afternoon, everybody. A quick update on the talks first"])
    )
    assert "Vidal" in found["Not this week"]
    assert found["Will the minister attend?"] is None  # a bare question label names no one
    assert not any(q.text.startswith("The briefing ended") for q in quotes)  # after the last turn: the page's prose


def test_a_title_the_name_reader_cannot_split_still_labels_the_person_at_its_end(extract):
    quotes, _ = extract(
        "Beginning of the talks\n\n"
        "President of Ruritania Ivan Petrov: Mr President, dear friend, welcome to our capital.\n\n"
        "President of the United Arab Emirates Mohamed bin Zayed Al Nahyan (retranslated): Thank you for the "
        "welcome.\n\n"
        "Ivan Petrov: Let us continue our conversation."
    )
    found = speakers_of(quotes)
    assert found["Thank you for the welcome"] == "Mohamed bin Zayed Al Nahyan"
    assert found["Let us continue our conversation"] == "Ivan Petrov"


def test_a_parliamentary_label_on_a_line_of_its_own_labels_the_members_words(extract):
    quotes, _ = extract(
        "Trade Talks\nVolume 701: debated on Tuesday 3 March 2026\n\n"
        "12.34 pm\n\n"
        "The Secretary of State for Business and Trade (Tom Reyes)\n"
        "With permission, I will make a statement on the talks.\n\n"
        "We have made progress. I commend this statement to the House.\n\n"
        "12.41 pm\n\n"
        "Ana Ruiz (Northfield) (Lab)\n"
        "I thank the Secretary of State. When will the text be published?\n\n"
        "Tom Reyes\n"
        "The text will be published next week."
    )
    found = speakers_of(quotes)
    assert found["With permission, I will make a statement on the talks"] == "Tom Reyes"
    assert found["We have made progress. I commend this statement to the House"] == "Tom Reyes"
    assert found["I thank the Secretary of State. When will the text be published?"] == "Ana Ruiz"
    assert found["The text will be published next week"] == "Tom Reyes"


def test_a_name_alone_on_a_line_before_a_caption_is_not_a_turn(extract):
    quotes, _ = extract(
        "Talks resume in Geneva\n\n"
        "Ana Ruiz (Reuters)\n"
        "Ministers met in Geneva on Tuesday to resume the talks.\n\n"
        'Ruiz said the talks were "constructive".'
    )
    assert not any(q.text.startswith("Ministers met") for q in quotes)


def test_a_given_name_the_tagger_took_into_the_remits_body_starts_the_name(extract):
    quotes, _ = extract(
        "Ukraine's Deputy Prime Minister for European Integration Taras Melnyk, who attended a working lunch with "
        "ministers, said Kyiv had fulfilled every benchmark."
    )
    assert speakers_of(quotes)["Kyiv had fulfilled every benchmark"] == "Taras Melnyk"


def test_a_name_the_tagger_found_after_the_remit_is_not_cut_short(extract):
    quotes, _ = extract("Ruritania's Minister for Pacific Island Affairs Pat Marlow said Canberra would pay more.")
    assert speakers_of(quotes)["Canberra would pay more"] == "Pat Marlow"


def test_a_comma_inside_a_bodys_listed_name_does_not_cut_it(extract):
    quotes, _ = extract(
        'A Foreign, Trade and Development Office spokesperson said the kingdom had "no doubt" about the islands.'
    )
    assert speakers_of(quotes)['the kingdom had "no doubt" about the islands'] == (
        "Foreign, Trade and Development Office spokesperson"
    )


def test_a_family_name_the_tagger_took_for_a_body_after_a_comma_is_the_person_named_before(extract):
    quotes, _ = extract(
        "Ruritania will send more troops, its Permanent Representative to the UN, Ambassador Nicole "
        "Ramjohn-Baptiste, told the Security Council on Wednesday.\n\n"
        "Speaking during the council's quarterly briefing on Haiti, Ramjohn-Baptiste said the force was beginning "
        'to "turn the tide" in parts of Port-au-Prince.'
    )
    found = speakers_of(quotes)
    assert found['the force was beginning to "turn the tide" in parts of Port-au-Prince'] == "Nicole Ramjohn-Baptiste"


def test_a_sentence_the_tagger_starts_at_a_name_after_a_comma_is_one_sentence(extract):
    quotes, _ = extract(
        "The implementation of the peace agreement between Ruritania and the Democratic Republic of Congo will "
        "only succeed if Kinshasa ends its collaboration with the FDLR genocidal militia, Minister of Foreign "
        "Affairs Olivier Nduhungirehe said on Monday, March 16."
    )
    assert [(q.speaker, q.text[:40]) for q in quotes] == [
        ("Olivier Nduhungirehe", "The implementation of the peace agreemen")
    ]


def test_a_dateline_that_ends_in_an_agency_tag_still_ends_its_sentence(extract):
    quotes, _ = extract(
        "MOSCOW, April 3. /TASS/. Russia remains open to a dialogue on strategic stability, but will not accept "
        "any ultimatums, Russian Foreign Minister Sergey Lavrov said at a news conference."
    )
    assert speakers_of(quotes) == {
        "Russia remains open to a dialogue on strategic stability, but will not accept any ultimatums": (
            "Sergey Lavrov"
        )
    }


def test_a_dateline_whose_date_carries_the_year_or_puts_the_day_first_is_not_content(extract):
    for dateline in ("Addis Ababa, April 8/2026 (ENA) - ", "Dakar, 21 May (APS) - "):
        quotes, _ = extract(
            dateline + "Ruritania and Borduria have agreed to raise their relations to a strategic level, Foreign "
            "Minister Ana Ruiz said."
        )
        assert speakers_of(quotes) == {
            "Ruritania and Borduria have agreed to raise their relations to a strategic level": "Ana Ruiz"
        }, dateline


def test_a_members_title_in_capitals_is_not_part_of_the_name(extract):
    quotes, _ = extract(
        "Ruritanian liberal MEP Malik Azmar, the lead negotiator on the file, defended the compromise.\n\n"
        '"Parliament has secured judicial review," Azmar said.'
    )
    assert speakers_of(quotes)["Parliament has secured judicial review"] == "Malik Azmar"


def test_given_names_the_tagger_left_out_of_a_persons_entity_belong_to_the_full_name(extract):
    quotes, _ = extract(
        "Defense Secretary Pete Hegseth and Ruritanian Defense Secretary Gilberto Teodoro Jr. confirmed the "
        "extension after a meeting at the Pentagon.\n\n"
        "Teodoro said Manila had made the decision on its own terms."
    )
    assert speakers_of(quotes)["Manila had made the decision on its own terms"] == "Gilberto Teodoro Jr."


def test_a_label_ending_its_line_labels_the_next_and_a_bracketed_outlet_asks(extract):
    quotes, _ = extract(
        "Press conference by Secretary General Ana Ruiz\n"
        "Spokesperson Ben Ode:\n"
        "Thank you. We will start with Radio Nord.\n"
        "Question (Radio Nord):\n"
        "Are you confident all members will meet the target?\n"
        "Secretary General Ana Ruiz:\n"
        "I am confident, yes. Every member has sent a plan.\n"
        "Question (Tele Sud):\n"
        "And the summit date?\n"
        "Secretary General Ana Ruiz:\n"
        "It will be in July."
    )
    found = speakers_of(quotes)
    assert found["I am confident, yes. Every member has sent a plan"] == "Ana Ruiz"
    assert found["It will be in July"] == "Ana Ruiz"
    assert found["Are you confident all members will meet the target?"] == "Radio Nord"


def test_the_briefer_the_header_names_speaks_the_unlabelled_opening_and_the_bare_answers(extract):
    quotes, _ = extract(
        "Spokesperson's Regular Press Briefing\n"
        "Spokesperson and Deputy Minister for Public Relations Park Ji-won\n"
        "March 10, 2026\n\n"
        "Good afternoon, everyone. Let me start today's briefing with two announcements.\n\n"
        "The foreign minister will visit Washington next week for talks on trade and security.\n\n"
        "Q: Will the minister meet the secretary of state?\n\n"
        "A: Yes. The two ministers will meet on Tuesday.\n\n"
        "Q: And the detained nationals?\n\n"
        "A: Our embassy is in close contact with the authorities."
    )
    found = speakers_of(quotes)
    assert found["Good afternoon, everyone. Let me start today's briefing with two announcements"] == "Park Ji-won"
    assert found["The foreign minister will visit Washington next week for talks on trade and security"] == (
        "Park Ji-won"
    )
    assert found["Yes. The two ministers will meet on Tuesday"] == "Park Ji-won"
    assert found["Will the minister meet the secretary of state?"] is None


def test_an_article_that_quotes_a_briefing_keeps_its_own_opening_prose(extract):
    quotes, _ = extract(
        "Ruritania says talks will go on\n"
        "By Ben Ode\n\n"
        "The Ruritanian foreign ministry held its weekly briefing on Tuesday, its first since the talks stalled.\n\n"
        "Q: Will the talks resume?\n\n"
        "A: Yes, next week.\n\n"
        "Q: Where?\n\n"
        "A: In Geneva."
    )
    assert not any(q.text.startswith("The Ruritanian foreign ministry held") for q in quotes)


def test_a_turn_that_reports_someone_else_leaves_that_report_to_its_source(extract):
    quotes, _ = extract(
        "Ana Ruiz: Good afternoon. I have one announcement today.\n\n"
        "Question (Radio Nord): Thank you. Are all members on track? Borduria's defence minister said this week "
        "that Borduria would not go beyond two per cent this year.\n\n"
        "Ana Ruiz: I am confident. Borduria's foreign minister told me on Monday that the plan "
        "would be ready in June. I have no doubt about that.\n\n"
        "Question (Tele Sud): And the summit?\n\n"
        "Ana Ruiz: It will be in July."
    )
    found = speakers_of(quotes)
    assert found["Borduria would not go beyond two per cent this year"] == "Borduria's defence minister"
    assert found["Thank you. Are all members on track?"] == "Radio Nord"
    assert found["the plan would be ready in June"] == "Borduria's foreign minister"
    assert found["I am confident"] == "Ana Ruiz"
    assert found["I have no doubt about that"] == "Ana Ruiz"


def test_a_members_office_in_brackets_may_be_long(extract):
    quotes, _ = extract(
        "ORAL QUESTIONS\n\n"
        "Hon. Anna Rossi (Northfield, CPC): Mr. Speaker, when will the government get a deal on steel?\n\n"
        "Hon. Paul Marchand (President of the King's Privy Council for Canada and Minister responsible for "
        "Canada-U.S. Trade, Intergovernmental Affairs and One Canadian Economy, Lib.): Mr. Speaker, we will not "
        "sign a bad deal.\n\n"
        "Hon. Anna Rossi: Mr. Speaker, that is not an answer.\n\n"
        "Hon. Paul Marchand: Mr. Speaker, it is the answer."
    )
    found = speakers_of(quotes)
    assert found["Mr. Speaker, we will not sign a bad deal"] == "Paul Marchand"
    assert found["Mr. Speaker, it is the answer"] == "Paul Marchand"


def test_a_title_in_apposition_that_the_name_reader_cannot_split_leaves_the_name(extract):
    quotes, speakers = extract(
        "Ruritania's chief negotiator, Deputy Prime Minister for European Integration Victor Ciobanu, said the "
        "opening was the result of years of difficult reforms."
    )
    assert speakers_of(quotes)["the opening was the result of years of difficult reforms"] == "Victor Ciobanu"


def test_members_of_parliament_are_a_description_not_a_corpus_speaker():
    from apps.nlp.names import is_corpus_speaker

    assert not is_corpus_speaker("MPs", "person")
    assert not is_corpus_speaker("Some MPs", "person")
    assert is_corpus_speaker("Victor Ciobanu", "person")
