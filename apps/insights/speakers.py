"""Who speaks: quotes per speaker by outlet and over time, direct vs reported per outlet, top speakers per theme.

Definitions:

* **Quotes** are live quotes (not deleted) in articles with a ``published`` date in the range; a quote without a
  speaker counts in the direct/reported shares but for no speaker.
* **Voice share** of a speaker in an outlet = the speaker's quotes there / all attributed quotes there.
* **Direct / reported / mixed share** of an outlet = quotes of that kind / all its quotes ("reported" is the
  ``indirect`` kind).
* **Speaker × theme**: a quote counts for a theme when a counted span (the basis of the themes page) carrying
  that theme overlaps it (shares at least one character, same article). A quote counts once per theme.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace

from django.db import connection
from django.db.models import Count, Exists, OuterRef, QuerySet

from apps.annotations.models import Theme
from apps.corpus.models import Outlet
from apps.quotes.models import Quote, Speaker

from .filters import Filters
from .summaries import quote_counts, speaker_theme_counts
from .themes import _as_date, _trunc, counted_basis, counted_links, counted_spans, dated_articles, period_end

TOP_SPEAKERS = 10
TOP_PER_THEME = 5


def quotes_in_scope(filters: Filters) -> QuerySet[Quote]:
    """Live quotes in range; narrowed by speaker, kind and theme (an overlapping counted span) when given."""
    quotes = Quote.objects.filter(deleted_at__isnull=True, article__in=dated_articles(filters).values("pk"))
    if filters.speaker:
        quotes = quotes.filter(speaker_id=filters.speaker)
    if filters.kind in Quote.Kind.values:
        quotes = quotes.filter(kind=filters.kind)
    if filters.theme:
        spans = counted_spans(replace(filters, speaker=None)).filter(
            article_id=OuterRef("article_id"), start__lt=OuterRef("end"), end__gt=OuterRef("start")
        )
        quotes = quotes.filter(Exists(spans))
    return quotes


@dataclass(slots=True)
class SpeakerOutlet:
    speaker_id: int
    speaker: str
    outlet_id: int | None
    outlet: str
    quotes: int
    outlet_quotes: int  # attributed quotes of the outlet
    query: str = ""

    @property
    def share(self) -> float | None:
        return self.quotes / self.outlet_quotes if self.outlet_quotes else None


def _names(rows: list[dict]) -> list[dict]:
    """Summary rows → the live rows' shape (speaker and outlet names joined in Python: a few hundred at most)."""
    outlets = dict(Outlet.objects.values_list("id", "name"))
    speakers = dict(
        Speaker.objects.filter(pk__in={r["speaker_id"] for r in rows if r.get("speaker_id")}).values_list("id", "name")
    )
    for r in rows:
        r["article__outlet_id"] = r.pop("outlet_id")
        r["article__outlet__name"] = outlets.get(r["article__outlet_id"])
        if "speaker_id" in r:
            r["speaker__name"] = speakers.get(r["speaker_id"])
    return rows


def speaker_outlet_rows(filters: Filters, *, top: int = TOP_SPEAKERS, summary: bool = False) -> list[SpeakerOutlet]:
    """The ``top`` most quoted speakers × every outlet with attributed quotes (zeros included)."""
    if summary and not filters.speaker:
        per = _names(quote_counts(filters, keys=["speaker_id", "outlet_id"], attributed=True))
    else:
        quotes = quotes_in_scope(replace(filters, theme=None)).filter(speaker__isnull=False)
        per = list(
            quotes.values("speaker_id", "speaker__name", "article__outlet_id", "article__outlet__name")
            .annotate(n=Count("id"))
            .order_by()
        )
    totals_speaker: dict = defaultdict(int)
    totals_outlet: dict = defaultdict(int)
    outlets = {}
    names = {}
    for row in per:
        totals_speaker[row["speaker_id"]] += row["n"]
        totals_outlet[row["article__outlet_id"]] += row["n"]
        outlets[row["article__outlet_id"]] = row["article__outlet__name"] or "(no outlet)"
        names[row["speaker_id"]] = row["speaker__name"]
    counts = {(r["speaker_id"], r["article__outlet_id"]): r["n"] for r in per}
    chosen = sorted(totals_speaker, key=lambda s: (-totals_speaker[s], names[s]))[:top]
    rows = []
    for speaker in chosen:
        for outlet_id in sorted(outlets, key=lambda o: outlets[o]):
            row = SpeakerOutlet(
                speaker,
                names[speaker],
                outlet_id,
                outlets[outlet_id],
                counts.get((speaker, outlet_id), 0),
                totals_outlet[outlet_id],
            )
            row.query = Filters(
                speaker=speaker, outlet=outlet_id, date_from=filters.date_from, date_to=filters.date_to
            ).query()
            rows.append(row)
    return rows


