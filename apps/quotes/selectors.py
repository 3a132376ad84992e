"""Reads for quotes and speakers. Quotes are only ever listed from articles the user may read."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from apps.accounts.roles import is_supervisor
from apps.assignments.models import Assignment
from apps.assignments.selectors import articles_visible_to
from apps.corpus.models import Article
from apps.nlp import names

from .models import Quote, QuoteCorrection, Speaker, SpeakerAlias

UNDO_WINDOW = timedelta(minutes=10)
HISTORY_FIELDS = ["start", "end", "kind", "speaker", "confirmed", "deleted_at"]


def article_quotes(*, article_id: int) -> QuerySet[Quote]:
    """The article's live quotes in reading order, with what the panel shows."""
    return (
        Quote.objects.filter(article_id=article_id, deleted_at__isnull=True)
        .select_related("speaker", "confirmed_by", "created_by")
        .order_by("start", "end", "id")
    )


def article_deleted_quotes(*, article_id: int) -> QuerySet[Quote]:
    return (
        Quote.objects.filter(article_id=article_id, deleted_at__isnull=False)
        .select_related("speaker", "deleted_by")
        .order_by("-deleted_at", "-id")
    )


def last_deletion_by(*, article_id: int, user) -> Quote | None:
    """The user's most recent deletion on this article, while an undo still makes sense."""
    return (
        article_deleted_quotes(article_id=article_id)
        .filter(deleted_by=user, deleted_at__gte=timezone.now() - UNDO_WINDOW)
        .first()
    )


def unconfirmable_quotes(*, user, quotes, blind: bool) -> set[int]:
    """The confirmed quotes this user may unconfirm: all of them, except under blind double annotation, where only
    their own confirmations are theirs to take back (a shared quote confirmed before stays with the reviewer)."""
    confirmed = {q.pk for q in quotes if q.confirmed}
    if not blind or not confirmed:
        return confirmed
    own = set(quotes_confirmed_by_analyst(user=user, quote_ids=confirmed))
    return {q.pk for q in quotes if q.pk in own or (q.confirmed and q.private_to_id == user.pk)}


DELETED_SHOWN = 20


def quotes_panel(*, user, article_id: int, can_edit: bool, blind: bool) -> dict:
    """What the quotes panel draws: the quotes as ``user`` sees them, which of them they may unconfirm, their own
    last deletion (undo) and the latest deletions. Outside blind double annotation the live and the deleted quotes
    come from one query; the undo comes from the deletions already read unless it may lie beyond them."""
    since = timezone.now() - UNDO_WINDOW
    if blind:
        quotes = quotes_seen_by(user=user, article_id=article_id, blind=True)
        deleted = list(article_deleted_quotes(article_id=article_id)[:DELETED_SHOWN])
        complete = len(deleted) < DELETED_SHOWN
    else:
        # sorted here rather than by ORDER BY start, end, id (the same order): with five tables' columns selected,
        # the ORM's ORDER BY handling more than doubles the time this query takes to compile
        rows = sorted(
            Quote.objects.filter(article_id=article_id)
            .select_related("speaker", "confirmed_by", "created_by", "deleted_by")
            .order_by(),
            key=lambda q: (q.start, q.end, q.pk),
        )
        quotes = [q for q in rows if q.deleted_at is None]
        deleted = sorted(
            (q for q in rows if q.deleted_at is not None), key=lambda q: (q.deleted_at, q.pk), reverse=True
        )
        complete = True
    undo = None
    if can_edit:
        undo = next((q for q in deleted if q.deleted_by_id == user.pk and q.deleted_at >= since), None)
        if undo is None and not complete and deleted[-1].deleted_at >= since:
            undo = last_deletion_by(article_id=article_id, user=user)
    return {
        "quotes": quotes,
        "can_edit": can_edit,
        "unconfirmable": unconfirmable_quotes(user=user, quotes=quotes, blind=blind) if can_edit else set(),
        "undo": undo,
        "deleted": deleted[:DELETED_SHOWN],
    }


def speaker_search(*, q: str, limit: int = 10, exclude_id: int | None = None) -> list[Speaker]:
    """Live speakers whose name or an alias contains ``q`` (case-insensitive); prefix matches first."""
    q = " ".join((q or "").split())
    if not q:
        return []
    key = q.casefold()
    alias_hit = SpeakerAlias.objects.filter(speaker=OuterRef("pk"), alias_key__contains=key)
    alias_prefix = SpeakerAlias.objects.filter(speaker=OuterRef("pk"), alias_key__startswith=key)
    speakers = (
        Speaker.objects.filter(merged_into__isnull=True)
        .filter(Q(name__icontains=q) | Exists(alias_hit))
        .annotate(
            prefix=Exists(alias_prefix),
            n_quotes=Count("quotes", filter=Q(quotes__deleted_at__isnull=True, quotes__private_to__isnull=True)),
        )
        .order_by("-prefix", "-n_quotes", "name")
    )
    if exclude_id:
        speakers = speakers.exclude(pk=exclude_id)
    return list(speakers[:limit])


