"""The extractor's named rules, one test each, on small crafted sentences (none taken from evaluation texts)."""

from __future__ import annotations

import pytest

from apps.nlp import frames, quotemarks, sources
from apps.nlp.docview import DocView


@pytest.fixture(scope="module")
def view_of(nlp):
    def build(text: str) -> DocView:
        return DocView(nlp(text))

    return build


def _cue(view: DocView, word: str) -> frames.Cue:
    cue = next(c for c in frames.find_cues(view) if view.doc[c.tokens[0]].text == word)
    return cue


def _tok(view: DocView, word: str):
    return next(t for t in view.doc if t.text == word)


def _content(view: DocView, cue: frames.Cue) -> str:
    return view.span_text(*cue.content)


# ---- sources: reading a subject ------------------------------------------------------------------------


def test_describe_pronoun_reads_person_thing_group_and_none(view_of):
    view = view_of("He said it was late. It said so. They said no. We said yes.")
    kinds = [
        (sources.describe_pronoun(t).kind, sources.describe_pronoun(t).pronoun)
        for t in view.doc
        if t.lower_ in ("he", "it", "they", "we") and t.dep_ == "nsubj" and t.head.lemma_ == "say"
    ]
    assert kinds == [("person", "person"), ("organisation", "thing"), (None, "group"), (None, None)]


def test_describe_joint_source_has_no_single_speaker(view_of):
    view = view_of("Alice Moreau and Tom Reyes said the plan was sound.")
    subj = _tok(view, "Moreau")
    left, right = sources.mention_span(view, subj, 0, len(view.doc))
    src = sources.describe_joint(subj, left, right, len(view.doc))
    assert src is not None and src.kind is None
    assert sources.describe(view, subj, 0, len(view.doc)).kind is None


def test_describe_titled_name_takes_the_name_after_a_title_complement(view_of):
    view = view_of("Minister for Fisheries Anna Berg said the quota would stay.")
    src = sources.describe(view, _cue(view, "said").source, 0, len(view.doc))
    assert (src.kind, src.name) == ("person", "Anna Berg")
    assert "Minister" in src.role


def test_describe_appositive_name_is_the_person_and_the_description_her_role(view_of):
    view = view_of("The company's spokeswoman, Jana Novak, said the plant would reopen.")
    subj = _cue(view, "said").source
    left, right = sources.mention_span(view, subj, 0, len(view.doc))
    src = sources.describe_appositive_name(view, subj, left, right, 0, len(view.doc), "x")
    assert src is not None and src.name == "Jana Novak"


def test_describe_by_head_reads_a_plain_noun_subject_as_someone(view_of):
    view = view_of("Protesters said the vote had been rigged.")
    src = sources.describe(view, _cue(view, "said").source, 0, len(view.doc))
    assert src.kind == "person" and src.plural


# ---- frames: reported speech ---------------------------------------------------------------------------


def test_clausal_child_finds_the_that_clause(view_of):
    view = view_of("The mayor said that the bridge would close.")
    cue = _cue(view, "said")
    kids = list(cue.token.children)
    assert frames._clausal_child(kids, cue.token.i).lemma_ == "close"


def test_noun_frame_complement_reads_expressed_hope_that(extract):
    (q,), _ = extract("The minister expressed hope that the bridge would reopen soon.")
    assert (q.text, q.cue) == ("the bridge would reopen soon", "expressed hope")


def test_call_on_complement_is_no_frame_for_a_noun_phrase(view_of):
    view = view_of("The minister called for calm.")
    assert frames._call_on_complement(view, _cue(view, "called"), len(view.doc)) == (None, None)


def test_infinitive_complement_keeps_the_addressee_of_a_directive(extract):
    quotes, _ = extract("The minister urged the players to stay calm. The minister vowed to win the cup.")
    assert [(q.text, q.cue) for q in quotes] == [("the players to stay calm", "urged"), ("to win the cup", "vowed")]


