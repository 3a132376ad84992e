"""Reads for the annotation workspace: who may read or write an article's spans, and the rows each layer draws.

Access always goes through apps.assignments.selectors (articles_visible_to, assignment_for): the assignments app
owns the policy of which analyst may open which article.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import BigIntegerField, F, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404

from apps.accounts.models import User
from apps.accounts.roles import is_admin, is_supervisor
from apps.assignments.selectors import (
    WriteAccess,
    article_write_access,
    articles_visible_to,
    queue_and_assignment,
    queue_for,
)
from apps.corpus.models import Article
from apps.quotes.models import Quote, QuoteCorrection
from apps.quotes.selectors import decisions_blind, quote_decisions_by_analyst, quotes_seen_by

from .models import Annotation, EntityDecision, EntityMention, Theme, ThemeExample

_NEWLINE = re.compile("\n")


def article_for_reading(*, user, article_id: int, fields: tuple[str, ...] | None = None) -> Article:
    """The article if ``user`` may read it; 404 if it does not exist, 403 if it exists but is not theirs."""
    articles = articles_visible_to(user)
    articles = articles.only(*fields) if fields else articles.select_related("outlet")
    # one row by primary key: no ORDER BY (first() would sort by Article's default ordering)
    article = next(iter(articles.filter(pk=article_id).order_by()[:1]), None)
    if article is None:
        if Article.objects.filter(pk=article_id).exists():
            raise PermissionDenied("This article is not assigned to you.")
        raise Http404("No such article.")
    return article


def write_access(*, user, article_id: int) -> WriteAccess:
    """The assignments app's write policy (apps.assignments.selectors.article_write_access)."""
    return article_write_access(user=user, article_id=article_id)


def write_access_and_queue(*, user, article_id: int) -> tuple[WriteAccess, dict]:
    """write_access and queue_neighbours from one query (the workspace page needs both)."""
    queue, assignment = queue_and_assignment(user, article_id)
    access = article_write_access(user=user, article_id=article_id, assignment=assignment)
    return access, _neighbours(queue, article_id)


def require_write_access(*, user, article_id: int) -> WriteAccess:
    access = write_access(user=user, article_id=article_id)
    if not access.allowed:
        raise PermissionDenied(access.reason)
    return access


def can_edit_annotation(user, annotation: Annotation) -> bool:
    """Own spans; an admin may edit anyone's (supervisors change others' spans only through review decisions)."""
    return annotation.annotator_id == user.pk or is_admin(user)


def theme_list(*, include_inactive: bool = True) -> list[Theme]:
    themes = Theme.objects.all()
    if not include_inactive:
        themes = themes.filter(active=True)
    return list(themes)


def live_annotations(*, article_id: int) -> QuerySet[Annotation]:
    return Annotation.objects.filter(article_id=article_id, deleted_at__isnull=True)


def annotations_shown_to(*, user, article_id: int) -> QuerySet[Annotation]:
    """The spans a user sees in the workspace: their own, plus everyone's for supervisors and admins."""
    spans = live_annotations(article_id=article_id)
    if not is_supervisor(user):
        spans = spans.filter(annotator=user)
    return spans


@dataclass(slots=True)
class SpanRow:
    """A span as the workspace draws it: plain values, no model instance (2,000 of these cost ~2 ms)."""

    id: int
    start: int
    end: int
    text: str
    note: str
    status: str
    version: int
    annotator_id: int
    author: str
    theme_ids: list = field(default_factory=list)


SPAN_ROW_FIELDS = (
    "id",
    "start",
    "end",
    "text",
    "note",
    "status",
    "version",
    "annotator_id",
    "annotator__username",
    "annotator__first_name",
    "annotator__last_name",
)


@functools.cache
def _span_theme_ids() -> RawSQL:
    """ARRAY(a span's theme ids, in the order they were given) as SQL over the span row (PostgreSQL): a plain
    subquery costs the ORM more to compile than the database to run."""
    from django.contrib.postgres.fields import ArrayField

    through = Annotation.themes.through._meta
    q = connection.ops.quote_name
    span = f"{q(Annotation._meta.db_table)}.{q(Annotation._meta.pk.column)}"
    theme_col, span_col = through.get_field("theme").column, through.get_field("annotation").column
    sql = f"ARRAY(SELECT t.{q(theme_col)} FROM {q(through.db_table)} t WHERE t.{q(span_col)} = {span} ORDER BY t.{q('id')})"
    return RawSQL(sql, [], output_field=ArrayField(BigIntegerField()))


def _span_row(pk, start, end, text, note, status, version, annotator_id, username, first, last, theme_ids=None):
    """A SpanRow from the values of SPAN_ROW_FIELDS (and the theme ids when the query brought them)."""
    author = f"{first} {last}".strip() or username
    return SpanRow(
        pk, start, end, text, note, status, version, annotator_id, author, [] if theme_ids is None else theme_ids
    )


