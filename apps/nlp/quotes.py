"""Quote extraction and speaker resolution on spaCy's dependency parse.

1. **Direct** quotes come from quotation-mark regions (``quotemarks``) attributed by a cue right after the
   closing mark (``"...," Putin told Xi``) or right before the opening one (``Xi said: "..."``).
2. **Reported** speech comes from cue frames (``frames``): the clausal complement after a cue, the clause
   before a post-posed attribution, ``according to``, directive and commissive infinitives. A reported
   content holding quotation marks is **mixed**.
3. A quoted sentence or paragraph with no cue of its own, right after an attributed quotation, **continues**
   it (cue None, same speaker). Follow-on sentences without quotation marks are not quotes.
4. Overlaps are settled by priority: direct, then outer reports over the reports nested in them, then
   confidence. One cue gives at most one quote.
5. Speakers come from ``sources``: names split into name and role, merged by token containment, pronouns
   and definite descriptions resolved to earlier sources.

Everything is local to cue tokens and quotation regions found with vectorised passes over the token arrays,
so the cost is linear and a small fraction of the parse. Nothing here is keyed to a particular text.
"""

from __future__ import annotations

import bisect
import itertools
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
from spacy.tokens import Doc, Token

from . import cues as lex
from .docview import DocView, id_set, ids
from .frames import Cue, find_cues
from .names import describes_people
from .quotemarks import ALL_MARKS, QuoteRegion
from .sources import Resolution, SpeakerResolver, can_speak, inverted_subject, subject_of
from .transcripts import LabelledParagraph, labelled_paragraphs
from .types import QuoteSpan, SpeakerInfo

_TRAIL_PUNCT = frozenset({".", ",", ";", ":", "-", "–", "—", "--", "―"})
_CC_WORDS = frozenset({"and", "but", "or", "while", "whereas"})

# base confidence by construction; speaker resolution lowers it (pronoun, description, unknown source)
_CONFIDENCE = {
    "direct": 0.95,
    "forward": 0.9,
    "backward": 0.85,
    "participle": 0.85,
    "infinitive": 0.75,
    "according": 0.75,
    "parenthetical": 0.6,
    "continuation": 0.6,
    "turn": 0.9,
    "fragment": 0.55,
    "nominal": 0.6,
    "headline": 0.55,
}
_TURN, _DIRECT, _REPORTED, _NESTED = 4, 3, 2, 1  # priorities when candidates overlap
_FRAGMENT_MAX_TOKENS = 14
_FRAGMENT_MAX_HOPS = 5
_VERB_IDS = id_set(("VERB", "AUX"))
_NAME_GLUE = frozenset({"and", "of", "the", "for", "in", "on", "de", "la"})


@dataclass(slots=True)
class _Candidate:
    start: int  # characters of the content
    end: int
    cue: Cue | None
    frame: str
    priority: int
    kind: str
    confidence: float
    source: Token | None = None
    carried_from: _Candidate | None = None  # continuation of this quote
    mention_id: int | None = None
    label: LabelledParagraph | None = None  # the speaker label of a transcript turn or a headline


def extract_quotes(doc: Doc) -> tuple[list[QuoteSpan], list[SpeakerInfo]]:
    """Quotes (content spans, character offsets into ``doc.text``) and the speakers they resolve to."""
    if len(doc) == 0 or not doc.has_annotation("DEP"):
        return [], []
    view = DocView(doc)
    cues = find_cues(view)
    by_token = {cue.token.i: cue for cue in cues}

    candidates, unattributed = _direct_candidates(view, by_token)
    candidates += _reported_candidates(view, cues)
    candidates += _labelled_candidates(view)
    candidates += _fragment_candidates(view, candidates)
    candidates += _nominal_candidates(view)
    candidates = _split_turns(view, candidates)
    accepted = _settle_overlaps(candidates)
    _add_continuations(view, accepted, unattributed)
    return _with_speakers(view, accepted)


