from apps.corpus.text import (
    Mark,
    context_around,
    normalize_text,
    paragraphs_html_between,
    paragraphs_with_marks,
    text_html,
)


def test_normalize_text_makes_nfc_unix_lines_without_trailing_spaces():
    assert normalize_text("Cafe\u0301  \r\nline two\t\rthree") == "Caf\u00e9\nline two\nthree"


def test_paragraphs_split_overlapping_and_nested_marks_into_flat_segments():
    text = "Xi Jinping met Putin.\nThey spoke."
    marks = [
        Mark(0, 10, "ent", "e1", "PERSON"),
        Mark(0, 21, "quote", "q1"),
        Mark(15, 20, "ent", "e2", "PERSON"),
        Mark(22, 26, "span", "s1"),
    ]
    paras = paragraphs_with_marks(text, marks)
    assert [p.start for p in paras] == [0, 22]
    first = [(s.text, sorted(m.key for m in s.marks)) for s in paras[0].segments]
    assert first == [
        ("Xi Jinping", ["e1", "q1"]),
        (" met ", ["q1"]),
        ("Putin", ["e2", "q1"]),
        (".", ["q1"]),
    ]
    second = [(s.text, [m.key for m in s.marks]) for s in paras[1].segments]
    assert second == [("They", ["s1"]), (" spoke.", [])]
    # every character is rendered exactly once
    assert "\n".join("".join(s.text for s in p.segments) for p in paras) == text


def test_a_mark_across_a_paragraph_break_covers_both_paragraphs():
    paras = paragraphs_with_marks("ab\ncd", [Mark(1, 4, "quote", "q")])
    assert [(s.text, bool(s.marks)) for s in paras[0].segments] == [("a", False), ("b", True)]
    assert [(s.text, bool(s.marks)) for s in paras[1].segments] == [("c", True), ("d", False)]


def test_text_html_draws_each_segment_with_its_marks_classes_keys_and_titles_escaped():
    text = 'Xi said "<b>win-win</b>".\nNext line'
    start = text.index("<b>")
    marks = [
        Mark(0, 2, "ent", "e1", "PERSON", "m-ent ent-PERSON", "PERSON"),
        Mark(start, start + 14, "quote", "q2", "", "m-quote", 'Quote: "Xi" & co'),
        Mark(start + 3, start + 10, "ent", "e3", "", "m-ent", ""),
    ]
    rendered = text_html(text, marks)
    assert rendered.paragraphs == 2
    assert str(rendered) == rendered.html
    html = rendered.html
    assert html.startswith(
        '<p data-start="0" data-end="25"><span class="m-ent ent-PERSON" data-m="e1" title="PERSON">Xi</span> said &quot;'
    )
    assert '<span class="m-quote" data-m="q2" title="Quote: &quot;Xi&quot; &amp; co">&lt;b&gt;</span>' in html
    assert '<span class="m-quote m-ent" data-m="q2 e3" title="Quote: &quot;Xi&quot; &amp; co">win-win</span>' in html
    assert html.endswith('<p data-start="26" data-end="35">Next line</p>')
    assert "<b>" not in html


def test_paragraph_ids_and_out_of_band_swaps_only_for_the_paragraphs_asked_for():
    text = "one\ntwo\nthree"
    html = paragraphs_html_between(text, [Mark(4, 7, "span", "a1", classes="a")], 4, 7, id_prefix="p")
    assert (
        html == '<p id="p1" data-start="4" data-end="7" hx-swap-oob="true"><span class="a" data-m="a1">two</span></p>'
    )


def test_a_page_style_decides_the_classes_from_all_marks_of_a_segment():
    def count_style(segment):
        return f"n{len(segment.marks)}", ""

    html = text_html("abc", [Mark(0, 3, "x", "a1"), Mark(1, 2, "x", "a2")], style=count_style).html
    assert (
        html
        == '<p data-start="0" data-end="3"><span class="n1" data-m="a1">a</span><span class="n2" data-m="a1 a2">b</span><span class="n1" data-m="a1">c</span></p>'
    )


def test_context_around_keeps_whole_words_within_the_line():
    text = "First line.\nLeaders met in the old city of Moscow on Thursday to talk about trade and energy.\nLast."
    start = text.index("Moscow")
    assert context_around(text, start, start + 6, chars=20) == "…in the old city of Moscow on Thursday to…"
    assert context_around(text, 0, 5, chars=20) == "First line."
    short = "Moscow"
    assert context_around(short, 0, 6) == "Moscow"
