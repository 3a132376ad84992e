"""Rules added after the second fresh set's first run (issue 9), one test each, on crafted sentences (names and
wording made up, none taken from an evaluation text)."""

from __future__ import annotations


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