def test_misparsed_postposed_subject_reads_a_lower_case_title_and_name(extract):
    (q,), _ = extract("The port will reopen next week, transport minister Raj Patel said.")
    assert (q.text, q.speaker) == ("The port will reopen next week", "Raj Patel")


def test_misparsed_postposed_subject_leaves_a_parsed_subject_alone(view_of):
    view = view_of("The port will reopen, the mayor said.")
    cue = _cue(view, "said")
    subj = cue.source
    assert frames._misparsed_postposed_subject(view, cue, subj, True, 0, len(view.doc)) == (subj, True)


def test_subjectless_postposed_subject_reads_an_inverted_subject(view_of):
    view = view_of("The roads will reopen on Monday, said the mayor.")
    cue = _cue(view, "said")
    assert _content(view, cue) == "The roads will reopen on Monday"
    assert cue.source.text == "mayor"


def test_cue_points_forward_before_a_colon(view_of):
    view = view_of('Asked about the plan, the mayor replied: "It is fine."')
    cue = _cue(view, "replied")
    assert frames._cue_points_forward(view, cue, len(view.doc))


def test_only_subordinate_before_gives_no_backward_content(view_of):
    view = view_of("When asked about the plan, the mayor said.")
    cue = _cue(view, "said")
    assert frames._only_subordinate_before(cue)
    assert cue.content is None


def test_after_dateline_skips_a_wire_dateline(view_of):
    view = view_of("OSLO, May 2 (Reuters) - The port will close, the mayor said.")
    start = frames._after_dateline(view, 0)
    assert view.doc[start].text == "The"


def test_is_parenthetical_when_the_sentence_goes_on_after_the_attribution(view_of):
    view = view_of("The talks, the mayor said, were useful and calm.")
    cue = _cue(view, "said")
    assert cue.frame == "parenthetical"
    assert frames._is_parenthetical(view, cue, len(view.doc))


# ---- quotemarks: pairing ----------------------------------------------------------------------------------


def test_pair_mark_treats_a_single_mark_inside_a_double_quotation_as_an_apostrophe():
    text = '"The players\' union agreed," she said.'
    regions = quotemarks.find_regions(text)
    assert [(r.open, r.close) for r in regions] == [(0, text.index(",") + 1)]


def test_pairing_carries_an_open_quotation_over_a_reopened_paragraph():
    text = '"First part of the speech.\n"Second part of it," she said.'
    (region,) = quotemarks.find_regions(text)
    assert region.reopens == (text.index("\n") + 1,)
    assert text[region.close] == '"'


def test_pairing_keeps_an_unclosed_chain_of_paragraphs():
    text = '"First part.\n"Second part.\nNarration follows.'
    (region,) = quotemarks.find_regions(text)
    assert region.close == text.index("\nNarration")


def test_reopens_needs_an_opening_double_mark():
    assert quotemarks._reopens('"Yes."', 0, 6)
    assert not quotemarks._reopens("Yes.", 0, 4)


def test_low_high_marks_close_with_the_high_mark():
    text = "„Wir schaffen das“, sagte sie. ‚Gut‘ ist es."
    regions = quotemarks.find_regions(text)
    assert [(text[r.open], text[r.close]) for r in regions] == [("„", "“"), ("‚", "‘")]


def test_english_curly_marks_still_open_with_the_high_mark():
    text = "She said “we are ready” and left."
    (region,) = quotemarks.find_regions(text)
    assert text[region.open + 1 : region.close] == "we are ready"


# ---- transcripts, headlines and partial quotes -------------------------------------------------------------


def test_transcript_turns_are_direct_quotes_of_their_labels(extract):
    text = (
        "Daily briefing\n"
        "Radio Nord: Will the minister attend the summit next week?\n"
        "Ana Ruiz: The minister will attend. She looks forward to the talks.\n"
        "Q: What about the trade dispute?\n"
        "Ana Ruiz: We hope it can be settled through dialogue.\n"
    )
    quotes, _ = extract(text)
    assert [(q.text, q.kind, q.speaker) for q in quotes] == [
        ("Will the minister attend the summit next week?", "direct", "Radio Nord"),
        ("The minister will attend. She looks forward to the talks", "direct", "Ana Ruiz"),
        ("What about the trade dispute?", "direct", None),
        ("We hope it can be settled through dialogue", "direct", "Ana Ruiz"),
    ]


