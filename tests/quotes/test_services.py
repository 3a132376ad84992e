import pytest
from django.core.exceptions import ValidationError

from apps.core.versions import VersionConflict
from apps.nlp.types import QuoteSpan, SpeakerInfo
from apps.quotes import services
from apps.quotes.models import Quote, Speaker, SpeakerAlias
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TEXT = "Xi Jinping said China 🇨🇳 will work with Russia. “Cooperation is key,” Putin said. Beijing welcomed it."


def speaker(name, kind=Speaker.Kind.PERSON, aliases=()):
    s = Speaker.objects.create(name=name, kind=kind)
    for alias in (name, *aliases):
        SpeakerAlias.objects.create(speaker=s, alias=alias, alias_key=services.alias_key(alias))
    return s


def span_of(article, fragment):
    start = article.text.index(fragment)
    return start, start + len(fragment)


@pytest.fixture
def article():
    return ArticleFactory(text=TEXT)


# --- quotes ------------------------------------------------------------------------------------------------


def test_quote_create_copies_the_text_at_code_point_offsets_and_counts_as_confirmed(article, analyst):
    start, end = span_of(article, "China 🇨🇳 will work with Russia")
    quote = services.quote_create(article=article, start=start, end=end, actor=analyst)
    assert quote.text == "China 🇨🇳 will work with Russia"
    assert article.text[quote.start : quote.end] == quote.text
    assert quote.created_by == analyst and quote.confirmed and quote.confirmed_by == analyst
    row = quote.history.get()
    assert row.history_type == "+" and row.history_user == analyst


@pytest.mark.parametrize("start,end", [(-1, 5), (5, 5), (9, 3), (0, len(TEXT) + 1), ("a", 4), (None, 3)])
def test_quote_create_refuses_offsets_outside_the_text(article, analyst, start, end):
    with pytest.raises(ValidationError) as err:
        services.quote_create(article=article, start=start, end=end, actor=analyst)
    assert err.value.code == "bad_offsets"
    assert not Quote.objects.exists()


def test_quote_create_refuses_blank_and_duplicate_spans(article, analyst):
    gap = article.text.index(" ")
    with pytest.raises(ValidationError):
        services.quote_create(article=article, start=gap, end=gap + 1, actor=analyst)
    start, end = span_of(article, "Cooperation is key")
    services.quote_create(article=article, start=start, end=end, actor=analyst)
    with pytest.raises(ValidationError) as err:
        services.quote_create(article=article, start=start, end=end, actor=analyst)
    assert err.value.code == "duplicate"


def test_imported_quotes_are_stored_as_found_with_one_creation_history_row_each(article):
    putin = speaker("Vladimir Putin")
    start, end = span_of(article, "Cooperation is key,")
    found = [
        QuoteSpan(
            start,
            end,
            "Cooperation is key,",
            "direct",
            cue="Said",
            cue_start=end + 2,
            cue_end=end + 6,
            speaker="Vladimir Putin",
            speaker_mention="Putin",
            confidence=1.7,
        ),
        QuoteSpan(start, end, "Cooperation is key,", "direct"),  # the same passage again: stored once
        QuoteSpan(0, 5, "Wrong", "indirect", speaker="Vladimir Putin"),  # its offsets do not give its text: dropped
        QuoteSpan(22, 47, article.text[22:47], "indirect", cue="x" * 80, speaker="Nobody known"),
    ]
    assert services.quotes_import_bulk(items=[(article, found, {"Vladimir Putin": putin})]) == 2
    direct, indirect = Quote.objects.order_by("start")[::-1]
    assert (direct.speaker, direct.kind, direct.cue, direct.cue_start, direct.speaker_mention) == (
        putin,
        "direct",
        "Said",
        end + 2,
        "Putin",
    )
    assert direct.confidence == 1.0 and direct.version == 1 and not direct.confirmed and direct.created_by is None
    assert (indirect.speaker, indirect.cue, indirect.text) == (None, "x" * 60, article.text[22:47])
    for quote in (direct, indirect):
        (row,) = quote.history.all()
        assert (row.history_type, row.history_user, row.history_change_reason) == ("+", None, "")
        stored = {f.attname: getattr(quote, f.attname) for f in Quote._meta.concrete_fields}
        assert {k: getattr(row, k) for k in stored} == stored