def _span_order(row) -> tuple[int, int, int]:
    return row.start, row.end, row.id


def annotation_rows(*, spans: QuerySet[Annotation]) -> list[SpanRow]:
    """Spans with their theme ids (in the order they were given) and author's name: one query on PostgreSQL (the
    theme ids as an array per span), two elsewhere, whatever the count.

    Theme ids come from the through table directly (tuples, not model instances): at 2,000 spans building model
    instances (and a prefetch) costs several hundred milliseconds; Theme objects come from one theme_list().
    """
    if connection.vendor == "postgresql":
        rows = spans.annotate(readout_theme_ids=_span_theme_ids()).values_list(*SPAN_ROW_FIELDS, "readout_theme_ids")
        # sorted here, not by ORDER BY: the same order (whole numbers), and the ORM compiles the query in a third less
        return sorted((_span_row(*values) for values in rows.order_by()), key=_span_order)
    rows = [_span_row(*values) for values in spans.values_list(*SPAN_ROW_FIELDS).order_by("start", "end", "id")]
    if not rows:
        return rows
    by_id = {row.id: row for row in rows}
    links = Annotation.themes.through.objects.filter(annotation__in=spans.values("id"))
    for span_id, theme_id in links.order_by("id").values_list("annotation_id", "theme_id"):
        row = by_id.get(span_id)
        if row is not None:
            row.theme_ids.append(theme_id)
    return rows


@dataclass(slots=True)
class EntityRow:
    id: int
    label: str
    start: int
    end: int
    status: str


@dataclass(slots=True)
class QuoteRow:
    id: int
    start: int
    end: int
    speaker_name: str


def overlapping(qs: QuerySet, start: int, end: int) -> QuerySet:
    return qs.filter(start__lt=end, end__gt=start)


def _seen_by(qs: QuerySet, *, user, article_id: int, blind: bool | None = None) -> QuerySet:
    """Annotate ``seen``: the status as ``user`` sees it. Under blind double annotation their own decision when
    they made one, else spaCy's suggestion (never another analyst's); otherwise the shared status."""
    if user is None:
        return qs.annotate(seen=F("status"))
    if blind is None:
        blind = decisions_blind(user=user, article_id=article_id)
    if not blind:
        return qs.annotate(seen=F("status"))
    own = EntityDecision.objects.filter(mention=OuterRef("pk"), analyst_id=user.pk).values("status")[:1]
    return qs.annotate(seen=Coalesce(Subquery(own), F("status")))


def entity_mentions(
    *, article_id: int, start: int | None = None, end: int | None = None, user=None, blind: bool | None = None
) -> list[EntityRow]:
    """Suggestions still to show in the text (rejected ones disappear), as ``user`` sees them (see _seen_by)."""
    qs = _seen_by(EntityMention.objects.filter(article_id=article_id), user=user, article_id=article_id, blind=blind)
    qs = qs.exclude(seen=EntityMention.Status.REJECTED)
    if start is not None:
        qs = overlapping(qs, start, end)
    return [
        EntityRow(*values) for values in qs.order_by("start", "end").values_list("id", "label", "start", "end", "seen")
    ]


def entity_panel(*, article_id: int, user=None, blind: bool | None = None) -> list[dict]:
    """Entity suggestions grouped by label for the side panel: [{label, suggested: [...], accepted, rejected}]."""
    return entity_layer_and_panel(article_id=article_id, user=user, blind=blind)[1]


@dataclass(slots=True)
class MentionRow:
    """An entity suggestion as the side panel draws it, with its status as the user sees it (plain values)."""

    id: int
    label: str
    start: int
    end: int
    text: str
    status: str

    @property
    def pk(self) -> int:
        return self.id


def _mention_order(values: tuple) -> tuple[int, int, int]:
    return values[2], values[3], values[0]  # start, end, id


def entity_layer_and_panel(*, article_id: int, user=None, blind: bool | None = None) -> tuple[list[EntityRow], list]:
    """The text's entity layer (as entity_mentions) and the side panel's groups (as entity_panel) from one query:
    the workspace draws both in its first response."""
    groups: dict[str, dict] = {}
    layer = []
    mentions = _seen_by(
        EntityMention.objects.filter(article_id=article_id), user=user, article_id=article_id, blind=blind
    )
    rows = mentions.order_by().values_list("id", "label", "start", "end", "text", "seen")
    for values in sorted(rows, key=_mention_order):  # as ORDER BY start, end, id, which costs the ORM more
        mention = MentionRow(*values)
        status = mention.status
        group = groups.get(mention.label)
        if group is None:
            group = groups[mention.label] = {"label": mention.label, "suggested": [], "accepted": [], "rejected": 0}
        if status == EntityMention.Status.SUGGESTED:
            group["suggested"].append(mention)
        elif status == EntityMention.Status.ACCEPTED:
            group["accepted"].append(mention)
        else:
            group["rejected"] += 1
            continue
        layer.append(EntityRow(mention.id, mention.label, mention.start, mention.end, status))
    panel = sorted(groups.values(), key=lambda g: (-len(g["suggested"]) - len(g["accepted"]), g["label"]))
    return layer, panel


