"""Search over article titles and text, quotes, span notes and speakers.

Query language: words are ANDed; ``"a phrase"`` matches the words in that order; ``word*`` matches any word
starting with ``word``. On PostgreSQL matching and ranking are full-text (``english`` configuration, so
"sanctions" finds "sanction"): articles through a stored generated ``tsvector`` column (migration 0002: title
weighted above text), quotes and notes through GIN expression indexes (migration 0001). On SQLite each term is a
case-insensitive substring of the field (a working fallback for ``make run``, without stemming or ranking).

The keyword-in-context snippet and the offsets the result links to are computed in Python on both backends from
the same text, so the snippet shown is exactly the passage the link opens (a ``SearchHeadline`` could choose a
different fragment than the one we can give an offset for).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import BooleanField, Count, Exists, FloatField, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from apps.annotations.models import Annotation
from apps.assignments.models import Assignment
from apps.corpus.models import Article
from apps.quotes.models import Quote, Speaker

from .filters import Filters

KINDS = {"articles": "Articles", "quotes": "Quotes", "notes": "Span notes", "speakers": "Speakers"}
CONFIG = "english"
CONTEXT = 90  # characters of context on each side of the first match in a snippet
TERM_RE = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False

    @property
    def phrase(self) -> bool:
        return len(self.words) > 1


def parse_query(q: str) -> list[Term]:
    """``'"united nations" multipolar* Xi'`` → three terms; punctuation inside words is dropped."""
    terms = []
    for phrase, word in TERM_RE.findall(q or ""):
        raw = phrase if phrase else word
        prefix = not phrase and raw.endswith("*")
        words = tuple(w.lower() for w in re.findall(r"\w+", raw))
        if words:
            terms.append(Term(words[-1:] if prefix else words, prefix) if prefix else Term(words))
    return terms


def tsquery(terms: list[Term]) -> str:
    """The raw ``to_tsquery`` text: phrases with ``<->``, prefixes with ``:*``, terms ANDed."""
    parts = []
    for term in terms:
        if term.phrase:
            parts.append("(" + " <-> ".join(term.words) + ")")
        else:
            parts.append(term.words[0] + (":*" if term.prefix else ""))
    return " & ".join(parts)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


# The indexed expressions: the same SearchVector in queries and in migration 0001's CREATE INDEX.
def quote_vector():
    return SearchVector("text", config=CONFIG)


def note_vector():
    return SearchVector("note", config=CONFIG)


def _match_articles(qs: QuerySet, terms: list[Term]) -> QuerySet:
    """Articles: on PostgreSQL the stored ``insights_document`` column of migration 0002 (title A, text B)."""
    if not is_postgres():
        return _match(qs, None, ("title", "text"), terms)
    raw = tsquery(terms)
    doc = f"{connection.ops.quote_name(qs.model._meta.db_table)}.insights_document"
    query = f"to_tsquery('{CONFIG}'::regconfig, %s)"
    return qs.filter(RawSQL(f"{doc} @@ {query}", (raw,), output_field=BooleanField())).annotate(
        rank=RawSQL(f"ts_rank({doc}, {query})", (raw,), output_field=FloatField())
    )


def _match(qs: QuerySet, vector, fields: tuple[str, ...], terms: list[Term]) -> QuerySet:
    if is_postgres():
        query = SearchQuery(tsquery(terms), search_type="raw", config=CONFIG)
        return qs.annotate(_doc=vector).filter(_doc=query).annotate(rank=SearchRank(vector, query))
    for term in terms:
        needle = " ".join(term.words)
        cond = Q()
        for f in fields:
            cond |= Q(**{f"{f}__icontains": needle})
        qs = qs.filter(cond)
    return qs


def filtered_articles(*, articles: QuerySet[Article], filters: Filters) -> QuerySet[Article]:
    """Outlet, date range, theme (a live span carries it), speaker (quoted), assignment state."""
    if filters.outlet:
        articles = articles.filter(outlet_id=filters.outlet)
    if filters.date_from:
        articles = articles.filter(published__gte=filters.date_from)
    if filters.date_to:
        articles = articles.filter(published__lte=filters.date_to)
    if filters.theme:
        articles = articles.filter(
            Exists(Annotation.objects.filter(article=OuterRef("pk"), deleted_at__isnull=True, themes=filters.theme))
        )
    if filters.speaker:
        articles = articles.filter(
            Exists(Quote.objects.filter(article=OuterRef("pk"), deleted_at__isnull=True, speaker=filters.speaker))
        )
    if filters.state:
        articles = articles.filter(Exists(Assignment.objects.filter(article=OuterRef("pk"), state=filters.state)))
    return articles


def search_results(*, articles: QuerySet[Article], filters: Filters, kind: str) -> QuerySet:
    """The matching rows of one kind, best first: Articles, Quotes, Annotations (by note) or Speakers."""
    terms = parse_query(filters.q)
    scope = filtered_articles(articles=articles, filters=filters)
    pg = is_postgres()
    if kind == "articles":
        qs = _match_articles(scope, terms) if terms else scope.none()
        qs = qs.select_related("outlet").only("id", "title", "published", "outlet__name")
        return qs.order_by("-rank", "-published", "-id") if pg and terms else qs.order_by("-published", "-id")
    if kind == "quotes":
        qs = Quote.objects.filter(deleted_at__isnull=True, article__in=scope.values("pk"))
        if filters.speaker:
            qs = qs.filter(speaker_id=filters.speaker)
        qs = _match(qs, quote_vector(), ("text",), terms) if terms else qs.none()
        qs = qs.select_related("article__outlet", "speaker").only(
            "id",
            "start",
            "end",
            "text",
            "kind",
            "article_id",
            "article__title",
            "article__published",
            "article__outlet__name",
            "speaker__name",
        )
        return (
            qs.order_by("-rank", "-article__published", "id")
            if pg and terms
            else qs.order_by("-article__published", "article_id", "start")
        )
    if kind == "notes":
        qs = Annotation.objects.filter(deleted_at__isnull=True, article__in=scope.values("pk")).exclude(note="")
        if filters.theme:
            qs = qs.filter(themes=filters.theme)
        qs = _match(qs, note_vector(), ("note",), terms) if terms else qs.none()
        qs = qs.select_related("article__outlet", "annotator").only(
            "id",
            "start",
            "end",
            "text",
            "note",
            "article_id",
            "article__title",
            "article__published",
            "article__outlet__name",
            "annotator__username",
        )
        return (
            qs.order_by("-rank", "-article__published", "id")
            if pg and terms
            else qs.order_by("-article__published", "article_id", "start")
        )
    if kind == "speakers":
        if not terms:
            return Speaker.objects.none()
        candidates = Speaker.objects.filter(merged_into__isnull=True)
        for term in terms:
            needle = " ".join(term.words)
            candidates = candidates.filter(Q(name__icontains=needle) | Q(aliases__alias__icontains=needle))
        # names first (a few hundred rows at most), then only their quotes: never a pass over all quotes
        ids = list(candidates.values_list("pk", flat=True).distinct()[:500])
        quoted = Quote.objects.filter(deleted_at__isnull=True, speaker_id__in=ids, article__in=scope.values("pk"))
        return (
            Speaker.objects.filter(pk__in=ids)
            .annotate(n_quotes=Count("quotes", filter=Q(quotes__in=quoted)))
            .filter(n_quotes__gt=0)
            .order_by("-n_quotes", "name")
        )
    raise ValueError(f"unknown kind {kind!r}")


# --- keyword in context -------------------------------------------------------------------------------------------


def term_patterns(terms: list[Term]) -> list[re.Pattern]:
    """Per term, regexes from strict to loose: whole-word start, anywhere, a crude stem (what FTS stemming finds)."""
    patterns = []
    for term in terms:
        body = r"\W+".join(re.escape(w) for w in term.words)
        stem = re.escape(term.words[-1][: max(4, len(term.words[-1]) - 3)])
        loose_last = r"\W+".join([*(re.escape(w) for w in term.words[:-1]), stem])
        patterns.append(
            [
                re.compile(rf"\b{body}\w*", re.IGNORECASE),
                re.compile(body, re.IGNORECASE),
                re.compile(rf"\b{loose_last}\w*", re.IGNORECASE),
            ]
        )
    return patterns


def first_match(text: str, patterns: list[list[re.Pattern]]) -> tuple[int, int] | None:
    best = None
    for variants in patterns:
        for pattern in variants:
            found = pattern.search(text)
            if found:
                if best is None or found.start() < best[0]:
                    best = (found.start(), found.end())
                break
    return best


def keyword_in_context(text: str, terms: list[Term], context: int = CONTEXT) -> tuple[SafeString, int, int]:
    """(snippet HTML with every term marked, start, end of the first match); the text's start if nothing matches."""
    patterns = term_patterns(terms)
    hit = first_match(text, patterns) or (0, 0)
    lo, hi = max(0, hit[0] - context), min(len(text), hit[1] + context)
    if lo > 0:  # start and end on word boundaries
        space = text.find(" ", lo, hit[0])
        lo = space + 1 if space != -1 else lo
    if hi < len(text):
        space = text.rfind(" ", hit[1], hi)
        hi = space if space != -1 else hi
    window = text[lo:hi]
    marks: list[tuple[int, int]] = []
    for variants in patterns:
        for pattern in variants:
            found = [(m.start(), m.end()) for m in pattern.finditer(window)]
            if found:
                marks += found
                break
    html, pos = [], 0
    for start, end in sorted(marks):
        if start < pos:
            continue
        html += [escape(window[pos:start]), "<mark>", escape(window[start:end]), "</mark>"]
        pos = end
    html.append(escape(window[pos:]))
    snippet = ("…" if lo > 0 else "") + "".join(html) + ("…" if hi < len(text) else "")
    return mark_safe(snippet), hit[0], hit[1]


