"""Who speaks: voice share, direct vs reported, over time, top speakers per theme, the quotes behind a number."""

import datetime as dt

from django.urls import reverse

from apps.insights.filters import Filters
from apps.insights.speakers import kind_shares, speaker_outlet_rows, speaker_period_rows, top_speakers_per_theme


def test_voice_share_is_the_speakers_part_of_the_outlets_attributed_quotes(voices):
    """Xinhua: 4 attributed (Xi 3, Putin 1); Reuters: 3 attributed (Xi 1, Putin 2), the unattributed one left out."""
    rows = {(r.speaker, r.outlet): r for r in speaker_outlet_rows(Filters())}
    assert (rows[("Xi Jinping", "Xinhua")].quotes, rows[("Xi Jinping", "Xinhua")].share) == (3, 0.75)
    assert rows[("Xi Jinping", "Reuters")].share == 1 / 3
    assert rows[("Vladimir Putin", "Reuters")].share == 2 / 3
    assert next(r.speaker for r in speaker_outlet_rows(Filters())) == "Xi Jinping"  # most quoted first


def test_direct_and_reported_shares_per_outlet(voices):
    """Xinhua: 2 direct, 1 reported, 1 mixed; Reuters: 1 direct (unattributed), 3 reported."""
    shares = {s.outlet: s for s in kind_shares(Filters())}
    assert (shares["Xinhua"].direct, shares["Xinhua"].indirect, shares["Xinhua"].mixed) == (2, 1, 1)
    assert shares["Reuters"].share("indirect") == 0.75 and shares["Reuters"].share("direct") == 0.25


def test_quotes_per_speaker_per_month(voices):
    rows = speaker_period_rows(Filters(), [voices["xi"].pk])
    assert [(r["speaker"], r["period"], r["quotes"]) for r in rows] == [("Xi Jinping", dt.date(2025, 1, 1), 4)]
    assert rows[0]["query"] == f"date_from=2025-01-01&date_to=2025-01-31&speaker={voices['xi'].pk}"


def test_top_speakers_per_theme_count_quotes_under_a_counted_span(voices, figures):
    """s1 (accepted, T1+T2) covers 'Xi said multipolar order rises.': Xi's quotes 'multipolar order' and 'order
    rises' overlap it → T1: Xi 2; s2 (accepted, T1) covers Putin's 'stressed trade' → T1: Putin 1; s7 (T1) on b1
    covers 'met Xi' and 'in Moscow' → Xi 3, Putin 2 in all. T2: only s1 → Xi 2. Submitted basis: b1 doesn't count."""
    per = {
        t["theme"].name: [(s["speaker__name"], s["n"]) for s in t["speakers"]]
        for t in top_speakers_per_theme(Filters())
    }
    assert per["Multipolarity"] == [("Xi Jinping", 3), ("Vladimir Putin", 2)]
    assert per["Sanctions"] == [("Xi Jinping", 2)]
    submitted = {
        t["theme"].name: [(s["speaker__name"], s["n"]) for s in t["speakers"]]
        for t in top_speakers_per_theme(Filters(basis="submitted"))
    }
    assert submitted["Multipolarity"] == [("Xi Jinping", 2), ("Vladimir Putin", 1)]


def test_a_number_links_to_exactly_its_quotes(voices, client_for, supervisor):
    client = client_for(supervisor)
    page = client.get(reverse("insights:speakers"))
    assert page.status_code == 200
    row = next(r for r in page.context["voice"] if (r.speaker, r.outlet) == ("Xi Jinping", "Xinhua"))
    listed = client.get(f"{reverse('insights:quotes')}?{row.query}").context["quotes"]
    assert sorted(q.pk for q in listed) == sorted(q.pk for q in voices["quotes"][:3])
    per_theme = next(t for t in page.context["per_theme"] if t["theme"].name == "Multipolarity")
    xi = per_theme["speakers"][0]
    listed = client.get(f"{reverse('insights:quotes')}?{xi['query']}").context["quotes"]
    assert len(listed) == xi["n"] == 3


def test_csv_of_the_kinds_table(voices, client_for, supervisor):
    text = client_for(supervisor).get(reverse("insights:speakers") + "?format=csv&table=kinds").content.decode()
    assert text.splitlines() == ["outlet,direct,reported,mixed,total", "Reuters,1,3,0,4", "Xinhua,2,1,1,4"]
