"""The speaker registry after importing the seeds and every evaluation set (487 varied real-style articles in
session 7): no generic or non-agent speaker, no alias that names someone else, one speaker per person, and a
supervisor's edit of a speaker made between two imports survives the second. One import in two batches (spaCy
parses every article once), so one test."""

from __future__ import annotations

from pathlib import Path

import pytest

from apps.nlp import names
from apps.quotes.models import Speaker, SpeakerAlias
from tests.conftest import SEEDS

DATA = Path(__file__).resolve().parent / "data"
ARTICLES = sorted(DATA.glob("*/*.txt"))
LATER = sorted(DATA.glob("fresh2/*.txt"))  # imported after the supervisor's edit
GENERIC = {"people", "person", "reader", "readers", "interpretation", "network", "officials", "analysts", "diplomats"}

pytestmark = pytest.mark.django_db


def test_importing_varied_articles_leaves_a_registry_a_supervisor_need_not_clean(supervisor, settings):
    settings.SPACY_N_PROCESS, settings.SPACY_N_PROCESS_MIN_TEXTS = 2, 100  # parse on both cores: hundreds of texts
    from apps.ingest.models import ImportBatch
    from apps.ingest.services import import_sources, local_sources
    from apps.quotes import services
    from apps.quotes.models import Quote

    assert len(ARTICLES) >= 45 and LATER
    first = [p for p in ARTICLES if p not in LATER]
    import_sources(batch=ImportBatch.objects.create(), sources=local_sources([*SEEDS, *first]))

    # a supervisor corrects a speaker that the later articles quote again, by other names and titles
    wang = SpeakerAlias.objects.get(alias_key="wang yi", speaker__merged_into__isnull=True).speaker
    services.speaker_update(
        speaker=wang, version=wang.version, actor=supervisor, name="Wang Yi", kind="person", role="Top diplomat"
    )
    before = Quote.objects.filter(speaker=wang).count()
    import_sources(batch=ImportBatch.objects.create(), sources=local_sources(LATER))
    wang.refresh_from_db()
    assert (wang.name, wang.kind, wang.role, wang.merged_into_id) == ("Wang Yi", "person", "Top diplomat", None)
    assert Quote.objects.filter(speaker=wang).count() > before  # the new articles' quotes joined the edited speaker
    assert not Speaker.objects.exclude(pk=wang.pk).filter(aliases__alias_key="wang yi", merged_into__isnull=True)
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