def passage_url(article_id: int, start: int, end: int) -> str:
    """The reading page at a passage: ``?hl=start-end`` (code points) and a ``#hl`` anchor for the script."""
    return f"{reverse('reading:article_detail', args=[article_id])}?hl={start}-{end}#hl"


@dataclass(slots=True)
class Hit:
    kind: str
    article_id: int
    title: str
    outlet: str
    published: object
    snippet: SafeString
    url: str
    label: str = ""
    rank: float | None = None


def hits_for_page(*, rows, kind: str, terms: list[Term]) -> list[Hit]:
    """Snippets and passage links for one page of ``search_results`` (one extra query for article texts)."""
    hits = []
    if kind == "articles":
        texts = dict(Article.objects.filter(pk__in=[a.pk for a in rows]).values_list("id", "text"))
        for a in rows:
            snippet, start, end = keyword_in_context(texts[a.pk], terms)
            hits.append(
                Hit(
                    kind,
                    a.pk,
                    a.title,
                    a.outlet.name if a.outlet else "",
                    a.published,
                    snippet,
                    passage_url(a.pk, start, end),
                    rank=getattr(a, "rank", None),
                )
            )
    elif kind == "quotes":
        for quote in rows:
            snippet, start, end = keyword_in_context(quote.text, terms)
            art = quote.article
            label = f"{quote.speaker.name if quote.speaker else 'Unattributed'} · {quote.get_kind_display()}"
            hits.append(
                Hit(
                    kind,
                    art.pk,
                    art.title,
                    art.outlet.name if art.outlet else "",
                    art.published,
                    snippet,
                    passage_url(art.pk, quote.start, quote.end),
                    label,
                    getattr(quote, "rank", None),
                )
            )
    elif kind == "notes":
        for span in rows:
            snippet, _, _ = keyword_in_context(span.note, terms)
            art = span.article
            label = f"Note by {span.annotator.username} on “{span.text[:80]}”"
            hits.append(
                Hit(
                    kind,
                    art.pk,
                    art.title,
                    art.outlet.name if art.outlet else "",
                    art.published,
                    snippet,
                    passage_url(art.pk, span.start, span.end),
                    label,
                    getattr(span, "rank", None),
                )
            )
    return hits