def speakers_visible_to(user) -> QuerySet[Speaker]:
    """Supervisors see every speaker; analysts those quoted in an article they may read."""
    if is_supervisor(user):
        return Speaker.objects.all()
    quoted = Quote.objects.filter(
        speaker=OuterRef("pk"), deleted_at__isnull=True, article__in=articles_visible_to(user).values("pk")
    )
    return Speaker.objects.filter(Exists(quoted))


def speaker_list(*, user, q: str = "", kind: str = "") -> QuerySet[Speaker]:
    """Live speakers the user may see, with the number of their quotes the user can see, most quoted first."""
    quotes = Q(quotes__deleted_at__isnull=True, quotes__private_to__isnull=True)  # never an analyst's private one
    if not is_supervisor(user):
        quotes &= Q(quotes__article__in=articles_visible_to(user).values("pk"))
    speakers = speakers_visible_to(user).filter(merged_into__isnull=True)
    q = " ".join((q or "").split())
    if q:
        speakers = speakers.filter(
            Q(name__icontains=q)
            | Exists(SpeakerAlias.objects.filter(speaker=OuterRef("pk"), alias_key__contains=q.casefold()))
        )
    if kind in Speaker.Kind.values:
        speakers = speakers.filter(kind=kind)
    return speakers.annotate(n_quotes=Count("quotes", filter=quotes)).order_by("-n_quotes", "name", "id")


def speaker_duplicate_pairs(*, limit: int = 20) -> list[tuple[Speaker, Speaker]]:
    """Likely duplicates among live speakers, as ``(keep, merge)`` pairs: the same family name and compatible
    titles by the one name matcher (``apps.nlp.names.likely_same_speaker``). The speaker to keep is the one with
    the longer name, then the more quotes. Speakers are bucketed by family name first, so this stays linear
    in the registry's size; each speaker appears in at most one pair (merge one, then look again)."""
    rows = (
        Speaker.objects.filter(merged_into__isnull=True)
        .annotate(n_quotes=Count("quotes", filter=Q(quotes__deleted_at__isnull=True)))
        .order_by("id")
    )
    buckets: dict[str, list[Speaker]] = {}
    for s in rows:
        key = names.duplicate_key(s.name, s.kind)
        if key:
            buckets.setdefault(key, []).append(s)
    pairs, used = [], set()
    for group in buckets.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.pk in used or b.pk in used:
                    continue
                if names.likely_same_speaker(
                    (a.name, a.kind, [a.role, *a.roles]), (b.name, b.kind, [b.role, *b.roles])
                ):
                    keep, merge = sorted((a, b), key=lambda s: (-len(names.name_tokens(s.name)), -s.n_quotes, s.pk))
                    pairs.append((keep, merge))
                    used |= {a.pk, b.pk}
    pairs.sort(key=lambda p: (-(p[0].n_quotes + p[1].n_quotes), p[0].name))
    return pairs[:limit]


def speaker_quotes(*, speaker: Speaker, user) -> QuerySet[Quote]:
    """Every live quote of the speaker in articles the user can read, newest articles first."""
    return (
        Quote.objects.filter(
            speaker=speaker, deleted_at__isnull=True, article__in=articles_visible_to(user).values("pk")
        )
        .select_related("article", "article__outlet", "confirmed_by")
        .order_by("-article__published", "-article_id", "start")
    )


def speaker_outlets(*, speaker: Speaker, user) -> list[dict]:
    """Outlets the speaker is quoted in (visible articles only), with counts."""
    return list(
        speaker_quotes(speaker=speaker, user=user)
        .order_by()
        .values("article__outlet__name")
        .annotate(n=Count("id"))
        .order_by("-n", "article__outlet__name")
    )


def speaker_history(*, speaker: Speaker, limit: int = 50):
    return speaker.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]


def speakers_merged_into(*, speaker: Speaker) -> QuerySet[Speaker]:
    return Speaker.objects.filter(merged_into=speaker).order_by("name")


def quote_history(*, quote: Quote):
    """History rows of a quote, newest first, each with the fields that changed from the row before it."""
    rows = list(quote.history.select_related("history_user", "speaker").order_by("-history_date", "-history_id"))
    for newer, older in zip(rows, rows[1:] + [None]):
        newer.changes = []
        if older is None:
            continue
        delta = newer.diff_against(older, included_fields=HISTORY_FIELDS)
        newer.changes = [c.field for c in delta.changes]
    return rows


