"""The workspace's layers and its span list.

The article text is drawn by the one renderer every page uses (``apps.corpus.text``); this module builds the
workspace's marks and its style. Markup per segment is kept short (class names of one or two letters) so a
10,000-word article with 2,000 spans stays small:

    e / e-LABEL / ea   entity suggestion / its label / accepted        key e<id>
    q                  quote (title: the speaker)                       key q<id>
    a / t<id> / a2 / b my span / colour of its first theme / 2+ spans overlap here / a span starts here   key a<id>
    o                  another analyst's span (supervisors)            key a<id>

The span list is built in Python rather than with a template loop for the same reason: a template loop costs
~30 µs per item, this costs a few. Everything that comes from users or articles goes through ``escape``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape  # the stdlib one: same escaping as Django's, without the lazy-string wrapper

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from apps.corpus import text as article_text
from apps.corpus.text import Mark, RenderedText, Segment

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")
PARAGRAPH_ID = "p"  # the workspace's paragraphs are <p id="p3">: span changes swap them out of band


def build_marks(*, user_id: int, spans: Iterable, entities: Iterable, quotes: Iterable) -> list[Mark]:
    """Marks for every layer. Spans need ``theme_ids`` (see selectors.annotation_rows)."""
    marks = []
    for e in entities:
        classes = f"e e-{e.label} ea" if e.status == "accepted" else f"e e-{e.label}"
        marks.append(Mark(e.start, e.end, "ent", f"e{e.id}", e.label, classes))
    for q in quotes:
        marks.append(Mark(q.start, q.end, "quote", f"q{q.id}", q.speaker_name, "q", f"Quote: {q.speaker_name}"))
    for s in spans:
        layer = "mine" if s.annotator_id == user_id else "other"
        theme = s.theme_ids[0] if s.theme_ids else 0
        marks.append(Mark(s.start, s.end, layer, f"a{s.id}", str(theme)))
    return marks


def workspace_style(seg: Segment) -> tuple[str, str]:
    """Entities and quotes draw their own classes; of the spans, the innermost of mine picks the colour."""
    classes: list[str] = []
    title = ""
    best = None
    other = None
    n_spans = 0
    starts_here = False
    for m in seg.marks:
        layer = m.layer
        if layer == "mine" or layer == "other":
            n_spans += 1
            if m.start == seg.start:
                starts_here = True
            if layer == "mine":
                if best is None or (m.end - m.start) < (best.end - best.start):
                    best = m
            elif other is None or (m.end - m.start) < (other.end - other.start):
                other = m
        else:
            classes.append(m.classes)
            if m.title:
                title = m.title
                if m.start == seg.start:
                    classes.append("qs")  # a quote starts here: the speaker's name is drawn before it (CSS)
    if best is not None:
        classes.append(f"a t{best.label}")
    if other is not None:
        classes.append("o" if best is not None else f"o t{other.label}")
    if n_spans > 1:
        classes.append("a2")
    if starts_here:
        classes.append("b")
    return " ".join(classes), title


def text_html(text: str, marks: list[Mark]) -> RenderedText:
    """The whole article in the workspace style (``.paragraphs``: how many hold text, for progress)."""
    return article_text.text_html(text, marks, style=workspace_style, id_prefix=PARAGRAPH_ID)


def paragraphs_html_between(text: str, marks: list[Mark], start: int, end: int) -> SafeString:
    """The paragraphs overlapping [start, end) as out-of-band swaps."""
    return article_text.paragraphs_html_between(text, marks, start, end, style=workspace_style, id_prefix=PARAGRAPH_ID)


def span_row_html(span, *, themes_by_id: dict, user_id: int, oob: str = "", url_prefix: str | None = None) -> str:
    """One row of the span list. ``oob``: "" (in place), "true" (replace by id) or e.g. "afterend:#s12"."""
    text = span.text if len(span.text) <= 140 else span.text[:137] + "…"
    chips = []
    for theme_id in span.theme_ids:
        theme = themes_by_id.get(theme_id)
        if theme is not None:
            inactive = "" if theme.active else " off"
            chips.append(f'<span class="chip t{theme.id}{inactive}">{escape(theme.name)}</span>')
    if not chips:
        chips.append('<span class="chip none">no theme</span>')
    note = f'<p class="note">{escape(span.note)}</p>' if span.note else ""
    mine = span.annotator_id == user_id
    by = "" if mine else f'<span class="by">{escape(span.author)}</span>'
    status = "" if span.status == "pending" else f'<span class="status st-{span.status}">{span.status}</span>'
    url = f"{url_prefix or span_url_prefix()}{span.id}/"
    row = (
        f'<li id="s{span.id}" class="span-row{"" if mine else " other"}"><a class="span-open" href="{url}">'
        f'“{escape(text)}”</a> <span class="chips">{"".join(chips)}</span>{by}{status}{note}</li>'
    )
    if oob == "true":
        return row.replace("<li ", '<li hx-swap-oob="true" ', 1)
    if oob:
        return f'<div hx-swap-oob="{oob}">{row}</div>'
    return row


def span_url_prefix() -> str:
    """ "/annotate/span/" — reverse() once per page instead of once per row."""
    return reverse("annotations:span", args=[0])[:-2]


def span_list_html(spans: list, *, themes_by_id: dict, user_id: int) -> SafeString:
    prefix = span_url_prefix()
    return mark_safe(
        "\n".join(span_row_html(s, themes_by_id=themes_by_id, user_id=user_id, url_prefix=prefix) for s in spans)
    )


def theme_css(themes: Iterable) -> SafeString:
    """One rule per theme colour (validated #rrggbb, so safe inside a <style> element)."""
    rules = [".ws-text .t0{background:#dcdfe3;--tc:#8c959f}"]
    for t in themes:
        if not COLOUR.fullmatch(t.colour or ""):
            continue
        # my spans are the strongest layer: a clear fill and a full-colour underline (app.css draws it from --tc)
        rules.append(f".ws-text .t{t.id}{{background:{t.colour}80;--tc:{t.colour}}}")
        rules.append(f".chip.t{t.id},.swatch.t{t.id}{{background:{t.colour}66}}")
        rules.append(f".ws-text .o.t{t.id}{{border-bottom-color:{t.colour}}}")
    return mark_safe("\n".join(rules))
