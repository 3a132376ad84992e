"""Speaker-labelled paragraphs: transcript turns and headline paraphrases.

Two layouts put the source before a colon at the start of a paragraph, with no speech verb:

- **Transcripts** of press conferences, briefings and interviews: ``Lin Jian: We have noted the reports.``,
  ``MS BRUCE: Good afternoon.``, ``QUESTION: Is there a date?``. A text is a transcript when at least three
  paragraphs open with such a label and one label comes back; every labelled paragraph is then a direct quote
  of its label (a bare question label, "Q" or "QUESTION", names no one).
- **Headlines** and news-in-brief items that paraphrase a statement: ``Ana Ruiz: Talks must resume now``.
  A short line without final punctuation whose label holds a name is an indirect quote of that name.

A dateline ("OSLO:", "ISLAMABAD, Jun 12 (APP):") is not a label: a label holds no place name, digit, comma or
parenthesis. Everything here works on the paragraph strings and the entity labels of the label's tokens.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from .docview import DocView, entity_start
from .names import HONORIFICS, NAME_PARTICLES, TITLE_WORDS, is_honorific, speaker_name_parts

# a translation note may follow the label: "Mohamed bin Zayed Al Nahyan (retranslated): ..."
# "Question (Reuters):" names the outlet that asks; NATO and others end the label's line with the colon
_LABEL_RE = re.compile(
    r"(?:(?P<label>[A-Z][^:\n,()\d]{0,80}?)(?:[ \t]+\([a-z][a-z ]{2,30}\))?"
    r"(?:[ \t]+\((?P<outlet>[A-Z][^:\n()]{1,40})\))?:(?:[ \t]+|[ \t]*\n[ \t]*)"
    # the White House's question label: "Q" and a tab or a run of spaces, no colon
    r"|(?P<q>Q)(?:\t|[ ]{2,}))(?P<text>\S)"
)
# a name, a comma and the speaker's office or a reporter's outlet: "Ana Ruiz, Official Spokesperson: ...",
# "Ben Ode, Radio Nord: ..." (the label is the name)
_ROLE_LABEL_RE = re.compile(
    r"(?P<label>[A-Z][^:\n,()\d]{0,60}?),[ \t]+(?P<role>[A-Z][^:\n()\d]{0,90}?):[ \t]+(?P<text>\S)"
)
_QUESTION_LABELS = frozenset({"q", "question", "questions", "journalist", "reporter"})
_ANSWER_LABELS = frozenset({"a", "answer"})
# labels of newsroom furniture, not of speakers: "UPDATE: ...", "Editor's note: ...", "Read more: ..."
_NOT_SPEAKERS = frozenset(
    "update updated note correction clarification read more related watch photo photos video source sources "
    "summary background analysis opinion live breaking exclusive factbox timeline explainer context "
    "editor's editors disclaimer advertisement".split()
)
_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC", "DATE", "TIME"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})
_MAX_LABEL_WORDS = 4
_MAX_HEADLINE_WORDS = 20
_MIN_TURNS = 3
# parliamentary record turns: "1. Ana Ruiz (Northfield) (Lab): ..." (the member, then constituency and party in
# brackets) and "The Minister of State, Home Office (Tom Reyes): ..." (an office, then the holder in brackets)
_MEMBER_LABEL_RE = re.compile(
    r"(?:\d{1,3}\.[ \t]+)?(?P<label>[A-Z][^:\n,()\d]{0,40}?)(?:[ \t]+\([^()\n:]{1,200}\)){1,2}:[ \t]+(?P<text>\S)"
)
_OFFICE_LABEL_RE = re.compile(
    r"(?:\d{1,3}\.[ \t]+)?[A-Z][^:\n()]{2,120}?[ \t]+\((?P<label>[A-Z][^:\n,()\d]{2,40}?)\):[ \t]+(?P<text>\S)"
)
# a quotation introduced by its source and a colon, in the house style of some outlets: 'Quote from Ana Ruiz: "..."'
_QUOTE_FROM_RE = re.compile(
    r"Quote (?:from|by) (?P<label>[A-Z][^:\n\d]{0,80}?|the [A-Z][^:\n\d]{0,80}?):[ \t]+(?=[\"“«‘'])"
)
_REPORTER_RE = re.compile(r"(?P<name>[A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){0,3}), [A-Z][\w&'’ .-]{0,40}?\.[ \t]+(?=\S)")


@dataclass(frozen=True, slots=True)
class LabelledParagraph:
    """A paragraph opened by a speaker label: the label's characters and the content's characters."""

    label_start: int
    label_end: int
    start: int
    end: int
    label: str
    kind: str  # "turn" (a transcript turn, direct) or "headline" (a paraphrase, indirect)
    question: bool = False  # a bare question label: the turn is quoted but names no one
    answer: bool = False  # a bare answer label: the main speaker of the transcript
    own_line: bool = False  # the label is a line of its own (a parliamentary record): a turn, never a headline

    @property
    def bare_label(self) -> bool:
        return self.question or self.answer


def labelled_paragraphs(view: DocView) -> list[LabelledParagraph]:
    """Transcript turns when the text is a transcript, else headline paraphrases."""
    read = [(_read_label(view, s, e) or _parliamentary_label(view, s, e), s, e) for s, e in view.paras]
    for k in range(len(read) - 1):
        # "NATO Secretary General Mark Rutte:" on a line of its own, the answer on the next
        p, s, e = read[k]
        if p is None and read[k + 1][0] is None and view.text[s:e].rstrip().endswith(":") and e - s <= 120:
            turn = _read_label(view, s, read[k + 1][2])
            if turn is not None and view.para_of(turn.start) == k + 1:
                read[k + 1] = (turn, *read[k + 1][1:])
    if any(p is None and _first_line(view, s, e).endswith(")") for p, s, e in read):  # a bracketed label line
        read = _with_label_lines(view, read)
    found = [p for p, _, _ in read if p is not None]
    found = _with_repeated_capital_labels(view, found, [(s, e) for p, s, e in read if p is None])
    turns = transcript_turns(found, view)
    if turns:
        return _with_briefer(view, turns)
    return [p for p in found if _is_headline(view, p)] + _quotes_from(view)


def _quotes_from(view: DocView) -> list[LabelledParagraph]:
    """'Quote from Ana Ruiz: "We are ready."' (the layout of some outlets, after a "Source:" line): the quotation
    is a direct quote of the source the label names."""
    out = []
    for s, e in view.paras:
        m = _QUOTE_FROM_RE.match(view.text, s, e)
        if m is None:
            continue
        region = next((r for r in view.regions if r.open == m.end()), None)
        if region is None:
            continue
        end = _content_end(view, region.inner_start, region.inner_end)
        if end > region.inner_start:
            out.append(LabelledParagraph(m.start("label"), m.end("label"), region.inner_start, end, m["label"], "turn"))
    return out


def _with_briefer(view: DocView, turns: list[LabelledParagraph]) -> list[LabelledParagraph]:
    """Briefer rule: a transcript's header often names who speaks ("Remarks by President Ana Ruiz at the press
    conference", "Spokesperson Ana Ruiz" on a line of its own) and the page then opens with that person's remarks
    with no label, and may label the answers only "A:" or "Answer:" or by a bare title ("Prime Minister:"). When
    the header names one person: the unlabelled remarks before the first turn (speech: a first- or second-person
    word in the first) are that person's, and so are the bare answer and bare title labels when no named label
    answers."""
    header = _header_person(view, turns)
    if header is None:
        return turns
    h_start, h_end = header
    named = [p for p in turns if not (p.question or p.answer or _bare_title(p.label))]
    out = []
    for p in turns:
        if (p.answer or _bare_title(p.label)) and not any(q.label != p.label for q in named):
            p = replace(p, label_start=h_start, label_end=h_end, label=view.text[h_start:h_end], answer=False)
        out.append(p)
    first = view.para_of(turns[0].label_start)
    opening = []
    for k in range(view.para_of(h_end) + 1, first):
        s, e = view.paras[k]
        end = _sentence_end(view, s, e)
        if end is None or _QUOTE_MARKS & set(view.text[s:e]):
            continue  # a heading ("On Ukraine") or a quotation: not the remarks
        toks = view.doc[view.char_to_token(s) : view.char_to_token(e)]
        if not opening and not any(t.lower_ in _SPOKEN_WORDS for t in toks):
            return out  # the page's prose, not remarks
        opening.append(LabelledParagraph(h_start, h_end, s, end, view.text[h_start:h_end], "turn"))
    return opening + out


def _header_person(view: DocView, turns: list[LabelledParagraph]) -> tuple[int, int] | None:
    """The one person the transcript's header lines name (the lines before the first paragraph of sentences), as
    characters: "Remarks by President António Costa ...", "Spokesperson ... Yoo Seung-hyun"."""
    header_end = 0  # characters
    for k in range(min(view.para_of(turns[0].label_start), 6)):
        s, e = view.paras[k]
        line = view.text[s:e].rstrip()
        if line and line[-1] in ".?!" and len(line.split()) > 8:
            break  # the remarks begin
        header_end = e
    people: dict[str, tuple[int, int]] = {}
    for start, end, label in view.entities():
        char = int(view.idx[start])
        if char >= header_end:
            break
        text = view.span_text(start, end)
        if label == "PERSON" and len(text.split()) >= 2 and "\n" not in text:
            people.setdefault(text.casefold(), (char, char + len(text)))
    return next(iter(people.values())) if len(people) == 1 else None


def _bare_title(label: str) -> bool:
    """A label of title words alone ("Prime Minister", "Spokesperson"): it names an office, not a person."""
    words = label.casefold().replace("the ", "").split()
    return bool(words) and all(w in TITLE_WORDS for w in words)


def _with_repeated_capital_labels(
    view: DocView, found: list[LabelledParagraph], rest: list[tuple[int, int]]
) -> list[LabelledParagraph]:
    """Capital label rule: in a transcript, a label in capitals that opens two paragraphs or more is a speaker's
    ("FARRAN:" in a radio transcript), even when the tagger reads the word as a common noun and the text never
    names that person in running prose."""
    if not found:
        return found
    extra = []
    for s, e in rest:
        m = _LABEL_RE.match(view.text, s, e)
        if m is None or m.group("label") is None:
            continue
        words = m.group("label").split()
        if 1 <= len(words) <= _MAX_LABEL_WORDS and all(w.isupper() and w.isalpha() for w in words):
            if not any(w.casefold() in _NOT_SPEAKERS | _QUESTION_LABELS | _ANSWER_LABELS for w in words):
                label = _read_label(view, s, e, trusted=True)
                if label is not None:  # a dateline in capitals is not read as a label
                    extra.append(label)
    counts = Counter(p.label for p in extra)
    extra = [p for p in extra if counts[p.label] >= 2]
    return sorted(found + extra, key=lambda p: p.label_start) if extra else found


def transcript_turns(found: list[LabelledParagraph], view: DocView | None = None) -> list[LabelledParagraph]:
    """The turns of a transcript: three labelled paragraphs or more, one label at least twice. A question
    that opens with the reporter's name and outlet ("QUESTION: Ana Ruiz, Radio Nord. Is there ...?") is that
    reporter's."""
    counts = Counter(p.label.casefold() for p in found)
    if len(found) < _MIN_TURNS or max(counts.values(), default=0) < 2:
        return []
    turns = []
    for p in found:
        reporter = _reporter(view, p) if view is not None and p.question else None
        if reporter is not None:
            name_start, name_end, start = reporter
            turns.append(LabelledParagraph(name_start, name_end, start, p.end, view.text[name_start:name_end], "turn"))
        else:
            turns.append(replace(p, kind="turn"))
    return _with_continued_turns(view, turns) if view is not None else turns