def test_quote_update_fixes_the_span_kind_and_speaker_and_records_who(article, analyst, supervisor):
    putin = speaker("Vladimir Putin")
    start, end = span_of(article, "Cooperation is")
    quote = services.quote_create(article=article, start=start, end=end, actor=analyst, kind=Quote.Kind.INDIRECT)
    start, end = span_of(article, "Cooperation is key")
    updated = services.quote_update(
        quote=quote, version=quote.version, actor=supervisor, start=start, end=end, kind="direct", speaker=putin
    )
    assert (updated.text, updated.kind, updated.speaker, updated.version) == ("Cooperation is key", "direct", putin, 2)
    last = updated.history.latest()
    assert last.history_user == supervisor and last.speaker_id == putin.pk and last.text == "Cooperation is key"


def test_quote_update_with_a_stale_version_is_refused_and_writes_nothing(article, analyst, other_analyst):
    start, end = span_of(article, "Cooperation is key")
    quote = services.quote_create(article=article, start=start, end=end, actor=analyst)
    services.quote_confirm(quote=quote, version=1, actor=other_analyst)  # someone else saved first: version 2
    with pytest.raises(VersionConflict):
        services.quote_update(quote=quote, version=1, actor=analyst, kind="mixed")
    fresh = Quote.objects.get(pk=quote.pk)
    assert fresh.kind == "direct" and fresh.version == 2
    assert fresh.history.count() == 2


def test_quote_update_refuses_a_span_outside_the_text(article, analyst):
    quote = services.quote_create(article=article, start=0, end=10, actor=analyst)
    with pytest.raises(ValidationError):
        services.quote_update(quote=quote, version=1, actor=analyst, start=3, end=10_000)
    assert Quote.objects.get(pk=quote.pk).version == 1


def test_quote_cannot_go_to_a_merged_speaker(article, analyst, supervisor):
    xi, dup = speaker("Xi Jinping"), speaker("Xi")
    services.speaker_merge(source=dup, target=xi, actor=supervisor)
    quote = services.quote_create(article=article, start=0, end=10, actor=analyst)
    dup.refresh_from_db()
    with pytest.raises(ValidationError):
        services.quote_update(quote=quote, version=1, actor=analyst, speaker=dup)


