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

import functools
import re
from collections.abc import Iterable
from html import escape  # the stdlib one: same escaping as Django's, without the lazy-string wrapper

from django.urls import get_script_prefix, reverse
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
    return url_for("annotations:span", 0)[:-2]


_MARKER = 987_654_321_987_654  # stands for an id while a route is reversed once; no real id is this large


@functools.lru_cache(maxsize=256)
def _url_parts(name: str, n_args: int, prefix: str) -> tuple[str, ...]:
    """The route ``name`` reversed once with markers for its ``n_args`` (integer) arguments, cut at the markers."""
    url = reverse(name, args=[_MARKER + i for i in range(n_args)])
    parts = []
    for i in range(n_args):
        head, found, url = url.partition(str(_MARKER + i))
        if not found:
            raise ValueError(f"{name}: argument {i} does not appear in its URL")
        parts.append(head)
    return (*parts, url)


def url_for(name: str, *args: int) -> str:
    """``reverse(name, args=args)`` for routes whose arguments are whole numbers (ids), reversed once per process
    (and script prefix): the workspace draws some twenty links per page, and reverse() costs tens of µs each."""
    parts = _url_parts(name, len(args), get_script_prefix())
    return "".join(part + str(int(arg)) for part, arg in zip(parts, args)) + parts[-1]


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


def _picker_option(theme, parent=None) -> str:
    name = escape(theme.name)
    search = escape(theme.name.lower() + (f" {parent.name.lower()}" if parent is not None else ""))
    shortcut = escape(theme.shortcut or "")
    return (
        f'<li role="option" id="picker-t{theme.id}" class="{"child" if parent is not None else ""}" '
        f'data-theme="{theme.id}" data-key="{shortcut}" data-name="{search}" title="{escape(theme.description)}" '
        f'aria-selected="false"><kbd>{shortcut or "·"}</kbd><span class="swatch t{theme.id}"></span>'
        f'<span class="picker-name">{name}</span><span class="picker-recent">recent</span></li>'
    )


def picker_html(themes: list) -> SafeString:
    """The theme picker's options as a tree: each top-level active theme, then its active children (indented); a
    child of an inactive parent stands at the top level. ``themes``: every theme (the parents come from it)."""
    by_id = {t.id: t for t in themes}
    active = [t for t in themes if t.active]
    children: dict[int, list] = {}
    for t in active:
        if t.parent_id:
            children.setdefault(t.parent_id, []).append(t)
    rows = []
    for t in active:
        parent = by_id.get(t.parent_id) if t.parent_id else None
        if parent is not None and parent.active:
            continue  # drawn under its parent
        rows.append(_picker_option(t))
        rows.extend(_picker_option(c, parent=t) for c in children.get(t.id, ()))
    return mark_safe("\n".join(rows))


def shortcut_list_html(themes: list) -> SafeString:
    """The shortcuts overlay's theme keys (active themes that have one)."""
    return mark_safe(
        "".join(
            f"<dt><kbd>{escape(t.shortcut)}</kbd></dt><dd>{escape(t.name)}</dd>"
            for t in themes
            if t.active and t.shortcut
        )
    )


def _by_text(mentions: list) -> list[tuple[str, list]]:
    """Mentions grouped by surface form, in text order (as ``dictsort:"text"`` and ``regroup`` did)."""
    forms: list[tuple[str, list]] = []
    for m in sorted(mentions, key=lambda m: m.text):
        if forms and forms[-1][0] == m.text:
            forms[-1][1].append(m)
        else:
            forms.append((m.text, [m]))
    return forms


