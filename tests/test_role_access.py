"""Every URL of every app, for each role: anonymous, the assigned analyst, another analyst, supervisor, admin.

The world: one article assigned to the analyst (in progress) with the analyst's span, a quote by a speaker, an
entity suggestion; a finished import batch. "Other" is an analyst with no assignment. An allowed role may get
a 200, a redirect or a 400 for an empty form; a refused one gets 403 or 404; nobody ever gets a 500.
"""

import pytest
from django.urls import reverse

from apps.annotations.models import EntityMention
from apps.assignments.models import Assignment
from apps.ingest.models import ImportBatch
from apps.quotes.models import Quote, Speaker, SpeakerAlias
from tests.factories import AnnotationFactory, ArticleFactory, UserFactory
from tests.test_url_access import NAMED

ANALYST, OTHER, SUPERVISOR, ADMIN = "analyst", "other", "supervisor", "admin"
EVERYONE = {ANALYST, OTHER, SUPERVISOR, ADMIN}
ON_ARTICLE = {ANALYST, SUPERVISOR, ADMIN}  # the article's analyst and the staff
STAFF = {SUPERVISOR, ADMIN}

# url name -> (HTTP method, roles allowed, the object its <pk> names)
ACCESS = {
    "reading:article_list": ("get", EVERYONE, None),
    "reading:article_detail": ("get", ON_ARTICLE, "article"),
    "annotations:start": ("get", EVERYONE, None),
    "annotations:workspace": ("get", ON_ARTICLE, None),
    "annotations:workspace_text": ("get", ON_ARTICLE, None),
    "annotations:span_list": ("get", ON_ARTICLE, None),
    "annotations:progress": ("get", ON_ARTICLE, None),
    "annotations:entity_panel": ("get", ON_ARTICLE, None),
    "annotations:span_create": ("post", ON_ARTICLE, None),
    "annotations:span_bulk_create": ("post", ON_ARTICLE, None),
    "annotations:submit": ("post", ON_ARTICLE, None),
    "annotations:span": ("get", ON_ARTICLE, "span"),
    "annotations:span_delete": ("post", {ANALYST, ADMIN}, "span"),  # a supervisor changes spans by review
    "annotations:span_restore": ("post", {ANALYST, ADMIN}, "span"),
    "annotations:entity_decide": ("post", ON_ARTICLE, "entity"),
    "annotations:entity_decide_surface": ("post", ON_ARTICLE, None),
    "annotations:analyst_decisions": ("get", STAFF, None),
    "annotations:theme_list": ("get", STAFF, None),
    "annotations:theme_edit": ("get", STAFF, "theme"),
    "annotations:theme_move": ("post", STAFF, "theme"),
    "annotations:theme_set_active": ("post", STAFF, "theme"),
    "codebook:index": ("get", EVERYONE, None),
    "codebook:theme": ("get", EVERYONE, "theme"),
    "quotes:panel": ("get", ON_ARTICLE, None),
    "quotes:quote_create": ("post", ON_ARTICLE, None),
    "quotes:quote_confirm": ("post", ON_ARTICLE, "quote"),
    "quotes:quote_unconfirm": ("post", ON_ARTICLE, "quote"),
    "quotes:quote_span": ("post", ON_ARTICLE, "quote"),
    "quotes:quote_speaker": ("post", ON_ARTICLE, "quote"),
    "quotes:quote_delete": ("post", ON_ARTICLE, "quote"),
    "quotes:quote_restore": ("post", ON_ARTICLE, "quote"),
    "quotes:quote_history": ("get", ON_ARTICLE, "quote"),
    "quotes:quote_edit": ("get", ON_ARTICLE, "quote"),
    "quotes:speaker_list": ("get", EVERYONE, None),
    "quotes:speaker_autocomplete": ("get", EVERYONE, None),
    "quotes:speaker_detail": ("get", ON_ARTICLE, "speaker"),  # only speakers quoted in an article you may read
    "quotes:speaker_edit": ("post", STAFF, "speaker"),
    "quotes:speaker_merge": ("post", STAFF, "speaker"),
    "quotes:speaker_split": ("post", STAFF, "speaker"),
    "quotes:speaker_alias_add": ("post", STAFF, "speaker"),
    "quotes:speaker_delete": ("post", STAFF, "speaker"),
    "quotes:speaker_alias_remove": ("post", STAFF, "speaker"),
    "ingest:upload": ("get", STAFF, None),
    "ingest:batch_detail": ("get", STAFF, "batch"),
    "ingest:batch_resume": ("post", STAFF, "batch"),
    "ingest:batch_confirm": ("post", STAFF, "batch"),
    "exports:page": ("get", STAFF, None),
    "exports:download": ("get", STAFF, None),
    "exports:speakers": ("get", STAFF, None),
    "review:dashboard": ("get", STAFF, None),
    "review:agreement": ("get", STAFF, None),
    "review:assign": ("get", STAFF, None),
    "review:queue": ("get", EVERYONE, None),
    "review:next": ("get", EVERYONE, None),
    "review:pull": ("post", EVERYONE, None),
    "review:submit": ("post", {ANALYST}, "assignment"),  # only the assigned analyst submits their work
    "review:assignment_decide": ("post", STAFF, "assignment"),
    "review:article": ("get", STAFF, None),
    "review:feedback": ("get", {ANALYST, SUPERVISOR, ADMIN}, None),  # staff are sent to the review page
    "review:comment_create": ("post", ON_ARTICLE, None),
    "review:span_decide": ("post", STAFF, None),
    "review:gold_decide": ("post", STAFF, None),
    "suggestions:article": ("get", ON_ARTICLE, None),
    "suggestions:panel": ("get", ON_ARTICLE, None),
    "suggestions:decide": ("post", ON_ARTICLE, None),
    "suggestions:layer": ("post", ON_ARTICLE, None),
    "suggestions:themes": ("get", STAFF, None),
    "insights:search": ("get", EVERYONE, None),  # over the articles each user may read
    "insights:themes": ("get", STAFF, None),
    "insights:compare": ("get", STAFF, None),
    "insights:spans": ("get", STAFF, None),
    "insights:speakers": ("get", STAFF, None),
    "insights:quotes": ("get", STAFF, None),
    "insights:statements": ("get", STAFF, None),
    "insights:statement": ("get", STAFF, "quote"),
    "insights:reliability": ("get", STAFF, None),
}