def quotes_for_layer(
    *, article_id: int, start: int | None = None, end: int | None = None, user=None, blind: bool | None = None
) -> list[QuoteRow]:
    """Live quotes with their speaker's name, for the quote layer (as ``user`` sees them under blind double
    annotation: their own corrections and additions)."""
    if user is not None and (blind if blind is not None else decisions_blind(user=user, article_id=article_id)):
        return quote_rows(
            q
            for q in quotes_seen_by(user=user, article_id=article_id, blind=True)
            if start is None or (q.start < end and q.end > start)
        )
    qs = Quote.objects.filter(article_id=article_id, deleted_at__isnull=True)
    if start is not None:
        qs = overlapping(qs, start, end)
    return [
        QuoteRow(pk, s, e, name or "unattributed")
        for pk, s, e, name in qs.order_by("start").values_list("id", "start", "end", "speaker__name")
    ]


def quote_rows(quotes) -> list[QuoteRow]:
    """The quote layer's rows from quotes already read for the panel (quotes_seen_by: the user's view of them)."""
    return [QuoteRow(q.pk, q.start, q.end, q.speaker.name if q.speaker else "unattributed") for q in quotes]


def paragraph_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The [start, end) of the whole lines (paragraphs) that the span [start, end) touches."""
    p_start = text.rfind("\n", 0, start) + 1
    p_end = text.find("\n", max(end - 1, start))
    return p_start, (len(text) if p_end == -1 else p_end)


def queue_neighbours(*, user, article_id: int) -> dict:
    """Previous / next article in the user's queue, and the position of this one (None when not queued)."""
    return _neighbours(list(queue_for(user).values_list("article_id", flat=True)), article_id)


def _neighbours(ids: list[int], article_id: int) -> dict:
    if article_id not in ids:
        return {"prev_id": None, "next_id": ids[0] if ids else None, "position": None, "total": len(ids)}
    i = ids.index(article_id)
    return {
        "prev_id": ids[i - 1] if i > 0 else None,
        "next_id": ids[i + 1] if i + 1 < len(ids) else None,
        "position": i + 1,
        "total": len(ids),
    }


def progress_for(*, text: str, spans: list[tuple[int, int]], paragraphs_total: int) -> dict:
    """How far the user is on this article: their spans, and how many text paragraphs those spans touch."""
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    touched = set()
    for s, e in spans:
        first = bisect.bisect_left(newlines, s)  # paragraph index = newlines before the offset
        last = bisect.bisect_left(newlines, e - 1)
        touched.update(range(first, last + 1))
    percent = round(100 * len(touched) / paragraphs_total) if paragraphs_total else 0
    return {
        "spans": len(spans),
        "paragraphs_touched": min(len(touched), paragraphs_total),
        "paragraphs_total": paragraphs_total,
        "percent": min(percent, 100),
    }


def entity_mentions_by_id(*, article_id: int, ids) -> list[EntityMention]:
    """The article's entity suggestions with these ids; a ValidationError if any id is not one of them."""
    try:
        wanted = {int(i) for i in ids}
    except (TypeError, ValueError):
        raise ValidationError("Entity ids must be whole numbers.", code="bad_entity") from None
    mentions = list(EntityMention.objects.filter(article_id=article_id, pk__in=wanted).order_by("start"))
    if len(mentions) != len(wanted):
        raise ValidationError("Some of these entity suggestions are not in this article.", code="bad_entity")
    return mentions


