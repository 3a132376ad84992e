"""One statement across outlets: a speaker's quotes in different articles that render the same statement.

Similarity of two quotes = the mean of rapidfuzz's ``token_set_ratio`` and ``token_sort_ratio`` on normalised
tokens (casefolded ``\\w+`` runs without English function words). ``token_set_ratio`` alone forgives missing
words (Reuters' shorter rendering of a Xinhua sentence) but also scores a short sentence whose words are a subset
of a long one at 80+; ``token_sort_ratio`` penalises the length difference. Quotes at or above ``THRESHOLD``
are linked and groups are the connected components (only quotes of different articles are compared).

Threshold, measured on the seed articles (``fixtures/seeds``; tests/insights/test_statements.py): over the 736
pairs of same-speaker quotes from different articles, the two true cross-outlet renderings (Xi on
"unilateralism and bullying", Xinhua 1 vs Reuters; Xi on the "correct historical perspective on WWII") score
76.3 and 82.4, the eleven sentences the second Xinhua article repeats (one with an extra comma) 100, and the highest unrelated pair
70.6 (two different Xi sentences sharing "China", "Russia", "should", "international"). 73 lies between 70.6 and
76.3, a margin of about 3 points on each side.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from apps.annotations.models import Annotation
from apps.quotes.models import Quote

from .filters import Filters
from .models import StatementLink
from .summaries import quote_counts
from .themes import dated_articles

THRESHOLD = 73.0
MAX_QUOTES_PER_SPEAKER = 1500  # the newest; comparison is quadratic per speaker
TOP_SPEAKERS = 20
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "for",
        "with",
        "as",
        "by",
        "at",
        "from",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "there",
        "will",
        "would",
        "should",
        "shall",
        "can",
        "could",
        "may",
        "might",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "not",
    ]
)
WORD_RE = re.compile(r"\w+")


def normalise(text: str) -> str:
    return " ".join(w for w in WORD_RE.findall(text.casefold()) if w not in STOPWORDS)


def similarity(a: str, b: str) -> float:
    na, nb = normalise(a), normalise(b)
    return (fuzz.token_set_ratio(na, nb) + fuzz.token_sort_ratio(na, nb)) / 2


def linked_pairs(texts: list[str], threshold: float = THRESHOLD) -> list[tuple[int, int]]:
    """Index pairs (i < j) whose similarity is ≥ threshold. Since token_sort_ratio ≤ 100, a pair can only reach the
    threshold if its token_set_ratio is ≥ 2·threshold − 100: that bound prunes the matrix (rapidfuzz stops early
    below a cutoff) and the second scorer runs on the survivors only."""
    norm = [normalise(t) for t in texts]
    cutoff = max(0.0, 2 * threshold - 100)
    set_scores = cdist(norm, norm, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, workers=1)
    rows, cols = np.nonzero(np.triu(set_scores, k=1))
    if len(rows) > 4 * len(texts):  # dense (many similar quotes): one vectorised pass beats pair-by-pair calls
        sort_scores = cdist(norm, norm, scorer=fuzz.token_sort_ratio, workers=1)
        keep = (set_scores[rows, cols] + sort_scores[rows, cols]) / 2 >= threshold
        return list(zip(rows[keep].tolist(), cols[keep].tolist()))
    return [
        (i, j)
        for i, j in zip(rows.tolist(), cols.tolist())
        if (set_scores[i, j] + fuzz.token_sort_ratio(norm[i], norm[j])) / 2 >= threshold
    ]


def week_of(day) -> int | None:
    """Weeks since 1 January 1 (Monday-based), the blocking key of the comparisons; None for an undated article."""
    return None if day is None else (day.toordinal() - 1) // 7


def near(week_a: int | None, week_b: int | None) -> bool:
    """Renderings of one statement are published within days of each other: only quotes of the same or
    consecutive weeks are compared (undated quotes only with undated ones). This bounds the comparisons of a
    speaker quoted 50,000 times to a window instead of every pair."""
    if week_a is None or week_b is None:
        return week_a is None and week_b is None
    return abs(week_a - week_b) <= 1


def pairs_between(norm_a: list[str], norm_b: list[str], threshold: float = THRESHOLD) -> list[tuple[int, int]]:
    """(i, j) with similarity(norm_a[i], norm_b[j]) ≥ threshold, on normalised texts (same pruning as below)."""
    if not norm_a or not norm_b:
        return []
    cutoff = max(0.0, 2 * threshold - 100)
    set_scores = cdist(norm_a, norm_b, scorer=fuzz.token_set_ratio, score_cutoff=cutoff, workers=1)
    rows, cols = np.nonzero(set_scores)
    if len(rows) > 4 * max(len(norm_a), len(norm_b)):
        sort_scores = cdist(norm_a, norm_b, scorer=fuzz.token_sort_ratio, workers=1)
        keep = (set_scores[rows, cols] + sort_scores[rows, cols]) / 2 >= threshold
        return list(zip(rows[keep].tolist(), cols[keep].tolist()))
    return [
        (i, j)
        for i, j in zip(rows.tolist(), cols.tolist())
        if (set_scores[i, j] + fuzz.token_sort_ratio(norm_a[i], norm_b[j])) / 2 >= threshold
    ]


def linked_quote_pairs(rows: list[tuple]) -> list[tuple[int, int]]:
    """Links among one speaker's quotes ``rows`` = [(id, text, article id, published)]: pairs of quotes of
    different articles, of the same or consecutive weeks, similar at ``THRESHOLD``; each week's quotes are compared
    with themselves and with the next week's, so the work grows with the quotes, not their square."""
    by_week = defaultdict(list)
    for row in rows:
        by_week[week_of(row[3])].append(row)
    norm = {row[0]: normalise(row[1]) for row in rows}
    links = []
    for week, block in by_week.items():
        texts = [norm[r[0]] for r in block]
        for i, j in pairs_between(texts, texts):
            if i < j and block[i][2] != block[j][2]:
                links.append((block[i][0], block[j][0]))
        nxt = by_week.get(week + 1) if week is not None else None
        if nxt:
            for i, j in pairs_between(texts, [norm[r[0]] for r in nxt]):
                if block[i][2] != nxt[j][2]:
                    links.append((block[i][0], nxt[j][0]))
    return [(min(a, b), max(a, b)) for a, b in links]


