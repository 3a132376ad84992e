import pytest
from django.core.exceptions import ValidationError

from apps.core.offsets import span_offsets

TEXT = "Zoë said 👍🏽 to Café and 習近平."


def _code(**kwargs):
    with pytest.raises(ValidationError) as err:
        span_offsets(text=TEXT, **kwargs)
    return err.value.code


def test_good_offsets_come_back_as_ints():
    assert span_offsets(text=TEXT, start="0", end="3") == (0, 3)


@pytest.mark.parametrize(
    "start,end,code",
    [
        ("a", 3, "bad_offsets"),
        (None, 3, "bad_offsets"),
        (3, 3, "bad_offsets"),
        (-1, 2, "bad_offsets"),
        (0, len(TEXT) + 1, "bad_offsets"),
        (3, 4, "blank_span"),
    ],
)
def test_bad_offsets_are_refused_with_a_code(start, end, code):
    assert _code(start=start, end=end) == code


def test_a_span_may_not_split_an_emoji_from_its_skin_tone_modifier():
    thumb = TEXT.index("👍")
    assert span_offsets(text=TEXT, start=thumb, end=thumb + 2) == (thumb, thumb + 2)
    assert _code(start=thumb, end=thumb + 1) == "split_character"


def test_a_span_may_not_end_between_a_letter_and_its_combining_accent():
    text = "Cafe\u0301 au lait"  # e + combining acute: two code points, one character
    assert span_offsets(text=text, start=0, end=5) == (0, 5)
    with pytest.raises(ValidationError) as err:
        span_offsets(text=text, start=0, end=4)
    assert err.value.code == "split_character"


def test_cjk_characters_are_each_a_boundary():
    start = TEXT.index("習")
    assert span_offsets(text=TEXT, start=start, end=start + 1) == (start, start + 1)
