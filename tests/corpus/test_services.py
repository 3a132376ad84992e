import pytest
from django.db import connection

from apps.corpus.models import Article, Outlet
from apps.corpus.services import articles_bulk_create, outlet_for_name, safe_link, storable_text
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url,stored",
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("http://x.io", "http://x.io"),
        ("javascript:alert(1)", ""),
        ("JAVASCRIPT:alert(1)", ""),
        ("data:text/html,<b>", ""),
        ("/relative", ""),
        ("https://", ""),
        ("", ""),
    ],
)
def test_only_absolute_http_links_are_kept(url, stored):
    assert safe_link(url) == stored


def test_unstorable_characters_are_dropped():
    assert storable_text("a\x00b\ud800c") == "abc"
    assert storable_text("“Xi” \ud83c said") == "“Xi”  said"  # a lone surrogate in non-ASCII text, no NUL
    assert storable_text("ascii\x00") == "ascii"
    for kept in ("plain ascii", "“Xi” met Путин in 北京 🇨🇳"):
        assert storable_text(kept) is kept


def test_outlets_are_found_by_their_cleaned_name_and_cached():
    cache: dict = {}
    first = outlet_for_name("  Xinhua \n News ", cache=cache)
    assert first.name == "Xinhua News" and outlet_for_name("Xinhua News", cache=cache) is first
    assert outlet_for_name("   ") is None
    assert Outlet.objects.count() == 1


def test_an_article_gets_its_title_from_the_first_line_and_short_fields_cut():
    (article,) = articles_bulk_create(
        articles=[
            {"text": "Headline here\nBody.", "digest": "d" * 64, "byline": "B" * 400, "metadata": {"k\x00": ["v\x00"]}}
        ]
    )
    article = Article.objects.get(pk=article.pk)
    assert article.title == "Headline here" and len(article.byline) == 300 and article.metadata == {"k": ["v"]}


def test_content_hashes_present_answers_a_thousand_digests_in_one_query(django_assert_num_queries):
    from apps.corpus.selectors import content_hashes_present
    from apps.corpus.text import content_hash

    have = [ArticleFactory(text=f"Story number {k}.") for k in range(3)]
    digests = [content_hash(f"absent {k}") for k in range(1000)] + [a.content_hash for a in have[:2]]
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 3):
        found = content_hashes_present(digests=digests)
    assert found == {a.content_hash for a in have[:2]}
    assert content_hashes_present(digests=[]) == set()
