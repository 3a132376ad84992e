"""Writes for speakers and quotes: corpus-wide speaker resolution, analysts' quote edits, merges and splits.

Every write keeps history (django-simple-history; the acting user is set on each instance, so services called
from commands or tasks record who too) and every edit of an existing quote or speaker is checked against the
``version`` the user edited (apps.core.versions.version_claim), else ``VersionConflict``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from apps.core.bulk import history_rows_insert, rows_insert
from apps.core.offsets import span_offsets
from apps.core.versions import VersionConflict, version_claim
from apps.nlp import names
from apps.nlp.types import SpeakerInfo

from .models import Quote, QuoteCorrection, Speaker, SpeakerAlias
from .selectors import decisions_blind

_UNSET = object()


# --- names -------------------------------------------------------------------------------------------------
# One name matcher for the extractor and the corpus: ``apps.nlp.names`` (accents, transliterations, name order).

alias_key = names.alias_key


def _by(instance, actor, reason: str = ""):
    """Mark who makes the next save/delete of ``instance`` (and why) for its history row."""
    if actor is not None:
        instance._history_user = actor
    if reason:
        instance._change_reason = reason
    return instance


def _alias_add(speaker: Speaker, surface: str, known: set[str], actor=None) -> None:
    key = alias_key(surface)
    if key and key not in known:
        if not SpeakerAlias.objects.filter(speaker=speaker, alias_key=key).exists():
            _by(SpeakerAlias(speaker=speaker, alias=surface.strip()[:200], alias_key=key[:200]), actor).save()
        known.add(key)


def _role_seen(speaker: Speaker, role: str, *, keep_current: bool = False) -> bool:
    """Record ``role`` (shortened to the title itself) as the speaker's latest title, or only among the titles
    seen with ``keep_current``; returns whether anything changed."""
    role = names.short_role(role)[:200]
    if not role:
        return False
    changed = False
    if role not in speaker.roles:
        speaker.roles = [*speaker.roles, role]
        changed = True
    if speaker.role != role and not (keep_current and speaker.role):
        speaker.role = role
        changed = True
    return changed


def _like_escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _token_candidates(tokens: set[str]) -> Q:
    """Aliases holding one of ``tokens`` as a whole word ("xi" finds "xi jinping"), wherever it sits. On PostgreSQL
    one ``LIKE ANY`` over an array of patterns: four lookups per token cost the import more to build and compile
    than the query takes to run."""
    if not tokens:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        patterns = [p for t in map(_like_escaped, sorted(tokens)) for p in (f"{t} %", f"% {t}", f"% {t} %")]
        column = f'"{SpeakerAlias._meta.db_table}"."alias_key"'
        return Q(alias_key__in=sorted(tokens)) | Q(
            RawSQL(f"{column} LIKE ANY(%s::text[])", [patterns], output_field=BooleanField())
        )
    q = Q()
    for t in tokens:
        q |= Q(alias_key=t) | Q(alias_key__startswith=f"{t} ") | Q(alias_key__endswith=f" {t}")
        q |= Q(alias_key__contains=f" {t} ")
    return q


def _search_tokens(infos: list[SpeakerInfo]) -> set[str]:
    """The stored spellings under which the name tokens of people may be found ("zelenskyy" for "Zelensky")."""
    return {
        s
        for info in infos
        if info.kind == Speaker.Kind.PERSON
        for t in names.name_tokens(info.name)
        if len(t) > 1
        for s in names.spellings(t)
    }


def _curated(speaker_ids) -> set[int]:
    """Those of the speakers a person edited, created, merged or split by hand: services record a reason for those
    writes, the import records none. An import never overrides their name, title or kind."""
    return set(
        Speaker.history.filter(id__in=list(speaker_ids))
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .values_list("id", flat=True)
        .distinct()
    )


# --- corpus-wide speaker resolution (used by the import) ---------------------------------------------------


def speaker_is_corpus_wide(info: SpeakerInfo) -> bool:
    """Only named agents become corpus-wide speakers. Descriptions ("officials", "a source close to ...", "the
    newspaper", "Ukrainian military spokesperson", "Putin's spokesman") name no one in particular and stay with
    their quote as its source description; non-agents ("reader", "interpretation") never speak."""
    return names.is_corpus_speaker(info.name, info.kind)


def _survivor(speaker: Speaker) -> Speaker:
    seen = {speaker.pk}
    while speaker.merged_into_id and speaker.merged_into_id not in seen:  # follow merges to the survivor
        seen.add(speaker.merged_into_id)
        speaker = Speaker.objects.get(pk=speaker.merged_into_id)
    return speaker


class _Known:
    """The stored speakers that may fit a batch of infos, by alias key."""

    def __init__(self, infos: list[SpeakerInfo]):
        forms = {alias_key(f) for info in infos for f in (info.name, *info.aliases)} - {""}
        candidates = (
            SpeakerAlias.objects.filter(Q(alias_key__in=forms) | _token_candidates(_search_tokens(infos)))
            .select_related("speaker")
            .only(
                "alias_key",
                "speaker__name",
                "speaker__kind",
                "speaker__role",
                "speaker__roles",
                "speaker__version",
                "speaker__merged_into_id",
            )
        )
        self.by_key: dict[str, set[int]] = {}
        self.keys_of: dict[int, set[str]] = {}
        self.speakers: dict[int, Speaker] = {}
        for alias in candidates:
            speaker = _survivor(alias.speaker)
            self.remember(self.speakers.setdefault(speaker.pk, speaker), alias.alias_key)
        self.curated = _curated(self.speakers) if self.speakers else set()  # speakers made here are the import's

    def remember(self, speaker: Speaker, key: str) -> None:
        self.speakers.setdefault(speaker.pk, speaker)
        self.by_key.setdefault(key, set()).add(speaker.pk)
        self.keys_of.setdefault(speaker.pk, set()).add(key)

    def fitting(self, info: SpeakerInfo) -> list[int]:
        """Speakers known by one of the info's forms (of its kind first), a person only when the names agree
        ("Cho" known for Cho Tae-yul does not make "Cho Hyun" him); for people, else those whose name or a
        fuller alias is the same person by the name matcher (a one-word alias bridges no two full names)."""
        exact = {pk for f in _alias_forms(info) for pk in self.by_key.get(alias_key(f), ())}
        # a speaker of the other kind fits only by the info's own name (NER's kind may be wrong), never through
        # an alias: "Trump" said of the body "Trump administration" does not make it the person
        fitting = [pk for pk in exact if self.speakers[pk].kind == info.kind] or sorted(
            self.by_key.get(alias_key(info.name), ())
        )
        if info.kind == Speaker.Kind.PERSON:
            fitting = [pk for pk in fitting if names.same_speaker(self.speakers[pk].name, info.name)]
        if len(fitting) > 1:  # "Wang Yi" fits "Wang Yi" and a speaker known only as "Wang": the full name decides
            key = alias_key(info.name)
            full = [pk for pk in fitting if alias_key(self.speakers[pk].name) == key]
            if len(full) == 1:
                return full
        if fitting or info.kind != Speaker.Kind.PERSON:
            return fitting
        return [
            pk
            for pk, s in self.speakers.items()
            if s.kind == Speaker.Kind.PERSON
            and any(
                names.same_speaker(key, info.name)
                for key in (alias_key(s.name), *self.keys_of.get(pk, ()))
                if key == alias_key(s.name) or len(names.name_tokens(key)) > 1
            )
            # through a titled alias only with a word of the name itself: "Islamic Emirate" is in "Islamic
            # Emirate spokesman Zabihullah Mujahid" but is not him
            and any(names.same_speaker(word, s.name) for word in info.name.split())
        ]


def _speaker_update_from(speaker: Speaker, info: SpeakerInfo, *, curated: bool) -> None:
    """A fuller name replaces a shorter canonical one, and the latest title becomes the role, unless a person
    ``curated`` the speaker: then the new forms are only aliases and the title only joins ``roles``."""
    changed = []
    if (
        not curated
        and len(names.name_tokens(info.name)) > len(names.name_tokens(speaker.name))
        and names.same_speaker(speaker.name, info.name)
    ):
        speaker.name = info.name
        changed.append("name")
    if _role_seen(speaker, info.role, keep_current=curated):
        changed += ["role", "roles"]
    if changed:
        speaker.version += 1
        speaker.save(update_fields=[*changed, "version", "updated_at"])


# no savepoint when called inside a transaction: an error here ends the caller's (the import lets it propagate)
@transaction.atomic(savepoint=False)
def speakers_resolve(*, infos: Iterable[SpeakerInfo]) -> dict[str, Speaker]:
    """Map each extracted speaker to a corpus Speaker, creating one only when no existing speaker fits.

    Only named agents are resolved (``speaker_is_corpus_wide``): a description or a non-agent gets no Speaker
    and is absent from the result. An existing speaker fits when one of the info's forms is a known alias, or,
    for people, when the name matcher (``apps.nlp.names.same_speaker``: token containment in any order,
    accents, transliterations, initials) pairs the info's name with the speaker's name or an alias ("Xi" joins
    "Xi Jinping", "Zelensky" joins "Volodymyr Zelenskyy"). Ambiguous names (two candidates) get a speaker of
    their own rather than a guess. Every form seen is recorded as an alias, every title in ``roles``; a longer
    full name replaces a shorter canonical one unless a person curated the speaker. Merged speakers resolve to
    their survivor.
    """
    named = {info.name: _without_title(info) for info in infos if speaker_is_corpus_wide(info)}
    if not named:
        return {}
    known = _Known(list(named.values()))
    resolved: dict[str, Speaker] = {}
    for extracted_name, info in named.items():
        fitting = known.fitting(info)
        if len(fitting) == 1:
            speaker = known.speakers[fitting[0]]
            _speaker_update_from(speaker, info, curated=speaker.pk in known.curated)
        else:
            speaker = Speaker(name=info.name, kind=info.kind)
            _role_seen(speaker, info.role)
            speaker.save()
        keys = set(known.keys_of.get(speaker.pk, set()))
        for form in _alias_forms(info):
            _alias_add(speaker, form, keys)
            known.remember(speaker, alias_key(form))
        resolved[extracted_name] = speaker
    return resolved


def _without_title(info: SpeakerInfo) -> SpeakerInfo:
    """ "Representative Ana Ruiz" is Ana Ruiz with the title "Representative"."""
    if info.kind != Speaker.Kind.PERSON:
        return info
    name, role = names.speaker_name_parts(info.name)
    if not role or not name:
        return info
    return SpeakerInfo(name=name, kind=info.kind, role=info.role or role, aliases=(info.name, *info.aliases))


def _alias_forms(info: SpeakerInfo) -> list[str]:
    """The forms to record: the name and the aliases that name the speaker (not descriptions such as
    "spokesman" or "the French foreign minister", which would join strangers corpus-wide), and their
    accent-free spelling when it differs, so a later article without the accents finds the speaker."""
    forms = [info.name, *(a for a in info.aliases if names.names_the_same(a, info.name, info.kind))]
    keys = {alias_key(x) for x in forms}
    return forms + [f for f in (names.unaccented(x) for x in forms) if alias_key(f) not in keys]


# --- quotes ------------------------------------------------------------------------------------------------


def _checked_span(article, start, end) -> tuple[int, int]:
    return span_offsets(text=article.text, start=start, end=end)


def _checked_kind(kind: str) -> str:
    if kind not in Quote.Kind.values:
        raise ValidationError(f"Unknown quote kind “{kind}”.", code="bad_kind")
    return kind


def _live_speaker(speaker: Speaker | None) -> Speaker | None:
    if speaker is not None and speaker.merged_into_id:
        raise ValidationError(f"“{speaker.name}” was merged into another speaker; choose that one.", code="merged")
    return speaker


def _claim(model, pk: int, version, what: str):
    """Take the row at ``version`` (see version_claim) and return it locked, version bumped."""
    manager = getattr(model, "all_objects", model.objects)  # an analyst's private quote too
    version_claim(manager.all(), pk=pk, version=version, what=what)
    return manager.select_for_update().get(pk=pk)


# --- blind double annotation: an analyst's own corrections -----------------------------------------------------


def _blind(quote: Quote, actor) -> bool:
    """Whether this edit goes to the actor's own correction (shared quote, blind double annotation)."""
    return quote.private_to_id is None and decisions_blind(user=actor, article_id=quote.article_id)


def _correction_claim(quote: Quote, version, actor) -> QuoteCorrection:
    """The actor's correction of ``quote`` at ``version``, version bumped (not saved yet): the first one starts
    from the shared quote and continues its version, so the version the page shows is always the one to send."""
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ValidationError(
            "The edit does not say which version of the quote it started from.", code="no_version"
        ) from None
    # the shared row is locked so the first correction of one analyst is created once, whatever the tabs do
    shared = Quote.objects.select_for_update().filter(pk=quote.pk, deleted_at__isnull=True).first()
    if shared is None:
        raise VersionConflict("This quote was deleted in the meantime (in another tab, or by someone else).")
    correction = QuoteCorrection.objects.filter(quote=shared, analyst_id=actor.pk).first()
    current = correction.version if correction else shared.version
    if version != current:
        raise VersionConflict(
            "This quote was changed elsewhere (another tab) since you opened it; your change was not saved. "
            "Here is the current version."
        )
    if correction is None:
        correction = QuoteCorrection(
            quote=shared,
            analyst=actor,
            start=shared.start,
            end=shared.end,
            text=shared.text,
            kind=shared.kind,
            speaker_id=shared.speaker_id,
        )
    correction.version = current + 1
    return correction


def _as_corrected(correction: QuoteCorrection, actor) -> Quote:
    """The shared quote as the analyst now sees it (in memory), for the view's answer."""
    quote = correction.quote
    quote.start, quote.end, quote.text, quote.kind = correction.start, correction.end, correction.text, correction.kind
    quote.speaker_id, quote.confirmed, quote.version = correction.speaker_id, correction.confirmed, correction.version
    quote.confirmed_by = actor if correction.confirmed else None
    return quote


def _private_save(quote: Quote, actor, reason: str) -> Quote:
    try:
        with transaction.atomic():
            _by(quote, actor, reason).save()
    except IntegrityError:  # two tabs of the same analyst: the private constraint decides
        raise ValidationError("You already marked this passage as a quote.", code="duplicate") from None
    return quote


@transaction.atomic
def quote_create(
    *,
    article,
    start,
    end,
    actor,
    speaker: Speaker | None = None,
    kind: str = Quote.Kind.DIRECT,
    cue: str = "",
) -> Quote:
    """Add a quote a human found: the span is checked against the article and its text copied from it.

    A quote added by a person counts as confirmed by that person. The same span twice is refused.
    """
    start, end = _checked_span(article, start, end)
    kind = _checked_kind(kind)
    _live_speaker(speaker)
    if Quote.objects.filter(article=article, start=start, end=end, deleted_at__isnull=True).exists():
        raise ValidationError("This passage is already a quote.", code="duplicate")
    private = decisions_blind(user=actor, article_id=article.pk)
    if (
        private
        and Quote.all_objects.filter(
            article=article, start=start, end=end, deleted_at__isnull=True, private_to_id=actor.pk
        ).exists()
    ):
        raise ValidationError("You already marked this passage as a quote.", code="duplicate")
    quote = Quote(
        private_to=actor if private else None,
        article=article,
        speaker=speaker,
        start=start,
        end=end,
        text=article.text[start:end],
        kind=kind,
        cue=cue[:60],
        confidence=1.0,
        confirmed=True,
        confirmed_by=actor,
        created_by=actor,
    )
    quote.full_clean(
        exclude=["article", "speaker", "confirmed_by", "created_by", "deleted_by", "private_to"],
        validate_constraints=False,
    )
    if private:  # blind double annotation: the analyst's own addition until a reviewer adopts it
        return _private_save(quote, actor, "added by hand (private to its analyst until review)")
    try:
        with transaction.atomic():
            _by(quote, actor, "added by hand").save()
    except IntegrityError:  # somebody added the same passage a moment ago: the constraint decides
        raise ValidationError("This passage is already a quote.", code="duplicate") from None
    return quote


@transaction.atomic
def quote_update(*, quote: Quote, version, actor, start=None, end=None, kind=None, speaker=_UNSET) -> Quote:
    """Change a quote's span, kind and/or speaker if nobody saved it since ``version``.

    The span is re-checked against the article and the text copied again. ``speaker=None`` unattributes.
    """
    article = quote.article
    if start is not None or end is not None:
        start, end = _checked_span(article, quote.start if start is None else start, quote.end if end is None else end)
    if kind is not None:
        kind = _checked_kind(kind)
    if speaker is not _UNSET:
        _live_speaker(speaker)
    if _blind(quote, actor):
        correction = _correction_claim(quote, version, actor)
        if correction.deleted:
            raise ValidationError("You deleted this quote; restore it first.", code="deleted")
        if start is not None:
            correction.start, correction.end, correction.text = start, end, article.text[start:end]
        if kind is not None:
            correction.kind = kind
        if speaker is not _UNSET:
            correction.speaker = speaker
        _by(correction, actor, "corrected (blind)").save()
        return _as_corrected(correction, actor)
    locked = _claim(Quote, quote.pk, version, "quote")
    if locked.deleted_at:
        raise ValidationError("This quote has been deleted; restore it first.", code="deleted")
    changes = []
    if start is not None and (start, end) != (locked.start, locked.end):
        if (
            Quote.all_objects.filter(article_id=locked.article_id, start=start, end=end, deleted_at__isnull=True)
            .filter(Q(private_to__isnull=True) | Q(private_to_id=locked.private_to_id))
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise ValidationError("Another quote already covers exactly this passage.", code="duplicate")
        locked.start, locked.end, locked.text = start, end, article.text[start:end]
        changes.append("span")
    if kind is not None and kind != locked.kind:
        locked.kind = kind
        changes.append("kind")
    if speaker is not _UNSET and (speaker.pk if speaker else None) != locked.speaker_id:
        locked.speaker = speaker
        changes.append("speaker")
    _by(locked, actor, "changed " + ", ".join(changes) if changes else "saved").save()
    return locked


def _confirmation_set(quote: Quote, version, actor, *, confirmed: bool) -> Quote:
    """Confirm or take a confirmation back in the actor's layer: their own correction under blind double
    annotation (the shared quote is untouched), else the shared quote (or the analyst's private addition).
    Taking back is refused when that layer holds no confirmation; checked against ``version``."""
    verb = "confirmed" if confirmed else "unconfirmed"
    if _blind(quote, actor):
        correction = _correction_claim(quote, version, actor)
        if correction.deleted:
            raise ValidationError("You deleted this quote; restore it first.", code="deleted")
        if not confirmed and not correction.confirmed:
            # a confirmation in the shared layer is not theirs to take back: a reviewer decides on it
            raise ValidationError("You have not confirmed this quote.", code="not_confirmed")
        correction.confirmed = confirmed
        _by(correction, actor, f"{verb} (blind)").save()
        return _as_corrected(correction, actor)
    locked = _claim(Quote, quote.pk, version, "quote")
    if locked.deleted_at:
        raise ValidationError("This quote has been deleted; restore it first.", code="deleted")
    if not confirmed and not locked.confirmed:
        raise ValidationError("This quote is not confirmed.", code="not_confirmed")
    locked.confirmed = confirmed
    locked.confirmed_by = actor if confirmed else None
    _by(locked, actor, verb).save()
    return locked


@transaction.atomic
def quote_confirm(*, quote: Quote, version, actor) -> Quote:
    """A person vouches for the quote as it stands (span, kind, speaker)."""
    return _confirmation_set(quote, version, actor, confirmed=True)


@transaction.atomic
def quote_unconfirm(*, quote: Quote, version, actor) -> Quote:
    """Take a confirmation back, in the layer ``quote_confirm`` would have written for this actor."""
    return _confirmation_set(quote, version, actor, confirmed=False)


@transaction.atomic
def quote_delete(*, quote: Quote, version, actor) -> Quote:
    """Soft delete: the quote leaves every page and export but stays, with who and when, for undo and audit.
    Under blind double annotation an analyst's deletion hides the shared quote from them only."""
    if _blind(quote, actor):
        correction = _correction_claim(quote, version, actor)
        if correction.deleted:
            raise ValidationError("This quote is already deleted.", code="deleted")
        correction.deleted = True
        _by(correction, actor, "deleted (blind)").save()
        return _as_corrected(correction, actor)
    locked = _claim(Quote, quote.pk, version, "quote")
    if locked.deleted_at:
        raise ValidationError("This quote is already deleted.", code="deleted")
    locked.deleted_at = timezone.now()
    locked.deleted_by = actor
    _by(locked, actor, "deleted").save()
    return locked


@transaction.atomic
def quote_restore(*, quote: Quote, version, actor) -> Quote:
    """Undo a deletion (the span must still be free)."""
    if _blind(quote, actor) and not Quote.objects.filter(pk=quote.pk, deleted_at__isnull=False).exists():
        correction = _correction_claim(quote, version, actor)
        if not correction.deleted:
            raise ValidationError("This quote is not deleted.", code="not_deleted")
        correction.deleted = False
        _by(correction, actor, "restored (blind)").save()
        return _as_corrected(correction, actor)
    locked = _claim(Quote, quote.pk, version, "quote")
    if not locked.deleted_at:
        raise ValidationError("This quote is not deleted.", code="not_deleted")
    if (
        Quote.all_objects.filter(private_to_id=locked.private_to_id)
        .filter(article_id=locked.article_id, start=locked.start, end=locked.end, deleted_at__isnull=True)
        .exists()
    ):
        raise ValidationError("Another quote now covers exactly this passage.", code="duplicate")
    locked.deleted_at = None
    locked.deleted_by = None
    _by(locked, actor, "restored").save()
    return locked


@transaction.atomic
def quote_attribute_speaker(
    *, quote: Quote, version, actor, speaker: Speaker | None = None, new_name: str = "", new_kind: str = ""
) -> Quote:
    """Attribute a quote to ``speaker``, to a new speaker named ``new_name`` (created here), or to nobody.

    All or nothing: a new speaker is created only if the quote is still at ``version``.
    """
    if new_name:
        speaker = speaker_create(name=new_name, kind=new_kind or Speaker.Kind.PERSON, actor=actor)
    return quote_update(quote=quote, version=version, actor=actor, speaker=speaker)


@transaction.atomic
def quote_correction_adopt(*, correction: QuoteCorrection, actor) -> Quote:
    """A reviewer decides for one analyst's correction: the shared quote takes its span, kind, speaker and
    confirmation (or is deleted). The correction stays as it was, and both changes are in history."""
    quote = Quote.objects.select_for_update().filter(pk=correction.quote_id).first()
    if quote is None:
        raise ValidationError("This quote is no longer shared.", code="gone")
    who = correction.analyst.get_username()
    if correction.deleted:
        if quote.deleted_at is None:
            quote.deleted_at, quote.deleted_by = timezone.now(), actor
    else:
        if (correction.start, correction.end) != (quote.start, quote.end) and (
            Quote.objects.filter(article_id=quote.article_id, start=correction.start, end=correction.end)
            .filter(deleted_at__isnull=True)
            .exclude(pk=quote.pk)
            .exists()
        ):
            raise ValidationError("Another quote already covers exactly this passage.", code="duplicate")
        quote.start, quote.end, quote.text = correction.start, correction.end, correction.text
        quote.kind, quote.speaker_id = correction.kind, correction.speaker_id
        quote.deleted_at, quote.deleted_by = None, None
        if correction.confirmed:
            quote.confirmed, quote.confirmed_by = True, correction.analyst
    quote.version += 1
    _by(quote, actor, f"adopted {who}'s correction in review").save()
    return quote


@transaction.atomic
def quote_private_adopt(*, quote: Quote, actor) -> Quote:
    """A reviewer makes an analyst's private addition a shared quote (refused if the passage already is one)."""
    locked = Quote.all_objects.select_for_update().get(pk=quote.pk)
    if locked.private_to_id is None:
        raise ValidationError("This quote is already shared.", code="shared")
    if (
        Quote.objects.filter(article_id=locked.article_id, start=locked.start, end=locked.end)
        .filter(deleted_at__isnull=True)
        .exists()
    ):
        raise ValidationError("This passage is already a shared quote.", code="duplicate")
    who = locked.private_to.get_username()
    locked.private_to = None
    locked.version += 1
    _by(locked, actor, f"adopted {who}'s addition in review").save()
    return locked


# --- speakers ----------------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("A speaker needs a name.", code="blank_name")
    if len(name) > 200:
        raise ValidationError("A speaker's name has at most 200 characters.", code="long_name")
    return name


def _checked_speaker_kind(kind: str) -> str:
    if kind not in Speaker.Kind.values:
        raise ValidationError(f"Unknown speaker kind “{kind}”.", code="bad_kind")
    return kind


@transaction.atomic
def speaker_create(*, name: str, actor, kind: str = Speaker.Kind.PERSON, role: str = "") -> Speaker:
    """A new speaker, its name recorded as an alias. Refused when a speaker of that kind has that name already."""
    name = _clean_name(name)
    kind = _checked_speaker_kind(kind)
    key = alias_key(name)
    clash = Speaker.objects.filter(merged_into__isnull=True, kind=kind).filter(
        Q(aliases__alias_key=key) | Q(name__iexact=name)
    )
    if clash.exists():
        raise ValidationError(f"A speaker called “{name}” already exists: choose it from the list.", code="exists")
    speaker = Speaker(name=name, kind=kind)
    _role_seen(speaker, role)
    _by(speaker, actor, "created by hand").save()
    _alias_add(speaker, name, set(), actor)
    return speaker


@transaction.atomic
def speaker_update(*, speaker: Speaker, version, actor, name: str, kind: str, role: str = "") -> Speaker:
    """Rename a speaker, change its kind or its current title; the new name becomes an alias too."""
    name = _clean_name(name)
    kind = _checked_speaker_kind(kind)
    locked = _claim(Speaker, speaker.pk, version, "speaker")
    locked.name, locked.kind = name, kind
    if role.strip():
        _role_seen(locked, role)
    else:
        locked.role = ""
    _by(locked, actor, "edited").save()
    _alias_add(locked, name, set(locked.aliases.values_list("alias_key", flat=True)), actor)
    return locked


@transaction.atomic
def speaker_alias_add(*, speaker: Speaker, alias: str, actor) -> SpeakerAlias:
    """Add a surface form; future imports resolve it to this speaker."""
    surface = " ".join((alias or "").split())
    key = alias_key(surface)
    if not key:
        raise ValidationError("An alias cannot be empty.", code="blank_alias")
    if len(surface) > 200:
        raise ValidationError("An alias has at most 200 characters.", code="long_alias")
    if speaker.merged_into_id:
        raise ValidationError("This speaker was merged into another one.", code="merged")
    if SpeakerAlias.objects.filter(speaker=speaker, alias_key=key).exists():
        raise ValidationError(f"“{surface}” is already an alias of {speaker.name}.", code="duplicate")
    created = _by(SpeakerAlias(speaker=speaker, alias=surface, alias_key=key), actor, "alias added")
    created.save()
    return created


@transaction.atomic
def speaker_alias_remove(*, alias: SpeakerAlias, actor) -> None:
    """Drop a surface form (recorded in history). The canonical name's own alias stays."""
    if alias.alias_key == alias_key(alias.speaker.name):
        raise ValidationError("The speaker's own name cannot be removed from its aliases.", code="own_name")
    _by(alias, actor, "alias removed").delete()


def _move_quotes(quotes: Iterable[Quote], to: Speaker, actor, reason: str) -> int:
    quotes = list(quotes)
    for q in quotes:
        q.speaker = to
        q.version += 1
    if quotes:
        bulk_update_with_history(
            quotes,
            Quote,
            ["speaker", "version", "updated_at"],
            batch_size=500,
            default_user=actor,
            default_change_reason=reason,
        )
    return len(quotes)


def _move_aliases(aliases: Iterable[SpeakerAlias], to: Speaker, actor, reason: str) -> None:
    taken = set(SpeakerAlias.objects.filter(speaker=to).values_list("alias_key", flat=True))
    for alias in aliases:
        if alias.alias_key in taken:  # the target knows this form already: one row is enough
            _by(alias, actor, reason).delete()
        else:
            alias.speaker = to
            _by(alias, actor, reason).save()
            taken.add(alias.alias_key)


@transaction.atomic
def speaker_merge(*, source: Speaker, target: Speaker, actor, source_version=None, target_version=None) -> Speaker:
    """Merge ``source`` into ``target``: its quotes and aliases move, its titles join, it stays as a tombstone.

    The source is kept with ``merged_into = target`` (its pages redirect, imports resolve through it), and
    every moved quote and alias gets a history row naming ``actor``. Returns the target.
    """
    if source.pk == target.pk:
        raise ValidationError("A speaker cannot be merged into itself.", code="same_speaker")
    versions = {
        source.pk: source.version if source_version is None else source_version,
        target.pk: target.version if target_version is None else target_version,
    }
    # lock in id order, so two supervisors merging A into B and B into A at once cannot deadlock
    claimed = {pk: _claim(Speaker, pk, versions[pk], "speaker") for pk in sorted(versions)}
    src, dst = claimed[source.pk], claimed[target.pk]
    if src.merged_into_id or dst.merged_into_id:
        raise ValidationError("One of these speakers was already merged into another.", code="merged")
    reason = f"merged “{src.name}” (#{src.pk}) into “{dst.name}” (#{dst.pk})"
    _move_quotes(Quote.all_objects.select_for_update().filter(speaker=src), dst, actor, reason)
    corrections = list(QuoteCorrection.objects.select_for_update().filter(speaker=src))  # analysts' own layers
    for correction in corrections:
        correction.speaker = dst
    if corrections:
        bulk_update_with_history(
            corrections, QuoteCorrection, ["speaker"], default_user=actor, default_change_reason=reason
        )
    _move_aliases(SpeakerAlias.objects.select_for_update().filter(speaker=src), dst, actor, reason)
    _alias_add(dst, src.name, set(dst.aliases.values_list("alias_key", flat=True)), actor)
    for role in src.roles:
        if role not in dst.roles:
            dst.roles = [*dst.roles, role]
    if not dst.role and src.role:
        dst.role = src.role
    _by(dst, actor, reason).save()
    # earlier tombstones of the source now point at the survivor directly
    for old in Speaker.objects.select_for_update().filter(merged_into=src):
        old.merged_into = dst
        old.version += 1
        _by(old, actor, reason).save()
    src.merged_into = dst
    _by(src, actor, reason).save()
    return dst


@transaction.atomic
def speaker_split(
    *,
    speaker: Speaker,
    actor,
    name: str,
    kind: str | None = None,
    role: str = "",
    alias_ids: Iterable[int] = (),
    quote_ids: Iterable[int] = (),
    version=None,
) -> Speaker:
    """Move some aliases and/or quotes of ``speaker`` to a new speaker called ``name``; returns the new one.

    Only aliases and quotes that belong to ``speaker`` can move; at least one must. The speaker's own name
    stays with it.
    """
    name = _clean_name(name)
    kind = _checked_speaker_kind(kind or speaker.kind)
    alias_ids, quote_ids = {int(i) for i in alias_ids}, {int(i) for i in quote_ids}
    if not alias_ids and not quote_ids:
        raise ValidationError("Choose the aliases or quotes that belong to the new speaker.", code="nothing_chosen")
    locked = _claim(Speaker, speaker.pk, speaker.version if version is None else version, "speaker")
    if locked.merged_into_id:
        raise ValidationError("This speaker was merged into another one.", code="merged")
    aliases = list(SpeakerAlias.objects.select_for_update().filter(pk__in=alias_ids, speaker=locked))
    quotes = list(Quote.objects.select_for_update().filter(pk__in=quote_ids, speaker=locked))
    if len(aliases) != len(alias_ids) or len(quotes) != len(quote_ids):
        raise ValidationError("Some of the chosen aliases or quotes do not belong to this speaker.", code="foreign")
    if any(a.alias_key == alias_key(locked.name) for a in aliases):
        raise ValidationError(
            f"“{locked.name}” is this speaker's own name; rename the speaker first to move it.", code="own_name"
        )
    new = Speaker(name=name, kind=kind)
    _role_seen(new, role)
    reason = f"split from “{locked.name}” (#{locked.pk})"
    _by(new, actor, reason).save()
    _move_aliases(aliases, new, actor, reason)
    _alias_add(new, name, set(new.aliases.values_list("alias_key", flat=True)), actor)
    _move_quotes(quotes, new, actor, f"{reason} into “{new.name}”")
    _by(locked, actor, f"split off “{new.name}” (#{new.pk})").save()
    return new


def quotes_import_bulk(*, items: Iterable[tuple]) -> int:
    """Quotes of many new articles (a pre-annotated import or the extractor) with their history rows in a fixed
    number of statements (COPY on PostgreSQL): each item is an article, its ``QuoteSpan``s and the speakers their
    names resolved to (``speakers_resolve``). A quote whose offsets do not give back its text is dropped, never
    stored wrong; one quote per passage. Returns how many were stored."""
    now = timezone.now()
    rows = []
    for article, quotes, speakers in items:
        text = article.text
        seen: set[tuple[int, int]] = set()
        for q in quotes:
            if not (0 <= q.start < q.end <= len(text) and text[q.start : q.end] == q.text) or (q.start, q.end) in seen:
                continue
            seen.add((q.start, q.end))
            speaker = speakers.get(q.speaker) if q.speaker else None
            rows.append(
                {
                    "article_id": article.pk,
                    "speaker_id": speaker.pk if speaker is not None else None,
                    "start": q.start,
                    "end": q.end,
                    "text": q.text,
                    "kind": q.kind,
                    "cue": (q.cue or "")[:60],
                    "cue_start": q.cue_start,
                    "cue_end": q.cue_end,
                    "speaker_mention": (q.speaker_mention or "")[:200],
                    "confidence": min(max(q.confidence, 0.0), 1.0),
                    "created_at": now,
                    "updated_at": now,
                }
            )
    if rows:
        history_rows_insert(Quote, rows, rows_insert(Quote, rows, ids=True), now=now)
    return len(rows)


@transaction.atomic
def speaker_delete(*, speaker: Speaker, version, actor) -> None:
    """Delete a speaker no quote refers to (live or deleted), with its aliases and the tombstones of speakers
    merged into it; every deleted row gets a history row naming ``actor``. A speaker with quotes is refused:
    merge it instead, so that its quotes keep a source."""
    locked = _claim(Speaker, speaker.pk, version, "speaker")
    n_quotes = Quote.all_objects.filter(speaker=locked).count()  # private quotes too
    if n_quotes:
        raise ValidationError(
            f"“{locked.name}” still has {n_quotes} quote{'s' if n_quotes != 1 else ''}: merge it instead.",
            code="has_quotes",
        )
    reason = f"deleted speaker “{locked.name}” (#{locked.pk})"
    for tombstone in Speaker.objects.select_for_update().filter(merged_into=locked):
        if Quote.all_objects.filter(speaker=tombstone).exists():
            raise ValidationError("A speaker merged into this one still has quotes.", code="has_quotes")
        for alias in tombstone.aliases.all():
            _by(alias, actor, reason).delete()
        _by(tombstone, actor, reason).delete()
    for alias in locked.aliases.all():
        _by(alias, actor, reason).delete()
    _by(locked, actor, reason).delete()