def test_quote_delete_is_soft_and_restore_brings_it_back(article, analyst):
    quote = services.quote_create(article=article, start=0, end=10, actor=analyst)
    deleted = services.quote_delete(quote=quote, version=1, actor=analyst)
    assert deleted.deleted_at and deleted.deleted_by == analyst
    assert Quote.objects.filter(pk=quote.pk).exists()
    with pytest.raises(ValidationError):
        services.quote_confirm(quote=quote, version=deleted.version, actor=analyst)
    restored = services.quote_restore(quote=quote, version=deleted.version, actor=analyst)
    assert restored.deleted_at is None and restored.deleted_by is None
    reasons = list(quote.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == ["added by hand", "deleted", "restored"]


def test_quote_confirm_records_the_confirming_user(article, analyst):
    quote = Quote.objects.create(article=article, start=0, end=10, text=article.text[:10], confidence=0.7)
    confirmed = services.quote_confirm(quote=quote, version=1, actor=analyst)
    assert confirmed.confirmed and confirmed.confirmed_by == analyst
    assert confirmed.history.latest().history_user == analyst


# --- speakers ----------------------------------------------------------------------------------------------


def test_speaker_create_records_its_name_as_alias_and_refuses_a_duplicate(analyst):
    ministry = services.speaker_create(name="Ukraine's Foreign Ministry", kind="organisation", actor=analyst)
    assert list(ministry.aliases.values_list("alias_key", flat=True)) == ["ukraine's foreign ministry"]
    assert ministry.history.get().history_user == analyst
    with pytest.raises(ValidationError) as err:
        services.speaker_create(name="ukraine's  foreign ministry", kind="organisation", actor=analyst)
    assert err.value.code == "exists"


def test_speaker_merge_moves_quotes_and_aliases_and_keeps_the_source_as_a_pointer(article, supervisor, analyst):
    xi = speaker("Xi Jinping", aliases=["President Xi"])
    dup = speaker("Xi", aliases=["President Xi", "Xi Jinping's"])
    dup.roles = ["Chinese President"]
    dup.save()
    q1 = services.quote_create(article=article, start=0, end=10, actor=analyst, speaker=dup)
    q2 = services.quote_create(article=article, start=11, end=20, actor=analyst, speaker=xi)

    survivor = services.speaker_merge(source=dup, target=xi, actor=supervisor)

    assert survivor == xi
    assert set(Quote.objects.filter(speaker=xi).values_list("pk", flat=True)) == {q1.pk, q2.pk}
    assert set(xi.aliases.values_list("alias_key", flat=True)) == {"xi jinping", "president xi", "xi", "xi jinping's"}
    assert not SpeakerAlias.objects.filter(speaker=dup).exists()
    dup.refresh_from_db()
    xi.refresh_from_db()
    assert dup.merged_into == xi and "Chinese President" in xi.roles
    # every move is in history, by the supervisor
    moved = Quote.history.filter(id=q1.pk).latest()
    assert moved.speaker_id == xi.pk and moved.history_user == supervisor and "merged" in moved.history_change_reason
    assert dup.history.latest().history_user == supervisor
    assert SpeakerAlias.history.filter(speaker_id=xi.pk, alias_key="xi", history_user=supervisor).exists()
    assert SpeakerAlias.history.filter(alias_key="president xi", history_type="-", history_user=supervisor).exists()


def test_speaker_merge_refuses_itself_and_a_stale_version(supervisor):
    a, b = speaker("A Person"), speaker("B Person")
    with pytest.raises(ValidationError):
        services.speaker_merge(source=a, target=a, actor=supervisor)
    with pytest.raises(VersionConflict):
        services.speaker_merge(source=b, target=a, actor=supervisor, target_version=a.version + 5)
    b.refresh_from_db()
    assert b.merged_into is None


def test_merged_speakers_point_at_the_last_survivor_and_imports_resolve_through_them(supervisor):
    a, b, c = speaker("Sergei Lavrov"), speaker("Lavrov"), speaker("S. Lavrov")
    services.speaker_merge(source=b, target=c, actor=supervisor)
    c.refresh_from_db()
    services.speaker_merge(source=c, target=a, actor=supervisor)
    b.refresh_from_db()
    assert b.merged_into == a
    resolved = services.speakers_resolve(infos=[SpeakerInfo(name="Lavrov", kind="person")])
    assert resolved["Lavrov"] == a


def test_speaker_split_moves_the_chosen_aliases_and_quotes_to_a_new_speaker(article, supervisor, analyst):
    wang = speaker("Wang", aliases=["Wang Yi", "Wang Wenbin"])
    q1 = services.quote_create(article=article, start=0, end=10, actor=analyst, speaker=wang)
    q2 = services.quote_create(article=article, start=11, end=20, actor=analyst, speaker=wang)
    wenbin = wang.aliases.get(alias_key="wang wenbin")

    new = services.speaker_split(
        speaker=wang,
        actor=supervisor,
        name="Wang Wenbin",
        role="Foreign Ministry spokesperson",
        alias_ids=[wenbin.pk],
        quote_ids=[q2.pk],
    )

    assert new.name == "Wang Wenbin" and new.roles == ["Foreign Ministry spokesperson"]
    assert list(new.aliases.values_list("alias_key", flat=True)) == ["wang wenbin"]
    assert set(wang.aliases.values_list("alias_key", flat=True)) == {"wang", "wang yi"}
    assert Quote.objects.get(pk=q2.pk).speaker == new and Quote.objects.get(pk=q1.pk).speaker == wang
    assert Quote.history.filter(id=q2.pk).latest().history_user == supervisor
    assert new.history.get().history_user == supervisor
    assert "split" in Speaker.objects.get(pk=wang.pk).history.latest().history_change_reason


def test_speaker_split_refuses_foreign_items_the_own_name_and_an_empty_choice(article, supervisor, analyst):
    a, b = speaker("Anna Person", aliases=["Anna"]), speaker("Bob Person")
    foreign = services.quote_create(article=article, start=0, end=10, actor=analyst, speaker=b)
    with pytest.raises(ValidationError):
        services.speaker_split(speaker=a, actor=supervisor, name="X", quote_ids=[foreign.pk])
    with pytest.raises(ValidationError):
        own = a.aliases.get(alias_key="anna person")
        services.speaker_split(speaker=a, actor=supervisor, name="X", alias_ids=[own.pk])
    with pytest.raises(ValidationError):
        services.speaker_split(speaker=a, actor=supervisor, name="X")
    assert Speaker.objects.count() == 2 and Quote.objects.get(pk=foreign.pk).speaker == b


def test_alias_add_and_remove_are_recorded_and_the_own_name_stays(supervisor):
    putin = speaker("Vladimir Putin")
    alias = services.speaker_alias_add(speaker=putin, alias="  Putin ", actor=supervisor)
    assert (alias.alias, alias.alias_key) == ("Putin", "putin")
    with pytest.raises(ValidationError):
        services.speaker_alias_add(speaker=putin, alias="PUTIN", actor=supervisor)
    services.speaker_alias_remove(alias=alias, actor=supervisor)
    assert SpeakerAlias.history.filter(alias_key="putin", history_type="-", history_user=supervisor).exists()
    with pytest.raises(ValidationError):
        services.speaker_alias_remove(alias=putin.aliases.get(), actor=supervisor)


# --- corpus-wide resolution --------------------------------------------------------------------------------


def test_a_bare_surname_in_a_new_article_joins_the_full_name_already_in_the_corpus():
    xi = speaker("Xi Jinping")
    resolved = services.speakers_resolve(infos=[SpeakerInfo(name="Xi", kind="person")])
    assert resolved["Xi"] == xi
    assert set(xi.aliases.values_list("alias_key", flat=True)) == {"xi jinping", "xi"}


def test_a_full_name_upgrades_a_speaker_known_by_one_token_whatever_the_name_order():
    xi = speaker("Xi")
    info = SpeakerInfo(name="Xi Jinping", kind="person", role="Chinese President")
    resolved = services.speakers_resolve(infos=[info])
    xi.refresh_from_db()
    assert resolved["Xi Jinping"] == xi and xi.name == "Xi Jinping" and xi.roles == ["Chinese President"]


def test_an_ambiguous_bare_name_gets_its_own_speaker_rather_than_a_guess():
    speaker("Wang Yi"), speaker("Wang Wenbin")
    resolved = services.speakers_resolve(infos=[SpeakerInfo(name="Wang", kind="person")])
    assert resolved["Wang"].name == "Wang"
    assert Speaker.objects.count() == 3


def test_a_full_name_joins_its_speaker_and_not_the_ambiguous_bare_name_beside_it():
    wang_yi, _ = speaker("Wang Yi"), speaker("Wang Wenbin")
    bare = services.speakers_resolve(infos=[SpeakerInfo(name="Wang", kind="person")])["Wang"]
    resolved = services.speakers_resolve(infos=[SpeakerInfo(name="Wang Yi", kind="person", aliases=("Wang",))])
    assert resolved["Wang Yi"] == wang_yi != bare
    assert Speaker.objects.filter(name="Wang Yi").count() == 1


def test_the_registry_search_finds_a_name_word_anywhere_in_an_alias_and_takes_no_wildcards():
    anywhere = [speaker(n) for n in ("Kim Jong Un", "Jong Kim", "Ri Jong", "Jong")]
    lookalikes = [speaker(n) for n in ("Jongsu Park", "Park Nojong", "Jo_ng Lee", "Jo%g Lee", "jxng lee")]
    found = services._Known([SpeakerInfo(name="Jong", kind="person")]).speakers
    assert sorted(found) == sorted(s.pk for s in anywhere) and not set(found) & {s.pk for s in lookalikes}
    wild = services._Known([SpeakerInfo(name="J_ng X%", kind="person")]).speakers
    assert not set(wild) & {s.pk for s in [*anywhere, *lookalikes]}


def test_organisations_resolve_by_alias_not_by_shared_words():
    ministry = speaker("Foreign Ministry", kind="organisation")
    resolved = services.speakers_resolve(
        infos=[
            SpeakerInfo(name="Foreign Ministry", kind="organisation"),
            SpeakerInfo(name="Ukraine's Foreign Ministry", kind="organisation"),
        ]
    )
    assert resolved["Foreign Ministry"] == ministry
    assert resolved["Ukraine's Foreign Ministry"] != ministry


def test_every_title_seen_is_kept_in_roles_and_the_latest_in_role():
    services.speakers_resolve(infos=[SpeakerInfo(name="Vladimir Putin", kind="person", role="Russian President")])
    services.speakers_resolve(infos=[SpeakerInfo(name="Putin", kind="person", role="President")])
    putin = Speaker.objects.get()
    assert putin.roles == ["Russian President", "President"] and putin.role == "President"


def test_seed_import_resolves_xi_and_putin_to_one_speaker_each_across_articles(seed_articles):
    xi = Speaker.objects.get(aliases__alias_key="xi")
    putin = Speaker.objects.get(aliases__alias_key="putin")
    assert (xi.name, putin.name) == ("Xi Jinping", "Vladimir Putin")
    assert Quote.objects.filter(speaker=xi).values("article").distinct().count() >= 2
    assert Quote.objects.filter(speaker=putin).values("article").distinct().count() >= 2
    assert "Chinese President" in xi.roles and "Russian President" in putin.roles
    assert not Speaker.objects.filter(name__in=["Xi", "Putin"]).exists()


def test_the_database_refuses_a_second_live_quote_on_the_same_passage(analyst):
    from django.db import IntegrityError, transaction

    article = ArticleFactory(text=TEXT)
    services.quote_create(article=article, start=0, end=10, actor=analyst)
    with pytest.raises(IntegrityError), transaction.atomic():  # what a concurrent request would hit
        Quote.objects.create(article=article, start=0, end=10, text=TEXT[:10])
    assert Quote.objects.filter(deleted_at__isnull=True).count() == 1


def test_a_concurrent_duplicate_quote_is_refused_as_a_duplicate_not_a_500(analyst, monkeypatch):
    article = ArticleFactory(text=TEXT)
    services.quote_create(article=article, start=0, end=10, actor=analyst)
    # the other request checked before this one committed: its existence check saw nothing
    real_filter = Quote.objects.filter
    monkeypatch.setattr(
        Quote.objects, "filter", lambda *a, **k: real_filter(pk=-1) if "start" in k else real_filter(*a, **k)
    )
    with pytest.raises(ValidationError) as err:
        services.quote_create(article=article, start=0, end=10, actor=analyst)
    assert err.value.code == "duplicate"


# --- corpus-wide resolution: one name matcher and a clean registry -----------------------------------------


def test_a_transliteration_variant_joins_the_stored_speaker():
    zelensky = speaker("Volodymyr Zelenskyy")
    resolved = services.speakers_resolve(infos=[SpeakerInfo(name="Volodymyr Zelensky", kind="person")])
    assert resolved["Volodymyr Zelensky"] == zelensky
    assert Speaker.objects.count() == 1


def test_a_name_without_accents_finds_the_speaker_stored_with_them():
    services.speakers_resolve(infos=[SpeakerInfo(name="António Guterres", kind="person")])
    resolved = services.speakers_resolve(infos=[SpeakerInfo(name="Antonio Guterres", kind="person")])
    assert Speaker.objects.count() == 1
    assert resolved["Antonio Guterres"].name == "António Guterres"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("officials", "person"),
        ("Military analysts", "person"),
        ("people", "person"),
        ("a source close to the talks", "person"),
        ("Ukrainian military spokesperson", "person"),
        ("the newspaper", "organisation"),
        ("two agencies", "organisation"),
        ("reader", "person"),
        ("interpretation", "organisation"),
    ],
)
def test_generic_sources_and_non_agents_get_no_corpus_speaker(name, kind):
    assert services.speakers_resolve(infos=[SpeakerInfo(name=name, kind=kind)]) == {}
    assert not Speaker.objects.exists()


