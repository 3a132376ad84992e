"""Quote extraction and speaker resolution on spaCy's dependency parse.

Rules, in the spirit of rule-based reported-speech systems (cue lexicon + dependency frames):

1. **Direct** quotes come from quotation-mark regions (``quotemarks``) attributed by a cue right after the
   closing mark (``"...," Putin told Xi``) or right before the opening one (``Xi said: "..."``).
2. **Reported** speech comes from cue verbs (``cues``): the clausal complement after the cue (forward:
   ``Xi said (that) X``, ``..., adding that X``, ``urged countries not to ...``) or the clause before a
   post-posed attribution (backward: ``X, Xi said`` / ``X, said Xi``), and ``according to``.
   A reported content holding quotation marks is **mixed**.
3. A fully quoted sentence or paragraph with no cue right after an attributed quote **continues** it
   (cue None, same speaker). Follow-on sentences without marks or a cue are not quotes.
4. Speakers: the cue's subject (inherited by participles and conjuncts), split into name and role, merged
   by name-token containment; he/she go to the nearest preceding person source outside quoted content.

Everything is local to cue tokens and quotation regions, found with vectorised passes over
``doc.to_array``, so the cost stays a small, linear fraction of the parse. Nothing is keyed to a text.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import ENT_TYPE, IDX, IS_TITLE, IS_UPPER, LEMMA, LOWER, ORTH, POS, SENT_START, SPACY
from spacy.tokens import Doc, Token

from . import cues as lex
from .quotemarks import ALL_MARKS, QuoteRegion, find_regions, paragraphs
from .speakers import (
    DOCUMENT_NOUNS,
    ORG_NOUNS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
    THING_PRONOUNS,
    SpeakerMention,
    SpeakerRegistry,
    speaker_name_parts,
    strip_determiner,
    strip_possessive,
)
from .types import QuoteSpan, SpeakerInfo

_DASHES = frozenset({"-", "–", "—", "--", "―"})
_TRAIL_PUNCT = frozenset({".", ",", ";", ":", "-", "–", "—", "--", "―"})
_LEAD_SKIP = frozenset({",", ":", ";", "-", "–", "—", "--", "that"})
_CC_WORDS = frozenset({"and", "but", "or", "while", "whereas"})
_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_PERSON_LABELS = frozenset({"PERSON"})
_BODY_LABELS = frozenset({"ORG", "GPE", "NORP", "FAC", "LOC"})
_JOINT_HEADS = frozenset({"side", "sides", "leader", "leaders", "country", "countries", "party", "parties"})
# "MOSCOW, May 8 (Reuters) -": a dateline is not part of a backward content
_DATELINE_RE = re.compile(r"^[A-Z][A-Z .,'’-]{2,40}(?:,? [A-Z][a-z]{2,9}\.? \d{1,2})?(?: \([^)]{1,40}\))? ?[-–—] ")

# base confidences by construction
_CONF = {
    "direct": 0.95,
    "forward": 0.9,
    "backward": 0.85,
    "participle": 0.85,
    "infinitive": 0.75,
    "according": 0.75,
    "parenthetical": 0.6,
    "continuation": 0.6,
}


@dataclass(slots=True)
class _Source:
    """Who a cue attributes to: the mention span (token indices) and its reading."""

    start: int
    end: int
    kind: str | None  # person | organisation | None (unknown / joint)
    pronoun: str | None = None  # "person" | "thing" when a pronoun to resolve
    name: str = ""
    role: str = ""
    extra_aliases: tuple[str, ...] = ()
    penalty: float = 0.0


@dataclass(slots=True)
class _Cue:
    token: Token
    lemma: str
    tokens: tuple[int, ...]  # the cue words ("pointed out", "expressed hope")
    frame: str = ""  # forward | backward | parenthetical | according | infinitive
    content: tuple[int, int] | None = None  # token range
    block: tuple[int, int] = (0, 0)  # attribution tokens [start, end)
    comp: Token | None = None
    source: Token | None = None
    used: bool = False


@dataclass(slots=True)
class _Candidate:
    start: int  # characters
    end: int
    cue: _Cue | None
    frame: str
    priority: int
    source: Token | None = None
    carried_from: _Candidate | None = None
    kind: str = "indirect"
    confidence: float = 0.0
    mention_id: int | None = None
    src: _Source | None = None
    resolved: list = field(default_factory=list)


class _Extractor:
    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = doc.text
        self.n = len(doc)
        self.paras = paragraphs(self.text)
        self.regions = find_regions(self.text, self.paras)
        self.region_closes = {r.close for r in self.regions}
        arr = doc.to_array([IDX, SENT_START, ORTH, IS_TITLE, IS_UPPER, SPACY, POS, LEMMA, LOWER, ENT_TYPE]).astype(
            np.int64
        )
        self.idx = arr[:, 0]
        strings = doc.vocab.strings
        self._h = lambda s: np.int64(np.uint64(strings[s]).astype(np.int64))
        para_starts = np.array([s for s, _ in self.paras] or [0], dtype=np.int64)
        self.tok_para = np.searchsorted(para_starts, self.idx, side="right") - 1
        self._segments(arr)
        self.lemma = arr[:, 7]
        self.lower = arr[:, 8]
        self.pos = arr[:, 6]
        self.ent = arr[:, 9]

    # ---- layout -------------------------------------------------------------------------------

    def _segments(self, arr) -> None:
        """Sentence-like segments: spaCy's sentences, cut again at paragraphs and clear full stops.

        spaCy's small model often runs a sentence across a line break; reported speech never does.
        """
        n = self.n
        boundary = np.zeros(n, dtype=bool)
        if n == 0:
            self.seg_start = self.seg_end = np.zeros(0, dtype=np.int64)
            return
        boundary[0] = True
        boundary |= arr[:, 1] == 1
        boundary[1:] |= self.tok_para[1:] != self.tok_para[:-1]
        orth = arr[:, 2]
        stops = np.isin(orth, [self._h(s) for s in (".", "!", "?")])
        capital = (arr[:, 3] == 1) | (arr[:, 4] == 1)
        spaced = arr[:, 5] == 1
        boundary[1:] |= stops[:-1] & spaced[:-1] & capital[1:]
        marks = np.isin(orth, [self._h(s) for s in ('"', "”", "’", "'", "»")])
        if n > 2:
            boundary[2:] |= stops[:-2] & marks[1:-1] & spaced[1:-1] & capital[2:]
        ids = np.cumsum(boundary) - 1
        starts = np.flatnonzero(boundary)
        ends = np.append(starts[1:], n)
        self.seg_start = starts[ids]
        self.seg_end = ends[ids]

    def para_bounds(self, i: int) -> tuple[int, int]:
        """Token range of the paragraph of token ``i``."""
        p = self.tok_para[i]
        lo = int(np.searchsorted(self.tok_para, p, side="left"))
        hi = int(np.searchsorted(self.tok_para, p, side="right"))
        return lo, hi

    def seg(self, i: int) -> tuple[int, int]:
        return int(self.seg_start[i]), int(self.seg_end[i])

    def char_to_token(self, char: int) -> int:
        """Index of the token containing or starting after ``char``."""
        k = int(np.searchsorted(self.idx, char, side="right")) - 1
        if k < 0:
            return 0
        tok = self.doc[k]
        if char >= tok.idx + len(tok.text):
            k += 1
        return k

    def tok_end(self, i: int) -> int:
        tok = self.doc[i]
        return tok.idx + len(tok.text)

    # ---- cues -----------------------------------------------------------------------------------

    def find_cues(self) -> list[_Cue]:
        verb = self.pos == self._h("VERB")
        lemma_hit = np.isin(self.lemma, [self._h(w) for w in lex.ALL_LEMMAS])
        lower_hit = np.isin(self.lower, [self._h(w) for w in lex.ALL_LEMMAS]) & verb
        according = self.lower == self._h(lex.ACCORDING)
        found = []
        for i in np.flatnonzero((lemma_hit & verb) | lower_hit | according):
            tok = self.doc[int(i)]
            cue = self._make_cue(tok)
            if cue is not None:
                found.append(cue)
        return found

    def _make_cue(self, tok: Token) -> _Cue | None:
        lower = tok.lower_
        if lower == lex.ACCORDING:
            to = next((c for c in tok.children if c.lower_ == "to"), None)
            if to is None or not any(c.dep_ == "pobj" for c in to.children):
                return None
            return _Cue(tok, "according", (tok.i, to.i), frame="according")
        lemma = tok.lemma_.lower()
        if lemma not in lex.ALL_LEMMAS:
            lemma = lower if lower in lex.ALL_LEMMAS else lemma
        if lemma not in lex.ALL_LEMMAS:
            return None
        if any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children):
            return None  # "was told", "is said to": the subject is not the source
        if lemma in lex.REQUIRED_PARTICLE:
            part = next(
                (c for c in tok.children if c.dep_ in ("prt", "prep") and c.lower_ in lex.REQUIRED_PARTICLE[lemma]),
                None,
            )
            if part is None:
                return None
            return _Cue(tok, lemma, (tok.i, part.i))
        if lemma in lex.NOUN_FRAMES:
            noun = next(
                (c for c in tok.children if c.dep_ == "dobj" and c.lower_ in lex.NOUN_FRAMES[lemma]),
                None,
            )
            if noun is None:
                return None
            return _Cue(tok, lemma, (tok.i, noun.i))
        if lower == "said" and tok.i + 1 < self.n and tok.nbor(1).lower_ == "," and tok.i > 0:
            if tok.nbor(-1).lower_ == "that":
                return None  # "That said, ..."
        return _Cue(tok, lemma, (tok.i,))

    def cue_text(self, cue: _Cue) -> tuple[str, int, int]:
        first, last = self.doc[cue.tokens[0]], self.doc[cue.tokens[-1]]
        if cue.tokens[-1] - cue.tokens[0] <= 2:
            start, end = first.idx, last.idx + len(last.text)
            return " ".join(self.text[start:end].lower().split()), start, end
        return f"{first.lower_} {last.lower_}", first.idx, last.idx + len(last.text)

    # ---- sources --------------------------------------------------------------------------------

    def subject_of(self, tok: Token, lo: int, hi: int) -> tuple[Token | None, bool]:
        """The cue's source token and whether it is the cue's own (not inherited) subject."""
        cur, own = tok, True
        for _ in range(4):
            subj = next((c for c in cur.children if c.dep_ in _SUBJECT_DEPS and lo <= c.i < hi), None)
            if subj is None and cur.dep_ == "agent":
                subj = None
            if subj is not None:
                if subj.lower_ in ("who", "which", "that") and cur.dep_ == "relcl" and lo <= cur.head.i < hi:
                    subj = cur.head
                return subj, own
            if cur.dep_ in ("advcl", "conj", "xcomp", "relcl") and cur.head is not cur and lo <= cur.head.i < hi:
                if cur.dep_ == "relcl":
                    return cur.head, False  # "Xi, whose ... , said": no; "the minister, saying ...": yes
                cur, own = cur.head, False
                continue
            break
        return None, own

    def inverted_subject(self, cue: _Cue, hi: int) -> Token | None:
        """'..., said Xi.' when the parse lost the subject: the noun phrase right after the cue."""
        j = cue.tokens[-1] + 1
        while j < hi and self.doc[j].is_space:
            j += 1
        if j >= hi:
            return None
        first = self.doc[j]
        if first.pos_ not in ("PROPN", "NOUN", "PRON", "DET", "ADJ") and first.ent_type_ not in _PERSON_LABELS:
            return None
        head = first
        k = j
        while k < hi and (self.doc[k].pos_ in ("PROPN", "NOUN", "ADJ", "DET") or self.doc[k].ent_type_):
            if self.doc[k].is_punct:
                break
            head = self.doc[k]
            k += 1
        # only at the end of the clause: the rest is punctuation or a date
        stop = k
        while stop < hi and self.doc[stop].text not in (".", "!", "?", ";"):
            stop += 1
        rest = [t for t in self.doc[k:stop] if not (t.is_punct or t.is_space)]
        if len(rest) > 4:
            return None
        return head

    def mention_span(self, subj: Token, lo: int, hi: int) -> tuple[int, int]:
        left = max(subj.left_edge.i, lo)
        # keep only the contiguous pre-modifiers: stop at punctuation inside the left subtree
        for k in range(subj.i - 1, left - 1, -1):
            if self.doc[k].is_punct and self.doc[k].text not in ("'s", "’s", "'", ".", "-"):
                left = k + 1
                break
        right = subj.i + 1
        while right < hi and self.doc[right].dep_ in ("flat", "case") and self.doc[right].head.i == subj.i:
            right += 1
        return left, right

    def describe(self, subj: Token, lo: int, hi: int) -> _Source:
        """Read a subject: a named person, a described person or body, a pronoun, or unknown."""
        left, right = self.mention_span(subj, lo, hi)
        doc = self.doc
        low = subj.lower_
        if subj.pos_ == "PRON" or low in PERSON_PRONOUNS or low in THING_PRONOUNS:
            if low in PERSON_PRONOUNS:
                return _Source(subj.i, subj.i + 1, "person", pronoun="person")
            if low in THING_PRONOUNS:
                return _Source(subj.i, subj.i + 1, "organisation", pronoun="thing")
            return _Source(subj.i, subj.i + 1, None)
        if any(c.dep_ == "conj" for c in subj.children) or (
            low in _JOINT_HEADS and any(c.lower_ in ("both", "two", "all") for c in subj.children)
        ):
            return _Source(left, right, None)  # joint source
        surface = self.text[doc[left].idx : self.tok_end(right - 1)]
        bare = strip_determiner(surface)
        # a PERSON entity in the mention names a person; what precedes it is the role
        person = [t.i for t in doc[left:right] if t.ent_type_ in _PERSON_LABELS]
        if person:
            p0 = person[0]
            p1 = p0
            while p1 + 1 < right and doc[p1 + 1].ent_type_ in _PERSON_LABELS and doc[p1 + 1].ent_iob_ == "I":
                p1 += 1
            name = strip_possessive(self.text[doc[p0].idx : self.tok_end(p1)])
            role_text = strip_determiner(self.text[doc[left].idx : doc[p0].idx]).strip(" ,")
            name2, role2 = speaker_name_parts(name)  # NER sometimes swallows the title
            if role2:
                name, role_text = name2, f"{role_text} {role2}".strip()
            return _Source(left, right, "person", name=name, role=role_text)
        appos = next((c for c in subj.children if c.dep_ == "appos" and c.ent_type_ in _PERSON_LABELS), None)
        if appos is not None:
            a_left, a_right = self.mention_span(appos, lo, hi)
            name = strip_possessive(self.text[doc[a_left].idx : self.tok_end(a_right - 1)])
            return _Source(left, right, "person", name=name, role=bare)
        name, role = speaker_name_parts(bare)
        if role and name and subj.pos_ == "PROPN":
            return _Source(left, right, "person", name=name, role=role, penalty=0.05)
        head = subj.lemma_.lower()
        ents = {t.ent_type_ for t in doc[left:right]} - {""}
        if head in DOCUMENT_NOUNS:
            author = self._document_author(subj, lo, hi)
            if author is not None:
                return self.describe(author, lo, hi)
            return _Source(left, right, "organisation", name=strip_possessive(bare), penalty=0.15)
        if head in PERSON_NOUNS and subj.ent_type_ not in _BODY_LABELS:
            return _Source(left, right, "person", name=strip_possessive(bare), penalty=0.05)
        if ents & _BODY_LABELS or head in ORG_NOUNS:
            org = [t for t in doc[left:right] if t.ent_type_ == "ORG"]
            extra = ()
            if org:
                ent_text = self.text[org[0].idx : self.tok_end(org[-1].i)]
                if ent_text != bare:
                    extra = (strip_determiner(ent_text),)
            return _Source(left, right, "organisation", name=strip_possessive(bare), extra_aliases=extra)
        if subj.pos_ == "PROPN":
            return _Source(left, right, "person", name=strip_possessive(name or bare), role=role, penalty=0.1)
        return _Source(left, right, None)

    def _document_author(self, noun: Token, lo: int, hi: int) -> Token | None:
        """'a statement from the ministry', 'the ministry's statement', 'a Reuters tally'."""
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in ("from", "by", "of"):
                pobj = next((g for g in c.children if g.dep_ == "pobj" and lo <= g.i < hi), None)
                if pobj is not None and (pobj.ent_type_ or pobj.lemma_.lower() in ORG_NOUNS | PERSON_NOUNS):
                    return pobj
            if c.dep_ in ("poss", "compound") and (c.ent_type_ in _BODY_LABELS | _PERSON_LABELS):
                return c
        return None

    # ---- frames ---------------------------------------------------------------------------------

    def frame(self, cue: _Cue) -> None:
        """Fill the cue's attribution block, source and content (token ranges), or leave content None."""
        tok = cue.token
        lo, hi = self.para_bounds(tok.i)
        s_lo, s_hi = self.seg(tok.i)
        s_lo, s_hi = max(s_lo, lo), min(s_hi, hi)
        if cue.frame == "according":
            self._frame_according(cue, s_lo, s_hi, lo, hi)
            return
        subj, own = self.subject_of(tok, lo, hi)
        block_lo, block_hi = min(cue.tokens), max(cue.tokens) + 1
        if subj is not None and own:
            m_lo, m_hi = self.mention_span(subj, lo, hi)
            if m_hi <= block_lo:
                gap = [t for t in self.doc[m_hi:block_lo] if t.dep_ not in ("aux", "neg", "advmod", "npadvmod")]
                if not any(not t.is_punct for t in gap) or all(t.head.i == tok.i for t in gap):
                    block_lo = min(block_lo, m_lo)
            elif m_lo >= block_hi and m_lo - block_hi <= 1:
                block_hi = max(block_hi, m_hi)
        cue.source = subj
        for c in tok.children:  # "also said", "has said", "did not deny"
            if c.dep_ in ("aux", "neg", "advmod") and c.i == block_lo - 1:
                block_lo = c.i
        cue.block = (block_lo, block_hi)

        comp, start = self._forward_complement(cue, lo, hi)
        if comp is not None and start is not None:
            cue.comp = comp
            cue.frame = "infinitive" if comp.dep_ == "xcomp" or cue.lemma in lex.REQUIRED_PARTICLE else "forward"
            if cue.frame == "forward" and tok.tag_ == "VBG" and tok.dep_ == "advcl":
                cue.frame = "participle"
            end = s_hi
            if tok.head.i > tok.i and tok.head is not tok and tok.head.lemma_.lower() not in lex.ALL_LEMMAS:
                end = min(end, tok.right_edge.i + 1)  # "Noting that X, the minister left"
            for c in tok.children:  # "has called for X and has accused Y": a second predicate
                if c.dep_ == "conj" and c.i > start and (c.tag_ == tok.tag_ or any(g.dep_ == "aux" for g in c.children)):
                    end = min(end, c.left_edge.i)
            end = self._cut_gloss(start, end)
            cue.content = (start, end)
            if subj is None:
                cue.source = self.inverted_subject(cue, hi)
            return

        # backward: "X, Xi said" / "X, said Xi" / "X, Xi noted, stressing that ..."
        if subj is None:
            subj = self.inverted_subject(cue, hi)
            cue.source = subj
            own = subj is not None
            if subj is not None:
                m_lo, m_hi = self.mention_span(subj, lo, hi)
                cue.block = (min(block_lo, m_lo), max(block_hi, m_hi))
                block_lo, block_hi = cue.block
        if subj is None or not own:
            return  # "X, saying ...": a participle never attributes backwards
        k = block_lo - 1
        while k >= s_lo and self.doc[k].is_space:
            k -= 1
        closes = k > s_lo and self.doc[k].idx in self.region_closes
        if k <= s_lo or not (self.doc[k].text in (",", ":", "—", "–") or closes):
            return
        start = s_lo
        m = _DATELINE_RE.match(self.text[self.doc[start].idx : self.doc[start].idx + 80])
        if m:
            start = self.char_to_token(self.doc[start].idx + m.end())
        clause = self.doc[start:k]
        if len(clause) < 3 or not any(t.pos_ in ("VERB", "AUX") for t in clause):
            return
        # does the sentence go on after the attribution? then the cue is parenthetical
        after = block_hi
        while after < s_hi and (self.doc[after].is_punct or self.doc[after].is_space):
            after += 1
        parenthetical = False
        if after < s_hi:
            rest = self.doc[after]
            if not self._descends(rest, tok) and not (rest.dep_ == "cc" and rest.head.i == tok.i):
                parenthetical = True
        if parenthetical:
            cue.frame = "parenthetical"
            cue.content = (start, s_hi)
        else:
            cue.frame = "backward"
            cue.content = (start, k + 1 if closes else k)

    def _forward_complement(self, cue: _Cue, lo: int, hi: int) -> tuple[Token | None, int | None]:
        tok = cue.token
        after = max(cue.tokens)
        kids = [c for c in tok.children if lo <= c.i < hi]
        comp = None
        for c in kids:
            if c.i <= after:
                continue
            if c.dep_ == "ccomp" or (
                c.dep_ in ("advcl", "dep", "parataxis")
                and any(g.dep_ == "mark" and g.lower_ in ("that", "whether", "if") for g in c.children)
            ):
                comp = c
                break
        if cue.lemma in lex.NOUN_FRAMES:
            noun = self.doc[cue.tokens[-1]]
            comp = next(
                (
                    c
                    for c in noun.children
                    if c.dep_ in ("acl", "ccomp", "relcl", "advcl")
                    and any(g.dep_ in ("mark", "aux") and g.lower_ in ("that", "to") for g in c.children)
                ),
                None,
            )
            if comp is None:
                return None, None
            return comp, self._skip_lead(comp.left_edge.i, hi)
        if cue.lemma in lex.REQUIRED_PARTICLE and cue.lemma == "call":
            part = self.doc[cue.tokens[-1]]
            pobj = next((c for c in part.children if c.dep_ in ("pobj", "nsubj")), None)
            span_end = min(max(tok.right_edge.i, part.right_edge.i) + 1, hi)
            has_inf = any(
                t.tag_ == "VB" and any(g.dep_ == "aux" and g.lower_ == "to" for g in t.children)
                for t in self.doc[part.i + 1 : span_end]
            )
            agent = pobj is not None and (
                pobj.ent_type_ in _PERSON_LABELS | _BODY_LABELS or pobj.lemma_.lower() in lex.ADDRESSEE_NOUNS
            )
            if not (agent and has_inf):
                return None, None  # "called for talks (to end X)": a noun phrase, not reported content
            return pobj, pobj.left_edge.i
        if comp is None and (cue.lemma in lex.DIRECTIVE or cue.lemma in lex.COMMISSIVE):
            x = next(
                (
                    c
                    for c in kids
                    if c.i > after
                    and c.dep_ == "xcomp"
                    and c.tag_ == "VB"
                    and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
                ),
                None,
            )
            if x is None:
                return None, None
            obj = next((c for c in kids if c.dep_ in ("dobj", "dative") and after < c.i < x.i), None)
            if obj is not None and cue.lemma in lex.DIRECTIVE:
                return x, obj.left_edge.i
            if obj is not None:
                return None, None  # "promised him a job to ...": not a commissive frame
            return x, x.left_edge.i
        if comp is None:
            return None, None
        start = comp.left_edge.i
        if start <= after:
            start = after + 1
        return comp, self._skip_lead(start, hi)

    def _skip_lead(self, start: int, hi: int) -> int:
        while start < hi and (self.doc[start].lower_ in _LEAD_SKIP or self.doc[start].is_space):
            if self.doc[start].lower_ == "that" and self.doc[start].dep_ not in ("mark", "dobj", "nsubj"):
                break
            if self.doc[start].lower_ == "that" and self.doc[start].dep_ in ("dobj", "nsubj"):
                break  # "that" as a pronoun belongs to the content
            start += 1
        return start

    def _cut_gloss(self, start: int, end: int) -> int:
        """Cut a journalist's gloss after a spaced dash ('... "bullying" - an implied reference to ...')."""
        dashes = [
            k
            for k in range(start + 1, end)
            if self.doc[k].text in _DASHES and self.doc[k - 1].whitespace_ and self.doc[k].whitespace_
        ]
        if len(dashes) == 1 and dashes[0] - start >= 3:
            return dashes[0]
        return end

    def _frame_according(self, cue: _Cue, s_lo: int, s_hi: int, lo: int, hi: int) -> None:
        tok = cue.token
        to = self.doc[cue.tokens[-1]]
        pobj = next(c for c in to.children if c.dep_ == "pobj")
        if not (
            pobj.ent_type_ in _PERSON_LABELS | _BODY_LABELS
            or pobj.pos_ == "PROPN"
            or pobj.lemma_.lower() in PERSON_NOUNS | ORG_NOUNS | DOCUMENT_NOUNS
        ):
            return  # "according to the plan", "according to international law"
        cue.source = pobj
        p_lo, p_hi = max(tok.left_edge.i, s_lo), min(tok.right_edge.i + 1, s_hi)
        cue.block = (p_lo, p_hi)
        lead = all(t.is_punct or t.is_space for t in self.doc[s_lo:p_lo])
        trail = all(t.is_punct or t.is_space for t in self.doc[p_hi:s_hi])
        if lead:
            cue.content = (self._skip_lead(p_hi, s_hi), s_hi)
        elif trail:
            cue.content = (s_lo, p_lo)
        else:
            cue.frame = "parenthetical"
            cue.content = (s_lo, s_hi)

    def _descends(self, tok: Token, ancestor: Token) -> bool:
        cur = tok
        for _ in range(50):
            if cur.i == ancestor.i:
                return True
            if cur.head.i == cur.i:
                return False
            cur = cur.head
        return False

    # ---- candidates -----------------------------------------------------------------------------

    def char_span(self, start_tok: int, end_tok: int) -> tuple[int, int] | None:
        """Characters of tokens [start_tok, end_tok), with final punctuation and conjunctions trimmed."""
        doc = self.doc
        while end_tok > start_tok and (
            doc[end_tok - 1].is_space
            or doc[end_tok - 1].text in _TRAIL_PUNCT
            or (doc[end_tok - 1].lower_ in _CC_WORDS and doc[end_tok - 1].dep_ == "cc")
        ):
            end_tok -= 1
        while start_tok < end_tok and (doc[start_tok].is_space or doc[start_tok].text in (",", ";", ":")):
            start_tok += 1
        if end_tok <= start_tok:
            return None
        return doc[start_tok].idx, self.tok_end(end_tok - 1)

    def region_tokens(self, r: QuoteRegion) -> tuple[int, int]:
        return self.char_to_token(r.inner_start), self.char_to_token(r.inner_end)

    def sentence_like(self, r: QuoteRegion) -> bool:
        a, b = self.region_tokens(r)
        words = [t for t in self.doc[a:b] if not (t.is_punct or t.is_space)]
        inner = self.text[r.inner_start : r.inner_end].rstrip()
        if len(words) >= 4 and any(t.pos_ in ("VERB", "AUX") for t in words):
            return True
        return bool(words) and inner[-1:] in ",.?!" and (len(words) >= 2 or inner[-1:] in ",.?!")

    def direct_inner(self, r: QuoteRegion) -> tuple[int, int] | None:
        start, end = r.inner_start, r.inner_end
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and (self.text[end - 1].isspace() or self.text[end - 1] in ".,;:"):
            end -= 1
        return (start, end) if end > start else None


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def extract_quotes(doc: Doc) -> tuple[list[QuoteSpan], list[SpeakerInfo]]:
    """Quotes (content spans, character offsets into ``doc.text``) and the speakers they resolve to."""
    if len(doc) == 0 or not doc.has_annotation("DEP"):
        return [], []
    ex = _Extractor(doc)
    cue_list = ex.find_cues()
    for cue in cue_list:
        ex.frame(cue)
    by_token = {cue.token.i: cue for cue in cue_list}

    # forward contents stop where another (non-nested) attribution starts: "..., adding that"
    blocks = sorted((cue.block[0], cue.token.i) for cue in cue_list if cue.block != (0, 0))
    block_starts = [b for b, _ in blocks]
    for cue in cue_list:
        if cue.content is None or cue.frame not in ("forward", "participle", "infinitive"):
            continue
        start, end = cue.content
        k = bisect.bisect_right(block_starts, start)
        while k < len(blocks) and blocks[k][0] < end:
            other = by_token[blocks[k][1]]
            inside = cue.comp is not None and ex._descends(other.token, cue.comp)
            if other is not cue and not inside and other.token.i > start:
                end = blocks[k][0]
                break
            k += 1
        cue.content = (start, end)

    candidates: list[_Candidate] = []
    # 1. direct quotes attributed across their marks
    region_cands: list[tuple[QuoteRegion, _Cue | None]] = []
    for r in ex.regions:
        if not ex.sentence_like(r):
            continue
        cue = _attribute_region(ex, r, by_token)
        region_cands.append((r, cue))
        if cue is None:
            continue
        inner = ex.direct_inner(r)
        if inner is None:
            continue
        cue.used = True
        candidates.append(
            _Candidate(inner[0], inner[1], cue, "direct", priority=3, source=cue.source, kind="direct")
        )

    # 2. reported speech
    for cue in cue_list:
        if cue.used or cue.content is None:
            continue
        span = ex.char_span(*cue.content)
        if span is None:
            continue
        kind, span = _kind_of(ex, span)
        candidates.append(_Candidate(span[0], span[1], cue, cue.frame, priority=2, source=cue.source, kind=kind))

    # keep the best of overlapping candidates: direct first, then confidence, then the longer (outer) one
    for c in candidates:
        c.confidence = _CONF[c.frame if c.frame in _CONF else "forward"]
    accepted: list[_Candidate] = []
    spans: list[tuple[int, int]] = []
    for c in sorted(candidates, key=lambda c: (-c.priority, -c.confidence, -(c.end - c.start), c.start)):
        k = bisect.bisect_left(spans, (c.start, c.end))
        if (k > 0 and spans[k - 1][1] > c.start) or (k < len(spans) and spans[k][0] < c.end):
            continue
        spans.insert(k, (c.start, c.end))
        accepted.append(c)
    accepted.sort(key=lambda c: c.start)

    # 3. continuations: a fully quoted sentence/paragraph with no cue, after an attributed quote
    starts = [c.start for c in accepted]
    for r, cue in region_cands:
        if cue is not None:
            continue
        inner = ex.direct_inner(r)
        if inner is None:
            continue
        k = bisect.bisect_left(spans, (inner[0], inner[1]))
        if (k > 0 and spans[k - 1][1] > inner[0]) or (k < len(spans) and spans[k][0] < inner[1]):
            continue
        if not _opens_unit(ex, r):
            continue
        j = bisect.bisect_left(starts, inner[0]) - 1
        prev = accepted[j] if j >= 0 else None
        para_of = lambda ch: bisect.bisect_right([p[0] for p in ex.paras], ch) - 1  # noqa: E731
        if prev is not None and para_of(inner[0]) - para_of(prev.end) <= 1 and prev.kind in ("direct", "mixed"):
            cand = _Candidate(inner[0], inner[1], None, "continuation", 1, carried_from=prev, kind="direct")
            cand.confidence = _CONF["continuation"]
        elif _whole_paragraph(ex, r):
            cand = _Candidate(inner[0], inner[1], None, "continuation", 1, kind="direct")
            cand.confidence = 0.3
        else:
            continue
        spans.insert(k, (inner[0], inner[1]))
        accepted.insert(j + 1, cand)
        starts.insert(j + 1, inner[0])

    return _resolve_speakers(ex, accepted)


