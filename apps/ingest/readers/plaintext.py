"""Plain text: one file may hold several articles, each opened by a headline line.

An article starts at
- a *headed* headline: a short line without final punctuation followed by a byline ("By Xinhua May 09, 2025"),
  a date line ("Published 3 June 2025") or a date marker ("date 2025-05-09");
- a *bare* headline: a short line without final punctuation followed by prose. Because a sentence-case
  crosshead has the same shape, a bare headline only opens an article at the top of the file or in a file that
  is evidently a compilation (two or more headed headlines); elsewhere it stays in the body as a subheading;
- a date marker or a byline met after body text (the next item of a feed dump whose headline was lost).
Text before any headline is an article whose title is its first sentence; so is a file with no headline.

Options (``ReadOptions``) change this: ``split="headline"`` lets every bare headline open an article;
``blank2`` / ``dashes`` / ``formfeed`` cut the file at two blank lines, a ``---`` line or a page break, and the
first line of each part is its headline; ``period_headlines`` accepts headlines that end with a full stop
(a ProQuest or Factiva export), which then open an article when a byline, a date, a section marker
("ABSTRACT.", "FULL TEXT.") or a dateline ("MOSCOW, May 8 (Xinhua) --") follows them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .base import DEFAULT_OPTIONS, RawArticle, ReaderError, ReadOptions
from .dates import DATE, TIME_TAIL, date_from_match
from .lines import (
    AGENCIES,
    CAPTION,
    FURNITURE,
    SECTION_MARKER,
    SUBHEAD,
    TEXT,
    build_body,
    classify,
    known_outlet,
    split_dateline,
)

_BYLINE = re.compile(r"^(?:By|BY)\s+(?P<rest>\S.*)$")
_DATE_LABEL = re.compile(r"^(?P<label>published|updated|posted|last updated|first published)?\s*(?:on\s*)?:?\s*", re.I)
# "date 2025-05-09 <caption>": a scraper's marker line, which may carry the photo caption after it.
_MARKER = re.compile(
    r"^date\s*:?\s+(?P<date>\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?Z?)?(?:\s+(?P<rest>.*))?$", re.I
)
_CONNECTORS = {"and", "&", "in", "of", "for", "de", "da", "del", "der", "van", "von", "al", "el", "bin", "le", "la"}
_SEPARATORS = re.compile(r"\s*(?:,|\||·|\s[-–—]\s)\s*")
_STRIP = " ,|·-–—"
_SOURCE = re.compile(r"^source\s*:\s*(?P<who>[^.]{2,60})$", re.I)  # Xinhua pages: "Source: Xinhua"
_MULTIWORD_AGENCIES = sorted((alias for alias in AGENCIES if " " in alias), key=len, reverse=True)
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sen", "rep", "gov", "no", "vs", "jr", "prof"}


def _name_like(text: str) -> bool:
    """Names of people or outlets: a few capitalised words, no sentence punctuation at the end."""
    words = text.replace(",", " ").split()
    return (
        0 < len(words) <= 12
        and len(text) <= 120
        and not text.endswith((".", "!", "?", ";", ":"))
        and all(w[0].isupper() or w.lower() in _CONNECTORS for w in words)
    )


@dataclass(slots=True)
class Byline:
    byline: str
    outlet: str | None
    published: dt.date | None
    role: str = ""  # "China correspondent"
    republished_by: str = ""


def parse_byline(line: str) -> Byline | None:
    """ "By Dmitry Antonov May 8, 2025", "By Xinhua May 09, 2025 Global Times", "By Jane Smith, BBC News"."""
    if not (m := _BYLINE.match(line)) or len(line) > 200:
        return None
    rest, published, tail = m["rest"], None, ""
    if d := DATE.search(rest):
        rest, published, tail = rest[: d.start()], date_from_match(d), rest[d.end() :]
        if t := TIME_TAIL.match(tail):
            tail = tail[t.end() :]
    who, *extra = _SEPARATORS.split(rest.strip(_STRIP))
    # Names first; what follows a comma is a role or an outlet, short and not a sentence ("By Monday, they left.")
    if not _name_like(who) or any(len(p.split()) > 8 or p.endswith((".", "!", "?", ";", ":")) for p in extra):
        return None
    outlet = known_outlet(who)
    if outlet:  # agency byline: the agency is both author and outlet
        who = outlet
    else:
        for alias in _MULTIWORD_AGENCIES:  # "JANE SMITH Associated Press"
            if who.lower().endswith(" " + alias):
                outlet, who = known_outlet(alias), who[: -len(alias)].strip(_STRIP)
                break
    roles = [p for p in extra if p and not known_outlet(p)]
    outlet = outlet or next((known_outlet(p) for p in extra if known_outlet(p)), None)
    # Whatever follows the date is the site that carried the item ("... May 09, 2025 Global Times").
    tail = tail.strip(_STRIP)
    return Byline(who, outlet, published, ", ".join(roles), tail if _name_like(tail) else "")


def parse_date_line(line: str) -> tuple[str, dt.date] | None:
    """A line that is only a date, maybe labelled and timed: "Published 3 June 2025", "May 9, 2025 10:32 GMT"."""
    label = _DATE_LABEL.match(line)
    rest = line[label.end() :]
    if len(line) > 80 or not (d := DATE.match(rest)) or not (published := date_from_match(d)):
        return None
    tail = rest[d.end() :]
    if tail.strip() and not TIME_TAIL.fullmatch(tail):
        return None
    return (label["label"] or "published").lower(), published


@dataclass(slots=True)
class _Draft:
    start: int  # 1-based line
    title: str = ""
    byline: Byline | None = None
    source: str = ""  # outlet named by a "Source: ..." line
    published: dt.date | None = None
    updated: dt.date | None = None
    content: list[str] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)  # breadcrumbs or kicker lines above the headline
    has_body: bool = False  # any body text yet (captions and bylines do not count)
    crossheads: set[str] = field(default_factory=set)  # headline-shaped lines that did not open an article

    def add(self, line: str) -> None:
        self.content.append(line)
        self.has_body = self.has_body or classify(line) in (TEXT, SUBHEAD)


def _header(line: str) -> tuple[str, object] | None:
    """Header lines that carry an article's fields rather than its text."""
    if byline := parse_byline(line):
        return "byline", byline
    if marker := _MARKER.match(line):
        return "marker", marker
    if source := _SOURCE.match(line):
        return "source", source["who"].strip()
    if date_line := parse_date_line(line):
        return "date", date_line
    return None


