"""Dates as news pages write them ("May 09, 2025", "3 June 2025", "2025-05-09T10:00Z")."""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import re

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"

# One pattern, three shapes; named groups tell which matched.
DATE = re.compile(
    _WEEKDAY
    + r"(?:(?P<mdy_m>"
    + MONTH
    + r")\s+(?P<mdy_d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<mdy_y>\d{4})"
    + r"|(?P<dmy_d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<dmy_m>"
    + MONTH
    + r"),?\s+(?P<dmy_y>\d{4})"
    + r"|(?P<iso>\d{4}-\d{2}-\d{2}))(?!\d)",
    re.IGNORECASE,
)
# What may follow a date on a date line: a time and a zone ("10:32 AM GMT", "at 14:05 BST", "T09:00:00+08:00").
TIME_TAIL = re.compile(
    r"[\s,]*(?:at\s+|T)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\.\d+)?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?-i:Z|[A-Z]{2,5}(?![A-Za-z])(?:[+-]\d{1,2}(?::?\d{2})?)?)|\s*[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)


def date_from_match(m: re.Match) -> dt.date | None:
    try:
        if m["iso"]:
            return dt.date.fromisoformat(m["iso"])
        if m["mdy_m"]:
            return dt.date(int(m["mdy_y"]), _MONTHS[m["mdy_m"].lower().rstrip(".")], int(m["mdy_d"]))
        return dt.date(int(m["dmy_y"]), _MONTHS[m["dmy_m"].lower().rstrip(".")], int(m["dmy_d"]))
    except ValueError:  # "February 30, 2025" is shaped like a date but is not one
        return None


def parse_iso(value: str) -> dt.date:
    """ISO date or datetime ("2025-05-09", "2025-05-09T10:00:00Z") -> date; ValueError otherwise."""
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()


# 09/05/2025, 9.5.2025, 2025/05/09, 2025.05.09, 09-05-2025 (a numeric date, maybe followed by a time)
_NUMERIC = re.compile(r"^(?P<a>\d{1,4})(?P<sep>[./-])(?P<b>\d{1,2})(?P=sep)(?P<c>\d{2,4})(?!\d)")
_COMPACT = re.compile(r"^(?P<y>(?:19|20)\d{2})(?P<m>\d{2})(?P<d>\d{2})(?:T|\s|$)")


def read_date(value: str) -> tuple[dt.date | None, str]:
    """A date as people and exports write it, and "" or why it could not be read.

    ISO (with a time), "May 9, 2025", "9 May 2025", "Friday, 9 May 2025", RFC 2822 ("Fri, 09 May 2025 10:00:00
    GMT"), 2025/05/09, 20250509, day-first with dots (9.5.2025), and slashed or dashed dates whose day is
    evident (25/05/2025, 05/25/2025). 05/09/2025 could be 5 September or 9 May: it is not guessed.
    """
    value = value.strip()
    if not value:
        return None, ""
    with contextlib.suppress(ValueError):
        return parse_iso(value), ""
    if m := _COMPACT.match(value):
        return _date_or_none(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _NUMERIC.match(value):
        a, b, c, sep = int(m["a"]), int(m["b"]), int(m["c"]), m["sep"]
        if len(m["a"]) == 4:
            return _date_or_none(a, b, c)
        if len(m["c"]) != 4:
            return None, "two-digit year"
        if sep == "." or a > 12:
            return _date_or_none(c, b, a)
        if b > 12:
            return _date_or_none(c, a, b)
        if a == b:
            return _date_or_none(c, a, b)
        return None, "day and month could be either way round"
    if m := DATE.search(value):
        found = date_from_match(m)
        return (found, "") if found else (None, "no such day")
    with contextlib.suppress(TypeError, ValueError, IndexError):
        return email.utils.parsedate_to_datetime(value).date(), ""
    return None, "not a date"


def _date_or_none(year: int, month: int, day: int) -> tuple[dt.date | None, str]:
    try:
        return dt.date(year, month, day), ""
    except ValueError:
        return None, "no such day"


def parse_any(value: str) -> dt.date | None:
    """ISO first, then a written date anywhere in the value; None when there is none."""
    try:
        return parse_iso(value)
    except ValueError:
        m = DATE.search(value)
        return date_from_match(m) if m else None
