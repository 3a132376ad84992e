"""The scoring module on hand-made cases with known figures, and the extractor's level on the seed gold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apps.nlp.evaluation import PRF, GoldArticle, Span, evaluate, match, overlap, score_article

SHARED = Path(__file__).resolve().parents[3] / "shared"
GOLD, SEEDS = SHARED / "gold", SHARED / "seeds"

# Figures reached on the seed gold when this test was written (all 1.0), minus a hair: one quote in 71
# lost or misattributed costs about 0.007 of F1 or accuracy.
FLOOR = {"lenient_f1": 0.985, "strict_f1": 0.985, "speaker_accuracy": 0.985}


def test_overlap_is_intersection_over_the_longer_span():
    assert overlap((0, 10), (0, 10)) == 1.0
    assert overlap((0, 10), (5, 10)) == 0.5
    assert overlap((0, 10), (0, 20)) == 0.5
    assert overlap((0, 10), (10, 20)) == 0.0


def test_matching_is_one_to_one_best_overlap_first():
    gold = [Span(0, 10), Span(20, 30)]
    pred = [Span(0, 9), Span(0, 10), Span(22, 30)]
    assert sorted(match(gold, pred, 0.3)) == [(0, 1), (1, 2)]


def _article():
    return GoldArticle(
        file="x.txt",
        index=1,
        title="t",
        body=(0, 1000),
        quotes=[Span(0, 100, "Xi Jinping"), Span(200, 300, "Xi Jinping"), Span(400, 500, "Vladimir Putin")],
        speaker_names={"Xi Jinping": {"xi jinping", "xi"}, "Vladimir Putin": {"vladimir putin", "putin"}},
        borderline=[Span(600, 700)],
        excluded=[(800, 850)],
    )


def test_score_article_on_a_known_case():
    preds = [
        Span(0, 100, "Xi"),  # exact, speaker by alias: lenient + strict, speaker right
        Span(200, 250, "Putin"),  # overlap 0.5: lenient only, speaker wrong
        Span(900, 950, None),  # no gold: false positive
        Span(600, 690, None),  # borderline: ignored
        Span(810, 840, None),  # inside an excluded line: ignored
        Span(990, 1100, None),  # outside the body: ignored
    ]
    s = score_article(_article(), preds)
    assert (s.lenient.tp, s.lenient.gold, s.lenient.predicted) == (2, 3, 3)
    assert (s.strict.tp, s.strict.gold, s.strict.predicted) == (1, 3, 3)
    assert s.lenient.precision == pytest.approx(2 / 3) and s.lenient.recall == pytest.approx(2 / 3)
    assert s.lenient.f1 == pytest.approx(2 / 3)
    assert s.strict.f1 == pytest.approx(1 / 3)
    assert (s.speaker_correct, s.speaker_total) == (1, 2)


def test_prf_edge_cases():
    assert PRF(0, 0, 0).f1 == 1.0  # nothing to find, nothing found
    assert PRF(0, 3, 0).f1 == 0.0
    assert PRF(0, 0, 2).precision == 0.0


@pytest.mark.skipif(not (GOLD / "articles.json").exists(), reason="shared gold not available")
def test_seed_gold_scores_stay_at_the_level_reached():
    from apps.nlp.evaluation import spacy_extractor

    report = evaluate(GOLD, SEEDS, spacy_extractor)
    summary = report.summary()
    assert summary["gold"] == 71
    for key, floor in FLOOR.items():
        assert summary[key] >= floor, (key, summary)


@pytest.mark.skipif(not (GOLD / "articles.json").exists(), reason="shared gold not available")
def test_evaluate_command_ends_with_a_json_line(capsys):
    from django.core.management import call_command

    call_command("evaluate_quotes", str(GOLD), str(SEEDS))
    lines = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert set(figures) == {
        "lenient_f1",
        "strict_f1",
        "speaker_accuracy",
        "lenient_precision",
        "lenient_recall",
        "strict_precision",
        "strict_recall",
        "gold",
        "predicted",
    }
    assert any(line.startswith("003_a13d506e6a443bfa.txt") for line in lines)


HELDOUT = Path(__file__).resolve().parent / "data" / "heldout"
# Held-out development set: 13 articles written in other outlets' styles (AP, Reuters, TASS, Xinhua, BBC, AFP,
# RIA, Global Times, Al Jazeera, PTI, Kyodo, Yonhap, DW), annotated by the gold README's rules before the
# extractor was run on them. Reached: lenient 1.000, strict 1.000, speaker 0.966 (from 1.000 / 0.993 / 0.960,
# 0.983 / 0.969 / 0.944, and before that 0.955 / 0.886 / 0.855); the floors are those minus a hair (one quote
# in 149 is about 0.007).
# With the rules of issue 9 (delegates, appositive-named subjects for he/she): speaker 0.980.
HELDOUT_FLOOR = {"lenient_f1": 0.993, "strict_f1": 0.993, "speaker_accuracy": 0.972}


HELDOUT2 = Path(__file__).resolve().parent / "data" / "heldout2"
# Second held-out set: 7 articles in yet other styles (NHK, Anadolu, The Guardian, POLITICO, Sputnik, SCMP,
# Times of India), annotated by the gold README's rules before the extractor was run on them. First run (the
# honest generalisation estimate): lenient 0.982, strict 0.936, speaker 0.845. After fixing back-references
# ("they", "the bloc", bare descriptions, "Ministry of X and Y"): lenient 0.982, strict 0.936, speaker 1.000.
# After trimming trailing glosses and clauses that hang on the cue (", but No 10 did not say ...", ", becoming
# the first ...", ", an offer X has rejected", ", its second in a month", a past "after"-clause on a directive
# infinitive) and reading "..., commerce minister Piyush Goyal said": 1.000 / 1.000 / 1.000.
# Floors: those minus a hair (one quote in 86 is about 0.012).
HELDOUT2_FLOOR = {"lenient_f1": 0.988, "strict_f1": 0.988, "speaker_accuracy": 0.985}


HELDOUT3 = Path(__file__).resolve().parent / "data" / "heldout3"
# Third held-out set: 6 articles in yet other styles (Associated Press of Pakistan, Arab News, Kyiv Independent,
# Japan Times, ABC News (Australia), France 24), annotated by the gold README's rules before the extractor was
# run on them. First run (the honest generalisation estimate): lenient 1.000, strict 0.968, speaker 0.903.
# After reading "CITY, Mon DD (AGENCY): ..." datelines (the date taken for the subject): lenient 1.000,
# strict 0.968, speaker 0.919. After keeping coordinated titles in the role ("Deputy Prime Minister and
# Foreign Minister Senator X", so "The Deputy Prime Minister" links back) and linking "the ministry" to an
# earlier body that reported without being quoted: lenient 1.000, strict 0.968, speaker 0.968. Left open:
# "according to a statement issued by X", he/she after a non-quote subject, a trailing appositive gloss, a
# "but"-coordinated predicate in the complement. Floors: those minus a hair (one quote in 62 is about 0.016).
# With the rules of issue 9 ("according to a statement issued by X"): speaker 0.984.
HELDOUT3_FLOOR = {"lenient_f1": 0.99, "strict_f1": 0.96, "speaker_accuracy": 0.975}


FRESH = Path(__file__).resolve().parent / "data" / "fresh"
# Fresh set (issue 9): 17 articles in styles none of the sets above has (press-conference, briefing and interview
# transcripts, UN meetings coverage, British tabloids with single quotes, '' wire archives, « » and „ “ marks,
# quotations continued over paragraphs, headline items, partial quotes, nominal reporting), annotated before the
# extractor was run on them. First run, the honest estimate on unseen text: lenient 0.816, strict 0.781, speaker
# 0.806 (recall direct 0.44, indirect 0.88, mixed 0.95). After the rules of issue 9 (transcript turns, headline
# paraphrases, partial quotes, „ “ and '' marks, delegates, descriptions and bodies across paragraphs): lenient
# 0.992, strict 0.985, speaker 0.977. Floors: those minus a hair (one quote in 134 is about 0.0075). See
# data/FIGURES.md.
FRESH_FLOOR = {"lenient_f1": 0.985, "strict_f1": 0.978, "speaker_accuracy": 0.969}


FRESH2 = Path(__file__).resolve().parent / "data" / "fresh2"
# Second fresh set (issue 9): 16 articles in styles none of the sets above has (Al Jazeera, Kyodo, Anadolu, PTI,
# AFP, Kenyan, Nigerian and South African press, think-tank commentary, a live blog, a joint statement, a Q&A
# with an embassy, a list of ministers' quotes, a nested quotation with the speaker on the next line, em-dash
# interruptions, a pronoun chain over four paragraphs), annotated by hand before the extractor was run on it
# (commit 9e0350b). First run, the honest estimate on unseen text: lenient 0.970, strict 0.901, speaker 0.912.
# After the rules it prompted (tests/nlp/test_rules_fresh2.py): lenient 1.000, strict 0.992, speaker 0.992.
# Floors: those minus a hair (one quote in 119 is about 0.0084). See data/FIGURES.md.
FRESH2_FLOOR = {"lenient_f1": 0.995, "strict_f1": 0.983, "speaker_accuracy": 0.983}


FRESH3 = Path(__file__).resolve().parent / "data" / "fresh3"
# Third fresh set (issue 9): 16 articles weighted on what decides speakers (several officials of one country,
# descriptions, pronoun chains broken by other speakers, cataphora, bodies and spokespeople, an NPR transcript, an
# obituary, a profile, sports and culture diplomacy, a ministry readout), annotated by hand before the extractor
# was run on it (commit a0c2a7c); its aliases never credit an unresolved description. First run, the honest
# estimate on unseen text: lenient 0.984, strict 0.976, speaker 0.797. After the rules it prompted
# (tests/nlp/test_rules_fresh3.py): lenient 1.000, strict 0.992, speaker 0.953. Floors: those minus a hair (one
# quote in 127 is about 0.0079). See data/FIGURES.md.
FRESH3_FLOOR = {"lenient_f1": 0.995, "strict_f1": 0.984, "speaker_accuracy": 0.945}


FRESH4 = Path(__file__).resolve().parent / "data" / "fresh4"
# Fourth fresh set (issue 9): 16 articles weighted on what decides speakers (a Hansard extract, UN meetings
# coverage with Icelandic names, three anonymous diplomats told apart, party and age descriptions, Korean and
# Filipino names, an ICJ hearing, TASS's "According to him"), annotated by hand before the extractor was run on
# it. First run, the honest estimate on unseen text: lenient 0.946, strict 0.903, speaker 0.841. After the rules
# it prompted (tests/nlp/test_rules_fresh4.py): lenient 0.997, strict 0.990, speaker 0.986. Floors: those minus a
# hair (one quote in 144 is about 0.007). See data/FIGURES.md.
FRESH4_FLOOR = {"lenient_f1": 0.99, "strict_f1": 0.983, "speaker_accuracy": 0.978}


FRESH5 = Path(__file__).resolve().parent / "data" / "fresh5"
# Fifth fresh set (issue 9): 13 articles of ordinary diplomatic coverage, representative rather than weighted on
# hard cases (Bloomberg, FT, NYT, CNN, NHK, Straits Times, Dawn, Kyiv Independent, RFE/RL, France 24, ABC, Global
# Times, Ahram), annotated by hand before the extractor was run on it (commit 7b68d5f). First run: lenient 0.969,
# strict 0.919, speaker 0.913. After the rules it prompted (tests/nlp/test_rules_fresh5.py): lenient 0.972, strict
# 0.921, speaker 0.971. Floors: those minus a hair (one quote in 178 is about 0.0056). See data/FIGURES.md.
FRESH5_FLOOR = {"lenient_f1": 0.963, "strict_f1": 0.913, "speaker_accuracy": 0.965}

FRESH6 = Path(__file__).resolve().parent / "data" / "fresh6"
# Sixth fresh set (issue 9), the held-back test set: 16 articles of ordinary coverage (Washington Post, Japan Times,
# Korea Herald, Jakarta Post, Daily Star, The National, Haaretz, Meduza, Euronews, Irish Times, Buenos Aires Times,
# The East African, China Daily, Vatican News, Sky News, Bernama), written by a second writer before the extractor
# was run on it (commit f159855) and kept out of every run until fresh5's rules were in. First run, the honest
# estimate on unseen text: lenient 0.989, strict 0.942, speaker 0.853. After the rules it prompted
# (tests/nlp/test_rules_fresh6.py): lenient 0.989, strict 0.942, speaker 0.905. Floors: those minus a hair (one
# quote in 237 is about 0.0042). See data/FIGURES.md.
FRESH6_FLOOR = {"lenient_f1": 0.985, "strict_f1": 0.938, "speaker_accuracy": 0.9}

FRESH7 = Path(__file__).resolve().parent / "data" / "fresh7"
# Seventh fresh set (issue 9): 15 articles of ordinary coverage (AP, AFP, dpa, EFE, Times of India, Hindustan
# Times, Guardian, BBC, Al-Monitor, Moscow Times, Nikkei Asia, The Diplomat, Africanews, Canberra Times, Xinhua), by
# a third writer, first run on da63cae with fresh5's and fresh6's rules: lenient 0.975, strict 0.935, speaker 0.901.
# After the rules it prompted (tests/nlp/test_rules_fresh7.py): speaker 0.919. See data/FIGURES.md.
FRESH7_FLOOR = {"lenient_f1": 0.97, "strict_f1": 0.93, "speaker_accuracy": 0.913}

FRESH8 = Path(__file__).resolve().parent / "data" / "fresh8"
# Eighth fresh set (issue 9): 14 articles of ordinary coverage (WSJ, Politico, NPR, VOA, DW, RFI, Euractiv, The
# Independent, The Hill, Yomiuri, Bangkok Post, Daily Sabah, Anadolu, Asharq Al-Awsat), by a fourth writer, first
# run on b810bed: lenient 0.980, strict 0.934, speaker 0.843 (0.907 with names compared without a leading article,
# as the scorer now does). After the rules it prompted (tests/nlp/test_rules_fresh8.py): speaker 0.930.
FRESH8_FLOOR = {"lenient_f1": 0.975, "strict_f1": 0.93, "speaker_accuracy": 0.924}


@pytest.mark.parametrize(
    "folder, gold, floors",
    [
        (HELDOUT, 149, HELDOUT_FLOOR),
        (HELDOUT2, 86, HELDOUT2_FLOOR),
        (HELDOUT3, 62, HELDOUT3_FLOOR),
        (FRESH, 134, FRESH_FLOOR),
        (FRESH2, 119, FRESH2_FLOOR),
        (FRESH3, 127, FRESH3_FLOOR),
        (FRESH4, 144, FRESH4_FLOOR),
        (FRESH5, 178, FRESH5_FLOOR),
        (FRESH6, 237, FRESH6_FLOOR),
        (FRESH7, 178, FRESH7_FLOOR),
        (FRESH8, 176, FRESH8_FLOOR),
    ],
    ids=[
        "heldout",
        "heldout2",
        "heldout3",
        "fresh",
        "fresh2",
        "fresh3",
        "fresh4",
        "fresh5",
        "fresh6",
        "fresh7",
        "fresh8",
    ],
)
def test_heldout_set_scores_stay_at_the_level_reached(folder, gold, floors):
    from apps.nlp.evaluation import spacy_extractor

    summary = evaluate(folder, folder, spacy_extractor).summary()
    assert summary["gold"] == gold
    for key, floor in floors.items():
        assert summary[key] >= floor, (key, summary)


def test_speaker_names_compare_without_case_spacing_or_a_leading_article():
    from apps.nlp.evaluation import name_key

    assert name_key("The  State Department") == name_key("state department") == "state department"
    assert name_key("A senior official") == "senior official"
    assert name_key("Theresa Lazaro") == "theresa lazaro"  # only a whole leading word is an article
    article = GoldArticle(
        file="x.txt",
        index=1,
        title="t",
        body=(0, 100),
        quotes=[Span(0, 50, "The Treasury Department")],
        speaker_names={"The Treasury Department": {name_key("The Treasury Department")}},
    )
    assert score_article(article, [Span(0, 50, "Treasury Department")]).speaker_correct == 1
    assert score_article(article, [Span(0, 50, "Treasury")]).speaker_correct == 0
