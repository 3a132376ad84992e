"""Plain text: one file may hold several articles, each opened by a headline line.

An article starts at
- a *headed* headline: a short line without final punctuation followed by a byline ("By Xinhua May 09, 2025"),
  a date line ("Published 3 June 2025") or a date marker ("date 2025-05-09");
- a *bare* headline: a short line without final punctuation followed by prose. Because a sentence-case
  crosshead has the same shape, a bare headline only opens an article at the top of the file or in a file that
  is evidently a compilation (two or more headed headlines); elsewhere it stays in the body as a subheading;
- a date marker or a byline met after body text (the next item of a feed dump whose headline was lost).
Text before any headline is an article whose title is its first sentence; so is a file with no headline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .base import RawArticle, ReaderError
from .dates import DATE, TIME_TAIL, date_from_match
from .lines import AGENCIES, SUBHEAD, TEXT, build_body, classify, known_outlet

_BYLINE = re.compile(r"^(?:By|BY)\s+(?P<rest>\S.*)$")
_DATE_LABEL = re.compile(r"^(?P<label>published|updated|posted|last updated|first published)?\s*(?:on\s*)?:?\s*", re.I)
_MARKER = re.compile(r"^date\s*:?\s+(?P<date>\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2})?Z?)?(?:\s+(?P<rest>.*))?$", re.I)
_CONNECTORS = {"and", "&", "in", "of", "for", "de", "da", "del", "der", "van", "von", "al", "el", "bin", "le", "la", "du", "y"}
_SEPARATORS = re.compile(r"\s*(?:,|\||·|\s[-–—]\s)\s*")
_STRIP = " ,|·-–—"
_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "gen", "lt", "col", "sen", "rep", "gov", "no", "vs", "jr", "sr", "prof"}


def _name_like(text: str) -> bool:
    """Names of people or outlets: a few capitalised words, no sentence punctuation at the end."""
    words = text.replace(",", " ").split()
    return (
        0 < len(words) <= 12 and len(text) <= 120 and not text.endswith((".", "!", "?", ";", ":"))
        and all(w[0].isupper() or w.lower() in _CONNECTORS for w in words)
    )


@dataclass(slots=True)
class Byline:
    byline: str
    outlet: str | None
    published: dt.date | None
    republished_by: str


def parse_byline(line: str) -> Byline | None:
    """"By Dmitry Antonov May 8, 2025", "By Xinhua May 09, 2025 Global Times", "By JANE SMITH, Associated Press"."""
    if not (m := _BYLINE.match(line)):
        return None
    rest, published, tail = m["rest"], None, ""
    if d := DATE.search(rest):
        rest, published, tail = rest[: d.start()], date_from_match(d), rest[d.end():]
        if t := TIME_TAIL.match(tail):
            tail = tail[t.end():]
    who, tail = rest.strip(_STRIP), tail.strip(_STRIP)
    if not _name_like(who):
        return None
    outlet = known_outlet(who)
    if outlet:  # agency byline: the agency is both author and outlet
        who = outlet
    else:
        parts = _SEPARATORS.split(who)
        if len(parts) > 1 and known_outlet(parts[-1]):  # "Jane Smith, Reuters"
            outlet, who = known_outlet(parts[-1]), ", ".join(parts[:-1])
        else:  # "JANE SMITH Associated Press"
            for alias in sorted((a for a in AGENCIES if " " in a), key=len, reverse=True):
                if who.lower().endswith(" " + alias):
                    outlet, who = known_outlet(alias), who[: -len(alias)].strip(_STRIP)
                    break
    # Whatever follows the date is the site that carried the item ("... May 09, 2025 Global Times").
    return Byline(who, outlet, published, tail if _name_like(tail) else "")


def parse_date_line(line: str) -> tuple[str, dt.date] | None:
    """A line that is only a date, maybe labelled and timed: "Published 3 June 2025", "May 9, 2025 10:32 GMT"."""
    label = _DATE_LABEL.match(line)
    rest = line[label.end():]
    if len(line) > 80 or not (d := DATE.match(rest)) or not (published := date_from_match(d)):
        return None
    tail = rest[d.end():]
    if tail.strip() and not ((t := TIME_TAIL.fullmatch(tail)) and t.group().strip()):
        return None
    return (label["label"] or "published").lower(), published


@dataclass(slots=True)
class _Draft:
    start: int  # 1-based line
    title: str = ""
    byline: Byline | None = None
    published: dt.date | None = None
    updated: dt.date | None = None
    content: list[str] = field(default_factory=list)
    has_body: bool = False  # any body text yet (captions and bylines do not count)
    crossheads: set[str] = field(default_factory=set)  # headline-shaped lines that did not open an article

    def add(self, line: str) -> None:
        self.content.append(line)
        self.has_body = self.has_body or classify(line) in (TEXT, SUBHEAD)


def _is_prose(line: str) -> bool:
    return len(line.split()) >= 6 and line.rstrip("\"”’')").endswith((".", "!", "?"))


def _headline_shape(line: str, *, bare: bool) -> bool:
    words = line.split()
    if len(line) > 250 or len(words) > 30 or classify(line) != TEXT:
        return False
    if bare:  # stricter: must not read as a crosshead, a label or the end of a sentence
        return len(words) >= 4 and (line[0].isupper() or line[0].isdigit()) and not line.endswith((".", ",", ";", ":", "!", "?"))
    return not line.endswith((".", ",", ";", ":"))


def _is_header_line(line: str) -> bool:
    return bool(parse_byline(line) or parse_date_line(line) or _MARKER.match(line))


def read_plaintext(text: str, *, name: str, default_outlet: str | None = None) -> Iterator[RawArticle]:
    lines = [line.strip() for line in text.split("\n")]
    following = [""] * len(lines)  # next non-blank line after each line
    nxt = ""
    for i in range(len(lines) - 1, -1, -1):
        following[i], nxt = nxt, lines[i] or nxt

    headed = {
        i for i, line in enumerate(lines)
        if line and _headline_shape(line, bare=False) and not _is_header_line(line) and _is_header_line(following[i])
    }
    compilation = len(headed) >= 2

    drafts: list[_Draft] = []
    cur: _Draft | None = None
    for i, line in enumerate(lines):
        if not line:
            continue
        bare = _headline_shape(line, bare=True) and _is_prose(following[i])
        if i in headed or (bare and (cur is None or (compilation and cur.has_body))):
            cur = _Draft(start=i + 1, title=line)
            drafts.append(cur)
            continue
        byline, date_line, marker = parse_byline(line), parse_date_line(line), _MARKER.match(line)
        if byline or marker:
            if cur is None or cur.has_body:
                cur = _Draft(start=i + 1)
                drafts.append(cur)
            if byline:
                cur.byline = byline
                cur.published = cur.published or byline.published
            else:
                cur.published = cur.published or dt.date.fromisoformat(marker["date"])
                if marker["rest"]:
                    cur.add(marker["rest"])
        elif date_line and cur is not None:
            label, published = date_line
            if label in ("updated", "last updated"):
                cur.updated = cur.updated or published
            else:
                cur.published = cur.published or published
        else:
            if cur is None:
                cur = _Draft(start=i + 1)
                drafts.append(cur)
            if bare:
                cur.crossheads.add(line)
            cur.add(line)

    previous_outlet = None
    for draft in drafts:
        article = _finish(draft, name=name, default_outlet=default_outlet, previous_outlet=previous_outlet)
        previous_outlet = article.outlet or previous_outlet
        yield article


def _finish(draft: _Draft, *, name: str, default_outlet: str | None, previous_outlet: str | None) -> RawArticle:
    body = build_body(draft.content)
    if not body.lines:
        raise ReaderError(f"article {draft.title or ''!r} has no body text", name=name, line=draft.start, code="no_body")
    metadata = body.metadata
    if draft.crossheads:  # sentence-case crossheads join the ALL-CAPS ones, in body order
        metadata["subheadings"] = [l for l in body.lines if l in draft.crossheads or classify(l) == SUBHEAD]
    title = draft.title
    if not title:
        title = derive_title(next((line for line in body.lines if classify(line) != SUBHEAD), body.lines[0]))
        metadata["title_derived"] = True
    byline = draft.byline
    if byline and byline.republished_by:
        metadata["republished_by"] = byline.republished_by
    if draft.updated:
        metadata["updated"] = draft.updated.isoformat()
    # Strongest evidence first; an item that names no source inherits its neighbour's (feed dumps come from one
    # source), after the caller's default.
    candidates = (
        ("byline", byline and byline.outlet), ("dateline", body.dateline_outlet), ("credit", body.credit_outlet),
        ("default", default_outlet), ("previous item", previous_outlet),
    )
    source, outlet = next(((s, o) for s, o in candidates if o), ("", ""))
    if source:
        metadata["outlet_source"] = source
    return RawArticle(
        title=title,
        text="\n".join(body.lines),
        outlet=outlet,
        byline=byline.byline if byline else "",
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
        word = before[0].lstrip("\"“‘(")
        # "U.S." / "J." / "Mr." end no sentence
        if re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word) or word.lower() in _ABBREVIATIONS:
            continue
        sentence = paragraph[: m.end()].strip()
        paragraph = sentence[:-1] if sentence.endswith(".") else sentence
        break
    if len(paragraph) > limit:
        paragraph = paragraph[:limit].rsplit(" ", 1)[0] + "…"
    return paragraph
