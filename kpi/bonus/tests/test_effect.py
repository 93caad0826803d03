"""The effect report: a scheme's stores before and after its start, by thirds, against
the stores outside it (difference in differences), with a bootstrap interval and a
verdict in plain language; a network scheme has no control group; too little data is
said so. Worlds are built so the answer is known: every scheme store rises by exactly
10 p.p. and every store outside by 5, and the effect is 5.0."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kpi.bonus.selectors.effect import (
    NO_CONTROL_NETWORK,
    NO_CONTROL_TOO_FEW,
    NO_EFFECT,
    TOO_LITTLE,
    WORKED,
    WRONG_WAY,
    scheme_effect,
)
from kpi.bonus.tests.factories_scorecard import monthly_facts, scheme
from portal.org.tests.factories import RegionFactory, StoreFactory

pytestmark = pytest.mark.django_db

D = Decimal
START = dt.date(2026, 1, 1)
END = dt.date(2026, 3, 31)
BEFORE_MONTHS = [dt.date(2025, m, 1) for m in range(7, 13)]
AFTER_MONTHS = [dt.date(2026, m, 1) for m in (1, 2, 3)]


def _region(code: str, changes: list[int], *, base: int = 30, launched=None):
    """A region whose i-th store has (base + 2i) % before the start and that plus
    `changes[i]` p.p. after it, 1,000 receipts a month."""
    region = RegionFactory(code=code, name=f"Регион {code}")
    for i, change in enumerate(changes):
        store = StoreFactory(code=f"{code}{i:02d}", region=region)
        if launched and i == 0:
            store.lp_launch_date = launched
            store.save(update_fields=["lp_launch_date"])
        before = (base + 2 * i) * 10
        monthly_facts(
            store,
            [(day, 1000, before) for day in BEFORE_MONTHS]
            + [(day, 1000, before + change * 10) for day in AFTER_MONTHS],
        )
    return region


def _effects(report) -> dict[str, tuple]:
    return {g.key: (g.stores, g.effect, g.verdict) for g in report.rows}


def test_scheme_stores_rising_5_pp_more_than_the_others_worked():
    ours = _region("S", [10] * 9)
    _region("C", [5] * 9, base=20)

    report = scheme_effect(scheme=scheme(starts_on=START, regions=[ours]), end=END)

    assert report.controlled
    assert [p.start for p in report.before] == BEFORE_MONTHS
    assert [p.start for p in report.after] == AFTER_MONTHS
    assert _effects(report) == {
        "top": (3, D("5.00"), WORKED),
        "middle": (3, D("5.00"), WORKED),
        "bottom": (3, D("5.00"), WORKED),
        "all": (9, D("5.00"), WORKED),
    }
    overall = report.overall
    assert (overall.before, overall.after, overall.change) == (D("38.00"), D("48.00"), D("10.00"))
    assert (overall.control_before, overall.control_change) == (D("28.00"), D("5.00"))
    assert (overall.interval.low, overall.interval.high) == (D("5.00"), D("5.00"))
    with translation.override("en"):
        assert report.verdict_text() == (
            "It worked: LP penetration rose by 5.0 pp more than in stores outside the "
            "scheme (95% interval +5.0 pp to +5.0 pp)."
        )


def test_thirds_are_made_by_the_value_before_and_held_against_the_like_third_outside():
    """The top third of the scheme rises 6 p.p., the bottom 12; outside, the top 1 and
    the bottom 7 (low stores catching up anyway): each third's effect is 5."""
    ours = _region("S", [12, 12, 12, 9, 9, 9, 6, 6, 6])  # store 0 lowest before
    _region("C", [7, 7, 7, 4, 4, 4, 1, 1, 1])

    report = scheme_effect(scheme=scheme(starts_on=START, regions=[ours]), end=END)

    assert {g.key: (g.change, g.control_change, g.effect) for g in report.groups} == {
        "top": (D("6.00"), D("1.00"), D("5.00")),
        "middle": (D("9.00"), D("4.00"), D("5.00")),
        "bottom": (D("12.00"), D("7.00"), D("5.00")),
    }


def test_no_difference_from_the_stores_outside_is_no_clear_effect():
    changes = [4, -2, 1, 0, 3, -1, 2, -3, 1]
    ours = _region("S", changes)
    _region("C", list(reversed(changes)))

    report = scheme_effect(scheme=scheme(starts_on=START, regions=[ours]), end=END)

    overall = report.overall
    assert overall.effect == 0 and report.verdict == NO_EFFECT
    assert overall.interval.low < 0 < overall.interval.high
    with translation.override("en"):
        assert report.verdict_text().startswith("No clear effect: the interval includes zero")


def test_scheme_stores_rising_less_than_the_others_went_the_wrong_way():
    ours = _region("S", [2] * 9)
    _region("C", [5] * 9)

    report = scheme_effect(scheme=scheme(starts_on=START, regions=[ours]), end=END)

    assert (report.overall.effect, report.verdict) == (D("-3.00"), WRONG_WAY)
    with translation.override("en"):
        assert report.verdict_text().startswith("It went the wrong way: LP penetration changed")


