"""After a 409 the losing tab's typed note is kept (in the box) beside the note saved elsewhere (issue 16)."""

import pytest
from django.urls import reverse

from apps.annotations.models import Annotation

pytestmark = pytest.mark.django_db


def test_a_refused_save_answers_409_with_the_typed_note_kept_and_the_saved_one_beside_it(
    client_for, analyst, article, assigned
):
    span = Annotation.objects.create(article=article, annotator=analyst, start=0, end=10, text=article.text[:10])
    client = client_for(analyst)
    url = reverse("annotations:span", args=[span.pk])
    assert client.post(url, {"version": 1, "note": "first tab"}, HTTP_HX_REQUEST="true").status_code == 200
    refused = client.post(url, {"version": 1, "note": "second <tab>"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 409
    html = refused.content.decode()
    assert ">second &lt;tab&gt;</textarea>" in html  # kept, escaped
    assert 'id="conflict-current"' in html and "first tab" in html
    assert 'name="version" value="2"' in html  # a deliberate second save replaces the saved note
    span.refresh_from_db()
    assert span.note == "first tab"


def test_a_conflict_with_the_same_note_shows_no_second_copy(client_for, analyst, article, assigned):
    span = Annotation.objects.create(article=article, annotator=analyst, start=0, end=10, text=article.text[:10])
    client = client_for(analyst)
    url = reverse("annotations:span", args=[span.pk])
    client.post(url, {"version": 1, "note": "same"}, HTTP_HX_REQUEST="true")
    refused = client.post(url, {"version": 1, "note": "same"}, HTTP_HX_REQUEST="true")
    assert refused.status_code == 409 and 'id="conflict-current"' not in refused.content.decode()
