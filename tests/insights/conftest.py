"""A small world for the insights figures, with every count computed by hand in the tests' docstrings."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.accounts.models import User
from apps.assignments.models import Assignment
from apps.quotes.models import Quote, Speaker
from apps.review.models import GoldSpan
from apps.review.services import review_decision_create
from tests.factories import AnnotationFactory, ArticleFactory, OutletFactory, ThemeFactory, UserFactory


def words(n: int, lead: str = "") -> str:
    body = " ".join(["word"] * (n - len(lead.split())))
    return f"{lead} {body}".strip()


def reviewer():
    """The supervisor whose review decisions build the gold layer in these fixtures."""
    return User.objects.filter(username="rev").first() or UserFactory(username="rev", role="Supervisor")


def span(article, fragment, annotator, themes, status="accepted", **kwargs):
    """An analyst's span; ``accepted`` / ``rejected`` ones are decided through the review services, as a supervisor
    would, so an accepted span also puts its gold span in the gold layer (a deleted span is never reviewed)."""
    start = article.text.index(fragment)
    reviewed = status in ("accepted", "rejected") and not kwargs.get("deleted_at")
    ann = AnnotationFactory(
        article=article,
        annotator=annotator,
        start=start,
        end=start + len(fragment),
        status="pending" if reviewed else status,
        **kwargs,
    )
    ann.themes.set(themes)
    if reviewed:
        review_decision_create(
            annotation_id=ann.pk,
            reviewer=reviewer(),
            decision="accept" if status == "accepted" else "reject",
            expected_version=ann.version,
            comment="" if status == "accepted" else "Not this theme.",
        )
        ann.refresh_from_db()
    return ann


def gold_of(*annotations):
    """The live gold spans made from these analyst spans."""
    return GoldSpan.objects.filter(deleted_at__isnull=True, sources__in=annotations).distinct()


def quote(article, fragment, speaker, kind):
    start = article.text.index(fragment)
    return Quote.objects.create(
        article=article, speaker=speaker, start=start, end=start + len(fragment), text=fragment, kind=kind
    )


@pytest.fixture
def figures(db):
    """Outlets Xinhua (3 articles: 100, 300, 200 words) and Reuters (1 article, 400 words); themes T1, T2.

    Spans (accepted through review unless said, so each accepted one is also a gold span): a1: s1 [T1, T2], s2 [T1], s3 pending [T1] (all ana, whose a1 work is submitted);
    a2: s4 rejected [T2] (bob, approved); a3: s5 [T2] (ana, in progress), s6 [T1] deleted; b1: s7 [T1] (ana, no
    assignment).
    """
    ana, bob = UserFactory(username="ana", role="Analyst"), UserFactory(username="bob", role="Analyst")
    xinhua, reuters = OutletFactory(name="Xinhua"), OutletFactory(name="Reuters")
    t1, t2 = ThemeFactory(name="Multipolarity", slug="t1", order=1), ThemeFactory(name="Sanctions", slug="t2", order=2)
    a1 = ArticleFactory(
        outlet=xinhua,
        title="A1",
        published=dt.date(2025, 1, 10),
        text=words(100, "Xi said multipolar order rises. Putin stressed trade. Sanctions hurt."),
    )
    a2 = ArticleFactory(outlet=xinhua, title="A2", published=dt.date(2025, 1, 20), text=words(300, "Tariffs rise."))
    a3 = ArticleFactory(outlet=xinhua, title="A3", published=dt.date(2025, 2, 5), text=words(200, "Energy deals grow."))
    b1 = ArticleFactory(
        outlet=reuters,
        title="B1",
        published=dt.date(2025, 1, 15),
        text=words(400, "Putin met Xi in Moscow. Talks went on."),
    )
    Assignment.objects.create(article=a1, analyst=ana, state="submitted")
    Assignment.objects.create(article=a2, analyst=bob, state="approved")
    Assignment.objects.create(article=a3, analyst=ana, state="in_progress")
    spans = {
        "s1": span(a1, "Xi said multipolar order rises.", ana, [t1, t2]),
        "s2": span(a1, "Putin stressed trade.", ana, [t1]),
        "s3": span(a1, "Sanctions hurt.", ana, [t1], status="pending"),
        "s4": span(a2, "Tariffs rise.", bob, [t2], status="rejected"),
        "s5": span(a3, "Energy deals grow.", ana, [t2]),
        "s6": span(a3, "deals", ana, [t1], deleted_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC)),
        "s7": span(b1, "Putin met Xi in Moscow.", ana, [t1]),
    }
    return {
        "ana": ana,
        "bob": bob,
        "xinhua": xinhua,
        "reuters": reuters,
        "t1": t1,
        "t2": t2,
        "a1": a1,
        "a2": a2,
        "a3": a3,
        "b1": b1,
        **spans,
    }


@pytest.fixture
def voices(figures):
    """Quotes. Xinhua a1: Xi direct, Xi direct, Xi reported, Putin mixed; Reuters b1: Xi reported, Putin reported
    twice, one unattributed direct. s1 [T1, T2] (accepted) overlaps Xi's first quote in a1."""
    xi, putin = Speaker.objects.create(name="Xi Jinping"), Speaker.objects.create(name="Vladimir Putin")
    a1, b1 = figures["a1"], figures["b1"]
    return {
        "xi": xi,
        "putin": putin,
        "quotes": [
            quote(a1, "multipolar order", xi, "direct"),
            quote(a1, "order rises", xi, "direct"),
            quote(a1, "word word", xi, "indirect"),
            quote(a1, "stressed trade", putin, "mixed"),
            quote(b1, "met Xi", xi, "indirect"),
            quote(b1, "in Moscow", putin, "indirect"),
            quote(b1, "Talks went", putin, "indirect"),
            quote(b1, "went on", None, "direct"),
        ],
    }
