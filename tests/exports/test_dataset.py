import random

from apps.exports import dataset
from apps.exports.dataset import QuoteIndex, sentence_around

TEXT = 'First one. "Second, quoted," he said. Third! Fourth?\nNew para. U.S. officials spoke.'


def _around(fragment: str) -> str:
    start = TEXT.index(fragment)
    return sentence_around(TEXT, start, start + len(fragment))


def test_sentence_is_cut_at_full_stops_exclamations_questions_and_newlines():
    assert _around("one") == "First one."
    assert _around("Second") == '"Second, quoted," he said.'
    assert _around("Third") == "Third!"
    assert _around("Fourth") == "Fourth?"
    assert _around("New") == "New para."


def test_a_span_ending_a_sentence_or_crossing_one_keeps_all_of_it():
    assert _around("he said.") == '"Second, quoted," he said.'
    assert _around("said. Third") == '"Second, quoted," he said. Third!'


def test_sentence_at_the_very_start_and_end_of_the_text():
    assert sentence_around("Only words here", 5, 10) == "Only words here"
    assert _around("spoke") == "officials spoke."  # abbreviations cut short: cheap on purpose


def test_the_innermost_live_quote_containing_the_span_wins():
    quotes = ((0, 100, 1, "Outer"), (10, 30, 2, "Inner"), (40, 60, 3, "Other"), (90, 95, 4, "Late"))
    index = QuoteIndex(quotes)
    assert index.containing(12, 20)[2] == 2
    assert index.containing(35, 38)[2] == 1
    assert index.containing(45, 70)[2] == 1  # crosses quote 3's end: only the outer holds it
    assert index.containing(96, 101) is None
    assert QuoteIndex(()).containing(0, 1) is None


def _sentence_around_whole_window(text: str, start: int, end: int) -> str:
    """sentence_around as first written: one backward search over the whole window."""
    lo = max(0, start - dataset._WINDOW)
    m = dataset._LAST_SENTENCE_END.match(text, lo, start)
    left = m.end() if m else lo
    m = dataset._SENTENCE_END.search(text, max(start, end - 1), min(len(text), end + dataset._WINDOW))
    right = m.end() if m else min(len(text), end + dataset._WINDOW)
    return text[left:right].strip()


def test_the_near_backward_search_finds_the_whole_windows_boundary():
    # short and long sentences (no boundary within the near search: the whole window is searched again)
    rng = random.Random(9)
    alphabet = "ab .!?\n\"'”’»)] \t"
    for k in range(400):
        frequent = [30, 30, 20] + [1] * (len(alphabet) - 3)
        rare = [30, 30, 1] + [0.03] * (len(alphabet) - 3)
        text = "".join(rng.choices(alphabet, weights=frequent if k % 2 else rare, k=rng.choice([50, 600, 2500])))
        for _ in range(20):
            start = rng.randrange(0, len(text))
            end = rng.randrange(start + 1, len(text) + 1)
            assert sentence_around(text, start, end) == _sentence_around_whole_window(text, start, end)
