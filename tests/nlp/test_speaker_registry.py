"""The speaker registry after importing the seeds and 47 varied real-style articles (the evaluation sets): no
generic or non-agent speaker, no alias that names someone else, one speaker per person. One import (spaCy
parses every article), so one test."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.nlp import names
from apps.quotes.models import Speaker, SpeakerAlias
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parent / "data"
ARTICLES = sorted(DATA.glob("*/*.txt"))
GENERIC = {"people", "person", "reader", "readers", "interpretation", "network", "officials", "analysts", "diplomats"}

pytestmark = pytest.mark.django_db


def test_importing_varied_articles_leaves_a_registry_a_supervisor_need_not_clean():
    from apps.ingest.models import ImportBatch
    from apps.ingest.services import import_sources, local_sources

    assert len(ARTICLES) >= 30
    import_sources(batch=ImportBatch.objects.create(), sources=local_sources([*SEEDS, *ARTICLES]))
    speakers = list(Speaker.objects.filter(merged_into__isnull=True).prefetch_related("aliases"))
    assert len(speakers) > 50

    # no description ("officials", "a source close to ...", "the newspaper") and no non-agent ("reader")
    generic = [s.name for s in speakers if not names.is_corpus_speaker(s.name, s.kind) or s.name.casefold() in GENERIC]
    assert generic == []

    # no alias that is someone else: "Clinton" known as "Mrs. Clinton's aides", "Cho Tae-yul" as "Cho Hyun", a
    # description ("spokesman") that would join strangers across articles
    wrong = [
        (s.name, a.alias)
        for s in speakers
        if s.kind == Speaker.Kind.PERSON
        for a in s.aliases.all()
        if not names.same_speaker(names.speaker_name_parts(a.alias)[0] or a.alias, s.name)
    ]
    assert wrong == [], "\n".join(map(str, wrong))

    # names without titles, and one speaker per person across articles
    assert [s.name for s in speakers if s.kind == Speaker.Kind.PERSON and names.speaker_name_parts(s.name)[1]] == []
    for full in ("xi jinping", "vladimir putin"):
        owners = SpeakerAlias.objects.filter(alias_key=full, speaker__merged_into__isnull=True)
        assert owners.values("speaker").distinct().count() == 1, full