def test_a_group_around_a_name_is_not_that_person():
    clinton = speaker("Hillary Clinton", aliases=["Clinton"])
    resolved = services.speakers_resolve(
        infos=[SpeakerInfo(name="Mrs. Clinton's aides", kind="person"), SpeakerInfo(name="Clinton", kind="person")]
    )
    assert resolved == {"Clinton": clinton}
    assert "mrs. clinton's aides" not in set(SpeakerAlias.objects.values_list("alias_key", flat=True))


def test_a_long_title_is_kept_short():
    services.speakers_resolve(
        infos=[
            SpeakerInfo(
                name="Dana Whitfield", kind="person", role="chief executive of Ora Media, which owns two dailies"
            )
        ]
    )
    assert Speaker.objects.get().role == "chief executive of Ora Media"


def test_a_supervisors_edit_of_name_title_and_kind_survives_imports(supervisor):
    putin = services.speakers_resolve(infos=[SpeakerInfo(name="Putin", kind="person", role="President")])["Putin"]
    putin = services.speaker_update(
        speaker=putin, version=putin.version, actor=supervisor, name="Putin", kind="person", role="Kremlin leader"
    )
    services.speakers_resolve(
        infos=[SpeakerInfo(name="Vladimir Putin", kind="person", role="Russian President", aliases=("Mr Putin",))]
    )
    putin.refresh_from_db()
    assert (putin.name, putin.kind, putin.role) == ("Putin", "person", "Kremlin leader")
    assert {"vladimir putin", "mr putin"} <= set(putin.aliases.values_list("alias_key", flat=True))
    assert "Russian President" in putin.roles


