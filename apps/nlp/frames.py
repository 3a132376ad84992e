"""Cue frames: for each cue word, the attribution block, the source token and the content's token range.

Frames, after the dependency patterns of rule-based reported-speech extractors:

- ``forward``: the clausal complement after the cue, "Xi said (that) X", "..., adding that X";
- ``participle``: the same from a participle, "Noting that X, Xi said ..." (ends where its head clause starts);
- ``infinitive``: directives and commissives, "urged countries not to X", "threatened to X";
- ``backward``: a post-posed attribution, "X, Xi said" / "X, said Xi";
- ``parenthetical``: an attribution inside the sentence, "The talks, Lavrov said, were useful";
- ``according``: "according to X, Y" / "Y, according to X".

A forward content runs to the end of its segment, because the small model often attaches coordinated
that-clauses or trailing adjuncts to the cue rather than to the complement; the content is then cut where
another attribution starts, at a journalist's gloss after a dash, or at a second predicate of the cue.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import numpy as np
from spacy.tokens import Token

from . import cues as lex
from .docview import DocView, among, id_set, ids
from .names import DOCUMENT_NOUNS, ORG_NOUNS, PERSON_NOUNS, TITLE_WORDS
from .sources import (
    BODY_LABELS,
    PERSON_LABELS,
    SUBJECT_DEPS,
    can_speak,
    interposed_participle,
    inverted_subject,
    mention_span,
    second_predicate_of_source,
    subject_of,
)

_CUE_IDS = id_set(lex.ALL_LEMMAS)
_SOURCE_PRONOUNS = frozenset({"him", "her", "his", "them", "their"})
_NOMINAL_DEPS = frozenset({"pobj", "dobj", "nsubj", "nsubjpass", "compound", "poss", "attr"})
_LEAD_SKIP = frozenset({",", ":", ";", "-", "–", "—", "--", "that"})
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "parataxis", "dep", "csubj"})
_TRAILING_SUBORDINATORS = frozenset("after as while before amid".split())
_SUBORDINATORS = frozenset("when after before if because since although though once until unless whereas".split())
_ADJUNCT_DEPS = frozenset("prep pobj det amod compound acl npadvmod advmod nummod poss case agent quantmod".split())
# a dateline's date: "May 8", "April 8/2026" (ENA), "21 May" (APS)
_DATE = r"(?:[A-Z][a-z]{2,9}\.? \d{1,2}|\d{1,2} [A-Z][a-z]{2,9}\.?)(?:/\d{2,4})?"
# "MOSCOW, May 8 (Reuters) -": a dateline is not part of a backward content
_DATELINE_RE = re.compile(
    # "MANILA, Philippines —", "SEOUL, South Korea (AP) —": the place in capitals may name its country after it
    # "(ANSA) - ROME, NOV 26 -": the agency may come first
    r"^(?:\([A-Z][A-Za-z .]{1,30}\) ?[-–—]{1,2} )?"
    r"(?:[A-Z][A-Z0-9 .,'’-]{2,40}(?:, [A-Z][a-z]+(?: [A-Z][a-z]+){0,2})?(?:,? " + _DATE + ")?"
    r"(?: \([^)]{1,40}\))?"
    # "Tehran (AFP) -", "Beijing, May 8 (Xinhua) --": a place in title case needs the agency in brackets
    r"|[A-Z][A-Za-z.'’-]+(?: [A-Z][A-Za-z.'’-]+){0,3}(?:,? " + _DATE + r")? \([A-Z][A-Za-z .]{1,30}\))"
    r"(?: ?[-–—]{1,2} |: )"  # "KUALA LUMPUR: Malaysia has ...": a colon after a place in capitals
)


@dataclass(slots=True)
class Cue:
    token: Token
    lemma: str
    tokens: tuple[int, ...]  # the cue words: "said", "pointed out", "expressed hope", "according to"
    frame: str = ""
    content: tuple[int, int] | None = None  # token range of what was said
    block: tuple[int, int] = (0, 0)  # token range of the attribution (source + cue)
    comp: Token | None = None  # head of the complement, for nesting checks
    source: Token | None = None
    used: bool = False  # taken by a direct quotation
    coordinated: bool = False  # "X said A and said B", the second cue misparsed into A

    def text(self, view: DocView) -> tuple[str, int, int]:
        """The cue as written, lower case, with its character span."""
        first, last = self.tokens[0], self.tokens[-1]
        start, end = view.starts[first], view.tok_end(last)
        if last - first <= 2:
            return " ".join(view.text[start:end].lower().split()), start, end
        return f"{view.doc[first].lower_} {view.doc[last].lower_}", start, end


def find_cues(view: DocView) -> list[Cue]:
    """Cue candidates (a vectorised lemma lookup), each framed; cues with no content keep ``content`` None."""
    verbs = np.flatnonzero(view.pos == ids("VERB")[0])
    hits = verbs[among(view.lemma[verbs], _CUE_IDS) | among(view.lower[verbs], _CUE_IDS)]
    hits = np.union1d(hits, np.flatnonzero(view.lower == ids(lex.ACCORDING)[0]))
    hits = np.union1d(hits, np.flatnonzero(view.lower == ids("words")[0]))  # "In her words, ..."
    found = [cue for i in hits if (cue := _make_cue(view, view.doc[int(i)])) is not None]
    for cue in found:
        _frame(view, cue)
    _adopt_coordinated(view, found)
    _cut_at_other_attributions(view, found)
    return found


def _make_cue(view: DocView, tok: Token) -> Cue | None:
    lower = tok.lower_
    if lower == lex.ACCORDING:
        to = next((c for c in view.kids(tok) if c.lower_ == "to"), None)
        if to is None or not any(c.dep_ == "pobj" for c in view.kids(to)):
            return None
        return Cue(tok, "according", (tok.i, to.i), frame="according")
    if lower == "words":  # "In her words, X": a leading attribution, like "according to her"
        owner = next((c for c in view.kids(tok) if c.dep_ == "poss"), None)
        if tok.dep_ != "pobj" or tok.head.lower_ != "in" or owner is None:
            return None
        return Cue(tok.head, "according", (tok.head.i, tok.i), frame="according")
    lemma = tok.lemma_.lower()
    if lemma not in lex.ALL_LEMMAS:
        lemma = lower
    if lemma not in lex.ALL_LEMMAS:
        return None
    if any(c.dep_ in ("auxpass", "nsubjpass", "neg") for c in view.kids(tok)):
        return None  # "was told", "is said to": not the source; "did not say when": no content
    if any(c.dep_ == "dobj" and c.lower_ in lex.ANONYMITY_WORDS for c in view.kids(tok)):
        return None  # "who requested anonymity to speak candidly": how a source is kept unnamed, not speech
    if tok.dep_ in _NOMINAL_DEPS:
        return None  # "called on the Sahel states to ...": a noun the tagger took for a verb is no cue
    if (
        tok.tag_ in ("VBN", "VBD")
        and tok.dep_ in ("advcl", "acl", "amod")
        and not any(c.dep_ in ("aux", "nsubj") for c in view.kids(tok))
    ):
        return None  # "when asked whether ...", "Asked about X, he said": a reduced passive
    if tok.dep_ == "xcomp" and tok.tag_ == "VB" and tok.head.lemma_.lower() in lex.PROSPECTIVE_HEADS:
        return None  # "were preparing to announce ...": a statement in prospect, not made
    if interposed_participle(tok):
        return None  # "Ana Ruiz, asked whether ..., said": she was asked; the cue is "said"
    if lemma in lex.REQUIRED_PARTICLE:
        wanted = lex.REQUIRED_PARTICLE[lemma]
        # the particle follows the verb: in "on Monday called on X to ...", the first "on" is a date
        part = next(
            (c for c in view.kids(tok) if c.dep_ in ("prt", "prep") and c.lower_ in wanted and c.i > tok.i), None
        )
        if part is None and lemma == "call":
            part = _for_to_clause_mark(tok)
        return Cue(tok, lemma, (tok.i, part.i)) if part is not None else None
    if lemma in lex.NOUN_FRAMES:
        wanted = lex.NOUN_FRAMES[lemma]
        noun = next((c for c in view.kids(tok) if c.dep_ == "dobj" and c.lower_ in wanted), None)
        return Cue(tok, lemma, (tok.i, noun.i)) if noun is not None else None
    if lower == "said" and 0 < tok.i < view.n - 1 and tok.nbor(-1).lower_ == "that" and tok.nbor(1).lower_ == ",":
        return None  # "That said, ..."
    return Cue(tok, lemma, (tok.i,))


def _frame(view: DocView, cue: Cue) -> None:
    tok, doc = cue.token, view.doc
    lo, hi = view.para_bounds(tok.i)
    s_lo, s_hi = view.segment(tok.i)
    if cue.frame == "according":
        _frame_according(view, cue, s_lo, s_hi)
        return
    subj, own = subject_of(view, tok, lo, hi)
    if cue.lemma in lex.WEAK and subj is not None and not can_speak(subj):
        return  # "The move signals that ...": no speaker, no speech
    block_lo, block_hi = min(cue.tokens), max(cue.tokens) + 1
    if subj is not None and own:
        m_lo, m_hi = mention_span(view, subj, lo, hi)
        m_hi = _skip_parenthesis(view, m_hi, block_lo)
        if m_hi <= block_lo:
            gap = [t for t in doc[m_hi:block_lo] if t.dep_ not in ("aux", "neg", "advmod", "npadvmod")]
            if (
                not any(not t.is_punct for t in gap)
                or all(t.head.i == tok.i for t in gap)
                # "two sources with direct knowledge of the meeting told": the subject's own postmodifier
                or (gap and subj.i < gap[0].i and subj.right_edge.i == block_lo - 1)
            ):
                block_lo = min(block_lo, m_lo)
        elif m_lo >= block_hi and m_lo - block_hi <= 1:
            block_hi = max(block_hi, m_hi)
    cue.source = subj
    for c in view.kids(tok):  # "also said", "has said"
        if c.dep_ in ("aux", "neg", "advmod") and c.i == block_lo - 1:
            block_lo = c.i
    cue.block = (block_lo, block_hi)

    comp, start = _forward_complement(view, cue, lo, hi)
    if comp is not None and start is not None and _relayed_report(view, comp, start):
        return  # the inner report is the quote, with its own source
    if comp is not None and start is not None:
        cue.comp = comp
        cue.frame = "infinitive" if comp.dep_ == "xcomp" or cue.lemma in lex.REQUIRED_PARTICLE else "forward"
        if cue.frame == "forward" and tok.tag_ == "VBG" and tok.dep_ == "advcl":
            cue.frame = "participle"
        end = s_hi
        if tok.head.i > tok.i and tok.head.lemma_.lower() not in lex.ALL_LEMMAS:
            end = min(end, tok.right_edge.i + 1)  # "Noting that X, the minister left"
        for c in view.kids(tok):  # "has called for X and has accused Y": a second predicate of the source
            if c.dep_ == "conj" and c.i > start and (c.tag_ == tok.tag_ or _coordinated_clause(view, c)):
                end = min(end, c.left_edge.i)
        for c in view.kids(comp):  # "said X could not afford Y and accused Z of ...": a second predicate of X
            reporter = second_predicate_of_source(c) if c.dep_ == "conj" and start < c.i < end else None
            if reporter is not None and reporter.i == tok.i:
                end = c.left_edge.i
                while end > start and (doc[end - 1].dep_ == "cc" or doc[end - 1].is_punct):
                    end -= 1
        end = _cut_trailing_adjuncts(view, tok, comp, start, end)
        cue.content = (start, _cut_gloss(view, start, end))
        if subj is None:
            cue.source = inverted_subject(view, cue.tokens[-1], hi)
        return
    if any(interposed_participle(c) for c in (*tok.lefts, tok.head) if c.i < tok.i):
        return  # "Ana Ruiz, asked whether ..., said: ...": the clause before is the question, not the content
    _frame_backward(view, cue, subj, own, s_lo, s_hi, lo, hi)


def _adjacent_subject(view: DocView, tok: Token, lo: int) -> Token | None:
    """The name right before a post-posed cue, between commas: "..., Maria Zakharova, said"."""
    doc = view.doc
    k = tok.i - 1
    while k > lo and doc[k].dep_ in ("aux", "advmod"):
        k -= 1
    if k > lo and doc[k].text == ",":
        k -= 1
    if k <= lo or doc[k].ent_type_ not in PERSON_LABELS or doc[k].pos_ != "PROPN":
        return None
    tok_k = doc[k]
    if tok_k.dep_ == "appos" and tok_k.head.pos_ == "NOUN" and tok_k.head.i < k:
        tok_k = tok_k.head  # "the official representative of the ministry, Maria Zakharova,"
    start = tok_k.left_edge.i
    return tok_k if start > lo and doc[start - 1].text == "," else None


def _titled_name(view: DocView, tok: Token, lo: int) -> tuple[Token, int] | None:
    """ "..., commerce and industry minister Piyush Goyal said": a person's name with a lower-case title,
    between a comma and a post-posed cue. The name and the first token of the title."""
    doc = view.doc
    k = tok.i - 1
    while k > lo and doc[k].dep_ in ("aux", "advmod"):
        k -= 1
    if k <= lo or doc[k].ent_type_ not in PERSON_LABELS or doc[k].pos_ != "PROPN":
        return None
    name, j = doc[k], k - 1
    while j > lo and k - j <= 10 and (doc[j].pos_ in ("PROPN", "NOUN", "ADJ", "CCONJ") or doc[j].text == "-"):
        j -= 1
    if doc[j].text != "," or j + 1 >= k or not any(t.pos_ == "NOUN" for t in doc[j + 1 : k]):
        return None
    return name, j + 1


def _preceding_subject(view: DocView, tok: Token, s_lo: int) -> Token | None:
    """The noun phrase between the last comma and a subjectless post-posed cue ("..., the Ministry of
    External Affairs (MEA) said"), which the parser hung on the clause before it: its head, when it can speak
    and holds no verb."""
    doc = view.doc
    k = tok.i - 1
    while k > s_lo and doc[k].dep_ in ("aux", "advmod", "neg"):
        k -= 1
    if k > s_lo and doc[k].text == ")":  # "(MEA)"
        j = k - 1
        while j > max(s_lo, k - 6) and doc[j].text != "(":
            j -= 1
        if doc[j].text != "(":
            return None
        k = j - 1
    end = k + 1
    while k > s_lo and doc[k].text != "," and end - k <= 10:
        if doc[k].pos_ in ("VERB", "AUX") or doc[k].is_punct and doc[k].text not in ("'s", "’s", ".", "-"):
            return None
        k -= 1
    if doc[k].text != "," or end - k > 10 or end <= k + 1:
        return None
    phrase = range(k + 1, end)
    heads = [doc[i] for i in phrase if not k < doc[i].head.i < end or doc[i].head.i == doc[i].i]
    if len(heads) != 1 or not can_speak(heads[0]) or heads[0].pos_ not in ("NOUN", "PROPN"):
        return None
    return heads[0]


def _skip_parenthesis(view: DocView, k: int, limit: int) -> int:
    """Past a short parenthesis right after a mention ("the Ministry of External Affairs (MEA)")."""
    doc = view.doc
    if k < limit and doc[k].text == "(":
        for j in range(k + 1, min(k + 6, limit)):
            if doc[j].text == ")":
                return j + 1
    return k


def _frame_backward(
    view: DocView, cue: Cue, subj: Token | None, own: bool, s_lo: int, s_hi: int, lo: int, hi: int
) -> None:
    """ "X, Xi said" / "X, said Xi" / "X, Xi noted, stressing that ..." / "The talks, Lavrov said, were useful"."""
    subj, own = _misparsed_postposed_subject(view, cue, subj, own, lo, hi)
    if subj is None:
        subj, own = _subjectless_postposed_subject(view, cue, s_lo, lo, hi)
    if subj is None or not own:
        return  # "X, saying ...": a participle never attributes backwards
    if _cue_points_forward(view, cue, s_hi) or _only_subordinate_before(cue):
        return
    doc = view.doc
    block_lo, block_hi = cue.block
    k = block_lo - 1
    while k >= s_lo and doc[k].is_space:
        k -= 1
    closes = k > s_lo and doc[k].idx in view.region_closes
    if k > s_lo and not (doc[k].text in (",", ":", "—", "–") or closes):
        k = _comma_before_title(doc, k, s_lo, block_lo)
    if k <= s_lo or not (doc[k].text in (",", ":", "—", "–") or closes):
        return
    start = _after_dateline(view, s_lo)
    parenthetical = _is_parenthetical(view, cue, s_hi)
    clause = [t for t in doc[start : s_hi if parenthetical else k] if not block_lo <= t.i < block_hi]
    if len(clause) < 3 or not any(t.pos_ in ("VERB", "AUX") for t in clause):
        return
    if parenthetical and _after_relative_word(doc, k, s_lo):
        # "a meeting in which, he said, they rejected any ceasefire": only the relative clause is his
        cue.frame = "parenthetical"
        cue.content = (_skip_lead(view, block_hi, s_hi), s_hi)
    elif parenthetical:
        cue.frame = "parenthetical"  # one span over the whole sentence, attribution included
        cue.content = (start, s_hi)
    else:
        cue.frame = "backward"
        cue.content = (start, k + 1 if closes else k)


_TITLE_GLUE = frozenset(("of", "for", "and", "the", "-"))


def _comma_before_title(doc, k: int, s_lo: int, block_lo: int) -> int:
    """'..., Minister of Foreign Affairs Olivier Nduhungirehe said', the parser hanging the title on the clause
    before and only the name on the verb: the comma before a capitalised title that ends at the name (at most
    eight words, a title word first); else ``k`` unchanged."""
    j = k
    while j > s_lo and block_lo - j <= 8 and (doc[j].text[:1].isupper() or doc[j].lower_ in _TITLE_GLUE):
        j -= 1
    if j < k and doc[j].text == "," and doc[j + 1].lower_ in TITLE_WORDS and doc[j + 1].text[:1].isupper():
        return j
    return k


def _after_relative_word(doc, comma: int, s_lo: int) -> bool:
    """The comma before a parenthetical attribution follows a relative word ("which", "who", "in which"): the
    attribution interrupts a relative clause, not the sentence."""
    return comma - 1 > s_lo and doc[comma].text == "," and doc[comma - 1].tag_ in ("WDT", "WP", "WP$")


def _misparsed_postposed_subject(
    view: DocView, cue: Cue, subj: Token | None, own: bool, lo: int, hi: int
) -> tuple[Token | None, bool]:
    """A post-posed cue parsed as a conjunct of the reported verb, its subject swallowed by the clause before:
    "X, the spokeswoman of the ministry, Eva Lind, said" or "X, trade minister Raj Patel said"."""
    if own or cue.token.dep_ != "conj":
        return subj, own
    tok, doc = cue.token, view.doc
    block_lo, block_hi = cue.block
    adj = _adjacent_subject(view, tok, lo)
    if adj is not None:
        m_lo, _ = mention_span(view, adj, lo, hi)
        while m_lo > lo and doc[m_lo - 1].dep_ in ("det", "amod", "compound", "poss", "case"):
            m_lo -= 1
        cue.source, cue.block = adj, (min(block_lo, m_lo, adj.left_edge.i), block_hi)
        return adj, True
    named = _titled_name(view, tok, lo)
    if named is not None:
        cue.source, cue.block = named[0], (named[1], block_hi)
        return named[0], True
    return subj, own


def _subjectless_postposed_subject(view: DocView, cue: Cue, s_lo: int, lo: int, hi: int) -> tuple[Token | None, bool]:
    """A post-posed cue without a parsed subject: the noun phrase before it ("X, the Ministry of Trade (MoT)
    said"), or an inverted subject after it ("X, said the minister")."""
    tok = cue.token
    block_lo, block_hi = cue.block
    subj = _preceding_subject(view, tok, s_lo) if tok.dep_ == "ROOT" else None
    if subj is not None:
        cue.source = subj
        m_lo, _ = mention_span(view, subj, lo, hi)
        cue.block = (min(block_lo, m_lo), block_hi)
        return subj, True
    subj = inverted_subject(view, cue.tokens[-1], hi)
    cue.source = subj
    if subj is not None:
        m_lo, m_hi = mention_span(view, subj, lo, hi)
        cue.block = (min(block_lo, m_lo), max(block_hi, m_hi))
    return subj, subj is not None


def _cue_points_forward(view: DocView, cue: Cue, s_hi: int) -> bool:
    """A colon or an opening quotation mark right after the attribution: 'Asked about it, Ana Ruiz replied:
    "..."' introduces what follows, it does not attribute what precedes."""
    doc, nxt = view.doc, cue.block[1]
    while nxt < s_hi and doc[nxt].is_space:
        nxt += 1
    return nxt < s_hi and (doc[nxt].text == ":" or doc[nxt].idx in view.region_opens)


def _only_subordinate_before(cue: Cue) -> bool:
    """ "When asked about the plan, he said." / "Replying to a question, he said.": only subordinate clauses
    before the cue, so there is no reported content."""
    left_clauses = [c for c in cue.token.children if c.i < cue.block[0] and c.dep_ in _CLAUSE_DEPS]
    return bool(left_clauses) and all(_subordinate(c) for c in left_clauses)


def _after_dateline(view: DocView, s_lo: int) -> int:
    """The first token after a dateline at the start of the sentence ("PARIS, May 2 (AFP) - ..."), or s_lo."""
    doc = view.doc
    m = _DATELINE_RE.match(view.text[doc[s_lo].idx : doc[s_lo].idx + 80])
    return view.char_to_token(doc[s_lo].idx + m.end()) if m else s_lo


def _is_parenthetical(view: DocView, cue: Cue, s_hi: int) -> bool:
    """ "The talks, Ana Ruiz said, were useful": the sentence goes on after the attribution with words that do
    not hang on the cue."""
    doc, tok = view.doc, cue.token
    after = cue.block[1]
    while after < s_hi and (doc[after].is_punct or doc[after].is_space):
        after += 1
    if after >= s_hi:
        return False
    rest = doc[after]
    return not (view.descends(rest, tok) or (rest.dep_ == "cc" and rest.head.i == tok.i))


def _forward_complement(view: DocView, cue: Cue, lo: int, hi: int) -> tuple[Token | None, int | None]:
    """The complement after the cue and the token where the content starts, or (None, None)."""
    if cue.lemma in lex.NOUN_FRAMES:
        return _noun_frame_complement(view, cue, hi)
    if cue.lemma == "call":
        return _call_on_complement(view, cue, hi)
    tok = cue.token
    after = max(cue.tokens)
    kids = [c for c in view.kids(tok) if lo <= c.i < hi]
    comp = _clausal_child(kids, after)
    if cue.lemma in lex.DIRECTIVE or cue.lemma in lex.COMMISSIVE:
        found = _infinitive_complement(cue, kids, after, comp)
        if found is not None:
            return found
    if comp is None:
        comp = _displaced_that_clause(view, tok, after, hi)
    if comp is None and cue.lemma in lex.ADDRESSEE_CUES:
        comp = _clause_under_addressee_participle(kids, after, lo, hi)
    if comp is None:
        comp = _second_subject(tok, kids, after)
    if comp is None:
        return None, None
    start = comp.left_edge.i
    if cue.lemma not in lex.ADDRESSEE_CUES and not any(g.lower_ == "that" for g in view.kids(comp)):
        obj = next((c for c in kids if c.dep_ == "dobj" and after < c.i < comp.i), None)
        if obj is not None:  # "adding [the region's participation] [must be handled ...]"
            start = min(start, obj.left_edge.i)
    if start <= after:
        start = after + 1
    if not any(g.dep_ in SUBJECT_DEPS or g.dep_ == "nsubjpass" for g in view.kids(comp)):
        start = _stranded_subject(view, kids, comp, start)
    return comp, _skip_lead(view, start, hi)


def _second_subject(tok: Token, kids: list[Token], after: int) -> Token | None:
    """Second subject rule: in 'X said Bratislava preferred dialogue to "..."' the tagger reads "preferred" as an
    adjective and hangs "dialogue" on "said" as a second subject; a subject after a speech verb that already has
    one before it opens the reported clause."""
    if tok.lemma_.lower() not in lex.SPEECH or not any(
        c.dep_ == "nsubj" and c.i < tok.i and not _dateline_word(c) for c in kids
    ):
        return None
    return next((c for c in kids if c.dep_ == "nsubj" and c.i > after and c.pos_ in ("NOUN", "PROPN")), None)


def _dateline_word(tok: Token) -> bool:
    """'KUALA LUMPUR: ...', 'ISLAMABAD — ...': a word in capitals that a colon or a dash follows, a dateline the
    parser may take for the subject of a speech verb further on."""
    doc = tok.doc
    return tok.is_upper and any(t.text in (":", "—", "–", "-", "--") for t in doc[tok.i + 1 : tok.i + 3])


def _stranded_subject(view: DocView, kids: list[Token], comp: Token, start: int) -> int:
    """'told AFP the bloc's door "remains open"': the parser hung the clause's subject on the addressee and left
    the complement without one. A noun phrase right before a subjectless complement, after the addressee, is
    its subject: the content starts there."""
    doc = view.doc
    addressee = next((c for c in kids if c.dep_ in ("dobj", "dative") and c.i < comp.i), None)
    if addressee is None:
        return start
    j = start - 1
    while j > addressee.i and (doc[j].is_punct or doc[j].is_space):
        j -= 1
    noun = doc[j]
    if j <= addressee.i or noun.pos_ not in ("NOUN", "PROPN") or noun.head.i != addressee.i:
        return start
    left = noun.left_edge.i
    return left if left > addressee.i else start


def _clause_under_addressee_participle(kids: list[Token], after: int, lo: int, hi: int) -> Token | None:
    """Addressee participle rule: in "Ana Ruiz told delegates meeting in Lima that the deal was close" the parser
    hangs the that-clause on the participle describing the addressee ("meeting"); it is the cue's complement."""
    for c in kids:
        if c.i > after and c.dep_ in ("xcomp", "acl", "advcl") and c.tag_ == "VBG":
            inner = [g for g in c.children if lo <= g.i < hi and g.dep_ == "ccomp"]
            comp = next((g for g in inner if any(m.dep_ == "mark" and m.lower_ == "that" for m in g.children)), None)
            if comp is not None:
                return comp
    return None


def _clausal_child(kids: list[Token], after: int) -> Token | None:
    """The first clause after the cue that is its complement: a ccomp, or an adverbial or loose clause with a
    complementiser ("that", "whether", "if") or, misparsed, with a subject of its own and no marker."""
    for c in kids:
        if c.i <= after:
            continue
        marks = [g.lower_ for g in c.children if g.dep_ == "mark"]
        if c.dep_ == "ccomp" or (
            c.dep_ in ("advcl", "dep", "parataxis")
            and (
                any(m in ("that", "whether", "if") for m in marks)
                or (not marks and any(g.dep_ in SUBJECT_DEPS for g in c.children))  # a misparsed ccomp
            )
        ):
            return c
    return None


def _noun_frame_complement(view: DocView, cue: Cue, hi: int) -> tuple[Token | None, int | None]:
    """A cue noun's clause: "expressed hope that the talks resume", "voiced confidence that ..."."""
    noun = view.doc[cue.tokens[-1]]
    comp = next(
        (
            c
            for c in view.kids(noun)
            if c.dep_ in ("acl", "ccomp", "relcl", "advcl")
            and any(g.dep_ in ("mark", "aux") and g.lower_ in ("that", "to") for g in view.kids(c))
        ),
        None,
    )
    return (comp, _skip_lead(view, comp.left_edge.i, hi)) if comp is not None else (None, None)


def _for_to_clause_mark(tok: Token) -> Token | None:
    """'called for its perpetrators to be brought to justice': the parser makes "for" the mark of an infinitival
    clause with its own subject, hung on the verb. Returns that "for"."""
    for c in tok.children:
        if c.dep_ != "advcl" or c.i <= tok.i:
            continue
        kids = list(c.children)
        mark = next((g for g in kids if g.dep_ == "mark" and g.lower_ == "for"), None)
        if (
            mark is not None
            and any(g.dep_ == "aux" and g.lower_ == "to" for g in kids)
            and any(g.dep_ in ("nsubj", "nsubjpass") for g in kids)
        ):
            return mark
    return None


def _call_on_complement(view: DocView, cue: Cue, hi: int) -> tuple[Token | None, int | None]:
    """ "called on the parties to resume talks": an addressee and an infinitive. "called for talks (to end the
    dispute)" is a noun phrase, not reported content; "called for its perpetrators to be brought to justice" (a
    for-to clause with its own subject) is."""
    tok, doc = cue.token, view.doc
    part = doc[cue.tokens[-1]]
    if part.dep_ == "mark":
        clause = part.head
        return clause, _skip_lead(view, part.i + 1, hi)
    pobj = next((c for c in view.kids(part) if c.dep_ in ("pobj", "nsubj")), None)
    span_end = min(max(tok.right_edge.i, part.right_edge.i) + 1, hi)
    has_inf = any(
        t.tag_ == "VB" and any(g.dep_ == "aux" and g.lower_ == "to" for g in view.kids(t))
        for t in doc[part.i + 1 : span_end]
    )
    agent = pobj is not None and (
        pobj.ent_type_ in PERSON_LABELS | BODY_LABELS
        or pobj.lemma_.lower() in lex.ADDRESSEE_NOUNS
        or (part.lower_ in ("on", "upon") and pobj.pos_ in ("NOUN", "PROPN"))  # "called on partners to ..."
    )
    if not (agent and has_inf):
        return None, None
    return pobj, pobj.left_edge.i


def _infinitive_complement(
    cue: Cue, kids: list[Token], after: int, comp: Token | None
) -> tuple[Token | None, int | None] | None:
    """A directive or commissive infinitive: "urged the parties to talk" keeps its addressee; "vowed to
    retaliate" starts at "to"; "promised him a job to ..." is no frame (None, None). None when there is no
    infinitive before the clausal complement."""
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
    if x is None or (comp is not None and comp.i < x.i):
        return None
    obj = next((c for c in kids if c.dep_ in ("dobj", "dative") and after < c.i < x.i), None)
    if obj is not None and cue.lemma in lex.DIRECTIVE:
        return x, obj.left_edge.i  # directives keep their addressee
    if obj is not None:
        return None, None
    return x, x.left_edge.i


def _displaced_that_clause(view: DocView, tok: Token, after: int, hi: int) -> Token | None:
    """The parser often hangs the that-clause on an adjunct ("said in remarks published on Saturday that
    ...", "told a press briefing that ..."): take the first complementiser a few words on, when only
    adjuncts (and, for tell-like cues, the addressee) come between."""
    allowed = _ADJUNCT_DEPS | ({"dobj", "dative", "appos"} if tok.lemma_ in lex.ADDRESSEE_CUES else set())
    for k in range(after + 1, min(after + 12, hi)):
        t = view.doc[k]
        if t.is_punct and t.text != ",":
            return None
        if t.lower_ == "that" and _complementiser(t) and t.head.i > k and view.descends(t.head, tok):
            between = view.doc[after + 1 : k]
            return t.head if all(b.dep_ in allowed or b.is_punct for b in between) else None
        if t.pos_ == "VERB" and t.dep_ not in ("acl", "relcl", "amod"):
            return None
    return None


def _complementiser(that: Token) -> bool:
    """A "that" introducing a clause. The parser often reads "told a press briefing that Beijing opposed
    sanctions" as a relative clause on "briefing", with "that" as its object; a clause that already has its
    own subject and object (or complement) has no room for a relative pronoun, so "that" is the complementiser."""
    if that.dep_ == "mark":
        return True
    verb = that.head
    if that.dep_ not in ("dobj", "dative") or verb.dep_ != "relcl" or verb.i < that.i:
        return False
    kids = [c for c in verb.children if c.i != that.i]
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in kids) and any(
        c.dep_ in ("dobj", "ccomp", "xcomp", "acomp", "attr", "oprd", "auxpass") for c in kids
    )


def _coordinated_clause(view: DocView, conj: Token) -> bool:
    """ "said X, but No 10 did not say Y": a clause coordinated with the reporting clause, behind a comma and a
    conjunction, with a subject of its own and no complementiser, is the journalist's, not part of X."""
    doc = view.doc
    left = conj.left_edge.i
    if left < 2 or doc[left - 1].dep_ != "cc" or doc[left - 2].text != ",":
        return False
    kids = list(view.kids(conj))
    return any(c.dep_ in SUBJECT_DEPS for c in kids) and not any(c.dep_ == "mark" for c in kids)


def _cut_trailing_adjuncts(view: DocView, tok: Token, comp: Token, start: int, end: int) -> int:
    """Cut what the journalist adds after the content, behind a comma:

    - a subordinate clause of the cue itself: "urged X to stop Y, after Washington approved ...", "says X,
      as Israeli forces pushed deeper ..." (the parse hangs it on the cue, not on the complement);
    - a past-tense clause of time or cause hung on an infinitival complement, comma or not: "warned X to stop
      Y after ships fired on ...": what was urged lies ahead, the finite past clause is the occasion;
    - a participle that characterises rather than reports: "..., calling the talks 'positive'" (borderline);
    - a sentence-final copular participle on a full clause: "..., becoming the first country to do so";
    - an appositive gloss: "..., a claim the coast guard dismissed as ...", "..., an offer X has rejected",
      "..., its second in a month".
    """
    doc = view.doc
    for c in view.kids(tok):
        if c.dep_ == "advcl" and start < c.left_edge.i < end and _after_comma(doc, c.left_edge.i):
            marks = {g.lower_ for g in view.kids(c) if g.dep_ == "mark"}
            if marks & _TRAILING_SUBORDINATORS:
                end = min(end, c.left_edge.i - 1)
    infinitive = comp.dep_ == "xcomp" and comp.tag_ == "VB"
    if infinitive or tok.tag_ in ("VBZ", "VBP"):  # "says X, as forces pushed ...": the past is narration
        for c in view.kids(comp):
            if not (c.dep_ == "advcl" and c.tag_ == "VBD" and start < c.left_edge.i < end):
                continue
            if infinitive or doc[c.left_edge.i - 1].text == ",":
                kids = list(view.kids(c))
                marks = {g.lower_ for g in kids if g.dep_ == "mark"}
                if marks & _TRAILING_SUBORDINATORS and any(g.dep_ in SUBJECT_DEPS for g in kids):
                    cut = c.left_edge.i
                    end = min(end, cut - 1 if doc[cut - 1].text == "," else cut)
    full_clause = comp.dep_ != "xcomp" and any(g.dep_ in SUBJECT_DEPS for g in view.kids(comp))
    for k in view.commas(start + 1, end - 1):
        nxt = doc[k + 1]
        if nxt.tag_ == "VBG" and nxt.lemma_.lower() in lex.CHARACTERISING and nxt.dep_ in ("advcl", "xcomp", "conj"):
            return k
        if nxt.lower_ in ("a", "an") and any(
            t.lemma_.lower() in lex.GLOSS_NOUNS and t.pos_ == "NOUN" for t in doc[k + 2 : min(k + 4, end)]
        ):
            return k
        if full_clause and k > comp.i and _final_gloss(view, comp, k, end):
            return k
        if k > comp.i and _occasion_phrase(view, k, end):
            return k
        if k > comp.i and _occasion_clause(doc, k, end):
            return k
    return end


def _after_comma(doc, i: int) -> bool:
    """A comma right before token i, or a comma and then a closing mark ('when," as ...')."""
    return doc[i - 1].text == "," or (i >= 2 and doc[i - 1].is_quote and doc[i - 2].text == ",")


def _occasion_clause(doc, k: int, end: int) -> bool:
    """Occasion clause rule: '..., as the first round of hearings opened at the Peace Palace' (also after a
    quotation closed with the comma: 'when," as a conference opened'): an "as" clause whose past-tense verb is an
    event that frames the statement in time (``cues.OCCASION_VERBS``) ends the content."""
    j = k + 1
    if j < end and doc[j].is_quote:
        j += 1
    if j >= end or doc[j].lower_ != "as":
        return False
    if doc[j].dep_ == "mark":
        verb = doc[j].head
        return (  # a past participle with its own subject is a past tense the tagger misread
            verb.tag_ in ("VBD", "VBN")
            and verb.lemma_.lower() in lex.OCCASION_VERBS
            and any(c.dep_ in SUBJECT_DEPS for c in verb.children)
        )
    # the parser may read "as" as a preposition and the event verb as a clause on its noun
    nouns = [c for c in doc[j].children if c.dep_ == "pobj"]
    return any(
        v.dep_ in ("acl", "relcl") and v.tag_ in ("VBD", "VBN") and v.lemma_.lower() in lex.OCCASION_VERBS
        for n in nouns
        for v in n.subtree
    )


def _occasion_phrase(view: DocView, k: int, end: int) -> bool:
    """The words after the comma at ``k`` say where the content was said, not what: "in remarks seen as a
    swipe at ...", "in a joint statement issued after talks" (a preposition "in" whose object is an occasion
    noun of ``cues.OCCASION_NOUNS``, with at most two modifiers between)."""
    doc = view.doc
    nxt = doc[k + 1]
    if nxt.lower_ != "in" or nxt.dep_ != "prep":
        return False
    for t in doc[k + 2 : min(k + 5, end)]:
        if t.lower_ in lex.OCCASION_NOUNS and t.pos_ == "NOUN":
            return True
        if t.pos_ not in ("DET", "ADJ", "PROPN", "NOUN"):
            return False
    return False


def _final_gloss(view: DocView, comp: Token, k: int, end: int) -> bool:
    """The words from the comma at ``k`` to the end of the content comment on the whole clause before it."""
    doc = view.doc
    tail = doc[k + 1 : end]
    while len(tail) and (tail[-1].is_punct or tail[-1].is_space):
        tail = tail[:-1]
    if len(tail) < 2 or any(t.text in (",", ";", ":") or t.dep_ == "cc" for t in tail):
        return False
    first = tail[0]
    if first.tag_ == "VBG" and first.dep_ == "advcl" and first.head.i == comp.i:
        kids = list(view.kids(first))  # "..., becoming the first G7 country to do so"
        return not any(g.dep_ in SUBJECT_DEPS or g.dep_ == "mark" for g in kids) and any(
            g.dep_ in ("attr", "acomp", "oprd") for g in kids
        )
    prev = doc[k - 1]
    if prev.pos_ == "PROPN" or first.lower_ not in ("a", "an") and first.tag_ != "PRP$":
        return False  # "met Lavrov, his Russian counterpart": an apposition to a name inside the content
    noun = next((t for t in tail[1:4] if t.pos_ in ("NOUN", "PROPN", "NUM", "ADJ")), None)
    if noun is None or noun.pos_ == "PROPN" or noun.lemma_.lower() in PERSON_NOUNS:
        return False
    if first.tag_ == "PRP$":
        return True  # "..., its second in a month"
    # "..., an offer Washington has so far rejected": a relative clause with a subject of its own
    nominal = False
    for t in doc[noun.i + 1 : tail.end]:
        if t.pos_ in ("VERB", "AUX") and t.tag_ in ("VBD", "VBZ", "VBP", "MD"):
            return nominal
        nominal = nominal or t.pos_ in ("PROPN", "NOUN") or (t.pos_ == "PRON" and t.tag_ not in ("WDT", "WP"))
    return False


def _skip_lead(view: DocView, start: int, hi: int) -> int:
    """Skip the complementiser "that" and joining punctuation (a pronoun "that" stays)."""
    doc = view.doc
    while start < hi and (doc[start].lower_ in _LEAD_SKIP or doc[start].is_space):
        if doc[start].lower_ == "that" and not _complementiser(doc[start]):
            break
        start += 1
    return start


def _cut_gloss(view: DocView, start: int, end: int) -> int:
    """Cut a journalist's gloss after a single spaced dash ('... "bullying" - an implied reference to ...');
    a pair of dashes is a parenthesis inside the content and stays."""
    lo = bisect.bisect_right(view.spaced_dashes, start)
    hi = bisect.bisect_left(view.spaced_dashes, end)
    if hi - lo == 1 and view.spaced_dashes[lo] - start >= 3:
        return view.spaced_dashes[lo]
    return end


def _frame_according(view: DocView, cue: Cue, s_lo: int, s_hi: int) -> None:
    tok, doc = cue.token, view.doc
    pobj = next(c for c in doc[cue.tokens[-1]].children if c.dep_ in ("pobj", "poss"))
    if not (
        pobj.lower_ in _SOURCE_PRONOUNS  # "According to him", "In her words"
        or pobj.ent_type_ in PERSON_LABELS | BODY_LABELS
        or pobj.pos_ == "PROPN"
        or pobj.lemma_.lower() in PERSON_NOUNS | ORG_NOUNS | DOCUMENT_NOUNS
        or pobj.lower_ in ORG_NOUNS  # "media", which the lemmatiser makes "medium"
    ):
        return  # "according to the plan", "according to international law"
    cue.source = pobj
    p_lo, p_hi = max(tok.left_edge.i, s_lo), min(tok.right_edge.i + 1, s_hi)
    if p_lo > s_lo and _channel_of_attribution(tok):
        cue.block = (p_lo, p_hi)  # no content of its own; it still ends the content before it
        return
    if all(t.is_punct or t.is_space for t in doc[s_lo:p_lo]):
        # "According to the agency, one in three ...": the parser may hang the clause's subject on the source
        # as an appositive; a leading attribution ends at its first comma
        p_hi = next((t.i for t in doc[pobj.i + 1 : p_hi] if t.text == ","), p_hi)
    cue.block = (p_lo, p_hi)
    if all(t.is_punct or t.is_space for t in doc[s_lo:p_lo]):
        cue.content = (_skip_lead(view, p_hi, s_hi), s_hi)
    elif all(t.is_punct or t.is_space for t in doc[p_hi:s_hi]):
        cue.content = (_after_dateline(view, s_lo), p_lo)
    else:
        cue.frame = "parenthetical"
        cue.content = (s_lo, s_hi)


def _relayed_report(view: DocView, comp: Token, start: int) -> bool:
    """Relayed-report rule: in "China's Foreign Ministry said in a statement that Wang told Motegi that Japan
    should ..." what was said is Wang's: a complement that is wholly another source's speech act (a speech verb
    whose named subject opens the complement and which has its own clausal complement) is left to the inner
    cue, which quotes the inner words with the inner source."""
    if comp.dep_ not in ("ccomp", "relcl") or comp.lemma_ not in lex.SPEECH:
        return False
    subj = next((c for c in view.kids(comp) if c.dep_ == "nsubj"), None)
    if subj is None or subj.pos_ == "PRON" or subj.left_edge.i != start or not can_speak(subj):
        return False  # "X told ERR the pattern of incidents suggested ...": a pattern says nothing itself
    if subj.tag_ in ("NNS", "NNPS") or any(c.dep_ == "conj" for c in view.kids(subj)):
        return False  # "the ministry said the two ministers confirmed ...": a joint act the body reports
    if any(c.dep_ == "aux" and c.tag_ == "MD" for c in view.kids(comp)):
        return False  # "X said the government should explain how ...": a demand X makes, not a report relayed
    return any(c.dep_ == "ccomp" and c.i > comp.i for c in view.kids(comp))


def _channel_of_attribution(according: Token) -> bool:
    """Channel rule: in '"...," he said, according to a readout published by Xinhua' the speaker is the subject
    of "said"; a trailing "according to" that hangs on a speech verb with its own subject only names where the
    words were published."""
    verb = according.head
    return (
        verb.i != according.i
        and verb.i < according.i
        and verb.lemma_ in lex.SPEECH
        and any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
    )


def _subordinate(clause: Token) -> bool:
    """An adverbial clause that frames the cue rather than being what was said.

    Any participle clause is not enough: "Imposing tariffs backfires, Putin said" is often parsed as one.
    """
    if clause.dep_ != "advcl":
        return False
    if clause.tag_ in ("VBG", "VBN") and clause.lemma_ in lex.FRAMING_VERBS:
        return True  # "Replying to a question, he said ..."
    return any(c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in clause.children)


def _adopt_coordinated(view: DocView, found: list[Cue]) -> None:
    """ "Raab said the meeting showed X and said Y": the parser hangs the second "said" on "showed", inside
    the first content, and gives it the subject "the meeting". A subjectless conjunct cue under another cue's
    complement is that cue's second predicate: same source, and not nested in its content."""
    with_comp = sorted((c for c in found if c.comp is not None and c.content is not None), key=lambda c: c.content[0])
    if not with_comp:
        return
    comp_starts = [c.content[0] for c in with_comp]
    doc = view.doc
    for cue in found:
        tok = cue.token
        if cue.frame == "according" or any(c.dep_ in SUBJECT_DEPS for c in view.kids(tok)):
            continue
        if tok.dep_ == "conj":
            if tok.head.lemma_.lower() in lex.ALL_LEMMAS:
                continue  # a real coordination of cues: "said X and added Y" keeps its parse
        elif not (tok.tag_ == "VBG" and tok.dep_ == "advcl" and tok.i > 0 and doc[tok.i - 1].text == ","):
            continue
        k = bisect.bisect_right(comp_starts, tok.i)  # only the contents that hold the cue: local, not quadratic
        outer = next(
            (
                o
                for o in reversed(with_comp[max(0, k - 8) : k])
                if o is not cue and o.token.i < tok.i < o.content[1] and view.descends(tok, o.comp)
            ),
            None,
        )
        if outer is None:
            continue
        if tok.dep_ == "conj":
            same = outer.token.lemma_ == tok.lemma_
            # "said X, and cautioned that Y": another speech act of the same source, in the same tense
            other = tok.tag_ == outer.token.tag_ and cue.lemma in lex.STRONG and outer.source is not None
            if not (same or other):
                continue
            if not same:
                cut = tok.left_edge.i
                while cut > outer.content[0] and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
                    cut -= 1
                outer.content = (outer.content[0], cut)
        else:  # "reiterated that X is impartial, saying Y": the participle belongs to the reporting clause
            if cue.content is None or outer.source is None:
                continue
            outer.content = (outer.content[0], tok.i - 1)
        cue.source, cue.coordinated = outer.source, True


def _cut_at_other_attributions(view: DocView, found: list[Cue]) -> None:
    """A forward content stops where another attribution starts ("..., adding that"), unless that
    attribution is nested inside the content ("Xi said Putin told him that ...")."""
    by_token = {cue.token.i: cue for cue in found}
    blocks = sorted(
        (cue.block[0], cue.token.i)
        for cue in found
        if cue.content is not None
        or (cue.source is not None and cue.block[1] > cue.block[0] and _ends_segment(view, cue))
    )
    block_starts = [b for b, _ in blocks]
    for cue in found:
        if cue.content is None or cue.frame not in ("forward", "participle", "infinitive"):
            continue
        start, end = cue.content
        k = bisect.bisect_right(block_starts, start)
        while k < len(blocks) and blocks[k][0] < end:
            other = by_token[blocks[k][1]]
            nested = cue.comp is not None and view.descends(other.token, cue.comp) and not other.coordinated
            if nested and (other.frame == "according" or other.source is not None) and _ends_segment(view, other):
                nested = False  # "Wang said X, according to the ministry": the channel, not part of X
            if other is not cue and not nested and other.token.i > start:
                end = blocks[k][0]
                break
            k += 1
        cue.content = (start, end)


def _ends_segment(view: DocView, cue: Cue) -> bool:
    """The attribution closes its sentence, after a comma: "..., according to X." / "..., KCNA reported."."""
    doc = view.doc
    lo, hi = view.segment(cue.token.i)
    b0, b1 = cue.block
    if b0 <= lo + 1:
        return False
    comma = doc[b0 - 1].text == "," or (doc[b0 - 1].idx in view.region_closes and doc[b0 - 2].text == ",")
    if not comma:
        return False
    end = b1 if cue.frame != "according" else max(b1, cue.token.right_edge.i + 1)
    return all(t.is_punct or t.is_space for t in doc[end:hi])