_SPOKEN_WORDS = frozenset("i we our us my me you your".split())
_MIN_ANNOUNCEMENT_TOKENS = 12  # a briefer's announcement in the third person; a shorter line is the record's
_QUOTE_MARKS = frozenset('"“”«»„')


def _with_continued_turns(view: DocView, turns: list[LabelledParagraph]) -> list[LabelledParagraph]:
    """Continued turn rule: an answer often runs over several paragraphs and only the first is labelled. A
    paragraph right after a turn (or after its continuation), with no label of its own, no quotation marks and
    ending a sentence, continues that turn (the same label's) when it reads as speech (a first- or second-person
    word) or when another turn follows before any heading: a briefer's announcements run on in the third person.
    A heading ("Beginning of the talks in restricted format") ends the run; plain paragraphs after the last turn
    are the page's own prose."""
    by_para = {view.para_of(p.start): p for p in turns}
    labels = {view.para_of(p.label_start) for p in turns}
    out: list[LabelledParagraph] = []
    current: LabelledParagraph | None = None
    pending: list[LabelledParagraph] = []  # plain paragraphs after a turn: its continuation if another turn follows
    for k, (s, e) in enumerate(view.paras):
        turn = by_para.get(k)
        if turn is not None:
            out.extend(pending)  # between two turns, with no heading among them: the first one's answer goes on
            pending = []
            out.append(turn)
            current = turn
            continue
        if current is None or k in labels:
            continue
        end = _sentence_end(view, s, e)
        if end is None or _QUOTE_MARKS & set(view.text[s:e]):
            current, pending = None, []
            continue
        toks = view.doc[view.char_to_token(s) : view.char_to_token(e)]
        part = replace(current, start=s, end=end)
        if any(t.lower_ in _SPOKEN_WORDS for t in toks) and not pending:
            out.append(part)
        elif len(toks) >= _MIN_ANNOUNCEMENT_TOKENS:
            pending.append(part)
        else:  # "The talks continued over lunch.": a line of the record between turns, not the speaker's
            current, pending = None, []
    return out