def test_a_network_scheme_has_no_control_group_and_compares_before_and_after():
    _region("S", [10] * 6)
    _region("T", [10] * 3)

    report = scheme_effect(scheme=scheme(starts_on=START), end=END)

    assert not report.controlled and report.no_control_reason == NO_CONTROL_NETWORK
    assert report.overall.stores == 9 and report.overall.control_stores == 0
    assert (report.overall.effect, report.verdict) == (D("10.00"), WORKED)
    assert [s.key for s in report.series] == ["top", "middle", "bottom"]  # no control line
    with translation.override("en"):
        text = report.verdict_text()
    assert text.startswith("LP penetration rose by 10.0 pp after the start")
    assert "no control group" in text


def test_too_few_stores_outside_leave_no_control_group():
    ours = _region("S", [10] * 9)
    _region("C", [5] * 2)

    report = scheme_effect(scheme=scheme(starts_on=START, regions=[ours]), end=END)

    assert not report.controlled and report.no_control_reason == NO_CONTROL_TOO_FEW
    assert report.overall.effect == D("10.00")


def test_fewer_than_three_scheme_stores_is_too_little_data():
    ours = _region("S", [10] * 2)
    _region("C", [5] * 9)

    report = scheme_effect(scheme=scheme(starts_on=START, regions=[ours]), end=END)

    assert (report.verdict, report.too_little_reason) == (TOO_LITTLE, "stores")
    with translation.override("en"):
        assert report.verdict_text().startswith("Too little data: fewer than 3 stores")


def test_a_scheme_started_a_month_ago_is_too_little_data():
    ours = _region("S", [10] * 9)
    _region("C", [5] * 9)

    report = scheme_effect(scheme=scheme(starts_on=dt.date(2026, 3, 1), regions=[ours]), end=END)

    assert len(report.after) == 1
    assert (report.verdict, report.too_little_reason) == (TOO_LITTLE, "periods")


def test_a_store_launching_the_lp_inside_the_window_is_left_out():
    ours = _region("S", [10] * 9, launched=dt.date(2025, 9, 1))
    _region("C", [5] * 9)

    report = scheme_effect(scheme=scheme(starts_on=START, regions=[ours]), end=END)

    assert report.left_out == 1 and report.overall.stores == 8


def test_a_scorecard_scheme_is_judged_on_penetration():
    ours = _region("S", [10] * 9)
    _region("C", [5] * 9)

    made = scheme(starts_on=START, regions=[ours], metric="scorecard")
    report = scheme_effect(scheme=made, end=END)

    assert report.instead_of_scorecard and report.kpi.code == "penetration"
    assert report.overall.effect == D("5.00")


def test_a_weekly_scheme_compares_weeks():
    """Weeks from Monday 5 January: six weeks before (from 24 November), four after."""
    weeks_before = [dt.date(2025, 11, 24) + dt.timedelta(weeks=n) for n in range(6)]
    weeks_after = [dt.date(2026, 1, 5) + dt.timedelta(weeks=n) for n in range(4)]
    for code, change in (("S", 10), ("C", 5)):
        region = RegionFactory(code=code, name=code)
        for i in range(3):
            store = StoreFactory(code=f"{code}{i}", region=region)
            # a day in the middle of each week: the week it falls in, not the day, counts
            monthly_facts(
                store,
                [(w + dt.timedelta(days=2), 500, 150 + 10 * i) for w in weeks_before]
                + [(w + dt.timedelta(days=2), 500, 150 + 10 * i + 5 * change) for w in weeks_after],
            )
    made = scheme(starts_on=dt.date(2026, 1, 5), regions=[RegionFactory(code="S")], period="week")

    report = scheme_effect(scheme=made, end=dt.date(2026, 2, 1))

    assert [p.start for p in report.before] == weeks_before
    assert [p.start for p in report.after] == weeks_after
    assert (report.overall.effect, report.verdict) == (D("5.00"), WORKED)


def test_the_same_figures_give_the_same_interval():
    changes = [4, -2, 1, 0, 3, -1, 2, -3, 1]
    ours = _region("S", changes)
    _region("C", [c - 1 for c in reversed(changes)])
    made = scheme(starts_on=START, regions=[ours])

    first, again = scheme_effect(scheme=made, end=END), scheme_effect(scheme=made, end=END)

    assert first.overall.interval == again.overall.interval
    assert first.overall.interval.low < first.overall.effect < first.overall.interval.high


def test_the_chart_series_are_each_thirds_mean_per_period_and_the_control():
    ours = _region("S", [10] * 9)
    _region("C", [5] * 9, base=20)

    report = scheme_effect(scheme=scheme(starts_on=START, regions=[ours]), end=END)

    lines = {line.key: line.values for line in report.series}
    assert list(lines) == ["top", "middle", "bottom", "control"]
    assert lines["bottom"] == [D("32.00")] * 6 + [D("42.00")] * 3  # stores of 30, 32, 34 %
    assert lines["control"] == [D("28.00")] * 6 + [D("33.00")] * 3


def test_the_report_costs_the_same_queries_whatever_the_number_of_stores():
    ours = _region("S", [10] * 3)
    _region("C", [5] * 3)
    made = scheme(starts_on=START, regions=[ours])
    with CaptureQueriesContext(connection) as small:
        scheme_effect(scheme=made, end=END)
    _region("T", [10] * 12)
    made.regions.add(RegionFactory(code="T"))
    _region("U", [5] * 12)

    with CaptureQueriesContext(connection) as large:
        report = scheme_effect(scheme=made, end=END)

    assert report.overall.stores == 15 and report.overall.control_stores == 15
    assert len(large.captured_queries) == len(small.captured_queries) == 3
