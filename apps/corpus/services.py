"""Writes for outlets and articles. The import is the only writer of articles; it calls these."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.db import transaction

from apps.core.bulk import rows_insert

from .models import Article, Outlet

# NUL cannot be stored in a PostgreSQL text column, and a lone surrogate cannot be encoded as UTF-8 at all:
# both are dropped from imported text before anything is written.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(value: str) -> str:
    # the usual text has nothing to drop: said by a NUL search and, unless it is ASCII, a UTF-8 encode (which fails on
    # a lone surrogate), a tenth of the regex pass's cost
    if "\x00" not in value:
        if value.isascii():
            return value
        try:
            value.encode("utf-8")
            return value
        except UnicodeEncodeError:
            pass
    return _UNSTORABLE.sub("", value)


def _storable(value):
    """``value`` (str, or JSON of lists and dicts) without NUL or lone surrogates, keys included."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, list):
        return [_storable(v) for v in value]
    if isinstance(value, dict):
        return {storable_text(str(k)): _storable(v) for k, v in value.items()}
    return value


def _one_line(value: str, limit: int) -> str:
    return " ".join(storable_text(value or "").split())[:limit]


def safe_link(url: str) -> str:
    """The URL if it is an absolute http(s) link, else "" (a ``javascript:`` or relative URL is never a link)."""
    url = storable_text((url or "").strip())
    parts = urlsplit(url)
    if parts.scheme.lower() in {"http", "https"} and parts.netloc and len(url) <= 1000:
        return url
    return ""


def outlet_for_name(name: str, *, cache: dict[str, Outlet] | None = None) -> Outlet | None:
    """The outlet called ``name`` (created on first use); None for an empty name. Long names are cut to fit."""
    name = _one_line(name, Outlet._meta.get_field("name").max_length)
    if not name:
        return None
    if cache is not None and name in cache:
        return cache[name]
    outlet, _ = Outlet.objects.get_or_create(name=name)
    if cache is not None:
        cache[name] = outlet
    return outlet


@transaction.atomic
def articles_bulk_create(*, articles: list[dict]) -> list[Article]:
    """Store articles (``COPY`` on PostgreSQL): each dict holds an article's fields, ``text`` normalised
    (``corpus.text.normalize_text``) and ``digest`` its content hash; the title defaults to the first line, short
    fields are cut to their column sizes and a non-http(s) URL is dropped. All or none: a duplicate content hash
    fails the whole call (IntegrityError), so the caller can fall back to one article at a time. Returns the
    articles in order, with their ids."""
    rows = [
        {
            "outlet_id": a["outlet"].pk if a.get("outlet") else None,
            "title": _one_line(a.get("title") or a["text"].split("\n", 1)[0], 500),
            "byline": _one_line(a.get("byline", ""), 300),
            "published": a.get("published"),
            "url": safe_link(a.get("url", "")),
            "dateline": _one_line(a.get("dateline", ""), 200),
            "text": a["text"],
            "content_hash": a["digest"],
            "n_words": a.get("n_words", 0),
            "metadata": _storable(a.get("metadata") or {}),
        }
        for a in articles
    ]
    ids = rows_insert(Article, rows, ids=True)
    if len(ids) != len(rows):  # a backend that cannot return ids from a bulk insert
        by_hash = dict(
            Article.objects.filter(content_hash__in=[r["content_hash"] for r in rows]).values_list("content_hash", "pk")
        )
        ids = [by_hash[r["content_hash"]] for r in rows]
    out = []
    for pk, row in zip(ids, rows):
        article = Article(pk=pk, **row)
        article._state.adding = False
        out.append(article)
    return out


@transaction.atomic
def article_decisions_shared_set(*, article: Article, shared: bool) -> Article:
    """Choose how double annotation works on this article: shared (one layer of entity decisions and quote
    corrections that every analyst sees and changes) or blind (each analyst's own until review; the default)."""
    Article.objects.filter(pk=article.pk).update(decisions_shared=bool(shared))
    article.decisions_shared = bool(shared)
    return article
