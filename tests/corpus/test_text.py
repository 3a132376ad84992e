from apps.corpus.text import Mark, normalize_text, paragraphs_with_marks


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
