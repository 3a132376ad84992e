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


DATA = Path(__file__).resolve().parent / "data"
# Every evaluation set in data/: its gold quote count and floors (lenient F1, strict F1, speaker accuracy), the
# figures last reached minus about one quote's worth. Which sets were written blind, their first runs (the honest
# estimates on unseen text) and the rules each prompted are in data/FIGURES.md.
SETS = {
    "heldout": (149, (0.993, 0.993, 0.972)),
    "heldout2": (86, (0.988, 0.988, 0.985)),
    "heldout3": (62, (0.99, 0.96, 0.975)),
    "fresh": (134, (0.985, 0.978, 0.969)),
    "fresh2": (119, (0.992, 0.975, 0.975)),  # since session 11 a turn splits around a report it holds
    "fresh3": (127, (0.995, 0.984, 0.945)),
    "fresh4": (144, (0.99, 0.975, 0.978)),
    "fresh5": (178, (0.963, 0.913, 0.965)),
    "fresh6": (237, (0.985, 0.938, 0.922)),
    "fresh7": (178, (0.98, 0.945, 0.937)),
    "fresh8": (176, (0.98, 0.933, 0.93)),
    "fresh9": (208, (0.985, 0.97, 0.946)),
    "fresh10": (195, (0.98, 0.932, 0.968)),
    "fresh11": (189, (0.95, 0.897, 0.939)),
    "fresh12": (200, (0.965, 0.94, 0.938)),
    "fresh13": (216, (0.965, 0.912, 0.913)),
    "fresh14": (218, (0.98, 0.942, 0.953)),
    "fresh15": (127, (0.965, 0.925, 0.94)),
    "fresh16": (193, (0.98, 0.948, 0.905)),
    "fresh17": (186, (0.961, 0.939, 0.943)),
    "fresh18": (200, (0.966, 0.936, 0.922)),
    "fresh19": (217, (0.969, 0.941, 0.937)),
    "fresh20": (
        250,
        (0.978, 0.93, 0.924),
    ),  # its gold keeps a nickname in a name ('Jimmy "Barbecue" ...'); fresh26's does not
    "fresh21": (225, (0.978, 0.92, 0.921)),
    "fresh22": (189, (0.97, 0.948, 0.923)),
    "fresh23": (199, (0.966, 0.941, 0.896)),
    "fresh24": (198, (0.976, 0.951, 0.943)),
    "fresh25": (167, (0.967, 0.942, 0.944)),
    "fresh26": (208, (0.968, 0.939, 0.841)),
    "fresh27": (206, (0.967, 0.947, 0.932)),
    "fresh28": (194, (0.971, 0.918, 0.903)),
    "fresh29": (204, (0.977, 0.957, 0.905)),
    "fresh30": (206, (0.959, 0.905, 0.963)),
    "fresh31": (216, (0.98, 0.943, 0.886)),
    "fresh32": (205, (0.979, 0.965, 0.955)),
    # written blind in session 9 (data/FIGURES.md has their first runs)
    "fresh33": (213, (0.985, 0.965, 0.952)),
    "fresh34": (228, (0.97, 0.93, 0.914)),
    "fresh35": (220, (0.972, 0.91, 0.91)),
    "fresh36": (223, (0.97, 0.915, 0.866)),
    "fresh37": (222, (0.978, 0.937, 0.926)),
    "fresh38": (209, (0.975, 0.932, 0.931)),
    "fresh39": (227, (0.963, 0.923, 0.936)),
    "fresh40": (230, (0.979, 0.943, 0.887)),
    "fresh41": (249, (0.978, 0.925, 0.921)),
    "fresh42": (198, (0.979, 0.948, 0.943)),
    "fresh43": (211, (0.977, 0.963, 0.956)),
    "fresh44": (241, (0.975, 0.946, 0.897)),
    # not tuned on: their first runs on the session's final extractor
    "fresh45": (219, (0.983, 0.969, 0.958)),
    "fresh46": (197, (0.986, 0.971, 0.923)),
    "fresh47": (216, (0.975, 0.919, 0.924)),
    "fresh48": (215, (0.978, 0.959, 0.895)),
    "fresh49": (157, (0.969, 0.93, 0.928)),
    "fresh50": (147, (0.987, 0.966, 0.864)),
    # written blind in session 10, first run on a1c3d56 (data/FIGURES.md), then tuned on
    "fresh51": (216, (0.974, 0.955, 0.928)),
    "fresh52": (189, (0.987, 0.971, 0.946)),
    "fresh53": (200, (0.962, 0.932, 0.912)),
    "fresh54": (187, (0.984, 0.935, 0.858)),
    "fresh56": (198, (0.974, 0.954, 0.948)),
    # written blind in session 10, first run on db219dc and not tuned on (data/FIGURES.md)
    "fresh55": (240, (0.978, 0.923, 0.927)),
    "fresh57": (201, (0.99, 0.97, 0.93)),
    "fresh58": (201, (0.972, 0.937, 0.861)),
    # written blind in session 10, first run on 6fcb50b (data/FIGURES.md); fresh60 then prompted one rule
    "fresh59": (187, (0.97, 0.911, 0.939)),
    "fresh60": (173, (0.968, 0.927, 0.922)),
    "fresh61": (186, (0.976, 0.954, 0.879)),
    "fresh62": (202, (0.987, 0.977, 0.87)),
    # written blind in session 11, first run on 421d917 (fresh63-66) and 4a1cbea (fresh67) (data/FIGURES.md);
    # fresh63, fresh64, fresh65 and fresh67 then tuned on
    "fresh63": (191, (0.98, 0.953, 0.866)),
    "fresh64": (199, (0.97, 0.95, 0.953)),
    "fresh65": (169, (0.878, 0.855, 0.89)),  # its writer counts no question; issue 9 counts them
    "fresh66": (209, (0.976, 0.938, 0.902)),  # not tuned on
    "fresh67": (245, (0.928, 0.905, 0.822)),
    # written blind in session 11, first run on 4a1cbea (data/FIGURES.md); fresh70 then prompted one rule
    "fresh68": (182, (0.967, 0.94, 0.926)),
    "fresh69": (215, (0.974, 0.942, 0.919)),
    "fresh70": (181, (0.978, 0.955, 0.897)),
    # written blind in session 11, first run on 140b97c (data/FIGURES.md), not tuned on
    "fresh71": (191, (0.855, 0.783, 0.809)),  # since session 12 Taoiseach is a title: "the Taoiseach" names no one
    "fresh72": (160, (0.978, 0.946, 0.936)),
    # written blind in session 12 (data/FIGURES.md has their first runs on 1c09fa5, aefb476, a9841e8 and 343a49d),
    # then tuned on
    "fresh73": (210, (0.975, 0.931, 0.96)),
    "fresh74": (206, (0.972, 0.958, 0.94)),
    "fresh75": (262, (0.98, 0.934, 0.896)),
    "fresh76": (209, (0.97, 0.927, 0.94)),
    "fresh77": (212, (0.984, 0.975, 0.912)),
    "fresh78": (235, (0.979, 0.924, 0.942)),
    "fresh79": (219, (0.976, 0.944, 0.91)),
    "fresh80": (219, (0.976, 0.944, 0.924)),
}


@pytest.mark.parametrize("name", list(SETS))
def test_evaluation_set_scores_stay_at_the_level_reached(name, parsed):
    from apps.nlp.evaluation import quote_spans

    gold, floors = SETS[name]
    parsed.many([f.read_text(encoding="utf-8") for f in sorted((DATA / name).glob("*.txt"))])
    summary = evaluate(DATA / name, DATA / name, lambda text: quote_spans(parsed(text))).summary()
    assert summary["gold"] == gold
    for key, floor in zip(("lenient_f1", "strict_f1", "speaker_accuracy"), floors):
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