def decisions_by_analyst(*, article_id: int) -> dict:
    """For the reviewer: each analyst's entity decisions and quote corrections on the article, side by side.

    {"analysts": [(id, name)], "entities": [{"mention", "by_analyst": {id: status}}], "quotes": [...]} with
    only the suggestions and quotes some analyst decided on (see apps.quotes.selectors.quote_decisions_by_analyst).
    """
    entities: dict[int, dict] = {}
    analysts: dict[int, str] = {}
    decisions = (
        # the analysts' own layers (a reviewer's decisions are the shared row, shown as "now")
        EntityDecision.objects.filter(mention__article_id=article_id, analyst__assignments__article_id=article_id)
        .select_related("mention", "analyst")
        .order_by("mention__start", "mention_id", "analyst_id")
    )
    for d in decisions:
        analysts[d.analyst_id] = d.analyst.get_full_name() or d.analyst.get_username()
        row = entities.setdefault(d.mention_id, {"mention": d.mention, "by_analyst": {}})
        row["by_analyst"][d.analyst_id] = d.status
    quotes = quote_decisions_by_analyst(article_id=article_id)
    quote_analysts = {a for row in quotes for a in row["by_analyst"]} - set(analysts)
    if quote_analysts:
        for user in User.objects.filter(pk__in=quote_analysts):
            analysts[user.pk] = user.get_full_name() or user.get_username()
    order = sorted(analysts, key=lambda pk: analysts[pk].casefold())
    for row in [*entities.values(), *quotes]:  # one cell per analyst, in the table's column order
        row["cells"] = [(pk, row["by_analyst"].get(pk)) for pk in order]
    return {"analysts": [(pk, analysts[pk]) for pk in order], "entities": list(entities.values()), "quotes": quotes}


def entity_decision_history(*, article_id: int):
    """Every entity decision ever made on the article, oldest first (who, when, what)."""
    return EntityDecision.history.filter(mention__article_id=article_id).order_by("history_date", "history_id")


def quote_correction_history(*, article_id: int):
    return QuoteCorrection.history.filter(quote__article_id=article_id).order_by("history_date", "history_id")


# --- the codebook ------------------------------------------------------------------------------------------------

FIELD_NAMES = {"description": "definition", "parent": "parent theme", "active": "active state"}
CODEBOOK_FIELDS = ("name", "description", "include_rules", "exclude_rules", "parent", "shortcut", "colour", "active")


@dataclass(slots=True)
class CodebookNode:
    theme: Theme
    examples: list = field(default_factory=list)
    children: list = field(default_factory=list)


def codebook_tree(*, include_inactive: bool = False) -> list[CodebookNode]:
    """The themes as a tree (top-level themes in order, each with its children), each with its pinned examples.

    Two queries whatever the size. A child whose parent is left out (inactive) is shown at the top level."""
    themes = list(Theme.objects.all() if include_inactive else Theme.objects.filter(active=True))
    nodes = {t.id: CodebookNode(t) for t in themes}
    for example in ThemeExample.objects.filter(theme_id__in=nodes).only("id", "theme_id", "text", "annotation_id"):
        nodes[example.theme_id].examples.append(example)
    roots = []
    for theme in themes:
        node = nodes[theme.id]
        parent = nodes.get(theme.parent_id)
        (parent.children if parent is not None else roots).append(node)
    return roots


def codebook_node(*, theme: Theme) -> CodebookNode:
    """One theme's entry with its examples, and its active children (names and definitions, without examples)."""
    children = [CodebookNode(c) for c in theme.children.filter(active=True)]
    return CodebookNode(theme, list(theme.examples.all()), children)


def codebook_history(*, theme: Theme, limit: int = 50) -> list[dict]:
    """Who changed the theme's codebook entry and when, newest first: edits (with the fields that changed) and
    examples pinned or unpinned."""
    rows = []
    records = list(theme.history.select_related("history_user").order_by("history_date", "history_id"))
    previous = None
    for record in records:
        changed = []
        if previous is not None:
            diff = {c.field for c in record.diff_against(previous, included_fields=CODEBOOK_FIELDS).changes}
            changed = [f for f in CODEBOOK_FIELDS if f in diff]
        if previous is None or changed:
            if previous is None:
                what = "created the theme" if record.history_type == "+" else "edited the entry"
            else:
                what = "changed " + ", ".join(FIELD_NAMES.get(f, f.replace("_", " ")) for f in changed)
            rows.append({"when": record.history_date, "who": record.history_user, "what": what})
        previous = record
    examples = ThemeExample.history.filter(theme_id=theme.pk).select_related("history_user")
    for record in examples:
        verb = {"+": "pinned an example", "-": "unpinned an example"}.get(record.history_type)
        if verb:
            rows.append({"when": record.history_date, "who": record.history_user, "what": verb, "text": record.text})
    rows.sort(key=lambda r: r["when"], reverse=True)
    return rows[:limit]


def example_candidates(*, theme: Theme, limit: int = 20) -> QuerySet[Annotation]:
    """Accepted live spans coded with ``theme`` that are not pinned yet, newest first (for supervisors)."""
    pinned = ThemeExample.objects.filter(theme=theme).values("annotation_id")
    return (
        Annotation.objects.filter(themes=theme, status=Annotation.Status.ACCEPTED, deleted_at__isnull=True)
        .exclude(pk__in=pinned)
        .select_related("article", "annotator")
        .order_by("-updated_at", "-id")[:limit]
    )
