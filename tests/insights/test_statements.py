"""One statement across outlets, on the seed articles (Xinhua and Reuters on Xi's 8 May 2025 talks in Moscow)."""

from itertools import combinations

import pytest
from django.urls import reverse

from apps.insights.filters import Filters
from apps.insights.statements import THRESHOLD, group_of, marked_differences, similarity, statement_groups
from apps.quotes.models import Quote


def _quote(fragment):
    return Quote.objects.get(text__startswith=fragment, deleted_at__isnull=True)


@pytest.fixture
def xi_unilateralism(seed_articles):
    xinhua = Quote.objects.filter(
        article__outlet__name="Xinhua", speaker__name="Xi Jinping", text__contains="countercurrent of unilateralism"
    ).get()
    reuters = Quote.objects.filter(article__outlet__name="Reuters", text__contains="unilateralism and bullying").get()
    return xinhua, reuters


def test_the_threshold_separates_renderings_from_unrelated_quotes_on_the_seeds(seed_articles):
    """Every pair of one speaker's quotes in different seed articles: the two Xinhua/Reuters renderings of Xi's
    remarks score 76.3 and 82.4; the best unrelated pair 70.6; THRESHOLD (73) lies between."""
    quotes = list(
        Quote.objects.filter(deleted_at__isnull=True, speaker__isnull=False).select_related("article__outlet")
    )
    scored = []
    for a, b in combinations(quotes, 2):
        if a.speaker_id == b.speaker_id and a.article_id != b.article_id:
            scored.append((similarity(a.text, b.text), a, b))
    verbatim = [
        s for s, a, b in scored if s == 100
    ]  # the second Xinhua article repeats 11 sentences (one with a comma more)
    cross = sorted(
        round(s, 1)
        for s, a, b in scored
        if {a.article.outlet.name, b.article.outlet.name} == {"Xinhua", "Reuters"} and s >= THRESHOLD
    )
    unrelated = max(round(s, 1) for s, a, b in scored if s < THRESHOLD)
    assert len(scored) == 736 and len(verbatim) == 11
    assert cross == [76.3, 82.4]
    assert unrelated == 70.6 < THRESHOLD < 76.3


def test_the_xinhua_and_reuters_renderings_of_one_xi_remark_form_a_group(xi_unilateralism):
    xinhua, reuters = xi_unilateralism
    group = group_of(xinhua)
    assert {q.pk for q in group.quotes} == {xinhua.pk, reuters.pk}
    assert group.outlets == ["Reuters", "Xinhua"] and group.first == reuters  # Reuters: 8 May, Xinhua: 9 May
    groups = statement_groups(Filters())
    assert {frozenset(g.outlets) for g in groups} == {frozenset({"Reuters", "Xinhua"})}
    assert len(groups) == 2  # the unilateralism remark and the WWII-history remark
    assert len(statement_groups(Filters(), across_outlets=False)) == 2 + 11  # plus the Xinhua repeats


def test_differences_are_marked_word_by_word():
    marked = marked_differences(
        "they would counter unilateralism and <bullying>", "We oppose unilateralism and bullying"
    )
    assert str(marked) == (
        '<mark class="m-diff">they</mark> <mark class="m-diff">would</mark> '
        '<mark class="m-diff">counter</mark> unilateralism and &lt;bullying&gt;'
    )


def test_the_group_page_shows_both_renderings_side_by_side(xi_unilateralism, client_for, supervisor):
    xinhua, _reuters = xi_unilateralism
    response = client_for(supervisor).get(reverse("insights:statement", args=[xinhua.pk]))
    renderings = response.context["renderings"]
    assert [r.quote.article.outlet.name for r in renderings] == ["Reuters", "Xinhua"]
    assert [r.quote.get_kind_display() for r in renderings] == ["Mixed", "Indirect"]
    assert renderings[0].first and not renderings[1].first
    body = response.content.decode()
    assert 'data-testid="first-publisher">Reuters<' in body and "reported" in body


def test_the_pruned_pairs_are_exactly_the_pairs_at_or_above_the_threshold():
    from apps.insights.statements import linked_pairs

    texts = [
        "China will work with Russia against unilateralism and bullying",
        "the two countries would counter unilateralism and bullying together",
        "Russia and China will work together against bullying and unilateralism",
        "Tariffs are senseless and illegal",
        "imposing high tariffs is senseless and illegal",
        "x",
    ]
    brute = [
        (i, j)
        for i in range(len(texts))
        for j in range(i + 1, len(texts))
        if similarity(texts[i], texts[j]) >= THRESHOLD
    ]
    assert linked_pairs(texts) == brute and brute  # not vacuous
    dense = texts[:3] * 6  # many similar quotes: the vectorised branch
    assert linked_pairs(dense) == [
        (i, j) for i in range(18) for j in range(i + 1, 18) if similarity(dense[i], dense[j]) >= THRESHOLD
    ]


def _shape(groups):
    return sorted((g.key, tuple(sorted(g.ids or (q.pk for q in g.quotes)))) for g in groups)


@pytest.mark.parametrize("across", [True, False])
def test_groups_from_the_links_table_equal_the_live_groups_on_the_seeds(seed_articles, across):
    """The refresh stores the links (same threshold, same week window); the page's groups from them are the live
    groups, and loading a page's quotes gives the same outlets and first rendering."""
    from apps.insights.statements import load_quotes
    from apps.insights.summaries import summaries_refresh

    summaries_refresh()
    live = statement_groups(Filters(), across_outlets=across)
    stored = statement_groups(Filters(), across_outlets=across, summary=True)
    assert _shape(stored) == _shape(live) and live
    load_quotes(stored)
    assert [(g.outlets, g.first.pk) for g in stored] == [(g.outlets, g.first.pk) for g in live]


def test_quotes_weeks_apart_are_not_compared():
    """Renderings of one statement appear within days: only the same or consecutive weeks are compared."""
    import datetime as dt

    from apps.insights.statements import linked_quote_pairs

    text = "China and Russia oppose unilateralism and bullying in all its forms"
    day = dt.date(2025, 5, 8)
    rows = [(1, text, 10, day), (2, text, 11, day + dt.timedelta(days=6)), (3, text, 12, day + dt.timedelta(days=30))]
    assert sorted(linked_quote_pairs(rows)) == [(1, 2)]
    assert linked_quote_pairs([(1, text, 10, day), (2, text, 10, day)]) == []  # same article: never a rendering


def test_a_quotes_group_from_the_links_is_its_live_group(xi_unilateralism):
    from apps.insights.summaries import summaries_refresh

    xinhua, reuters = xi_unilateralism
    summaries_refresh()
    stored = group_of(xinhua, summary=True)
    assert (
        sorted(q.pk for q in stored.quotes)
        == sorted(q.pk for q in group_of(xinhua).quotes)
        == sorted([xinhua.pk, reuters.pk])
    )
    assert stored.first == reuters


def test_the_statements_page_reads_the_stored_links_once_current(xi_unilateralism, client_for, supervisor):
    from apps.insights.summaries import summaries_refresh

    xinhua, reuters = xi_unilateralism
    summaries_refresh()
    response = client_for(supervisor).get(reverse("insights:statements"))
    groups = response.context["groups"]
    assert all(g.ids for g in groups) and len(groups) == 2  # from the links table, quotes loaded for the page
    group = next(g for g in groups if xinhua.pk in g.ids)
    assert group.outlets == ["Reuters", "Xinhua"] and group.first == reuters
    assert f"/insights/statements/{group.key}/" in response.content.decode()
