"""Summary tables: the figures read from them equal the live figures, they are used only while current, and a
change of the data asks for one refresh (debounced)."""

import datetime as dt
from dataclasses import asdict

import pytest

from apps.insights.filters import Filters
from apps.insights.models import SummaryState
from apps.insights.speakers import kind_shares, speaker_outlet_rows, speaker_period_rows, top_speakers_per_theme
from apps.insights.summaries import current, summaries_refresh, summaries_request_refresh, summaries_usable
from apps.insights.themes import theme_outlet_cells
from apps.quotes.models import Quote

FILTERS = [
    Filters(),
    Filters(basis="submitted"),
    Filters(granularity="week"),
    Filters(date_from=dt.date(2025, 1, 12), date_to=dt.date(2025, 1, 31)),
]


def _cells(filters, summary):
    return [asdict(c) for c in theme_outlet_cells(filters, by_period=True, summary=summary)] + [
        asdict(c) for c in theme_outlet_cells(filters, by_period=False, summary=summary)
    ]


@pytest.mark.parametrize("filters", FILTERS, ids=["default", "submitted", "weeks", "range"])
def test_theme_cells_from_the_summaries_equal_the_live_cells(voices, filters):
    summaries_refresh()
    assert _cells(filters, True) == _cells(filters, False)
    assert any(c["spans"] for c in _cells(filters, True))


@pytest.mark.parametrize("filters", FILTERS, ids=["default", "submitted", "weeks", "range"])
def test_speaker_figures_from_the_summaries_equal_the_live_figures(voices, filters):
    summaries_refresh()
    for summary in (True, False):
        voice = [asdict(r) for r in speaker_outlet_rows(filters, summary=summary)]
        kinds = [asdict(s) for s in kind_shares(filters, summary=summary)]
        time = speaker_period_rows(filters, [voices["xi"].pk, voices["putin"].pk], summary=summary)
        themes = [
            (t["theme"].pk, [(s["speaker_id"], s["n"]) for s in t["speakers"]])
            for t in top_speakers_per_theme(filters, summary=summary)
        ]
        if summary:
            expected = (voice, kinds, time, themes)
    assert (voice, kinds, time, themes) == expected
    assert voice and kinds and time and any(speakers for _, speakers in themes)


def test_summaries_are_current_until_the_data_moves(voices):
    summaries_refresh()
    assert current()
    Quote.objects.create(article=voices["quotes"][0].article, speaker=voices["xi"], start=0, end=2, text="Xi")
    assert not current()


def test_a_batch_of_writes_queues_one_refresh(voices, django_capture_on_commit_callbacks):
    """First stale read queues the refresh; later reads of the same stale data don't queue again; the refresh (the
    immediate task backend in tests) makes the summaries current."""
    with django_capture_on_commit_callbacks() as callbacks:
        assert summaries_usable() is False
        assert summaries_usable() is False
        assert summaries_request_refresh() is False
    assert len(callbacks) == 1
    assert SummaryState.objects.get().requested
    callbacks[0]()
    assert current() and summaries_usable() is True


def test_submitting_work_queues_one_refresh_and_the_refresh_makes_the_summaries_current(
    voices, django_capture_on_commit_callbacks
):
    """The end of a batch of writes (work submitted or approved) queues the refresh; with the
    immediate task backend of the tests, running the commit callbacks rebuilds the summaries."""
    from apps.assignments.models import Assignment
    from apps.assignments.services import assignment_transition

    assignment = Assignment.objects.get(article=voices["quotes"][0].article)  # a1, ana: submitted
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assignment_transition(assignment=assignment, to_state="approved", actor=assignment.analyst)
    assert len(callbacks) >= 1
    assert current()
