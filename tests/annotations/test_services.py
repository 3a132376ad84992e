import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from apps.annotations import services
from apps.annotations.models import Annotation, EntityMention, Theme
from apps.core.versions import VersionConflict
from tests.annotations.conftest import span_of
from tests.factories import ArticleFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_create_stores_the_exact_text_slice_and_themes(article, analyst, themes):
    start, end = span_of(article, "strategic partnership")
    span, created = services.annotation_create(
        article=article, annotator=analyst, start=start, end=end, theme_ids=[themes[0].id, themes[6].id]
    )
    assert created
    assert span.text == "strategic partnership" == article.text[start:end]
    assert set(span.themes.values_list("id", flat=True)) == {themes[0].id, themes[6].id}
    assert span.history.count() >= 1


def test_code_point_offsets_survive_emoji_cjk_and_combining_accents(analyst, themes):
    text = "Talks 🇨🇳🤝 in 北京 with 𠮷野 and Ade\u0301ba\u0301yo\u0323\u0300 of Nigeria."
    article = ArticleFactory(text=text)
    phrase = "𠮷野 and Adébáyọ\u0300"
    start = article.text.index(phrase)
    span, _ = services.annotation_create(
        article=article, annotator=analyst, start=start, end=start + len(phrase), theme_ids=[themes[0].id]
    )
    assert span.text == phrase
    assert len(phrase.encode("utf-16-le")) // 2 > len(phrase)  # the browser would have counted differently


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 5), (7, 3), (0, 10_000), ("a", 4), (None, 4)])
def test_forged_offsets_are_refused(article, analyst, start, end):
    with pytest.raises(ValidationError):
        services.annotation_create(article=article, annotator=analyst, start=start, end=end)
    assert not Annotation.objects.exists()


def test_whitespace_only_span_is_refused(article, analyst):
    newline = article.text.index("\n")
    with pytest.raises(ValidationError):
        services.annotation_create(article=article, annotator=analyst, start=newline, end=newline + 2)


def test_unknown_and_inactive_themes_are_refused(article, analyst):
    inactive = ThemeFactory(active=False)
    with pytest.raises(ValidationError, match="Unknown theme"):
        services.annotation_create(article=article, annotator=analyst, start=0, end=2, theme_ids=[99999])
    with pytest.raises(ValidationError, match="deactivated"):
        services.annotation_create(article=article, annotator=analyst, start=0, end=2, theme_ids=[inactive.id])


def test_same_range_again_adds_themes_to_the_existing_span(article, analyst, themes):
    first, _ = services.annotation_create(article=article, annotator=analyst, start=0, end=10, theme_ids=[themes[0].id])
    again, created = services.annotation_create(
        article=article, annotator=analyst, start=0, end=10, theme_ids=[themes[1].id]
    )
    assert not created and again.pk == first.pk
    assert set(again.themes.values_list("id", flat=True)) == {themes[0].id, themes[1].id}
    assert again.version == 2


def test_update_with_a_stale_version_is_refused_and_keeps_the_first_save(article, analyst, themes):
    span, _ = services.annotation_create(article=article, annotator=analyst, start=0, end=10)
    tab_a = Annotation.objects.get(pk=span.pk)
    tab_b = Annotation.objects.get(pk=span.pk)
    services.annotation_update(annotation=tab_a, actor=analyst, version=1, note="first tab", theme_ids=[themes[0].id])
    with pytest.raises(VersionConflict) as conflict:
        services.annotation_update(annotation=tab_b, actor=analyst, version=1, note="second tab")
    assert "changed elsewhere" in conflict.value.message
    assert conflict.value.current.note == "first tab"
    span.refresh_from_db()
    assert span.note == "first tab" and span.version == 2


def test_deactivated_theme_can_stay_on_a_span_when_its_other_fields_are_edited(article, analyst, themes):
    span, _ = services.annotation_create(article=article, annotator=analyst, start=0, end=10, theme_ids=[themes[0].id])
    services.theme_set_active(theme=themes[0], active=False, actor=analyst)
    services.annotation_update(
        annotation=span, actor=analyst, version=span.version, note="still here", theme_ids=[themes[0].id]
    )
    assert list(span.themes.values_list("id", flat=True)) == [themes[0].id]


