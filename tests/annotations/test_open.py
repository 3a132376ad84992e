"""Opening an article: the workspace answers with the text and both panels (quotes, entity suggestions) in one
response, in a bounded number of queries (issue 15: open an article with its annotations in one round trip)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.annotations import rendering
from apps.annotations.models import Annotation, EntityDecision, EntityMention, Theme
from apps.assignments.models import Assignment
from apps.quotes.models import Quote, Speaker
from tests.factories import AnnotationFactory, ArticleFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
WORDS = 300
# session, user with roles, article, queue with the assignment, themes, spans with their themes, entity mentions,
# quotes (PostgreSQL: the roles and span themes come as arrays with the user and the spans; elsewhere a query each)
SUPERVISOR_QUERIES = 8 if connection.vendor == "postgresql" else 10
ANALYST_QUERIES = SUPERVISOR_QUERIES + 1  # whether the analyst's decisions are blind (double annotation)
# their quote corrections and private quotes, the latest deletions, which confirmations are theirs to take back
BLIND_QUERIES = ANALYST_QUERIES + 4


def _article_with_layers(annotators, *, n_spans: int, analyst=None):
    """An article with spans of each annotator, entity suggestions in every state and live and deleted quotes
    (with speakers and the users who added, confirmed and deleted them)."""
    article = ArticleFactory(text=" ".join(f"word{i}" for i in range(WORDS)))
    themes = list(Theme.objects.all())
    through = Annotation.themes.through
    for i in range(n_spans):
        span = AnnotationFactory(article=article, annotator=annotators[i % len(annotators)], start=i * 7, end=i * 7 + 5)
        through.objects.create(annotation=span, theme=themes[i % len(themes)])
    statuses = ["suggested", "accepted", "rejected"]
    for i in range(n_spans):
        start = i * 7
        EntityMention.objects.create(
            article=article,
            label=["ORG", "GPE"][i % 2],
            start=start,
            end=start + 4,
            text=article.text[start : start + 4],
            status=statuses[i % 3],
        )
    user = annotators[0]
    for i in range(max(5, n_spans // 4)):
        start = 100 + i * 13
        Quote.objects.create(
            article=article,
            speaker=Speaker.objects.create(name=f"Speaker {i}"),
            start=start,
            end=start + 9,
            text=article.text[start : start + 9],
            confirmed=bool(i % 2),
            confirmed_by=user if i % 2 else None,
            created_by=user if i % 3 == 0 else None,
            deleted_at=timezone.now() - timedelta(minutes=1) if i % 5 == 4 else None,
            deleted_by=user if i % 5 == 4 else None,
        )
    return article


def _open(client, article, django_assert_max_num_queries, limit: int) -> str:
    with django_assert_max_num_queries(limit):
        response = client.get(reverse("annotations:workspace", args=[article.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_workspace_draws_its_quotes_and_entity_panels_in_the_first_response(
    client_for, supervisor, analyst, themes, django_assert_max_num_queries
):
    article = _article_with_layers([supervisor, analyst], n_spans=8)
    Assignment.objects.create(article=article, analyst=supervisor)
    html = _open(client_for(supervisor), article, django_assert_max_num_queries, SUPERVISOR_QUERIES)

    # nothing is left for htmx to load as soon as the page is there
    assert not re.search(r'hx-trigger="load\b', html)
    # the quotes panel, with its refresh URL kept for changes made elsewhere
    panel = html[html.index('<aside id="quotes-panel"') :]
    assert f'hx-get="{reverse("quotes:panel", args=[article.pk])}" hx-trigger="quoteChanged from:body"' in panel
    live = Quote.objects.filter(article=article, deleted_at__isnull=True)
    assert panel.count('class="qp-quote') == live.count()
    assert "Deleted quotes (" in panel and "Undo" in panel  # the supervisor's own recent deletion
    # the entity panel as its own URL draws it (one source for both)
    alone = client_for(supervisor).get(reverse("annotations:entity_panel", args=[article.pk]), **HTMX)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    drawn = html[html.index('<section id="entity-panel"') :]
    drawn = drawn[: drawn.index("</section>") + len("</section>")]
    assert token.sub("", drawn) == token.sub("", alone.content.decode())
    assert 'class="ent-group" data-label="ORG"' in drawn and 'class="ent-group" data-label="GPE"' in drawn
    # the quote and entity layers of the text are the panels' rows
    marked = set(" ".join(re.findall(r'data-m="([^"]+)"', html)).split())
    assert {f"q{q.pk}" for q in live} <= marked
    shown = EntityMention.objects.filter(article=article).exclude(status="rejected")
    assert {k for k in marked if k.startswith("e")} == {f"e{m.pk}" for m in shown}


@pytest.mark.parametrize("n_spans", [4, 60])
def test_opening_an_article_takes_the_same_few_queries_whatever_its_size(
    client_for, supervisor, analyst, themes, django_assert_max_num_queries, n_spans
):
    article = _article_with_layers([supervisor, analyst], n_spans=n_spans)
    Assignment.objects.create(article=article, analyst=analyst)
    html = _open(client_for(supervisor), article, django_assert_max_num_queries, SUPERVISOR_QUERIES)
    assert html.count('class="span-row') == n_spans
    html = _open(client_for(analyst), article, django_assert_max_num_queries, ANALYST_QUERIES)
    assert html.count('class="span-row') == n_spans // 2  # their own spans only
    assert "Submit for review" in html


def test_under_blind_double_annotation_the_panels_show_the_analysts_own_decisions(
    client_for, analyst, other_analyst, themes, django_assert_max_num_queries
):
    article = _article_with_layers([analyst], n_spans=6)
    Assignment.objects.create(article=article, analyst=analyst)
    Assignment.objects.create(article=article, analyst=other_analyst)
    mention = EntityMention.objects.filter(article=article, status="suggested").first()
    EntityDecision.objects.create(mention=mention, analyst=analyst, status="rejected", decided_at=timezone.now())
    html = _open(client_for(analyst), article, django_assert_max_num_queries, BLIND_QUERIES)
    drawn = html[html.index('<section id="entity-panel"') :]
    assert f'id="ent-{mention.pk}"' not in drawn  # their own rejection, not the shared "suggested"
    other = _open(client_for(other_analyst), article, django_assert_max_num_queries, BLIND_QUERIES)
    assert f'id="ent-{mention.pk}"' in other[other.index('<section id="entity-panel"') :]


def test_the_picker_is_a_tree_of_active_themes(themes):
    parent, child, orphan, off = Theme.objects.order_by("id")[:4]
    child.parent = parent
    child.save()
    off.active = False
    off.save()
    orphan.parent = off  # its parent is inactive: it stands at the top level
    orphan.save()
    html = rendering.picker_html(list(Theme.objects.order_by("id")))
    ids = [int(i) for i in re.findall(r'data-theme="(\d+)"', html)]
    assert ids[:3] == [parent.pk, child.pk, orphan.pk] and off.pk not in ids
    assert len(ids) == Theme.objects.filter(active=True).count()
    assert f'id="picker-t{child.pk}" class="child"' in html
    assert f'data-name="{child.name.lower()} {parent.name.lower()}"' in html
    assert f'id="picker-t{orphan.pk}" class=""' in html


def test_the_panels_built_in_python_escape_what_users_and_articles_wrote(client_for, supervisor, themes):
    """The entity panel and the picker are drawn by Python, not by a template: every text in them is escaped."""
    evil = '<img src=x onerror="alert(1)">'
    article = ArticleFactory(text=f"{evil} met the envoy.")
    EntityMention.objects.create(
        article=article, label="ORG", start=0, end=len(evil), text=evil, status=EntityMention.Status.SUGGESTED
    )
    theme = Theme.objects.first()
    theme.name, theme.description, theme.shortcut = evil, f"{evil} & more", "<"
    theme.save()
    Assignment.objects.create(article=article, analyst=supervisor)
    html = client_for(supervisor).get(reverse("annotations:workspace", args=[article.pk])).content.decode()
    assert evil not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html[html.index('<section id="entity-panel"') :]
    picker = rendering.picker_html([theme])
    assert evil not in picker and "&lt;img" in picker and 'data-key="&lt;"' in picker
