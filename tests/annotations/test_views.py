import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.annotations.models import Annotation, EntityMention, Theme
from apps.assignments.models import Assignment
from tests.annotations.conftest import span_of
from tests.factories import AnnotationFactory, ArticleFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def workspace_url(article):
    return reverse("annotations:workspace", args=[article.pk])


def create(client, article, phrase, theme_ids, **extra):
    start, end = span_of(article, phrase)
    return client.post(
        reverse("annotations:span_create", args=[article.pk]),
        {"start": start, "end": end, "theme": theme_ids, **extra},
        **HTMX,
    )


# --- access ---------------------------------------------------------------------------------------------------------


def test_assigned_analyst_opens_the_workspace(client_for, analyst, article, assigned, themes):
    response = client_for(analyst).get(workspace_url(article))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="article-text"' in html and "Xi Jinping met Vladimir Putin" in html
    assert "Submit for review" in html
    assert f'data-create-url="{reverse("annotations:span_create", args=[article.pk])}"' in html


def test_unassigned_analyst_gets_403_for_reading_and_writing(client_for, other_analyst, article, assigned, themes):
    client = client_for(other_analyst)
    assert client.get(workspace_url(article)).status_code == 403
    assert create(client, article, "Moscow", [themes[0].id]).status_code == 403
    assert client.get(reverse("annotations:workspace_text", args=[article.pk])).status_code == 403
    assert not Annotation.objects.exists()


def test_missing_article_is_404(client_for, supervisor):
    assert client_for(supervisor).get(reverse("annotations:workspace", args=[987654])).status_code == 404


def test_analyst_who_once_annotated_but_lost_the_assignment_can_read_but_not_write(
    client_for, analyst, article, themes
):
    AnnotationFactory(article=article, annotator=analyst, start=0, end=10)
    client = client_for(analyst)
    response = client.get(workspace_url(article))
    assert response.status_code == 200
    assert "not assigned to you" in response.content.decode()
    assert create(client, article, "Moscow", [themes[0].id]).status_code == 403


def test_supervisor_sees_every_analysts_spans_and_analysts_only_their_own(
    client_for, analyst, other_analyst, supervisor, article, assigned, themes
):
    Assignment.objects.create(article=article, analyst=other_analyst)
    AnnotationFactory(article=article, annotator=other_analyst, start=0, end=10, note="bob's note")
    html = client_for(analyst).get(workspace_url(article)).content.decode()
    assert "bob&#x27;s note" not in html and "bob's note" not in html
    client = client_for(supervisor)
    html = client.get(workspace_url(article)).content.decode()
    assert "bob&#x27;s note" in html
    assert 'data-layer="other"' in html


def test_analyst_cannot_open_or_edit_another_analysts_span(client_for, analyst, other_analyst, article, assigned):
    Assignment.objects.create(article=article, analyst=other_analyst)
    span = AnnotationFactory(article=article, annotator=other_analyst, start=0, end=10)
    client = client_for(analyst)
    assert client.get(reverse("annotations:span", args=[span.pk]), **HTMX).status_code == 403
    response = client.post(reverse("annotations:span", args=[span.pk]), {"version": 1, "note": "mine now"}, **HTMX)
    assert response.status_code == 403
    assert client.post(reverse("annotations:span_delete", args=[span.pk]), {"version": 1}, **HTMX).status_code == 403
    assert Annotation.objects.get(pk=span.pk).note == ""


# --- creating -------------------------------------------------------------------------------------------------------


def test_create_span_answers_with_only_the_changed_paragraph_and_row(client_for, analyst, article, assigned, themes):
    response = create(client_for(analyst), article, "strategic partnership", [themes[6].id])
    assert response.status_code == 201
    span = Annotation.objects.get()
    assert span.text == "strategic partnership"
    html = response.content.decode()
    # the paragraph holding the span (index 2), out of band, and nothing else from the text
    assert re.findall(r'<p id="p(\d+)"[^>]*hx-swap-oob="true"', html) == ["2"]
    assert f'data-m="a{span.pk}"' in html
    assert f'<div hx-swap-oob="afterbegin:#span-list"><li id="s{span.pk}"' in html
    assert 'id="ws-progress"' in html and "spanChanged" in response["HX-Trigger"]


