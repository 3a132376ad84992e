"""World knowledge lives in ``apps/nlp/data/world.json`` (issue 9): no list of titles, institutions, blocs or
epithets in code, more than one entry per kind, and the extractor reads its epithets from the data."""

from __future__ import annotations

import json
from pathlib import Path

import apps.nlp
from apps.nlp import names, sources

WORLD_FILE = Path(apps.nlp.__file__).resolve().parent / "data" / "world.json"


def test_every_kind_of_world_knowledge_has_more_than_one_entry():
    data = json.loads(WORLD_FILE.read_text(encoding="utf-8"))
    kinds = {k: v for k, v in data.items() if not k.startswith("_")}
    assert {"title_words", "body_nouns", "blocs", "bloc_nouns", "institution_epithets"} <= set(kinds)
    for kind, entries in kinds.items():
        assert len(entries) > 1, kind
    for epithet in data["institution_epithets"]:
        assert epithet["name"] and len(epithet["owners"]) > 1 and len(epithet["heads"]) > 1


def test_the_code_reads_its_lists_from_the_data_file():
    data = json.loads(WORLD_FILE.read_text(encoding="utf-8"))
    assert names.TITLE_WORDS == frozenset(data["title_words"])
    assert names.ORG_NOUNS == frozenset(data["body_nouns"])
    assert sources._BLOCS == frozenset(data["blocs"])
    assert sources._EPITHETS["eu's executive arm"] == "European Commission"


def test_an_institution_epithet_from_the_data_names_the_institution(extract):
    quotes, _ = extract(
        "Inspectors returned to the plant on Monday. The UN's nuclear watchdog said it had lost contact with "
        "its cameras.\nThe World Body's top court said it would rule on the case next year.\n"
    )
    got = {q.text: q.speaker for q in quotes}
    assert got["it had lost contact with its cameras"] == "International Atomic Energy Agency"
    assert got["it would rule on the case next year"] == "International Court of Justice"
