"""The one check of a span's offsets against its text (design.md §3): code points, half-open [start, end)."""

from __future__ import annotations

import regex
from django.core.exceptions import ValidationError

_GRAPHEME = regex.compile(r"\X")


def grapheme_boundaries(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether ``start`` and ``end`` fall between grapheme clusters (an emoji with its modifiers, a letter with
    its combining accents), looking only at the clusters around them."""
    if text.isascii() and "\r" not in text:  # every offset of ASCII text without CR LF is a boundary (O(1) check)
        return True, True

    def on_boundary(offset: int) -> bool:
        if offset in (0, len(text)):
            return True
        left = max(0, offset - 16)  # clusters longer than this are pathological; scan a window, not the text
        for match in _GRAPHEME.finditer(text, left, min(len(text), offset + 16)):
            if match.start() == offset:
                return True
            if match.start() < offset < match.end():
                return False
        return True

    return on_boundary(start), on_boundary(end)


def span_offsets(*, text: str, start, end) -> tuple[int, int]:
    """Whole numbers with 0 <= start < end <= len(text), covering more than white space and not splitting a
    character (grapheme cluster); otherwise a ValidationError that says what is wrong."""
    try:
        start, end = int(start), int(end)
    except (TypeError, ValueError):
        raise ValidationError("Offsets must be whole numbers.", code="bad_offsets") from None
    if not 0 <= start < end <= len(text):
        raise ValidationError(
            f"A span must satisfy 0 <= start < end <= {len(text)}; got [{start}, {end}).", code="bad_offsets"
        )
    if not text[start:end].strip():
        raise ValidationError("A span cannot be only white space.", code="blank_span")
    if not all(grapheme_boundaries(text, start, end)):
        raise ValidationError(
            "A span cannot start or end inside a character (an emoji or an accented letter).", code="split_character"
        )
    return start, end