def _reporter(view: DocView, p: LabelledParagraph) -> tuple[int, int, int] | None:
    """The reporter's name at the start of a question turn, followed by an outlet and a full stop: the name's
    characters and where the question starts."""
    m = _REPORTER_RE.match(view.text, p.start, p.end)
    if m is None:
        return None
    toks = view.doc[view.char_to_token(m.start("name")) : view.char_to_token(m.end("name"))]
    if not toks or not all(t.ent_type_ == "PERSON" for t in toks):
        return None
    return m.start("name"), m.end("name"), m.end()


def _read_label(view: DocView, start: int, end: int, trusted: bool = False) -> LabelledParagraph | None:
    """'Name: text' at the start of a paragraph, the label short and made of name-like words."""
    m = _LABEL_RE.match(view.text, start, end)
    if m is None:
        m = _ROLE_LABEL_RE.match(view.text, start, end)
        if m is None or not _name_like(view, m.group("label").split(), start, start + len(m.group("label"))):
            return None
        reporter = _reporter_after_outlet(view, m)
        if reporter is not None:  # "NHK, Sakamoto: ...": the outlet, then the reporter who asks
            return reporter
    raw = m.group("label") or m.group("q")
    label = raw.strip()
    words = label.split()
    low = label.casefold()
    question, answer = low in _QUESTION_LABELS, low in _ANSWER_LABELS
    if any(w.casefold() in _NOT_SPEAKERS for w in words):
        return None
    if label.isupper() and _all_place(view, start, start + len(label)):
        return None  # "KUALA LUMPUR: Malaysia has ...": a dateline, not a speaker's turn
    label_start, label_end = start, start + len(raw.rstrip())
    outlet = m.groupdict().get("outlet")
    if question and outlet:  # "Question (Reuters):": the outlet's question
        label, question, trusted = outlet.strip(), False, True
        label_start = m.start("outlet")
        label_end = label_start + len(label)
    if not (question or answer or trusted) and not _name_like(view, words, start, start + len(label)):
        titled = _titled_name(view, label, start)  # "President of Russia Vladimir Putin: ..."
        if titled is None:
            return None
        if speaker_name_parts(label)[0] != titled:  # a title the name reader cannot split: the label is the name
            label_start = label_end - len(titled)
        label = titled
    content_end = _content_end(view, m.start("text"), end)
    return LabelledParagraph(label_start, label_end, m.start("text"), content_end, label, "", question, answer)


