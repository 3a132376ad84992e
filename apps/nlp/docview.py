"""A read-only view of a parsed ``Doc`` for the quote rules: token arrays, paragraphs, segments, entities.

Built once per document from ``doc.to_array`` (a few vectorised passes), so that the rules themselves can stay
local to a handful of tokens. ``doc.ents`` and ``doc.sents`` are avoided on purpose: both build a ``Token``
object for every token of the text, which costs as much as the rules do.
"""

from __future__ import annotations

import bisect
import functools
import re

import numpy as np
from spacy.attrs import (
    DEP,
    ENT_IOB,
    ENT_TYPE,
    HEAD,
    IDX,
    IS_ALPHA,
    IS_PUNCT,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LEMMA,
    LENGTH,
    LOWER,
    ORTH,
    POS,
    SENT_START,
    SPACY,
)
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from .names import COUNTRIES, DETERMINERS, TITLE_WORDS, fold, speaker_name_parts, strip_determiner, strip_possessive
from .quotemarks import find_regions, paragraphs


def _title_token(tok: Token) -> bool:
    """A capitalised title word ("Minister", "Deputy", "Vice-Premier")."""
    text = tok.text
    if not text[:1].isupper():
        return False
    low = tok.lower_
    return low in TITLE_WORDS or ("-" in low and all(p in TITLE_WORDS for p in low.split("-") if p))


def coordinated_title_start(doc: Doc, left: int, lo: int) -> int:
    """Extend a titled mention's left edge over a coordinated title: in "Deputy Prime Minister and Foreign
    Minister Senator Mohammad Ishaq Dar" the mention starting at "Foreign" (or "Senator", the parser often
    leaves the first title outside the name's subtree) also takes "Deputy Prime Minister and Foreign
    Minister". The words crossed may only be title words or nationality / place words ("Chinese Vice Premier
    and Foreign Minister Wang Yi"), the word before "and" must be a title word, and nothing changes unless
    an "and" is crossed."""

    def titled(k: int) -> bool:
        tok = doc[k]
        return _title_token(tok) or (tok.ent_type_ in ("NORP", "GPE") and tok.text[:1].isupper())

    if left >= len(doc) or not _title_token(doc[left]):
        return left
    k = left
    while k - 1 >= lo and titled(k - 1):
        k -= 1
    if not (k - 2 >= lo and doc[k - 1].lower_ == "and" and _title_token(doc[k - 2])):
        return left
    k -= 2
    while k - 1 >= lo and titled(k - 1):
        k -= 1
    return k


def entity_start(doc, k: int, lo: int = 0) -> int:
    """The first token of the entity token ``k`` is inside, not before ``lo`` (``k`` itself outside any)."""
    while k > lo and doc[k].ent_iob_ == "I":
        k -= 1
    return k


def entity_end(doc, k: int) -> int:
    """The token after the last one of the entity token ``k`` is inside."""
    k += 1
    while k < len(doc) and doc[k].ent_iob_ == "I":
        k += 1
    return k


def entity_goes_on(doc, k: int) -> bool:
    """Whether the entity of token ``k`` goes on past it."""
    return k + 1 < len(doc) and doc[k + 1].ent_iob_ == "I"


_ATTRS = [IDX, SENT_START, ORTH, IS_TITLE, IS_UPPER, SPACY, POS, LEMMA, LOWER, ENT_TYPE, ENT_IOB, DEP, HEAD]
_ATTRS += [IS_PUNCT, IS_SPACE, LENGTH, IS_ALPHA]


@functools.cache
def ids(*strings: str) -> np.ndarray:
    """Hash ids of strings as int64, the dtype of the token arrays."""
    return np.array([get_string_id(s) for s in strings], dtype=np.uint64).view(np.int64)