def test_second_span_row_is_inserted_after_its_predecessor(client_for, analyst, article, assigned, themes):
    client = client_for(analyst)
    create(client, article, "Xi Jinping", [themes[0].id])
    first = Annotation.objects.get()
    response = create(client, article, "Moscow", [themes[1].id])
    assert f'hx-swap-oob="afterend:#s{first.pk}"' in response.content.decode()


def test_first_edit_moves_the_assignment_to_in_progress(client_for, analyst, article, assigned, themes):
    create(client_for(analyst), article, "Moscow", [themes[0].id])
    assigned.refresh_from_db()
    assert assigned.state == "in_progress"


@pytest.mark.parametrize(
    "values,message",
    [
        ({"start": "abc", "end": "4"}, "whole numbers"),
        ({"start": "-3", "end": "4"}, "0 <= start < end"),
        ({"start": "5", "end": "100000"}, "0 <= start < end"),
        ({"start": "9", "end": "9"}, "0 <= start < end"),
        ({"start": "0", "end": "4", "theme": "424242"}, "Unknown theme"),
        ({"start": "0", "end": "4", "theme": "x"}, "numeric id"),
    ],
)
def test_forged_offsets_or_themes_get_400_with_a_message(
    client_for, analyst, article, assigned, themes, values, message
):
    response = client_for(analyst).post(reverse("annotations:span_create", args=[article.pk]), values, **HTMX)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.content.decode()
    assert not Annotation.objects.exists()


def test_submitted_work_is_read_only_for_the_analyst(client_for, analyst, article, assigned, themes):
    assigned.state = "submitted"
    assigned.save()
    client = client_for(analyst)
    assert create(client, article, "Moscow", [themes[0].id]).status_code == 403
    html = client.get(workspace_url(article)).content.decode()
    assert "read-only" in html and "Submit for review" not in html


# --- editing --------------------------------------------------------------------------------------------------------


def test_edit_themes_and_note_then_a_stale_tab_is_refused_with_the_current_state(
    client_for, analyst, article, assigned, themes
):
    client = client_for(analyst)
    create(client, article, "Moscow", [themes[0].id])
    span = Annotation.objects.get()
    url = reverse("annotations:span", args=[span.pk])
    editor = client.get(url, **HTMX)
    assert editor.status_code == 200 and 'name="version" value="1"' in editor.content.decode()
    ok = client.post(
        url, {"version": 1, "themes_present": 1, "theme": [themes[0].id, themes[1].id], "note": "Venue matters"}, **HTMX
    )
    assert ok.status_code == 200 and "Saved." in ok.content.decode()
    assert f'<li hx-swap-oob="true" id="s{span.pk}"' in ok.content.decode()
    span.refresh_from_db()
    assert span.note == "Venue matters" and span.version == 2
    assert set(span.themes.values_list("id", flat=True)) == {themes[0].id, themes[1].id}

    stale = client.post(url, {"version": 1, "themes_present": 1, "theme": [], "note": "from the old tab"}, **HTMX)
    assert stale.status_code == 409
    body = stale.content.decode()
    assert "changed elsewhere" in body and "Venue matters" in body and 'name="version" value="2"' in body
    span.refresh_from_db()
    assert span.note == "Venue matters" and span.themes.count() == 2