def test_an_honorific_label_names_a_person():
    from apps.nlp.transcripts import LabelledParagraph, transcript_turns

    found = [LabelledParagraph(0, 5, 7, 9, "MS ROE", "") for _ in range(3)]
    assert [p.kind for p in transcript_turns(found)] == ["turn"] * 3


def test_two_labelled_lines_with_different_labels_are_not_a_transcript(extract):
    text = (
        "Ruiz: Talks must resume now\nForeign Minister Ana Ruiz arrived in Lima on Monday.\n"
        "Reyes: Deal is within reach\nTrade envoy Tom Reyes arrived later.\n"
    )
    quotes, _ = extract(text)
    assert [(q.text, q.kind) for q in quotes] == [
        ("Talks must resume now", "indirect"),
        ("Deal is within reach", "indirect"),
    ]
    assert [q.speaker for q in quotes] in (["Ana Ruiz", "Tom Reyes"], ["Ruiz", "Reyes"])


def test_a_dateline_with_a_colon_is_not_a_label(extract):
    quotes, _ = extract("OSLO: The port will reopen on Monday, the mayor said.")
    assert [q.text for q in quotes] == ["The port will reopen on Monday"]


def test_a_quoted_fragment_complement_is_a_partial_quote(extract):
    quotes, _ = extract("The opposition leader Ana Ruiz called the plan 'a dead end' on Monday.")
    assert [(q.text, q.kind, q.cue, q.speaker) for q in quotes] == [("a dead end", "direct", "called", "Ana Ruiz")]


def test_a_scare_quoted_adjective_on_a_noun_is_no_partial_quote(extract):
    quotes, _ = extract("She condemned what she called “reckless” drills near the border.")
    assert quotes == []


def test_a_delegate_is_named_with_the_country_it_speaks_for(extract):
    (q,), speakers = extract("The representative of Norway said the draft had been rushed.")
    assert q.speaker == "representative of Norway"
    assert speakers[0].kind == "person"


def test_a_name_parsed_as_the_object_of_a_preposition_is_the_appositive_name(extract):
    (q,), speakers = extract("Its representative in Mali, Oumar Diallo, said the roads were closed.")
    assert q.speaker == "Oumar Diallo"
    assert speakers[0].role.endswith("representative in Mali")


def test_a_description_links_to_a_titled_person_named_before_it(extract):
    text = (
        "Foreign Minister Lena Hartmann held talks with her Danish counterpart on Monday.\n"
        "The top diplomat said the two countries would open a joint consulate."
    )
    (q,), _ = extract(text)
    assert q.speaker == "Lena Hartmann"


def test_an_epithet_synonym_links_to_the_titled_speaker(extract):
    text = "Belarusian dictator Ivan Petrenko called the drills 'a provocation'.\nThe despot said the army was ready."
    quotes, _ = extract(text)
    assert [q.speaker for q in quotes] == ["Ivan Petrenko", "Ivan Petrenko"]


def test_he_goes_back_to_a_subject_named_by_an_appositive(extract):
    text = (
        '"The harbour will stay open," Mayor Tom Reyes said.\n'
        "The port authority's director, Lars Hartmann, rejected the plan. He said the berths were needed."
    )
    quotes, _ = extract(text)
    assert [q.speaker for q in quotes] == ["Tom Reyes", "Lars Hartmann"]


def test_the_body_goes_back_to_the_body_in_a_spokespersons_title(extract):
    text = (
        "Defence Ministry spokesman Jan Novak said the drills would end on Friday.\n"
        "The ministry also said that no live ammunition would be used."
    )
    quotes, _ = extract(text)
    assert [q.speaker for q in quotes] == ["Jan Novak", "Defence Ministry"]


