"""NUL bytes and lone surrogates in any request field: a 400 with a message, in one place, before any view.

Before, raw ``request.POST`` / ``request.GET`` reads passed NUL to PostgreSQL, which refuses it ("A string literal
cannot contain NUL") and the views answered 500 (10 fields on 8 endpoints in the audit). The middleware checks
every GET and POST field name and value, so endpoints added later are covered too.
"""

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from config.middleware import RequestHygieneMiddleware, bad_field

pytestmark = pytest.mark.django_db

NUL = "a\x00b"


def _assert_refused(response, field):
    assert response.status_code == 400, response.status_code
    body = response.content.decode()
    assert field in body and ("NUL" in body or "surrogate" in body)
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        (reverse("reading:article_list"), {"q": NUL}, "q"),
        (reverse("reading:article_list"), {"outlet": "1", "page": "\x00"}, "page"),
        (reverse("review:queue"), {"page": NUL}, "page"),
        (reverse("quotes:speaker_autocomplete"), {"q": NUL}, "q"),
        (reverse("annotations:span_list", args=[1]), {"offset": "\x00"}, "offset"),
        (reverse("exports:download"), {"format": NUL}, "format"),
    ],
)
def test_nul_in_a_query_parameter_is_a_400_with_a_message(client_for, supervisor, url, params, field):
    _assert_refused(client_for(supervisor).get(url, params), field)


@pytest.mark.parametrize(
    ("url", "data", "field"),
    [
        (reverse("annotations:span_create", args=[1]), {"start": "0", "end": "4", "note": NUL}, "note"),
        (reverse("annotations:span", args=[1]), {"version": "1", "note": NUL}, "note"),
        (reverse("annotations:entity_panel", args=[1]), {"label": NUL}, "label"),
        (reverse("review:comment_create", args=[1]), {"body": NUL}, "body"),
        (reverse("review:assign"), {"filters": NUL, "scope": "all"}, "filters"),
        (reverse("quotes:quote_create", args=[1]), {"text": NUL}, "text"),
        (reverse("quotes:speaker_list"), {"name": NUL}, "name"),
    ],
)
def test_nul_in_a_form_field_is_a_400_with_a_message(client_for, supervisor, url, data, field):
    _assert_refused(client_for(supervisor).post(url, data), field)


def test_nul_in_a_field_name_is_refused(client_for, analyst):
    response = client_for(analyst).post(reverse("annotations:span_create", args=[1]), {"no\x00te": "x"})
    _assert_refused(response, "no\\x00te")


def test_nul_in_the_login_form_is_refused_before_any_lookup(client):
    _assert_refused(client.post(reverse("accounts:login"), {"username": "ana\x00", "password": "x"}), "username")


def test_nul_in_an_uploaded_file_name_is_refused(client_for, supervisor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bad\x00name.txt", b"Title\n\nBody", content_type="text/plain")
    response = client_for(supervisor).post(reverse("ingest:upload"), {"files": upload})
    # Django's multipart parser may already strip the NUL from the name; either way it is never a 500
    assert response.status_code in (200, 302, 400)


def test_lone_surrogates_are_refused():
    """Browsers can't send one (percent-encoded surrogates decode to U+FFFD), but a field built in Python can."""
    request = RequestFactory().post("/x", {"note": "ok"})
    request._post = QueryDict(mutable=True)
    request._post["note"] = "half a pair: \ud83d"
    request._files = {}
    message = bad_field(request)
    assert message and "note" in message and "surrogate" in message
    response = RequestHygieneMiddleware(lambda r: pytest.fail("the view must not run"))(request)
    assert response.status_code == 400


def test_ordinary_unicode_passes(client_for, analyst):
    response = client_for(analyst).get(reverse("reading:article_list"), {"q": "Xi Jinping 习近平 😀 \ufffd"})
    assert response.status_code == 200
