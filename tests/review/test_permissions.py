"""Every review URL for every role: anonymous, the assigned analyst, another analyst, supervisor, admin."""

import pytest
from django.test import Client
from django.urls import reverse

from apps.assignments.models import Assignment
from tests.factories import AnnotationFactory, AssignmentFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "analyst", "other_analyst", "supervisor", "admin_user"]
LOGIN = "login"  # expected: redirect to the login page


@pytest.fixture
def world(analyst):
    assignment = AssignmentFactory(analyst=analyst, state=Assignment.State.SUBMITTED)
    span = AnnotationFactory(article=assignment.article, annotator=analyst)
    return {"assignment": assignment, "article": assignment.article, "span": span}


def _request(request, role, world, method, name, data):
    client = Client()
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    kwargs = {
        "article": {"article_id": world["article"].pk},
        "assignment": {"pk": world["assignment"].pk},
        "span": {"annotation_id": world["span"].pk},
    }
    url_kwargs = {}
    for key, value in kwargs.items():
        if f"<{key}>" in name:
            url_kwargs = value
    url = reverse(name.split(" ")[0], kwargs=url_kwargs)
    if callable(data):
        data = data(world)
    return client.get(url) if method == "GET" else client.post(url, data or {})


# (method, url name, data, expected status per role in ROLES order)
MATRIX = [
    ("GET", "review:dashboard", None, [LOGIN, 403, 403, 200, 200]),
    ("GET", "review:agreement", None, [LOGIN, 403, 403, 200, 200]),
    ("GET", "review:assign", None, [LOGIN, 403, 403, 200, 200]),
    (
        "POST",
        "review:assign",
        lambda w: {"articles": [w["article"].pk], "analysts": [w["assignment"].analyst_id]},
        [LOGIN, 403, 403, 302, 302],
    ),
    ("GET", "review:queue", None, [LOGIN, 200, 200, 200, 200]),
    ("GET", "review:next", None, [LOGIN, 302, 302, 302, 302]),
    ("POST", "review:pull", None, [LOGIN, 302, 302, 302, 302]),
    ("POST", "review:submit <assignment>", None, [LOGIN, 302, 404, 404, 404]),
    ("POST", "review:assignment_decide <assignment>", {"action": "approve"}, [LOGIN, 403, 403, 302, 302]),
    ("GET", "review:article <article>", None, [LOGIN, 403, 403, 200, 200]),
    ("GET", "review:feedback <article>", None, [LOGIN, 200, 404, 302, 302]),
    ("POST", "review:comment_create <article>", {"body": "Hello"}, [LOGIN, 302, 404, 302, 302]),
    (
        "POST",
        "review:span_decide <span>",
        lambda w: {"decision": "accept", "version": w["span"].version},
        [LOGIN, 403, 403, 302, 302],
    ),
]


@pytest.mark.parametrize("method, name, data, expected", MATRIX, ids=[f"{m} {n}" for m, n, _, _ in MATRIX])
@pytest.mark.parametrize("role_index", range(len(ROLES)), ids=ROLES)
def test_each_url_answers_each_role_as_the_roles_table_says(request, world, method, name, data, expected, role_index):
    role = ROLES[role_index]
    response = _request(request, role, world, method, name, data)
    want = expected[role_index]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want, response.content[:300]


def test_analyst_submit_of_someone_elses_assignment_changes_nothing(client_for, other_analyst, world):
    client_for(other_analyst).post(reverse("review:submit", args=[world["assignment"].pk]))
    assert Assignment.objects.get(pk=world["assignment"].pk).state == Assignment.State.SUBMITTED


def test_analyst_cannot_decide_a_span_and_the_span_is_unchanged(client_for, other_analyst, world):
    client_for(other_analyst).post(
        reverse("review:span_decide", args=[world["span"].pk]), {"decision": "reject", "version": 1}
    )
    world["span"].refresh_from_db()
    assert world["span"].status == "pending"


def test_forged_post_without_csrf_token_is_refused(supervisor, world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor)
    response = client.post(reverse("review:assignment_decide", args=[world["assignment"].pk]), {"action": "approve"})
    assert response.status_code == 403
    assert Assignment.objects.get(pk=world["assignment"].pk).state == Assignment.State.SUBMITTED
