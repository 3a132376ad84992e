"""Rules added after the second fresh set's first run (issue 9), one test each, on crafted sentences (names and
wording made up, none taken from an evaluation text)."""

from __future__ import annotations

import pytest

from apps.nlp.docview import DocView


@pytest.fixture(scope="module")
def view_of(nlp):
    return lambda text: DocView(nlp(text))


def _by_text(quotes):
    return {q.text: q for q in quotes}


def test_a_dateline_closed_by_an_agency_in_brackets_is_not_the_source(extract):
    quotes, _ = extract(
        "Mumbai, Mar 3 (IANS) Trade Minister Arun Mehta on Monday said that exports would rise this year."
    )
    (q,) = quotes
    assert (q.text, q.speaker) == ("exports would rise this year", "Arun Mehta")


def test_the_occasion_of_a_statement_after_a_comma_ends_the_content(extract):
    quotes, _ = extract(
        "Foreign Minister Lena Varga said the border must stay open, in remarks seen as a rebuke to her rivals.\n"
        'The two leaders said they were "deeply worried" by the clashes, in a joint statement issued on Friday.'
    )
    assert [q.text for q in quotes] == [
        "the border must stay open",
        'they were "deeply worried" by the clashes',
    ]


def test_an_appositive_gloss_noun_ends_the_content(extract):
    (q,) = extract(
        'Minister Oskar Brandt argued that the region should be seen as "one market" for now, a formulation '
        "that angered his critics."
    )[0]
    assert q.text == 'the region should be seen as "one market" for now'


def test_as_someone_put_it_introduces_a_quotation(extract):
    (q,) = extract('As one veteran negotiator put it to us, "Nobody wants to blink first."')[0]
    assert (q.text, q.kind, q.cue) == ("Nobody wants to blink first", "direct", "put it")
    assert q.speaker_mention == "one veteran negotiator"


def test_a_quotation_posted_online_is_a_quote_of_the_poster(extract):
    (q,) = extract('"The meeting was useful and frank," Minister Nadia Petrova later posted on X.')[0]
    assert (q.text, q.cue, q.speaker) == ("The meeting was useful and frank", "posted", "Nadia Petrova")


def test_a_quoted_fragment_a_speaker_expressed_is_a_partial_quote(extract):
    (q,) = extract('Minister Hugo Lindqvist expressed "grave concern" over the naval drills.')[0]
    assert (q.text, q.kind, q.speaker) == ("grave concern", "direct", "Hugo Lindqvist")


def test_a_nationality_and_a_role_family_link_a_description_to_a_titled_speaker(extract):
    quotes, _ = extract(
        "Moldova's top diplomat Irena Castell arrived in Vienna on Monday.\n"
        'Castell said the talks were "useful".\n'
        "Later, the Moldovan foreign minister told reporters that a deal was close."
    )
    assert [q.speaker for q in quotes] == ["Irena Castell", "Irena Castell"]


def test_a_description_of_another_nationality_is_not_linked(extract):
    quotes, _ = extract(
        "Moldova's top diplomat Irena Castell arrived in Vienna on Monday.\n"
        'Castell said the talks were "useful".\n'
        "Later, the Romanian foreign minister told reporters that a deal was close."
    )
    assert quotes[-1].speaker != "Irena Castell"


def test_the_head_of_state_is_the_president_quoted_before(extract):
    quotes, _ = extract(
        "President Tomas Okafor defended the deployment on Monday.\n"
        'Dr Okafor said the troops had "restored order".\n'
        '"Our officers have done well," the Head of State said.'
    )
    assert [q.speaker for q in quotes] == ["Tomas Okafor", "Tomas Okafor"]


def test_a_title_noun_beside_a_name_read_as_two_subjects_is_the_names_title(view_of):
    view = view_of("Norway's top negotiator Sara Lindgren arrived in Geneva on Monday.")
    assert [(name, role) for _, name, role, _ in view.titled_persons()] == [
        ("Sara Lindgren", "Norway's top negotiator")
    ]


def test_a_bare_answer_label_is_the_one_who_answers_not_the_one_who_asks(extract):
    quotes, _ = extract(
        "Interview: the ambassador on the grain deal\n"
        "The Daily Courier: Why was the deal suspended?\n"
        "Keller: The suspension is temporary. We hope trade resumes soon.\n"
        "The Daily Courier: Some traders call it political. How do you respond?\n"
        "Keller: Such claims are groundless.\n"
        "Q: Will the deal be extended?\n"
        "A: We are studying the matter."
    )
    assert [q.speaker for q in quotes][-2:] == [None, "Keller"]


def test_a_name_in_apposition_to_a_title_after_for_is_that_titles_holder(extract):
    (q,) = extract("A spokesman for the prime minister, Emil Novak, said the visit was off.")[0]
    assert q.speaker == "spokesman for the prime minister" and q.speaker != "Emil Novak"


