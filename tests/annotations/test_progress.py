import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_progress_box_alone_reloads_after_quote_work(client_for, analyst, article, assigned):
    url = reverse("annotations:progress", args=[article.pk])
    html = client_for(analyst).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert html.lstrip().startswith('<section id="ws-progress"') and "quoteChanged from:body" in html
    assert "Submit for review" in html and "Assigned" in html