def test_an_import_still_upgrades_a_speaker_nobody_curated():
    services.speakers_resolve(infos=[SpeakerInfo(name="Putin", kind="person")])
    services.speakers_resolve(infos=[SpeakerInfo(name="Vladimir Putin", kind="person", role="Russian President")])
    assert Speaker.objects.get().name == "Vladimir Putin"


def test_a_title_left_in_an_extracted_name_goes_to_the_role_and_the_quote_still_resolves():
    resolved = services.speakers_resolve(infos=[SpeakerInfo(name="Representative Ana Ruiz", kind="person")])
    ruiz = resolved["Representative Ana Ruiz"]
    assert (ruiz.name, ruiz.role) == ("Ana Ruiz", "Representative")


def test_a_shared_family_name_does_not_join_two_full_names():
    services.speakers_resolve(infos=[SpeakerInfo(name="Cho Tae-yul", kind="person", aliases=("Cho",))])
    resolved = services.speakers_resolve(infos=[SpeakerInfo(name="Cho Hyun", kind="person", aliases=("Cho",))])
    assert resolved["Cho Hyun"].name == "Cho Hyun"
    assert Speaker.objects.count() == 2


def test_descriptions_are_not_recorded_as_aliases():
    aliases = ("spokeswoman", "Foreign Ministry spokeswoman Mao Ning")
    services.speakers_resolve(infos=[SpeakerInfo(name="Mao Ning", kind="person", aliases=aliases)])
    keys = set(SpeakerAlias.objects.values_list("alias_key", flat=True))
    assert keys == {"mao ning", "foreign ministry spokeswoman mao ning"}