def _direct_candidates(view: DocView, by_token: dict[int, Cue]) -> tuple[list[_Candidate], list[QuoteRegion]]:
    """Quoted sentences with their attributing cue, and the quoted sentences that have none."""
    out, unattributed = [], []
    for r in view.regions:
        if not _sentence_like(view, r):
            continue
        cue = _attribute_region(view, r, by_token)
        inner = _direct_inner(view, r)
        if cue is None or inner is None:
            unattributed.append(r)
            if r.reopens:  # 'the pair "discussed X.\n"They agreed Y."': the later paragraphs may continue
                unattributed.append(QuoteRegion(r.reopens[0], r.close, r.double, r.reopens[1:]))
            continue
        if not (cue.content is not None and cue.content[0] >= _region_tokens(view, r)[1]):
            cue.used = True  # the first half of a split quotation leaves the cue to the second half
        out.append(_Candidate(*inner, cue, "direct", _DIRECT, "direct", _CONFIDENCE["direct"], cue.source))
    return out, unattributed


def _reported_candidates(view: DocView, cues: list[Cue]) -> list[_Candidate]:
    out = []
    for cue in cues:
        if cue.used or cue.content is None:
            continue
        span = _char_span(view, *cue.content)
        if span is None:
            continue
        kind, span = _kind_of(view, span)
        conf = _CONFIDENCE.get(cue.frame, _CONFIDENCE["forward"])
        out.append(_Candidate(*span, cue, cue.frame, _REPORTED, kind, conf, cue.source))
    # a report whose cue lies inside another report's content is nested in it ("Xi said Putin told him Z" is
    # Xi's); but see below for "according to" and post-posed reports that hold a whole attributed clause
    spans = sorted((c.start, c.end) for c in out)
    starts = [s for s, _ in spans]
    for c in out:
        pos = c.cue.token.idx
        k = bisect.bisect_right(starts, pos) - 1
        for st, en in spans[max(0, k - 3) : k + 1]:
            if st <= pos < en and (st, en) != (c.start, c.end):
                c.priority = _NESTED
                break
    # "Kim said X, the agency reported" / "Wang said X, according to the ministry": a report that holds a whole
    # attributed clause names the channel; the speaker is the one inside
    for c in out:
        if c.priority == _NESTED and c.frame == "forward" and c.source is not None and c.cue.source is not None:
            outer = next(
                (
                    o
                    for o in out
                    if o is not c and o.frame in ("according", "backward") and o.start <= c.source.idx < c.end <= o.end
                ),
                None,
            )
            if outer is not None:
                c.priority, outer.priority = _REPORTED, _NESTED
    return out


def _labelled_candidates(view: DocView) -> list[_Candidate]:
    """Transcript turns (direct quotes of their label, above anything found inside them) and headline
    paraphrases (reported speech of their label)."""
    out = []
    for p in labelled_paragraphs(view):
        if p.kind == "turn":
            # a question that names no asker yields to a report inside it ("QUESTION: KCNA said ... Your reaction?")
            rank = _NESTED if p.question else _TURN
            out.append(_Candidate(p.start, p.end, None, "turn", rank, "direct", _CONFIDENCE["turn"], label=p))
            continue
        kind, span = _kind_of(view, (p.start, p.end))
        out.append(_Candidate(*span, None, "headline", _REPORTED, kind, _CONFIDENCE["headline"], label=p))
    return out


def _fragment_candidates(view: DocView, taken: list[_Candidate]) -> list[_Candidate]:
    """Partial quotes with no clause around them: a quotation-marked fragment inside running text that hangs
    (through at most a few heads) on a characterising or urging verb whose subject can speak ("Ana Ruiz called
    the plan 'a dead end'", "the mayor warned of 'chaos'"). They rank below every reported content, so a
    fragment inside "said the plan was 'a dead end'" stays part of that mixed quote."""
    out = []
    spans = sorted((c.start, c.end) for c in taken)
    for r in view.regions:
        inner = _direct_inner(view, r)
        if inner is None or _opens_unit(view, r) or not _free(spans, *inner):
            continue
        if _is_title_cased(view.text[inner[0] : inner[1]]):
            continue  # 'praised the "Belt and Road" initiative': a name in quotation marks, not a quote
        verb = _fragment_cue(view, r)
        if verb is None:
            continue
        lo, hi = view.para_bounds(verb.i)
        subj, _ = subject_of(view, verb, lo, hi)
        if subj is None or not (can_speak(subj) or describes_people(subj.lemma_)):
            continue
        cue = Cue(verb, verb.lemma_.lower(), (verb.i,), frame="fragment")
        out.append(_Candidate(*inner, cue, "fragment", _NESTED, "direct", _CONFIDENCE["fragment"], subj))
    return out


