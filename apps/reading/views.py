"""The article list and the reading page: articles as a reader sees them, with quotes and entities drawn in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from apps.assignments.selectors import articles_visible_to
from apps.corpus.search import article_passages, article_text_search
from apps.corpus.selectors import outlet_list
from apps.corpus.text import Mark, text_html

PAGE_SIZE = 50


def _int_or_none(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@require_GET
@login_required
def article_list(request):
    q = request.GET.get("q", "")
    outlet_id = _int_or_none(request.GET.get("outlet"))
    articles = articles_visible_to(request.user)
    if outlet_id:
        articles = articles.filter(outlet_id=outlet_id)
    batch_id = _int_or_none(request.GET.get("batch"))  # "see these articles" after an import
    if batch_id:
        articles = articles.filter(import_batches__id=batch_id)
    # title and text, full-text on PostgreSQL (the insights search's query language: "phrases", prefix*)
    articles = article_text_search(articles=articles, q=q).select_related("outlet")
    articles = articles.only("id", "title", "published", "byline", "n_words", "outlet__name")
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    passages = article_passages(articles=page.object_list, q=q)
    context = {
        "page_obj": page,
        "articles": [(article, passages.get(article.pk)) for article in page.object_list],
        "q": q,
        "outlet_id": outlet_id,
        "batch_id": batch_id,
        "outlets": outlet_list(),
    }
    template = "corpus/article_list.html"
    if request.htmx:
        template += "#results"
    return render(request, template, context)


@require_GET
@login_required
def article_detail(request, pk: int):
    article = get_object_or_404(articles_visible_to(request.user).select_related("outlet"), pk=pk)
    entities = list(article.entities.exclude(status="rejected").only("id", "label", "start", "end", "status"))
    quotes = list(
        article.quotes.filter(deleted_at__isnull=True)
        .select_related("speaker")
        .only("id", "start", "end", "text", "kind", "cue", "confidence", "speaker__name")
    )
    marks = [Mark(e.start, e.end, "ent", f"e{e.id}", e.label, f"m-ent ent-{e.label}", e.label) for e in entities]
    for q in quotes:
        speaker = q.speaker.name if q.speaker else "unattributed"
        marks.append(Mark(q.start, q.end, "quote", f"q{q.id}", speaker, "m-quote", f"Quote: {speaker}"))
    context = {
        "article": article,
        "text_html": text_html(article.text, marks).html,
        "entity_count": len(entities),
        "quotes": quotes,
        "labels": sorted({e.label for e in entities}),
    }
    return render(request, "corpus/article_detail.html", context)