def test_only_the_author_or_an_admin_edits_a_span(article, analyst, other_analyst, supervisor, admin_user):
    span, _ = services.annotation_create(article=article, annotator=analyst, start=0, end=10)
    for intruder in (other_analyst, supervisor):
        with pytest.raises(PermissionDenied):
            services.annotation_update(annotation=span, actor=intruder, version=span.version, note="x")
    services.annotation_update(annotation=span, actor=admin_user, version=span.version, note="admin fix")
    assert Annotation.objects.get(pk=span.pk).note == "admin fix"


def test_delete_is_soft_recorded_and_undoable(article, analyst):
    span, _ = services.annotation_create(article=article, annotator=analyst, start=0, end=10)
    services.annotation_delete(annotation=span, actor=analyst, version=span.version)
    span.refresh_from_db()
    assert span.deleted_at is not None and span.deleted_by == analyst
    assert span.history.filter(deleted_at__isnull=False).exists()
    services.annotation_restore(annotation=span, actor=analyst)
    span.refresh_from_db()
    assert span.deleted_at is None and span.deleted_by is None


def test_undo_is_refused_when_a_new_span_took_the_same_range(article, analyst):
    span, _ = services.annotation_create(article=article, annotator=analyst, start=0, end=10)
    services.annotation_delete(annotation=span, actor=analyst, version=span.version)
    services.annotation_create(article=article, annotator=analyst, start=0, end=10)
    with pytest.raises(ValidationError):
        services.annotation_restore(annotation=Annotation.objects.get(pk=span.pk), actor=analyst)


def test_accept_all_of_a_label_touches_only_suggested_mentions_of_that_label(article, analyst):
    a = EntityMention.objects.create(article=article, label="PERSON", start=0, end=10, text=article.text[0:10])
    b = EntityMention.objects.create(
        article=article, label="PERSON", start=15, end=29, text=article.text[15:29], status="rejected"
    )
    c = EntityMention.objects.create(article=article, label="GPE", start=33, end=39, text=article.text[33:39])
    assert services.entity_decide_label(article=article, label="PERSON", actor=analyst, status="accepted") == 1
    assert [EntityMention.objects.get(pk=m.pk).status for m in (a, b, c)] == ["accepted", "rejected", "suggested"]


def test_theme_move_swaps_neighbours(themes):
    first, second = themes[0], themes[1]
    services.theme_move(theme=second, direction="up")
    ordered = list(Theme.objects.values_list("id", flat=True)[:2])
    assert ordered == [second.id, first.id]


def test_reactivating_a_theme_whose_key_was_taken_drops_the_key(themes, supervisor):
    services.theme_set_active(theme=themes[0], active=False, actor=supervisor)
    ThemeFactory(shortcut=themes[0].shortcut)
    theme = services.theme_set_active(theme=Theme.objects.get(pk=themes[0].pk), active=True, actor=supervisor)
    assert theme.active and theme.shortcut == ""


def test_imported_entity_mentions_are_stored_once_each_and_only_for_articles_that_exist():
    """EntityMention.article has no foreign key in the database: the bulk service checks the articles, once."""
    from django.db import IntegrityError, transaction

    from apps.corpus.models import Article
    from apps.nlp.types import EntitySpan

    article = ArticleFactory(text="Xi Jinping met Vladimir Putin in Moscow.")
    xi, putin = EntitySpan("PERSON", 0, 10, "Xi Jinping"), EntitySpan("PERSON", 15, 29, "Vladimir Putin")
    outside = EntitySpan("GPE", 33, 99, "Moscow.")
    assert services.entity_mentions_import_bulk(items=[(article, [xi, putin, xi, outside])]) == 2
    assert list(EntityMention.objects.filter(article=article).values_list("text", "status")) == [
        ("Xi Jinping", "suggested"),
        ("Vladimir Putin", "suggested"),
    ]
    ghost = Article(pk=article.pk + 1000, text=article.text)
    with pytest.raises(IntegrityError), transaction.atomic():
        services.entity_mentions_import_bulk(items=[(article, [EntitySpan("GPE", 33, 39, "Moscow")]), (ghost, [xi])])
    assert EntityMention.objects.count() == 2
    article.delete()  # the mentions go with their article (CASCADE, by Django)
    assert not EntityMention.objects.exists()
