from django.core.exceptions import ValidationError
from django.test import RequestFactory

from apps.core.htmx import HtmxErrorMiddleware, error_response
from apps.core.versions import VersionConflict


def test_bad_input_is_a_plain_text_400_and_a_conflict_a_409():
    bad = error_response(ValidationError(["Start is wrong.", "End too."]))
    assert bad.status_code == 400 and bad.content.decode() == "Start is wrong. End too."
    assert bad["Content-Type"].startswith("text/plain")
    assert error_response(VersionConflict("Saved elsewhere.")).status_code == 409


def _request(htmx: bool):
    request = RequestFactory().post("/x/")
    request.htmx = htmx
    return request


def test_the_middleware_answers_escaped_errors_of_htmx_requests_only():
    middleware = HtmxErrorMiddleware(lambda request: None)
    response = middleware.process_exception(_request(True), VersionConflict("Someone saved first."))
    assert response.status_code == 409 and response.content == b"Someone saved first."
    assert middleware.process_exception(_request(False), ValidationError("x")) is None
    assert middleware.process_exception(_request(True), KeyError("x")) is None
