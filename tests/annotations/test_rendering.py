from apps.annotations.rendering import build_marks, text_html
from apps.annotations.selectors import EntityRow, QuoteRow, SpanRow


def span(pk, start, end, theme, annotator=1):
    return SpanRow(pk, start, end, "", "", "pending", 1, annotator, "ana", [theme])


def test_nested_and_overlapping_spans_render_as_flat_segments_listing_every_span():
    text = "Xi Jinping met Vladimir Putin in Moscow."
    spans = [span(1, 0, 29, 3), span(2, 15, 29, 7), span(3, 11, 23, 5, annotator=2)]
    marks = build_marks(
        user_id=1, spans=spans, entities=[EntityRow(9, "GPE", 33, 39, "suggested")], quotes=[QuoteRow(4, 0, 10, "<Xi>")]
    )
    rendered = text_html(text, marks)
    html = rendered.html
    assert rendered.paragraphs == 1
    assert html.startswith('<p id="p0" data-start="0" data-end="40">')
    assert "<span" in html and html.count("<p ") == 1  # no nested highlight elements: one level of spans
    # "Vladimir" is inside all three: the innermost of my spans (a2, theme 7) colours it; the others' span shows
    assert '<span class="a t7 o a2 b" data-m="a1 a3 a2">Vladimir</span>' in html
    assert 'data-m="a1 a3">met </span>' in html
    assert 'title="Quote: &lt;Xi&gt;"' in html
    assert '<span class="e e-GPE" data-m="e9">Moscow</span>' in html


def test_an_accepted_entity_and_a_quote_keep_their_own_classes_beside_my_span():
    text = "Xi Jinping spoke."
    marks = build_marks(
        user_id=1,
        spans=[span(1, 0, 2, 4)],
        entities=[EntityRow(9, "PERSON", 0, 10, "accepted")],
        quotes=[QuoteRow(4, 0, 17, "Xi")],
    )
    html = text_html(text, marks).html
    assert '<span class="q qs e e-PERSON ea a t4 b" data-m="q4 e9 a1" title="Quote: Xi">Xi</span>' in html
    assert '<span class="q e e-PERSON ea" data-m="q4 e9" title="Quote: Xi"> Jinping</span>' in html
    assert html.count(" qs ") == 1  # the speaker label is drawn once, where the quote starts


def test_url_for_gives_what_reverse_gives(settings):
    from django.urls import reverse, set_script_prefix

    from apps.annotations.rendering import url_for

    cases = [
        ("annotations:workspace", [7]),
        ("annotations:span", [0]),
        ("annotations:entity_decide", [123456]),
        ("codebook:index", []),
        ("quotes:panel", [42]),
    ]
    for name, args in cases:
        assert url_for(name, *args) == reverse(name, args=args)
    try:
        set_script_prefix("/readout/")  # mounted under a prefix: each prefix has its own reversed routes
        assert (
            url_for("annotations:workspace", 7) == reverse("annotations:workspace", args=[7]) == "/readout/annotate/7/"
        )
    finally:
        set_script_prefix("/")
    assert url_for("annotations:workspace", 7) == "/annotate/7/"