def _is_prose(line: str) -> bool:
    return len(line.split()) >= 6 and line.rstrip("\"”’')").endswith((".", "!", "?"))


_INNER_SENTENCE_END = re.compile(r"[.!?][\"”’')]*\s+[\"“‘(]?[A-Z]")


def _period_headline(line: str) -> bool:
    """One sentence ending with a single full stop ("China and Russia pledge closer ties.")."""
    return (
        line.endswith(".")
        and not line.endswith("..")
        and not _INNER_SENTENCE_END.search(line)
        and len(line.split()) <= 25
        and not SECTION_MARKER.match(line)
    )


def _headline_shape(line: str, kind: str, *, bare: bool, period: bool = False) -> bool:
    words, end = line.split(), line.rstrip("\"”’')")[-1:]
    if period and _period_headline(line):
        end = ""
    if len(line) > 250 or len(words) > 30 or kind != TEXT or end in (".", ",", ";", ":"):
        return False
    # A bare headline must not read as a crosshead, a label, a wrapped line or an exclamation.
    starts_well = line[0].isupper() or line[0].isdigit() or line[0] in "\"“‘'"
    return not bare or (len(words) >= 4 and starts_well and end not in "!?")


def read_plaintext(
    text: str, *, name: str, default_outlet: str | None = None, options: ReadOptions = DEFAULT_OPTIONS
) -> Iterator[RawArticle | ReaderError]:
    lines = [line.strip() for line in text.split("\n")]
    headers = [_header(line) if line else None for line in lines]
    if options.split in _SPLIT_AT:
        drafts = _drafts_between_separators(lines, text.split("\n"), headers, options.split)
    else:
        drafts = _drafts_by_headline(lines, headers, options)
    previous_outlet = None
    for draft in drafts:
        try:
            article = _finish(draft, name=name, default_outlet=default_outlet, previous_outlet=previous_outlet)
        except ReaderError as err:  # one bad item; the items after it still import
            yield err
            continue
        if options.period_headlines and article.title.endswith(".") and not article.metadata.get("title_derived"):
            article.title = article.title[:-1]
        previous_outlet = article.outlet or previous_outlet
        yield article