# --- blind double annotation ---------------------------------------------------------------------------------------


def decisions_blind(*, user, article_id: int) -> bool:
    """Whether ``user``'s entity decisions and quote corrections on this article are their own (blind double
    annotation): an analyst on an article assigned to another analyst too, unless a supervisor made it shared.
    Supervisors and admins always write the shared layer (that is how a reviewer decides)."""
    if is_supervisor(user):
        return False
    others = Assignment.objects.filter(article_id=OuterRef("pk")).exclude(analyst_id=user.pk)
    return Article.objects.filter(pk=article_id, decisions_shared=False).filter(Exists(others)).exists()


def _apply_correction(quote: Quote, correction: QuoteCorrection, user) -> Quote:
    """``quote`` (in memory only) as ``correction`` makes it, with the correction's version for the next edit."""
    quote.start, quote.end, quote.text, quote.kind = correction.start, correction.end, correction.text, correction.kind
    quote.speaker = correction.speaker
    quote.confirmed = correction.confirmed
    quote.confirmed_by = user if correction.confirmed else None
    quote.version = correction.version
    return quote


def quotes_seen_by(*, user, article_id: int, blind: bool | None = None) -> list[Quote]:
    """The live quotes of an article as ``user`` sees them: under blind double annotation the shared quotes with
    the user's own corrections applied (their deletions hidden) plus their private additions, never another
    analyst's; otherwise the shared quotes."""
    quotes = list(article_quotes(article_id=article_id))
    if blind is None:
        blind = decisions_blind(user=user, article_id=article_id)
    if not blind:
        return quotes
    mine = {
        c.quote_id: c
        for c in QuoteCorrection.objects.filter(quote__article_id=article_id, analyst_id=user.pk).select_related(
            "speaker"
        )
    }
    seen = []
    for quote in quotes:
        correction = mine.get(quote.pk)
        if correction is not None:
            if correction.deleted:
                continue
            _apply_correction(quote, correction, user)
        seen.append(quote)
    seen += Quote.all_objects.filter(
        article_id=article_id, private_to_id=user.pk, deleted_at__isnull=True
    ).select_related("speaker", "confirmed_by", "created_by")
    return sorted(seen, key=lambda q: (q.start, q.end, q.pk))


def quotes_confirmed_by_analyst(*, user, quote_ids) -> QuerySet[int]:
    """Ids among ``quote_ids`` of the shared quotes ``user`` confirmed in their own correction (blind layer)."""
    return QuoteCorrection.objects.filter(
        analyst_id=user.pk, quote_id__in=quote_ids, confirmed=True, deleted=False
    ).values_list("quote_id", flat=True)


def quote_for_user(*, user, pk: int) -> QuerySet[Quote]:
    """The quote ``pk`` if it is shared or the user's own private addition (as a one-row queryset)."""
    return Quote.all_objects.filter(Q(private_to__isnull=True) | Q(private_to_id=user.pk), pk=pk)


def quote_decisions_by_analyst(*, article_id: int) -> list[dict]:
    """For the reviewer: every shared quote some analyst corrected and every private addition, with each
    analyst's version side by side: [{"quote": shared Quote or None, "by_analyst": {analyst_id: {...}}}]."""
    rows: dict[int, dict] = {}
    corrections = (
        QuoteCorrection.objects.filter(quote__article_id=article_id)
        .select_related("quote__speaker", "speaker")
        .order_by("quote__start", "quote_id", "analyst_id")
    )
    for c in corrections:
        row = rows.setdefault(c.quote_id, {"quote": c.quote, "key": f"q{c.quote_id}", "by_analyst": {}})
        if c.deleted:
            what = "deleted"
        elif (c.start, c.end, c.kind, c.speaker_id) != (c.quote.start, c.quote.end, c.quote.kind, c.quote.speaker_id):
            what = "changed"
        else:
            what = "confirmed" if c.confirmed else "kept"
        row["by_analyst"][c.analyst_id] = {
            "what": what,
            "text": c.text,
            "speaker": c.speaker.name if c.speaker else "",
            "kind": c.kind,
            "correction_id": c.pk,
        }
    out = list(rows.values())
    private = Quote.all_objects.filter(
        article_id=article_id, private_to__isnull=False, deleted_at__isnull=True
    ).select_related("speaker")
    for q in private.order_by("start", "end", "id"):
        out.append(
            {
                "quote": None,
                "key": f"p{q.pk}",
                "by_analyst": {
                    q.private_to_id: {
                        "what": "added",
                        "text": q.text,
                        "speaker": q.speaker.name if q.speaker else "",
                        "kind": q.kind,
                        "private_id": q.pk,
                    }
                },
            }
        )
    return out
