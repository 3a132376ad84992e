"""Dates as news pages write them ("May 09, 2025", "3 June 2025", "2025-05-09T10:00Z")."""

from __future__ import annotations

import datetime as dt
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


def parse_any(value: str) -> dt.date | None:
    """ISO first, then a written date anywhere in the value; None when there is none."""
    try:
        return parse_iso(value)
    except ValueError:
        m = DATE.search(value)
        return date_from_match(m) if m else None
