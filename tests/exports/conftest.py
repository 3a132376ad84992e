"""A small corpus with every kind of row an export has to carry."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import timezone

from apps.annotations.models import EntityMention
from apps.assignments.models import AssignmentEvent
from apps.ingest.models import ImportBatch
from apps.quotes.models import Quote, Speaker, SpeakerAlias
from apps.review.models import ArticleComment, ReviewDecision
from apps.review.services import gold_span_put
from tests.factories import AnnotationFactory, ArticleFactory, AssignmentFactory, OutletFactory, ThemeFactory

TEXT_A = (
    'Leaders met in Moscow on Friday. "We oppose unilateralism and bullying," Xi said. Trade grew fast!\n'
    "A second paragraph talks about sanctions."
)
TEXT_B = "TASS reported that the talks went well. Ukraine was not discussed."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Users are made in every test here; the production hasher would spend ~0.3 s on each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def span(article, fragment, *, annotator, themes=(), gold_by=None, **kwargs):
    """An analyst span; an accepted one is also in the gold layer (as review puts it there), adjudicated by
    ``gold_by`` (default: the annotator)."""
    start = article.text.index(fragment)
    ann = AnnotationFactory(article=article, annotator=annotator, start=start, end=start + len(fragment), **kwargs)
    ann.themes.set(themes)
    if kwargs.get("status") == "accepted":
        ann.gold = gold_span_put(
            article=article,
            start=ann.start,
            end=ann.end,
            theme_ids=[t.pk for t in themes],
            sources=[ann],
            origin="chosen",
            actor=gold_by or annotator,
        )
    return ann


@pytest.fixture
def corpus(db, analyst, other_analyst, supervisor):
    xinhua, tass = OutletFactory(name="Xinhua"), OutletFactory(name="TASS")
    a = ArticleFactory(
        outlet=xinhua,
        title="Xi in Moscow",
        text=TEXT_A,
        published=dt.date(2025, 5, 8),
        url="https://example.org/a",
        metadata={"captions": ["Xi and Putin"]},
    )
    b = ArticleFactory(outlet=tass, title="Talks went well", text=TEXT_B, published=dt.date(2025, 6, 1))
    parent = ThemeFactory(name="Order", slug="order")
    unilateral = ThemeFactory(name="Unilateralism and bullying", slug="unilateralism", parent=parent, order=1)
    trade = ThemeFactory(name="Economic cooperation", slug="economy", order=2)
    xi = Speaker.objects.create(name="Xi Jinping", role="Chinese President")
    old = Speaker.objects.create(name="Xi", merged_into=xi)
    SpeakerAlias.objects.create(speaker=xi, alias="Xi", alias_key="xi")
    quote_text = "We oppose unilateralism and bullying,"
    q_start = TEXT_A.index(quote_text)
    quote = Quote.objects.create(
        article=a,
        speaker=xi,
        start=q_start,
        end=q_start + len(quote_text),
        text=quote_text,
        kind="direct",
        cue="said",
        cue_start=TEXT_A.index("said"),
        cue_end=TEXT_A.index("said") + 4,
        speaker_mention="Xi",
        confidence=0.875,
        confirmed=True,
        confirmed_by=supervisor,
    )
    EntityMention.objects.create(
        article=a,
        label="GPE",
        start=15,
        end=21,
        text="Moscow",
        status="accepted",
        decided_by=analyst,
        decided_at=timezone.now(),
    )
    EntityMention.objects.create(
        article=a, label="PERSON", start=TEXT_A.index("Xi said"), end=TEXT_A.index("Xi said") + 2, text="Xi"
    )
    in_quote = span(
        a,
        "unilateralism and bullying",
        annotator=analyst,
        themes=[unilateral, parent],
        status="accepted",
        note="=core frame",
        gold_by=supervisor,
    )
    trade_span = span(a, "Trade grew fast", annotator=other_analyst, themes=[trade])
    deleted = span(a, "Leaders met", annotator=analyst, themes=[parent], deleted_at=timezone.now(), deleted_by=analyst)
    untagged = span(a, "second paragraph", annotator=analyst)
    rejected = span(b, "Ukraine was not discussed", annotator=other_analyst, themes=[unilateral], status="rejected")
    batch = ImportBatch.objects.create(
        created_by=supervisor,
        status="done",
        files=[{"name": "a.txt"}],
        total=1,
        created=1,
        results=[{"name": "a.txt", "created": 1}],
    )
    batch.articles.set([a])
    assignment = AssignmentFactory(
        article=a, analyst=analyst, assigned_by=supervisor, state="submitted", due_date=dt.date(2025, 7, 1)
    )
    AssignmentEvent.objects.create(
        assignment=assignment, actor=analyst, from_state="in_progress", to_state="submitted", comment="done"
    )
    decision = ReviewDecision.objects.create(
        annotation=in_quote,
        article=a,
        reviewer=supervisor,
        decision="accept",
        before={"status": "pending"},
        after={"status": "accepted"},
    )
    ArticleComment.objects.create(article=a, assignment=assignment, author=supervisor, body="Good work")
    return SimpleNamespace(
        xinhua=xinhua,
        tass=tass,
        a=a,
        b=b,
        parent=parent,
        unilateral=unilateral,
        trade=trade,
        xi=xi,
        old=old,
        quote=quote,
        in_quote=in_quote,
        gold=in_quote.gold,
        trade_span=trade_span,
        deleted=deleted,
        untagged=untagged,
        rejected=rejected,
        batch=batch,
        assignment=assignment,
        decision=decision,
    )