def _attribute_region(ex: _Extractor, r: QuoteRegion, by_token: dict[int, _Cue]) -> _Cue | None:
    """The cue attributing a quoted region: right after its closing mark, or right before its opening."""
    doc = ex.doc
    a, b = ex.region_tokens(r)
    close_tok = ex.char_to_token(r.close)
    lo, hi = ex.para_bounds(min(close_tok, len(doc) - 1))
    # after: '"...," Putin told Xi' / '"..." said Xi' / '"...", according to X'
    k = close_tok + 1 if close_tok < len(doc) and doc[close_tok].idx == r.close else close_tok
    seen = 0
    while k < hi and seen < 7:
        t = doc[k]
        if t.text in ".!?" or (t.text in ALL_MARKS and k > close_tok + 1):
            break
        cue = by_token.get(k)
        if cue is not None and not cue.used:
            if cue.frame in ("backward", "according", "parenthetical") or cue.content is None:
                return cue
            if cue.comp is not None and a <= cue.comp.i < b:
                return cue
            return None  # the cue has content of its own after it
        if not (t.is_punct or t.is_space):
            seen += 1
            if t.pos_ == "VERB" and t.dep_ not in ("amod", "compound"):
                return None
        k += 1
    # before: 'Xi said: "..."' / 'Xi told reporters, "..."' / 'he said "..."'
    open_tok = ex.char_to_token(r.open)
    k = open_tok - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    if k < 0 or ex.tok_para[k] != ex.tok_para[min(open_tok, len(doc) - 1)]:
        return None
    if doc[k].text in (":", ","):
        k -= 1
    seen = 0
    while k >= lo and seen < 6:
        t = doc[k]
        cue = by_token.get(k)
        if cue is not None and not cue.used and cue.frame != "according":
            if cue.content is None or a - 1 <= cue.content[0] <= b:
                return cue
            return None  # 'said they would "..."': a mixed quote
        if t.text in ".!?" or t.text in ALL_MARKS:
            return None
        if t.pos_ == "VERB":
            return None
        seen += 1
        k -= 1
    return None


