"""Shapes of news-page lines: what is body text and what is furniture (captions, promos, credits...).

Shared by the plain-text and HTML readers. Rules go by the shape of a line and by lists of agency names and
credit formulas, never by the words of particular articles: the same code meets Xinhua, Reuters, AP, AFP,
TASS and BBC copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .dates import MONTH

# Lower-case spelling -> canonical outlet name. Used to read bylines, datelines and photo credits.
AGENCIES = {
    alias: canonical
    for canonical, aliases in {
        "Xinhua": ("xinhua", "xinhua news agency", "xinhuanet"),
        "Reuters": ("reuters", "thomson reuters"),
        "AP": ("ap", "associated press", "the associated press"),
        "AFP": ("afp", "agence france-presse", "agence france presse"),
        "TASS": ("tass",),
        "RIA Novosti": ("ria novosti", "ria"),
        "Interfax": ("interfax",),
        "Sputnik": ("sputnik",),
        "Bloomberg": ("bloomberg",),
        "dpa": ("dpa",),
        "Kyodo": ("kyodo", "kyodo news"),
        "Yonhap": ("yonhap",),
        "ANI": ("ani",),
        "PTI": ("pti",),
        "UPI": ("upi",),
        "EFE": ("efe",),
        "ANSA": ("ansa",),
        "CNA": ("cna",),
        "China News Service": ("china news service", "chinanews"),
        "People's Daily": ("people's daily",),
        "Global Times": ("global times",),
        "CGTN": ("cgtn",),
        "China Daily": ("china daily",),
        "BBC": ("bbc", "bbc news"),
        "CNN": ("cnn",),
        "Al Jazeera": ("al jazeera",),
    }.items()
    for alias in aliases
}


def known_outlet(text: str) -> str | None:
    return AGENCIES.get(text.strip().strip(".").lower())


@dataclass(frozen=True, slots=True)
class Credit:
    """A photo credit at the end of a caption; ``outlet`` is set when the credited source is a known outlet."""

    outlet: str | None


# "(Photo: Xinhua)", "(File photo: AFP)"
_CREDIT_LABEL = re.compile(
    r"\((?:[A-Z]{2,}\s+)?(?:file\s+)?(?:photos?|pictures?|images?|credit|video)\s*:\s*(?P<who>[^()]+)\)$", re.I
)
# "(Xinhua/Zhai Jianlan)", "(AP Photo/Evan Vucci)"
_CREDIT_SLASH = re.compile(r"\((?P<who>[A-Z][\w.&'’ -]{1,40}?)(?:\s+photo)?/[^()/]{2,80}\)$", re.I)
# "REUTERS/Maxim Shemetov", "Sputnik/Pool via REUTERS"
_CREDIT_TRAIL = re.compile(r"(?:\bvia\s+(?P<via>[A-Z][\w&.' -]{1,30})|\b(?P<caps>[A-Z]{2,})/[A-Z][\w.'’ -]+)$")
# BBC and web captions carry a label instead of a credit: "Image source, Getty Images", "Image caption, ..."
_CAPTION_LABEL = re.compile(
    r"^(?:image|photo|picture|video)\s+(?:source|caption|credit)\s*[,:]|^(?:caption|file photo)\s*:", re.I
)


def caption_credit(line: str) -> Credit | None:
    if m := _CREDIT_LABEL.search(line) or _CREDIT_SLASH.search(line):
        return Credit(known_outlet(m["who"]))
    if (m := _CREDIT_TRAIL.search(line)) and known_outlet(m["via"] or m["caps"] or ""):
        return Credit(known_outlet(m["via"] or m["caps"]))
    if _CAPTION_LABEL.match(line):
        return Credit(None)
    return None


_SUMMARY = re.compile(r"^(?:summary|key points|highlights|in brief|at a glance|what you need to know)\s*:?$", re.I)
_BULLET = re.compile(r"^[-–•*·▪]\s+\S")
_PROMO = re.compile(
    r"\bsign up (?:here|now|today)\b[.!]?$|^sign up\b|\bsubscribe (?:here|now|today)\b[.!]?$|^subscribe to\b"
    r"|^(?:read more|related(?: coverage| stories| articles)?|see also|also read|more on this story)\s*:"
    r"|^click here\b|^follow us on\b|^our standards:",
    re.I,
)
_CREDIT_LINE = re.compile(
    r"^\(?(?:additional\s+)?(?:reporting|writing|editing|edited|compiled|translated|produced|research|graphics?"
    r"|photography)\s+by\b|\bcontributed to this (?:report|story)\b.{0,20}$|^(?:editor|source)s?\s*:\s*\S",
    re.I,
)
# Page furniture left over from copying a web page: buttons, ad slots, relative times.
_FURNITURE = re.compile(
    r"^(?:share|save|listen|print|comments?|advertisement|skip advert|getty images|\d+ (?:minutes?|hours?|days?) ago)$",
    re.I,
)

CAPTION, SUMMARY, BULLET, PROMO, CREDIT, FURNITURE, SUBHEAD, TEXT = (
    "caption",
    "summary",
    "bullet",
    "promo",
    "credit",
    "furniture",
    "subhead",
    "text",
)


# Section labels of database exports (ProQuest, Factiva, LexisNexis): "ABSTRACT.", "FULL TEXT.", "Full text:".
# They name a part of the record and are never body text; the text after one on the same line is.
SECTION_MARKER = re.compile(
    r"^(?P<name>ABSTRACT|FULL TEXT|FULLTEXT|LEAD PARAGRAPH|BODY|Abstract|Full [Tt]ext|Lead [Pp]aragraph)"
    r"\s*(?:[.:]|\s[-–—])(?:\s+|$)"
)


def is_subhead(line: str) -> bool:
    """ALL-CAPS crosshead ("ROBUST TIES"): short, upper case, not a sentence."""
    letters = [c for c in line if c.isalpha()]
    return (
        len(letters) >= 3
        and line == line.upper()
        and len(line) <= 80
        and len(line.split()) <= 10
        and not line.endswith((".", "-", "–", "—", ":"))
    )


def classify(line: str) -> str:
    """Kind of one stripped, non-blank line, judged alone (a bullet is only boilerplate under a summary)."""
    if _SUMMARY.match(line):
        return SUMMARY
    if _BULLET.match(line):
        return BULLET
    if len(line) <= 500 and caption_credit(line):  # a long paragraph ending in "(Reuters/Ipsos)" is body text
        return CAPTION
    if _FURNITURE.match(line):
        return FURNITURE
    if len(line) <= 250 and _PROMO.search(line):
        return PROMO
    if len(line) <= 400 and _CREDIT_LINE.search(line):
        return CREDIT
    if is_subhead(line):
        return SUBHEAD
    return TEXT


_PLACE = r"[A-Z][A-Za-z.'’-]+(?:\s+[A-Z][A-Za-z.'’-]+){0,3}"  # MOSCOW, NEW YORK, Paris
DATELINE = re.compile(
    r"^(?P<dateline>(?P<place>"
    + _PLACE
    + r")?"
    + r"(?P<region>,\s*[A-Z][A-Za-z.'’-]+(?:\s+[A-Z][A-Za-z.'’-]+){0,2})?"  # , Ukraine
    + r"(?P<day>,?\s*(?i:"
    + MONTH
    + r")\s+\d{1,2})?"  # , May 8
    + r"(?:\s*\((?P<agency>[A-Za-z][\w .&'’-]{0,40})\)\s*(?:--|[-–—:])"  # (Reuters) -
    + r"|[.,]?\s*/(?P<slash>[A-Za-z][\w .-]{1,20})/\.?"  # . /TASS/.
    + r"|\s*(?P<dash>--|[-–—]))"  # KYIV — (only with an upper-case place, checked below)
    + r")(?:\s+|$)"
)


def split_dateline(line: str) -> tuple[str, str, str | None]:
    """("MOSCOW, May 8 (Reuters) - Text", ...) -> (dateline, rest, outlet named in it)."""
    m = DATELINE.match(line)
    if not m or (rest := line[m.end() :])[:1].islower():
        return "", line, None  # "NATO — the alliance ..." is prose: a dateline is followed by a sentence
    agency, place = m["agency"] or m["slash"], m["place"] or ""
    # Without a place, only a known agency makes a dateline ("(Bloomberg) --"); without an agency, only an
    # upper-case place does ("KYIV —", "BEIJING, June 3 -"), since "Officials — ..." is prose.
    bare_place = place.isupper() and len(place) >= 3 and (m["dash"] != "-" or m["day"] or m["region"])
    if not ((agency and (place or known_outlet(agency))) or bare_place):
        return "", line, None
    return m["dateline"], rest, (known_outlet(agency) or agency.strip()) if agency else None


@dataclass(slots=True)
class Body:
    lines: list[str] = field(default_factory=list)
    dateline: str = ""
    dateline_outlet: str | None = None
    credit_outlet: str | None = None
    metadata: dict = field(default_factory=dict)

    def keep(self, key: str, line: str) -> None:
        self.metadata.setdefault(key, []).append(line)


def build_body(lines: list[str]) -> Body:
    """Sort an article's content lines into body text and metadata.

    Captions, summary bullets, promos and credits leave the body; crossheads stay in it (and are listed);
    a dateline opening the first paragraph moves to ``dateline``.
    """
    body = Body()
    lines = _without_section_markers([line.strip() for line in lines if line.strip()], body)
    i = 0
    while i < len(lines):
        line, kind = lines[i], classify(lines[i])
        i += 1
        if kind == SUMMARY and i < len(lines) and classify(lines[i]) == BULLET:
            while i < len(lines) and classify(lines[i]) == BULLET:  # the points, without heading and markers
                body.keep("summary", lines[i][1:].strip())
                i += 1
        elif kind == CAPTION:
            body.keep("captions", line)
            body.credit_outlet = body.credit_outlet or caption_credit(line).outlet
        elif kind == PROMO:
            body.keep("promos", line)
        elif kind == CREDIT:
            body.keep("credits", line)
        elif kind == FURNITURE:
            body.keep("furniture", line)
        elif not body.lines and not body.dateline and (split := split_dateline(line))[0]:
            body.dateline, line, body.dateline_outlet = split
            if line:
                body.lines.append(line)
        else:
            if kind == SUBHEAD:
                body.keep("subheadings", line)
            body.lines.append(line)
    return body


def _without_section_markers(lines: list[str], body: Body) -> list[str]:
    """Drop section labels. An abstract followed by the full text is a summary of it: it leaves the body
    (kept as ``metadata["abstract"]``); an abstract alone is the only text there is, and stays."""
    names = [(m["name"].upper().replace(" ", "") if (m := SECTION_MARKER.match(line)) else "") for line in lines]
    has_full_text = "FULLTEXT" in names
    kept, section = [], ""
    for line, name in zip(lines, names):
        if name:
            section = name
            body.keep("sections", name.title().replace("Fulltext", "Full text"))
            line = line[SECTION_MARKER.match(line).end() :].strip()
            if not line:
                continue
        if section == "ABSTRACT" and has_full_text:
            body.keep("abstract", line)
        else:
            kept.append(line)
    return kept
