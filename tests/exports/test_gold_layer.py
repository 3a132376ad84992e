"""Exports read the gold layer by default: the "accepted" CSV and the DocBin hold one row per gold span (not one per
analyst copy), say which layer they are, and name the analysts behind each gold span."""

import csv
import io

import pytest
import spacy
from django.urls import reverse
from spacy.tokens import DocBin

from apps.review.services import disagreement_reject, gold_accept_agreed
from tests.exports.conftest import span
from tests.factories import ArticleFactory, AssignmentFactory

pytestmark = pytest.mark.django_db

TEXT = "Both leaders criticised unilateral sanctions and called for reform of global governance."


def _rows(response):
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8"))))


def test_accepted_csv_and_docbin_hold_the_gold_spans_once(client_for, supervisor, analyst, other_analyst, corpus):
    article = ArticleFactory(text=TEXT)
    for user in (analyst, other_analyst):
        AssignmentFactory(article=article, analyst=user, state="submitted")
        span(article, "unilateral sanctions", annotator=user, themes=[corpus.unilateral])
    lone = span(article, "reform of global governance", annotator=analyst, themes=[corpus.parent])
    assert gold_accept_agreed(article=article, actor=supervisor) == 1
    disagreement_reject(
        article=article, annotation_id=lone.pk, expected_version=lone.version, actor=supervisor, reason="No."
    )
    client = client_for(supervisor)
    rows = [
        r
        for r in _rows(client.get(reverse("exports:download"), {"status": "accepted"}))
        if r["article_id"] == str(article.pk)
    ]
    assert [(r["span_text"], r["theme"], r["layer"], r["annotator"], r["reviewer"]) for r in rows] == [
        ("unilateral sanctions", "unilateralism", "gold", "ana bob", "sue")
    ]
    # the analysts' layer still has both copies and the rejected span, and says so
    analysts = [r for r in _rows(client.get(reverse("exports:download"))) if r["article_id"] == str(article.pk)]
    assert len(analysts) == 3 and {r["layer"] for r in analysts} == {"analysts"}
    # the annotator filter keeps the gold spans that analyst's work supports
    only_bob = _rows(client.get(reverse("exports:download"), {"status": "accepted", "annotator": "bob"}))
    assert [r["span_text"] for r in only_bob] == ["unilateral sanctions"]
    docbin = client.get(reverse("exports:download"), {"format": "docbin"})
    docs = {d.user_data["article_id"]: d for d in DocBin().from_bytes(docbin.content).get_docs(spacy.blank("en").vocab)}
    assert [(s.text, s.label_) for s in docs[article.pk].spans["sc"]] == [("unilateral sanctions", "unilateralism")]


def test_jsonl_round_trip_keeps_gold_spans_and_threaded_anchored_comments(corpus, supervisor, analyst, tmp_path):
    from django.core.management import call_command

    from apps.review.models import ArticleComment
    from apps.review.services import article_comment_create
    from tests.exports.test_jsonl import _empty_database, _snapshot

    root = article_comment_create(
        article_id=corpus.a.pk, author=supervisor, body="Why here?", annotation_id=corpus.in_quote.pk
    )
    article_comment_create(article_id=corpus.a.pk, author=analyst, body="The quote.", parent_id=root.pk)
    before = _snapshot()
    assert before["review.GoldSpan"] and len(before["review.ArticleComment"]) == 3
    dump = tmp_path / "dump.jsonl"
    call_command("export_spans", format="jsonl", output=str(dump), no_progress=True, stderr=open("/dev/null", "w"))
    _empty_database()
    call_command("import_jsonl", str(dump), no_progress=True, stdout=open("/dev/null", "w"))
    assert _snapshot() == before
    assert ArticleComment.objects.get(body="The quote.").parent.annotation_id == corpus.in_quote.pk