def entity_panel_html(*, groups: list[dict], article, can_write: bool, csrf_token: str) -> SafeString:
    """The entity suggestions panel: one row per surface form and label ("China" as GPE), so a whole group is
    accepted or rejected in one action. Built in Python (a template loop cost ~0.5 ms per surface form)."""
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
    target = 'hx-target="#entity-panel" hx-swap="outerHTML"'
    decide, decide_tail = url_for("annotations:entity_decide", 0).rsplit("/0/", 1)  # one URL for every row
    decide, decide_tail = f"{decide}/", f"/{decide_tail}"
    panel_url = url_for("annotations:entity_panel", article.pk)
    surface_url = url_for("annotations:entity_decide_surface", article.pk)
    text = article.text

    def undo_form(m) -> str:
        url = f"{decide}{m.id}{decide_tail}"
        return (
            f'<span class="ent-actions"><button type="button" class="ent-to-span linklike" data-start="{m.start}" '
            f'data-end="{m.end}">make span</button>\n<form method="post" action="{url}" hx-post="{url}" {target}>'
            f'{csrf}<button type="submit" name="status" value="suggested" class="linklike">undo</button></form></span>'
        )

    out = ['<section id="entity-panel" class="ws-entities" aria-label="Entity suggestions">']
    for g in groups:
        label = escape(g["label"])
        opened = " open" if g["suggested"] or g["accepted"] else ""
        out.append(
            f'<details class="ent-group" data-label="{label}"{opened}>\n<summary><span class="e e-{label}">{label}'
            f"</span> {len(g['suggested'])} suggested · {len(g['accepted'])} accepted · {g['rejected']} rejected"
            "</summary>"
        )
        if can_write and g["suggested"]:
            out.append(
                f'<form class="ent-all" method="post" action="{panel_url}" hx-post="{panel_url}" {target}>{csrf}'
                f'<input type="hidden" name="label" value="{label}">\n'
                f'<button type="submit" name="status" value="accepted">Accept all {label}</button>\n'
                f'<button type="submit" name="status" value="rejected">Reject all {label}</button></form>'
            )
        out.append('<ul class="ent-list">')
        for form, ms in _by_text(g["suggested"]):
            out.append(_suggested_row(form, ms, label, text, can_write, csrf, target, decide, decide_tail, surface_url))
        for form, ms in _by_text(g["accepted"]):
            name = escape(form)
            if len(ms) == 1:
                m = ms[0]
                actions = undo_form(m) if can_write else ""
                out.append(
                    f'<li id="ent-{m.id}" class="ent-form accepted"><span class="ent-name">✓ {name}</span>{actions}</li>'
                )
                continue
            rows = "".join(
                f'<li id="ent-{m.id}" class="accepted"><span class="muted">at {m.start}</span>'
                f"{undo_form(m) if can_write else ''}</li>"
                for m in ms
            )
            out.append(
                f'<li class="ent-form accepted"><details><summary><span class="ent-name">✓ {name} '
                f'<span class="ent-count">×{len(ms)}</span></span></summary>\n<ul class="ent-list">{rows}</ul>'
                "</details></li>"
            )
        out.append("</ul>\n</details>")
    if not groups:
        out.append('<p class="muted">No entity suggestions for this article.</p>')
    out.append("</section>")
    return mark_safe("\n".join(out))


def _suggested_row(form, ms, label, text, can_write, csrf, target, decide, decide_tail, surface_url) -> str:
    """One surface form still to decide: one mention (its own ✓ ✗) or several (✓ all, ✗ all)."""
    m, n = ms[0], len(ms)
    name = escape(form)
    title = escape(("" if n == 1 else f"{n} mentions; the first: ") + article_text.context_around(text, m.start, m.end))
    count = "" if n == 1 else f' <span class="ent-count">×{n}</span>'
    row_id = f' id="ent-{m.id}"' if n == 1 else ""
    actions = ""
    if can_write and n == 1:
        url = f"{decide}{m.id}{decide_tail}"
        actions = (
            f'\n<form method="post" action="{url}" hx-post="{url}" {target}>{csrf}'
            f'<button type="submit" name="status" value="accepted" aria-label="Accept {name}" title="Accept">✓</button>'
            f'<button type="submit" name="status" value="rejected" aria-label="Reject {name}" title="Reject">✗</button>'
            "</form>"
        )
    elif can_write:
        actions = (
            f'\n<form method="post" action="{surface_url}" hx-post="{surface_url}" {target}>{csrf}'
            f'<input type="hidden" name="label" value="{label}"><input type="hidden" name="text" value="{name}">'
            f'<button type="submit" name="status" value="accepted" title="Accept all {n}">✓ all<span '
            f'class="visually-hidden">: accept every “{name}” ({label})</span></button>'
            f'<button type="submit" name="status" value="rejected" title="Reject all {n}">✗ all<span '
            f'class="visually-hidden">: reject every “{name}” ({label})</span></button></form>'
        )
    return (
        f'<li class="ent-form" data-pending="{n}"{row_id}>\n<span class="ent-name" title="{title}">{name}{count}</span>'
        f"{actions}\n</li>"
    )
