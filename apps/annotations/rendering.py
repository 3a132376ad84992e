"""HTML for the workspace's two big lists: the article text with its layers, and the span list.

Built in Python rather than with template loops because a 10,000-word article with 2,000 spans has several
thousand segments and rows: a template loop costs ~30 µs per item, this costs a few. Everything that comes from
users or articles goes through ``escape``. Markup per segment is kept short (class names of one or two letters,
a ``data-m`` list of mark keys) so the page stays small:

    e / e-LABEL / ea   entity suggestion / its label / accepted        key e<id>
    q                  quote (title: the speaker)                       key q<id>
    a / t<id> / a2 / b my span / colour of its first theme / 2+ spans overlap here / a span starts here   key a<id>
    o                  another analyst's span (supervisors)            key a<id>
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html import escape  # the stdlib one: same escaping as Django's, without the lazy-string wrapper

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from apps.corpus.text import Mark, Paragraph, paragraphs_with_marks

COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def build_marks(*, user_id: int, spans: Iterable, entities: Iterable, quotes: Iterable) -> list[Mark]:
    """Marks for every layer. Spans need ``theme_ids`` (see selectors.annotation_rows)."""
    marks = []
    for e in entities:
        marks.append(Mark(e.start, e.end, "ent", f"e{e.id}", e.label, (e.status == "accepted",)))
    for q in quotes:
        marks.append(Mark(q.start, q.end, "quote", f"q{q.id}", q.speaker_name))
    for s in spans:
        layer = "mine" if s.annotator_id == user_id else "other"
        theme = s.theme_ids[0] if s.theme_ids else 0
        marks.append(Mark(s.start, s.end, layer, f"a{s.id}", str(theme)))
    return marks


def _segment_html(seg) -> str:
    text = escape(seg.text)
    if not seg.marks:
        return text
    classes: list[str] = []
    keys: list[str] = []
    title = ""
    best = None  # innermost of my spans decides the colour
    other = None
    n_spans = 0
    starts_here = False
    for m in seg.marks:
        keys.append(m.key)
        layer = m.layer
        if layer == "ent":
            classes.append("e")
            classes.append(f"e-{m.label}")
            if m.attrs and m.attrs[0]:
                classes.append("ea")
        elif layer == "quote":
            classes.append("q")
            title = f' title="Quote: {escape(m.label)}"'
        else:
            n_spans += 1
            if m.start == seg.start:
                starts_here = True
            if layer == "mine":
                if best is None or (m.end - m.start) < (best.end - best.start):
                    best = m
            elif other is None or (m.end - m.start) < (other.end - other.start):
                other = m
    if best is not None:
        classes.append("a")
        classes.append(f"t{best.label}")
    if other is not None:
        classes.append("o")
        if best is None:
            classes.append(f"t{other.label}")
    if n_spans > 1:
        classes.append("a2")
    if starts_here:
        classes.append("b")
    return f'<span class="{" ".join(dict.fromkeys(classes))}" data-m="{" ".join(keys)}"{title}>{text}</span>'


def paragraph_html(para: Paragraph, *, oob: bool = False) -> str:
    swap = ' hx-swap-oob="true"' if oob else ""
    body = "".join(_segment_html(seg) for seg in para.segments)
    return f'<p id="p{para.index}" data-start="{para.start}" data-end="{para.end}"{swap}>{body}</p>'


def text_html(text: str, marks: list[Mark]) -> tuple[SafeString, int]:
    """The whole article as paragraphs; also returns how many paragraphs hold text (for progress)."""
    paragraphs = paragraphs_with_marks(text, marks)
    html = "\n".join(paragraph_html(p) for p in paragraphs)
    return mark_safe(html), sum(1 for p in paragraphs if p.end > p.start)


def paragraphs_html_between(text: str, marks: list[Mark], start: int, end: int) -> SafeString:
    """Only the paragraphs overlapping [start, end), as out-of-band swaps (the marks need only cover that range)."""
    out = []
    for para in paragraphs_with_marks(text, marks):
        if para.end < start:
            continue
        if para.start >= end:
            break
        out.append(paragraph_html(para, oob=True))
    return mark_safe("\n".join(out))


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
    """"/annotate/span/" — reverse() once per page instead of once per row."""
    return reverse("annotations:span", args=[0])[:-2]


def span_list_html(spans: list, *, themes_by_id: dict, user_id: int) -> SafeString:
    prefix = span_url_prefix()
    return mark_safe("\n".join(
        span_row_html(s, themes_by_id=themes_by_id, user_id=user_id, url_prefix=prefix) for s in spans
    ))


def theme_css(themes: Iterable) -> SafeString:
    """One rule per theme colour (validated #rrggbb, so safe inside a <style> element)."""
    rules = [".ws-text .t0{background:#e3e3de}"]
    for t in themes:
        if not COLOUR.fullmatch(t.colour or ""):
            continue
        rules.append(f".ws-text .t{t.id},.chip.t{t.id},.swatch.t{t.id}{{background:{t.colour}55}}")
        rules.append(f".ws-text .o.t{t.id}{{border-bottom-color:{t.colour}}}")
    return mark_safe("\n".join(rules))
