import json
from collections import Counter

import pytest
from django.core.management import call_command

from apps.annotations.models import Theme
from tests.suggestions.conftest import DEV_SET

pytestmark = pytest.mark.django_db


def test_the_development_set_has_300_coded_sentences_over_the_seed_themes(themes):
    data = json.loads(DEV_SET.read_text(encoding="utf-8"))
    sentences = [s for a in data["articles"] for s in a["sentences"]]
    assert len(sentences) >= 300 and len(data["articles"]) >= 20
    slugs = set(Theme.objects.values_list("slug", flat=True))
    counts = Counter(t for s in sentences for t in s["themes"])
    assert set(counts) == slugs and min(counts.values()) >= 20  # every seed theme, at least 20 sentences each
    assert any(a["source"].startswith("fixtures/seeds/") for a in data["articles"])
    assert "before any model was trained" in data["about"]


def test_evaluate_suggestions_prints_per_theme_scores_a_learning_curve_and_a_json_last_line(themes, capsys):
    call_command("evaluate_suggestions", "--folds", "2", "--repeats", "1")
    lines = capsys.readouterr().out.strip().splitlines()
    result = json.loads(lines[-1])
    assert result["sentences"] >= 300 and len(result["per_theme"]) == 12
    assert [p["per_theme"] for p in result["learning_curve"]] == [5, 10, 20, 50]
    assert {"micro_f1", "keyword_baseline_micro_f1", "beats_baseline"} <= set(result["at_20"])
    assert 0 < result["keyword_baseline"]["micro"]["f1"] < 1 and 0 < result["micro"]["f1"] < 1
    assert any(line.startswith("taiwan") or line.startswith("Taiwan") for line in lines)
