"""Numbers as the portal rounds and writes them: one rounding rule for percentages, one
formatter per kind of number, for pages, charts and PDFs (localised) and for CSV
(machine-readable).

The rounding rule: a percentage is computed from exact counts or Decimal sums, never
floats, and rounded once, half up, to one decimal place (12.25 → 12.3, 12.24 → 12.2,
−12.25 → −12.3). Whatever is compared (ranks, "passed", colours) compares the rounded
value, so what a person reads is what decides.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.formats import number_format
from django.utils.translation import pgettext

PERCENT_STEP = Decimal("0.1")
CENT = Decimal("0.01")
NOTHING = "—"


def percent_round(value: Decimal | int | str) -> Decimal:
    """A percentage rounded by the rule (half up, one decimal)."""
    return Decimal(value).quantize(PERCENT_STEP, rounding=ROUND_HALF_UP)


def percent_of(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """`part` of `whole` in percent, rounded by the rule; None when `whole` is nothing."""
    if not whole:
        return None
    return percent_round(Decimal(part) * 100 / Decimal(whole))


def ratio_of(part: Decimal | int, whole: Decimal | int, step: Decimal = CENT) -> Decimal | None:
    """`part` per `whole` (an average, roubles per receipt), half up to `step`."""
    if not whole:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(step, rounding=ROUND_HALF_UP)


class Kind(StrEnum):
    """What a number is, which decides how it is written."""

    PERCENT = "percent"  # a share in percent, one decimal: «75,0 %»
    POINTS = "points"  # a difference of percentages, in percentage points: «+2,5 п.п.»
    MONEY = "money"  # roubles and kopecks: «1 234,50 ₽»
    DECIMAL = "decimal"  # two decimals: «3,50»
    COUNT = "count"  # a whole number: «1 234»
    TEXT = "text"  # not a number: written as it is


_PLACES = {
    Kind.PERCENT: 1,
    Kind.POINTS: 1,
    Kind.MONEY: 2,
    Kind.DECIMAL: 2,
    Kind.COUNT: 0,
}


def _empty(value: object) -> bool:
    return value is None or value == ""


def _sign(value: Decimal | int) -> str:
    return "+" if value > 0 else ("−" if value < 0 else "±")


def format_number(value: Decimal | int | None, kind: Kind | str, *, signed: bool = False) -> str:
    """The value as a person reads it in the active language (separators, grouping,
    unit); «—» when there is none. `signed`: a change, written with +, − or ±."""
    kind = Kind(kind)
    if _empty(value):
        return NOTHING
    if kind == Kind.TEXT:
        return str(value)
    places = _PLACES[kind]
    number = Decimal(value)
    if kind in (Kind.PERCENT, Kind.POINTS):
        number = percent_round(number)
    else:
        # Half up to the kind's places first, as `raw_number` does: Django's number_format
        # cuts (0.125 ₽ would read «0,12» on the page and «0.13» in the CSV).
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    shown = number_format(abs(number) if signed else number, places, force_grouping=True)
    if kind == Kind.PERCENT:
        shown = pgettext("number format", "%(number)s%%") % {"number": shown}
    elif kind == Kind.POINTS:
        shown = pgettext("number format", "%(number)s pp") % {"number": shown}
    elif kind == Kind.MONEY:
        shown = pgettext("number format", "%(number)s ₽") % {"number": shown}
    return (_sign(number) + shown) if signed else shown


def raw_number(value: Decimal | int | None, kind: Kind | str) -> str:
    """The value for a machine (CSV): no grouping, a point for decimals, no unit, the
    same rounding as `format_number`; '' when there is none."""
    kind = Kind(kind)
    if _empty(value):
        return ""
    if kind == Kind.TEXT:
        return str(value)
    number = Decimal(value)
    if kind in (Kind.PERCENT, Kind.POINTS):
        return str(percent_round(number))
    places = _PLACES[kind]
    step = Decimal(1).scaleb(-places)
    return str(number.quantize(step, rounding=ROUND_HALF_UP))


def unit_label(kind: Kind | str) -> str:
    """The unit a kind of number is in, for a header that names it once («%», «п.п.»,
    «₽»); '' for plain numbers and text."""
    kind = Kind(kind)
    if kind == Kind.PERCENT:
        return "%"
    if kind == Kind.POINTS:
        return pgettext("unit", "pp")
    if kind == Kind.MONEY:
        return "₽"
    return ""