def any_of(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """``np.isin`` for a handful of ids: comparisons beat its sort."""
    out = np.zeros(len(values), dtype=bool)
    for w in wanted:
        out |= values == w
    return out


def among(values: np.ndarray, wanted: frozenset[int] | set[int]) -> np.ndarray:
    """``np.isin`` against a set of ids through Python set lookups: for the hash ids (spread over all of
    int64) ``np.isin`` sorts both arrays, ten times slower on a few hundred rows."""
    return np.fromiter((v in wanted for v in values.tolist()), dtype=bool, count=len(values))


def id_set(strings) -> frozenset[int]:
    """Hash ids of strings as a set of ints, the values ``among`` looks up."""
    return frozenset(ids(*strings).tolist())


class DocView:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.n = len(doc)
        self.paras = paragraphs(self.text)
        self.para_starts = [s for s, _ in self.paras] or [0]
        self.regions = find_regions(self.text, self.paras)  # quotation-mark regions
        self.region_starts = [r.open for r in self.regions]
        self.region_opens = set(self.region_starts)
        self.region_closes = {r.close for r in self.regions}

        arr = doc.to_array(_ATTRS).view(np.int64)
        self.idx, self.pos, self.lemma, self.lower = arr[:, 0], arr[:, 6], arr[:, 7], arr[:, 8]
        self.ent, self.ent_iob, self.dep, self.head = arr[:, 9], arr[:, 10], arr[:, 11], arr[:, 12]
        self.orth = arr[:, 2]
        self.word = (arr[:, 13] == 0) & (arr[:, 14] == 0)  # neither punctuation nor space
        self.title_case = arr[:, 3] == 1
        spaced = arr[:, 5] == 1
        dash = any_of(self.orth, ids("-", "–", "—", "--", "―"))
        # dashes with a space on both sides: where a journalist's gloss may start
        self.spaced_dashes = np.flatnonzero(dash & spaced & np.concatenate(([False], spaced[:-1]))).tolist()
        self.tok_para = np.searchsorted(np.array(self.para_starts, dtype=np.int64), self.idx, side="right") - 1
        n_paras = len(self.para_starts)
        self._para_lo = np.searchsorted(self.tok_para, np.arange(n_paras), side="left")
        self._para_hi = np.searchsorted(self.tok_para, np.arange(n_paras), side="right")
        self._segments(arr)
        # the per-token lookups of the rules go to Python lists: indexing a numpy array gives a numpy scalar,
        # several times slower
        self.tok_para = self.tok_para.tolist()
        self._para_lo, self._para_hi = self._para_lo.tolist(), self._para_hi.tolist()
        self.seg_start, self.seg_end = self.seg_start.tolist(), self.seg_end.tolist()
        # token start and end offsets as Python lists: ``doc[i]`` builds a Token, which costs more than the rules
        self.starts = self.idx.tolist()
        self.ends = (self.idx + arr[:, 15]).tolist()
        self._entities: list[tuple[int, int, str]] | None = None
        self._labels: dict[int, str] | None = None
        self._entity_words: dict[frozenset[str], frozenset[str]] = {}
        self._titled: list[tuple[int, str, str, str]] | None = None
        self._acronyms: dict[str, frozenset[str]] | None = None
        self._commas = np.flatnonzero(self.orth == ids(",")[0]).tolist()
        self._kids: dict[int, tuple[Token, ...]] = {}
        self.mention_spans: dict[tuple[int, int, int], tuple[int, int]] = {}  # memo of ``sources.mention_span``

    def _segments(self, arr: np.ndarray) -> None:
        """Sentence-like segments: spaCy's sentences, cut again at paragraphs and at clear full stops.

        The small model often runs a sentence across a line break or a full stop; reported speech never does.
        """
        n = self.n
        boundary = np.zeros(n, dtype=bool)
        if n == 0:
            self.seg_start = self.seg_end = np.zeros(0, dtype=np.int64)
            return
        boundary[0] = True
        # spaCy's sentence starts, but not one right after a word or a comma ("..., Minister of Foreign Affairs
        # Olivier Nduhungirehe said": the small model starts a sentence at the name)
        starts = arr[:, 1] == 1
        starts[1:] &= (arr[:-1, 16] == 0) & (arr[:-1, 2] != ids(",")[0])
        boundary |= starts
        boundary[1:] |= self.tok_para[1:] != self.tok_para[:-1]
        stops = any_of(arr[:, 2], ids(".", "!", "?"))
        capital = (arr[:, 3] == 1) | (arr[:, 4] == 1)
        spaced = arr[:, 5] == 1
        boundary[1:] |= stops[:-1] & spaced[:-1] & capital[1:]
        marks = any_of(arr[:, 2], ids('"', "”", "’", "'", "»"))
        if n > 2:
            boundary[2:] |= stops[:-2] & marks[1:-1] & spaced[1:-1] & capital[2:]
        seg_ids = np.cumsum(boundary) - 1
        starts = np.flatnonzero(boundary)
        ends = np.append(starts[1:], n)
        self.seg_start = starts[seg_ids]
        self.seg_end = ends[seg_ids]

    # ---- positions -------------------------------------------------------------------------------

    def para_of(self, char: int) -> int:
        return bisect.bisect_right(self.para_starts, char) - 1

    def para_bounds(self, i: int) -> tuple[int, int]:
        """Token range of the paragraph of token ``i``."""
        p = self.tok_para[i]
        if p < 0:  # whitespace before the first paragraph
            return 0, self._para_lo[0] if self._para_lo else self.n
        return self._para_lo[p], self._para_hi[p]

    def segment(self, i: int) -> tuple[int, int]:
        """Token range of the segment (sentence within its paragraph) of token ``i``."""
        lo, hi = self.para_bounds(i)
        return max(self.seg_start[i], lo), min(self.seg_end[i], hi)

    def char_to_token(self, char: int) -> int:
        """Index of the token containing ``char``, or of the first token after it."""
        k = bisect.bisect_right(self.starts, char) - 1
        if k < 0:
            return 0
        if char >= self.tok_end(k):
            k += 1
        return k

    def tok_end(self, i: int) -> int:
        return self.ends[i]

    def span_text(self, start: int, end: int) -> str:
        """Text of tokens [start, end)."""
        return self.text[self.starts[start] : self.ends[end - 1]]

    def commas(self, start: int, end: int) -> list[int]:
        """Indices of the comma tokens in [start, end), in order."""
        return self._commas[bisect.bisect_left(self._commas, start) : bisect.bisect_left(self._commas, end)]

    def kids(self, tok: Token) -> tuple[Token, ...]:
        """``tok.children``, built once per token: spaCy walks the token's whole span for every call."""
        found = self._kids.get(tok.i)
        if found is None:
            found = self._kids[tok.i] = tuple(tok.children)
        return found

    @staticmethod
    def descends(tok: Token, ancestor: Token) -> bool:
        cur = tok
        for _ in range(64):
            if cur.i == ancestor.i:
                return True
            if cur.head.i == cur.i:
                return False
            cur = cur.head
        return False

    # ---- entities --------------------------------------------------------------------------------

    def entities(self) -> list[tuple[int, int, str]]:
        """Named-entity token ranges with labels, read from the IOB arrays."""
        if self._entities is None:
            inside = (self.ent_iob == 1).tolist()
            out = []
            for b in np.flatnonzero(self.ent_iob == 3).tolist():
                e = b + 1
                while e < self.n and inside[e]:
                    e += 1
                out.append((b, e, self.doc.vocab.strings[int(self.ent[b])]))
            self._entities = out
        return self._entities

    def entity_words(self, labels: frozenset[str]) -> frozenset[str]:
        """The words (token texts) of the named entities with one of ``labels``; built once per label set."""
        if labels not in self._entity_words:
            self._entity_words[labels] = frozenset(
                self.text[self.starts[k] : self.ends[k]]
                for start, end, label in self.entities()
                if label in labels
                for k in range(start, end)
            )
        return self._entity_words[labels]

    def usual_label(self, tok: Token) -> str:
        """The label NER gives this word most often in the text ("Trump" is PERSON even where tagged ORG)."""
        if self._labels is None:
            counts: dict[int, dict[str, int]] = {}
            propn = (self.pos == ids("PROPN")[0]).tolist()
            orth = self.orth.view(np.uint64).tolist()  # the unsigned ids, as ``Token.orth``
            for start, end, label in self.entities():
                for k in range(start, end):
                    if propn[k]:
                        c = counts.setdefault(orth[k], {})
                        c[label] = c.get(label, 0) + 1
            self._labels = {w: max(c, key=c.get) for w, c in counts.items()}
        return self._labels.get(tok.orth, "")

    def acronyms(self) -> dict[str, frozenset[str]]:
        """Acronyms the text defines, folded, with the folded words of what they stand for: "the Department of
        Foreign Affairs (DFA)" gives ``{"dfa": {"department", "foreign", "affairs"}}``. The initials of the
        capitalised words just before the bracket must spell the acronym (small words such as "of" skipped)."""
        if self._acronyms is None:
            self._acronyms = {}
            for m in _ACRONYM_RE.finditer(self.text):
                acronym, words = m.group(2), m.group(1).split()
                capitals = [w for w in words if w[:1].isupper()]
                if len(acronym) <= len(capitals) and "".join(w[0] for w in capitals[-len(acronym) :]) == acronym:
                    kept = capitals[-len(acronym) :]
                    self._acronyms[acronym.casefold()] = frozenset(w.casefold() for w in kept)
        return self._acronyms

    def titled_persons(self) -> list[tuple[int, str, str, str]]:
        """``(token, name, role, surface)`` for each PERSON entity written after a title in the same
        paragraph: "Chinese President" + "Xi Jinping"."""
        if self._titled is None:
            self._titled = []
            for start, end, label in self.entities():
                if label != "PERSON":
                    continue
                if "\n" in self.span_text(start, end):
                    continue
                ent = self.doc[start:end]
                lo, _ = self.para_bounds(start)
                left = start
                if speaker_name_parts(ent.text)[1] and fold(ent[0].text) in COUNTRIES:
                    # "Minister of Foreign Affairs of Armenia Ararat Mirzoyan", NER's entity taking in the country
                    left = _title_complements_start(self.doc, left, lo)
                while left > lo and _modifies_name(self.doc[left - 1]):
                    left = _title_complements_start(self.doc, left - 1, lo)
                while left < start and self.doc[left].text == "-":
                    left += 1
                if left < start:
                    left = coordinated_title_start(self.doc, left, lo)
                root = ent.root
                if (  # "his Lithuanian counterpart Kestutis Budrys": the name hangs on the title as appos
                    # (or on the first of two coordinated titles: "Qatar's Prime Minister and Foreign Minister X")
                    left == start
                    and start > lo
                    and root.dep_ == "appos"
                    and (
                        root.head.i == start - 1
                        or (self.doc[start - 1].dep_ == "conj" and self.doc[start - 1].head.i == root.head.i)
                    )
                    and root.head.lower_ in TITLE_WORDS
                ):
                    left = _title_phrase_start(self.doc, start - 1, lo)
                if left == start and start > lo:
                    left = _title_beside_name(self.doc, start, root, lo)
                appositive = _appositive_title(self.doc, ent)  # "Ana Ruiz, President of Chile, said"
                if appositive:
                    bare = speaker_name_parts(strip_possessive(ent.text))[0]
                    if bare:
                        self._titled.append((start, bare, appositive, bare))
                if left == start:
                    continue
                name = strip_possessive(ent.text)
                surface = strip_possessive(strip_determiner(self.text[self.doc[left].idx : ent.end_char]))
                n, role = speaker_name_parts(surface)
                # "... of Armenia Ararat Mirzoyan", the country tagged with the name: the name is what follows it
                bare, origin = speaker_name_parts(name)
                # ("Foreign Minister Sheikh Mohammed ...": NER took the title closest to the name into it)
                titled = bool(origin) and all(w.casefold() in TITLE_WORDS for w in origin.split())
                if role and (n == name or (n == bare and (fold(origin) in COUNTRIES or titled))):
                    self._titled.append((start, n, role, surface))
        return self._titled


# "Department of Foreign Affairs (DFA)": capitalised words (small words between them) and a bracketed acronym
_ACRONYM_RE = re.compile(r"((?:[A-Z][\w'’-]*\s+(?:(?:of|for|and|on|the|de)\s+)*){2,})\(([A-Z]{2,6})\)")


def _title_complements_start(doc, left: int, lo: int) -> int:
    """ "Minister for Foreign Affairs of Germany Johann Wadephul": the title's capitalised "of"/"for" complements
    before token ``left`` belong to it; the first token of the title so far."""
    while (
        left - 2 >= lo
        and doc[left - 1].lower_ in ("of", "for")
        and doc[left - 2].pos_ == "PROPN"
        and doc[left - 2].text[:1].isupper()
    ):
        left -= 2
    return left


def _modifies_name(tok: Token) -> bool:
    """A word of the title before a name: a hyphen ("Secretary-General"), a word joined to the next by one
    ("vice-premier", however parsed) or a modifier with letters."""
    if tok.text == "-" or (tok.dep_ in ("compound", "amod", "nmod") and any(ch.isalpha() for ch in tok.text)):
        return True
    nxt = tok.doc[tok.i + 1] if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.text == "-" and not tok.whitespace_ and not nxt.whitespace_ and tok.is_alpha


def _appositive_title(doc, ent) -> str:
    """'Sheikh Mohamed bin Zayed Al Nahyan, President of the UAE, held talks': a title in apposition right after
    the name (after its comma), up to the next comma; "" when there is none."""
    end = ent.end
    if end + 1 >= len(doc) or doc[end].text != ",":
        return ""
    title = doc[end + 1]
    if title.lower_ in DETERMINERS:
        title = doc[end + 2] if end + 2 < len(doc) else title
    head = title
    while head.dep_ in ("compound", "amod") and head.head.i > head.i:
        head = head.head
    if head.dep_ != "appos" or head.head.i not in range(ent.start, ent.end) or head.lower_ not in TITLE_WORDS:
        return ""
    stop = next((t.i for t in doc[end + 1 : head.right_edge.i + 1] if t.text in (",", ";", "(") or t.is_space), None)
    last = stop if stop is not None else head.right_edge.i + 1
    return strip_determiner(doc[end + 1 : last].text)


def _title_beside_name(doc, start: int, root, lo: int) -> int:
    """'China's top diplomat Wang Yi arrived': the parser may read the title noun and the name as two subjects of
    one verb. A title word right before the name with the same head and relation starts the titled name (with
    its modifiers and possessor); otherwise ``start``."""
    prev = doc[start - 1]
    if not (prev.lower_ in TITLE_WORDS and prev.head.i == root.head.i and prev.dep_ == root.dep_ and prev.i != root.i):
        return start
    return _title_phrase_start(doc, prev.i, lo)


def _title_phrase_start(doc, title: int, lo: int) -> int:
    """The first token of a title noun's phrase: its modifiers and possessor (\"Norway's top negotiator\")."""
    left = title
    while (
        left > lo
        and doc[left - 1].dep_ in ("compound", "amod", "poss", "case")
        and (doc[left - 1].text[:1].isalpha() or doc[left - 1].dep_ == "case")
        and left - 2 <= doc[left - 1].head.i <= title
    ):
        left -= 1
    return left