def _content_end(view: DocView, start: int, end: int) -> int:
    """The end of a labelled turn's words ``[start, end)`` without the spaces and closing punctuation after them."""
    while end > start and view.text[end - 1] in " \t.,;:":
        end -= 1
    return end


def _sentence_end(view: DocView, start: int, end: int) -> int | None:
    """The end of a paragraph's words without the spaces and a final full stop after them; None when the paragraph
    does not end a sentence (a heading, a label line)."""
    text = view.text[start:end].rstrip()
    if not text or text[-1] not in ".?!":
        return None
    return start + len(text) - (1 if text[-1] == "." else 0)


def _reporter_after_outlet(view: DocView, m: re.Match) -> LabelledParagraph | None:
    """'Outlet, Name:' (Japan's foreign ministry writes its press conferences so): the name, when the tagger found
    a person in the label's second part (one to three capitalised words, no title) and none in its first."""
    first = view.doc[view.char_to_token(m.start("label")) : view.char_to_token(m.end("label"))]
    second = view.doc[view.char_to_token(m.start("role")) : view.char_to_token(m.end("role"))]
    words = m.group("role").split()
    if any(t.ent_type_ == "PERSON" for t in first) or not all(t.ent_type_ == "PERSON" for t in second if t.is_alpha):
        return None
    if not 1 <= len(words) <= 3 or any(w.casefold() in TITLE_WORDS or not w[:1].isupper() for w in words):
        return None
    end = m.start("role") + len(m.group("role").rstrip())
    text_end = _content_end(view, m.start("text"), m.endpos)
    return LabelledParagraph(m.start("role"), end, m.start("text"), text_end, m.group("role").strip(), "")