def _nominal_candidates(view: DocView) -> list[_Candidate]:
    """Nominal reporting before a colon: "Ana Ruiz's message was clear: the talks must go on" is reported
    speech of the possessor of a statement noun that is the subject of the clause before the colon."""
    out = []
    doc = view.doc
    for k in np.flatnonzero(view.orth == ids(":")[0]):
        colon = doc[int(k)]
        s_lo, s_hi = view.segment(colon.i)
        noun = next(
            (
                t
                for t in doc[s_lo : colon.i]
                if t.dep_ == "nsubj" and t.lemma_.lower() in lex.REPORT_NOUNS and t.head.i < colon.i
            ),
            None,
        )
        owner = next((c for c in noun.children if c.dep_ == "poss"), None) if noun is not None else None
        if owner is None or not can_speak(owner) or owner.pos_ == "PRON":
            continue
        span = _char_span(view, colon.i + 1, s_hi)
        if span is None:
            continue
        kind, span = _kind_of(view, span)
        cue = Cue(noun, noun.lemma_.lower(), (noun.i,), frame="nominal")
        out.append(_Candidate(*span, cue, "nominal", _REPORTED, kind, _CONFIDENCE["nominal"], owner))
    return out


def _is_title_cased(fragment: str) -> bool:
    words = [w for w in fragment.split() if w[:1].isalpha() and w.casefold() not in _NAME_GLUE]
    return bool(words) and all(w[:1].isupper() for w in words)


def _fragment_cue(view: DocView, r: QuoteRegion) -> Token | None:
    """The verb of FRAGMENT_CUES that a quoted fragment's first word hangs on, before the fragment."""
    a, b = _region_tokens(view, r)
    if b - a > _FRAGMENT_MAX_TOKENS or a >= len(view.doc):
        return None
    roots = [t for t in view.doc[a:b] if not a <= t.head.i < b]
    if not roots or any(t.head.i >= b and t.pos_ == "ADJ" for t in roots):
        return None  # 'what she called "reckless" drills': an adjective on a noun after it, not a complement
    tok = view.doc[a]
    for _ in range(_FRAGMENT_MAX_HOPS):
        if tok.head is tok:
            return None
        tok = tok.head
        if tok.pos_ == "VERB" and tok.lemma_.lower() in lex.FRAGMENT_CUES and tok.i < a:
            return tok
        if tok.tag_ == "VBG" and tok.dep_ == "pcomp" and tok.head.lower_ in ("of", "for") and tok.i < a:
            continue  # "accused Manila of staging a '...'": the gerund under the cue's preposition
        if tok.pos_ in ("VERB", "AUX") and tok.i < a:
            return None  # another verb first: the fragment belongs to its clause
    return None


_SPEAKER_PRONOUNS = frozenset({"i", "we", "you"})


def _split_turns(view: DocView, candidates: list[_Candidate]) -> list[_Candidate]:
    """Turn split rule: a turn that reports someone else ("Spain's defence minister said this week that Madrid
    would not go beyond 2.1%") is that person's quote there: the sentences holding another source's report leave
    the turn, which goes on in the pieces around them."""
    turns = [c for c in candidates if c.frame == "turn" and not c.label.question]
    if not turns:
        return candidates
    reports = [
        c
        for c in candidates
        if c.frame not in ("turn", "headline", "fragment")
        and c.source is not None
        and c.source.lower_ not in _SPEAKER_PRONOUNS
    ]
    split = {id(t) for t in turns}
    out = [c for c in candidates if id(c) not in split]
    for t in turns:
        inside = [r for r in reports if t.start <= r.start and r.end <= t.end]
        cuts = sorted({_segment_chars(view, k) for r in inside for k in (r.source.i, r.cue.token.i)})
        if not cuts:
            out.append(t)
            continue
        pos = t.start
        for a, b in [*cuts, (t.end, t.end)]:
            piece = view.text[pos : max(pos, min(a, t.end))].rstrip(" \t\n.,;:")
            if len(piece.split()) >= 2:
                out.append(replace(t, start=pos, end=pos + len(piece)))
            pos = max(pos, b)
            while pos < t.end and view.text[pos] in " \t\n":
                pos += 1
    return out


def _segment_chars(view: DocView, k: int) -> tuple[int, int]:
    lo, hi = view.segment(k)
    return int(view.idx[lo]), view.tok_end(hi - 1)