def test_two_apostrophes_stand_for_a_double_mark():
    text = "''We will not yield,'' the mayor said. He called it ''a test.''"
    regions = quotemarks.find_regions(text)
    assert [text[r.inner_start : r.inner_end] for r in regions] == ["We will not yield,", "a test."]
    assert all(r.double for r in regions)


def test_wire_archive_quote_has_no_stray_apostrophe(extract):
    (q,), _ = extract("''We will not yield,'' Mayor Tom Reyes said.")
    assert (q.text, q.speaker) == ("We will not yield", "Tom Reyes")


def test_a_leading_according_to_ends_at_its_comma(extract):
    (q,), _ = extract("According to the Harbour Authority, one in three ships arrives late.")
    assert (q.text, q.cue) == ("one in three ships arrives late", "according to")


def test_call_on_takes_any_addressee_with_an_infinitive(extract):
    (q,), _ = extract("The mayor has called on residents to stay indoors.")
    assert (q.text, q.cue) == ("residents to stay indoors", "called on")


def test_a_statement_noun_before_a_colon_reports_its_possessor(extract):
    (q,), _ = extract("Foreign Minister Ana Ruiz's message was clear: the port must reopen before winter.")
    assert (q.text, q.kind, q.cue) == ("the port must reopen before winter", "indirect", "message")
    assert q.speaker == "Ana Ruiz"


def test_according_to_a_statement_issued_by_a_body_is_that_body(extract):
    (q,), _ = extract(
        "OSLO, May 2 (NTB) -- The ferries will run again on Monday, according to a statement issued by the "
        "transport ministry."
    )
    assert q.text == "The ferries will run again on Monday"
    assert q.speaker == "transport ministry"


def test_newsroom_labels_are_not_speakers(extract):
    text = (
        "UPDATE: The ferry resumed service at noon.\n"
        "UPDATE: Passengers were moved to a second boat.\n"
        "UPDATE: The port reopened.\n"
    )
    assert extract(text)[0] == []


# ---- speaker hygiene in the extractor ----------------------------------------------------------------------


def test_a_group_or_an_aide_around_a_name_is_not_that_person(extract):
    quotes, speakers = extract("Mrs. Novak's aides said she would not run. Reyes's spokesman said the talks went on.")
    assert [q.speaker for q in quotes] == ["Mrs. Novak's aides", "Reyes's spokesman"]
    assert {s.name for s in speakers}.isdisjoint({"Novak", "Reyes"})


def test_a_non_agent_subject_gives_no_speaker(extract):
    (q,), speakers = extract("This interpretation says that the treaty is void.")
    assert q.speaker is None and speakers == []


def test_a_long_appositive_title_stays_short(extract):
    _, (speaker,) = extract(
        "Kaja Lind, chief executive of Ora Media, which owns two dailies and a radio station, said the sale was off."
    )
    assert (speaker.name, speaker.role) == ("Kaja Lind", "chief executive of Ora Media")


def test_a_question_that_names_its_reporter_is_the_reporters(extract):
    text = (
        "MR ROE: Good afternoon.\n"
        "QUESTION: Jonas Keller, Radio Nord. When will the embassy reopen?\n"
        "MR ROE: Next month, we hope.\n"
    )
    quotes, _ = extract(text)
    assert [(q.text, q.speaker) for q in quotes] == [
        ("Good afternoon", "Roe"),
        ("When will the embassy reopen?", "Jonas Keller"),
        ("Next month, we hope", "Roe"),
    ]


def test_heading_words_before_a_colon_are_no_speakers(extract):
    text = "Ingredients: flour, sugar\nMethod: Mix the flour and sugar\nMethod: Bake it for an hour\n"
    assert extract(text)[0] == []


def test_a_name_in_quotation_marks_is_no_partial_quote(extract):
    quotes, _ = extract("The army called the operation 'Iron Shield' and said it would last weeks.")
    assert [q.text for q in quotes] == ["it would last weeks"]


def test_a_partial_quote_of_a_described_group(extract):
    quotes, _ = extract("Critics called the verdict 'a betrayal' on Friday.")
    assert [(q.text, q.speaker) for q in quotes] == [("a betrayal", "Critics")]
