"""Plain result types of the NLP layer. Offsets are code-point indices, half-open [start, end)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class EntitySpan:
    label: str
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class SpeakerInfo:
    """A source of quotes inside one text, with the canonical name and the surface forms seen."""

    name: str  # canonical: full name without titles ("Xi Jinping"), or the organisation as named
    kind: str  # "person" | "organisation" | "place"
    role: str = ""  # titles split off the name ("Chinese President")
    aliases: tuple[str, ...] = ()  # other surface forms in this text (never pronouns)


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    start: int  # content span, without the attribution clause
    end: int
    text: str
    kind: str  # "direct" | "indirect" | "mixed"
    cue: str | None = None  # cue word(s) as they appear, lower case ("said", "pointed out")
    cue_start: int | None = None
    cue_end: int | None = None
    speaker: str | None = None  # SpeakerInfo.name, or None when unsure
    speaker_mention: str | None = None  # surface form in the sentence ("he", "Xi")
    mention_start: int | None = None
    mention_end: int | None = None
    confidence: float = 0.0


@dataclass(slots=True)
class TextAnalysis:
    entities: list[EntitySpan] = field(default_factory=list)
    quotes: list[QuoteSpan] = field(default_factory=list)
    speakers: list[SpeakerInfo] = field(default_factory=list)
    n_words: int = 0
