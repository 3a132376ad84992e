"""The DocBin holds accepted spans with their themes under one spans key, and entities as doc.ents."""

import pytest
import spacy
from django.core.management import call_command
from django.urls import reverse
from spacy.tokens import DocBin

from tests.exports.conftest import span

pytestmark = pytest.mark.django_db


def _docs(data: bytes):
    return list(DocBin().from_bytes(data).get_docs(spacy.blank("en").vocab))


def test_docbin_holds_accepted_spans_as_categories_and_entities(corpus, supervisor, tmp_path):
    # a second annotator's identical accepted span is one training span, not two
    span(corpus.a, "unilateralism and bullying", annotator=supervisor, themes=[corpus.unilateral], status="accepted")
    # an accepted span that does not fall on token boundaries is expanded to whole tokens
    span(corpus.a, "rade gre", annotator=supervisor, themes=[corpus.trade], status="accepted")
    out = tmp_path / "train.spacy"
    call_command("export_spans", format="docbin", output=str(out), spans_key="themes", stderr=open("/dev/null", "w"))
    (doc,) = _docs(out.read_bytes())  # article b has only a rejected span: no doc
    assert doc.text == corpus.a.text and doc.user_data["article_id"] == corpus.a.pk
    got = sorted((s.text, s.label_) for s in doc.spans["themes"])
    assert got == [
        ("Trade grew", "economy"),
        ("unilateralism and bullying", "order"),
        ("unilateralism and bullying", "unilateralism"),
    ]
    assert sorted((e.text, e.label_) for e in doc.ents) == [("Moscow", "GPE"), ("Xi", "PERSON")]


def test_docbin_download_follows_the_filters(client_for, supervisor, corpus):
    response = client_for(supervisor).get(reverse("exports:download"), {"format": "docbin", "theme": "order"})
    assert response.status_code == 200 and response["Content-Type"] == "application/octet-stream"
    (doc,) = _docs(response.content)
    assert [(s.text, s.label_) for s in doc.spans["sc"]] == [("unilateralism and bullying", "order")]
    empty = client_for(supervisor).get(reverse("exports:download"), {"format": "docbin", "outlet": "TASS"})
    assert empty.status_code == 400 and b"No accepted span matches these filters" in empty.content