_RULE = re.compile(r"^(?:-{3,}|={3,}|\*{3,}|_{3,}|(?:- ){2,}-|(?:\* ){2,}\*)$")
_SPLIT_AT = ("blank2", "dashes", "formfeed")  # split options that cut at a separator line


def _separator_lines(raw: list[str], kind: str) -> set[int]:
    if kind == "dashes":
        return {i for i, line in enumerate(raw) if _RULE.match(line)}
    if kind == "formfeed":
        return {i for i, line in enumerate(raw) if line == "\f"}
    separators: set[int] = set()  # two or more blank lines in a row (a form feed line counts as blank)
    run: list[int] = []
    for i, line in enumerate([*raw, "x"]):
        if not line.strip(" \f"):
            run.append(i)
            continue
        if len(run) >= 2:
            separators.update(run)
        run = []
    return separators


def _drafts_between_separators(lines: list[str], raw: list[str], headers: list, kind: str) -> list[_Draft]:
    """Each part between separators is one article whose first line is its headline (unless that line is a
    byline or a date: then the title comes from the first sentence)."""
    cut = _separator_lines([line.strip(" \t") for line in raw], kind)  # a form feed line stays "\f" here
    drafts: list[_Draft] = []
    cur: _Draft | None = None
    for i, line in enumerate(lines):
        if i in cut:
            cur = None
            continue
        if not line:
            continue
        if cur is None:
            cur = _Draft(start=i + 1)
            drafts.append(cur)
            if not headers[i]:
                cur.title = line
                continue
        _absorb(cur, line, headers[i], bare=False)
    return drafts


def _drafts_by_headline(lines: list[str], headers: list, options: ReadOptions) -> list[_Draft]:
    period = options.period_headlines
    kinds = [classify(line) if line else "" for line in lines]
    # Index of the next line that says something; captions and share buttons may sit between headline and byline.
    following: list[int | None] = [None] * len(lines)
    for i in range(len(lines) - 2, -1, -1):
        following[i] = i + 1 if kinds[i + 1] not in ("", CAPTION, FURNITURE) else following[i + 1]

    def announces_article(j: int | None) -> bool:
        """Does line j show that the line before it was a headline?"""
        if j is None:
            return False
        if headers[j] or SECTION_MARKER.match(lines[j]):
            return True
        return period and bool(split_dateline(lines[j])[0])

    def section_follows(j: int | None) -> bool:
        return j is not None and bool(SECTION_MARKER.match(lines[j]))

    headed = {
        i
        for i, line in enumerate(lines)
        if line
        and not headers[i]
        # a one-sentence line right above "ABSTRACT." is a headline even without the period option
        and _headline_shape(line, kinds[i], bare=False, period=period or section_follows(following[i]))
        and announces_article(following[i])
    }
    compilation = len(headed) >= 2
    anywhere = options.split == "headline"

    drafts: list[_Draft] = []
    cur: _Draft | None = None
    for i, line in enumerate(lines):
        if not line:
            continue
        bare = (
            not headers[i]
            and _headline_shape(line, kinds[i], bare=True, period=period)
            and following[i] is not None
            and _is_prose(lines[following[i]])
        )
        kind = headers[i][0] if headers[i] else ""
        opens = i in headed or (bare and (cur is None or ((compilation or anywhere) and cur.has_body)))
        # A byline or date marker after body text belongs to the next item, whose headline was lost.
        if opens or cur is None or (kind in ("byline", "marker") and cur.has_body):
            preamble = []
            if opens and cur and not (cur.title or cur.byline or cur.published or any(map(_is_prose, cur.content))):
                preamble = drafts.pop().content  # no sentence before the first headline: page furniture
            cur = _Draft(start=i + 1, title=line if opens else "", preamble=preamble)
            drafts.append(cur)
            if opens:
                continue
        _absorb(cur, line, headers[i], bare=bare)
    return drafts


