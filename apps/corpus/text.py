"""Text normalisation, and the one renderer of article text with highlights that every page uses.

The renderer knows layers only as plain :class:`Mark` objects (offsets, a key, CSS classes, a hover title): the
apps that own spans, quotes and entities build the marks, this module draws them. The HTML shape is the same on
every page, so one JavaScript module (``static/js/offsets.js``) and one set of selectors work everywhere::

    <p [id="p3"] data-start="120" data-end="245">plain text<span class="m-quote" data-m="q7 e12" title="…">…</span></p>

One ``<p>`` per line of the text (its text content is exactly ``text[start:end]``), flat ``<span>``s inside it (no
nesting: a segment lists in ``data-m`` the keys of every mark covering it). Keys are "<layer letter><id>": ``a``
span, ``q`` quote, ``e`` entity suggestion; ``[data-m~="q7"]`` finds every piece of quote 7.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape  # the stdlib one: same escaping as Django's, without the lazy-string wrapper
from itertools import pairwise

from django.utils.safestring import SafeString, mark_safe


def normalize_text(text: str) -> str:
    """NFC, ``\\n`` line ends, no trailing spaces: the one form offsets are counted in."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Mark:
    """A highlight to draw: [start, end) in code points.

    ``layer`` names the kind of mark ("ent", "quote", "mine", ...); ``key`` is unique within the page ("q7");
    ``label`` is free data for a page's own style (an entity label, a theme id); ``classes`` and ``title`` are what
    the default style draws (CSS classes, hover text).
    """

    start: int
    end: int
    layer: str
    key: str
    label: str = ""
    classes: str = ""
    title: str = ""


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
        for a, b in pairwise(bounds):
            if a >= b:
                continue
            covering = [m for m in active if m.start <= a and m.end >= b]
            para.segments.append(Segment(start=a, end=b, text=text[a:b], marks=covering))
        paragraphs.append(para)
        pos = p_end + 1
    return paragraphs


# --- HTML -----------------------------------------------------------------------------------------------------------

# A style decides, from the marks covering a segment, its CSS classes and hover title (both unescaped).
Style = Callable[[Segment], tuple[str, str]]


def mark_style(segment: Segment) -> tuple[str, str]:
    """The default style: every mark's own classes (once each) and titles."""
    classes = []
    titles = []
    for mark in segment.marks:
        if mark.classes:
            classes.extend(mark.classes.split())
        if mark.title and mark.title not in titles:
            titles.append(mark.title)
    return " ".join(dict.fromkeys(classes)), "; ".join(titles)


def segment_html(segment: Segment, style: Style = mark_style) -> str:
    text = escape(segment.text)
    if not segment.marks:
        return text
    classes, title = style(segment)
    keys = " ".join(m.key for m in segment.marks)
    title = f' title="{escape(title)}"' if title else ""
    return f'<span class="{classes}" data-m="{keys}"{title}>{text}</span>'


def paragraph_html(para: Paragraph, *, style: Style = mark_style, id_prefix: str = "", oob: bool = False) -> str:
    """One line of the text. ``id_prefix`` gives it an id (``p3``) for out-of-band swaps; only one text per page
    may use it."""
    pid = f' id="{id_prefix}{para.index}"' if id_prefix else ""
    swap = ' hx-swap-oob="true"' if oob else ""
    body = "".join(segment_html(seg, style) for seg in para.segments)
    return f'<p{pid} data-start="{para.start}" data-end="{para.end}"{swap}>{body}</p>'


@dataclass(frozen=True, slots=True)
class RenderedText:
    """An article's text as HTML (safe to put in a template) and how many of its paragraphs hold text."""

    html: SafeString
    paragraphs: int

    def __str__(self) -> str:
        return self.html

    def __html__(self) -> str:
        return self.html


def text_html(text: str, marks: list[Mark], *, style: Style = mark_style, id_prefix: str = "") -> RenderedText:
    """The whole text as paragraphs with every mark drawn; put it in ``components/article_text.html``."""
    paragraphs = paragraphs_with_marks(text, marks)
    html = "\n".join(paragraph_html(p, style=style, id_prefix=id_prefix) for p in paragraphs)
    return RenderedText(mark_safe(html), sum(1 for p in paragraphs if p.end > p.start))


def paragraphs_html_between(
    text: str, marks: list[Mark], start: int, end: int, *, style: Style = mark_style, id_prefix: str = "p"
) -> SafeString:
    """Only the paragraphs overlapping [start, end), as out-of-band swaps (the marks need only cover that range)."""
    out = []
    for para in paragraphs_with_marks(text, marks):
        if para.end < start:
            continue
        if para.start >= end:
            break
        out.append(paragraph_html(para, style=style, id_prefix=id_prefix, oob=True))
    return mark_safe("\n".join(out))


def context_around(text: str, start: int, end: int, *, chars: int = 60) -> str:
    """``text[start:end]`` with up to ``chars`` characters either side, cut at spaces and within its line,
    e.g. "… talks in Moscow on Thursday …" (for hover text in panels)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    a = max(line_start, start - chars)
    b = min(line_end, end + chars)
    if a > line_start and " " in text[a:start]:
        a = text.index(" ", a) + 1
    if b < line_end and " " in text[end:b]:
        b = text.rindex(" ", end, b)
    before = "…" if a > line_start else ""
    after = "…" if b < line_end else ""
    return f"{before}{text[a:b]}{after}"
