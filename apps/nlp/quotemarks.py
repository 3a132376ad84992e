"""Quotation-mark regions in plain text: pairing straight, curly, guillemet and single marks.

Works on the string alone (no parse), in one left-to-right pass. News text is messy: straight marks are
ambiguous, ``'`` and ``’`` double as apostrophes, and a quotation that runs over several paragraphs reopens
the mark at each paragraph without closing the previous one. Unpaired marks are dropped, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
DOUBLE_AMBIGUOUS = '"‟'
SINGLE_OPEN = "‘‹‚"
SINGLE_CLOSE = "›"
SINGLE_AMBIGUOUS = "'’"  # also apostrophes

ALL_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_AMBIGUOUS + SINGLE_OPEN + SINGLE_CLOSE + SINGLE_AMBIGUOUS
_MARK_RE = re.compile(f"''|[{re.escape(ALL_MARKS)}]")  # '' stands for a double mark in newswire archives
_PARA_RE = re.compile(r"[^\r\n]+")
_LOW_HIGH_CLOSE = "“‘"
_OPENING_CONTEXT = set(" \t\u00a0([{-–—/:;" + DOUBLE_OPEN + SINGLE_OPEN + DOUBLE_AMBIGUOUS)


@dataclass(frozen=True, slots=True)
class QuoteRegion:
    """A paired quotation: ``open`` and ``close`` are the indices of the marks themselves."""

    open: int
    close: int  # the paragraph end for a quotation continued over paragraphs and never closed
    double: bool
    reopens: tuple[int, ...] = ()  # reopening marks of the following paragraphs, for a continued quotation

    @property
    def inner_start(self) -> int:
        return self.open + 1

    @property
    def inner_end(self) -> int:
        return self.close


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as ``(start, end)``, trailing whitespace excluded. A line that ends a quotation with a
    comma is joined to a short attribution line after it (``continues_on_next_line``)."""
    spans: list[tuple[int, int]] = []
    for m in _PARA_RE.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1].isspace():
            end -= 1
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            if (
                spans
                and continues_on_next_line(text[spans[-1][0] : spans[-1][1]])
                and _attribution_line(text[start:end])
            ):
                spans[-1] = (spans[-1][0], end)
            else:
                spans.append((start, end))
    return spans


_CLOSING = DOUBLE_CLOSE + DOUBLE_AMBIGUOUS + SINGLE_CLOSE + SINGLE_AMBIGUOUS
_MAX_ATTRIBUTION_WORDS = 12


def continues_on_next_line(line: str) -> bool:
    """'"Both sides know there is no military solution,"' at the end of a line: a quotation closed after a
    comma is always followed by its attribution, so the sentence goes on in the next line."""
    line = line.rstrip()
    return len(line) >= 3 and line[-1] in _CLOSING and line[-2] == ","


def _attribution_line(line: str) -> bool:
    """A short line that ends a sentence and holds no quotation of its own ('Ana Ruiz told reporters.'), or a
    line that goes on with the sentence (it opens in lower case) and whose first sentence is such an attribution
    ('said a second aide. "We will see."'): the quotation after it is the same speaker's."""
    words = line.split()
    if 0 < len(words) <= _MAX_ATTRIBUTION_WORDS and line.rstrip()[-1:] in ".!?" and not _MARK_RE.search(line):
        return True
    first = _FIRST_SENTENCE_RE.match(line)
    return bool(line[:1].islower() and first and _attribution_line(first.group(0)))


_FIRST_SENTENCE_RE = re.compile(r"[^.!?]*[.!?](?=\s)")


def _family(ch: str) -> bool:
    """True for the double-mark family."""
    return ch in DOUBLE_OPEN or ch in DOUBLE_CLOSE or ch in DOUBLE_AMBIGUOUS


def _role(text: str, i: int, para_start: int, para_end: int) -> str:
    """'open', 'close', 'either' or 'none' (an apostrophe) from the mark and its neighbours."""
    ch = text[i]
    prev = text[i - 1] if i > para_start else " "
    nxt = text[i + 1] if i + 1 < para_end else " "
    left_flank = prev in _OPENING_CONTEXT or prev.isspace()
    right_flank = nxt.isspace() or (not nxt.isalnum() and nxt not in "$£€#@")
    if ch in _LOW_HIGH_CLOSE and not prev.isspace() and prev not in _OPENING_CONTEXT and right_flank:
        return "close"  # German and Central European „...“ and ‚...‘: the high mark closes
    if ch in DOUBLE_OPEN or ch in SINGLE_OPEN:
        return "open"
    if ch in DOUBLE_CLOSE or ch in SINGLE_CLOSE:
        return "close"
    if ch in SINGLE_AMBIGUOUS:
        if prev.isalnum() and nxt.isalnum():
            return "none"  # don't, Ukraine's
        if left_flank and not nxt.isspace():
            return "open"
        if not prev.isspace() and right_flank:
            return "close"  # may still be a plural possessive: decided by the stack
        return "none"
    if left_flank and not nxt.isspace():
        return "open"
    if not prev.isspace() and right_flank:
        return "close"
    return "either"


