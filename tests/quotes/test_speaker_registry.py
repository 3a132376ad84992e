"""The speaker registry's cleaning tools: likely duplicates to merge (the one name matcher, compatible titles)
and deleting a speaker nobody quotes (supervisors only, through a service, with history)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.quotes import selectors, services
from apps.quotes.models import Quote, Speaker, SpeakerAlias
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _speaker(name, role="", kind="person", quotes=0):
    speaker = Speaker.objects.create(name=name, role=role, roles=[role] if role else [], kind=kind)
    SpeakerAlias.objects.create(speaker=speaker, alias=name, alias_key=name.casefold())
    for k in range(quotes):
        article = ArticleFactory()
        Quote.objects.create(article=article, speaker=speaker, start=0, end=5 + k, text=article.text[: 5 + k])
    return speaker


def _pairs():
    return {(keep.name, merge.name) for keep, merge in selectors.speaker_duplicate_pairs()}


def test_duplicates_are_same_family_name_with_compatible_titles():
    _speaker("Xi Jinping", "Chinese President", quotes=2)
    _speaker("Xi", "President")
    _speaker("Volodymyr Zelensky", "Ukrainian President", quotes=1)
    _speaker("Zelenskyy")
    _speaker("Péter Szijjártó", "Hungarian foreign minister")
    _speaker("Peter Szijjarto", "Hungary's top diplomat")
    assert _pairs() == {
        ("Xi Jinping", "Xi"),
        ("Volodymyr Zelensky", "Zelenskyy"),
        ("Péter Szijjártó", "Peter Szijjarto"),
    }


def test_different_people_of_one_family_and_descriptions_are_not_duplicates():
    _speaker("Joe Biden", "President")
    _speaker("Hunter Biden")
    _speaker("Kim Jong Un", "North Korean leader")
    _speaker("Kim Yo Jong", "Vice department director")
    _speaker("Clinton", "Secretary of State")
    _speaker("Clinton aides")
    _speaker("Harris", "Senator")
    _speaker("Simon Harris", "General")  # a senator is no general
    _speaker("Foreign Ministry", kind="organisation")
    _speaker("Ukraine's Foreign Ministry", kind="organisation")
    assert _pairs() == set()


def test_merging_a_suggested_pair_removes_the_suggestion(supervisor):
    keep, merge = _speaker("Xi Jinping", quotes=1), _speaker("Xi", quotes=1)
    assert _pairs() == {("Xi Jinping", "Xi")}
    services.speaker_merge(source=merge, target=keep, actor=supervisor)
    assert _pairs() == set()
    assert Quote.objects.filter(speaker=keep).count() == 2


def test_a_speaker_without_quotes_is_deleted_with_history(supervisor):
    ghost = _speaker("Interpretation")
    tomb = _speaker("The interpretation")
    tomb.merged_into = ghost
    tomb.save()
    services.speaker_delete(speaker=ghost, version=ghost.version, actor=supervisor)
    assert not Speaker.objects.filter(pk__in=[ghost.pk, tomb.pk]).exists()
    assert not SpeakerAlias.objects.exists()
    deleted = Speaker.history.filter(id=ghost.pk, history_type="-").get()
    assert deleted.history_user == supervisor and "deleted speaker" in deleted.history_change_reason
    assert SpeakerAlias.history.filter(history_type="-", history_user=supervisor).count() == 2


def test_a_speaker_with_quotes_live_or_deleted_is_not_deleted(supervisor):
    quoted = _speaker("Xi Jinping", quotes=1)
    with pytest.raises(ValidationError, match="merge it instead"):
        services.speaker_delete(speaker=quoted, version=quoted.version, actor=supervisor)
    Quote.objects.filter(speaker=quoted).update(deleted_at="2025-01-01T00:00Z")
    with pytest.raises(ValidationError):
        services.speaker_delete(speaker=quoted, version=quoted.version, actor=supervisor)
    assert Speaker.objects.filter(pk=quoted.pk).exists()


def test_deleting_a_speaker_someone_just_changed_is_a_conflict(supervisor):
    from apps.core.versions import VersionConflict

    ghost = _speaker("Reader")
    with pytest.raises(VersionConflict):
        services.speaker_delete(speaker=ghost, version=ghost.version + 1, actor=supervisor)
    assert Speaker.objects.filter(pk=ghost.pk).exists()


def test_the_speakers_page_offers_merges_and_deletes_to_supervisors_only(client_for, supervisor, analyst):
    keep, merge = _speaker("Xi Jinping", quotes=1), _speaker("Xi", quotes=1)
    ghost = _speaker("Reader")
    page = client_for(supervisor).get(reverse("quotes:speaker_list")).content.decode()
    assert "Likely duplicates" in page
    assert f'action="{reverse("quotes:speaker_merge", args=[keep.pk])}"' in page
    assert f'name="source" value="{merge.pk}"' in page
    assert f'action="{reverse("quotes:speaker_delete", args=[ghost.pk])}"' in page
    assert f'action="{reverse("quotes:speaker_delete", args=[keep.pk])}"' not in page  # it has quotes
    analyst_page = client_for(analyst).get(reverse("quotes:speaker_list")).content.decode()
    assert "Likely duplicates" not in analyst_page and "speaker_delete" not in analyst_page
    assert "/delete/" not in analyst_page


def test_the_delete_view_deletes_and_refuses_with_a_message(client_for, supervisor, analyst):
    ghost, quoted = _speaker("Reader"), _speaker("Xi Jinping", quotes=1)
    url = reverse("quotes:speaker_delete", args=[ghost.pk])
    assert client_for(analyst).post(url, {"version": ghost.version}).status_code == 403
    c = client_for(supervisor)
    response = c.post(url, {"version": ghost.version}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("quotes:speaker_list")
    assert "Speaker “Reader” deleted." in response.content.decode()
    assert not Speaker.objects.filter(pk=ghost.pk).exists()
    response = c.post(reverse("quotes:speaker_delete", args=[quoted.pk]), {"version": quoted.version}, follow=True)
    assert "merge it instead" in response.content.decode()
    assert Speaker.objects.filter(pk=quoted.pk).exists()
    htmx = c.post(reverse("quotes:speaker_delete", args=[quoted.pk]), {"version": 99}, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 409


def test_the_panel_names_a_generic_source_by_its_description_instead_of_unattributed(client_for, supervisor):
    article = ArticleFactory()
    Quote.objects.create(article=article, start=0, end=4, text=article.text[:4], speaker_mention="Western officials")
    Quote.objects.create(article=article, start=5, end=9, text=article.text[5:9], speaker_mention="he")
    Quote.objects.create(article=article, start=10, end=14, text=article.text[10:14])
    panel = client_for(supervisor).get(reverse("quotes:panel", args=[article.pk])).content.decode()
    assert 'qp-source" title="The source as the text describes it' in panel
    assert ">Western officials</span>" in panel
    assert panel.count(">Unattributed</span>") == 2  # a bare pronoun describes no one; neither does nothing
