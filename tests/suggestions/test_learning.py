from apps.suggestions.learning import (
    CodebookEntry,
    Example,
    KeywordScorer,
    ThemeSuggester,
    keyword_only,
    sentence_spans,
)

CODEBOOK = [
    CodebookEntry(1, "sanctions", "Sanctions and tariffs.", ("sanction", "tariff")),
    CodebookEntry(2, "taiwan", "Taiwan and one-China.", ("taiwan", "one-china")),
    CodebookEntry(3, "culture", "Cultural exchange.", ("culture",)),
]


def test_sentences_are_code_point_offsets_that_keep_abbreviations_and_newlines():
    text = 'Xi met the U.S. envoy 🇨🇳 in Moscow. Mr. Li left!\n"Who?" he asked.  Short.\nA final sentence here.'
    spans = sentence_spans(text)
    assert [text[a:b] for a, b in spans] == [
        "Xi met the U.S. envoy 🇨🇳 in Moscow.",
        "Mr. Li left!",
        '"Who?" he asked.',
        "A final sentence here.",
    ]


def test_keyword_scores_count_distinct_keywords_as_word_prefixes():
    scorer = KeywordScorer(CODEBOOK)
    assert scorer.hits("New sanctions and tariffs; more sanctions.") == [2, 0, 0]
    assert scorer.hits("Agriculture is not culture") == [0, 0, 1]  # prefix at a word start only
    assert keyword_only(CODEBOOK).top(["Tariffs rose.", "Nothing here at all."]) == [1, None]


def test_a_theme_with_few_examples_stays_cold_and_learned_themes_use_their_examples():
    examples = (
        [Example(f"The ministry imposed new export controls on chips, round {i}.", frozenset({1})) for i in range(6)]
        + [Example(f"The island's leader visited the strait, trip {i}.", frozenset({2})) for i in range(6)]
        + [Example("A film festival opened.", frozenset({3}))]
        + [Example(f"The talks lasted three hours on day {i}.") for i in range(6)]
    )
    model = ThemeSuggester(CODEBOOK).fit(examples)
    assert model.cold_start_theme_ids == [3]
    # no keyword in sight, yet the learned theme is found from its examples
    [top] = model.suggest(["The ministry announced export controls on chips."])
    assert top[0].theme_id == 1 and not top[0].cold_start
    # the cold theme is suggested from its keywords, and says so
    [culture] = model.suggest(["A week of culture began in Harbin."])
    assert any(s.theme_id == 3 and s.cold_start for s in culture)
    assert model.top(["The talks lasted three hours on day 9."]) == [None]


def test_nearest_passages_are_accepted_ones_of_the_same_theme():
    examples = [
        Example("Washington imposed sanctions on banks.", frozenset({1}), accepted=True, ref=10),
        Example("Washington imposed sanctions on oil traders.", frozenset({1}), accepted=False, ref=11),
        Example("Beijing criticised tariffs on cars.", frozenset({1}), accepted=True, ref=12),
        Example("Taiwan drills were held near Washington's fleet.", frozenset({2}), accepted=True, ref=13),
    ] * 2
    model = ThemeSuggester(CODEBOOK, min_examples=2).fit(examples)
    [near] = model.neighbours(["New sanctions on Washington banks."], [1])
    assert [n.ref for n in near][:1] == [10] and {n.ref for n in near} <= {10, 12}
    assert len(near) <= 3


def test_a_fitted_suggester_survives_storage():
    model = ThemeSuggester(CODEBOOK, min_examples=1).fit(
        [Example("sanctions on banks", frozenset({1})), Example("Taiwan drills", frozenset({2})), Example("weather")]
    )
    again = ThemeSuggester.loads(model.dumps())
    assert (again.score_matrix(["sanctions"]) == model.score_matrix(["sanctions"])).all()


def test_a_cold_theme_still_shows_its_nearest_accepted_passages():
    model = ThemeSuggester(CODEBOOK).fit([Example("Taiwan drills near the island.", frozenset({2}), ref=7)])
    assert model.cold_start_theme_ids == [1, 2, 3]
    [near] = model.neighbours(["More drills near Taiwan."], [2])
    assert [n.ref for n in near] == [7]