def group_quotes(quotes: list[Quote], threshold: float = THRESHOLD) -> list[list[Quote]]:
    """Connected components of quotes (one speaker) linked by similarity ≥ threshold across articles."""
    if len(quotes) < 2:
        return []
    parent = list(range(len(quotes)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    weeks = [week_of(q.article.published) for q in quotes]
    for i, j in linked_pairs([q.text for q in quotes], threshold):
        if quotes[i].article_id != quotes[j].article_id and near(weeks[i], weeks[j]):
            parent[find(i)] = find(j)
    groups = defaultdict(list)
    for i, q in enumerate(quotes):
        groups[find(i)].append(q)
    return [g for g in groups.values() if len({q.article_id for q in g}) >= 2]


def _speaker_quotes(speaker_id: int, filters: Filters | None = None) -> list[Quote]:
    quotes = Quote.objects.filter(deleted_at__isnull=True, speaker_id=speaker_id)
    if filters is not None:
        quotes = quotes.filter(article__in=dated_articles(filters).values("pk"))
    quotes = (
        quotes.select_related("article__outlet", "speaker")
        .only(
            "id",
            "text",
            "kind",
            "start",
            "end",
            "article_id",
            "speaker__name",
            "article__title",
            "article__published",
            "article__outlet__name",
            "article__outlet_id",
        )
        .order_by("-article__published", "-id")[:MAX_QUOTES_PER_SPEAKER]
    )
    return sorted(quotes, key=_published_order)


def _published_order(q: Quote):
    return (q.article.published is None, q.article.published or 0, q.article_id, q.start)


@dataclass(slots=True)
class StatementGroup:
    quotes: list[Quote]
    ids: list[int] = field(default_factory=list)  # sorted; from the links table: quotes loaded for the page shown
    n_outlets: int = 0

    @property
    def key(self) -> int:
        return self.ids[0] if self.ids else min(q.pk for q in self.quotes)  # ids are kept sorted

    @property
    def speaker(self) -> str:
        return self.quotes[0].speaker.name if self.quotes[0].speaker else ""

    @property
    def outlets(self) -> list[str]:
        return sorted({q.article.outlet.name if q.article.outlet else "(no outlet)" for q in self.quotes})

    @property
    def first(self) -> Quote:
        return min(self.quotes, key=_published_order)


def _top_speakers(filters: Filters, top: int, *, summary: bool = False) -> list[int]:
    """The ``top`` most quoted speakers in range with 2+ quotes (from the per-day quote counts with ``summary``)."""
    if filters.speaker:
        return [filters.speaker]
    if summary:
        rows = quote_counts(filters, keys=["speaker_id"], attributed=True)
        ranked = sorted((r for r in rows if r["n"] >= 2), key=lambda r: (-r["n"], r["speaker_id"]))
        return [r["speaker_id"] for r in ranked[:top]]
    base = Quote.objects.filter(
        deleted_at__isnull=True, speaker__isnull=False, article__in=dated_articles(filters).values("pk")
    )
    return list(
        base.values("speaker_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .order_by("-n", "speaker_id")
        .values_list("speaker_id", flat=True)[:top]
    )


def statement_groups(
    filters: Filters, *, across_outlets: bool = True, top: int = TOP_SPEAKERS, summary: bool = False
) -> list[StatementGroup]:
    """Groups among the ``top`` most quoted speakers in range; ``across_outlets``: only groups with 2+ outlets.

    With ``summary`` the groups are the connected components of the stored links (``StatementLink``, built by the
    summaries refresh) between quotes in range, and carry quote ids only: ``load_quotes`` fills the page shown."""
    speaker_ids = _top_speakers(filters, top, summary=summary)
    if summary:
        return _linked_groups(filters, speaker_ids, across_outlets)
    groups = []
    for speaker_id in speaker_ids:
        for quotes in group_quotes(_speaker_quotes(speaker_id, filters)):
            group = StatementGroup(quotes)
            if not across_outlets or len({q.article.outlet_id for q in quotes}) >= 2:
                groups.append(group)
    return sorted(groups, key=lambda g: (-len(g.outlets), -len(g.quotes), g.key))


def _linked_groups(filters: Filters, speaker_ids: list[int], across_outlets: bool) -> list[StatementGroup]:
    links = StatementLink.objects.filter(speaker_id__in=speaker_ids, day_a__isnull=False, day_b__isnull=False)
    if filters.date_from:
        links = links.filter(day_a__gte=filters.date_from, day_b__gte=filters.date_from)
    if filters.date_to:
        links = links.filter(day_a__lte=filters.date_to, day_b__lte=filters.date_to)
    if filters.outlet:
        links = links.filter(outlet_a=filters.outlet, outlet_b=filters.outlet)
    parent: dict = {}

    def find(i):
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    outlet_of = {}
    for a, b, outlet_a, outlet_b in links.values_list("quote_a", "quote_b", "outlet_a", "outlet_b"):
        outlet_of[a], outlet_of[b] = outlet_a, outlet_b
        parent[find(a)] = find(b)
    members = defaultdict(list)
    for quote_id in outlet_of:
        members[find(quote_id)].append(quote_id)
    groups = []
    for ids in members.values():
        n_outlets = len({outlet_of[i] for i in ids})
        if not across_outlets or n_outlets >= 2:
            groups.append(StatementGroup([], sorted(ids), n_outlets))
    return sorted(groups, key=lambda g: (-g.n_outlets, -len(g.ids), g.key))


def load_quotes(groups) -> None:
    """Fill the quotes of link-table groups (one query for the page shown)."""
    wanted = [g for g in groups if g.ids and not g.quotes]
    if not wanted:
        return
    quotes = {
        q.pk: q
        for q in Quote.objects.filter(pk__in=[i for g in wanted for i in g.ids]).select_related(
            "article__outlet", "speaker"
        )
    }
    for g in wanted:
        g.quotes = sorted((quotes[i] for i in g.ids if i in quotes), key=_published_order)


def statement_links_rebuild() -> int:
    """Rebuild ``StatementLink`` from every live attributed quote (the summaries refresh calls it)."""
    StatementLink.objects.all().delete()
    rows = (
        Quote.objects.filter(deleted_at__isnull=True, speaker__isnull=False)
        .order_by("speaker_id", "id")
        .values_list("speaker_id", "id", "text", "article_id", "article__published", "article__outlet_id")
    )
    per_speaker = defaultdict(list)
    for speaker_id, *row in rows.iterator(chunk_size=10_000):
        per_speaker[speaker_id].append(row)
    batch, total = [], 0
    for speaker_id, quotes in per_speaker.items():
        info = {q[0]: q for q in quotes}
        for a, b in linked_quote_pairs([(q[0], q[1], q[2], q[3]) for q in quotes]):
            qa, qb = info[a], info[b]
            batch.append(
                StatementLink(
                    speaker_id=speaker_id,
                    quote_a=a,
                    quote_b=b,
                    day_a=qa[3],
                    day_b=qb[3],
                    outlet_a=qa[4],
                    outlet_b=qb[4],
                )
            )
        if len(batch) >= 5000:
            total += len(StatementLink.objects.bulk_create(batch, batch_size=5000))
            batch = []
    total += len(StatementLink.objects.bulk_create(batch, batch_size=5000))
    return total


def group_of(quote: Quote, *, summary: bool = False) -> StatementGroup | None:
    """The group of ``quote`` over all its speaker's quotes; with ``summary``, its component in the stored links
    (a walk of a few indexed queries instead of comparing the speaker's quotes)."""
    if summary:
        seen, frontier = {quote.pk}, {quote.pk}
        while frontier:
            pairs = StatementLink.objects.filter(Q(quote_a__in=frontier) | Q(quote_b__in=frontier))
            found = {i for pair in pairs.values_list("quote_a", "quote_b") for i in pair} - seen
            seen |= found
            frontier = found
        if len(seen) < 2:
            return None
        group = StatementGroup([], sorted(seen))
        load_quotes([group])
        return group
    for quotes in group_quotes(_speaker_quotes(quote.speaker_id)) if quote.speaker_id else []:
        if any(q.pk == quote.pk for q in quotes):
            return StatementGroup(quotes)
    return None


def marked_differences(text: str, reference: str) -> SafeString:
    """``text`` with the words that don't occur in ``reference`` (casefolded, anywhere) wrapped in ``<mark>``.

    Word order is not compared: outlets reorder clauses, and an in-order diff would mark a moved clause that both
    renderings share."""
    present = {w.casefold() for w in WORD_RE.findall(reference)}
    out, pos = [], 0
    for m in WORD_RE.finditer(text):
        if m.group().casefold() in present:
            continue
        out += [escape(text[pos : m.start()]), '<mark class="m-diff">', escape(m.group()), "</mark>"]
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))


@dataclass(slots=True)
class Rendering:
    quote: Quote
    marked: SafeString
    themes: list[str] = field(default_factory=list)
    score: float = 100.0
    first: bool = False


def renderings(group: StatementGroup) -> list[Rendering]:
    """Each quote in publication order, its differences from the first rendering (the first: from the second),
    the themes analysts attached to live spans overlapping it, and its similarity to the first."""
    quotes = sorted(group.quotes, key=_published_order)
    first = quotes[0]
    first_day = first.article.published
    themes: dict = defaultdict(set)
    spans = Annotation.objects.filter(deleted_at__isnull=True, article_id__in={q.article_id for q in quotes})
    by_article = defaultdict(list)
    for q in quotes:
        by_article[q.article_id].append(q)
    for article_id, start, end, theme in spans.values_list("article_id", "start", "end", "themes__name"):
        for q in by_article[article_id]:
            if theme and start < q.end and end > q.start:
                themes[q.pk].add(theme)
    result = []
    for i, q in enumerate(quotes):
        reference = (quotes[1] if len(quotes) > 1 else q) if i == 0 else first
        result.append(
            Rendering(
                q,
                marked_differences(q.text, reference.text),
                sorted(themes[q.pk]),
                round(similarity(q.text, first.text), 1),
                q.article.published == first_day if first_day else i == 0,
            )
        )
    return result


def quotes_of(groups) -> QuerySet[Quote]:
    return Quote.objects.filter(pk__in=[q.pk for g in groups for q in g.quotes])