def _titled_name(view: DocView, label: str, start: int) -> str | None:
    """A label that is a title and then a name, as the Kremlin's transcripts write a speaker's first turn
    ("President of Kazakhstan Kassym-Jomart Tokayev"): the name, so that the speaker's later turns under the bare
    name count as the same label; None when the label is not a titled name."""
    name, role = speaker_name_parts(label)
    if not role or not name or not label.endswith(name):
        # a title the name reader does not take apart ("President of the United Arab Emirates Mohamed bin
        # Zayed Al Nahyan"): the person the tagger found at the label's end
        toks = view.doc[view.char_to_token(start) : view.char_to_token(start + len(label))]
        person = [t for t in toks if t.ent_type_ == "PERSON"]
        if not person or person[-1].i != toks[-1].i or person[0].i == toks[0].i:
            return None
        first = view.doc[entity_start(view.doc, person[-1].i, toks[0].i)]
        name = label[first.idx - start :]
    name_start = start + len(label) - len(name)
    return name if _name_like(view, name.split(), name_start, name_start + len(name)) else None


def _all_place(view: DocView, start: int, end: int) -> bool:
    toks = [t for t in view.doc[view.char_to_token(start) : view.char_to_token(end)] if t.is_alpha]
    if toks and is_honorific(toks[0].text):
        return False  # "MR. PIGOTT:", whatever the tagger makes of "MR"
    return bool(toks) and all(t.ent_type_ in ("GPE", "LOC") for t in toks)


def _parliamentary_label(view: DocView, start: int, end: int) -> LabelledParagraph | None:
    """Parliamentary record rule: a member's turn labelled with the name and then constituency and party in
    brackets, or with an office and then the holder's name in brackets; the label is the name alone, so that the
    member's later turns under the bare name count as the same label."""
    if view.text.find("):", start, min(end, start + 300)) < 0:
        return None  # no bracket closing a label: most paragraphs
    for pattern in (_MEMBER_LABEL_RE, _OFFICE_LABEL_RE):
        m = pattern.match(view.text, start, end)
        if m is None or not _member_label(view, m, office=pattern is _OFFICE_LABEL_RE):
            continue
        label = m.group("label").strip()
        content_end = _content_end(view, m.start("text"), end)
        label_start = m.start("label")
        return LabelledParagraph(label_start, label_start + len(label), m.start("text"), content_end, label, "")
    return None


_MEMBER_LINE_RE = re.compile(
    r"(?:\d{1,3}\.[ \t]+)?(?P<label>[A-Z][^:\n,()\d]{0,40}?)(?:[ \t]+\([^()\n:]{1,200}\)){1,2}[ \t]*"
)
_OFFICE_LINE_RE = re.compile(
    r"(?:\d{1,3}\.[ \t]+)?(?:The )?[A-Z][^:\n()]{2,120}?[ \t]+\((?P<label>[A-Z][^:\n,()\d]{2,40}?)\)[ \t]*"
)


def _first_line(view: DocView, start: int, end: int) -> str:
    nl = view.text.find("\n", start, end)
    return view.text[start : nl if nl >= 0 else end].rstrip()