def speaker_period_rows(filters: Filters, speaker_ids: list[int], *, summary: bool = False) -> list[dict]:
    if summary and not filters.speaker:
        names = dict(Speaker.objects.filter(pk__in=speaker_ids).values_list("id", "name"))
        rows = quote_counts(filters, keys=["speaker_id"], by_period=True, speaker_ids=speaker_ids)
        for r in rows:
            r["speaker__name"] = names.get(r["speaker_id"])
        rows.sort(key=lambda r: (_as_date(r["period"]), r["speaker__name"] or ""))
    else:
        quotes = quotes_in_scope(replace(filters, theme=None)).filter(speaker_id__in=speaker_ids)
        rows = (
            quotes.annotate(period=_trunc(filters.granularity, "article__published"))
            .values("speaker_id", "speaker__name", "period")
            .annotate(n=Count("id"))
            .order_by("period", "speaker__name")
        )
    result = []
    for r in rows:
        start = _as_date(r["period"])
        end = period_end(start, filters.granularity)
        query = Filters(
            speaker=r["speaker_id"],
            outlet=filters.outlet,
            date_from=max(start, filters.date_from) if filters.date_from else start,
            date_to=min(end, filters.date_to) if filters.date_to else end,
        ).query()
        result.append({"speaker": r["speaker__name"], "period": start, "quotes": r["n"], "query": query})
    return result


@dataclass(slots=True)
class KindShare:
    outlet_id: int | None
    outlet: str
    direct: int = 0
    indirect: int = 0
    mixed: int = 0

    @property
    def total(self) -> int:
        return self.direct + self.indirect + self.mixed

    def share(self, kind: str) -> float | None:
        return getattr(self, kind) / self.total if self.total else None


def kind_shares(filters: Filters, *, summary: bool = False) -> list[KindShare]:
    rows: dict = {}
    if summary and not filters.speaker:
        counted = _names(quote_counts(filters, keys=["outlet_id", "kind"]))
    else:
        counted = (
            quotes_in_scope(replace(filters, theme=None, kind=""))
            .values("article__outlet_id", "article__outlet__name", "kind")
            .annotate(n=Count("id"))
            .order_by()
        )
    for r in counted:
        share = rows.setdefault(
            r["article__outlet_id"], KindShare(r["article__outlet_id"], r["article__outlet__name"] or "(no outlet)")
        )
        setattr(share, r["kind"], r["n"])
    return sorted(rows.values(), key=lambda s: s.outlet)


def top_speakers_per_theme(filters: Filters, *, top: int = TOP_PER_THEME, summary: bool = False) -> list[dict]:
    """Per theme: its ``top`` speakers by quotes overlapping a counted span with that theme.

    One grouped query: the counted (span, theme) rows ⋈ live quotes of the same article that overlap the span. The
    ORM can't join on an interval condition, so the join is SQL around the ORM's own ``counted_links`` query."""
    themes = list(Theme.objects.filter(pk=filters.theme) if filters.theme else Theme.objects.filter(active=True))
    path = counted_basis(filters.basis).path
    links = (
        counted_links(replace(filters, theme=None))
        .filter(theme_id__in=[t.pk for t in themes])
        .values_list("theme_id", path("article_id"), path("start"), path("end"))
    )
    links_sql, params = links.query.sql_with_params()
    sql = f"""
        WITH cl (theme_id, article_id, span_start, span_end) AS ({links_sql})
        SELECT cl.theme_id, q.speaker_id, sp.name, COUNT(DISTINCT q.id)
        FROM cl
        JOIN {Quote._meta.db_table} q ON q.article_id = cl.article_id AND q.start < cl.span_end
                                        AND q."end" > cl.span_start
        JOIN {Speaker._meta.db_table} sp ON sp.id = q.speaker_id
        WHERE q.deleted_at IS NULL
        GROUP BY cl.theme_id, q.speaker_id, sp.name
    """
    per_theme: dict = defaultdict(list)
    if themes and summary:
        counted = speaker_theme_counts(filters, [t.pk for t in themes])
        names = dict(
            Speaker.objects.filter(pk__in={s for rows in counted.values() for s, _ in rows}).values_list("id", "name")
        )
        for theme_id, rows in counted.items():
            per_theme[theme_id] = [{"speaker_id": s, "speaker__name": names.get(s), "n": n} for s, n in rows]
    elif themes:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for theme_id, speaker_id, name, n in cursor.fetchall():
                per_theme[theme_id].append({"speaker_id": speaker_id, "speaker__name": name, "n": n})
    result = []
    for theme in themes:
        speakers = sorted(per_theme[theme.pk], key=lambda s: (-s["n"], s["speaker__name"]))[:top]
        for s in speakers:
            s["query"] = Filters(
                speaker=s["speaker_id"],
                theme=theme.pk,
                basis=filters.basis,
                outlet=filters.outlet,
                date_from=filters.date_from,
                date_to=filters.date_to,
            ).query()
        result.append({"theme": theme, "speakers": speakers})
    return result