def test_delete_then_undo(client_for, analyst, article, assigned, themes):
    client = client_for(analyst)
    create(client, article, "Moscow", [themes[0].id])
    span = Annotation.objects.get()
    response = client.post(reverse("annotations:span_delete", args=[span.pk]), {"version": 1}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<li id="s{span.pk}" hx-swap-oob="delete">' in html and "Undo" in html
    assert f"a{span.pk}" not in html.split('hx-swap-oob="delete"')[0].split("<p id=")[1]
    span.refresh_from_db()
    assert span.deleted_at and span.deleted_by == analyst
    assert client.get(reverse("annotations:span", args=[span.pk]), **HTMX).status_code == 404
    restored = client.post(reverse("annotations:span_restore", args=[span.pk]), **HTMX)
    assert restored.status_code == 200 and "Span restored." in restored.content.decode()
    span.refresh_from_db()
    assert span.deleted_at is None


def test_deleting_with_a_stale_version_is_refused(client_for, analyst, article, assigned):
    span = AnnotationFactory(article=article, annotator=analyst, start=0, end=10, version=3)
    response = client_for(analyst).post(reverse("annotations:span_delete", args=[span.pk]), {"version": 2}, **HTMX)
    assert response.status_code == 409
    assert "Nothing was deleted" in response.content.decode()
    assert Annotation.objects.get(pk=span.pk).deleted_at is None


# --- escaping and CSP -----------------------------------------------------------------------------------------------


def test_script_in_article_text_and_note_is_shown_as_text(client_for, analyst, themes):
    article = ArticleFactory(text="Before <script>alert('x')</script> after & more.")
    Assignment.objects.create(article=article, analyst=analyst)
    AnnotationFactory(article=article, annotator=analyst, start=0, end=6, note="<script>alert(1)</script>")
    response = client_for(analyst).get(workspace_url(article))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_page_has_a_csp_and_no_inline_script(client_for, analyst, article, assigned, themes):
    response = client_for(analyst).get(workspace_url(article))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    html = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts)
    assert not re.search(r"\son[a-z]+\s*=", html) and "hx-on" not in html


# --- query counts -----------------------------------------------------------------------------------------------------


def _render_queries(client, article):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(workspace_url(article)).status_code == 200
    return len(ctx.captured_queries)


def test_workspace_query_count_does_not_grow_with_spans(client_for, supervisor, analyst, themes):
    article = ArticleFactory(text=" ".join(f"word{i}" for i in range(400)))
    Assignment.objects.create(article=article, analyst=supervisor)
    client = client_for(supervisor)
    through = Annotation.themes.through

    def add_spans(numbers):
        for i in numbers:
            span = AnnotationFactory(
                article=article, annotator=analyst if i % 2 else supervisor, start=i * 7, end=i * 7 + 5
            )
            through.objects.create(annotation=span, theme=themes[i % 5])
            EntityMention.objects.create(
                article=article, label="ORG", start=i * 7, end=i * 7 + 3, text=article.text[i * 7 : i * 7 + 3]
            )

    add_spans(range(2))
    few = _render_queries(client, article)
    add_spans(range(2, 60))
    many = _render_queries(client, article)
    assert many == few, f"{few} queries with 2 spans, {many} with 60"


# --- entities -------------------------------------------------------------------------------------------------------


def test_accept_and_reject_entities_one_by_one_and_by_label(client_for, analyst, article, assigned):
    xi = EntityMention.objects.create(article=article, label="PERSON", start=0, end=10, text="Xi Jinping")
    putin = EntityMention.objects.create(article=article, label="PERSON", start=15, end=29, text="Vladimir Putin")
    moscow = EntityMention.objects.create(article=article, label="GPE", start=33, end=39, text="Moscow")
    client = client_for(analyst)
    panel = client.get(reverse("annotations:entity_panel", args=[article.pk]), **HTMX)
    assert "Accept all PERSON" in panel.content.decode()
    response = client.post(reverse("annotations:entity_decide", args=[xi.pk]), {"status": "rejected"}, **HTMX)
    assert response.status_code == 200 and 'id="entity-panel"' in response.content.decode()
    assert f"e{xi.pk}" not in response.content.decode().split('<p id="p0"')[1]
    response = client.post(
        reverse("annotations:entity_panel", args=[article.pk]), {"label": "PERSON", "status": "accepted"}, **HTMX
    )
    assert "entitiesChanged" in response["HX-Trigger"]
    statuses = {m.pk: m.status for m in EntityMention.objects.all()}
    assert statuses == {xi.pk: "rejected", putin.pk: "accepted", moscow.pk: "suggested"}
    bad = client.post(reverse("annotations:entity_decide", args=[moscow.pk]), {"status": "maybe"}, **HTMX)
    assert bad.status_code == 400


