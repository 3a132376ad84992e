"""Full-text search of articles, and the query language every search box in Readout shares.

Query language: words are ANDed; ``"a phrase"`` matches the words in that order; ``word*`` matches any word
starting with ``word``. On PostgreSQL matching and ranking are full-text (``english`` configuration, so
"sanctions" finds "sanction"): articles through their ``tsvector`` column ``search_document`` (title weighted A,
text B, GIN-indexed; migration ``corpus.0003_article_search_document``, PostgreSQL only), other tables through a
``SearchVector`` on the field (``match``), which GIN expression indexes can serve. An article the pre-annotated
bulk import wrote has no document until ``search_index_catch_up`` (a task enqueued after the batch) fills it;
meanwhile it is matched and ranked on a live ``to_tsvector`` of the same expression, so a search finds it the
moment its import is done. On SQLite
each term is a case-insensitive substring of the field (a working fallback for ``make run``, without stemming or
ranking).

The keyword-in-context snippet and the offsets a result links to are computed in Python on both backends from the
same text, so the snippet shown is exactly the passage the link opens (a ``SearchHeadline`` could choose a
different fragment than the one we can give an offset for).

This module sits in ``corpus`` so that the article list (``reading``) and the insights search page (above it) use
one implementation; it knows articles only: quotes, notes and speakers are searched by ``apps.insights.search``
with ``match``.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection, transaction
from django.db.models import BooleanField, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Article

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


# The document of corpus.0003 (title A, text B); ``{t}`` is the quoted article table.
DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, coalesce({t}.title, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, coalesce({t}.text, '')), 'B'))"
)
CATCH_UP_CHUNK = 500  # articles per UPDATE of the catch-up: short statements, row locks held briefly


def match_articles(qs: QuerySet, terms: list[Term]) -> QuerySet:
    """Articles: on PostgreSQL their ``search_document`` (corpus.0003), or for an article whose document the
    catch-up has not written yet, the same document computed on the fly."""
    if not is_postgres():
        return match(qs, None, ("title", "text"), terms)
    raw = tsquery(terms)
    table = connection.ops.quote_name(qs.model._meta.db_table)
    doc, live = f"{table}.search_document", DOCUMENT.format(t=table)
    query = f"to_tsquery('{CONFIG}'::regconfig, %s)"
    # two OR branches the planner serves with the GIN index and the partial index of rows without a document
    found = f"({doc} @@ {query} OR ({doc} IS NULL AND {live} @@ {query}))"
    return qs.filter(RawSQL(found, (raw, raw), output_field=BooleanField())).annotate(
        rank=RawSQL(f"ts_rank(coalesce({doc}, {live}), {query})", (raw,), output_field=FloatField())
    )


@contextmanager
def search_documents_deferred():
    """Articles written inside this block get no search document (PostgreSQL; a no-op elsewhere): the bulk import
    writes faster and ``search_index_catch_up`` fills them afterwards. Use it inside a transaction; if the block
    fails, the enclosing ``atomic`` rolls the setting back with the rows."""
    if not is_postgres():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('readout.search_deferred', 'on', true)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('readout.search_deferred', '', true)")


def search_index_pending() -> int:
    """How many articles have no search document yet (0 on SQLite, which has none)."""
    if not is_postgres():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM corpus_article WHERE search_document IS NULL")
        return cursor.fetchone()[0]


def search_index_catch_up(*, chunk: int = CATCH_UP_CHUNK, limit: int | None = None) -> int:
    """Write the search document of every article that has none (the pre-annotated import defers it), oldest
    first, ``chunk`` articles per statement, each statement its own transaction; stops after ``limit`` articles
    when given. Rows another transaction holds are skipped and left for the next run. Returns how many it wrote.
    Safe to run at any time and in several workers at once."""
    if not is_postgres():
        return 0
    table = connection.ops.quote_name(Article._meta.db_table)
    sql = (
        f"UPDATE {table} SET search_document = {DOCUMENT.format(t=table)} WHERE id IN ("
        f"SELECT id FROM {table} WHERE search_document IS NULL ORDER BY id LIMIT %s FOR UPDATE SKIP LOCKED)"
    )
    done = 0
    while limit is None or done < limit:
        size = chunk if limit is None else min(chunk, limit - done)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [size])
            written = cursor.rowcount
        done += written
        if written < size:
            break
    return done


def match(qs: QuerySet, vector, fields: tuple[str, ...], terms: list[Term]) -> QuerySet:
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


def article_text_search(*, articles: QuerySet[Article], q: str) -> QuerySet[Article]:
    """``articles`` whose title or text match ``q`` (the query language above), best first on PostgreSQL (rank),
    newest first on SQLite; all of them, newest first, when ``q`` has no term."""
    terms = parse_query(q)
    if not terms:
        return articles.order_by("-published", "-id")
    matched = match_articles(articles, terms)
    return matched.order_by("-rank", "-published", "-id") if is_postgres() else matched.order_by("-published", "-id")


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


@dataclass(frozen=True, slots=True)
class Passage:
    snippet: SafeString
    url: str


def article_passages(*, articles, q: str) -> dict[int, Passage]:
    """{article id: its keyword-in-context snippet and the link to that passage} for one page of results."""
    terms = parse_query(q)
    if not terms:
        return {}
    texts = dict(Article.objects.filter(pk__in=[a.pk for a in articles]).values_list("id", "text"))
    passages = {}
    for article_id, text in texts.items():
        snippet, start, end = keyword_in_context(text, terms)
        passages[article_id] = Passage(snippet, passage_url(article_id, start, end))
    return passages
