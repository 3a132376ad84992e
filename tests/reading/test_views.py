import pytest
from django.urls import reverse

from apps.annotations.models import EntityMention
from tests.factories import ArticleFactory, AssignmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["reading:article_list"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_anonymous_cannot_read_an_article(client):
    article = ArticleFactory()
    response = client.get(reverse("reading:article_detail", args=[article.pk]))
    assert response.status_code == 302


def test_analyst_lists_and_reads_only_assigned_articles(client_for, analyst):
    mine = AssignmentFactory(analyst=analyst).article
    other = ArticleFactory(title="Not yours")
    client = client_for(analyst)
    listing = client.get(reverse("reading:article_list")).content.decode()
    assert mine.title in listing and "Not yours" not in listing
    assert client.get(reverse("reading:article_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("reading:article_detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("role_fixture", ["supervisor", "admin_user"])
def test_supervisors_and_admins_read_every_article(request, client_for, role_fixture):
    article = ArticleFactory()
    client = client_for(request.getfixturevalue(role_fixture))
    assert client.get(reverse("reading:article_detail", args=[article.pk])).status_code == 200


def test_search_filters_by_title_and_outlet_and_htmx_gets_the_partial(client_for, supervisor):
    ArticleFactory(title="Xi holds talks", outlet__name="Xinhua")
    kremlin = ArticleFactory(title="Kremlin parade", outlet__name="Reuters")
    client = client_for(supervisor)
    page = client.get(reverse("reading:article_list"), {"q": "parade", "outlet": kremlin.outlet_id}).content.decode()
    assert "Kremlin parade" in page and "Xi holds talks" not in page
    assert not client.get(reverse("reading:article_list"), {"q": "parade", "outlet": kremlin.outlet_id + 1}).context[
        "articles"
    ]
    partial = client.get(reverse("reading:article_list"), {"q": "talks"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="results">')
    assert "Xi holds talks" in partial and "<html" not in partial


def test_search_finds_words_in_the_text_and_links_to_the_passage(client_for, supervisor):
    """The article list searches article text (issue 10: "multipolar" found only titles), phrases in order."""
    hit = ArticleFactory(title="Talks in Moscow", text="Both sides said.\nThey back a multipolar world order.")
    ArticleFactory(title="Multipolar in the title only", text="Nothing here.")
    ArticleFactory(title="Other", text="A world that is multipolar.")
    client = client_for(supervisor)
    rows = client.get(reverse("reading:article_list"), {"q": '"multipolar world"'}).context["articles"]
    assert [article.pk for article, _ in rows] == [hit.pk]
    passage = rows[0][1]
    start = hit.text.index("multipolar world")
    assert passage.url == f"/articles/{hit.pk}/?hl={start}-{start + len('multipolar world')}#hl"
    assert "<mark>multipolar world</mark>" in str(passage.snippet)
    assert len(client.get(reverse("reading:article_list"), {"q": "multipolar"}).context["articles"]) == 3


def test_article_list_pages(client_for, supervisor):
    for i in range(55):
        ArticleFactory(title=f"Item {i:02d}")
    client = client_for(supervisor)
    first = client.get(reverse("reading:article_list")).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(reverse("reading:article_list"), {"page": 2}).content.decode()
    assert second.count("<tr>") == 5 + 1  # 5 rows + header


def test_article_text_and_entities_are_escaped_and_highlighted(client_for, supervisor):
    article = ArticleFactory(text="<script>alert(1)</script> Xi Jinping spoke.")
    start = article.text.index("Xi")
    EntityMention.objects.create(article=article, label="PERSON", start=start, end=start + 10, text="Xi Jinping")
    page = client_for(supervisor).get(reverse("reading:article_detail", args=[article.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'class="m-ent ent-PERSON"' in page and ">Xi Jinping</span>" in page


def _meta_line(client, article) -> str:
    import re

    page = client.get(reverse("reading:article_detail", args=[article.pk])).content.decode()
    meta = re.search(r'<p class="meta">(.*?)</p>', page, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", meta).split())


def test_an_agency_byline_is_not_repeated_after_its_outlet(client_for, supervisor):
    agency = ArticleFactory(outlet__name="Xinhua", byline="Xinhua")
    person = ArticleFactory(outlet__name="Reuters", byline="Dmitry Antonov")
    client = client_for(supervisor)
    assert _meta_line(client, agency) == "Xinhua"
    assert _meta_line(client, person) == "Reuters · Dmitry Antonov"