def test_every_url_has_a_row_in_the_access_table():
    names = {name for name, _ in NAMED if not name.startswith("accounts:")}
    assert names == set(ACCESS), f"missing: {names - set(ACCESS)}; stale: {set(ACCESS) - names}"


@pytest.fixture
def world(db, analyst, other_analyst, supervisor, admin_user, themes):
    article = ArticleFactory()
    assignment = Assignment.objects.create(article=article, analyst=analyst, state="in_progress")
    span = AnnotationFactory(article=article, annotator=analyst)
    speaker = Speaker.objects.create(name="Xi Jinping")
    alias = SpeakerAlias.objects.create(speaker=speaker, alias="Xi", alias_key="xi")
    quote = Quote.objects.create(article=article, speaker=speaker, start=0, end=5, text=article.text[:5])
    entity = EntityMention.objects.create(article=article, label="GPE", start=0, end=3, text=article.text[:3])
    return {
        "users": {ANALYST: analyst, OTHER: other_analyst, SUPERVISOR: supervisor, ADMIN: admin_user},
        "article": article,
        "assignment": assignment,
        "span": span,
        "speaker": speaker,
        "alias": alias,
        "quote": quote,
        "entity": entity,
        "theme": themes[0],
        "batch": ImportBatch.objects.create(status="done"),
    }


def _url(name: str, pattern, world) -> str:
    kwargs = {}
    for key in getattr(pattern.pattern, "converters", {}):
        if key == "pk":
            kwargs[key] = world[ACCESS[name][2]].pk
        elif key == "alias_id":
            kwargs[key] = world["alias"].pk
        elif key == "annotation_id":
            kwargs[key] = world["span"].pk
        else:
            kwargs[key] = world["article"].pk
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(
    "name,pattern", [(n, p) for n, p in NAMED if n in ACCESS], ids=[n for n, _ in NAMED if n in ACCESS]
)
def test_each_role_gets_what_the_access_table_says(client, world, name, pattern):
    method, allowed, _ = ACCESS[name]
    url = _url(name, pattern, world)
    for role in ["anonymous", ANALYST, OTHER, SUPERVISOR, ADMIN]:
        client.logout()
        alias = world["alias"]  # the one write an allowed empty request makes: bring the alias back
        SpeakerAlias.objects.get_or_create(
            pk=alias.pk, defaults={"speaker": alias.speaker, "alias": alias.alias, "alias_key": alias.alias_key}
        )
        if role != "anonymous":
            client.force_login(world["users"][role])
        # a refused request changes nothing; allowed ones get an empty form, so the world stays as it was
        response = getattr(client, method)(url, HTTP_HX_REQUEST="true")
        status = response.status_code
        assert status < 500, f"{method.upper()} {url} as {role}: {status}"
        if role == "anonymous":
            assert status in {302, 403} and response.get("Location", reverse("accounts:login")).startswith(
                reverse("accounts:login")
            ), f"{url} as anonymous: {status}"
        elif role in allowed:
            assert status not in {403, 404, 405}, f"{method.upper()} {url} as {role}: refused with {status}"
        else:
            assert status in {403, 404}, f"{method.upper()} {url} as {role}: {status}, expected a refusal"


def test_the_table_knows_a_refusal_when_it_sees_one(client, world):
    # the check above is not vacuous: a supervisor-only page refuses an analyst, with 403
    client.force_login(world["users"][ANALYST])
    assert client.get(reverse("review:dashboard")).status_code == 403
    client.force_login(UserFactory(username="nobody", role="Analyst"))
    assert client.get(reverse("annotations:workspace", args=[world["article"].pk])).status_code == 403