def test_a_body_does_not_join_a_person_through_an_alias_but_an_ner_slip_of_kind_still_does():
    trump = speaker("Donald Trump", aliases=["Trump"])
    body = SpeakerInfo(name="Trump administration", kind="organisation", aliases=("Trump",))
    assert services.speakers_resolve(infos=[body])["Trump administration"] != trump
    slip = SpeakerInfo(name="Donald Trump", kind="organisation")  # the person's own name, tagged ORG
    assert services.speakers_resolve(infos=[slip])["Donald Trump"] == trump


def test_an_accented_name_is_also_recorded_without_accents_with_its_case():
    resolved = services.speakers_resolve(
        infos=[SpeakerInfo(name="Andrej Babiš", kind="person", aliases=("Prime Minister Babiš",))]
    )
    assert set(resolved["Andrej Babiš"].aliases.values_list("alias", flat=True)) >= {
        "Andrej Babis",
        "Prime Minister Babis",
    }


def test_a_name_found_only_in_the_title_part_of_an_alias_is_not_that_person():
    mujahid = speaker("Zabihullah Mujahid", aliases=["Islamic Emirate spokesman Zabihullah Mujahid"])
    resolved = services.speakers_resolve(infos=[SpeakerInfo(name="Islamic Emirate", kind="person")])
    assert resolved["Islamic Emirate"] != mujahid
    assert services.speakers_resolve(infos=[SpeakerInfo(name="Mujahid", kind="person")])["Mujahid"] == mujahid
