"""The filters every insights page reads from its query string, so that a URL is a shareable view.

Bad values are dropped (an unknown outlet id, a malformed date), never a 500: the page shows what it used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from urllib.parse import urlencode

from apps.assignments.models import Assignment

GOLD, SUBMITTED = "gold", "submitted"
BASES = {GOLD: "Gold standard (adjudicated by a reviewer)", SUBMITTED: "All submitted work"}
OLD_BASES = {"accepted": GOLD}  # links shared before the gold layer existed
GRANULARITIES = {"month": "Month", "week": "Week"}
METRICS = {"share": "Share of articles", "per_1000": "Spans per 1,000 words"}


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _int(value) -> int | None:
    try:
        number = int(value) if value else None
    except (TypeError, ValueError):
        return None
    return number if number is None or number > 0 else None


@dataclass(frozen=True)
class Filters:
    q: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    outlet: int | None = None
    theme: int | None = None
    speaker: int | None = None
    state: str = ""
    basis: str = GOLD
    granularity: str = "month"
    metric: str = "share"
    kind: str = ""
    cotheme: int | None = None  # the spans list behind a co-occurrence cell: its unit also carries this theme
    level: str = ""  # span / paragraph / article (compare.LEVELS)
    outlet2: int | None = None  # the second outlet of the rate ratios

    @classmethod
    def from_query(cls, query) -> Filters:
        basis = query.get("basis", GOLD)
        basis = OLD_BASES.get(basis, basis)
        granularity = query.get("granularity", "month")
        metric = query.get("metric", "share")
        state = query.get("state", "")
        return cls(
            q=(query.get("q") or "").strip()[:300],
            date_from=_date(query.get("date_from")),
            date_to=_date(query.get("date_to")),
            outlet=_int(query.get("outlet")),
            theme=_int(query.get("theme")),
            speaker=_int(query.get("speaker")),
            state=state if state in Assignment.State.values else "",
            basis=basis if basis in BASES else GOLD,
            granularity=granularity if granularity in GRANULARITIES else "month",
            metric=metric if metric in METRICS else "share",
            kind=(query.get("kind") or "")[:20],
            cotheme=_int(query.get("cotheme")),
            level=query.get("level") if query.get("level") in ("span", "paragraph", "article") else "",
            outlet2=_int(query.get("outlet2")),
        )

    def query(self, **changes) -> str:
        """The query string of these filters (defaults left out), with ``changes`` applied."""
        defaults = Filters()
        current = replace(self, **changes)
        pairs = []
        for f in fields(self):
            value = getattr(current, f.name)
            if value in (None, "") or value == getattr(defaults, f.name):
                continue
            pairs.append((f.name, value.isoformat() if isinstance(value, dt.date) else value))
        return urlencode(pairs)
