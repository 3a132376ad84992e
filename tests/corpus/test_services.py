import pytest

from apps.corpus.models import Outlet
from apps.corpus.services import article_create, outlet_for_name, safe_link, storable_text

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


def test_outlets_are_found_by_their_cleaned_name_and_cached():
    cache: dict = {}
    first = outlet_for_name("  Xinhua \n News ", cache=cache)
    assert first.name == "Xinhua News" and outlet_for_name("Xinhua News", cache=cache) is first
    assert outlet_for_name("   ") is None
    assert Outlet.objects.count() == 1


def test_an_article_gets_its_title_from_the_first_line_and_short_fields_cut():
    article = article_create(
        text="Headline here\nBody.", digest="d" * 64, byline="B" * 400, metadata={"k\x00": ["v\x00"]}
    )
    assert article.title == "Headline here" and len(article.byline) == 300 and article.metadata == {"k": ["v"]}
