"""Theme co-occurrence and rate ratios between two outlets.

**Co-occurrence** of themes A and B at a level (over the counted spans of ``themes.counted_spans``, same basis and
filters): the number of units carrying both, a unit being
* ``span``: one span (it carries A and B);
* ``paragraph``: one paragraph of an article (``\\n``-separated; a span belongs to the paragraph its start lies
  in) with a counted span carrying A and a counted span carrying B (the same span or two);
* ``article``: one article with counted spans carrying A and B.
The diagonal (A, A) is the number of units carrying A.

**Rate ratio** of outlet 1 to outlet 2 for a theme, by the page's measure:
* spans per 1,000 words: x = counted spans with the theme, exposure = words of all the outlet's articles in range;
* share of articles: x = articles carrying the theme, exposure = the outlet's articles in range.
RR = (x1 / e1) / (x2 / e2); its 95 % confidence interval treats x1 and x2 as Poisson counts:
exp(ln RR ± 1.96 · √(1/x1 + 1/x2)) (the Wald interval on the log scale). When x1 or x2 is 0 the ratio or its
interval is undefined and is shown as "—".
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations_with_replacement

from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Length, Replace, Substr

from .filters import Filters
from .themes import Cell, counted_basis, counted_spans

LEVELS = {"span": "Same span", "paragraph": "Same paragraph", "article": "Same article"}
Z95 = 1.959963984540054


def paragraph_index(start_field: str = "start", text_field: str = "article__text"):
    """The paragraph a position lies in: the number of ``\\n`` before it (portable SQL, no Python pass)."""
    head = Substr(text_field, 1, F(start_field))
    return Length(head) - Length(Replace(head, Value("\n"), Value("")))


def _units(filters: Filters, level: str) -> dict:
    """{unit key: {theme ids}} of the counted spans."""
    basis = counted_basis(filters.basis)
    links = basis.link_model.objects.filter(**{f"{basis.span}__in": counted_spans(replace_theme(filters))})
    if level == "span":
        rows = links.values_list(basis.span_id, "theme_id")
    elif level == "paragraph":
        rows = links.annotate(para=paragraph_index(basis.path("start"), basis.path("article__text"))).values_list(
            basis.path("article_id"), "para", "theme_id"
        )
    else:
        rows = links.values_list(basis.path("article_id"), "theme_id")
    units: dict = defaultdict(set)
    for *key, theme in rows.distinct():
        units[tuple(key)].add(theme)
    return units


def replace_theme(filters: Filters) -> Filters:
    from dataclasses import replace

    return replace(filters, theme=None, cotheme=None, level="")


def cooccurrence(filters: Filters, level: str, *, summary: bool = False) -> dict[tuple[int, int], int]:
    """{(theme A id, theme B id) with A ≤ B: units carrying both} (A = B: units carrying A); from the per-day
    summary (``summaries.cooccurrence_counts``) when ``summary``."""
    if summary and not filters.theme:
        from .summaries import cooccurrence_counts

        return cooccurrence_counts(replace_theme(filters), level)
    counts: dict = defaultdict(int)
    for themes in _units(filters, level).values():
        for a, b in combinations_with_replacement(sorted(themes), 2):
            counts[(a, b)] += 1
    return dict(counts)


def cooccurring_spans(spans: QuerySet, filters: Filters) -> QuerySet:
    """The spans behind a co-occurrence cell: counted spans with ``theme`` whose unit also carries ``cotheme``."""
    if not filters.cotheme:
        return spans
    if filters.level == "span" or filters.level not in LEVELS:
        return spans.filter(themes=filters.cotheme)
    others = counted_spans(replace_theme(filters)).filter(themes=filters.cotheme, article_id=OuterRef("article_id"))
    if filters.level == "paragraph":
        spans = spans.annotate(para=paragraph_index())
        others = others.annotate(other_para=paragraph_index()).filter(other_para=OuterRef("para"))
    return spans.filter(Exists(others))


@dataclass(slots=True)
class RateRatio:
    theme_id: int
    theme: str
    x1: int
    e1: int
    x2: int
    e2: int
    query1: str = ""
    query2: str = ""

    @property
    def rate1(self) -> float | None:
        return self.x1 / self.e1 if self.e1 else None

    @property
    def rate2(self) -> float | None:
        return self.x2 / self.e2 if self.e2 else None

    @property
    def ratio(self) -> float | None:
        if not (self.x1 and self.x2 and self.e1 and self.e2):
            return None
        return self.rate1 / self.rate2

    @property
    def interval(self) -> tuple[float, float] | tuple[None, None]:
        ratio = self.ratio
        if ratio is None:
            return None, None
        half = Z95 * math.sqrt(1 / self.x1 + 1 / self.x2)
        return math.exp(math.log(ratio) - half), math.exp(math.log(ratio) + half)

    @property
    def low(self) -> float | None:
        return self.interval[0]

    @property
    def high(self) -> float | None:
        return self.interval[1]


def rate_ratios(cells: list[Cell], outlet1: int, outlet2: int, metric: str) -> list[RateRatio]:
    """Per theme, outlet1 vs outlet2 from the whole-range cells of the themes page (same counts, same links)."""
    by = {(c.outlet_id, c.theme_id): c for c in cells}
    result = []
    for theme_id, theme in dict.fromkeys((c.theme_id, c.theme) for c in cells):
        c1, c2 = by.get((outlet1, theme_id)), by.get((outlet2, theme_id))
        if c1 is None or c2 is None:
            continue
        if metric == "per_1000":
            row = RateRatio(theme_id, theme, c1.spans, c1.words, c2.spans, c2.words)
        else:
            row = RateRatio(theme_id, theme, c1.articles_with_theme, c1.articles, c2.articles_with_theme, c2.articles)
        row.query1, row.query2 = c1.query, c2.query
        result.append(row)
    return result
