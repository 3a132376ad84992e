"""Text normalisation and span rendering shared by every page that shows article text."""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, field


def normalize_text(text: str) -> str:
    """NFC, ``\\n`` line ends, no trailing spaces: the one form offsets are counted in."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlight to draw: [start, end) in code points, with a layer name and free attributes."""

    start: int
    end: int
    layer: str
    key: str  # unique within the page, e.g. "ent-12"
    label: str = ""
    attrs: tuple = ()


@dataclass(slots=True)
class Segment:
    start: int
    end: int
    text: str
    marks: list[Mark] = field(default_factory=list)


@dataclass(slots=True)
class Paragraph:
    index: int
    start: int
    end: int
    segments: list[Segment] = field(default_factory=list)


def paragraphs_with_marks(text: str, marks: list[Mark]) -> list[Paragraph]:
    """Split ``text`` into paragraphs (lines) and each into segments covered by the same set of marks.

    A sweep over sorted boundaries: O((n + m) log m), so overlapping and nested marks render without
    nesting HTML elements (every segment lists all marks covering it).
    """
    paragraphs: list[Paragraph] = []
    starts = sorted(marks, key=lambda m: (m.start, -m.end))
    pos = 0
    mi = 0
    active: list[Mark] = []
    for index, line in enumerate(text.split("\n")):
        p_start, p_end = pos, pos + len(line)
        para = Paragraph(index=index, start=p_start, end=p_end)
        cuts = {p_start, p_end}
        # marks starting before the end of this paragraph become candidates
        while mi < len(starts) and starts[mi].start < p_end:
            active.append(starts[mi])
            mi += 1
        active = [m for m in active if m.end > p_start]
        for m in active:
            cuts.add(max(m.start, p_start))
            cuts.add(min(m.end, p_end))
        bounds = sorted(cuts)
        for a, b in zip(bounds, bounds[1:]):
            if a >= b:
                continue
            covering = [m for m in active if m.start <= a and m.end >= b]
            para.segments.append(Segment(start=a, end=b, text=text[a:b], marks=covering))
        paragraphs.append(para)
        pos = p_end + 1
    return paragraphs