def test_a_bare_title_named_by_its_appositive_is_that_person(extract):
    (q,) = extract("The Minister of Trade, Alma Ferreira, told reporters that tariffs would fall.")[0]
    assert q.speaker == "Alma Ferreira"


def test_a_noun_the_tagger_took_for_a_cue_verb_is_no_cue(extract):
    quotes, _ = extract('President Vera Soto also called on the departed Sahel states to "return to the family".')
    assert [(q.text, q.cue, q.speaker) for q in quotes] == [
        ('the departed Sahel states to "return to the family"', "called on", "Vera Soto")
    ]


def test_a_one_word_name_after_the_is_a_body_not_a_person(extract):
    quotes, speakers = extract(
        "The ministers met in Rome on Monday.\nThe summit will open on Friday, according to the Quirinale."
    )
    assert quotes[-1].speaker == "Quirinale"
    assert {s.name: s.kind for s in speakers}["Quirinale"] == "organisation"


def test_the_statement_speaks_for_the_source_that_issued_it(extract):
    quotes, _ = extract(
        "Leaders of the Nordic states said on Friday they were worried by the drills, in a joint statement.\n"
        'The five leaders "condemn any threat to the region," the statement said.\n'
        '"We cannot verify these figures," the report said.'
    )
    assert [q.speaker for q in quotes] == ["Leaders", "Leaders", None]


def test_a_quotation_closed_after_a_comma_goes_on_in_the_attribution_line_below(extract):
    quotes, _ = extract(
        "\"I asked what it would take. They told me, 'We will stay,' and then they left,\"\n"
        "Petra Novak told reporters in Geneva.\n"
        '"Both sides know there is no military solution,"\n'
        "she added.\n"
        '"A new paragraph," is not an attribution line: "it holds a quotation."'
    )
    assert [(q.text, q.speaker) for q in quotes][:2] == [
        ("I asked what it would take. They told me, 'We will stay,' and then they left", "Petra Novak"),
        ("Both sides know there is no military solution", "Petra Novak"),
    ]


def test_paragraphs_join_only_a_short_attribution_line():
    from apps.nlp.quotemarks import paragraphs

    text = (
        '"We stay,"\nshe said.\n"We go,"\n'
        "The minister then flew on to Rome on Tuesday, where talks with his Italian counterpart began at once.\n"
    )
    assert [text[a:b] for a, b in paragraphs(text)] == [
        '"We stay,"\nshe said.',
        '"We go,"',
        "The minister then flew on to Rome on Tuesday, where talks with his Italian counterpart began at once.",
    ]


def test_a_cue_after_by_takes_the_subject_of_the_verb_before_it(extract):
    (q,) = extract('Minister Dana Abate began by criticising the council for "not living up to its promise".')[0]
    assert (q.text, q.speaker) == ("not living up to its promise", "Dana Abate")


def test_a_title_description_is_the_full_name_subject_of_the_sentence_before(extract):
    quotes, _ = extract(
        "Milan Kowalczyk is up next. The prime minister said the union was failing.\n"
        "Critics spoke after him. The prime minister said nothing more."
    )
    assert [q.speaker for q in quotes] == ["Milan Kowalczyk"]


def test_a_quotation_after_a_list_marker_starts_its_line(extract):
    quotes, _ = extract(
        "Here is what they said:\n"
        '— "Sanctions would be a mistake. Talks are the better tool," said Norway\'s Jonas Brandt.\n'
        '• "We cannot wait. People are hungry," said Chile\'s Ines Sandoval.'
    )
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Sanctions would be a mistake. Talks are the better tool", "Jonas Brandt"),
        ("We cannot wait. People are hungry", "Ines Sandoval"),
    ]


def test_an_attribution_inside_a_relative_clause_reports_only_that_clause(extract):
    quotes, _ = extract(
        "Envoy Karim Varga described a tense meeting with the rebel leaders, in which, he said, they rejected any "
        "ceasefire."
    )
    assert [(q.text, q.speaker) for q in quotes] == [("they rejected any ceasefire", "Karim Varga")]


def test_call_for_a_clause_with_its_own_subject_is_reported_content(extract):
    quotes, _ = extract(
        "Minister Lena Moreau condemned the attack and called for its perpetrators to be brought to justice.\n"
        "She also called for talks to end the dispute."
    )
    assert [(q.text, q.cue, q.speaker) for q in quotes] == [
        ("its perpetrators to be brought to justice", "called for", "Lena Moreau")
    ]


def test_a_subject_the_parser_hung_on_the_addressee_opens_the_content(extract):
    (q,) = extract('Envoy Hugo Marsh told AFP the bloc\'s door "remains open".')[0]
    assert (q.text, q.kind) == ('the bloc\'s door "remains open"', "mixed")
