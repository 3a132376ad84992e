"""The speaker registry after importing the seeds and 40-odd varied real-style articles (the evaluation sets):
no generic or non-agent speaker, no alias that names someone else."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.nlp import names
from apps.quotes.models import Speaker, SpeakerAlias
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parents[1] / "nlp" / "data"
ARTICLES = sorted(DATA.glob("*/*.txt"))

pytestmark = pytest.mark.django_db

GENERIC = {"people", "person", "reader", "readers", "interpretation", "network", "officials", "analysts", "diplomats"}


@pytest.fixture
def imported():
    from apps.ingest.models import ImportBatch
    from apps.ingest.services import import_sources, local_sources

    assert len(ARTICLES) >= 30
    import_sources(batch=ImportBatch.objects.create(), sources=local_sources([*SEEDS, *ARTICLES]))
    return list(Speaker.objects.filter(merged_into__isnull=True).prefetch_related("aliases"))


def test_the_registry_holds_no_generic_or_non_agent_speaker(imported):
    assert len(imported) > 50
    offenders = [s.name for s in imported if not names.is_corpus_speaker(s.name, s.kind)]
    offenders += [s.name for s in imported if s.name.casefold() in GENERIC]
    assert offenders == []


def test_no_alias_names_a_group_around_the_speaker_or_someone_else(imported):
    wrong = [
        (speaker.name, alias.alias)  # "Clinton" known as "Mrs. Clinton's aides", "Cho Tae-yul" as "Cho Hyun"
        for speaker in imported
        if speaker.kind == Speaker.Kind.PERSON
        for alias in speaker.aliases.all()
        if not names.same_speaker(names.speaker_name_parts(alias.alias)[0] or alias.alias, speaker.name)
    ]
    assert all(names.speaker_name_parts(s.name)[1] == "" for s in imported if s.kind == Speaker.Kind.PERSON)
    assert wrong == [], "\n".join(map(str, wrong))


def test_one_speaker_per_person_across_articles(imported):
    keys = SpeakerAlias.objects.filter(speaker__merged_into__isnull=True).values_list("alias_key", "speaker_id")
    by_key: dict[str, set[int]] = {}
    for key, speaker_id in keys:
        by_key.setdefault(key, set()).add(speaker_id)
    for full in ("xi jinping", "vladimir putin"):
        assert len(by_key.get(full, ())) == 1, full