def _absorb(cur: _Draft, line: str, header: tuple[str, object] | None, *, bare: bool) -> None:
    """Add one line to the article being read: a header line sets its fields, anything else is content."""
    kind, value = header or ("", None)
    if kind == "byline":
        cur.byline = value
        cur.published = cur.published or value.published
    elif kind == "marker":
        cur.published = cur.published or dt.date.fromisoformat(value["date"])
        if value["rest"]:
            cur.add(value["rest"])
    elif kind == "source":
        cur.source = cur.source or known_outlet(value) or value
    elif kind == "date":
        label, published = value
        if label in ("updated", "last updated"):
            cur.updated = cur.updated or published
        else:
            cur.published = cur.published or published
    else:
        if bare:
            cur.crossheads.add(line)
        cur.add(line)


def _finish(draft: _Draft, *, name: str, default_outlet: str | None, previous_outlet: str | None) -> RawArticle:
    body = build_body(draft.content)
    if not body.lines:
        what = f"article {draft.title!r}" if draft.title else "article"
        raise ReaderError(f"{what} has no body text", name=name, line=draft.start, code="no_body")
    metadata = body.metadata
    if draft.preamble:
        metadata["preamble"] = draft.preamble
    if draft.crossheads:  # sentence-case crossheads join the ALL-CAPS ones, in body order
        metadata["subheadings"] = [ln for ln in body.lines if ln in draft.crossheads or classify(ln) == SUBHEAD]
    title = draft.title
    if not title:
        title = derive_title(next((ln for ln in body.lines if classify(ln) != SUBHEAD), body.lines[0]))
        metadata["title_derived"] = True
    byline = draft.byline or Byline("", None, None)
    for key, value in (
        ("byline_role", byline.role),
        ("republished_by", byline.republished_by),
        ("updated", draft.updated and draft.updated.isoformat()),
    ):
        if value:
            metadata[key] = value
    # Strongest evidence first. An item that names no source takes the caller's default, else its neighbour's
    # (a feed dump comes from one source).
    candidates = (
        ("byline", byline.outlet),
        ("source line", draft.source),
        ("dateline", body.dateline_outlet),
        ("credit", body.credit_outlet),
        ("default", default_outlet),
        ("previous item", previous_outlet),
    )
    source, outlet = next(((s, o) for s, o in candidates if o), ("", ""))
    if source:
        metadata["outlet_source"] = source
    return RawArticle(
        title=title,
        text="\n".join(body.lines),
        outlet=outlet,
        byline=byline.byline,
        published=draft.published,
        dateline=body.dateline,
        metadata=metadata,
        source_line=draft.start,
    )


_SENTENCE_END = re.compile(r"[.!?][\"”’')]*(?=\s+[\"“‘(]?[A-Z0-9]|\s*$)")


def derive_title(paragraph: str, limit: int = 300) -> str:
    """First sentence of the paragraph without its full stop, cut at a word if very long."""
    for m in _SENTENCE_END.finditer(paragraph):
        before = paragraph[: m.start()].split()[-1:] or [""]
        word = before[0].lstrip('"“‘(')
        # "U.S." / "J." / "Mr." end no sentence
        if re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word) or word.lower() in _ABBREVIATIONS:
            continue
        sentence = paragraph[: m.end()].strip()
        paragraph = sentence[:-1] if sentence.endswith(".") else sentence
        break
    if len(paragraph) > limit:
        paragraph = paragraph[:limit].rsplit(" ", 1)[0] + "…"
    return paragraph
