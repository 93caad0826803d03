"""The portal's rounding rule for percentages and its number formats (portal.numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.numbers import Kind, format_number, percent_of, percent_round, ratio_of, raw_number


@pytest.mark.parametrize(
    ("value", "rounded"),
    [
        ("12.25", "12.3"),  # half: up, not to the even neighbour
        ("12.35", "12.4"),
        ("12.249", "12.2"),
        ("0.05", "0.1"),
        ("-12.25", "-12.3"),  # half away from zero
        ("99.95", "100.0"),
        (7, "7.0"),
    ],
)
def test_percentages_round_half_up_to_one_decimal(value, rounded):
    assert percent_round(value) == Decimal(rounded)
    assert str(percent_round(value)) == rounded


def test_a_share_is_computed_exactly_and_rounded_once():
    assert percent_of(1, 8) == Decimal("12.5")
    assert percent_of(49, 400) == Decimal("12.3")  # 12.25: float round() gives 12.2
    assert round(100 * 49 / 400, 1) == 12.2  # why no float rounding is used
    assert percent_of(2, 3) == Decimal("66.7")
    assert percent_of(Decimal("80000.00"), Decimal("100000.00")) == Decimal("80.0")
    assert percent_of(5, 0) is None and percent_of(0, 5) == Decimal("0.0")


def test_ratios_round_half_up_to_kopecks():
    assert ratio_of(Decimal("1000.25"), 2) == Decimal("500.13")
    assert ratio_of(7, 0) is None


@pytest.mark.parametrize(
    ("kind", "value", "ru", "en", "raw"),
    [
        (Kind.PERCENT, Decimal("75"), "75,0\u00a0%", "75.0%", "75.0"),
        (Kind.PERCENT, Decimal("12.25"), "12,3\u00a0%", "12.3%", "12.3"),
        (Kind.MONEY, Decimal("1234.5"), "1\u00a0234,50\u00a0₽", "1,234.50 ₽", "1234.50"),
        (Kind.DECIMAL, Decimal("3.5"), "3,50", "3.50", "3.50"),
        (Kind.COUNT, 12345, "12\u00a0345", "12,345", "12345"),
        (Kind.POINTS, Decimal("-2.5"), "-2,5\u00a0п.п.", "-2.5 pp", "-2.5"),
        (Kind.TEXT, "S1", "S1", "S1", "S1"),
        (Kind.PERCENT, None, "—", "—", ""),
    ],
)
def test_each_kind_reads_in_the_language_and_stays_plain_for_machines(kind, value, ru, en, raw):
    with translation.override("ru"):
        assert format_number(value, kind) == ru
        assert raw_number(value, kind) == raw  # the same in any language
    with translation.override("en"):
        assert format_number(value, kind) == en
        assert raw_number(value, kind) == raw


def test_a_change_carries_its_sign():
    with translation.override("ru"):
        assert format_number(Decimal("2.5"), Kind.POINTS, signed=True) == "+2,5\u00a0п.п."
        assert format_number(Decimal("-120"), Kind.MONEY, signed=True) == "−120,00\u00a0₽"
        assert format_number(0, Kind.POINTS, signed=True) == "±0,0\u00a0п.п."


def test_templates_use_the_same_formatter():
    template = Template(
        '{% load portal_numbers %}{{ share|number:"percent" }} {{ gap|signed_number:"points" }}'
    )
    with translation.override("en"):
        text = template.render(Context({"share": Decimal("33.33"), "gap": Decimal("-1.25")}))
    assert text == "33.3% −1.3 pp"


@pytest.mark.parametrize(
    ("value", "kind", "page", "csv"),
    [
        (Decimal("0.125"), Kind.MONEY, "0,13\xa0₽", "0.13"),
        (Decimal("1234.565"), Kind.MONEY, "1\xa0234,57\xa0₽", "1234.57"),
        (Decimal("2.5"), Kind.COUNT, "3", "3"),
        (Decimal("-0.005"), Kind.MONEY, "-0,01\xa0₽", "-0.01"),
    ],
)
def test_the_page_and_the_csv_round_alike_half_up(value, kind, page, csv):
    with translation.override("ru"):
        assert format_number(value, kind) == page
    assert raw_number(value, kind) == csv
