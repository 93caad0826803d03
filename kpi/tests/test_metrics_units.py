"""KPI values as money reads them: each KPI in its unit with exactly its decimal places,
rounded half up at the boundary, store days summed before dividing, and changes written
in their unit. No database: these run under `make mutation` (mutmut on `kpi/metrics.py`).

`Decimal("0.8") == Decimal("0.80")`, so the places are pinned by comparing strings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from kpi.metrics import BY_CODE, RANKED, TOTALS_FIELDS, Totals

STORE_A = Totals(
    receipts=2,
    identified=1,
    turnover=Decimal("300.10"),
    lp_turnover=Decimal("100.05"),
    items=5,
    card_days=1,
    new_members=1,
    phones=1,
    emails=0,
)
STORE_B = Totals(
    receipts=100,
    identified=99,
    turnover=Decimal("9999.90"),
    lp_turnover=Decimal("9000.00"),
    items=301,
    card_days=40,
    new_members=3,
    phones=2,
    emails=1,
)


def test_totals_add_up_field_by_field():
    # Given two stores' sums over a period, when they are added (a region, the network)
    region = STORE_A + STORE_B

    # Then every fact is the sum of both, in its own type
    assert region == Totals(
        receipts=102,
        identified=100,
        turnover=Decimal("10300.00"),
        lp_turnover=Decimal("9100.05"),
        items=306,
        card_days=41,
        new_members=4,
        phones=3,
        emails=1,
    )
    assert [getattr(Totals() + STORE_B, name) for name in TOTALS_FIELDS] == [
        getattr(STORE_B, name) for name in TOTALS_FIELDS
    ]


def test_a_region_is_the_ratio_of_its_sums_not_the_average_of_its_stores():
    # Given a store at 50 % and one at 99 %, when their sums are added and the KPI taken
    penetration = BY_CODE["penetration"]
    region = penetration.of(STORE_A + STORE_B)

    # Then 100 of 102 receipts: 98.0 %, not the stores' mean 74.5 %
    assert (penetration.of(STORE_A), penetration.of(STORE_B)) == (Decimal("50.0"), Decimal("99.0"))
    assert str(region) == "98.0"


@pytest.mark.parametrize(
    ("code", "totals", "expected"),
    [
        # Shares: percent, one decimal.
        ("penetration", Totals(receipts=3, identified=2), "66.7"),  # 66.66…, not 66.6
        ("penetration", Totals(receipts=5, identified=4), "80.0"),  # not 80 or 80.00
        ("contact_capture", Totals(new_members=8, phones=3), "37.5"),
        ("lp_turnover_share", Totals(turnover=Decimal(3), lp_turnover=Decimal(1)), "33.3"),
        # Money: roubles and kopecks.
        ("average_receipt", Totals(receipts=4, turnover=Decimal(2000)), "500.00"),  # not 500
        ("average_lp_receipt", Totals(identified=3, lp_turnover=Decimal(1000)), "333.33"),
        # Plain decimals: two places.
        ("items_per_receipt", Totals(receipts=5, items=4), "0.80"),  # not 0.8
        ("receipts_per_participant", Totals(identified=7, card_days=3), "2.33"),
    ],
)
def test_each_kpi_has_exactly_its_declared_places(code, totals, expected):
    # Given a period's sums, when the KPI is taken, then it carries its unit's places
    assert str(BY_CODE[code].of(totals)) == expected


@pytest.mark.parametrize(
    ("code", "totals", "expected"),
    [
        # 49 of 400 = 12.25 %: half up gives 12.3 (half even would give 12.2).
        ("penetration", Totals(receipts=400, identified=49), "12.3"),
        ("penetration", Totals(receipts=400, identified=3), "0.8"),  # 0.75 → 0.8
        # 250.25 roubles over 2 receipts = 125.125 → 125.13 (half even: 125.12).
        ("average_receipt", Totals(receipts=2, turnover=Decimal("250.25")), "125.13"),
        ("items_per_receipt", Totals(receipts=8, items=5), "0.63"),  # 0.625 → 0.63
        ("receipts_per_participant", Totals(identified=9, card_days=8), "1.13"),  # 1.125
    ],
)
def test_values_on_a_rounding_boundary_round_half_up(code, totals, expected):
    assert str(BY_CODE[code].of(totals)) == expected


def test_every_ranked_kpi_gives_no_figure_rather_than_zero_when_nothing_happened():
    # Given a period with no receipts, no members, no turnover
    # Then no ranked KPI claims 0 (a store that sold nothing did not score 0 %)
    assert {kpi.code: kpi.of(Totals()) for kpi in RANKED} == dict.fromkeys(
        (kpi.code for kpi in RANKED), None
    )


@pytest.mark.parametrize(
    ("code", "change", "raw"),
    [
        ("penetration", "2.45", "2.5"),  # percentage points, one decimal, half up
        ("penetration", "-0.05", "-0.1"),
        ("average_receipt", "-20", "-20.00"),  # roubles and kopecks
        ("average_receipt", "0.005", "0.01"),
        ("items_per_receipt", "0.125", "0.13"),
        ("active_participants", 20, "20"),  # a count
    ],
)
def test_a_change_for_a_machine_is_in_the_kpis_change_unit(code, change, raw):
    # Given a change against the previous period, when it goes to a CSV file
    value = Decimal(change) if isinstance(change, str) else change

    # Then it is a plain number in the KPI's change unit, rounded as the page rounds it
    assert BY_CODE[code].raw_change(value) == raw


def test_no_change_is_an_empty_cell_for_a_machine():
    assert [kpi.raw_change(None) for kpi in RANKED] == [""] * len(RANKED)


@pytest.mark.parametrize(
    ("code", "value", "written"),
    [
        ("penetration", "12.5", "12,5\u00a0%"),
        ("contact_capture", "12.5", "12,5\u00a0%"),
        ("lp_turnover_share", "12.5", "12,5\u00a0%"),
        ("average_receipt", "12.5", "12,50\u00a0₽"),
        ("average_lp_receipt", "12.5", "12,50\u00a0₽"),
        ("items_per_receipt", "12.5", "12,50"),
        ("receipts_per_participant", "12.5", "12,50"),
        ("active_participants", "1250", "1\u00a0250"),  # cards: a whole number
        ("participant_growth", "12.5", "12,5\u00a0%"),  # against the previous period
    ],
)
def test_every_kpi_is_written_in_its_unit(code, value, written):
    # Given a figure of the KPI, when a page shows it in Russian
    # Then it is written in the KPI's own unit, with its places
    with translation.override("ru"):
        assert BY_CODE[code].format(Decimal(value)) == written


@pytest.mark.parametrize(
    ("code", "change", "ru", "en"),
    [
        ("penetration", "-0.05", "−0,1\u00a0п.п.", "−0.1 pp"),
        ("contact_capture", "0", "±0,0\u00a0п.п.", "±0.0 pp"),
        ("average_lp_receipt", "1234.5", "+1\u00a0234,50\u00a0₽", "+1,234.50 ₽"),
        ("receipts_per_participant", "-0.5", "−0,50", "−0.50"),
    ],
)
def test_a_change_as_people_read_it(code, change, ru, en):
    # Given a change of a share (points) or of an amount (roubles), when it is shown
    kpi = BY_CODE[code]

    # Then it is signed, in its change unit, with the language's separators
    with translation.override("ru"):
        assert kpi.format_change(Decimal(change)) == ru
    with translation.override("en"):
        assert kpi.format_change(Decimal(change)) == en
