"""Search: the query language, filters, visibility, keyword-in-context snippets and passage links (SQLite here;
tests/insights/test_search_postgres.py runs the full-text path when PostgreSQL is reachable)."""

import datetime as dt

import pytest
from django.urls import reverse

from apps.assignments.models import Assignment
from apps.corpus.models import Article
from apps.corpus.search import Term, keyword_in_context, parse_query, tsquery
from apps.insights.filters import Filters
from apps.insights.search import search_results
from tests.factories import ArticleFactory, OutletFactory


def test_parse_query_knows_phrases_and_prefixes():
    assert parse_query('"United Nations" multipolar* Xi') == [
        Term(("united", "nations")),
        Term(("multipolar",), prefix=True),
        Term(("xi",)),
    ]
    assert tsquery(parse_query('"united nations" multipolar* xi')) == "(united <-> nations) & multipolar:* & xi"
    assert parse_query('"" *** ;') == []  # nothing searchable, no error


def test_keyword_in_context_marks_terms_and_returns_the_offsets():
    text = "Intro. " + "x " * 100 + "The world is multipolar now, a <b>multipolar</b> one. " + "y " * 100
    snippet, start, end = keyword_in_context(text, parse_query("multipolar*"))
    assert text[start:end] == "multipolar"
    assert snippet.count("<mark>multipolar</mark>") == 2 and "&lt;b&gt;" in snippet  # text is escaped
    assert snippet.startswith("…") and snippet.endswith("…")


@pytest.fixture
def corpus(db, analyst):
    tass = OutletFactory(name="TASS")
    reuters = OutletFactory(name="Reuters")
    a = ArticleFactory(
        outlet=tass,
        title="Talks",
        published=dt.date(2025, 5, 8),
        text="Leaders praised a multipolar world. The United Nations must lead.",
    )
    b = ArticleFactory(
        outlet=reuters,
        title="Trade",
        published=dt.date(2025, 5, 9),
        text="Nations united against tariffs. Multipolarity was not mentioned.",
    )
    c = ArticleFactory(
        outlet=reuters, title="Multipolar summit", published=dt.date(2025, 6, 1), text="A summit took place."
    )
    Assignment.objects.create(article=a, analyst=analyst, state="submitted")
    return {"a": a, "b": b, "c": c, "tass": tass, "reuters": reuters}


def _ids(filters, kind="articles", user=None):
    return {row.pk for row in search_results(articles=Article.objects.all(), filters=filters, kind=kind)}


def test_words_search_the_text_not_only_titles(corpus):
    assert _ids(Filters(q="multipolar")) == {corpus["a"].pk, corpus["b"].pk, corpus["c"].pk}
    assert _ids(Filters(q="praised")) == {corpus["a"].pk}


def test_a_phrase_matches_the_words_in_that_order(corpus):
    assert _ids(Filters(q='"united nations"')) == {corpus["a"].pk}  # b has "Nations united"
    assert _ids(Filters(q="united nations")) == {corpus["a"].pk, corpus["b"].pk}


def test_filters_outlet_dates_state(corpus):
    assert _ids(Filters(q="multipolar*", outlet=corpus["reuters"].pk)) == {corpus["b"].pk, corpus["c"].pk}
    assert _ids(Filters(q="multipolar*", date_to=dt.date(2025, 5, 8))) == {corpus["a"].pk}
    assert _ids(Filters(q="multipolar*", state="submitted")) == {corpus["a"].pk}


def test_results_link_to_the_passage(corpus, client_for, supervisor):
    response = client_for(supervisor).get(reverse("insights:search"), {"q": '"United Nations"'})
    hit = response.context["hits"][0]
    article = corpus["a"]
    start, end = (int(x) for x in hit.url.split("hl=")[1].split("#")[0].split("-"))
    assert hit.url.startswith(reverse("reading:article_detail", args=[article.pk]))
    assert article.text[start:end] == "United Nations"
    assert "<mark>United Nations</mark>" in response.content.decode()


def test_an_analyst_finds_only_articles_they_may_read(corpus, client_for, analyst):
    response = client_for(analyst).get(reverse("insights:search"), {"q": "multipolar"})
    assert [h.article_id for h in response.context["hits"]] == [corpus["a"].pk]
    counts = {k: n for k, _, n in response.context["kinds"]}
    assert counts["articles"] == 1


def test_quotes_notes_and_speakers_are_searched(corpus, supervisor, client_for):
    from apps.quotes.models import Quote, Speaker
    from tests.factories import AnnotationFactory

    a = corpus["a"]
    xi = Speaker.objects.create(name="Xi Jinping")
    Quote.objects.create(article=a, speaker=xi, start=0, end=35, text=a.text[:35], kind="indirect")
    AnnotationFactory(article=a, start=36, end=50, text=a.text[36:50], note="Frames the UN as centre")
    assert len(_ids(Filters(q="praised"), kind="quotes")) == 1
    assert len(_ids(Filters(q="centre"), kind="notes")) == 1
    assert _ids(Filters(q="jinping"), kind="speakers") == {xi.pk}
    response = client_for(supervisor).get(reverse("insights:search"), {"q": "centre", "in": "notes"})
    hit = response.context["hits"][0]
    assert hit.url.endswith("?hl=36-50#hl") and "<mark>centre</mark>" in hit.snippet


def test_no_query_shows_a_hint_and_no_error(db, client_for, supervisor):
    response = client_for(supervisor).get(reverse("insights:search"), {"q": "", "date_from": "nonsense"})
    assert response.status_code == 200 and "Type words" in response.content.decode()