# --- submit and queue -------------------------------------------------------------------------------------------------


def test_submit_for_review_and_resubmitting_is_a_clear_400(client_for, analyst, article, assigned, themes):
    client = client_for(analyst)
    create(client, article, "Moscow", [themes[0].id])
    response = client.post(reverse("annotations:submit", args=[article.pk]), **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"]
    assigned.refresh_from_db()
    assert assigned.state == "submitted"
    again = client.post(reverse("annotations:submit", args=[article.pk]), **HTMX)
    assert again.status_code == 400 and "cannot become submitted" in again.content.decode()


def test_previous_and_next_links_follow_my_queue(client_for, analyst):
    articles = [ArticleFactory() for _ in range(3)]
    for a in articles:
        Assignment.objects.create(article=a, analyst=analyst)
    html = client_for(analyst).get(workspace_url(articles[1])).content.decode()
    assert f'rel="prev" href="{workspace_url(articles[0])}"' in html
    assert f'rel="next" href="{workspace_url(articles[2])}"' in html
    assert "2 of 3 in my queue" in html


def test_quotes_layer_and_panel_are_part_of_the_workspace(client_for, supervisor, article):
    from apps.quotes.models import Quote, Speaker

    xi = Speaker.objects.create(name="Xi Jinping")
    Quote.objects.create(article=article, speaker=xi, start=64, end=80, text=article.text[64:80])
    html = client_for(supervisor).get(workspace_url(article)).content.decode()
    assert 'title="Quote: Xi Jinping"' in html
    assert f'hx-get="{reverse("quotes:panel", args=[article.pk])}"' in html
    assert f'data-quote-url="{reverse("quotes:quote_create", args=[article.pk])}"' in html


# --- themes ---------------------------------------------------------------------------------------------------------


def test_theme_pages_are_for_supervisors_only(client_for, analyst, themes):
    client = client_for(analyst)
    assert client.get(reverse("annotations:theme_list")).status_code == 403
    assert client.post(reverse("annotations:theme_set_active", args=[themes[0].pk]), {"active": "0"}).status_code == 403


def test_supervisor_creates_edits_reorders_and_deactivates_a_theme(client_for, supervisor, analyst, article, themes):
    client = client_for(supervisor)
    response = client.post(
        reverse("annotations:theme_list"),
        {
            "name": "Belt and Road",
            "description": "BRI projects",
            "colour": "#AA3377",
            "shortcut": "b",
            "parent": "",
        },
    )
    assert response.status_code == 302
    theme = Theme.objects.get(name="Belt and Road")
    assert theme.slug == "belt-and-road" and theme.colour == "#aa3377" and theme.order > themes[-1].order

    taken = client.post(reverse("annotations:theme_list"), {"name": "X", "colour": "#000000", "shortcut": "1"})
    assert taken.status_code == 400 and "already the shortcut" in taken.content.decode()
    reserved = client.post(reverse("annotations:theme_list"), {"name": "Y", "colour": "#000000", "shortcut": "q"})
    assert reserved.status_code == 400

    client.post(
        reverse("annotations:theme_edit", args=[theme.pk]),
        {"name": "Belt and Road Initiative", "colour": "#aa3377", "shortcut": "b", "parent": themes[7].pk},
    )
    theme.refresh_from_db()
    assert theme.name == "Belt and Road Initiative" and theme.parent == themes[7]

    client.post(reverse("annotations:theme_move", args=[theme.pk]), {"direction": "up"})
    order = list(Theme.objects.values_list("id", flat=True))
    assert order.index(theme.pk) == len(order) - 2

    span = AnnotationFactory(article=article, annotator=analyst, start=0, end=10)
    span.themes.add(theme)
    client.post(reverse("annotations:theme_set_active", args=[theme.pk]), {"active": "0"})
    theme.refresh_from_db()
    assert not theme.active
    assert list(span.themes.all()) == [theme]  # deactivated themes keep their spans
    html = client.get(workspace_url(article)).content.decode()
    picker = html.split('id="picker-list"')[1].split("</ul>")[0]
    assert "Belt and Road" not in picker
    assert f'<span class="chip t{theme.pk} off">Belt and Road Initiative</span>' in html


def test_theme_list_shows_the_order_after_a_move(client_for, supervisor, themes):
    """The list annotates span counts (a GROUP BY, where Meta.ordering does not apply): it must still follow order."""
    client = client_for(supervisor)
    client.post(reverse("annotations:theme_move", args=[themes[0].pk]), {"direction": "down"})
    html = client.get(reverse("annotations:theme_list")).content.decode()
    rows = re.findall(r'<tr id="theme-(\d+)"', html)
    assert [int(pk) for pk in rows[:2]] == [themes[1].pk, themes[0].pk]


def test_a_theme_cannot_become_its_own_ancestor(client_for, supervisor, themes):
    child = themes[1]
    child.parent = themes[0]
    child.save()
    response = client_for(supervisor).post(
        reverse("annotations:theme_edit", args=[themes[0].pk]),
        {"name": themes[0].name, "colour": "#4e79a7", "parent": child.pk},
    )
    assert response.status_code == 400


def test_long_span_lists_load_their_tail_separately(client_for, analyst, themes):
    from apps.annotations.views import SPAN_LIST_FIRST

    article = ArticleFactory(text=" ".join(f"w{i}" for i in range(SPAN_LIST_FIRST + 50)))
    Assignment.objects.create(article=article, analyst=analyst)
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", article.text)]
    Annotation.objects.bulk_create(
        [
            Annotation(article=article, annotator=analyst, start=s, end=e, text=article.text[s:e])
            for s, e in words[: SPAN_LIST_FIRST + 5]
        ]
    )
    client = client_for(analyst)
    html = client.get(workspace_url(article)).content.decode()
    assert html.count('class="span-row"') == SPAN_LIST_FIRST and "Loading 5 more spans" in html
    rest = client.get(reverse("annotations:span_list", args=[article.pk]) + f"?offset={SPAN_LIST_FIRST}")
    assert rest.content.decode().count('class="span-row"') == 5


def test_returned_work_points_the_analyst_to_the_supervisors_comments(
    client_for, analyst, supervisor, article, assigned
):
    from apps.assignments.services import assignment_submit, assignment_transition

    feedback = reverse("review:feedback", args=[article.pk])
    client = client_for(analyst)
    assert "Returned for changes" not in client.get(workspace_url(article)).content.decode()
    assignment_submit(assignment=assigned, actor=analyst)
    assignment_transition(assignment=assigned, to_state="changes_requested", actor=supervisor, comment="More themes")
    html = client.get(workspace_url(article)).content.decode()
    assert "Returned for changes" in html and f'href="{feedback}"' in html


def test_workspace_text_also_refreshes_the_quote_count(client_for, analyst, article, assigned):
    from apps.quotes.models import Quote

    client = client_for(analyst)
    assert 'id="quote-count">0<' in client.get(workspace_url(article)).content.decode()
    start, end = span_of(article, "Moscow")
    Quote.objects.create(article=article, start=start, end=end, text="Moscow")
    html = client.get(reverse("annotations:workspace_text", args=[article.pk]), **HTMX).content.decode()
    assert '<span id="quote-count" hx-swap-oob="true">1</span>' in html