def _kind_of(ex: _Extractor, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    """direct / mixed / indirect, from the quotation regions inside a reported content."""
    start, end = span
    kind = "indirect"
    i = bisect.bisect_left([r.open for r in ex.regions], start)
    # also a region opening just before the content (content starting inside marks is unusual)
    for r in ex.regions[max(0, i - 1) :]:
        if r.open >= end:
            break
        inside_open = start <= r.open < end
        inside_close = start <= r.close < end
        if inside_open and r.open == start and r.close + 1 >= end and ex.text[r.close + 1 : end].strip(".,") == "":
            inner = ex.direct_inner(r)
            if inner is not None:
                return "direct", inner
        if inside_open or inside_close:
            kind = "mixed"
    return kind, span


def _opens_unit(ex: _Extractor, r: QuoteRegion) -> bool:
    """The quotation starts a paragraph or a sentence (it is not a fragment inside running text)."""
    k = r.open - 1
    while k >= 0 and ex.text[k] in " \t":
        k -= 1
    return k < 0 or ex.text[k] in "\n\r.!?:" or ex.text[k] in ALL_MARKS


def _whole_paragraph(ex: _Extractor, r: QuoteRegion) -> bool:
    tail = ex.text[r.close + 1 : r.close + 4]
    return _opens_unit(ex, r) and (tail.strip(" .,") == "" or tail.lstrip(" .,")[:1] in "\n\r")


def _resolve_speakers(ex: _Extractor, accepted: list[_Candidate]) -> tuple[list[QuoteSpan], list[SpeakerInfo]]:
    """Name each quote's source, resolving pronouns and merging aliases across the text."""
    doc = ex.doc
    registry = SpeakerRegistry()
    contents = [(c.start, c.end) for c in accepted]
    content_starts = [s for s, _ in contents]

    def in_content(char: int) -> bool:
        k = bisect.bisect_right(content_starts, char) - 1
        return k >= 0 and contents[k][0] <= char < contents[k][1]

    # antecedents for pronouns: named subjects outside quoted content, and the sources of earlier quotes
    nsubj = ex._h("nsubj")
    deps = doc.to_array(["DEP"]).astype(np.int64)
    person = ex.ent == ex._h("PERSON")
    body = np.isin(ex.ent, [ex._h(lbl) for lbl in ("ORG", "GPE", "NORP")])
    subj_rows = np.flatnonzero((deps == nsubj) & (person | body))
    subj_pos = [int(ex.idx[i]) for i in subj_rows]
    source_log: list[tuple[int, int, str]] = []  # (char position, mention id, kind), in text order

    def register(src: _Source, position: int) -> int:
        surface = strip_determiner(ex.text[doc[src.start].idx : ex.tok_end(src.end - 1)])
        return registry.add(
            SpeakerMention(
                surface=surface,
                name=src.name or surface,
                role=src.role,
                kind=src.kind or "person",
                position=position,
                extra_aliases=src.extra_aliases,
            )
        )

    subject_cache: dict[int, tuple[int | None, str | None]] = {}

    def antecedent(char: int, kind: str, max_paras: int | None) -> int | None:
        best_pos, best_id = -1, None
        for pos, mid, k in reversed(source_log):
            if pos < char and k == kind:
                best_pos, best_id = pos, mid
                break
        j = bisect.bisect_left(subj_pos, char) - 1
        while j >= 0 and subj_pos[j] > best_pos:
            pos = subj_pos[j]
            if not in_content(pos):
                row = int(subj_rows[j])
                if row not in subject_cache:
                    lo, hi = ex.para_bounds(row)
                    src = ex.describe(doc[row], lo, hi)
                    ok = src.kind is not None and src.pronoun is None
                    subject_cache[row] = (register(src, pos) if ok else None, src.kind)
                mid, k = subject_cache[row]
                if mid is not None and k == kind:
                    best_pos, best_id = pos, mid
                    break
            j -= 1
        if best_id is None:
            return None
        if max_paras is not None:
            para_of = lambda ch: bisect.bisect_right([p[0] for p in ex.paras], ch) - 1  # noqa: E731
            if para_of(char) - para_of(best_pos) > max_paras:
                return None
        return best_id

    out: list[tuple[_Candidate, int | None, str | None, tuple[int, int] | None]] = []
    for c in accepted:
        mention_id = None
        mention = None
        surface = None
        if c.carried_from is not None:
            mention_id = c.carried_from.mention_id
            c.confidence *= 1.0 if mention_id is not None else 0.5
        elif c.source is not None:
            lo, hi = ex.para_bounds(c.source.i)
            src = ex.describe(c.source, lo, hi)
            mention = (doc[src.start].idx, ex.tok_end(src.end - 1))
            surface = ex.text[mention[0] : mention[1]]
            if src.pronoun is not None:
                kind = "person" if src.pronoun == "person" else "organisation"
                mention_id = antecedent(mention[0], kind, None if kind == "person" else 3)
                c.confidence -= 0.1
            elif src.kind is not None:
                mention_id = register(src, mention[0])
                c.confidence -= src.penalty
            if mention_id is not None:
                source_log.append((mention[0], mention_id, registry.kind_of(mention_id)))
        if mention_id is None:
            c.confidence *= 0.6
        c.mention_id = mention_id
        out.append((c, mention_id, surface, mention))

    _add_entity_aliases(ex, registry)
    used = [m for _, m, _, _ in out if m is not None]
    quotes = []
    for c, mid, surface, mention in out:
        cue_text = cue_start = cue_end = None
        if c.cue is not None:
            cue_text, cue_start, cue_end = ex.cue_text(c.cue)
        quotes.append(
            QuoteSpan(
                start=c.start,
                end=c.end,
                text=ex.text[c.start : c.end],
                kind=c.kind,
                cue=cue_text,
                cue_start=cue_start,
                cue_end=cue_end,
                speaker=registry.name_of(mid) if mid is not None else None,
                speaker_mention=surface,
                mention_start=mention[0] if mention else None,
                mention_end=mention[1] if mention else None,
                confidence=round(max(0.0, min(1.0, c.confidence)), 3),
            )
        )
    return quotes, registry.speakers(used)


def _add_entity_aliases(ex: _Extractor, registry: SpeakerRegistry) -> None:
    """Other surface forms of the speakers in this text ("Russian President Vladimir Putin" for "Putin")."""
    for ent in ex.doc.ents:
        if ent.label_ not in ("PERSON", "ORG"):
            continue
        kind = "person" if ent.label_ == "PERSON" else "organisation"
        name = strip_possessive(ent.text)
        k = registry.match(name, kind)
        if k is None:
            continue
        registry.add_surface(k, name)
        # the titled form: "Chinese President" + "Xi Jinping", within the same paragraph
        lo, _ = ex.para_bounds(ent.start)
        left = max(ent.root.left_edge.i, lo)
        while left < ent.start and (ex.doc[left].is_punct or ex.doc[left].is_space):
            left += 1
        if kind == "person" and left < ent.start:
            surface = strip_possessive(strip_determiner(ex.text[ex.doc[left].idx : ent.end_char]))
            n, role = speaker_name_parts(surface)
            if role and n == name:
                registry.add_surface(k, surface)