def find_regions(text: str, paras: list[tuple[int, int]] | None = None) -> list[QuoteRegion]:
    """Paired quotation regions, sorted by opening mark; nested single-in-double regions included."""
    if paras is None:
        paras = paragraphs(text)
    pairing = _Pairing()
    for p, (start, end) in enumerate(paras):
        stack: list[tuple[int, bool]] = []  # open marks: (index, double?)
        reopen = pairing.reopen(stack, start)
        for m in _MARK_RE.finditer(text, start, end):
            if reopen and m.start() == start:
                continue  # the reopening mark itself
            _pair_mark(_read_mark(text, m.start(), m.end(), start, end), stack, pairing)
        nxt = paras[p + 1] if p + 1 < len(paras) else None
        pairing.carry_over(stack, end, nxt is not None and _reopens(text, *nxt))
    pairing.regions.sort(key=lambda r: r.open)
    return pairing.regions


class _Pairing:
    """The regions found so far and a double quotation left open at a paragraph end (its opening mark and the
    reopening marks of the paragraphs that continue it)."""

    def __init__(self) -> None:
        self.regions: list[QuoteRegion] = []
        self.chain: tuple[int, list[int]] | None = None

    def reopen(self, stack: list[tuple[int, bool]], start: int) -> bool:
        """A paragraph after an open quotation starts inside it (checked at the previous paragraph's end)."""
        if self.chain is None:
            return False
        stack.append((self.chain[0], True))
        self.chain[1].append(start)
        return True

    def close(self, o: int, i: int, double: bool) -> None:
        if self.chain is not None and o == self.chain[0]:
            self.regions.append(QuoteRegion(o, i, double, tuple(self.chain[1])))
            self.chain = None
        else:
            self.regions.append(QuoteRegion(o, i, double))

    def carry_over(self, stack: list[tuple[int, bool]], end: int, next_reopens: bool) -> None:
        """A double quotation still open at the paragraph end continues if the next paragraph reopens it; a
        chain of two or more paragraphs is a quotation even when the last one leaves it unclosed."""
        outer = next((o for o, d in stack if d), None)
        if outer is None:
            self.chain = None
            return
        if self.chain is None or self.chain[0] != outer:
            self.chain = (outer, [])
        if not next_reopens:
            if self.chain[1]:
                self.regions.append(QuoteRegion(self.chain[0], end, True, tuple(self.chain[1])))
            self.chain = None


def _reopens(text: str, start: int, end: int) -> bool:
    """The paragraph opens with a double quotation mark (or the two apostrophes that stand for one)."""
    return text.startswith("''", start) or (_family(text[start]) and _role(text, start, start, end) == "open")


@dataclass(frozen=True, slots=True)
class _Mark:
    role: str  # open / close / either / none
    double: bool
    open_at: int  # the index a region opened here records (its inner text starts right after)
    close_at: int  # the index a region closed here records (its inner text ends right before)


def _read_mark(text: str, i: int, j: int, start: int, end: int) -> _Mark:
    """The mark at text[i:j]: one character, or the two apostrophes of the wire-archive convention
    (''We will,'' he said), which open before a word and close after one."""
    if j - i == 1:
        return _Mark(_role(text, i, start, end), _family(text[i]), i, i)
    prev = text[i - 1] if i > start else " "
    nxt = text[j] if j < end else " "
    if (prev.isspace() or prev in _OPENING_CONTEXT) and not nxt.isspace():
        role = "open"
    elif not prev.isspace():
        role = "close"
    else:
        role = "none"
    return _Mark(role, True, j - 1, i)


def _pair_mark(mark: _Mark, stack: list[tuple[int, bool]], pairing: _Pairing) -> None:
    """Close the innermost open mark of the same family, or open a new one. A stray single mark inside a
    double quotation is an apostrophe; a stray single opening before a double closing is dropped."""
    role, double, i = mark.role, mark.double, mark.close_at
    if role == "none":
        return
    if role in ("close", "either") and stack:
        if stack[-1][1] == double:
            pairing.close(stack.pop()[0], i, double)
            return
        if double and any(d for _, d in stack):
            while not stack[-1][1]:
                stack.pop()
            pairing.close(stack.pop()[0], i, True)
            return
        if not double:
            return
    if role in ("open", "either"):
        stack.append((mark.open_at, double))
