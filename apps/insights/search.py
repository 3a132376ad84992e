"""Search over article titles and text, quotes, span notes and speakers (the insights search page).

The query language, article matching and keyword-in-context snippets are ``apps.corpus.search`` (shared with the
article list); this module adds quotes and span notes (``match`` over GIN expression indexes from migration 0001
on PostgreSQL), speakers (by name and alias), and the filters of the page (outlet, dates, theme, speaker, state).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.postgres.search import SearchVector
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.safestring import SafeString

from apps.annotations.models import Annotation
from apps.assignments.models import Assignment
from apps.corpus.models import Article
from apps.corpus.search import (
    CONFIG,
    Term,
    is_postgres,
    keyword_in_context,
    match,
    match_articles,
    parse_query,
    passage_url,
)
from apps.quotes.models import Quote, Speaker

from .filters import Filters

KINDS = {"articles": "Articles", "quotes": "Quotes", "notes": "Span notes", "speakers": "Speakers"}


# The indexed expressions: the same SearchVector in queries and in migration 0001's CREATE INDEX.
def quote_vector():
    return SearchVector("text", config=CONFIG)


def note_vector():
    return SearchVector("note", config=CONFIG)


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
        qs = match_articles(scope, terms) if terms else scope.none()
        qs = qs.select_related("outlet").only("id", "title", "published", "outlet__name")
        return qs.order_by("-rank", "-published", "-id") if pg and terms else qs.order_by("-published", "-id")
    if kind == "quotes":
        qs = Quote.objects.filter(deleted_at__isnull=True, article__in=scope.values("pk"))
        if filters.speaker:
            qs = qs.filter(speaker_id=filters.speaker)
        qs = match(qs, quote_vector(), ("text",), terms) if terms else qs.none()
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
        qs = match(qs, note_vector(), ("note",), terms) if terms else qs.none()
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