def _settle_overlaps(candidates: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, best first: priority, confidence, then the longer span."""
    accepted: list[_Candidate] = []
    spans: list[tuple[int, int]] = []
    for c in sorted(candidates, key=lambda c: (-c.priority, -c.confidence, -(c.end - c.start), c.start)):
        if _free(spans, c.start, c.end):
            bisect.insort(spans, (c.start, c.end))
            accepted.append(c)
    accepted.sort(key=lambda c: c.start)
    return accepted


def _free(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect.bisect_left(spans, (start, end))
    return not ((k > 0 and spans[k - 1][1] > start) or (k < len(spans) and spans[k][0] < end))


def _add_continuations(view: DocView, accepted: list[_Candidate], unattributed: list[QuoteRegion]) -> None:
    """A quoted sentence or paragraph without a cue continues the quotation just before it (file 000 line 51
    of the gold). A wholly quoted paragraph with no quotation before it is kept with no speaker."""
    spans = [(c.start, c.end) for c in accepted]
    starts = [c.start for c in accepted]
    for r in unattributed:
        inner = _direct_inner(view, r)
        if inner is None:
            continue
        # '"...," the ministry said. "Both sides reaffirmed that X."': a report whose cue and content lie inside
        # the quoted sentence is part of that direct quote, if the quote continues the one before it
        inside = [
            c
            for c in accepted
            if c.cue is not None
            and c.frame != "direct"
            and r.open < c.start
            and c.end <= r.close + 1
            and inner[0] <= c.cue.token.idx < inner[1]
        ]
        if not _free([sp for sp, c in zip(spans, accepted) if c not in inside], *inner):
            continue
        if inside:
            kept = [c for c in accepted if c not in inside]
            j = bisect.bisect_left([c.start for c in kept], inner[0]) - 1
            prev = kept[j] if j >= 0 else None
            near = prev is not None and view.para_of(inner[0]) - view.para_of(prev.end) <= 1
            if not (near and prev.kind in ("direct", "mixed") and (_opens_unit(view, r) or _split_tail(view, r, prev))):
                continue
            accepted[:] = kept
            spans[:] = [(c.start, c.end) for c in accepted]
            starts[:] = [c.start for c in accepted]
        j = bisect.bisect_left(starts, inner[0]) - 1
        prev = accepted[j] if j >= 0 else None
        if not (_opens_unit(view, r) or _split_tail(view, r, prev)):
            continue
        whole = _whole_paragraph(view, r)
        near = prev is not None and view.para_of(inner[0]) - view.para_of(prev.end) <= 1
        if near and (prev.kind in ("direct", "mixed") or whole):
            conf = _CONFIDENCE["continuation"] if prev.kind != "indirect" else 0.45
            cand = _Candidate(*inner, None, "continuation", 1, "direct", conf, carried_from=prev)
        elif whole:
            cand = _Candidate(*inner, None, "continuation", 1, "direct", 0.3)
        else:
            continue
        bisect.insort(spans, inner)
        accepted.insert(j + 1, cand)
        starts.insert(j + 1, inner[0])


def _label_speaker(resolver: SpeakerResolver, label: LabelledParagraph, seen: Counter[int], text: str) -> Resolution:
    """A bare question label names no one; a bare answer label is the transcript's main answerer so far: the
    label most often heading a turn that is not a question (an outlet that asks as often as the spokesperson
    answers is not the one who answers)."""
    if label.question:
        return Resolution(None, None, None)
    if label.answer:
        main = seen.most_common(1)
        return Resolution(main[0][0] if main else None, None, None)
    res = resolver.resolve_label(label.label_start, label.label_end)
    if res.mention_id is not None and not text[label.start : label.end].rstrip().endswith("?"):
        seen[res.mention_id] += 1
    return res


def _with_speakers(view: DocView, accepted: list[_Candidate]) -> tuple[list[QuoteSpan], list[SpeakerInfo]]:
    resolver = SpeakerResolver(view, [(c.start, c.end) for c in accepted])
    mentions = []
    labels: Counter[int] = Counter()
    for c in accepted:
        surface = span = None
        if c.label is not None:
            res = _label_speaker(resolver, c.label, labels, view.text)
            c.mention_id, surface, span = res.mention_id, res.surface, res.span
        elif c.carried_from is not None:
            c.mention_id = c.carried_from.mention_id
            if c.mention_id is None:
                c.confidence *= 0.5
        elif c.source is not None:
            res = resolver.resolve(c.source)
            c.mention_id, surface, span = res.mention_id, res.surface, res.span
            c.confidence -= res.penalty
        if c.mention_id is None:
            c.confidence *= 0.6  # never a guessed speaker: a low confidence instead
        mentions.append((surface, span))
    speakers = resolver.speakers([c.mention_id for c in accepted if c.mention_id is not None])
    quotes = []
    for c, (surface, span) in zip(accepted, mentions):
        cue_text, cue_start, cue_end = c.cue.text(view) if c.cue is not None else (None, None, None)
        quotes.append(
            QuoteSpan(
                start=c.start,
                end=c.end,
                text=view.text[c.start : c.end],
                kind=c.kind,
                cue=cue_text,
                cue_start=cue_start,
                cue_end=cue_end,
                speaker=resolver.name_of(c.mention_id) if c.mention_id is not None else None,
                speaker_mention=surface,
                mention_start=span[0] if span else None,
                mention_end=span[1] if span else None,
                confidence=round(max(0.0, min(1.0, c.confidence)), 3),
            )
        )
    return quotes, speakers


# ---- quotation regions -------------------------------------------------------------------------------


def _region_tokens(view: DocView, r: QuoteRegion) -> tuple[int, int]:
    return view.char_to_token(r.inner_start), view.char_to_token(r.inner_end)


def _sentence_like(view: DocView, r: QuoteRegion) -> bool:
    """A quotation that can stand as a direct quote, not a scare-quoted word ("sacred", "no limits")."""
    a, b = _region_tokens(view, r)
    words = int(view.word[a:b].sum())
    if words >= 4 and not _VERB_IDS.isdisjoint(view.pos[a:b].tolist()):
        return True
    return words > 0 and view.text[r.inner_start : r.inner_end].rstrip()[-1:] in ",.?!"  # '"No," he said'


def _direct_inner(view: DocView, r: QuoteRegion) -> tuple[int, int] | None:
    """The quotation without its marks, surrounding spaces and final full stop or comma."""
    start, end = r.inner_start, r.inner_end
    while start < end and view.text[start].isspace():
        start += 1
    while end > start and (view.text[end - 1].isspace() or view.text[end - 1] in ".,;:"):
        end -= 1
    return (start, end) if end > start else None


def _attribute_region(view: DocView, r: QuoteRegion, by_token: dict[int, Cue]) -> Cue | None:
    """The cue attributing a quoted region: right after its closing mark ('"...," Putin told Xi', '"...,"
    said Xi', '"...," the ministry quoted Ryabkov as saying') or right before its opening mark ('Xi said:
    "..."', 'he said "..."'). A cue whose own content starts before the mark makes a mixed quote instead."""
    doc = view.doc
    a, b = _region_tokens(view, r)
    close_tok = view.char_to_token(r.close)
    lo, hi = view.para_bounds(min(close_tok, len(doc) - 1))
    k = close_tok + 1 if close_tok < len(doc) and doc[close_tok].idx == r.close else close_tok
    # a post-posed attribution takes a quotation that starts its sentence; a quoted fragment inside running
    # text ('the weapon would "contain rivals," KCNA reported') belongs to the reported clause around it
    seen = 0 if _opens_unit(view, r) else 12
    while k < hi and seen < 12:
        t = doc[k]
        if t.text in ".!?" or (t.text in ALL_MARKS and k > close_tok + 1):
            break
        cue = by_token.get(k)
        if cue is not None and not cue.used:
            if cue.frame in ("backward", "according", "parenthetical") or cue.content is None:
                return cue
            if cue.comp is not None and a <= cue.comp.i < b:
                return cue
            if _split_quote(view, cue, k):
                return cue  # '"A," Landau said, "and B."': the parser took the second half for the complement
            if seen == 0 and view.text[r.close - 1] == "," and cue.content[0] > k:
                # '"...," said Ana Ruiz, whose son was freed': right after a quotation closed by a comma, the
                # parser made the speaker's relative clause the cue's complement; the quotation is what was said
                subject = cue.source if cue.source is not None else inverted_subject(view, k, hi)
                if subject is not None:
                    cue.content, cue.comp, cue.source = None, None, subject
                    return cue
            break  # that cue reports something else
        if not (t.is_punct or t.is_space):
            seen += 1
            if t.pos_ == "VERB" and t.dep_ not in ("amod", "compound") and t.lemma_ not in ("quote", "cite"):
                break
        k += 1
    open_tok = view.char_to_token(r.open)
    k = open_tok - 1
    while k >= 0 and doc[k].is_space:
        k -= 1
    if k < 0 or view.tok_para[k] != view.tok_para[min(open_tok, len(doc) - 1)]:
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
            # 'Responding to X, the minister said, "A. B."': the parser took the quotation for the main clause
            # and the attribution for a parenthesis inside it
            return cue if cue.frame in ("parenthetical", "backward") and cue.content[1] > a else None
        if t.text in ".!?" or t.text in ALL_MARKS or t.pos_ == "VERB":
            return None
        seen += 1
        k -= 1
    return None


def _split_quote(view: DocView, cue: Cue, k: int) -> bool:
    """Whether the cue at token ``k``, after a quotation, is followed by a comma and a second quotation that
    holds the whole of the cue's content: one quotation split around its attribution."""
    if cue.content is None:
        return False
    doc = view.doc
    end = max(k + 1, cue.block[1])  # past the attribution ("Landau said")
    while end < len(doc) and doc[end].text in (",", " "):
        end += 1
    if end >= len(doc) or doc[end].text not in ALL_MARKS:
        return False
    opens = doc[end].idx
    r = next((r for r in view.regions if r.open == opens), None)
    return r is not None and r.open < view.doc[cue.content[0]].idx and view.tok_end(cue.content[1] - 1) <= r.close + 1


def _kind_of(view: DocView, span: tuple[int, int]) -> tuple[str, tuple[int, int]]:
    """direct / mixed / indirect from the quotation regions inside a reported content (which may grow to
    take in a closing mark the parser left in the next sentence)."""
    start, end = span
    kind = "indirect"
    i = max(0, bisect.bisect_left(view.region_starts, start) - 1)
    for r in itertools.islice(view.regions, i, None):
        if r.open >= end:
            break
        inside_open = start <= r.open < end
        inside_close = start <= r.close < end
        if inside_open and not inside_close and view.text[end : r.close].strip(".,;:!? ") == "":
            end = r.close + 1
            span, inside_close = (start, end), True
        if inside_open and r.open == start and r.close + 1 >= end and view.text[r.close + 1 : end].strip(".,") == "":
            inner = _direct_inner(view, r)
            if inner is not None:
                return "direct", inner
        if inside_open or inside_close:
            kind = "mixed"
    return kind, span


def _char_span(view: DocView, start_tok: int, end_tok: int) -> tuple[int, int] | None:
    """Characters of tokens [start_tok, end_tok) without final punctuation or a dangling conjunction."""
    doc = view.doc
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
    return doc[start_tok].idx, view.tok_end(end_tok - 1)


_LIST_MARKERS = "—–-•*·"


def _opens_unit(view: DocView, r: QuoteRegion) -> bool:
    """The quotation starts a paragraph or a sentence (it is not a fragment inside running text); a list item's
    marker before it ("— \"...,\" said X", "• \"...\"") still leaves it at the start of its line."""
    k = r.open - 1
    while k >= 0 and view.text[k] in " \t":
        k -= 1
    if k >= 0 and view.text[k] in _LIST_MARKERS:
        j = k - 1
        while j >= 0 and view.text[j] in " \t":
            j -= 1
        if j < 0 or view.text[j] in "\n\r":
            return True
    return k < 0 or view.text[k] in "\n\r.!?:" or view.text[k] in ALL_MARKS


def _whole_paragraph(view: DocView, r: QuoteRegion) -> bool:
    tail = view.text[r.close + 1 : r.close + 4]
    return _opens_unit(view, r) and (tail.strip(" .,'") == "" or tail.lstrip(" .,'")[:1] in "\n\r")


def _split_tail(view: DocView, r: QuoteRegion, prev: _Candidate | None) -> bool:
    """'"We are ready," he said, "to talk."': the second half of a quotation split by its attribution."""
    if prev is None or prev.kind != "direct" or prev.cue is None or not prev.end < r.open:
        return False
    gap = view.doc[view.char_to_token(prev.end) : view.char_to_token(r.open)]
    if len(gap) > 12 or not gap or gap[-1].text not in (",", ":"):
        return False
    return all(t.is_punct or t.is_space or view.descends(t, prev.cue.token) for t in gap)
