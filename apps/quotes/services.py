"""Writes for speakers and quotes. Speaker resolution across the corpus lives here."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import transaction

from apps.nlp.types import SpeakerInfo

from .models import Speaker, SpeakerAlias

_TOKEN = re.compile(r"[\w'’.-]+", re.UNICODE)


def alias_key(surface: str) -> str:
    return " ".join(surface.casefold().split())


def name_tokens(name: str) -> frozenset[str]:
    return frozenset(t.strip(".'’").casefold() for t in _TOKEN.findall(name) if t.strip(".'’"))


def _contains(a: str, b: str) -> bool:
    """Name-token containment in either direction ("Xi" ⊂ "Xi Jinping"), independent of name order."""
    ta, tb = name_tokens(a), name_tokens(b)
    return bool(ta and tb) and (ta <= tb or tb <= ta)


def _alias_add(speaker: Speaker, surface: str, known: set[str]) -> None:
    key = alias_key(surface)
    if key and key not in known:
        SpeakerAlias.objects.get_or_create(speaker=speaker, alias_key=key, defaults={"alias": surface})
        known.add(key)


@transaction.atomic
def speakers_resolve(*, infos: Iterable[SpeakerInfo]) -> dict[str, Speaker]:
    """Map each extracted speaker to a corpus Speaker, creating one only when no existing speaker fits.

    An existing speaker fits when one of the info's forms is a known alias, or, for people, when the name
    tokens of one contain the other's ("Xi" joins "Xi Jinping"). Ambiguous bare names (two candidates) get a
    speaker of their own rather than a guess. Every form seen is recorded as an alias; a longer full name
    replaces a shorter canonical one.
    """
    infos = list(infos)
    if not infos:
        return {}
    forms = {alias_key(f) for info in infos for f in (info.name, *info.aliases)}
    tokens = {t for info in infos if info.kind == Speaker.Kind.PERSON for t in name_tokens(info.name)}
    candidates = (
        SpeakerAlias.objects.filter(alias_key__in=forms | tokens)
        .select_related("speaker")
        .only("alias_key", "speaker__name", "speaker__kind", "speaker__role", "speaker__merged_into_id")
    )
    by_key: dict[str, set[int]] = {}
    speakers: dict[int, Speaker] = {}
    for alias in candidates:
        speaker = alias.speaker
        while speaker.merged_into_id:  # follow merges to the surviving speaker
            speaker = Speaker.objects.get(pk=speaker.merged_into_id)
        speakers[speaker.pk] = speaker
        by_key.setdefault(alias.alias_key, set()).add(speaker.pk)

    resolved: dict[str, Speaker] = {}
    for info in infos:
        info_forms = [alias_key(f) for f in (info.name, *info.aliases)]
        exact = {pk for f in info_forms for pk in by_key.get(f, ())}
        fitting = [pk for pk in exact if speakers[pk].kind == info.kind] or list(exact)
        if not fitting and info.kind == Speaker.Kind.PERSON:
            fitting = [
                pk
                for pk, s in speakers.items()
                if s.kind == Speaker.Kind.PERSON and _contains(s.name, info.name)
            ]
        if len(fitting) == 1:
            speaker = speakers[fitting[0]]
            if len(name_tokens(info.name)) > len(name_tokens(speaker.name)) and _contains(speaker.name, info.name):
                speaker.name = info.name
                speaker.version += 1
                speaker.save(update_fields=["name", "version", "updated_at"])
            if info.role and not speaker.role:
                speaker.role = info.role
                speaker.save(update_fields=["role", "updated_at"])
        else:
            speaker = Speaker.objects.create(name=info.name, kind=info.kind, role=info.role)
            speakers[speaker.pk] = speaker
        known = {k for k, pks in by_key.items() if speaker.pk in pks}
        for form in (info.name, *info.aliases):
            _alias_add(speaker, form, known)
            by_key.setdefault(alias_key(form), set()).add(speaker.pk)
        resolved[info.name] = speaker
    return resolved