def _with_label_lines(view: DocView, read: list) -> list:
    """Parliamentary record rule, the label on a line of its own (Hansard online): "Ana Ruiz (Northfield) (Lab)"
    or "The Secretary of State for Trade (Tom Reyes)" on the line before a member's words (in the same paragraph
    or as a paragraph of its own) labels them; once a member is labelled so, a line of the bare name ("Tom
    Reyes") labels that member's later turns."""
    out = list(read)
    named: set[str] = set()
    for bare in (False, True):
        for k, (p, s, e) in enumerate(out):
            if p is not None:
                continue
            nl = view.text.find("\n", s, e)
            line_end, next_start, next_end = (nl, nl + 1, e) if nl >= 0 else (e, None, None)
            if next_start is None and k + 1 < len(out) and out[k + 1][0] is None:
                next_start, next_end = out[k + 1][1], out[k + 1][2]  # the label is a paragraph of its own
            if next_start is None:
                continue
            label = _label_on_line(view, s, line_end, named if bare else None)
            if label is None:
                continue
            content_end = _sentence_end(view, next_start, next_end)
            if content_end is None:
                continue
            turn = LabelledParagraph(
                label[0], label[1], next_start, content_end, view.text[label[0] : label[1]], "", own_line=True
            )
            named.add(turn.label.casefold())
            out[k] = (turn, s, e) if nl >= 0 else (None, s, e)
            if nl < 0:
                out[k + 1] = (turn, *out[k + 1][1:])
    return out


def _label_on_line(view: DocView, start: int, end: int, named: set[str] | None) -> tuple[int, int] | None:
    """The label's characters when the line ``[start, end)`` is a member's or an office holder's label, or (with
    ``named``) one of those names alone."""
    if named is not None:
        line = view.text[start:end].strip()
        return (start, start + len(line)) if line.casefold() in named else None
    for pattern in (_MEMBER_LINE_RE, _OFFICE_LINE_RE):
        m = pattern.fullmatch(view.text, start, end)
        if m is not None and _member_label(view, m, office=pattern is _OFFICE_LINE_RE):
            return m.start("label"), m.start("label") + len(m.group("label").strip())
    return None


def _member_label(view: DocView, m: re.Match, *, office: bool) -> bool:
    """Whether a parliamentary label's name part names someone: after an office, the holder's capitalised words
    in brackets; else a member's name."""
    label = m.group("label").strip()
    words = label.split()
    if any(w.casefold() in _NOT_SPEAKERS for w in words):
        return False
    if office:
        return 2 <= len(words) <= _MAX_LABEL_WORDS and all(w[:1].isupper() for w in words)
    return _name_like(view, words, m.start("label"), m.start("label") + len(label))


def _name_like(view: DocView, words: list[str], start: int, end: int) -> bool:
    """One to four capitalised words (honorifics allowed), none of them a place or a date."""
    # particles of a name do not count: "Mohamed bin Zayed Al Nahyan" is a name of three words
    if not 1 <= len([w for w in words if w.casefold() not in NAME_PARTICLES]) <= _MAX_LABEL_WORDS:
        return False
    if not all(w[:1].isupper() or w.casefold() in HONORIFICS | NAME_PARTICLES for w in words):
        return False
    toks = view.doc[view.char_to_token(start) : view.char_to_token(end)]
    if any(t.ent_type_ in _PLACE_LABELS and not is_honorific(t.text) for t in toks):
        return False  # a place or a date; an honorific the tagger took for one ("MR" as a GPE) is still one
    # a name, not a heading word ("Method:", "Ingredients:"): a proper noun, an entity or an honorific
    return any(t.pos_ == "PROPN" or t.lower_ in HONORIFICS for t in toks) or _names_someone(view, toks)


def _is_headline(view: DocView, p: LabelledParagraph) -> bool:
    """'Name: clause' on a short line without final punctuation, the label naming someone."""
    line = view.text[p.label_start : view.paras[view.para_of(p.label_start)][1]]
    if p.own_line or p.bare_label:
        return False
    if line.rstrip().rstrip("\"”’'»“")[-1:] in ".!?" or len(line.split()) > _MAX_HEADLINE_WORDS:
        return False
    toks = view.doc[view.char_to_token(p.label_start) : view.char_to_token(p.label_end)]
    content = view.doc[view.char_to_token(p.start) : view.char_to_token(p.end)]
    has_name = _names_someone(view, toks)
    has_verb = any(t.pos_ in ("VERB", "AUX") for t in content)
    return has_name and has_verb


def _names_someone(view: DocView, toks) -> bool:
    """An entity, or a capitalised word of a name the text gives elsewhere ("Ruiz:" and "Foreign Minister Ana
    Ruiz arrived")."""
    if any(t.ent_type_ in _NAME_LABELS for t in toks):
        return True
    named = view.entity_words(_NAME_LABELS)
    return any(t.text[:1].isupper() and t.text in named for t in toks)
